package order

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// ORD-2: one order per store; activity and installment items get an order of their own.
func TestCheckoutSplit(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10.00", 1), item("b", "s1", "5.50", 2)
	c := item("c", "s1", "99.00", 1)
	c.Activity, c.ActivityLimit = true, 15*time.Minute
	dd := item("d", "s2", "1.00", 3)
	e := item("e", "s1", "300.00", 1)
	e.Installment = true
	rs, err := m.CheckoutAt(cart(a, c, dd, b, e), t0)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Number string
		Store  string
		Kind   Kind
		Mode   Mode
		Lines  []string
		Due    time.Time
	}
	var gs []got
	for _, r := range rs {
		g := got{Number: r.State.Number, Store: r.State.Store, Kind: r.State.Kind, Mode: r.State.Mode, Due: r.Next}
		for _, l := range r.State.Lines {
			g.Lines = append(g.Lines, l.ID)
		}
		gs = append(gs, g)
	}
	want := []got{
		{"c1-1", "s1", Ordinary, Escrow, []string{"a", "b"}, t0.Add(24 * time.Hour)},
		{"c1-2", "s1", Activity, Escrow, []string{"c"}, t0.Add(15 * time.Minute)},
		{"c1-3", "s2", Ordinary, Direct, []string{"d"}, t0.Add(24 * time.Hour)},
		{"c1-4", "s1", Installment, Escrow, []string{"e"}, t0.Add(24 * time.Hour)},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("orders (-want +got):\n%s", diff)
	}
	if rs[0].State.Payable() != fen("21.00") {
		t.Errorf("payable %s", rs[0].State.Payable())
	}
}

func TestCheckoutStock(t *testing.T) {
	m := testMachine()
	a, b, c := item("a", "s1", "1", 2), item("b", "s1", "1", 1), item("c", "s2", "1", 1)
	a.Stock, c.Stock = 1, 0
	_, err := m.CheckoutAt(cart(a, b, c), t0)
	var oos *OutOfStock
	if !errors.Is(err, ErrOutOfStock) || !errors.As(err, &oos) {
		t.Fatalf("got %v", err)
	}
	if diff := cmp.Diff([]string{"a", "c"}, oos.Items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	var re *rules.RuleError
	if !errors.As(err, &re) || re.Rule != "ORD-1" {
		t.Errorf("rule: %v", err)
	}
}

func TestCheckoutNumbers(t *testing.T) {
	n := 0
	m := New(Options{Numbers: func() (string, error) { n++; return "N" + string(rune('0'+n%2)), nil }})
	_, err := m.CheckoutAt(cart(item("a", "s1", "1", 1), item("b", "s2", "1", 1), item("c", "s2", "1", 1)), t0)
	if err != nil {
		t.Fatalf("two orders, two numbers: %v", err)
	}
	m = New(Options{Numbers: func() (string, error) { return "same", nil }})
	_, err = m.CheckoutAt(cart(item("a", "s1", "1", 1), item("b", "s2", "1", 1)), t0)
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("repeating generator: got %v", err)
	}
}

func TestCheckoutInvalid(t *testing.T) {
	m := testMachine()
	bad := []Cart{
		{},
		cart(),
		cart(Item{ID: "a", Store: "nope", Price: d("1"), Quantity: 1, Stock: 1}),
		cart(Item{ID: "a", Store: "s1", Price: d("1.001"), Quantity: 1, Stock: 1}),
		cart(Item{ID: "a", Store: "s1", Price: d("1"), Quantity: 0, Stock: 1}),
		cart(Item{ID: "a", Store: "s1", Price: d("1"), Quantity: 1, Stock: 1, Alloc: Alloc{Discount: d("2")}}),
		cart(item("a", "s1", "1", 1), item("a", "s1", "1", 1)),
	}
	c := cart(item("a", "s1", "1", 1))
	c.Invoice = Invoice{Kind: SpecialVAT}
	bad = append(bad, c)
	for i, c := range bad {
		if _, err := m.CheckoutAt(c, t0); !errors.Is(err, ErrInvalid) {
			t.Errorf("cart %d: got %v, want ErrInvalid", i, err)
		}
	}
}

