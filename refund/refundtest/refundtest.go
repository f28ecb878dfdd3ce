// Package refundtest provides rapid generators of refund orders and
// events, and the invariant checkers, for hosts that use package refund
// as the reference model of their own service in property tests.
package refundtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/refund"
)

// Fen generates a whole amount of fen between lo and hi as yuan.
func Fen(lo, hi int64) *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return money.FromFen(rapid.Int64Range(lo, hi).Draw(t, "fen"))
	})
}

// Line generates an order line with a valid allocation (RFD-10): its
// discount, bean value and point value never exceed its amount. Shipped
// lines shipped before at, some of them signed for.
func Line(id string, at time.Time) *rapid.Generator[refund.Line] {
	return rapid.Custom(func(t *rapid.T) refund.Line {
		amount := rapid.Int64Range(0, 50_000).Draw(t, "amount")
		discount := rapid.Int64Range(0, amount).Draw(t, "discount")
		beanValue := rapid.Int64Range(0, amount-discount).Draw(t, "bean_value")
		pointValue := rapid.Int64Range(0, amount-discount-beanValue).Draw(t, "point_value")
		l := refund.Line{
			ID: id, Amount: money.FromFen(amount), Discount: money.FromFen(discount),
			BeanValue: money.FromFen(beanValue), PointValue: money.FromFen(pointValue),
			CustomMade: rapid.IntRange(0, 5).Draw(t, "custom") == 0,
			Excluded:   rapid.IntRange(0, 5).Draw(t, "excluded") == 0,
			Prohibited: rapid.IntRange(0, 3).Draw(t, "prohibited") == 0,
		}
		l.NoReason = !l.CustomMade && !l.Excluded && rapid.Bool().Draw(t, "no_reason")
		if rapid.Bool().Draw(t, "shipped") {
			l.ShippedAt = at.Add(-time.Duration(rapid.IntRange(1, 72).Draw(t, "shipped_hours_ago")) * time.Hour).UTC()
			if rapid.Bool().Draw(t, "signed") {
				l.SignedAt = l.ShippedAt.Add(time.Hour)
			}
		}
		return l
	})
}

// Order generates a valid paid order of one to four lines whose facts
// are all at or before at.
func Order(at time.Time) *rapid.Generator[refund.Order] {
	return rapid.Custom(func(t *rapid.T) refund.Order {
		n := rapid.IntRange(1, 4).Draw(t, "lines")
		o := refund.Order{
			Mode:    refund.Mode(rapid.IntRange(1, 2).Draw(t, "mode")),
			Payment: refund.Payment{Route: refund.Route(rapid.IntRange(1, 6).Draw(t, "route")), Account: "PAY", BoundAccount: "BOUND"},
		}
		for i := range n {
			o.Lines = append(o.Lines, Line(fmt.Sprintf("L%d", i+1), at).Draw(t, "line"))
		}
		o.FreeShipping = rapid.Bool().Draw(t, "free_shipping")
		o.ShippingFee = decimal.New(0, -2)
		if !o.FreeShipping {
			o.ShippingFee = Fen(0, 2_000).Draw(t, "shipping_fee")
		}
		if rapid.IntRange(0, 4).Draw(t, "confirmed") == 0 {
			o.ConfirmedAt = at.UTC()
		}
		return o
	})
}

