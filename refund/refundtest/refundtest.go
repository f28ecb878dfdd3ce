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

// Event generates an event for s: any of the package's events, aimed at
// one of s's requests (or one that does not exist), so a model test sees
// both accepted and refused events.
func Event(s refund.State) *rapid.Generator[refund.Event] {
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

// Check returns an error if s breaks an invariant of package refund:
// request IDs in order; the money refunded per line and in total never
// more than was paid (RFD-10); coupons and the shipping fee given back at
// most once; a line in at most one open request; final requests with no
// deadline and a settlement exactly when refunded; and s passes
// [refund.State.Validate].
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
