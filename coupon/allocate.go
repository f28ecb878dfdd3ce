package coupon

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Allocation is what a combination of coupons takes off a cart, line by
// line: the value an order stores at payment so that a refund of some
// lines knows what was paid for them (RFD-10). Every amount is exact to
// the fen; each coupon's line shares sum to its discount, and no line is
// discounted below zero.
type Allocation struct {
	Total   decimal.Decimal  `json:"total"`   // the sum of the coupons' discounts
	Coupons []CouponDiscount `json:"coupons"` // in the order applied: targeted, shop, general, cross-store
	Lines   []LineDiscount   `json:"lines"`   // every cart line, in cart order
	// ExcludeFromCouponBack records the policy in force (CPN-4): whether
	// coupon amounts are left out of coupon-back activity bases.
	ExcludeFromCouponBack bool `json:"exclude_from_coupon_back"`
	// Version is the date of the coupon policy version in force at At,
	// the checkout instant (UTC): the version pinned for the checkout,
	// which judges every give-back of its coupons (CPN-6, CPN-7).
	Version string    `json:"version"`
	At      time.Time `json:"at"`
}

// CouponDiscount is one coupon's discount and where it went.
type CouponDiscount struct {
	Coupon   string          `json:"coupon"`
	Kind     Kind            `json:"kind"`
	Discount decimal.Decimal `json:"discount"` // at most its face (no change, CPN-4)
	Stores   []StoreShare    `json:"stores"`   // per order it is used in, in cart order; one unless cross-store (CPN-5)
	Lines    []LineShare     `json:"lines"`    // lines with a non-zero share, in cart order
	// ValidUntil is the coupon's expiry (UTC; zero: none), which decides
	// at a give-back whether it can be used again (CPN-7).
	ValidUntil time.Time `json:"valid_until,omitzero"`
}

// StoreShare is a coupon's share of one order (store).
type StoreShare struct {
	Store  string          `json:"store"`
	Amount decimal.Decimal `json:"amount"`
}

// LineShare is a coupon's share of one line.
type LineShare struct {
	Line   string          `json:"line"`
	Amount decimal.Decimal `json:"amount"`
}

// LineDiscount is a line's amount, the coupon discount allocated to it
// and what is left to pay.
type LineDiscount struct {
	Line     string          `json:"line"`
	Store    string          `json:"store"`
	Amount   decimal.Decimal `json:"amount"`
	Discount decimal.Decimal `json:"discount"`
	Net      decimal.Decimal `json:"net"`
}

// CouponBackBase returns the base of a coupon-back (返券) activity over
// the lines of store ("" for the whole cart): their amounts less the
// coupon discounts allocated to them, or their full amounts if the policy
// in force did not exclude coupon amounts (CPN-4).
func (a Allocation) CouponBackBase(store string) decimal.Decimal {
	var sum int64
	for _, l := range a.Lines {
		if store != "" && l.Store != store {
			continue
		}
		x := l.Net
		if !a.ExcludeFromCouponBack {
			x = l.Amount
		}
		f, _ := money.ToFen(x)
		sum += f
	}
	return money.FromFen(sum)
}

// alloc is an allocation in fen: per coupon of the plan, its share of
// every line.
type alloc struct {
	coupons []int
	stores  [][]int   // stores[i]: the orders coupon i is used in
	shares  [][]int64 // shares[i][line]
	total   int64
}

