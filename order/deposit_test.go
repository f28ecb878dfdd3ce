package order

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/refund"
)

// depositPaid is a presale order of one line (100, shipping fee fee)
// whose deposit of 20 was paid at t0+1h under mode.
func depositPaid(t *testing.T, m *Machine, mode Mode, fee string) (State, PresaleTerms) {
	t.Helper()
	terms := PresaleTerms{Deposit: d("20"), DepositEnd: t0.Add(48 * time.Hour), BalanceStart: t0.Add(72 * time.Hour),
		BalanceEnd: t0.Add(96 * time.Hour), ShipWithin: 48 * time.Hour}
	it := item("p", "s1", "100", 1)
	it.Presale = &terms
	if fee != "" {
		it.Shipping = d(fee)
	}
	c := cart(it)
	c.Stores[0].Mode = mode
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Hour)
	return must(t, m, rs[0].State, PayDeposit{Via: testVia, Number: "d", Amount: terms.Deposit, At: at}, at).State, terms
}

func ledgerOK(t *testing.T, s State) {
	t.Helper()
	if s.Paid != s.Frozen+s.Settled+s.Refunded {
		t.Fatalf("paid %s != frozen %s + settled %s + refunded %s", s.Paid, s.Frozen, s.Settled, s.Refunded)
	}
}

// ORD-14 with ORD-10: a refund request on a presale order with only its
// deposit paid refunds the deposit (what refund is told was paid), and
// its full refund closes the order: the balance is no longer due.
func TestDepositRefund(t *testing.T) {
	for _, mode := range []Mode{Escrow, Direct} {
		t.Run(mode.String(), func(t *testing.T) {
			m := testMachine()
			s, terms := depositPaid(t, m, mode, "")
			o := s.RefundOrder()
			if paid := o.Lines[0].Amount.Sub(o.Lines[0].Discount).Sub(o.Lines[0].BeanValue).Sub(o.Lines[0].PointValue); !paid.Equal(d("20")) || !o.ShippingFee.IsZero() {
				t.Fatalf("refund's facts: line paid %s, shipping %s", paid, o.ShippingFee)
			}
			at := terms.BalanceStart
			refuse(t, m, s, Refund{Event: refund.Open{Kind: refund.ReturnRefund, Reason: refund.Agreed, Items: []refund.Item{{Line: "p"}}}}, at, ErrNotAllowed, "ORD-14")
			r := must(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "p"}}}}, at)
			s = r.State
			ledgerOK(t, s)
			if s.Status != PendingPayment || !s.Due.IsZero() || !s.Original.Equal(terms.BalanceEnd) || !s.balanceHeld() {
				t.Fatalf("request open: %v due %v original %v", s.Status, s.Due, s.Original)
			}
			refuse(t, m, s, PayBalance{Via: testVia, Number: "b", Amount: d("80"), At: terms.BalanceStart}, terms.BalanceStart, ErrNotAllowed, "ORD-14")
			// The balance window's end passes: nothing fires for it.
			if a := m.AdvanceAt(s, terms.BalanceEnd.Add(time.Hour)); len(a.Effects) != 0 || a.State.Status != PendingPayment {
				t.Fatalf("held balance fired: %v", kinds(a.Effects))
			}
			refuse(t, m, s, Refund{Event: refund.ShippingVoucher{Request: 1, ShippedAt: t0.Add(time.Hour)}}, at, ErrNotAllowed, "ORD-14")
			refuse(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "p"}}}}, at, refund.ErrLineBusy, "RFD-1")
			r = must(t, m, s, Refund{Event: refund.MerchantAgree{Request: 1}}, at)
			s = r.State
			ledgerOK(t, s)
			if s.Status != Closed || s.Refunded != fen("20") || s.Frozen != 0 || s.Settled != 0 || s.Timer != 0 || !s.Next().IsZero() {
				t.Fatalf("after: %v refunded %s frozen %s settled %s timer %v next %v", s.Status, s.Refunded, s.Frozen, s.Settled, s.Timer, s.Next())
			}
			var money decimal.Decimal
			for _, e := range r.Effects {
				if rm, ok := e.Act.(refund.RefundMoney); ok {
					money = money.Add(rm.Amount)
				}
			}
			if !money.Equal(d("20")) {
				t.Fatalf("refunded %s, effects %v", money, kinds(r.Effects))
			}
			if !hasRule(r.Decisions, "ORD-10") {
				t.Fatalf("no ORD-10 decision")
			}
			// Nothing more: no balance timeout, no second refund.
			if a := m.AdvanceAt(s, terms.BalanceEnd.Add(time.Hour)); len(a.Effects) != 0 {
				t.Fatalf("after closing: %v", kinds(a.Effects))
			}
		})
	}
}

// A withdrawn request lets the held balance timeout fire at the later of
// the balance window's end and the withdrawal; a request must cover the
// whole deposit; a deposit above the lines' cash counts as paid shipping.
func TestDepositRefundWithdrawn(t *testing.T) {
	m := testMachine()
	s, terms := depositPaid(t, m, Escrow, "")
	at := terms.BalanceEnd.Add(-time.Hour)
	s = must(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "p"}}}}, at).State
	// Withdrawn before the window's end: the timeout is due at its end.
	w := must(t, m, s, Refund{Event: refund.Withdraw{Request: 1}}, at).State
	if w.Status != PendingPayment || !w.Due.Equal(terms.BalanceEnd) || w.Timer != BalanceTimeout {
		t.Fatalf("withdrawn: %v %v %v", w.Status, w.Timer, w.Due)
	}
	if a := m.AdvanceAt(w, terms.BalanceEnd); a.State.Status != Closed || cmp.Diff([]string{"return_payment"}, kinds(a.Effects)) != "" {
		t.Fatalf("balance late: %v %v", a.State.Status, kinds(a.Effects))
	}
	// Withdrawn after it: due at the withdrawal.
	late := terms.BalanceEnd.Add(time.Hour)
	r := must(t, m, s, Refund{Event: refund.Withdraw{Request: 1}}, late)
	if r.State.Status != Closed || cmp.Diff([]string{"return_payment"}, kinds(r.Effects)) != "" {
		t.Fatalf("withdrawn late: %v %v", r.State.Status, kinds(r.Effects))
	}
	ledgerOK(t, r.State)

	// The deposit exceeds the line's cash: the rest is paid shipping.
	m2 := testMachine()
	terms2 := PresaleTerms{Deposit: d("12"), DepositEnd: t0.Add(48 * time.Hour), BalanceStart: t0.Add(72 * time.Hour), BalanceEnd: t0.Add(96 * time.Hour)}
	it := item("p", "s1", "10", 1)
	it.Presale = &terms2
	it.Shipping = d("5")
	c := cart(it)
	rs, err := m2.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	s2 := must(t, m2, rs[0].State, PayDeposit{Via: testVia, Number: "d", Amount: d("12"), At: t0}, t0).State
	o := s2.RefundOrder()
	if !o.Lines[0].Amount.Equal(d("10")) || !o.ShippingFee.Equal(d("2")) || o.FreeShipping {
		t.Fatalf("refund's facts: %s, shipping %s", o.Lines[0].Amount, o.ShippingFee)
	}
	f := refundNow(t, m2, s2, t0, "p").State
	ledgerOK(t, f)
	if f.Status != Closed || f.Refunded != fen("12") {
		t.Fatalf("deposit with shipping: %v refunded %s", f.Status, f.Refunded)
	}
}
