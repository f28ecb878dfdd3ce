//go:build !race

package order

import "testing"

// maxTradeAllocs is what the benchmark's trade allocates (BENCH.md).
const maxTradeAllocs = 42

// Allocation counts of the hot paths, so that a change that makes a
// call allocate more (a value that escapes to the heap, a list copied
// twice) is caught here. (Not under the race detector, which allocates
// on its own.)
func TestAllocs(t *testing.T) {
	m := New(Options{})
	c, steps := benchCart(), tradeSteps()
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	s := rs[0].State
	if n := testing.AllocsPerRun(100, func() { _ = s.Validate() }); n != 0 {
		t.Errorf("Validate of a new order: %v allocations, want 0", n)
	}
	for _, st := range steps {
		r, err := m.ApplyAt(s, st.e, st.at)
		if err != nil {
			t.Fatal(err)
		}
		s = r.State
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.Validate() }); n != 0 {
		t.Errorf("Validate of a trade with a refund and a complaint: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(20, func() { trade(t, m, c, steps) }); n > maxTradeAllocs {
		t.Errorf("the benchmark's trade: %v allocations, want at most %d", n, maxTradeAllocs)
	}
}
