// Package refundtest provides rapid generators of refund orders and
// events, and an invariant checker, for hosts that use package refund as
// the reference model of their own service in property tests.
package refundtest

import (
	"errors"
	"fmt"
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
// discount, bean value and point value never exceed its amount.
func Line(id string) *rapid.Generator[refund.Line] {
	return rapid.Custom(func(t *rapid.T) refund.Line {
		amount := rapid.Int64Range(0, 50_000).Draw(t, "amount")
		discount := rapid.Int64Range(0, amount).Draw(t, "discount")
		beanValue := rapid.Int64Range(0, amount-discount).Draw(t, "bean_value")
		pointValue := rapid.Int64Range(0, amount-discount-beanValue).Draw(t, "point_value")
		return refund.Line{
			ID: id, Amount: money.FromFen(amount), Discount: money.FromFen(discount),
			BeanValue: money.FromFen(beanValue), PointValue: money.FromFen(pointValue),
			Beans: beanValue, Points: pointValue * 10,
			Shipped:    rapid.Bool().Draw(t, "shipped"),
			NoReason:   rapid.Bool().Draw(t, "no_reason"),
			Labelled:   rapid.Bool().Draw(t, "labelled"),
			CustomMade: rapid.IntRange(0, 5).Draw(t, "custom") == 0,
			Excluded:   rapid.IntRange(0, 5).Draw(t, "excluded") == 0,
			Prohibited: rapid.IntRange(0, 3).Draw(t, "prohibited") == 0,
		}
	})
}

// Order generates a valid paid order of one to four lines.
func Order() *rapid.Generator[refund.Order] {
	return rapid.Custom(func(t *rapid.T) refund.Order {
		n := rapid.IntRange(1, 4).Draw(t, "lines")
		o := refund.Order{
			Mode:    refund.Mode(rapid.IntRange(0, 1).Draw(t, "mode")),
			Payment: refund.Payment{Route: refund.Route(rapid.IntRange(0, 5).Draw(t, "route")), Account: "PAY", BoundAccount: "BOUND"},
		}
		for i := range n {
			o.Lines = append(o.Lines, Line(fmt.Sprintf("L%d", i+1)).Draw(t, "line"))
		}
		o.FreeShipping = rapid.Bool().Draw(t, "free_shipping")
		o.ShippingFee = decimal.New(0, -2)
		if !o.FreeShipping {
			o.ShippingFee = Fen(0, 2_000).Draw(t, "shipping_fee")
		}
		if rapid.Bool().Draw(t, "coupons") {
			o.Coupons = []string{"C1"}
		}
		o.Confirmed = rapid.IntRange(0, 4).Draw(t, "confirmed") == 0
		return o
	})
}

// Items generates request items over the lines of s: each either the
// whole remaining amount (zero) or a part of it, and sometimes more than
// is left, so that refusals are exercised too.
func Items(s refund.State) *rapid.Generator[[]refund.Item] {
	return rapid.Custom(func(t *rapid.T) []refund.Item {
		var items []refund.Item
		for _, l := range s.Order.Lines {
			if !rapid.Bool().Draw(t, "take_"+l.ID) {
				continue
			}
			it := refund.Item{Line: l.ID}
			if rest, _ := money.ToFen(s.Remaining(l.ID)); rest > 0 && rapid.Bool().Draw(t, "part") {
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
func Event(s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		if rapid.IntRange(0, 3).Draw(t, "plausible") > 0 {
			return Plausible(s).Draw(t, "event")
		}
		return AnyEvent(s).Draw(t, "event")
	})
}

// AnyEvent generates any of the package's events, aimed at one of s's
// requests (or one that does not exist), whatever their status: most are
// refused.
func AnyEvent(s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		id := rapid.IntRange(1, len(s.Requests)+1).Draw(t, "request")
		lines := func() []string {
			var out []string
			for _, l := range s.Order.Lines {
				if rapid.Bool().Draw(t, "line_"+l.ID) {
					out = append(out, l.ID)
				}
			}
			return out
		}
		switch rapid.IntRange(0, 14).Draw(t, "kind") {
		case 0, 1:
			return refund.Open{Kind: refund.Kind(rapid.IntRange(1, 2).Draw(t, "kind")),
				Reason: refund.Reason(rapid.IntRange(0, 3).Draw(t, "reason")), Items: Items(s).Draw(t, "items")}
		case 2:
			return refund.MerchantAgree{Request: id}
		case 3:
			return refund.MerchantRefuse{Request: id, Note: "no"}
		case 4:
			return refund.Modify{Request: id, Items: Items(s).Draw(t, "items")}
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
			if e.Outcome == refund.PartRefund {
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
		case 13:
			if rapid.Bool().Draw(t, "sign") {
				return refund.Sign{Lines: lines()}
			}
			return refund.Ship{Lines: lines()}
		default:
			return refund.ConfirmReceipt{}
		}
	})
}

// Plausible generates an event that s could accept: an open request's
// next step in its status (the merchant's, the buyer's or the platform's),
// a new request on lines that are free and fit its kind and reason, or an
// order fact (shipping, signing, confirming receipt). A rule may still
// refuse it (a labelled line the merchant may not refuse, a closed
// no-reason window, an amount the platform cannot split).
func Plausible(s refund.State) *rapid.Generator[refund.Event] {
	return rapid.Custom(func(t *rapid.T) refund.Event {
		var open []refund.Request
		for _, r := range s.Requests {
			if !r.Status.Final() {
				open = append(open, r)
			}
		}
		switch k := rapid.IntRange(0, 9).Draw(t, "what"); {
		case k < 6 && len(open) > 0:
			return step(t, s, rapid.SampledFrom(open).Draw(t, "request"))
		case k < 8:
			if e, ok := newRequest(t, s); ok {
				return e
			}
		}
		return fact(t, s)
	})
}

// step draws an event that r accepts in its status.
func step(t *rapid.T, s refund.State, r refund.Request) refund.Event {
	id := r.ID
	var opts []refund.Event
	switch r.Status {
	case refund.Requested:
		opts = append(opts, refund.MerchantAgree{Request: id}, refund.MerchantRefuse{Request: id, Note: "no"},
			refund.Modify{Request: id, Items: ownItems(t, s, r)})
		if r.Revocation {
			opts = append(opts, refund.ShippingVoucher{Request: id, ShippedAt: r.RequestedAt.Add(-time.Hour)})
		}
	case refund.AwaitingBuyer, refund.Refused:
		opts = append(opts, refund.AskIntervention{Request: id}, refund.Modify{Request: id, Items: ownItems(t, s, r)})
	case refund.AwaitingReturn:
		opts = append(opts, refund.SubmitLogistics{Request: id, Carrier: "SF", Tracking: fmt.Sprintf("SF%d", id)})
	case refund.Returning:
		opts = append(opts, refund.MerchantReceive{Request: id}, refund.MerchantReceive{Request: id},
			refund.MerchantRefund{Request: id}, refund.MerchantRefuse{Request: id, Note: "worn"})
	case refund.Received:
		opts = append(opts, refund.MerchantRefund{Request: id}, refund.MerchantRefuse{Request: id, Note: "worn"})
	case refund.Intervention:
		e := refund.PlatformDecide{Request: id, Outcome: refund.Outcome(rapid.IntRange(1, 3).Draw(t, "outcome"))}
		if total, _ := money.ToFen(r.Total()); e.Outcome == refund.PartRefund && total > 1 {
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
	return rapid.SampledFrom(opts).Draw(t, "step")
}

// ownItems draws new items over the lines r already asks for: each the
// whole remaining amount or a part of it.
func ownItems(t *rapid.T, s refund.State, r refund.Request) []refund.Item {
	items := make([]refund.Item, 0, len(r.Items))
	for _, it := range r.Items {
		items = append(items, refund.Item{Line: it.Line, Amount: part(t, s, it.Line)})
	}
	return items
}

// part draws zero (all that is left of the line) or a part of it.
func part(t *rapid.T, s refund.State, line string) decimal.Decimal {
	if rest, _ := money.ToFen(s.Remaining(line)); rest > 1 && rapid.Bool().Draw(t, "part") {
		return money.FromFen(rapid.Int64Range(1, rest-1).Draw(t, "amount"))
	}
	return decimal.Zero
}

// newRequest draws an Open on free lines (in no open or held request, not
// refunded in full) that fit the kind and reason it draws.
func newRequest(t *rapid.T, s refund.State) (refund.Event, bool) {
	kind := refund.Kind(rapid.IntRange(1, 2).Draw(t, "kind"))
	reason := refund.Reason(rapid.IntRange(0, 3).Draw(t, "reason"))
	switch reason {
	case refund.NoReason, refund.Prohibited:
		kind = refund.ReturnRefund
	case refund.ParcelRefused:
		kind = refund.RefundOnly
	}
	var items []refund.Item
	for _, l := range s.Order.Lines {
		if !free(s, l) || !fits(l, kind, reason) || !rapid.Bool().Draw(t, "take_"+l.ID) {
			continue
		}
		items = append(items, refund.Item{Line: l.ID, Amount: part(t, s, l.ID)})
	}
	if len(items) == 0 {
		return nil, false
	}
	return refund.Open{Kind: kind, Reason: reason, Items: items}, true
}

func free(s refund.State, l refund.Line) bool {
	for _, r := range s.Requests {
		if (!r.Status.Final() || r.Status == refund.Held) && has(r, l.ID) {
			return false
		}
	}
	rest, _ := money.ToFen(s.Remaining(l.ID))
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
	if kind == refund.ReturnRefund && !l.Shipped {
		return false
	}
	switch reason {
	case refund.NoReason:
		return l.NoReason && !l.CustomMade && !l.Excluded && !l.SignedAt.IsZero()
	case refund.ParcelRefused:
		return l.Shipped && l.SignedAt.IsZero()
	case refund.Prohibited:
		return l.Prohibited
	}
	return true
}

// fact draws Ship of unshipped lines, Sign of shipped unsigned ones, or
// ConfirmReceipt.
func fact(t *rapid.T, s refund.State) refund.Event {
	var ship, sign []string
	for _, l := range s.Order.Lines {
		switch {
		case !l.Shipped:
			ship = append(ship, l.ID)
		case l.SignedAt.IsZero():
			sign = append(sign, l.ID)
		}
	}
	var opts []refund.Event
	if len(ship) > 0 {
		opts = append(opts, refund.Ship{Lines: ship[:rapid.IntRange(1, len(ship)).Draw(t, "n")]})
	}
	if len(sign) > 0 {
		opts = append(opts, refund.Sign{Lines: sign[:rapid.IntRange(1, len(sign)).Draw(t, "n")]})
	}
	if !s.Order.Confirmed {
		opts = append(opts, refund.ConfirmReceipt{})
	}
	if len(opts) == 0 {
		return refund.ConfirmReceipt{}
	}
	return rapid.SampledFrom(opts).Draw(t, "fact")
}

// Check returns an error if s breaks an invariant of package refund:
// request IDs in order; the money refunded per line and in total never
// more than was paid (RFD-10); coupons and the shipping fee given back at
// most once; a line's beans and points given back at most once, and only
// by the settlement that refunds it in full; a line in at most one open
// request; final requests with no deadline and a settlement exactly when
// refunded; and s passes [refund.State.Validate].
func Check(s refund.State) error {
	var errs []error
	if err := s.Validate(); err != nil {
		errs = append(errs, err)
	}
	paid := s.Order.Paid()
	if s.Refunded().GreaterThan(paid) {
		errs = append(errs, fmt.Errorf("refunded %s > paid %s", s.Refunded(), paid))
	}
	for _, l := range s.Order.Lines {
		if s.Remaining(l.ID).IsNegative() {
			errs = append(errs, fmt.Errorf("line %s refunded more than paid", l.ID))
		}
	}
	coupons, shipping := 0, 0
	open := map[string]int{}
	done := map[string]int{} // settlements that finished a line: its beans and points went back
	for _, l := range s.Order.Lines {
		var money decimal.Decimal
		var beans, points int64
		for _, r := range s.Requests {
			if r.Settlement == nil {
				continue
			}
			for _, sl := range r.Settlement.Lines {
				if sl.Line != l.ID {
					continue
				}
				money = money.Add(sl.Money)
				beans += sl.Beans
				points += sl.Points
				if sl.Done {
					done[l.ID]++
					if !money.Equal(l.Paid()) {
						errs = append(errs, fmt.Errorf("line %s done at %s of %s paid", l.ID, money, l.Paid()))
					}
				} else if sl.Beans != 0 || sl.Points != 0 {
					errs = append(errs, fmt.Errorf("line %s: beans or points back before it is refunded in full", l.ID))
				}
			}
		}
		if done[l.ID] > 1 || beans > l.Beans || points > l.Points {
			errs = append(errs, fmt.Errorf("line %s: finished %d times, %d of %d beans and %d of %d points back",
				l.ID, done[l.ID], beans, l.Beans, points, l.Points))
		}
	}
	for i, r := range s.Requests {
		if r.ID != i+1 {
			errs = append(errs, fmt.Errorf("request %d has ID %d", i+1, r.ID))
		}
		if (r.Settlement != nil) != (r.Status == refund.Refunded) {
			errs = append(errs, fmt.Errorf("request %d: %v with settlement %v", r.ID, r.Status, r.Settlement != nil))
		}
		if r.Status.Final() && !r.Deadline.IsZero() {
			errs = append(errs, fmt.Errorf("request %d: final with a deadline", r.ID))
		}
		if r.Settlement != nil {
			if len(r.Settlement.Coupons) > 0 {
				coupons++
			}
			if r.Settlement.Shipping.IsPositive() {
				shipping++
			}
		}
		if !r.Status.Final() {
			for _, it := range r.Items {
				if j, ok := open[it.Line]; ok {
					errs = append(errs, fmt.Errorf("line %s open in requests %d and %d", it.Line, j, r.ID))
				}
				open[it.Line] = r.ID
			}
		}
	}
	if coupons > 1 || shipping > 1 {
		errs = append(errs, fmt.Errorf("coupons given back %d times, shipping fee %d times", coupons, shipping))
	}
	return errors.Join(errs...)
}