// Fulfil generates the order o as the composer updates it at now: some
// unshipped lines shipped, some shipped lines signed for, or receipt
// confirmed. Lines it ships are returned too (for
// [refund.ShippedAfterRevocation]).
func Fulfil(o refund.Order, now time.Time) *rapid.Generator[Fulfilled] {
	return rapid.Custom(func(t *rapid.T) Fulfilled {
		out := Fulfilled{Order: o}
		out.Order.Lines = append([]refund.Line(nil), o.Lines...)
		now = now.UTC()
		switch rapid.IntRange(0, 2).Draw(t, "fact") {
		case 0:
			for i := range out.Order.Lines {
				if l := &out.Order.Lines[i]; l.ShippedAt.IsZero() && rapid.Bool().Draw(t, "ship_"+l.ID) {
					l.ShippedAt = now
					out.Shipped = append(out.Shipped, l.ID)
				}
			}
		case 1:
			for i := range out.Order.Lines {
				if l := &out.Order.Lines[i]; !l.ShippedAt.IsZero() && l.SignedAt.IsZero() && rapid.Bool().Draw(t, "sign_"+l.ID) {
					l.SignedAt = now
				}
			}
		default:
			if out.Order.ConfirmedAt.IsZero() {
				out.Order.ConfirmedAt = now
			}
		}
		return out
	})
}

// Fulfilled is an order after [Fulfil] and the lines it shipped.
type Fulfilled struct {
	Order   refund.Order
	Shipped []string
}

// Items generates request items over the lines of o: each either the
// whole remaining amount (zero) or a part of it, and sometimes more than
// is left, so that refusals are exercised too.
func Items(o refund.Order, s refund.State) *rapid.Generator[[]refund.Item] {
	return rapid.Custom(func(t *rapid.T) []refund.Item {
		var items []refund.Item
		for _, l := range o.Lines {
			if !rapid.Bool().Draw(t, "take_"+l.ID) {
				continue
			}
			it := refund.Item{Line: l.ID}
			if rest, _ := money.ToFen(s.Remaining(o, l.ID)); rest > 0 && rapid.Bool().Draw(t, "part") {
				it.Amount = money.FromFen(rapid.Int64Range(1, rest+1).Draw(t, "amount"))
			}
			items = append(items, it)
		}
		return items
	})
}

// Event generates an event for s: three times in four a [Plausible] one,
// so that sequences reach deep states (returns received, interventions
// decided, several partial refunds), otherwise [AnyEvent], so that a model
// test sees refusals of every kind too.
func Event(o refund.Order, s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		if rapid.IntRange(0, 3).Draw(t, "plausible") > 0 {
			return Plausible(o, s).Draw(t, "event")
		}
		return AnyEvent(o, s).Draw(t, "event")
	})
}

// AnyEvent generates any of the package's events, aimed at one of s's
// requests (or one that does not exist), whatever their status: most are
// refused.
func AnyEvent(o refund.Order, s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		id := rapid.IntRange(1, len(s.Requests)+1).Draw(t, "request")
		switch rapid.IntRange(0, 13).Draw(t, "kind") {
		case 0, 1:
			return refund.Open{Kind: refund.Kind(rapid.IntRange(1, 2).Draw(t, "kind")),
				Reason: refund.Reason(rapid.IntRange(1, 4).Draw(t, "reason")), Items: Items(o, s).Draw(t, "items")}
		case 2:
			return refund.MerchantAgree{Request: id}
		case 3:
			return refund.MerchantRefuse{Request: id, Note: "no"}
		case 4:
			return refund.Modify{Request: id, Items: Items(o, s).Draw(t, "items")}
		case 5:
			return refund.Withdraw{Request: id}
		case 6:
			return refund.AskIntervention{Request: id}
		case 7:
			return refund.SubmitLogistics{Request: id, Carrier: "SF", Tracking: "SF1"}
		case 8:
			return refund.MerchantReceive{Request: id}
		case 9:
			return refund.MerchantRefund{Request: id}
		case 10:
			e := refund.PlatformDecide{Request: id, Outcome: refund.Outcome(rapid.IntRange(1, 3).Draw(t, "outcome"))}
			if e.Outcome == refund.RefundPart {
				e.Amount = Fen(0, 100_000).Draw(t, "amount")
			}
			return e
		case 11:
			if r, ok := s.Request(id); ok {
				return refund.ShippingVoucher{Request: id, ShippedAt: r.RequestedAt.Add(rapid.SampledFrom([]time.Duration{-time.Hour, 0}).Draw(t, "voucher"))}
			}
			return refund.ShippingVoucher{Request: id}
		case 12:
			return refund.SuspectCrime{Request: id}
		default:
			var lines []string
			for _, l := range o.Lines {
				if rapid.Bool().Draw(t, "line_"+l.ID) {
					lines = append(lines, l.ID)
				}
			}
			return refund.ShippedAfterRevocation{Lines: lines}
		}
	})
}

