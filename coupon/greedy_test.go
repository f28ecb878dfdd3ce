package coupon

import (
	"cmp"
	"slices"
)

// greedy is the baseline the peers use: take the usable coupons by
// descending value, each valued alone (its face capped at the amount it
// covers, in its best order for a general coupon), adding each one (in
// the first order it fits) while the combination stays valid. It is here for the benchmarks and
// the comparison in BENCH.md, not for use.
func (m *model) greedy() *plan {
	var cs []int
	for c := range m.coupons {
		if m.coupons[c].refusal == nil {
			cs = append(cs, c)
		}
	}
	alone := map[int]int64{}
	for _, c := range cs {
		mc := &m.coupons[c]
		var cover int64
		switch mc.cls {
		case clsGeneral:
			cover = slices.Max(m.storeTotal)
		default:
			cover = m.sum(mc.lines, m.amounts())
		}
		alone[c] = min(mc.face, cover)
	}
	slices.SortStableFunc(cs, func(a, b int) int { return cmp.Compare(alone[b], alone[a]) })
	p := &plan{orders: make([][]int, len(m.stores))}
	for _, c := range cs {
		switch m.coupons[c].cls {
		case clsCrossStore:
			p.cross = append(p.cross, c)
			if len(m.checkPlan(p)) > 0 {
				p.cross = p.cross[:len(p.cross)-1]
			}
		case clsGeneral:
			for o := range m.stores {
				p.orders[o] = append(p.orders[o], c)
				if len(m.checkPlan(p)) == 0 {
					break
				}
				p.orders[o] = p.orders[o][:len(p.orders[o])-1]
			}
		default:
			o := m.coupons[c].store
			p.orders[o] = append(p.orders[o], c)
			if len(m.checkPlan(p)) > 0 {
				p.orders[o] = p.orders[o][:len(p.orders[o])-1]
			}
		}
	}
	return p
}

func (m *model) amounts() []int64 {
	out := make([]int64, len(m.lines))
	for i, l := range m.lines {
		out[i] = l.amt
	}
	return out
}
