package coupon

import "slices"

// assemble gives each order its best part, choosing which order each
// general coupon goes to (a coupon is used in one order, CPN-4) by an
// exact assignment over the orders that can take one.
// fixed, if not nil, gives the general coupon (or -1 for none) of some
// orders, which the assignment then leaves alone.
func (s *searcher) assemble(opts []orderOpts, xs []int, fixed map[int]int) *plan {
	m := s.m
	p := &plan{orders: make([][]int, len(m.stores)), cross: xs}
	assign := s.assignGenerals(opts, fixed)
	for o, g := range fixed {
		if g >= 0 {
			assign[o] = g
		}
	}
	for o := range m.stores {
		c := opts[o].noGen
		if g, ok := assign[o]; ok {
			c = opts[o].withGen[g]
		}
		p.orders[o] = slices.Clone(c.coupons)
	}
	return p
}

// gainOf is what general coupon g adds to order o over its best part
// without one: the value, then the change in coupon count.
func gainOf(opts []orderOpts, o, g int) (int64, int, bool) {
	c, ok := opts[o].withGen[g]
	if !ok {
		return 0, 0, false
	}
	dv := c.value - opts[o].noGen.value
	dn := len(c.coupons) - len(opts[o].noGen.coupons)
	if dv < 0 || (dv == 0 && dn >= 0) {
		return 0, 0, false
	}
	return dv, dn, true
}

// assignGenerals maps orders to the general coupon each uses. With at
// most one general coupon per order (the default count) and at most
// maxDPOrders orders that can use one, it is exact: a dynamic programme
// over the coupons (soonest-expiring first) and the set of orders filled.
func (s *searcher) assignGenerals(opts []orderOpts, fixed map[int]int) map[int]int {
	m := s.m
	var ords []int
	taken := map[int]bool{}
	for _, g := range fixed {
		taken[g] = true
	}
	for o := range opts {
		if _, ok := fixed[o]; ok {
			continue
		}
		for _, g := range s.generals {
			if taken[g] {
				continue
			}
			if _, _, ok := gainOf(opts, o, g); ok {
				ords = append(ords, o)
				break
			}
		}
	}
	out := map[int]int{}
	if len(ords) == 0 {
		return out
	}
	if m.pol.MaxGeneral > 1 || len(ords) > maxDPOrders {
		// Greedy: each order in turn takes its best remaining coupon; a
		// second general coupon in one order is not searched.
		s.exact = false
		used := map[int]bool{}
		for _, o := range ords {
			bg, bv, bn := -1, int64(0), 0
			for _, g := range s.generals {
				if dv, dn, ok := gainOf(opts, o, g); ok && !used[g] && !taken[g] && (bg < 0 || dv > bv || (dv == bv && dn < bn)) {
					bg, bv, bn = g, dv, dn
				}
			}
			if bg >= 0 {
				used[bg] = true
				out[o] = bg
			}
		}
		return out
	}
	// Only each order's len(ords) best coupons can matter: the others
	// hold at most len(ords)-1 of them.
	keep := map[int]bool{}
	for _, o := range ords {
		var gs []int
		for _, g := range s.generals {
			if _, _, ok := gainOf(opts, o, g); ok && !taken[g] {
				gs = append(gs, g)
			}
		}
		slices.SortStableFunc(gs, func(a, b int) int {
			va, na, _ := gainOf(opts, o, a)
			vb, nb, _ := gainOf(opts, o, b)
			if va != vb {
				if va > vb {
					return -1
				}
				return 1
			}
			return na - nb
		})
		for _, g := range gs[:min(len(gs), len(ords))] {
			keep[g] = true
		}
	}
	var gens []int
	for _, g := range s.generals {
		if keep[g] {
			gens = append(gens, g)
		}
	}
	type cell struct {
		v     int64
		n     int
		valid bool
	}
	full := 1 << len(ords)
	better := func(a, b cell) bool {
		if !b.valid {
			return a.valid
		}
		return a.valid && (a.v > b.v || (a.v == b.v && a.n < b.n))
	}
	dp := make([][]cell, len(gens)+1)
	from := make([][]int8, len(gens)+1) // order position taken by coupon i, or -1
	for i := range dp {
		dp[i] = make([]cell, full)
		from[i] = make([]int8, full)
	}
	dp[0][0] = cell{valid: true}
	for i, g := range gens {
		for mask := range full {
			cur := dp[i][mask]
			if !cur.valid {
				continue
			}
			if better(cur, dp[i+1][mask]) {
				dp[i+1][mask], from[i+1][mask] = cur, -1
			}
			for j, o := range ords {
				if mask&(1<<j) != 0 {
					continue
				}
				dv, dn, ok := gainOf(opts, o, g)
				if !ok {
					continue
				}
				nc := cell{v: cur.v + dv, n: cur.n + dn, valid: true}
				if better(nc, dp[i+1][mask|1<<j]) {
					dp[i+1][mask|1<<j], from[i+1][mask|1<<j] = nc, int8(j)
				}
			}
		}
	}
	bm := 0
	for mask := range full {
		if better(dp[len(gens)][mask], dp[len(gens)][bm]) {
			bm = mask
		}
	}
	for i := len(gens); i > 0; i-- {
		if j := from[i][bm]; j >= 0 {
			out[ords[j]] = gens[i-1]
			bm &^= 1 << j
		}
	}
	return out
}

// assembleAll considers the plans of cross-store coupons xs. When general
// coupons may share an order with a cross-store coupon, the orders it
// touches are capped together (the coupon and their parts cannot take
// more than their lines), so the gains of general coupons there do not
// add up: every assignment of general coupons to the touched orders is
// tried, and the other orders are assigned exactly for each.
func (s *searcher) assembleAll(opts []orderOpts, xs []int, touched []bool, consider func(*plan)) {
	m := s.m
	if len(xs) == 0 || !m.pol.CrossStoreWithGeneral || len(s.generals) == 0 {
		consider(s.assemble(opts, xs, nil))
		return
	}
	ts := touchedOrders(touched)
	// Each touched order: no general coupon, or one it can use.
	choices := make([][]int, len(ts))
	n := 1
	for i, o := range ts {
		choices[i] = []int{-1}
		for _, g := range s.generals {
			if _, ok := opts[o].withGen[g]; ok {
				choices[i] = append(choices[i], g)
			}
		}
		n *= len(choices[i])
		if n > s.budget {
			s.exact = false
			consider(s.assemble(opts, xs, nil))
			return
		}
	}
	product(choices, func(idx []int) {
		fixed := map[int]int{}
		dup := map[int]bool{}
		for i, o := range ts {
			g := choices[i][idx[i]]
			if g >= 0 {
				if dup[g] {
					return
				}
				dup[g] = true
			}
			fixed[o] = g
		}
		consider(s.assemble(opts, xs, fixed))
	})
}
