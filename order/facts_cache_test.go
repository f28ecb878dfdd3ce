package order

import (
	"testing"

	"github.com/tradepolicy/tradepolicy/refund"
)

// The facts in fen that the order gives package refund are
// State.RefundOrder's, amount for amount, also for a presale order with
// only its deposit paid (ORD-14: what was paid is the deposit).
func TestRefundFactsAgreeWithRefundOrder(t *testing.T) {
	m := New(Options{})
	for _, fee := range []string{"", "8"} {
		for _, mode := range []Mode{Escrow, Direct} {
			s, _ := depositPaid(t, m, mode, fee)
			if !s.depositOnly() {
				t.Fatal("not deposit-only")
			}
			compareFacts(t, s.RefundOrder(), s.refundFacts(nil))
		}
	}
}

func compareFacts(t *testing.T, o refund.Order, f refund.Facts) {
	t.Helper()
	fen := func(what string, dec interface{ String() string }, got int64) {
		t.Helper()
		if want := Fen(got).Decimal().String(); dec.String() != want {
			t.Errorf("%s: order %s, facts %s", what, dec, want)
		}
	}
	fen("shipping fee", o.ShippingFee, f.ShippingFee)
	if o.FreeShipping != f.FreeShipping || o.Mode != f.Mode || len(o.Lines) != len(f.Lines) {
		t.Fatalf("order %+v, facts %+v", o, f)
	}
	for i, l := range o.Lines {
		fl := f.Lines[i]
		fen(l.ID+" amount", l.Amount, fl.Amount)
		fen(l.ID+" discount", l.Discount, fl.Discount)
		fen(l.ID+" beans", l.BeanValue, fl.BeanValue)
		fen(l.ID+" points", l.PointValue, fl.PointValue)
	}
}
