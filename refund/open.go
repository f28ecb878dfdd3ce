package refund

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// open starts one request (RFD-1) in status Requested, or two when a
// refund-only request names shipped and unshipped lines (RFD-9 (4)).
func (t *tx) open(e Open) error {
	if !e.Kind.IsValid() || !e.Reason.IsValid() {
		return fmt.Errorf("%w: open: kind %v, reason %v", ErrInvalid, e.Kind, e.Reason)
	}
	switch {
	case e.Reason == NoReason && e.Kind != ReturnRefund:
		return rules.Refuse("RFD-5", ErrBadRequest, "a no-reason request is a return")
	case e.Reason == Prohibited && e.Kind != ReturnRefund:
		return rules.Refuse("RFD-8", ErrBadRequest, "prohibited goods are returned")
	case e.Reason == ParcelRefused && e.Kind != RefundOnly:
		return rules.Refuse("RFD-6", ErrBadRequest, "a refused parcel is refunded only")
	}
	v := t.m.policy.In(t.now)
	base := Request{Kind: e.Kind, Reason: e.Reason, RequestedAt: t.now, Version: v.Date(), Stage: Shipped}
	if t.confirmedBy(t.now) {
		base.Stage = Confirmed
	}
	// The first request of a state, of one item, the commonest open, is
	// one allocation for the request and its item.
	var first *oneRequest
	var dst []Item
	if len(t.s.Requests) == 0 && len(e.Items) == 1 {
		first = new(oneRequest)
		dst = first.item[:0]
	}
	items, err := t.items(&base, e.Items, dst)
	if err != nil {
		return err
	}
	// RFD-9: lines not shipped at the request are revoked; with a
	// refund-only request on shipped lines too, they form a request of
	// their own, first.
	revoked, rest := t.splitRevoked(e, items)
	groups := 0
	for _, g := range [2][]Item{revoked, rest} {
		if len(g) > 0 {
			groups++
		}
	}
	if first != nil && groups == 1 {
		t.s.Requests = first.req[:0]
	} else {
		t.s.Requests = slices.Grow(t.s.Requests, groups) // the state's copy has its room already
	}
	for g, group := range [2][]Item{revoked, rest} {
		if len(group) == 0 {
			continue
		}
		r := base
		r.ID = len(t.s.Requests) + 1
		r.Items = group
		if g == 0 {
			r.Revocation, r.Stage = true, BeforeShipment
		}
		t.s.Requests = append(t.s.Requests, r)
		p := &t.s.Requests[len(t.s.Requests)-1]
		t.request(p)
		t.shippingCosts(p)
	}
	return nil
}

// splitRevoked splits the items of an open into the lines it revokes
// (RFD-9: a refund-only request agreed on, of lines not shipped before
// now) and the rest, each in the order asked. Mostly one of them is
// empty and the other is items itself; else they are the two parts of
// one new array, each with no room beyond its end.
func (t *tx) splitRevoked(e Open, items []Item) (revoked, rest []Item) {
	revokes := func(it Item) bool {
		return e.Kind == RefundOnly && e.Reason == Agreed && !t.o.Lines[t.o.line(it.Line)].shippedBefore(t.now)
	}
	n := 0
	for _, it := range items {
		if revokes(it) {
			n++
		}
	}
	switch n {
	case 0:
		return nil, items
	case len(items):
		return items, nil
	}
	out := make([]Item, 0, len(items))
	for _, it := range items {
		if revokes(it) {
			out = append(out, it)
		}
	}
	for _, it := range items {
		if !revokes(it) {
			out = append(out, it)
		}
	}
	return out[:n:n], out[n:]
}

func (t *tx) confirmedBy(at time.Time) bool {
	return !t.o.ConfirmedAt.IsZero() && !t.o.ConfirmedAt.After(at)
}

// request (re)starts the merchant's response period of r at now.
func (t *tx) request(r *Request) {
	t.to(r, Requested, t.now)
	switch {
	case r.Revocation:
		t.note(r, "RFD-9", "lines not shipped at the request: the trade is revoked unless a voucher shows otherwise")
		t.due(r, wRevocationVoucher, t.now)
	case r.Kind == RefundOnly:
		t.due(r, wMerchantResponse, t.now)
	default:
		t.due(r, wReturnMerchantResponse, t.now)
	}
}

// shippingCosts says who pays which leg (RFD-6, RFD-8).
func (t *tx) shippingCosts(r *Request) {
	switch r.Reason {
	case NoReason, ParcelRefused:
		out, back := Merchant, Merchant
		if t.flag(r, fBuyerPaysShipping, "who pays a no-reason return's shipping") {
			back = Buyer
			if !t.o.FreeShipping {
				out = Buyer
			}
		}
		t.emit("RFD-6", t.now, ShippingCost{Request: r.ID, Leg: Outbound, Payer: out})
		t.emit("RFD-6", t.now, ShippingCost{Request: r.ID, Leg: Back, Payer: back})
	case Prohibited:
		t.emit("RFD-8", t.now, ShippingCost{Request: r.ID, Leg: Outbound, Payer: Merchant})
		t.emit("RFD-8", t.now, ShippingCost{Request: r.ID, Leg: Back, Payer: Merchant})
	}
}

