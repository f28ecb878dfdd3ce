package order

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// types counts the item types of the order.
func (s *State) types() int {
	var seen []string
	for _, l := range s.Lines {
		if !slices.Contains(seen, l.Type) {
			seen = append(seen, l.Type)
		}
	}
	return len(seen)
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
	t.follow(e.Name(), at)
	return nil
}

// follow sets the status the lines call for (ORD-10, ORD-11, ORD-12,
// ORD-9): every line refunded → Closed; every line not refunded shipped
// → Shipped (escrow, auto-confirm from `from`) or Completed (direct);
// some shipped → PartiallyShipped; none → AwaitingShipment. A Completed
// order stays Completed unless it closes.
func (t *tx) follow(on string, from time.Time) {
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
		t.release(t.now, "ORD-10")
		t.move(Closed, on, t.now)
	case t.s.Status == Completed || t.s.Status == Shipped:
		t.move(t.s.Status, on, t.now)
	case unshipped == 0 && t.s.Mode == Direct:
		t.note("ORD-9", "direct payment: completed when every line shipped")
		t.complete(t.now, on)
	case unshipped == 0:
		t.move(Shipped, on, t.now)
		t.startConfirm(from)
	case shipped > 0:
		t.move(PartiallyShipped, on, t.now)
	default:
		t.move(AwaitingShipment, on, t.now)
	}
}

// startConfirm starts the escrow auto-confirm countdown at the latest
// parcel or from, whichever is later (ORD-9, ORD-12 reading): paused at
// once if a claim is open.
func (t *tx) startConfirm(from time.Time) {
	for _, sh := range t.s.Shipments {
		if sh.At.After(from) {
			from = sh.At // the last line's shipment, whatever the report order
		}
	}
	d, dec, err := span(t.v, keyAutoConfirm)
	if err != nil {
		t.fail(err)
		return
	}
	t.setTimer(AutoConfirm, from.Add(d))
	t.s.Original = t.s.Due
	if t.s.Open() {
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

func (t *tx) linesRefunded(e LinesRefunded) error {
	if e.Refund == "" || len(e.Lines) == 0 {
		return fmt.Errorf("%w: a refund needs an ID and lines", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-11", "refund"); err != nil {
		return err
	}
	if slices.Contains(t.s.Settlements, e.Refund) {
		return rules.Refuse("ORD-11", ErrDuplicate, "refund %s already applied", e.Refund)
	}
	var total Fen
	f, err := amountOf(e.Shipping, "refunded shipping")
	if err != nil {
		return err
	}
	ship := Fen(f)
	if left := t.s.ShippingFee - t.s.ShippingRefunded; ship > left {
		return rules.Refuse("ORD-11", ErrExceedsPaid, "shipping %s refunded, %s left", e.Shipping, left)
	}
	total += ship
	var money_ [8]Fen
	moneys := money_[:0]
	for i, rl := range e.Lines {
		j := t.s.line(rl.Line)
		if j < 0 || slices.IndexFunc(e.Lines, func(x RefundedLine) bool { return x.Line == rl.Line }) != i {
			return fmt.Errorf("%w: refund line %q unknown or repeated", ErrInvalid, rl.Line)
		}
		f, err := amountOf(rl.Money, "refund of line "+rl.Line)
		if err != nil {
			return err
		}
		l := t.s.Lines[j]
		if l.Done {
			return rules.Refuse("ORD-11", ErrRefunded, "line %s is already refunded in full", l.ID)
		}
		if e.Revocation && l.Shipment != 0 {
			return rules.Refuse("ORD-17", ErrShipped, "line %s shipped: not revoked", l.ID)
		}
		cash, so := l.Cash(), l.RefundedMoney
		switch {
		case so+Fen(f) > cash:
			return rules.Refuse("ORD-11", ErrExceedsPaid, "line %s: %s refunded of %s paid", l.ID, so+Fen(f), cash)
		case rl.Done && so+Fen(f) != cash:
			return rules.Refuse("ORD-11", ErrAmount, "line %s marked done with %s of %s refunded", l.ID, so+Fen(f), cash)
		}
		total += Fen(f)
		moneys = append(moneys, Fen(f))
	}
	t.ownLines()
	for i, rl := range e.Lines {
		l := &t.s.Lines[t.s.line(rl.Line)]
		l.RefundedMoney += moneys[i]
		if rl.Done || l.RefundedMoney == l.Cash() && l.Cash() > 0 {
			l.Done = true
			l.Revoked = e.Revocation
		}
	}
	t.s.Settlements = append(t.s.Settlements, e.Refund)
	t.s.ShippingRefunded += ship
	// Where the money comes from (ORD-13): frozen funds first.
	fromEscrow := min(t.s.Frozen, total)
	fromMerchant := total - fromEscrow
	t.s.Frozen -= fromEscrow
	t.s.Settled -= fromMerchant
	t.s.Refunded += total
	if total > 0 {
		t.emit(t.now, "ORD-13", FundRefund{Refund: e.Refund, FromEscrow: fromEscrow, FromMerchant: fromMerchant})
	}
	rule := "ORD-11"
	if e.Revocation {
		rule = "ORD-17"
	}
	t.note(rule, "refund applied")
	t.follow(e.Name(), e.At.Round(0).UTC())
	return nil
}