// allocate spreads the plan's coupons over the lines. Targeted coupons go
// first (a maximum flow per order), then shop coupons, then general
// coupons, then cross-store coupons, each over what the earlier ones left
// of its lines in proportion to it, largest remainder to the fen. A
// cross-store coupon is first apportioned over its stores in proportion
// to their eligible (list) amounts, no store getting more than is left of
// it (CPN-5 reading, see apportion), then over each store's lines.
// Every later coupon covers all the lines of the orders it touches, so
// this order reaches the maximum total: see the package documentation.
func (m *model) allocate(p *plan) alloc {
	resid := make([]int64, len(m.lines))
	for i, l := range m.lines {
		resid[i] = l.amt
	}
	// Within an order, coupons are applied soonest-expiring first (then
	// by ID), whatever order they were given in: the allocation of a
	// combination does not depend on the order of its uses, so Allocate
	// of Best's Uses gives Best's Allocation.
	orders := make([][]int, len(p.orders))
	for o, cs := range p.orders {
		orders[o] = slices.Clone(cs)
		m.couponOrder(orders[o])
	}
	var a alloc
	put := func(c int, stores []int, sh []int64) {
		a.coupons = append(a.coupons, c)
		a.stores = append(a.stores, stores)
		a.shares = append(a.shares, sh)
		for l, x := range sh {
			resid[l] -= x
			a.total += x
		}
	}
	// 1. Targeted coupons, per order.
	for o, cs := range orders {
		var ts []int
		for _, c := range cs {
			if cl := m.coupons[c].cls; cl == clsTargetedFree || cl == clsTargetedThreshold {
				ts = append(ts, c)
			}
		}
		for i, sh := range m.targetedShares(ts, resid) {
			put(ts[i], []int{o}, sh)
		}
	}
	// 2. Shop, 3. general coupons, per order.
	for _, want := range []class{clsShop, clsGeneral} {
		for o, cs := range orders {
			for _, c := range cs {
				if m.coupons[c].cls == want {
					put(c, []int{o}, m.spread(m.coupons[c].face, m.storeLines[o], resid))
				}
			}
		}
	}
	// 4. Cross-store coupons over their stores, those covering fewer
	// stores first (then by ID), whatever order they were given in.
	cross := slices.Clone(p.cross)
	slices.SortFunc(cross, func(a, b int) int {
		if d := len(m.coupons[a].stores) - len(m.coupons[b].stores); d != 0 {
			return d
		}
		return strings.Compare(m.coupons[a].id, m.coupons[b].id)
	})
	for _, c := range cross {
		mc := &m.coupons[c]
		eligible := make([]int64, len(mc.stores))
		storeResid := make([]int64, len(mc.stores))
		var left int64
		for i, s := range mc.stores {
			eligible[i] = m.storeTotal[s]
			storeResid[i] = m.sum(m.storeLines[s], resid)
			left += storeResid[i]
		}
		d := min(mc.face, left)
		sh := make([]int64, len(m.lines))
		for i, part := range apportion(d, eligible, storeResid) {
			s := mc.stores[i]
			for l, x := range m.spread(part, m.storeLines[s], resid) {
				sh[l] += x
			}
		}
		put(c, mc.stores, sh)
	}
	return a
}

// apportion splits total over orders in proportion to their eligible
// amounts (the CPN-5 reading), largest remainder to the fen, with no order
// given more than its cap (what earlier coupons left of it): an order whose
// share would pass its cap gets the cap, and the rest is split again over
// the other orders in the same proportion. It requires total <= sum(caps)
// and caps[i] <= weights[i]; the parts then sum exactly to total.
func apportion(total int64, weights, caps []int64) []int64 {
	parts := make([]int64, len(weights))
	active := make([]int, len(weights))
	for i := range active {
		active[i] = i
	}
	for total > 0 && len(active) > 0 {
		w := make([]int64, len(active))
		for k, i := range active {
			w[k] = weights[i]
		}
		split := money.AllocateFen(total, w)
		var next []int
		for k, i := range active {
			if split[k] > caps[i] {
				parts[i] = caps[i]
				total -= caps[i]
			} else {
				next = append(next, i)
			}
		}
		if len(next) == len(active) {
			for k, i := range active {
				parts[i] = split[k]
			}
			return parts
		}
		active = next
	}
	return parts
}

// spread allocates min(face, what is left of lines) over lines in
// proportion to what is left of each, and returns the shares by line
// index over all the cart's lines.
func (m *model) spread(face int64, lines []int, resid []int64) []int64 {
	sh := make([]int64, len(m.lines))
	w := make([]int64, len(lines))
	var left int64
	for i, l := range lines {
		w[i] = resid[l]
		left += resid[l]
	}
	for i, x := range money.AllocateFenCapped(min(face, left), w) {
		sh[lines[i]] = x
	}
	return sh
}

// targetedShares allocates the targeted coupons ts of one order by a
// maximum flow. A coupon whose lines no other coupon of ts covers is then
// re-spread over them in proportion to their amounts, which keeps the
// total and reads better on a refund.
func (m *model) targetedShares(ts []int, resid []int64) [][]int64 {
	if len(ts) == 0 {
		return nil
	}
	_, flows := m.targetedFlow(ts, resid, true)
	cover := map[int]int{}
	for _, c := range ts {
		for _, l := range m.coupons[c].lines {
			cover[l]++
		}
	}
	out := make([][]int64, len(ts))
	for i, c := range ts {
		lines := m.coupons[c].lines
		sh := make([]int64, len(m.lines))
		var d int64
		alone := true
		for j, l := range lines {
			sh[l] = flows[i][j]
			d += flows[i][j]
			alone = alone && cover[l] == 1
		}
		if alone {
			sh = m.spread(d, lines, resid)
		}
		out[i] = sh
	}
	return out
}