// ORD-4: exact to the second.
func TestPaymentTimeoutBoundary(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	due := t0.Add(24 * time.Hour)
	must(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("10"), At: due.Add(-time.Second)}, due.Add(-time.Second))
	r := refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("10"), At: due}, due, ErrNotAllowed, "ORD-7")
	if r.State.Status != Cancelled || len(r.Effects) != 1 || r.Effects[0].At != due || r.Effects[0].Rule != "ORD-4" {
		t.Fatalf("the fired deadline is kept: %s %v", r.State.Status, r.Effects)
	}
	if a := m.AdvanceAt(s, due.Add(-time.Second)); a.State.Status != PendingPayment || a.Next != due {
		t.Errorf("1s before: %v next %v", a.State.Status, a.Next)
	}
	a := m.AdvanceAt(s, due)
	if a.State.Status != Cancelled || !a.Next.IsZero() {
		t.Errorf("at the deadline: %v", a.State.Status)
	}
	if again := m.AdvanceAt(a.State, due); js(t, again.State) != js(t, a.State) || len(again.Effects) != 0 {
		t.Errorf("advance twice changed something")
	}
	// Activity orders use their own limit.
	it := item("a", "s1", "10", 1)
	it.Activity, it.ActivityLimit = true, 15*time.Minute
	s = open(t, m, it)
	if a := m.AdvanceAt(s, t0.Add(15*time.Minute-time.Second)); a.State.Status != PendingPayment {
		t.Errorf("activity 1s before")
	}
	if a := m.AdvanceAt(s, t0.Add(15*time.Minute)); a.State.Status != Cancelled {
		t.Errorf("activity at limit")
	}
}

func TestCancelAndRecycle(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	s = must(t, m, s, Cancel{}, t0).State
	if s.Status != Cancelled {
		t.Fatal(s.Status)
	}
	refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("10"), At: t0}, t0, ErrNotAllowed, "ORD-7")
	s = must(t, m, s, Delete{}, t0).State
	if !s.Recycled || s.Status != Cancelled {
		t.Fatal("recycle bin")
	}
	refuse(t, m, s, Delete{}, t0, ErrNotAllowed, "ORD-6")
}

func TestEscrowLifecycle(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	r := must(t, m, s, Pay{Via: testVia, Number: "p1", Amount: d("10"), At: t0}, t0)
	if r.State.Status != AwaitingShipment || r.State.PaymentNumber() != "p1" || cmp.Diff([]string{"freeze_escrow"}, kinds(r.Effects)) != "" {
		t.Fatalf("pay: %v %v", r.State.Status, kinds(r.Effects))
	}
	s = r.State
	refuse(t, m, s, Pay{Via: testVia, Number: "p2", Amount: d("10"), At: t0}, t0, ErrNotAllowed, "ORD-7")
	s = must(t, m, s, UrgeShipment{}, t0.Add(time.Hour)).State
	shipAt := t0.Add(2 * time.Hour)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: shipAt}, t0.Add(3*time.Hour)).State
	if s.Status != Shipped || s.Due != shipAt.Add(240*time.Hour) {
		t.Fatalf("ship: %v due %v", s.Status, s.Due)
	}
	refuse(t, m, s, ChangeDelivery{Recipient: "x", Phone: "y", Address: "z", Consent: true}, shipAt.Add(time.Hour), ErrNotAllowed, "ORD-8")
	if a := m.AdvanceAt(s, s.Due.Add(-time.Second)); a.State.Status != Shipped {
		t.Fatal("auto-confirm early")
	}
	a := m.AdvanceAt(s, s.Due)
	if a.State.Status != Completed || cmp.Diff([]string{"release_escrow"}, kinds(a.Effects)) != "" || a.State.Settled != fen("10") {
		t.Fatalf("auto-confirm: %v %v", a.State.Status, kinds(a.Effects))
	}
	c := must(t, m, s, ConfirmReceipt{}, shipAt.Add(time.Hour)).State
	if c.Status != Completed || !c.Confirmed {
		t.Fatal("confirm")
	}
}

func TestDirectCompletesOnShipment(t *testing.T) {
	m := testMachine()
	s := paid(t, m, open(t, m, item("a", "s2", "10", 1)), t0)
	if s.Settled != fen("10") || s.Frozen != 0 {
		t.Fatal("direct settles at once")
	}
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	if s.Status != Completed || !s.Next().IsZero() {
		t.Fatalf("direct: %v", s.Status)
	}
	refuse(t, m, s, ConfirmReceipt{}, t0, ErrNotAllowed, "ORD-9")
	// ORD-10 reading: a fully refunded direct order is Closed after Completed.
	// At the shipment's very instant a request would revoke (RFD-9); later it is a refund.
	r := refundNow(t, m, s, t0.Add(time.Minute), "a")
	if r.State.Status != Closed || cmp.Diff([]string{"refund_money", "refund_settled", "fund_refund"}, kinds(r.Effects)) != "" {
		t.Fatalf("closed: %v %v", r.State.Status, kinds(r.Effects))
	}
	if fr := r.Effects[2].Act.(FundRefund); fr.FromMerchant != fen("10") || r.State.Settled != 0 {
		t.Fatalf("direct refund funded by the merchant: %+v", fr)
	}
}

