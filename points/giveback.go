package points

import (
	"fmt"
	"slices"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Apply gives back the beans and points of a [Refund] (PTS-2).
//
// Whether the refund gives anything back is give_back_allowed, evaluated
// in the policy version in force when the order was paid: by default a
// refund requested before shipment, or after shipment but before receipt
// was confirmed, gives back once the merchant agrees; a refund after
// receipt was confirmed gives back only when back-office staff forced
// it. A refused refund returns a *rules.RuleError (PTS-2) wrapping
// [ErrForcedRefund], and leaves s as it was, so the forced refund can
// follow under the same ID.
//
// Each line gives back its allocated beans and points in proportion to
// the units refunded, counted cumulatively: after q of Q units the line
// has given back its allocation × q/Q rounded to the nearest granule
// (largest remainder, by internal/money), so the total never exceeds the
// allocation and equals it once every unit is refunded. A refund ID
// applies once ([ErrRefundRepeated]); units beyond what is left of a line
// are refused ([ErrRefundQuantity]).
//
// Apply reads the clock once and never modifies s.
func (m *Machine) Apply(s Spend, e Event) (Result, error) {
	_ = now(m.clk) // give-back is judged by the order's terms, not by today's
	r, ok := e.(Refund)
	if !ok {
		return Result{State: s}, fmt.Errorf("%w: a spend takes Refund, not %T", ErrInvalid, e)
	}
	if r.ID == "" {
		return Result{State: s}, fmt.Errorf("%w: refund without an ID", ErrInvalid)
	}
	switch r.Stage {
	case BeforeShipment, Shipped, Received:
	default:
		return Result{State: s}, fmt.Errorf("%w: refund %s: unknown stage %q", ErrInvalid, r.ID, r.Stage)
	}
	switch r.Approver {
	case Merchant, BackOffice:
	default:
		return Result{State: s}, fmt.Errorf("%w: refund %s: unknown approver %q", ErrInvalid, r.ID, r.Approver)
	}
	if err := s.Validate(); err != nil {
		return Result{State: s}, err
	}
	if slices.Contains(s.Refunds, r.ID) {
		return Result{State: s}, rules.Refuse("PTS-2", ErrRefundRepeated, "order %s, refund %s", s.Order, r.ID)
	}
	v := m.set.In(s.PaidAt)
	allowed, dec, err := explain(v, keyGiveBack, string(r.Stage), string(r.Approver))
	if err != nil {
		return Result{State: s}, err
	}
	if !allowed {
		return Result{State: s}, rules.Refuse("PTS-2", ErrForcedRefund, "order %s, refund %s: stage %s, approved by %s", s.Order, r.ID, r.Stage, r.Approver)
	}
	rates, err := ratesOf(v)
	if err != nil {
		return Result{State: s}, err
	}
	bu, pu := newUnit(rates.BeansPerYuan), newUnit(rates.PointsPerYuan)

	lines := slices.Clone(s.Lines)
	units := make([]int64, len(lines))
	for _, rl := range r.Lines {
		i := slices.IndexFunc(lines, func(l SpendLine) bool { return l.Line == rl.Line })
		if i < 0 {
			return Result{State: s}, rules.Refuse("PTS-2", ErrRefundLine, "order %s, refund %s: line %q", s.Order, r.ID, rl.Line)
		}
		if rl.Quantity <= 0 {
			return Result{State: s}, fmt.Errorf("%w: refund %s: line %q quantity %d", ErrInvalid, r.ID, rl.Line, rl.Quantity)
		}
		units[i] += rl.Quantity
		if units[i] > lines[i].Quantity-lines[i].Refunded || units[i] < 0 {
			return Result{State: s}, rules.Refuse("PTS-2", ErrRefundQuantity, "order %s, refund %s: line %q: %d units, %d of %d left",
				s.Order, r.ID, rl.Line, units[i], lines[i].Quantity-lines[i].Refunded, lines[i].Quantity)
		}
	}
	gb := GiveBackBeans{Order: s.Order, Refund: r.ID}
	gp := GiveBackPoints{Order: s.Order, Refund: r.ID, UsedAt: s.PaidAt}
	for i := range lines {
		if units[i] == 0 {
			continue
		}
		l := &lines[i]
		l.Refunded += units[i]
		if b := share(l.Beans, bu, l.Refunded, l.Quantity) - l.BeansBack; b > 0 {
			l.BeansBack += b
			gb.Beans += b
			gb.Lines = append(gb.Lines, LineAmount{Line: l.Line, Amount: b})
		}
		if p := share(l.Points, pu, l.Refunded, l.Quantity) - l.PointsBack; p > 0 {
			l.PointsBack += p
			gp.Points += p
			gp.Lines = append(gp.Lines, LineAmount{Line: l.Line, Amount: p})
		}
	}
	next := s
	next.Lines = lines
	next.Refunds = append(slices.Clone(s.Refunds), r.ID)
	res := Result{State: next, Decisions: []rules.Decision{dec, {Rule: "PTS-2", Policy: v.Policy(), Version: v.Date(),
		Note: fmt.Sprintf("refund %s of order %s gives back %d beans and %d points", r.ID, s.Order, gb.Beans, gp.Points)}}}
	if gb.Beans > 0 {
		res.Effects = append(res.Effects, gb)
	}
	if gp.Points > 0 {
		res.Effects = append(res.Effects, gp)
	}
	return res, nil
}

// share returns the part of alloc (a whole number of u's granules) that
// q of n units carry: alloc × q/n rounded to the nearest granule, half
// up, by the largest remainder split of alloc over {q, n-q}. It grows
// with q, is 0 at q = 0 and alloc at q = n (even for an alloc that is
// not a whole number of granules, as in a Spend paid under other rates).
func share(alloc int64, u unit, q, n int64) int64 {
	switch {
	case alloc == 0 || q == 0:
		return 0
	case q >= n:
		return alloc
	}
	return money.AllocateFen(alloc/u.granule, []int64{q, n - q})[0] * u.granule
}
