package points

import (
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestDefaultPolicy(t *testing.T) {
	rulestest.Test(t, DefaultPolicy())
}

func TestPolicyOverride(t *testing.T) {
	set, err := DefaultPolicy().Override(fstest.MapFS{"host.yaml": {Data: []byte(`policy: points
thresholds:
  points_per_yuan: '1000'
  bean_payable_cap: 'order.payable * decimal("0.5")'
tests:
  - name: half the payable amount
    input: {order: {payable: "10.00"}}
    want: {bean_payable_cap: "5", points_per_yuan: 1000}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	rulestest.Test(t, set)
	r, err := RatesAt(set, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if r.PointsPerYuan != 1000 || r.BeansPerYuan != 100 {
		t.Errorf("rates = %+v, want 1000 points and 100 beans per yuan", r)
	}
}

func TestPolicyUnusable(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("beans_per_yuan", "0")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set, Clock: clock.NewManual(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))})
	if _, err := m.OfferBeans(Order{}, Wallet{}); !errors.Is(err, ErrPolicy) {
		t.Errorf("err = %v, want ErrPolicy", err)
	}
}

func TestSchemaIsDefaults(t *testing.T) {
	if Schema() != DefaultPolicy().Schema() || Schema().Policy() != "points" {
		t.Error("DefaultPolicy is not loaded against Schema")
	}
}
