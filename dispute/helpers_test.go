package dispute

import (
	"errors"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

var (
	shanghai = clock.MustZone("Asia/Shanghai")
	t0       = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai).UTC()
	paidAt   = t0.Add(-time.Hour)
	inTrade  = Trade{ID: "T1", Status: InProgress, PaidAt: paidAt}
)

func filing() Complain {
	return Complain{Type: "product", Filer: Filer{Identity: "ID-1", Contact: "138"}, Respondent: "M1",
		Claims: "refund", Facts: "cracked", Reasons: "quality", Evidence: []string{"photo-1"}}
}

func testMachine() *Machine { return New(Options{Clock: clock.NewManual(t0)}) }

// apply applies e at at and fails the test on an error.
func apply(t *testing.T, m *Machine, tr Trade, s State, e Event, at time.Time) Result {
	t.Helper()
	res, err := m.ApplyAt(tr, s, e, at)
	if err != nil {
		t.Fatalf("%s at %v: %v", e.Name(), at, err)
	}
	if err := res.State.Validate(); err != nil {
		t.Fatalf("%s: invalid result state: %v", e.Name(), err)
	}
	return res
}

// refused applies e at at and checks it is refused with sentinel and rule.
func refused(t *testing.T, m *Machine, tr Trade, s State, e Event, at time.Time, sentinel error, rule string) Result {
	t.Helper()
	res, err := m.ApplyAt(tr, s, e, at)
	if !errors.Is(err, sentinel) {
		t.Fatalf("%s at %v: err %v, want %v", e.Name(), at, err, sentinel)
	}
	var re *rules.RuleError
	if rule != "" && (!errors.As(err, &re) || re.Rule != rule) {
		t.Fatalf("%s at %v: err %v, want rule %s", e.Name(), at, err, rule)
	}
	if err := res.State.Validate(); err != nil {
		t.Fatalf("%s: invalid result state after refusal: %v", e.Name(), err)
	}
	return res
}

// filed returns the state after one complaint filed at t0.
func filed(t *testing.T, m *Machine) State {
	t.Helper()
	return apply(t, m, inTrade, State{}, filing(), t0).State
}

func kinds(effects []Effect) []string {
	var out []string
	for _, e := range effects {
		out = append(out, e.Kind())
	}
	return out
}
