package coupon

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// These properties check, against direct computation, the facts the
// search relies on (see the package documentation, "Best combination").

// drawTargetedModel draws a one-store model with targeted coupons over
// random subsets of its lines; single makes every coupon cover one line.
func drawTargetedModel(t *rapid.T, single bool) (*model, []int64) {
	pol, err := ReadPolicy(DefaultPolicy().Latest())
	if err != nil {
		t.Fatal(err)
	}
	m := &model{pol: &pol, stores: []string{"A"}, storeLines: [][]int{nil}, storeTotal: []int64{0}}
	nl := rapid.IntRange(1, 5).Draw(t, "lines")
	amt := make([]int64, nl)
	for l := range nl {
		amt[l] = rapid.Int64Range(0, 50).Draw(t, "amount")
		m.lines = append(m.lines, mline{id: fmt.Sprint(l), amt: amt[l]})
		m.storeLines[0] = append(m.storeLines[0], l)
		m.storeTotal[0] += amt[l]
	}
	nc := rapid.IntRange(0, 7).Draw(t, "coupons")
	for c := range nc {
		var lines []int
		if single {
			lines = []int{rapid.IntRange(0, nl-1).Draw(t, "line")}
		} else {
			for l := range nl {
				if rapid.Bool().Draw(t, "covers") {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				lines = []int{0}
			}
		}
		m.coupons = append(m.coupons, mcoupon{id: fmt.Sprintf("c%d", c), cls: clsTargetedFree, face: rapid.Int64Range(1, 60).Draw(t, "face"), lines: lines, store: 0})
	}
	return m, amt
}

func all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// A coupon covering every line adds min(its face, what the others leave):
// maxflow(N + u) = min(maxflow(N) + f_u, Σ a_l). This is why general,
// shop and cross-store coupons need no search and can be applied after
// the targeted ones on what is left.
func TestCoverAllClosedForm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m, amt := drawTargetedModel(t, false)
		n := len(m.coupons)
		base, _ := m.targetedFlow(all(n), amt, false)
		u := rapid.Int64Range(1, 200).Draw(t, "u")
		m.coupons = append(m.coupons, mcoupon{id: "u", face: u, lines: all(len(m.lines))})
		with, _ := m.targetedFlow(all(n+1), amt, false)
		if want := min(base+u, m.storeTotal[0]); with != want {
			t.Fatalf("maxflow(N+u) = %d, want min(%d+%d, %d)", with, base, u, m.storeTotal[0])
		}
	})
}

// Adding a threshold-free targeted coupon never lowers the maximum flow,
// so all of them are used when the count allows.
func TestTargetedMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m, amt := drawTargetedModel(t, false)
		n := len(m.coupons)
		if n == 0 {
			return
		}
		drop := rapid.IntRange(0, n-1).Draw(t, "drop")
		var fewer []int
		for c := range n {
			if c != drop {
				fewer = append(fewer, c)
			}
		}
		a, _ := m.targetedFlow(fewer, amt, false)
		b, _ := m.targetedFlow(all(n), amt, false)
		if b < a {
			t.Fatalf("adding coupon %d lowered the flow from %d to %d", drop, a, b)
		}
	})
}

// The flow's shares are an exact allocation: each coupon's shares sum to
// at most its face and each line's to at most its amount.
func TestFlowShares(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m, amt := drawTargetedModel(t, false)
		total, shares := m.targetedFlow(all(len(m.coupons)), amt, true)
		perLine := make([]int64, len(amt))
		var sum int64
		for i, sh := range shares {
			var d int64
			for j, x := range sh {
				d += x
				perLine[m.coupons[i].lines[j]] += x
			}
			if d > m.coupons[i].face {
				t.Fatalf("coupon %d takes %d above its face %d", i, d, m.coupons[i].face)
			}
			sum += d
		}
		for l, x := range perLine {
			if x > amt[l] {
				t.Fatalf("line %d discounted %d above %d", l, x, amt[l])
			}
		}
		if sum != total {
			t.Fatalf("shares sum %d, flow %d", sum, total)
		}
	})
}

// With more threshold-free targeted coupons than the count allows and
// too many subsets to try, the group greedy equals the exhaustive best
// when coupons cover identical or disjoint lines (here: one line each),
// and is never reported exact otherwise.
func TestGroupGreedyOptimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		single := rapid.Bool().Draw(t, "single")
		m, amt := drawTargetedModel(t, single)
		k := rapid.IntRange(0, len(m.coupons)).Draw(t, "k")
		m.pol.MaxTargetedFree = k
		free := all(len(m.coupons))
		exh := newSearcher(m)
		exh.budget = 1 << 20
		want, _ := m.targetedFlow(exh.chooseFree(free, nil, amt), amt, false)
		gr := newSearcher(m)
		gr.budget = 0
		got, _ := m.targetedFlow(gr.chooseFree(free, nil, amt), amt, false)
		if got > want || (gr.exact && got != want) {
			t.Fatalf("group greedy %d (exact %v), exhaustive %d", got, gr.exact, want)
		}
		if single && len(free) > k && !gr.exact {
			t.Fatalf("single-line coupons reported inexact")
		}
	})
}
