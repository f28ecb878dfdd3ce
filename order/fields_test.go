package order

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ORD-5: a created order is PendingPayment, and the buyer may pay or
// cancel it; nothing else the merchant does moves it before payment.
func TestCreatedOrderIsPendingPayment(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10.00", 1))
	if s.Status != PendingPayment {
		t.Fatalf("status %v, want %v (ORD-5)", s.Status, PendingPayment)
	}
	if got := must(t, m, s, Cancel{}, t0.Add(time.Minute)).State.Status; got != Cancelled {
		t.Errorf("cancel: status %v, want %v", got, Cancelled)
	}
	if got := must(t, m, s, Pay{Via: testVia, Number: "p1", Amount: d("10.00"), At: t0}, t0.Add(time.Minute)).State.Status; got != AwaitingShipment {
		t.Errorf("pay: status %v, want %v", got, AwaitingShipment)
	}
	refuse(t, m, s, Ship{Lines: []string{"a"}, Carrier: "sf", Tracking: "1", At: t0}, t0.Add(time.Minute), ErrNotAllowed, "")
}

// ORD-3: an order carries its number, time, status, items, delivery and
// invoice from creation; a payment number once paid; logistics once
// shipped.
func TestOrderCarriesItsFields(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10.00", 1))
	if s.Number == "" || !s.CreatedAt.Equal(t0) || len(s.Lines) != 1 {
		t.Fatalf("number %q, created %v, %d lines", s.Number, s.CreatedAt, len(s.Lines))
	}
	if diff := cmp.Diff(Delivery{Recipient: "Li", Phone: "138", Address: "Beijing"}, s.Delivery); diff != "" {
		t.Errorf("delivery (-want +got):\n%s", diff)
	}
	if s.Invoice.Kind != OrdinaryVAT {
		t.Errorf("invoice %v", s.Invoice.Kind)
	}
	if len(s.Payments) != 0 || len(s.Shipments) != 0 {
		t.Fatalf("payments %v, shipments %v before payment", s.Payments, s.Shipments)
	}
	paid := must(t, m, s, Pay{Via: testVia, Number: "p1", Amount: d("10.00"), At: t0.Add(time.Minute)}, t0.Add(time.Minute)).State
	if len(paid.Payments) != 1 || paid.Payments[0].Number != "p1" {
		t.Fatalf("payments %+v, want the payment number p1", paid.Payments)
	}
	shipped := must(t, m, paid, Ship{Lines: []string{"a"}, Carrier: "sf", Tracking: "T1", At: t0.Add(time.Hour)}, t0.Add(time.Hour)).State
	if len(shipped.Shipments) != 1 || shipped.Shipments[0].Carrier != "sf" || shipped.Shipments[0].Tracking != "T1" {
		t.Errorf("shipments %+v, want the logistics sf T1", shipped.Shipments)
	}
}
