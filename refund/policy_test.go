package refund

import (
	"errors"
	"testing"

	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

// The embedded rule file's own test cases pass.
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

// A zero period would refund at the instant a request opens: every
// window declares a minimum of one second, so such an override does not
// load (and days(0) is refused by rules itself).
func TestPolicyWindowsHaveAMinimum(t *testing.T) {
	for _, d := range Schema().Decls() {
		if d.Type != rules.Window {
			continue
		}
		if d.Min != "1s" {
			t.Errorf("%s: Min = %q, want 1s", d.Name, d.Min)
		}
		_, err := DefaultPolicy().OverrideExpr(d.Name, `duration("0s")`)
		if !errors.Is(err, rules.ErrValue) {
			t.Errorf("%s = 0s: error %v, want rules.ErrValue", d.Name, err)
		}
		if _, err := DefaultPolicy().OverrideExpr(d.Name, `duration("1s")`); err != nil {
			t.Errorf("%s = 1s: %v", d.Name, err)
		}
	}
}
