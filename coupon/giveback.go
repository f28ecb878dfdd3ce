package coupon

import (
	"slices"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Reason is why an order's coupons may go back to the buyer. The zero
// value is not a valid reason.
type Reason uint8

const (
	ReasonInvalid Reason = iota // the zero Reason: not a valid reason
	Cancel                      // the order was cancelled (CPN-7)
	FullRefund                  // a refund of the whole order completed (CPN-6)
	PartialRefund               // a refund of some lines or some amount completed (CPN-6)
)

var reasonNames = [...]string{"invalid", "cancel", "full_refund", "partial_refund"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "invalid"
}

// GiveBackResult is the outcome of a give-back.
type GiveBackResult struct {
	// Coupons are the coupons passed in, updated: those given back are
	// Available again, or Unusable if they had expired (CPN-7).
	Coupons []Coupon `json:"coupons"`
	// Returned lists the coupons given back by this call (usable or
	// not); Unusable those of them that had expired.
	Returned []string `json:"returned"`
	Unusable []string `json:"unusable"`
	// Decisions say why, with the rule IDs.
	Decisions []rules.Decision `json:"decisions"`
}

// MarkUsed returns c as used in the given orders (one order; the orders
// of the checkout a cross-store coupon was apportioned over). Only an
// Available coupon can be used (CPN-1).
func MarkUsed(c Coupon, orders ...string) (Coupon, error) {
	if c.Status != Available {
		return c, rules.Refuse("CPN-1", ErrNotAvailable, "coupon %s is %s", c.ID, c.Status)
	}
	if len(orders) == 0 {
		return c, rules.Refuse("CPN-4", ErrWrongOrder, "coupon %s: no order given", c.ID)
	}
	c.Status = Used
	c.UsedIn = slices.Clone(orders)
	c.Released = nil
	return c, nil
}

// GiveBack handles the cancel or refund of order for the coupons given
// (typically the buyer's coupons used in it; others are left as they
// are). A cancel or a full refund gives back every coupon used in the
// order; a partial refund gives none back (CPN-6, policy values
// give_back_on_*). A coupon given back after its expiry is marked
// Unusable (CPN-7). A cross-store coupon used in several orders goes back
// once every one of them is cancelled or fully refunded. A coupon is
// never given back twice: calling GiveBack again changes nothing.
//
// The policy version in force at now judges. The input is not modified.
func (e *Engine) GiveBack(coupons []Coupon, order string, r Reason) (GiveBackResult, error) {
	now := e.clock.Now()
	v := e.set.In(now)
	var key rules.Key[bool]
	switch r {
	case Cancel:
		key = keyBackOnCancel
	case FullRefund:
		key = keyBackOnFull
	case PartialRefund:
		key = keyBackOnPartial
	default:
		return GiveBackResult{}, rules.Refuse("CPN-6", ErrInvalid, "give-back reason %d: want cancel, full_refund or partial_refund", r)
	}
	back, dec, err := rules.Explain(v, key)
	if err != nil {
		return GiveBackResult{}, err
	}
	res := GiveBackResult{Coupons: make([]Coupon, len(coupons)), Returned: []string{}, Unusable: []string{}}
	res.Decisions = append(res.Decisions, dec)
	for i, c := range coupons {
		c.UsedIn = slices.Clone(c.UsedIn)
		c.Released = slices.Clone(c.Released)
		res.Coupons[i] = c
		if !back || c.Status != Used || !slices.Contains(c.UsedIn, order) || slices.Contains(c.Released, order) {
			continue
		}
		c.Released = append(c.Released, order)
		done := true
		for _, o := range c.UsedIn {
			done = done && slices.Contains(c.Released, o)
		}
		if done {
			res.Returned = append(res.Returned, c.ID)
			if !c.ValidUntil.IsZero() && !now.Before(c.ValidUntil) {
				c.Status = Unusable
				res.Unusable = append(res.Unusable, c.ID)
				res.Decisions = append(res.Decisions, rules.Decision{Rule: "CPN-7", Policy: v.Policy(), Version: v.Date(),
					Note: "coupon " + c.ID + " given back after its expiry: it cannot be used again"})
			} else {
				c.Status = Available
				res.Decisions = append(res.Decisions, rules.Decision{Rule: "CPN-7", Policy: v.Policy(), Version: v.Date(),
					Note: "coupon " + c.ID + " given back within its validity: it can be used again"})
			}
			c.UsedIn, c.Released = nil, nil
		}
		res.Coupons[i] = c
	}
	return res, nil
}
