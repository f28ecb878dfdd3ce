package rules

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

func TestSmoke(t *testing.T) {
	s := MustSchema("order",
		Decl{Name: "payment_timeout", Rule: "ORD-4", Type: Window, Inputs: []Input{{Name: "order.activity_limit", Type: Duration}}},
		Decl{Name: "auto_confirm", Rule: "ORD-9", Type: Window},
		Decl{Name: "bean_ratio", Rule: "PTS-1", Type: Decimal},
		Decl{Name: "cap_ok", Rule: "PTS-1", Type: Bool, Inputs: []Input{{Name: "amount", Type: Decimal}, {Name: "tags", Type: Strings, MaxItems: 10}}},
	)
	fsys := fstest.MapFS{"order.yaml": {Data: []byte(`policy: order
version: 2023-07-23
zone: Asia/Shanghai
thresholds:
  payment_timeout:
    rule: ORD-4
    doc: x
    expr: 'order.activity_limit != duration("0s") ? order.activity_limit : duration("24h")'
  auto_confirm:
    rule: ORD-9
    expr: days(10)
  bean_ratio: decimal("0.99")
  cap_ok: |
    amount * decimal("0.99") >= decimal("10") &&
      !("x" in tags)
tests:
  - name: flash sale uses its own limit
    input: {order: {activity_limit: 15m}}
    want: {payment_timeout: 15m, auto_confirm: days(10), bean_ratio: "0.990"}
  - name: cap
    input: {amount: "10.11", tags: [a]}
    want: {cap_ok: true}
`)}}
	set, err := Load(s, fsys)
	if err != nil {
		t.Fatal(err)
	}
	v := set.Latest()
	w, d, err := Explain(v, MustKey[clock.Window](s, "payment_timeout"), 15*time.Minute)
	t.Log(w, d, err)
	w, err = Get(v, MustKey[clock.Window](s, "auto_confirm"))
	t.Log(w, err)
	b, d, err := Explain(v, MustKey[bool](s, "cap_ok"), decimal.RequireFromString("10.11"), []string{"x"})
	t.Log(b, d, err)
	for _, r := range set.RunTests() {
		t.Log(r)
	}
	_, err = set.OverrideExpr("cap_ok", "amount > 3")
	t.Log(err)
	_, err = set.OverrideExpr("cap_ok", "amount > decimal(3) && tags.size() + \"a\"")
	t.Log(err)
}