// Plausible generates an event that s could accept: an open request's
// next step in its status (the merchant's, the buyer's or the platform's)
// or a new request on lines that are free and fit its kind and reason. A
// rule may still refuse it (a closed no-reason window, an amount the
// platform cannot split).
func Plausible(o refund.Order, s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		var open []refund.Request
		for _, r := range s.Requests {
			if !r.Status.Final() {
				open = append(open, r)
			}
		}
		if len(open) > 0 && rapid.IntRange(0, 9).Draw(t, "what") < 6 {
			return step(t, o, s, rapid.SampledFrom(open).Draw(t, "request"))
		}
		if e, ok := newRequest(t, o, s); ok {
			return e
		}
		if len(open) > 0 {
			return step(t, o, s, rapid.SampledFrom(open).Draw(t, "request"))
		}
		return AnyEvent(o, s).Draw(t, "any")
	})
}

// step draws an event that r accepts in its status.
func step(t *rapid.T, o refund.Order, s refund.State, r refund.Request) refund.Event {
	id := r.ID
	var opts []refund.Event
	switch r.Status {
	case refund.Requested:
		opts = append(opts, refund.MerchantAgree{Request: id}, refund.MerchantRefuse{Request: id, Note: "no"},
			refund.Modify{Request: id, Items: ownItems(t, o, s, r)})
		if r.Revocation {
			opts = append(opts, refund.ShippingVoucher{Request: id, ShippedAt: r.RequestedAt.Add(-time.Hour)})
		}
	case refund.AwaitingBuyer, refund.Refused:
		opts = append(opts, refund.AskIntervention{Request: id}, refund.Modify{Request: id, Items: ownItems(t, o, s, r)})
	case refund.AwaitingReturn:
		opts = append(opts, refund.SubmitLogistics{Request: id, Carrier: "SF", Tracking: fmt.Sprintf("SF%d", id)})
	case refund.Returning:
		opts = append(opts, refund.MerchantReceive{Request: id}, refund.MerchantReceive{Request: id},
			refund.MerchantRefund{Request: id}, refund.MerchantRefuse{Request: id, Note: "worn"})
	case refund.Received:
		opts = append(opts, refund.MerchantRefund{Request: id}, refund.MerchantRefuse{Request: id, Note: "worn"})
	case refund.Intervention:
		e := refund.PlatformDecide{Request: id, Outcome: refund.Outcome(rapid.IntRange(1, 3).Draw(t, "outcome"))}
		if total, _ := money.ToFen(r.Total()); e.Outcome == refund.RefundPart && total > 1 {
			e.Amount = money.FromFen(rapid.Int64Range(1, total-1).Draw(t, "part"))
		}
		opts = append(opts, e)
	}
	// Withdrawing and holding end a request early: draw them seldom.
	switch rapid.IntRange(0, 9).Draw(t, "early_end") {
	case 0:
		return refund.Withdraw{Request: id}
	case 1:
		if r.Reason == refund.Prohibited {
			return refund.SuspectCrime{Request: id}
		}
	}
	if len(opts) == 0 {
		return refund.Withdraw{Request: id}
	}
	return rapid.SampledFrom(opts).Draw(t, "step")
}

// ownItems draws new items over the lines r already asks for.
func ownItems(t *rapid.T, o refund.Order, s refund.State, r refund.Request) []refund.Item {
	items := make([]refund.Item, 0, len(r.Items))
	for _, it := range r.Items {
		items = append(items, refund.Item{Line: it.Line, Amount: part(t, o, s, it.Line)})
	}
	return items
}