// items checks the items of request r (new, or being modified: then r
// has its ID and its current items) and resolves zero amounts to the
// line's remaining money, into dst if it has room. It changes nothing.
func (t *tx) items(r *Request, in, dst []Item) ([]Item, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%w: request: no items", ErrInvalid)
	}
	out := dst[:0]
	if cap(out) >= len(in) {
		out = out[:len(in)]
	} else {
		out = make([]Item, len(in))
	}
	for i, it := range in {
		li := t.o.line(it.Line)
		if li < 0 {
			return nil, fmt.Errorf("%w: request: no line %q", ErrInvalid, it.Line)
		}
		for _, p := range in[:i] {
			if p.Line == it.Line {
				return nil, fmt.Errorf("%w: request: line %s twice", ErrInvalid, it.Line)
			}
		}
		ask, err := money.Amount(it.Amount)
		if err != nil {
			return nil, fmt.Errorf("%w: request: line %s: %w", ErrInvalid, it.Line, err)
		}
		for q := range t.s.Requests {
			q := &t.s.Requests[q]
			if q.Status == Held && q.has(it.Line) {
				return nil, rules.Refuse("RFD-8", ErrLineBusy, "line %s: the platform holds its funds (request %d)", it.Line, q.ID)
			}
			if q.ID != r.ID && !q.Status.Final() && q.has(it.Line) {
				return nil, rules.Refuse("RFD-1", ErrLineBusy, "line %s is in request %d", it.Line, q.ID)
			}
		}
		line := &t.o.Lines[li]
		paid := line.paid()
		refunded, done := t.s.lineRefunded(it.Line, len(t.s.Requests))
		if done {
			return nil, rules.Refuse("RFD-10", ErrExceedsPaid, "line %s is refunded in full", it.Line)
		}
		rest := paid - refunded
		if ask > rest {
			return nil, rules.Refuse("RFD-10", ErrExceedsPaid, "line %s: asked %s, %s left of what was paid",
				it.Line, money.FromFen(ask).StringFixed(2), money.FromFen(rest).StringFixed(2))
		}
		// The decimal asked is kept when it is already the money.FromFen
		// form of the amount; a zero asks for what is left.
		amount := it.Amount
		if ask == 0 {
			ask = rest
			amount = money.FromFen(ask)
		} else if amount.Exponent() != -2 {
			amount = money.FromFen(ask)
		}
		out[i] = Item{Line: it.Line, Amount: amount}
		if err := t.checkLine(r, line); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkLine applies the rules of r's kind and reason to one line.
func (t *tx) checkLine(r *Request, line *FactLine) error {
	if r.Kind == ReturnRefund && !line.shipped() {
		return rules.Refuse("RFD-3", ErrNotShipped, "line %s: a return needs shipped goods", line.ID)
	}
	// A request keeps what it was when it was made: a line added to an
	// ordinary refund-only request must have shipped by then (one that
	// had not is revoked by a request of its own, RFD-9).
	if r.ID != 0 && r.Kind == RefundOnly && !r.has(line.ID) && !line.shippedBefore(r.RequestedAt) {
		return rules.Refuse("RFD-9", ErrBadRequest, "line %s had not shipped at the request: ask for it in a new request", line.ID)
	}
	switch r.Reason {
	case NoReason:
		return t.checkNoReason(r, line)
	case ParcelRefused:
		switch {
		case !line.shipped():
			return rules.Refuse("RFD-6", ErrNotShipped, "line %s: a refused parcel is of shipped goods", line.ID)
		case !line.SignedAt.IsZero():
			return rules.Refuse("RFD-6", ErrBadRequest, "line %s was signed for, not refused", line.ID)
		case !line.NoReason:
			return rules.Refuse("RFD-6", ErrNotEligible, "line %s carries no no-reason label: the merchant pays unless the buyer caused it (ORD-8)", line.ID)
		}
	case Prohibited:
		if !line.Prohibited {
			return rules.Refuse("RFD-8", ErrBadRequest, "line %s: not verified prohibited goods", line.ID)
		}
	}
	return nil
}

// checkNoReason: eligible, intact-by-default items signed for, requested
// within the calendar window counted from the day after signing (RFD-5).
func (t *tx) checkNoReason(r *Request, line *FactLine) error {
	switch {
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
	end := t.window(r, wNoReasonWindow, line.SignedAt)
	if t.err != nil {
		return t.err
	}
	if !at.Before(end) {
		return rules.Refuse("RFD-5", ErrWindowClosed, "line %s signed %s: requested %s, window closed %s", line.ID,
			line.SignedAt.UTC().Format(time.RFC3339), at.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}
