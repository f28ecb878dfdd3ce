package order

import (
	"fmt"
	"slices"

	"github.com/tradepolicy/tradepolicy/coupon"
)

// CheckoutGiveBack decides what goes back of a checkout's cross-store
// coupons (CPN-5), which no single order keeps ([Cart].Coupons: a coupon
// used by the lines of several orders is left to the host). shared is the
// host's record of them, with Orders naming the checkout's order numbers
// (as stored after the previous call); orders are the checkout's orders,
// in any sequence. e gives back by the coupon policy (nil: coupon.New
// with coupon's default policy).
//
// The reading (CPN-6, CPN-7): a coupon has no partial refund of its
// value, so a cross-store coupon goes back only when every order it was
// apportioned over is released: Cancelled (coupon.Cancel, CPN-7), Closed
// with every line refunded in full (coupon.FullRefund, CPN-6), or Closed
// otherwise, its payment returned by the merchant's cancellation or a
// late presale balance (coupon.Cancel, CPN-7). An order that is still
// live, or partly refunded, keeps its share and so the coupon. Each
// released order is handed to [coupon.Engine.GiveBack] at the instant it
// ended ([State.EndedAt]), earliest first, so the coupon goes back at the
// instant the last of them ended, usable again if that is before its
// expiry (CPN-7), whenever the host calls. The record remembers every
// release, so calling again, with the same or more orders, never gives a
// coupon back twice: each coupon goes back in one give_back_coupons
// effect, once.
//
// The result holds the updated record (store it), the effects and the
// decisions. An invalid order state, orders of different checkouts or a
// repeated order number are errors wrapping [ErrInvalid]; coupon's
// errors (an invalid record, a policy that no longer holds its version)
// are returned as coupon gives them, with the record unchanged.
func CheckoutGiveBack(e *coupon.Engine, shared coupon.Redemption, orders []State) (coupon.GiveBackResult, error) {
	res := coupon.GiveBackResult{Redemption: shared}
	if e == nil {
		e = coupon.New(coupon.Options{})
	}
	var ended []State
	for i, s := range orders {
		if err := s.Validate(); err != nil {
			return res, fmt.Errorf("order.CheckoutGiveBack: %w", err)
		}
		switch {
		case s.Checkout != orders[0].Checkout:
			return res, fmt.Errorf("order.CheckoutGiveBack: %w: order %s is of checkout %q, not %q", ErrInvalid, s.Number, s.Checkout, orders[0].Checkout)
		case slices.ContainsFunc(orders[:i], func(o State) bool { return o.Number == s.Number }):
			return res, fmt.Errorf("order.CheckoutGiveBack: %w: order %s given twice", ErrInvalid, s.Number)
		}
		if _, ok := released(s); ok {
			ended = append(ended, s)
		}
	}
	slices.SortStableFunc(ended, func(a, b State) int { return a.EndedAt.Compare(b.EndedAt) })
	for _, s := range ended {
		why, _ := released(s)
		r, err := e.GiveBack(res.Redemption, s.Number, why, s.EndedAt)
		if err != nil {
			return coupon.GiveBackResult{Redemption: shared}, err
		}
		res.Redemption = r.Redemption
		res.Effects = append(res.Effects, r.Effects...)
		res.Decisions = append(res.Decisions, r.Decisions...)
	}
	return res, nil
}

// released reports whether s no longer keeps any coupon value, and why
// (CPN-6, CPN-7).
func released(s State) (coupon.Reason, bool) {
	switch s.Status {
	case Cancelled:
		return coupon.Cancel, true
	case Closed:
		for _, l := range s.Lines {
			if !l.Done {
				return coupon.Cancel, true // closed by the merchant's cancellation or a late balance: payment returned
			}
		}
		return coupon.FullRefund, true
	}
	return 0, false
}