// part draws zero (all that is left of the line) or a part of it.
func part(t *rapid.T, o refund.Order, s refund.State, line string) decimal.Decimal {
	if rest, _ := money.ToFen(s.Remaining(o, line)); rest > 1 && rapid.Bool().Draw(t, "part") {
		return money.FromFen(rapid.Int64Range(1, rest-1).Draw(t, "amount"))
	}
	return decimal.Zero
}

// newRequest draws an Open on free lines (in no open or held request, not
// refunded in full) that fit the kind and reason it draws.
func newRequest(t *rapid.T, o refund.Order, s refund.State) (refund.Event, bool) {
	kind := refund.Kind(rapid.IntRange(1, 2).Draw(t, "kind"))
	reason := refund.Reason(rapid.IntRange(1, 4).Draw(t, "reason"))
	switch reason {
	case refund.NoReason, refund.Prohibited:
		kind = refund.ReturnRefund
	case refund.ParcelRefused:
		kind = refund.RefundOnly
	}
	var items []refund.Item
	for _, l := range o.Lines {
		if !free(o, s, l) || !fits(l, kind, reason) || !rapid.Bool().Draw(t, "take_"+l.ID) {
			continue
		}
		items = append(items, refund.Item{Line: l.ID, Amount: part(t, o, s, l.ID)})
	}
	if len(items) == 0 {
		return nil, false
	}
	return refund.Open{Kind: kind, Reason: reason, Items: items}, true
}

func free(o refund.Order, s refund.State, l refund.Line) bool {
	for _, r := range s.Requests {
		if (!r.Status.Final() || r.Status == refund.Held) && has(r, l.ID) {
			return false
		}
	}
	rest, _ := money.ToFen(s.Remaining(o, l.ID))
	return rest > 0 || l.Paid().IsZero() && !settledInFull(s, l.ID)
}

func has(r refund.Request, line string) bool {
	for _, it := range r.Items {
		if it.Line == line {
			return true
		}
	}
	return false
}

func settledInFull(s refund.State, line string) bool {
	for _, r := range s.Requests {
		if r.Settlement == nil {
			continue
		}
		for _, sl := range r.Settlement.Lines {
			if sl.Line == line && sl.Done {
				return true
			}
		}
	}
	return false
}

func fits(l refund.Line, kind refund.Kind, reason refund.Reason) bool {
	shipped := !l.ShippedAt.IsZero()
	if kind == refund.ReturnRefund && !shipped {
		return false
	}
	switch reason {
	case refund.NoReason:
		return l.NoReason && !l.SignedAt.IsZero()
	case refund.ParcelRefused:
		return l.NoReason && shipped && l.SignedAt.IsZero()
	case refund.Prohibited:
		return l.Prohibited
	}
	return true
}

// Check returns an error if s is not a state package refund could have
// produced for order o. It is [refund.State.Validate] itself: one
// definition of validity for the machine and for tests, so the two
// cannot drift. See CheckStep for the invariants of a transition.
func Check(o refund.Order, s refund.State) error { return s.Validate(o) }