func TestSplitShipment(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	a.Type, b.Type = "shirt", "shirt"
	s := paid(t, m, open(t, m, a, b), t0)
	refuse(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0, ErrSplit, "ORD-12")
	s = must(t, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	if s.Status != Shipped {
		t.Fatal(s.Status)
	}
	b.Type = "hat"
	s = paid(t, m, open(t, m, a, b), t0)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	if s.Status != PartiallyShipped || !s.Due.IsZero() {
		t.Fatal(s.Status)
	}
	refuse(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "2", At: t0}, t0, ErrShipped, "ORD-12")
	refuse(t, m, s, ChangeDelivery{Recipient: "x", Phone: "y", Address: "z", Consent: true}, t0, ErrNotAllowed, "ORD-8")
	last := t0.Add(time.Hour)
	s = must(t, m, s, Ship{Lines: []string{"b"}, Carrier: "YT", Tracking: "2", At: last}, last).State
	if s.Status != Shipped || s.Due != last.Add(240*time.Hour) || len(s.Shipments) != 2 {
		t.Fatalf("ORD-12 reading: the clock starts at the last line: %v %v", s.Status, s.Due)
	}
}

// ORD-11: after a partial refund the status follows the lines not refunded.
func TestPartialRefundStatus(t *testing.T) {
	m := testMachine()
	a, b, c := item("a", "s1", "10", 1), item("b", "s1", "5", 1), item("c", "s1", "7", 1)
	s := paid(t, m, open(t, m, a, b, c), t0)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	// Refund part of the shipped a: every line still in → PartiallyShipped.
	s = refundNow(t, m, s, t0.Add(time.Minute), "a:3").State
	if s.Status != PartiallyShipped || s.Lines[0].RefundedMoney != fen("3") || s.Lines[0].Done {
		t.Fatal(s.Status)
	}
	// Revoke b and c (unshipped, RFD-9/ORD-17): every remaining line shipped → Shipped.
	at := t0.Add(time.Hour)
	r := refundNow(t, m, s, at, "b", "c")
	s = r.State
	if s.Status != Shipped || s.Due != at.Add(240*time.Hour) || !s.Lines[1].Revoked || !s.Lines[2].Revoked {
		t.Fatalf("got %v due %v", s.Status, s.Due)
	}
	refuse(t, m, s, Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "9", At: at}, at, ErrNotAllowed, "ORD-12")
	if s.Frozen != fen("7") || s.Refunded != fen("15") {
		t.Fatalf("ledger frozen %s refunded %s", s.Frozen, s.Refunded)
	}
	// Completion releases the rest net of refunds.
	c2 := must(t, m, s, ConfirmReceipt{}, at)
	if c2.State.Settled != fen("7") {
		t.Fatal(c2.State.Settled)
	}
	// Full refund after completion: Closed, money from the merchant.
	r = refundNow(t, m, c2.State, at, "a")
	if r.State.Status != Closed {
		t.Fatal(r.State.Status)
	}
	var fr FundRefund
	for _, e := range r.Effects {
		if f, ok := e.Act.(FundRefund); ok {
			fr = f
		}
	}
	if fr.FromMerchant != fen("7") || fr.FromEscrow != 0 {
		t.Fatalf("%+v", fr)
	}
	if s := r.State; s.Refunded != s.Paid {
		t.Fatal("all refunded")
	}
}

func TestPartialRefundNothingShipped(t *testing.T) {
	m := testMachine()
	s := paid(t, m, open(t, m, item("a", "s1", "10", 1), item("b", "s1", "5", 1)), t0)
	s = refundNow(t, m, s, t0, "a").State
	if s.Status != AwaitingShipment {
		t.Fatal(s.Status)
	}
	r := refundNow(t, m, s, t0, "b")
	if r.State.Status != Closed || r.State.Frozen != 0 {
		t.Fatal(r.State.Status)
	}
}

