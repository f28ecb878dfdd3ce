package order

import (
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
	"testing"
	"time"
)

func benchCart() Cart {
	a, b := item("a", "s1", "30.00", 2), item("b", "s1", "12.50", 1)
	a.Type, b.Type = "tea", "cup"
	a.Discount, a.Coupons = d("5.00"), []string{"c1"}
	return cart(a, b)
}

// trade runs the benchmark's trade: checkout → paid → shipped in 2
// parcels → partial refund → complaint opened and closed → completed by
// auto-confirm.
type step struct {
	e  Event
	at time.Time
}

func trade(b testing.TB, m *Machine, c Cart, steps []step) State {
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		b.Fatal(err)
	}
	s := rs[0].State
	for _, st := range steps {
		r, err := m.ApplyAt(s, st.e, st.at)
		if err != nil {
			b.Fatal(err)
		}
		s = r.State
	}
	r := m.AdvanceAt(s, t0.Add(1000*time.Hour))
	if r.State.Status != Completed {
		b.Fatal(r.State.Status)
	}
	return r.State
}

func tradeSteps() []step {
	return []step{
		{Pay{Via: testVia, Number: "p", Amount: d("67.50"), At: t0}, t0},
		{Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0.Add(time.Hour)}, t0.Add(time.Hour)},
		{Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "2", At: t0.Add(2 * time.Hour)}, t0.Add(2 * time.Hour)},
		{Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "b"}}}}, t0.Add(3 * time.Hour)},
		{Refund{Event: refund.MerchantAgree{Request: 1}}, t0.Add(4 * time.Hour)},
		{Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "id", Contact: "138"},
			Respondent: "s1", Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}}, t0.Add(5 * time.Hour)},
		{Complaint{Event: dispute.Withdraw{Complaint: 1}}, t0.Add(6 * time.Hour)},
	}
}

func BenchmarkTrade(b *testing.B) {
	m := New(Options{})
	c, steps := benchCart(), tradeSteps()
	b.ReportAllocs()
	for b.Loop() {
		trade(b, m, c, steps)
	}
}

func BenchmarkTradeFloor(b *testing.B) {
	c := benchCart()
	b.ReportAllocs()
	for b.Loop() {
		if o, err := floorTrade(c); err != nil || o.status != fCompleted {
			b.Fatal("floor", err)
		}
	}
}

func BenchmarkTradeFloorBare(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if bareTrade() != fCompleted {
			b.Fatal("bare floor")
		}
	}
}

func BenchmarkApplyShip(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	e := Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ApplyAt(s, e, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApplyConfirm(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	s = must(&testing.T{}, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ApplyAt(s, ConfirmReceipt{}, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdvanceAutoConfirm(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	s = must(&testing.T{}, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	at := s.Due
	b.ReportAllocs()
	for b.Loop() {
		if r := m.AdvanceAt(s, at); r.State.Status != Completed {
			b.Fatal(r.State.Status)
		}
	}
}

func BenchmarkCheckout(b *testing.B) {
	m := New(Options{})
	c := benchCart()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.CheckoutAt(c, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	m := New(Options{})
	s := paid(&testing.T{}, m, open(&testing.T{}, m, benchCart().Items...), t0)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
