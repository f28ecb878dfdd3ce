package coupon

import (
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Choice is the best combination of a wallet's coupons for a cart.
type Choice struct {
	// Uses is the combination: pass it to Check or Allocate as it is.
	Uses []Use `json:"uses"`
	// Allocation is its discount, allocated to the lines.
	Allocation Allocation `json:"allocation"`
	// LeftOut says, for every wallet coupon not in Uses, why: a coupon
	// that cannot be used at all (CPN-1, CPN-7), a threshold not met, a
	// kind that does not combine with the chosen ones (CPN-2, CPN-5), a
	// count already reached (CPN-3), or no gain (CPN-4). In wallet order.
	LeftOut []Violation `json:"left_out"`
	// Exact is true when the total is proven maximal. It is false only in
	// the cases the package documentation lists under "Best combination".
	Exact bool `json:"exact"`
	// Decisions are the policy values that shaped the search.
	Decisions []rules.Decision `json:"decisions"`
}

// Search budgets: how many subsets the exact search may enumerate before
// it falls back to a documented greedy step (and reports Exact = false).
// These bound running time; they are not policy.
const subsetBudget = 4096

// cand is a combination (or the part of one in one order) and its value.
type cand struct {
	value   int64
	coupons []int
}

func (m *model) better(a, b cand) bool {
	if a.value != b.value {
		return a.value > b.value
	}
	return m.tieCompare(a.coupons, b.coupons) < 0
}

type searcher struct {
	m     *model
	exact bool
	// usable coupons by class, per store for shop and targeted ones,
	// soonest-expiring first.
	perStore [numClasses][][]int
	generals []int
	cross    []int
	tcache   map[string]cand
	budget   int // subsets the search may enumerate before a fallback
}

// Best is BestAt at the clock's now.
func (e *Engine) Best(cart Cart, w Wallet) (Choice, error) { return e.BestAt(cart, w, e.now()) }

// BestAt finds the combination of the wallet's coupons with the largest
// total discount for the cart at instant now that obeys CPN-1 … CPN-5,
// breaking ties as the package documentation says, and says why every
// other coupon was left out. An error is returned only for a malformed
// cart or wallet (wrapping ErrInvalid).
func (e *Engine) BestAt(cart Cart, w Wallet, now time.Time) (Choice, error) {
	m, err := e.prepare(cart, w, now)
	if err != nil {
		return Choice{}, err
	}
	s := newSearcher(m)
	p := s.search()
	a := m.allocate(p)
	ch := Choice{Uses: m.uses(p), Allocation: m.export(a), LeftOut: m.leftOut(p, a.total), Exact: s.exact}
	if _, d, err := rules.Explain(e.set.In(now), keyThresholdBase); err == nil {
		ch.Decisions = append(ch.Decisions, d)
	}
	if !s.exact {
		ch.Decisions = append(ch.Decisions, rules.Decision{Rule: "CPN-3", Policy: schema.Policy(), Version: m.pol.Version,
			Note: "search budget reached: the total is the best found, not proven maximal"})
	}
	return ch, nil
}

func newSearcher(m *model) *searcher {
	s := &searcher{m: m, exact: true, tcache: map[string]cand{}, budget: subsetBudget}
	for cl := range s.perStore {
		s.perStore[cl] = make([][]int, len(m.stores))
	}
	for c := range m.coupons {
		mc := &m.coupons[c]
		if mc.refusal != nil {
			continue
		}
		switch mc.cls {
		case clsGeneral:
			s.generals = append(s.generals, c)
		case clsCrossStore:
			s.cross = append(s.cross, c)
		case clsShop:
			// A shop coupon's threshold is judged on the list amount, so it
			// is known here.
			if mc.thr <= m.storeTotal[mc.store] {
				s.perStore[mc.cls][mc.store] = append(s.perStore[mc.cls][mc.store], c)
			}
		default:
			s.perStore[mc.cls][mc.store] = append(s.perStore[mc.cls][mc.store], c)
		}
	}
	m.couponOrder(s.generals)
	m.couponOrder(s.cross)
	if m.pol.MaxGeneral > 1 && len(s.generals) > 1 {
		s.exact = false // several general coupons in one order are not searched
	}
	for cl := range s.perStore {
		for _, cs := range s.perStore[cl] {
			m.couponOrder(cs)
		}
	}
	return s
}

// subsets calls f with every subset of xs of size lo..hi, in a fixed
// order, and reports false if there were more than budget of them (then
// f saw none).
func (s *searcher) subsets(xs []int, lo, hi int, f func([]int)) bool {
	hi = min(hi, len(xs))
	total := 0
	for k := lo; k <= hi; k++ {
		total += binom(len(xs), k)
		if total > s.budget {
			return false
		}
	}
	var cur []int
	var rec func(start, k int)
	rec = func(start, k int) {
		if k == 0 {
			f(slices.Clone(cur))
			return
		}
		for i := start; i <= len(xs)-k; i++ {
			cur = append(cur, xs[i])
			rec(i+1, k-1)
			cur = cur[:len(cur)-1]
		}
	}
	for k := lo; k <= hi; k++ {
		rec(0, k)
	}
	return true
}

func binom(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
		if r > 1<<30 {
			return 1 << 30
		}
	}
	return r
}

