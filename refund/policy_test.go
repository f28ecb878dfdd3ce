package refund

import (
	"testing"

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
