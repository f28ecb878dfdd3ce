//go:build !race

package dispute

import (
	"testing"
	"time"
)

// The allocations of the calls package order makes in a trade, so that a
// change that adds one is seen: a filing or a withdrawal allocates its
// block of decisions and effects (see reserve), the complaint list it
// changes and its boxed act; an advance with nothing due allocates
// nothing (the state is copied only on write). (Not under the race
// detector, which allocates on its own.)
func TestAllocs(t *testing.T) {
	m := New(Options{})
	f := Complain{Type: "product", Filer: Filer{Identity: "id", Contact: "138"}, Respondent: "s1",
		Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}
	var e Event = f // boxed once, as a host holds its event
	filed, err := m.ApplyAt(inTrade, State{}, e, t0)
	if err != nil {
		t.Fatal(err)
	}
	var w Event = Withdraw{Complaint: 1}
	at := t0.Add(time.Hour)
	for _, tc := range []struct {
		name string
		max  float64
		call func()
	}{
		{"file", 3, func() { sinkState = must(m.ApplyAt(inTrade, State{}, e, t0)) }},
		{"withdraw", 3, func() { sinkState = must(m.ApplyAt(inTrade, filed.State, w, at)) }},
		{"advance idle", 0, func() { sinkState = m.AdvanceAt(inTrade, filed.State, at).State }},
		{"validate", 0, func() { sinkErr = filed.State.Validate() }},
	} {
		if got := testing.AllocsPerRun(100, tc.call); got > tc.max {
			t.Errorf("%s: %v allocations, want at most %v", tc.name, got, tc.max)
		}
	}
}

var sinkErr error

func must(r Result, err error) State {
	if err != nil {
		panic(err)
	}
	return r.State
}
