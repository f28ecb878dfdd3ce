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

// CheckPolicy refuses, once, a set whose constant thresholds no machine
// could use, and accepts the default.
func TestCheckPolicy(t *testing.T) {
	if err := CheckPolicy(DefaultPolicy()); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	for _, o := range [][2]string{{"beans_per_yuan", "0"}, {"bean_step", "1000001"}, {"points_per_yuan", "-1"},
		{"points_order_limit", "-1"}, {"points_annual_cap", "-5"}} {
		set, err := DefaultPolicy().OverrideExpr(o[0], o[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPolicy(set); !errors.Is(err, ErrPolicy) {
			t.Errorf("%s = %s: %v", o[0], o[1], err)
		}
	}
}