// A revocation of every line refunds the outbound shipping fee too
// (refund decides it: shipping_fee_with_full_refund) and closes the order.
func TestShippingFeeRefundedAtFullRevocation(t *testing.T) {
	m := testMachine()
	it := item("a", "s1", "10", 1)
	it.Shipping = d("6")
	s := paid(t, m, open(t, m, it), t0)
	r := refundNow(t, m, s, t0, "a")
	if r.State.Status != Closed || r.State.Refunded != fen("16") || r.State.ShippingRefunded != fen("6") || r.State.Settled != 0 {
		t.Fatalf("%v %v refunded %s", r.State.Status, kinds(r.Effects), r.State.Refunded)
	}
}

func TestMerchantCancel(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	if r := must(t, m, s, MerchantCancel{}, t0); r.State.Status != Closed || len(r.Effects) != 0 {
		t.Fatal("unpaid merchant cancel")
	}
	s = paid(t, m, s, t0)
	r := must(t, m, s, MerchantCancel{Reason: "sold out"}, t0)
	if r.State.Status != Closed || cmp.Diff([]string{"return_payment"}, kinds(r.Effects)) != "" || r.Effects[0].Rule != "ORD-10" {
		t.Fatalf("%v %v", r.State.Status, kinds(r.Effects))
	}
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	refuse(t, m, s, MerchantCancel{}, t0, ErrNotAllowed, "ORD-10")
}

func TestChangeDeliveryAndUndeliverable(t *testing.T) {
	m := testMachine()
	s := paid(t, m, open(t, m, item("a", "s1", "10", 1)), t0)
	refuse(t, m, s, ChangeDelivery{Recipient: "x", Phone: "y", Address: "z"}, t0, ErrNoConsent, "ORD-8")
	s = must(t, m, s, ChangeDelivery{Recipient: "x", Phone: "y", Address: "z", Consent: true}, t0).State
	if s.Delivery.Address != "z" {
		t.Fatal("not changed")
	}
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	for _, c := range []struct {
		cause Cause
		payer Party
	}{{WrongAddress, Buyer}, {ChangedWithoutConsent, Buyer}, {OtherCause, Merchant}} {
		r := must(t, m, s, Undeliverable{Shipment: 1, Cause: c.cause, At: t0}, t0)
		if got := r.Effects[0].Act.(ShippingCost).Payer; got != c.payer {
			t.Errorf("%v: payer %v", c.cause, got)
		}
		refuse(t, m, r.State, Undeliverable{Shipment: 1, Cause: c.cause, At: t0}, t0, ErrNotAllowed, "ORD-8")
	}
}

func TestEventTimes(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("10"), At: t0.Add(time.Second)}, t0, ErrTime, "ORD-7")
	refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("10")}, t0, ErrTime, "ORD-7")
	refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: d("9"), At: t0}, t0, ErrAmount, "ORD-7")
	r := refuse(t, m, s, Pay{Via: testVia, Amount: d("10"), At: t0}, t0, ErrInvalid, "")
	if js(t, r.State) != js(t, s) {
		t.Error("refusal changed the state")
	}
	s3 := paid(t, m, s, t0.Add(time.Hour))
	if _, err := m.ApplyAt(s3, UrgeShipment{}, t0); !errors.Is(err, ErrClockBehind) {
		t.Errorf("clock behind: %v", err)
	}
	if a := m.AdvanceAt(s3, t0); js(t, a.State) != js(t, s3) {
		t.Error("advance behind changed the state")
	}
}

func TestInvalidStateRefused(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	s.Paid = 300
	r, err := m.ApplyAt(s, Cancel{}, t0)
	if !errors.Is(err, ErrInvalid) || js(t, r.State) != js(t, s) {
		t.Fatalf("got %v", err)
	}
	a := m.AdvanceAt(s, t0.Add(48*time.Hour))
	if js(t, a.State) != js(t, s) || len(a.Decisions) != 1 {
		t.Fatal("advance of an invalid state")
	}
	var nilShip *Ship
	if _, err := m.ApplyAt(open(t, m, item("a", "s1", "10", 1)), nilShip, t0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil pointer event: %v", err)
	}
	if r := must(t, m, open(t, m, item("a", "s1", "10", 1)), &Cancel{}, t0); r.State.Status != Cancelled {
		t.Fatal("pointer event")
	}
}
