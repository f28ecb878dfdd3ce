package points

import (
	"fmt"

	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// PointsOffer is what the checkout may offer an order in comprehensive
// points (PTS-2, PTS-3): any whole number of Unit from 0 to Max. Make one
// with [Machine.OfferPoints].
type PointsOffer struct {
	Max   int64           `json:"max"`   // points
	Value decimal.Decimal `json:"value"` // Max in yuan
	Unit  int64           `json:"unit"`  // points are used in multiples of this (1 at 100 points per yuan)
	// The limits, in points.
	Limit      int64 `json:"limit"`       // points_order_limit (PTS-2)
	PayableCap int64 `json:"payable_cap"` // points_payable_cap of the eligible amount (PTS-2)
	Balance    int64 `json:"balance"`     // the buyer's points
	Remaining  int64 `json:"remaining"`   // the annual allowance left this year (PTS-3)
	Year       int   `json:"year"`        // the calendar year, in the business zone, that Remaining is of
	// Blocked is true under the source's literal reading
	// (points_offer_remainder false) when the order's largest possible use
	// (no beans, the whole balance, every limit) would pass the remaining
	// allowance: the order may use no points at all.
	Blocked bool `json:"blocked,omitempty"`
	// Decisions are the thresholds used, for display and audit.
	Decisions []rules.Decision `json:"decisions,omitempty"`

	unit    unit
	weights []int64 // granules per line: the line's amount after beans, 0 for lines that take no points
}

// OfferPoints returns the comprehensive points the checkout may offer
// order o to a buyer holding w.Points whose usage this year is ledger l,
// when the buyer also pays beans beans (0 if none; beans must pass
// [BeanOffer.Check]). Points pay only lines that accept them, after the
// beans allocated to those lines. The policy version is the one in force
// now.
func (m *Machine) OfferPoints(o Order, w Wallet, l Ledger, beans int64) (PointsOffer, error) {
	return m.OfferPointsAt(o, w, l, beans, now(m.clk))
}

// OfferPointsAt is OfferPoints at instant t (the policy version in force
// at t, the ledger's standing at t).
func (m *Machine) OfferPointsAt(o Order, w Wallet, l Ledger, beans int64, t time.Time) (PointsOffer, error) {
	t = t.Round(0).UTC()
	c, err := checkOrder(o)
	if err != nil {
		return PointsOffer{}, err
	}
	if err := checkWallet(w); err != nil {
		return PointsOffer{}, err
	}
	v := m.set.In(t)
	bo, err := offerBeans(v, c, w.Beans)
	if err != nil {
		return PointsOffer{}, err
	}
	alloc, err := bo.Allocate(beans)
	if err != nil {
		return PointsOffer{}, err
	}
	_, used, year, err := ledgerAt(m.set, l, t, false)
	if err != nil {
		return PointsOffer{}, err
	}
	return offerPoints(v, o, c, bo.unit, alloc, w.Points, used, year)
}

func offerPoints(v *rules.Version, o Order, c checked, bu unit, beanAlloc []int64, balance, used int64, year int) (PointsOffer, error) {
	rates, err := ratesOf(v)
	if err != nil {
		return PointsOffer{}, err
	}
	u := newUnit(rates.PointsPerYuan)
	limit, err := nonNegative(v, keyPointsLimit)
	if err != nil {
		return PointsOffer{}, err
	}
	annual, err := nonNegative(v, keyAnnualCap)
	if err != nil {
		return PointsOffer{}, err
	}
	remainder, remDec, err := explain(v, keyOfferRemainder)
	if err != nil {
		return PointsOffer{}, err
	}
	po := PointsOffer{Unit: u.granule, Balance: balance, Year: year, unit: u}
	var capDec rules.Decision
	po.weights, po.PayableCap, capDec, err = pointsCaps(v, o, c, u, bu, beanAlloc)
	if err != nil {
		return PointsOffer{}, err
	}
	po.Limit = limit - limit%u.granule
	po.Remaining = max(annual-used, 0)
	po.Remaining -= po.Remaining % u.granule
	full := min(po.Limit, po.PayableCap, po.Balance)
	full -= full % u.granule
	switch {
	case remainder:
		po.Max = min(full, po.Remaining)
	default:
		// The literal reading judges the order's largest possible use:
		// with no beans (beans would lower it), the whole balance and
		// every limit of the order, not what the buyer chooses.
		largest := po.PayableCap
		if slices.ContainsFunc(beanAlloc, func(b int64) bool { return b != 0 }) {
			if _, largest, _, err = pointsCaps(v, o, c, u, bu, make([]int64, len(o.Lines))); err != nil {
				return PointsOffer{}, err
			}
		}
		largest = min(po.Limit, largest, po.Balance)
		largest -= largest % u.granule
		if largest > po.Remaining {
			po.Blocked = true
		} else {
			po.Max = full
		}
	}
	po.Value = u.value(po.Max)
	po.Decisions = []rules.Decision{
		note(v, keyPointsPerYuan, rates.PointsPerYuan),
		note(v, keyPointsLimit, limit),
		capDec,
		note(v, keyAnnualCap, annual),
		remDec,
		{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(), Note: fmt.Sprintf(
			"year %d: %d used, %d remaining of %d", year, used, po.Remaining, annual)},
		{Rule: "PTS-2", Policy: v.Policy(), Version: v.Date(), Note: fmt.Sprintf(
			"at most %d points (%s yuan): order limit %d, payable cap %d, balance %d, annual remaining %d, blocked %t",
			po.Max, po.Value.StringFixed(2), po.Limit, po.PayableCap, po.Balance, po.Remaining, po.Blocked)},
	}
	return po, nil
}

// Check returns nil if the buyer may pay n points, and otherwise a
// *rules.RuleError wrapping the sentinel of the first limit n breaks:
// [ErrPointsUnit], [ErrPointsLimit], [ErrPointsPayable] or
// [ErrPointsBalance] (PTS-2), or [ErrAnnualCap] (PTS-3) for a use that
// would pass the remaining annual allowance or, under the literal
// reading, any use by a blocked order. A negative n is [ErrInvalid].
func (o PointsOffer) Check(n int64) error {
	switch {
	case n < 0:
		return fmt.Errorf("%w: %d points", ErrInvalid, n)
	case o.Unit <= 0 || n%o.Unit != 0:
		return rules.Refuse("PTS-2", ErrPointsUnit, "%d points, unit %d", n, o.Unit)
	case n > o.Limit:
		return rules.Refuse("PTS-2", ErrPointsLimit, "%d points, order limit %d", n, o.Limit)
	case n > o.PayableCap:
		return rules.Refuse("PTS-2", ErrPointsPayable, "%d points, at most %d of the eligible amount", n, o.PayableCap)
	case n > o.Balance:
		return rules.Refuse("PTS-2", ErrPointsBalance, "%d points, balance %d", n, o.Balance)
	case n > o.Remaining:
		return rules.Refuse("PTS-3", ErrAnnualCap, "%d points, %d remaining in %d", n, o.Remaining, o.Year)
	case n > 0 && o.Blocked:
		return rules.Refuse("PTS-3", ErrAnnualCap, "the order's points use would pass the %d remaining in %d; no points deduction", o.Remaining, o.Year)
	}
	return nil
}

// Allocate splits n points (which [PointsOffer.Check] accepts) over the
// lines that accept points, in proportion to their amounts after beans,
// by the largest remainder method: the parts sum to n, no line pays more
// than it owes, and each part is worth a whole number of fen.
func (o PointsOffer) Allocate(n int64) ([]int64, error) {
	if err := o.Check(n); err != nil {
		return nil, err
	}
	return o.unit.allocate(n, o.weights, "points", "Machine.OfferPoints")
}

// pointsCaps returns, for the lines of o after beanAlloc, what points may
// pay of each (granules of u; 0 for lines that take no points): the
// line's amount after beans, at most its points_item_cap (PTS-2); and the
// order's payable cap in points: points_payable_cap of their sum, at most
// the sum and what is left to pay.
func pointsCaps(v *rules.Version, o Order, c checked, u, bu unit, beanAlloc []int64) ([]int64, int64, rules.Decision, error) {
	weights := make([]int64, len(o.Lines))
	var beansFen int64
	for i := range o.Lines {
		beansFen += bu.valueFen(beanAlloc[i])
	}
	// The lines' amounts may sum past an int64 (each one fits), so the
	// sum stops at what is left to pay after beans.
	eligible, left := int64(0), u.fenToGranules(c.payable-beansFen) // granules
	for i, l := range o.Lines {
		if !l.Points {
			continue
		}
		amt := c.amounts[i] - bu.valueFen(beanAlloc[i])
		capYuan, err := rules.Get(v, keyItemCap, l.Item, money.FromFen(amt), l.Quantity)
		if err != nil {
			return nil, 0, rules.Decision{}, fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		capFen, err := floorFen(capYuan)
		if err != nil {
			return nil, 0, rules.Decision{}, fmt.Errorf("%w: points_item_cap of line %q: %w", ErrPolicy, l.ID, err)
		}
		weights[i] = u.fenToGranules(min(capFen, amt))
		eligible += min(weights[i], left-eligible)
	}
	capYuan, capDec, err := explain(v, keyPointsPayCap, u.value(u.units(eligible)))
	if err != nil {
		return nil, 0, capDec, err
	}
	capFen, err := floorFen(capYuan)
	if err != nil {
		return nil, 0, capDec, fmt.Errorf("%w: points_payable_cap: %w", ErrPolicy, err)
	}
	return weights, u.units(min(u.fenToGranules(capFen), eligible)), capDec, nil
}
