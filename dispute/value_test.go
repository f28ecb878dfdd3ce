package dispute

import (
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Every threshold decision's Value is rules.FormatValue of the threshold
// in the version named, as rules.Explain writes it.
func TestDecisionValuesAsRulesFormat(t *testing.T) {
	m := testMachine()
	s := filed(t, m)
	res := m.AdvanceAt(inTrade, s, t0.Add(72*time.Hour))
	all := append(apply(t, m, inTrade, State{}, filing(), t0).Decisions, res.Decisions...)
	seen := 0
	for _, d := range all {
		if d.Threshold == "" {
			continue
		}
		v, ok := m.policy.Version(d.Version)
		if !ok {
			t.Fatalf("decision %v: no version %s", d, d.Version)
		}
		x, err := v.Eval(d.Threshold)
		if err != nil {
			t.Fatalf("%s: %v", d.Threshold, err)
		}
		if want := rules.FormatValue(x); d.Value != want {
			t.Errorf("%s: value %q, want %q", d.Threshold, d.Value, want)
		}
		seen++
	}
	if seen == 0 {
		t.Fatal("no threshold decisions")
	}
}