// CheckStep returns an error if res, the result of a call on prev at
// instant now, breaks an invariant of a transition: the new state is
// valid (Check); effect IDs follow prev.Seq one by one up to the new
// Seq, each effect at an instant between prev.At and now; a final
// request is unchanged (but for a completed revocation's Loss, which
// only grows); requests are only added; the money of
// refund_money effects is what the new settlements refunded, and every
// new settlement has exactly one refund_settled act, which reports it
// (stage, forced, full, each line's money, cumulative refunded and paid
// money, done); Next is the state's next deadline.
func CheckStep(o refund.Order, prev refund.State, res refund.Result, now time.Time) error {
	var errs []error
	if err := Check(o, res.State); err != nil {
		errs = append(errs, err)
	}
	s := res.State
	if len(s.Requests) < len(prev.Requests) {
		errs = append(errs, fmt.Errorf("requests went from %d to %d", len(prev.Requests), len(s.Requests)))
		return errors.Join(errs...)
	}
	id := prev.Seq
	for _, e := range res.Effects {
		id++
		if e.ID != id {
			errs = append(errs, fmt.Errorf("effect %s has ID %d, want %d", e.Kind(), e.ID, id))
		}
		if e.At.Before(prev.At) || e.At.After(now) || e.Rule == "" {
			errs = append(errs, fmt.Errorf("effect %d %s at %v (rule %q), outside [%v, %v]", e.ID, e.Kind(), e.At, e.Rule, prev.At, now))
		}
	}
	if s.Seq != id {
		errs = append(errs, fmt.Errorf("state seq %d after effects up to %d", s.Seq, id))
	}
	var refunded, moneyOut decimal.Decimal
	settled := map[int]int{}
	for i, r := range s.Requests {
		var p refund.Request
		if i < len(prev.Requests) {
			p = prev.Requests[i]
			// A final request never changes, except that a completed
			// revocation records lines shipped after it (Loss grows).
			if q := r; p.Status.Final() {
				if len(q.Loss) >= len(p.Loss) && slices.Equal(p.Loss, q.Loss[:len(p.Loss)]) {
					q.Loss = p.Loss
				}
				if !sameJSON(p, q) {
					errs = append(errs, fmt.Errorf("final request %d changed", r.ID))
				}
			}
		}
		if r.Settlement != nil && p.Settlement == nil {
			refunded = refunded.Add(r.Settlement.Money)
			settled[r.ID] = 0
		}
	}
	for _, e := range res.Effects {
		switch a := e.Act.(type) {
		case refund.RefundMoney:
			moneyOut = moneyOut.Add(a.Amount)
		case refund.Settled:
			if n, ok := settled[a.Request]; !ok || n > 0 {
				errs = append(errs, fmt.Errorf("refund_settled for request %d, which was not settled once in this step", a.Request))
				continue
			}
			settled[a.Request]++
			if err := checkSettled(o, s, a); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for id, n := range settled {
		if n != 1 {
			errs = append(errs, fmt.Errorf("request %d settled with %d refund_settled acts", id, n))
		}
	}
	if !refunded.Equal(moneyOut) {
		errs = append(errs, fmt.Errorf("settlements refunded %s, refund_money effects %s", refunded, moneyOut))
	}
	if !res.Next.Equal(s.Next()) {
		errs = append(errs, fmt.Errorf("Result.Next %v, state's next deadline %v", res.Next, s.Next()))
	}
	return errors.Join(errs...)
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// checkSettled checks that a refund_settled act reports its request's
// settlement as the state records it.
func checkSettled(o refund.Order, s refund.State, a refund.Settled) error {
	r, ok := s.Request(a.Request)
	if !ok || r.Settlement == nil {
		return fmt.Errorf("refund_settled for request %d, which has no settlement", a.Request)
	}
	st := r.Settlement
	if a.Stage != r.Stage || a.Forced != st.Forced || a.Full != st.Full || len(a.Lines) != len(st.Lines) {
		return fmt.Errorf("refund_settled %+v does not report request %d's settlement %+v", a, r.ID, *st)
	}
	for i, l := range a.Lines {
		sl := st.Lines[i]
		cum := decimal.Zero
		for _, q := range s.Requests[:r.ID] {
			if q.Settlement == nil {
				continue
			}
			for _, ql := range q.Settlement.Lines {
				if ql.Line == l.Line {
					cum = cum.Add(ql.Money)
				}
			}
		}
		var paid decimal.Decimal
		for _, ol := range o.Lines {
			if ol.ID == l.Line {
				paid = ol.Paid()
			}
		}
		if l.Line != sl.Line || !l.Money.Equal(sl.Money) || l.Done != sl.Done || !l.Refunded.Equal(cum) || !l.Paid.Equal(paid) {
			return fmt.Errorf("refund_settled line %+v: settled %+v, refunded so far %s, paid %s", l, sl, cum, paid)
		}
	}
	return nil
}
