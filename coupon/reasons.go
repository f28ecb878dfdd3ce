package coupon

import (
	"slices"

	"github.com/tradepolicy/tradepolicy/rules"
)

// leftOut says why each wallet coupon not in p was left out.
func (m *model) leftOut(p *plan, total int64) []Violation {
	in := map[int]bool{}
	for _, c := range p.all() {
		in[c] = true
	}
	out := []Violation{}
	for c := range m.coupons {
		if in[c] {
			continue
		}
		mc := &m.coupons[c]
		if mc.refusal != nil {
			out = append(out, Violation{Coupon: mc.id, Err: mc.refusal})
			continue
		}
		var orders []int
		switch mc.cls {
		case clsGeneral:
			for o := range m.stores {
				orders = append(orders, o)
			}
		case clsCrossStore:
			orders = []int{-1}
		default:
			orders = []int{mc.store}
		}
		var chosen *rules.RuleError
		for _, o := range orders {
			e := m.reasonIn(p, c, o, total)
			if chosen == nil || closeness(e.Err) > closeness(chosen.Err) {
				chosen = e
			}
		}
		out = append(out, Violation{Coupon: mc.id, Err: chosen})
	}
	return out
}

// reasonIn says why coupon c is not used in order o of p (o = -1 for a
// cross-store coupon, which covers its stores).
func (m *model) reasonIn(p *plan, c, o int, total int64) *rules.RuleError {
	mc := &m.coupons[c]
	var present [numClasses][]int
	orders := []int{o}
	if o < 0 {
		orders = mc.stores
		present[clsCrossStore] = p.cross
	}
	for _, st := range orders {
		for _, x := range p.orders[st] {
			present[m.coupons[x].cls] = append(present[m.coupons[x].cls], x)
		}
		for _, x := range p.cross {
			if o >= 0 && slices.Contains(m.coupons[x].stores, st) && !slices.Contains(present[clsCrossStore], x) {
				present[clsCrossStore] = append(present[clsCrossStore], x)
			}
		}
	}
	for b := clsGeneral; b < numClasses; b++ {
		if b == mc.cls || len(present[b]) == 0 {
			continue
		}
		if ok, rule := m.pol.compatible(mc.cls, b); !ok {
			return rules.Refuse(rule, ErrIncompatible, "coupon %s: %s coupons do not combine with the chosen %s coupons (%s)", mc.id, mc.cls, b, m.idList(present[b]))
		}
	}
	if max, rule := m.pol.limit(mc.cls); len(present[mc.cls]) >= max {
		return rules.Refuse(rule, ErrTooMany, "coupon %s: the limit of %d %s coupons is taken by %s", mc.id, max, mc.cls, m.idList(present[mc.cls]))
	}
	if v, ok := m.thresholdViolation(c, max(o, 0), p.shopsOf(m)); !ok {
		return v.Err
	}
	return rules.Refuse("CPN-4", ErrNoGain, "coupon %s: the best combination (total %s) does not gain from it", mc.id, fen(total))
}

// closeness ranks reasons by how near the coupon came to being used, so
// that a general coupon, which could go to any order, reports the order
// where it came nearest.
func closeness(err error) int {
	switch err {
	case ErrNoGain:
		return 3
	case ErrThresholdNotMet:
		return 2
	case ErrTooMany:
		return 1
	}
	return 0
}