// export converts an allocation in fen to its public form.
func (m *model) export(a alloc) Allocation {
	out := Allocation{Total: money.FromFen(a.total), ExcludeFromCouponBack: m.pol.ExcludeFromCouponBack, Version: m.pol.Version, At: m.at}
	lineDisc := make([]int64, len(m.lines))
	for i, c := range a.coupons {
		mc := &m.coupons[c]
		cd := CouponDiscount{Coupon: mc.id, Kind: mc.kind, Stores: []StoreShare{}, Lines: []LineShare{}, ValidUntil: utc(mc.expiry)}
		storeSum := make([]int64, len(m.stores))
		var d int64
		for l, x := range a.shares[i] {
			if x == 0 {
				continue
			}
			d += x
			lineDisc[l] += x
			storeSum[m.lines[l].store] += x
			cd.Lines = append(cd.Lines, LineShare{Line: m.lines[l].id, Amount: money.FromFen(x)})
		}
		// Every order the coupon is used in, even one it took nothing
		// from: the coupon is used there (CPN-4), and goes back only
		// with it (CPN-6, CPN-7).
		in := slices.Clone(a.stores[i])
		slices.Sort(in)
		for _, s := range in {
			cd.Stores = append(cd.Stores, StoreShare{Store: m.stores[s], Amount: money.FromFen(storeSum[s])})
		}
		cd.Discount = money.FromFen(d)
		out.Coupons = append(out.Coupons, cd)
	}
	out.Lines = make([]LineDiscount, len(m.lines))
	for l, ml := range m.lines {
		out.Lines[l] = LineDiscount{Line: ml.id, Store: m.stores[ml.store], Amount: money.FromFen(ml.amt),
			Discount: money.FromFen(lineDisc[l]), Net: money.FromFen(ml.amt - lineDisc[l])}
	}
	if out.Coupons == nil {
		out.Coupons = []CouponDiscount{}
	}
	return out
}

// uses lists the plan as uses: per store in cart order, by class
// (general, targeted, shop), then cross-store coupons; within a class
// soonest-expiring first, then by ID (not by wallet position).
func (m *model) uses(p *plan) []Use {
	out := []Use{}
	for o, cs := range p.orders {
		cs = slices.Clone(cs)
		m.couponOrder(cs)
		slices.SortStableFunc(cs, func(a, b int) int { return cmp.Compare(m.coupons[a].cls, m.coupons[b].cls) })
		for _, c := range cs {
			out = append(out, Use{Coupon: m.coupons[c].id, Store: m.stores[o]})
		}
	}
	cross := slices.Clone(p.cross)
	m.couponOrder(cross)
	for _, c := range cross {
		out = append(out, Use{Coupon: m.coupons[c].id})
	}
	return out
}

// DecodeAllocation decodes a stored allocation strictly (internal/wire):
// every amount a valid amount (internal/money), every kind valid, the
// instants returned in UTC. Every error wraps [ErrInvalid].
func DecodeAllocation(data []byte) (Allocation, error) {
	var a Allocation
	if err := decode(data, &a, "allocation"); err != nil {
		return Allocation{}, err
	}
	bad := func(what string, d decimal.Decimal) error {
		if _, err := money.Amount(d); err != nil {
			return fmt.Errorf("%w: allocation: %s: %w", ErrInvalid, what, err)
		}
		return nil
	}
	if err := bad("total", a.Total); err != nil {
		return Allocation{}, err
	}
	for _, c := range a.Coupons {
		if !c.Kind.IsValid() {
			return Allocation{}, fmt.Errorf("%w: allocation: coupon %s: invalid kind", ErrInvalid, c.Coupon)
		}
		errs := []error{bad("coupon "+c.Coupon, c.Discount)}
		for _, s := range c.Stores {
			errs = append(errs, bad("coupon "+c.Coupon+" store "+s.Store, s.Amount))
		}
		for _, l := range c.Lines {
			errs = append(errs, bad("coupon "+c.Coupon+" line "+l.Line, l.Amount))
		}
		if err := errors.Join(errs...); err != nil {
			return Allocation{}, err
		}
	}
	for _, l := range a.Lines {
		if err := errors.Join(bad("line "+l.Line, l.Amount), bad("line "+l.Line, l.Discount), bad("line "+l.Line, l.Net)); err != nil {
			return Allocation{}, err
		}
	}
	a.At = utc(a.At)
	for i := range a.Coupons {
		a.Coupons[i].ValidUntil = utc(a.Coupons[i].ValidUntil)
	}
	return a, nil
}
