package coupon

import (
	"cmp"
	"fmt"
	"slices"
)

// bestTargeted returns the best set of targeted coupons of order o given
// its shop coupons (which matter to after-shop thresholds only) and the
// flow value they reach. Threshold-free coupons only add (a maximum flow
// never drops when a source edge is added), so all of them are used when
// the count allows; the search is over the threshold targeted coupons.
// Coupons that carry no flow are dropped.
func (s *searcher) bestTargeted(o int, shops []int) cand {
	m, pol := s.m, s.m.pol
	shopsOf := func(int) []int { return shops }
	var thr []int
	for _, c := range s.perStore[clsTargetedThreshold][o] {
		if m.base(c, o, shopsOf) >= m.coupons[c].thr {
			thr = append(thr, c)
		}
	}
	// Keyed by indices: IDs are free text ("a, b" would collide with
	// the list "a", "b").
	key := fmt.Sprint(o, thr)
	if c, ok := s.tcache[key]; ok {
		return c
	}
	free := s.perStore[clsTargetedFree][o]
	amt := make([]int64, len(m.lines))
	for i, l := range m.lines {
		amt[i] = l.amt
	}
	var best cand
	first := true
	eval := func(hs []int) {
		fs := s.chooseFree(free, hs, amt)
		cs := concat(fs, hs)
		m.couponOrder(cs)
		v, shares := m.targetedFlow(cs, amt, true)
		kept := cs[:0:0]
		for i, c := range cs {
			var d int64
			for _, x := range shares[i] {
				d += x
			}
			if d > 0 {
				kept = append(kept, c)
			}
		}
		c := cand{value: v, coupons: kept}
		if first || m.better(c, best) {
			best, first = c, false
		}
	}
	eval(nil)
	k := min(len(thr), pol.MaxTargetedThreshold)
	if k > 0 {
		fn := eval
		if !pol.TargetedFreeWithThreshold {
			fn = func(hs []int) {
				saved := free
				free = nil
				eval(hs)
				free = saved
			}
		}
		// Supersets never take less, so only the largest allowed size.
		if !s.subsets(thr, k, k, fn) {
			s.exact = false
			fn(thr[:k])
		}
	}
	s.tcache[key] = best
	return best
}

// chooseFree returns the threshold-free targeted coupons to use beside
// the threshold ones hs: all of them when the count allows; else the best
// subset of the allowed size by exhaustive search when that is within
// budget; else a greedy choice by largest marginal flow (not proven
// optimal: Exact is then false).
func (s *searcher) chooseFree(free, hs []int, amt []int64) []int {
	m := s.m
	k := m.pol.MaxTargetedFree
	if len(free) <= k {
		return free
	}
	var best cand
	first := true
	ok := s.subsets(free, k, k, func(fs []int) {
		v, _ := m.targetedFlow(concat(fs, hs), amt, false)
		c := cand{value: v, coupons: fs}
		if first || m.better(c, best) {
			best, first = c, false
		}
	})
	if ok {
		return best.coupons
	}
	return s.groupGreedy(free, hs, amt, k)
}

// groupGreedy chooses k of the threshold-free targeted coupons free,
// beside the threshold ones hs, when there are too many subsets to try.
// Coupons covering the same lines form a group; when every two groups
// (and hs) cover identical or disjoint lines, a group's value is
// min(its lines' amount, the faces used in it), which is concave in the
// number of coupons taken from it (largest faces first), and taking the
// largest marginal gain k times is optimal (separable concave resource
// allocation). Otherwise the same greedy is used but not proven optimal,
// and Exact becomes false.
func (s *searcher) groupGreedy(free, hs []int, amt []int64, k int) []int {
	m := s.m
	type group struct {
		lines   []int
		cap     int64
		used    int64
		coupons []int
	}
	var groups []*group
	byKey := map[string]*group{}
	owner := map[int]*group{}
	laminar := true
	key := func(lines []int) string {
		b := make([]byte, 0, 4*len(lines))
		for _, l := range lines {
			b = append(b, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
		}
		return string(b)
	}
	groupOf := func(c int) *group {
		lines := m.coupons[c].lines
		k := key(lines)
		if g, ok := byKey[k]; ok {
			return g
		}
		g := &group{lines: lines}
		for _, l := range lines {
			g.cap += amt[l]
			if owner[l] != nil {
				laminar = false
			}
			owner[l] = g
		}
		byKey[k] = g
		groups = append(groups, g)
		return g
	}
	for _, c := range hs {
		g := groupOf(c)
		g.used += m.coupons[c].face
	}
	for _, c := range free {
		g := groupOf(c)
		g.coupons = append(g.coupons, c)
	}
	if !laminar {
		s.exact = false
	}
	for _, g := range groups {
		slices.SortStableFunc(g.coupons, func(a, b int) int { return cmp.Compare(m.coupons[b].face, m.coupons[a].face) })
	}
	var chosen []int
	for len(chosen) < k {
		var bg *group
		var bv int64
		for _, g := range groups {
			if len(g.coupons) == 0 {
				continue
			}
			if v := min(m.coupons[g.coupons[0]].face, max(0, g.cap-g.used)); v > bv {
				bg, bv = g, v
			}
		}
		if bg == nil {
			break
		}
		c := bg.coupons[0]
		bg.coupons = bg.coupons[1:]
		bg.used += m.coupons[c].face
		chosen = append(chosen, c)
	}
	return chosen
}