// search returns the best plan.
func (s *searcher) search() *plan {
	m := s.m
	var best *plan
	var bestVal cand
	consider := func(p *plan) {
		if len(m.checkPlan(p)) > 0 {
			return
		}
		c := cand{value: m.allocate(p).total, coupons: p.all()}
		if best == nil || m.better(c, bestVal) {
			best, bestVal = p, c
		}
	}
	ok := s.subsets(s.cross, 0, m.pol.MaxCrossStore, func(xs []int) {
		s.withCross(xs, consider)
	})
	if !ok {
		s.exact = false
		s.subsets(s.cross, 0, min(1, m.pol.MaxCrossStore), func(xs []int) { s.withCross(xs, consider) })
	}
	if best == nil { // cannot happen: the empty plan is always valid
		best = &plan{orders: make([][]int, len(m.stores))}
	}
	return best
}

// orderOpts is what one order can do: its best part without a general
// coupon and, per general coupon, its best part with it.
type orderOpts struct {
	noGen   cand
	withGen map[int]cand
}

// withCross considers the plans whose cross-store coupons are xs.
func (s *searcher) withCross(xs []int, consider func(*plan)) {
	m := s.m
	touched := make([]bool, len(m.stores))
	for _, x := range xs {
		for _, st := range m.coupons[x].stores {
			touched[st] = true
		}
	}
	opts := make([]orderOpts, len(m.stores))
	for o := range m.stores {
		opts[o] = s.orderOptions(o, touched[o], false, nil)
	}
	p := s.assemble(opts, xs, nil)
	if len(m.checkPlan(p)) == 0 || len(xs) == 0 || m.pol.ThresholdBase != BaseAfterShop {
		s.assembleAll(opts, xs, touched, consider)
		return
	}
	// After-shop thresholds of the cross-store coupons depend on the shop
	// coupons of the orders they touch: try every choice of those.
	ts := touchedOrders(touched)
	choices := make([][][]int, len(ts))
	n := 1
	for i, o := range ts {
		s.subsets(s.perStore[clsShop][o], 0, m.pol.MaxShop, func(sh []int) { choices[i] = append(choices[i], sh) })
		n *= max(1, len(choices[i]))
		if n > s.budget {
			s.exact = false
			consider(p)
			return
		}
	}
	product(choices, func(idx []int) {
		for i, o := range ts {
			opts[o] = s.orderOptions(o, true, true, choices[i][idx[i]])
		}
		s.assembleAll(opts, xs, touched, consider)
	})
}

// product calls f with every choice of one index per list, the first
// index varying fastest.
func product[T any](lists [][]T, f func(idx []int)) {
	idx := make([]int, len(lists))
	for {
		f(idx)
		i := 0
		for ; i < len(lists); i++ {
			idx[i]++
			if idx[i] < len(lists[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(lists) {
			return
		}
	}
}

// touchedOrders lists the orders a cross-store choice covers.
func touchedOrders(touched []bool) []int {
	var ts []int
	for o, t := range touched {
		if t {
			ts = append(ts, o)
		}
	}
	return ts
}

// orderOptions computes order o's options. touched says a cross-store
// coupon covers it; if fixed, fixedShops is its only shop choice.
func (s *searcher) orderOptions(o int, touched, fixed bool, fixedShops []int) orderOpts {
	m, pol := s.m, s.m.pol
	E := m.storeTotal[o]
	res := orderOpts{withGen: map[int]cand{}}
	first := true
	offer := func(c cand) {
		if first || m.better(c, res.noGen) {
			res.noGen, first = c, false
		}
	}
	offerGen := func(g int, c cand) {
		if old, ok := res.withGen[g]; !ok || m.better(c, old) {
			res.withGen[g] = c
		}
	}
	try := func(shops []int) {
		if touched && len(shops) > 0 && !pol.CrossStoreWithShop {
			return
		}
		var F int64
		for _, c := range shops {
			F += m.coupons[c].face
		}
		shopsOf := func(int) []int { return shops }
		offer(cand{value: min(F, E), coupons: shops})
		var t cand
		if (len(shops) == 0 || pol.TargetedWithShop) && (!touched || pol.CrossStoreWithTargeted) {
			t = s.bestTargeted(o, shops)
			if len(t.coupons) > 0 {
				offer(cand{value: min(t.value+F, E), coupons: concat(shops, t.coupons)})
			}
		}
		if (len(shops) > 0 && !pol.GeneralWithShop) || (touched && !pol.CrossStoreWithGeneral) || pol.MaxGeneral < 1 {
			return
		}
		for _, g := range s.generals {
			if m.coupons[g].thr > 0 && m.base(g, o, shopsOf) < m.coupons[g].thr {
				continue
			}
			fg := m.coupons[g].face
			offerGen(g, cand{value: min(F+fg, E), coupons: concat(shops, []int{g})})
			if pol.GeneralWithTargeted && len(t.coupons) > 0 {
				offerGen(g, cand{value: min(t.value+F+fg, E), coupons: concat(shops, t.coupons, []int{g})})
			}
		}
	}
	if fixed {
		try(fixedShops)
	} else if !s.subsets(s.perStore[clsShop][o], 0, pol.MaxShop, try) {
		s.exact = false
		shops := s.perStore[clsShop][o]
		try(shops[:min(len(shops), pol.MaxShop)])
	}
	return res
}

func concat(parts ...[]int) []int {
	var out []int
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
