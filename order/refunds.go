package order

import (
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// RefundOrder derives package refund's facts from the order (each fact
// held once; the order passes them to refund on every call, in fen): mode,
// the first payment's route, every line's allocations, shipment and
// signing instants and return facts, the shipping fee, and receipt
// confirmation (an escrow order's completion). It is the order's
// refund facts in decimals.
func (s *State) RefundOrder() refund.Order {
	f := s.refundFacts(nil)
	o := refund.Order{Mode: f.Mode, Payment: f.Payment, ShippingFee: Fen(f.ShippingFee).Decimal(),
		FreeShipping: f.FreeShipping, ConfirmedAt: f.ConfirmedAt, Lines: make([]refund.Line, len(f.Lines))}
	for i, l := range f.Lines {
		o.Lines[i] = refund.Line{ID: l.ID, Amount: Fen(l.Amount).Decimal(), Discount: Fen(l.Discount).Decimal(),
			BeanValue: Fen(l.BeanValue).Decimal(), PointValue: Fen(l.PointValue).Decimal(),
			ShippedAt: l.ShippedAt, SignedAt: l.SignedAt, NoReason: l.NoReason, CustomMade: l.CustomMade,
			Excluded: l.Excluded, Prohibited: l.Prohibited}
	}
	return o
}

// refundEvent applies a refund event inside the order at t.now: the
// order's own deadlines due at now have fired (t.advance), so refund's
// machine fires nothing before the event.
func (t *tx) refundEvent(e Refund) error {
	if e.Event == nil {
		return fmt.Errorf("%w: refund: no event", ErrInvalid)
	}
	if len(t.s.Payments) == 0 {
		return rules.Refuse("RFD-1", ErrNotAllowed, "nothing paid")
	}
	if err := t.checkDepositRefund(e.Event); err != nil {
		return err
	}
	if err := t.inspectRefund(e); err != nil {
		return err
	}
	res, err := t.refunds.ApplyFactsAt(t.s.refundFacts(nil), t.s.Refunds, e.Event, t.now)
	if err != nil { // refused or invalid: the order is as it was
		var re *rules.RuleError
		switch {
		case errors.As(err, &re):
			return err
		case errors.Is(err, refund.ErrPolicy):
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	t.takeRefund(res, t.now)
	if t.s.Status != Closed { // a settled refund has moved it already
		t.move(t.s.Status, e.Name(), t.now)
	}
	return nil
}

// refundDeadline fires refund's deadlines due at `at` (its earliest).
func (t *tx) refundDeadline(at time.Time) {
	res := t.refunds.AdvanceFactsAt(t.s.refundFacts(nil), t.s.Refunds, at)
	if n := res.State.Next(); !n.IsZero() && !n.After(at) {
		note := ""
		if len(res.Decisions) > 0 {
			note = res.Decisions[0].Note
		}
		t.fail(fmt.Errorf("%w: refund requests cannot advance at %s: %s", ErrPolicy, at.Format(time.RFC3339), note))
		return
	}
	t.takeRefund(res, at)
}

// takeRefund adopts a refund result: its state, its effects re-emitted
// with the order's IDs, each Settled refund applied to the order's
// books, and the ORD-9 pause or resume when whether a request is open
// changed.
func (t *tx) takeRefund(res refund.Result, at time.Time) {
	was, wasRefund := t.s.open(), t.s.refundOpen()
	t.s.Refunds = res.State
	more := 1 // the ORD-9 pause or resume, and a note per refund applied
	for _, e := range res.Effects {
		if _, ok := e.Act.(refund.Settled); ok {
			more++
		}
	}
	t.adopt(res.Decisions, more)
	t.growEffects(len(res.Effects) + 1) // and a fund_refund
	for _, e := range res.Effects {
		t.emit(e.At, e.Rule, e.Act)
		if s, ok := e.Act.(refund.Settled); ok {
			t.settled(s, e.At)
		}
		if t.err != nil {
			return
		}
	}
	t.pauseOrResume(was, at)
	t.holdBalance(wasRefund, at)
}

// settled applies one completed refund (RFD-10's Settled) to the order:
// line money, the ledger funded from frozen funds first (ORD-13), the
// status (ORD-10, ORD-11; ORD-17 for a revocation), and the coupons'
// give-back by package coupon (CPN-6).
func (t *tx) settled(s refund.Settled, at time.Time) {
	req, ok := t.s.Refunds.Request(s.Request)
	if !ok || req.Settlement == nil {
		t.fail(fmt.Errorf("%w: settled request %d has no settlement", ErrInvalid, s.Request))
		return
	}
	ship, err := amountOf(req.Settlement.Shipping, "refunded shipping")
	if err != nil {
		t.fail(err)
		return
	}
	total := Fen(ship)
	t.ownLines()
	for _, sl := range s.Lines {
		j := t.s.line(sl.Line)
		f, err := money.Amount(sl.Money)
		if err != nil || j < 0 {
			t.fail(fmt.Errorf("%w: settled line %q", ErrInvalid, sl.Line))
			return
		}
		l := &t.s.Lines[j]
		l.RefundedMoney += Fen(f)
		if l.RefundedMoney > l.Cash() {
			t.fail(fmt.Errorf("%w: line %s refunded beyond its cash", ErrInvalid, l.ID))
			return
		}
		if sl.Done {
			l.Done = true
			l.Revoked = req.Revocation
		}
		total += Fen(f)
	}
	t.s.ShippingRefunded += Fen(ship)
	fromEscrow := min(t.s.Frozen, total)
	fromMerchant := total - fromEscrow
	if fromMerchant > t.s.Settled || t.s.ShippingRefunded > t.s.ShippingFee {
		t.fail(fmt.Errorf("%w: refund %d exceeds the order's funds", ErrInvalid, s.Request))
		return
	}
	t.s.Frozen -= fromEscrow
	t.s.Settled -= fromMerchant
	t.s.Refunded += total
	if total > 0 {
		t.emit(at, "ORD-13", FundRefund{Request: s.Request, FromEscrow: fromEscrow, FromMerchant: fromMerchant})
	}
	rule := "ORD-11"
	if req.Revocation {
		rule = "ORD-17"
	}
	t.note(rule, "refund applied")
	why := coupon.PartialRefund
	if s.Full {
		why = coupon.FullRefund
	}
	t.giveBackCoupons(why, at)
	t.giveBackPoints(s, at)
	t.follow("refund", at)
}

// giveBackCoupons asks package coupon what goes back of the order's
// coupons (CPN-6, CPN-7) and re-emits its effect; the redemption records
// the release, so nothing goes back twice.
func (t *tx) giveBackCoupons(why coupon.Reason, at time.Time) {
	if t.s.Redemption == nil {
		return
	}
	res, err := t.coupons.GiveBack(*t.s.Redemption, t.s.Number, why, at)
	if err != nil {
		t.fail(fmt.Errorf("%w: coupons: %w", ErrPolicy, err))
		return
	}
	t.s.Redemption = &res.Redemption
	t.adopt(res.Decisions, 1)
	for _, e := range res.Effects {
		t.emit(e.At, e.Rule, e.Act)
	}
}

// pauseOrResume pauses the auto-confirm countdown when a refund request
// or complaint has just opened, and resumes it when the last has closed
// (ORD-9).
func (t *tx) pauseOrResume(was bool, at time.Time) {
	if at.Before(t.s.Last) {
		at = t.s.Last
	}
	switch open := t.s.open(); {
	case !was && open && t.s.Timer == AutoConfirm && !t.s.Due.IsZero():
		t.s.Left, t.s.Due = t.s.Due.Sub(at), time.Time{}
		t.note("ORD-9", "auto-confirm paused: a refund request or complaint opened")
	case was && !open && t.s.Timer == AutoConfirm && t.s.Due.IsZero():
		extends, err := t.extends()
		if err != nil {
			t.fail(err)
			return
		}
		if extends {
			t.s.Due = at.Add(t.s.Left)
		} else {
			t.s.Due = t.s.Original
			if at.After(t.s.Due) {
				t.s.Due = at
			}
		}
		t.s.Left = 0
		t.note("ORD-9", "auto-confirm resumed: the last refund request or complaint closed")
	}
}

// giveBackPoints hands the settled refund's money facts to package
// points, which decides the beans and points that go back (PTS-2), and
// re-emits its effects; the spend records the refund, so nothing goes
// back twice.
func (t *tx) giveBackPoints(s refund.Settled, at time.Time) {
	if t.s.Spend == nil {
		return
	}
	var lines []points.RefundLine
	for _, l := range s.Lines {
		if _, ok := t.s.Spend.Line(l.Line); ok {
			lines = append(lines, points.RefundLine{Line: l.Line, Refunded: l.Refunded, Paid: l.Paid, Done: l.Done})
		}
	}
	if len(lines) == 0 {
		return
	}
	r, err := points.RefundOf(t.s.Number, s.Request, s.Stage.String(), s.Forced, lines...)
	if err == nil {
		var res points.Result
		res, err = t.points.ApplyAt(*t.s.Spend, r, at)
		if err == nil {
			t.s.Spend = &res.State
			t.adopt(res.Decisions, 1)
			for _, e := range res.Effects {
				t.emit(e.At, e.Rule, e.Act)
			}
			return
		}
	}
	t.fail(fmt.Errorf("%w: beans and points: %w", ErrInvalid, err))
}
