package coupon

import "slices"

// assemble gives each order its best part, choosing which order each
// general coupon goes to (a coupon is used in one order, CPN-4) by an
// exact assignment (assignGenerals).
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

// assignGenerals maps orders to the general coupon each uses, exactly,
// for any number of orders and coupons: each coupon goes to at most one
// order (CPN-4) and each order takes at most one (the default count; a
// policy allowing more is not searched, see newSearcher). This is the
// assignment problem, solved by the Hungarian method (assignMin) on the
// orders × (coupons + one "none" column per order) matrix whose cost is
// (−gain, change in coupon count) where the coupon gains something and
// zero elsewhere: the largest total gain, then the fewest coupons. Orders
// in fixed, and the coupons they hold, are left out.
func (s *searcher) assignGenerals(opts []orderOpts, fixed map[int]int) map[int]int {
	taken := map[int]bool{}
	for _, g := range fixed {
		taken[g] = true
	}
	var gens, ords []int
	for o := range opts {
		if _, ok := fixed[o]; ok {
			continue
		}
		for _, g := range s.generals {
			if _, _, ok := gainOf(opts, o, g); ok && !taken[g] {
				ords = append(ords, o)
				break
			}
		}
	}
	for _, g := range s.generals {
		if taken[g] {
			continue
		}
		for _, o := range ords {
			if _, _, ok := gainOf(opts, o, g); ok {
				gens = append(gens, g)
				break
			}
		}
	}
	out := map[int]int{}
	if len(ords) == 0 {
		return out
	}
	costs := make([]lexCost, len(ords)*len(gens))
	gains := make([]bool, len(ords)*len(gens))
	for i, o := range ords {
		for j, g := range gens {
			if dv, dn, ok := gainOf(opts, o, g); ok {
				costs[i*len(gens)+j], gains[i*len(gens)+j] = lexCost{-dv, int64(dn)}, true
			}
		}
	}
	cost := func(i, j int) lexCost {
		if j < len(gens) {
			return costs[i*len(gens)+j]
		}
		return lexCost{}
	}
	for i, j := range assignMin(len(ords), len(gens)+len(ords), cost) {
		if j < len(gens) && gains[i*len(gens)+j] {
			out[ords[i]] = gens[j]
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
