package refund

import (
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestPolicyFile(t *testing.T) {
	rulestest.Test(t, DefaultPolicy())
}

func TestPolicyEveryThresholdNamesItsRule(t *testing.T) {
	v := DefaultPolicy().Latest()
	for _, d := range Schema().Decls() {
		if d.Rule == "" {
			t.Errorf("%s has no rule", d.Name)
		}
		if _, ok := v.Expr(d.Name); !ok {
			t.Errorf("%s missing from the rule file", d.Name)
		}
	}
	if v.Zone().String() != "Asia/Shanghai" {
		t.Errorf("zone %v", v.Zone())
	}
}

// A host shortens the RFD-2 merchant response period to one day.
func TestPolicyOverride(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("merchant_response", `duration("24h")`)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(t0)
	m := New(Options{Policy: set, Clock: clk})
	s, _ := m.Start(testOrder())
	res, err := m.Apply(s, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(24 * time.Hour); !res.Next.Equal(want) {
		t.Errorf("RFD-2 overridden deadline %v, want %v", res.Next, want)
	}
}
