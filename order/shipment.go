package order

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// types counts the item types of the order.
func (s *State) types() int {
	n := 0
	for i := range s.Lines {
		first := true
		for j := range i {
			if s.Lines[j].Type == s.Lines[i].Type {
				first = false
				break
			}
		}
		if first {
			n++
		}
	}
	return n
}

func (t *tx) ship(e Ship) error {
	if len(e.Lines) == 0 || e.Carrier == "" || e.Tracking == "" {
		return fmt.Errorf("%w: a parcel needs lines, a carrier and a tracking number (ORD-3)", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-12", "shipment"); err != nil {
		return err
	}
	if e.At.Before(t.s.PaidAt) {
		return rules.Refuse("ORD-12", ErrTime, "shipped at %s, before payment at %s", e.At.UTC().Format(time.RFC3339), t.s.PaidAt.Format(time.RFC3339))
	}
	for i, id := range e.Lines {
		j := t.s.line(id)
		switch {
		case j < 0:
			return fmt.Errorf("%w: no line %q", ErrInvalid, id)
		case slices.Index(e.Lines, id) != i:
			return fmt.Errorf("%w: line %q twice in one parcel", ErrInvalid, id)
		case t.s.Lines[j].Shipment != 0:
			return rules.Refuse("ORD-12", ErrShipped, "line %s shipped in parcel %d", id, t.s.Lines[j].Shipment)
		case t.s.Lines[j].Revoked:
			return rules.Refuse("ORD-17", ErrRefunded, "line %s: the trade was revoked for it before shipment", id)
		case t.s.Lines[j].Done:
			return rules.Refuse("ORD-11", ErrRefunded, "line %s is refunded", id)
		}
	}
	if t.s.types() == 1 {
		for _, l := range t.s.Lines {
			if l.Shipment == 0 && !l.Done && !slices.Contains(e.Lines, l.ID) {
				return rules.Refuse("ORD-12", ErrSplit, "line %s left out", l.ID)
			}
		}
	}
	at := e.At.Round(0).UTC()
	t.s.Shipments = append(t.s.Shipments, Shipment{Lines: slices.Clone(e.Lines), Carrier: e.Carrier, Tracking: e.Tracking, At: at})
	t.ownLines()
	for _, id := range e.Lines {
		t.s.Lines[t.s.line(id)].Shipment = len(t.s.Shipments)
	}
	t.shippedAfterRevocation(e.Lines)
	t.follow(e.Name(), at)
	return nil
}

// follow sets the status the lines call for (ORD-10, ORD-11, ORD-12,
// ORD-9): every line refunded → Closed; every line not refunded shipped
// → Shipped (escrow, auto-confirm from `from`) or Completed (direct);
// some shipped → PartiallyShipped; none → AwaitingShipment. A Completed
// order stays Completed unless it closes.
func (t *tx) follow(on string, from time.Time) {
	now := t.instant()
	remaining, unshipped, shipped := 0, 0, 0
	for _, l := range t.s.Lines {
		if l.Shipment != 0 {
			shipped++
		}
		if !l.Done {
			remaining++
			if l.Shipment == 0 {
				unshipped++
			}
		}
	}
	switch {
	case remaining == 0:
		t.note("ORD-10", "every line refunded: closed")
		t.release(now, "ORD-10")
		t.move(Closed, on, now)
	case t.s.Status == PendingPayment: // a presale deposit partly refunded (ORD-14)
		t.move(PendingPayment, on, now)
	case t.s.Status == Completed || t.s.Status == Shipped:
		t.move(t.s.Status, on, now)
	case unshipped == 0 && t.s.Mode == Direct:
		t.note("ORD-9", "direct payment: completed when every line shipped")
		t.complete(now, on)
	case unshipped == 0:
		t.move(Shipped, on, now)
		t.startConfirm(from)
	case shipped > 0:
		t.move(PartiallyShipped, on, now)
	default:
		t.move(AwaitingShipment, on, now)
	}
}

// startConfirm starts the escrow auto-confirm countdown at the latest
// parcel or from, whichever is later (ORD-9, ORD-12 reading): paused at
// once if a refund request or complaint is open.
func (t *tx) startConfirm(from time.Time) {
	for _, sh := range t.s.Shipments {
		if sh.At.After(from) {
			from = sh.At // the last line's shipment, whatever the report order
		}
	}
	d, dec, err := t.autoConfirm()
	if err != nil {
		t.fail(err)
		return
	}
	t.setTimer(AutoConfirm, from.Add(d))
	t.s.Original = t.s.Due
	if t.s.open() {
		t.s.Left, t.s.Due = d, time.Time{}
	}
	t.decide(dec, "auto-confirm countdown started from the last shipment")
}

func (t *tx) undeliverable(e Undeliverable) error {
	if e.Shipment < 1 || e.Shipment > len(t.s.Shipments) || !e.Cause.IsValid() {
		return fmt.Errorf("%w: undeliverable: shipment %d, cause %v", ErrInvalid, e.Shipment, e.Cause)
	}
	if err := t.at(e.At, "ORD-8", "undeliverable parcel"); err != nil {
		return err
	}
	if t.s.Shipments[e.Shipment-1].Undelivered {
		return rules.Refuse("ORD-8", ErrNotAllowed, "parcel %d already reported undeliverable", e.Shipment)
	}
	t.ownShipments()
	sh := &t.s.Shipments[e.Shipment-1]
	payer := Merchant
	if e.Cause == WrongAddress || e.Cause == ChangedWithoutConsent {
		payer = Buyer
	}
	sh.Undelivered = true
	t.emit(t.now, "ORD-8", ShippingCost{Shipment: e.Shipment, Payer: payer})
	return nil
}

func (t *tx) sign(e Sign) error {
	if e.Shipment < 1 || e.Shipment > len(t.s.Shipments) {
		return fmt.Errorf("%w: sign: shipment %d", ErrInvalid, e.Shipment)
	}
	if e.Authorised && !e.ThirdParty {
		return fmt.Errorf("%w: sign: authorised, but no third party signed", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-16", "signing"); err != nil {
		return err
	}
	at := e.At.Round(0).UTC()
	sh := t.s.Shipments[e.Shipment-1]
	switch {
	case !sh.SignedAt.IsZero():
		return rules.Refuse("ORD-16", ErrNotAllowed, "parcel %d already signed for", e.Shipment)
	case at.Before(sh.At):
		return rules.Refuse("ORD-16", ErrTime, "parcel %d signed for before it shipped", e.Shipment)
	}
	t.ownShipments()
	p := &t.s.Shipments[e.Shipment-1]
	p.SignedAt, p.ThirdParty, p.Authorised = at, e.ThirdParty, e.Authorised
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

// shippedAfterRevocation tells refund that lines of an open revocation
// shipped (ORD-17, RFD-9): the merchant bears the loss.
func (t *tx) shippedAfterRevocation(lines []string) {
	var hit []string
	for _, r := range t.s.Refunds.Requests {
		if !r.Revocation || r.Status.Final() {
			continue
		}
		for _, it := range r.Items {
			if slices.Contains(lines, it.Line) {
				hit = append(hit, it.Line)
			}
		}
	}
	if len(hit) == 0 {
		return
	}
	res, err := t.refunds.ApplyFactsAt(t.s.refundFacts(nil), t.s.Refunds, refund.ShippedAfterRevocation{Lines: hit}, t.now)
	if err != nil {
		t.fail(fmt.Errorf("%w: shipment after revocation: %w", ErrInvalid, err))
		return
	}
	t.takeRefund(res, t.now)
}
