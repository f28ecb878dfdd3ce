package refund

import (
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// open starts a request (RFD-1) in status Requested.
func (t *tx) open(e Open) error {
	if e.Kind != RefundOnly && e.Kind != ReturnRefund {
		return rules.Refuse("RFD-1", ErrBadRequest, "kind %v", e.Kind)
	}
	if int(e.Reason) >= len(reasonNames) {
		return rules.Refuse("RFD-1", ErrBadRequest, "reason %v", e.Reason)
	}
	r := Request{ID: len(t.s.Requests) + 1, Kind: e.Kind, Reason: e.Reason, RequestedAt: t.now,
		Version: t.m.policy.In(t.now).Date(), Confirmed: t.s.Order.Confirmed}
	items, revocation, err := t.check(&r, e.Items)
	if err != nil {
		return err
	}
	r.Items, r.Revocation = items, revocation
	t.s.Requests = append(t.s.Requests, r)
	p := &t.s.Requests[len(t.s.Requests)-1]
	t.request(p)
	t.shippingCosts(p)
	return nil
}

// request (re)starts the merchant's response period of r at now.
func (t *tx) request(r *Request) {
	t.to(r, Requested, t.now)
	switch {
	case r.Revocation:
		t.note(r, "RFD-9", "lines not shipped before the request: the trade is revoked unless a voucher shows otherwise")
		t.due(r, revocationVoucher, t.now)
	case r.Kind == RefundOnly:
		t.due(r, merchantResponse, t.now)
	default:
		t.due(r, returnMerchantResponse, t.now)
	}
}

// shippingCosts says who pays which leg (RFD-6, RFD-8).
func (t *tx) shippingCosts(r *Request) {
	switch r.Reason {
	case NoReason, ParcelRefused:
		out := Buyer
		if t.s.Order.FreeShipping {
			out = Merchant
		}
		t.emit(ShippingCost{Request: r.ID, Leg: Outbound, Payer: out, Why: "RFD-6"})
		t.emit(ShippingCost{Request: r.ID, Leg: Back, Payer: Buyer, Why: "RFD-6"})
	case Prohibited:
		t.emit(ShippingCost{Request: r.ID, Leg: Outbound, Payer: Merchant, Why: "RFD-8"})
		t.emit(ShippingCost{Request: r.ID, Leg: Back, Payer: Merchant, Why: "RFD-8"})
	}
}

// check validates the items of request r (new, or being modified) and
// resolves zero amounts to the line's remaining money. It reports whether
// the request is a revocation (RFD-9): refund only, no line shipped.
func (t *tx) check(r *Request, in []Item) ([]Item, bool, error) {
	o := t.s.Order
	if len(in) == 0 {
		return nil, false, rules.Refuse("RFD-1", ErrBadRequest, "no items")
	}
	l := t.s.ledger()
	items := make([]Item, len(in))
	shipped := false
	for i, it := range in {
		li := o.line(it.Line)
		if li < 0 {
			return nil, false, rules.Refuse("RFD-1", ErrBadRequest, "no line %q", it.Line)
		}
		for _, p := range in[:i] {
			if p.Line == it.Line {
				return nil, false, rules.Refuse("RFD-1", ErrBadRequest, "line %s twice", it.Line)
			}
		}
		for _, q := range t.s.Requests {
			if q.Status == Held && q.has(it.Line) {
				return nil, false, rules.Refuse("RFD-8", ErrLineBusy, "line %s: the platform holds its funds (request %d)", it.Line, q.ID)
			}
			if q.ID != r.ID && !q.Status.Final() && q.has(it.Line) {
				return nil, false, rules.Refuse("RFD-1", ErrLineBusy, "line %s is in request %d", it.Line, q.ID)
			}
		}
		if !wholeFen(it.Amount) {
			return nil, false, rules.Refuse("RFD-10", ErrBadRequest, "line %s: amount %s", it.Line, show(it.Amount))
		}
		rest := o.Lines[li].Paid().Sub(l.refunded[li])
		if l.done[li] {
			return nil, false, rules.Refuse("RFD-10", ErrExceedsPaid, "line %s is refunded in full", it.Line)
		}
		if it.Amount.GreaterThan(rest) {
			return nil, false, rules.Refuse("RFD-10", ErrExceedsPaid, "line %s: asked %s, %s left of what was paid",
				it.Line, it.Amount.StringFixed(2), rest.StringFixed(2))
		}
		items[i] = Item{Line: it.Line, Amount: it.Amount}
		if it.Amount.IsZero() {
			items[i].Amount = rest
		}
		if err := t.checkLine(r, o.Lines[li]); err != nil {
			return nil, false, err
		}
		// ORD-17: what counts is whether the line had shipped before the
		// request; a line of a revocation shipped after it still had not.
		shipped = shipped || o.Lines[li].Shipped && !(r.Revocation && r.has(it.Line))
	}
	return items, r.Kind == RefundOnly && !shipped, nil
}

// checkLine applies the rules of r's kind and reason to one line.
func (t *tx) checkLine(r *Request, line Line) error {
	if r.Kind == ReturnRefund && !line.Shipped {
		return rules.Refuse("RFD-3", ErrNotShipped, "line %s: a return needs shipped goods", line.ID)
	}
	switch r.Reason {
	case NoReason:
		return t.checkNoReason(r, line)
	case ParcelRefused:
		if r.Kind != RefundOnly || !line.Shipped || !line.SignedAt.IsZero() {
			return rules.Refuse("RFD-6", ErrBadRequest, "line %s: a refused parcel is a refund-only request on shipped, unsigned goods", line.ID)
		}
	case Prohibited:
		if r.Kind != ReturnRefund || !line.Prohibited {
			return rules.Refuse("RFD-8", ErrBadRequest, "line %s: not a return of verified prohibited goods", line.ID)
		}
	}
	return nil
}

// checkNoReason: eligible, intact-by-default items signed for, requested
// within the calendar window counted from the day after signing (RFD-5).
func (t *tx) checkNoReason(r *Request, line Line) error {
	switch {
	case r.Kind != ReturnRefund:
		return rules.Refuse("RFD-5", ErrBadRequest, "a no-reason request is a return")
	case line.CustomMade:
		return rules.Refuse("RFD-5", ErrExcluded, "line %s is custom-made", line.ID)
	case line.Excluded:
		return rules.Refuse("RFD-5", ErrExcluded, "line %s is outside no-reason returns", line.ID)
	case !line.NoReason:
		return rules.Refuse("RFD-5", ErrNotEligible, "line %s does not support no-reason returns", line.ID)
	case line.SignedAt.IsZero():
		return rules.Refuse("RFD-5", ErrNotSigned, "line %s", line.ID)
	}
	// The window bounds the request: a line already in r (a Modify, e.g.
	// after a refusal) was asked for at r.RequestedAt; a line added now
	// is asked for now.
	at := t.now
	if r.has(line.ID) {
		at = r.RequestedAt
	}
	end := t.window(r, noReasonWindow, line.SignedAt)
	if !at.Before(end) {
		return rules.Refuse("RFD-5", ErrWindowClosed, "line %s signed %s: requested %s, window closed %s", line.ID,
			line.SignedAt.Format(time.RFC3339), at.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}

// fulfil applies the order facts Ship, Sign and ConfirmReceipt.
func (t *tx) fulfil(e Event) error {
	o := &t.s.Order
	switch e := e.(type) {
	case Ship:
		return t.eachLine(e.Lines, "ORD-12", func(l *Line) error {
			if l.Shipped {
				return rules.Refuse("ORD-12", ErrNotAllowed, "line %s already shipped", l.ID)
			}
			l.Shipped = true
			for i := range t.s.Requests {
				if r := &t.s.Requests[i]; r.Revocation && r.Status == Requested && r.has(l.ID) {
					t.note(r, "ORD-17", "line %s shipped after the request: the buyer may refuse the parcel", l.ID)
				}
			}
			return nil
		})
	case Sign:
		return t.eachLine(e.Lines, "RFD-5", func(l *Line) error {
			if !l.Shipped || !l.SignedAt.IsZero() {
				return rules.Refuse("RFD-5", ErrNotAllowed, "line %s: not shipped or already signed", l.ID)
			}
			l.SignedAt = t.now
			return nil
		})
	default: // ConfirmReceipt
		if o.Confirmed {
			return rules.Refuse("PTS-2", ErrNotAllowed, "already confirmed")
		}
		o.Confirmed = true
	}
	return nil
}

func (t *tx) eachLine(ids []string, rule string, f func(*Line) error) error {
	if len(ids) == 0 {
		return rules.Refuse(rule, ErrBadRequest, "no lines")
	}
	for _, id := range ids {
		i := t.s.Order.line(id)
		if i < 0 {
			return rules.Refuse(rule, ErrBadRequest, "no line %q", id)
		}
		if err := f(&t.s.Order.Lines[i]); err != nil {
			return err
		}
	}
	return nil
}
