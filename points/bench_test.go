package points

import (
	"fmt"
	"testing"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/money"
)

func benchOrder(n int) Order {
	o := Order{ID: "B", Lines: make([]Line, n)}
	var sum int64
	for i := range o.Lines {
		amt := int64(1000 + 137*i)
		sum += amt
		o.Lines[i] = Line{ID: fmt.Sprintf("L%d", i), Quantity: 1 + int64(i%3), Amount: money.FromFen(amt),
			BeanCap: money.FromFen(int64(100 + i%7*50)), Points: i%2 == 0}
	}
	o.Payable = money.FromFen(sum)
	return o
}

// PTS-1: the bean offer (limits and step) of a 50-line order, and the
// offer plus the allocation of its maximum.
func BenchmarkOfferBeans50(b *testing.B) {
	m, _ := newMachine(nil)
	o := benchOrder(50)
	w := Wallet{Beans: 1 << 40}
	b.Run("offer", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.OfferBeans(o, w); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("offer+allocate", func(b *testing.B) {
		for b.Loop() {
			off, err := m.OfferBeans(o, w)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := off.Allocate(off.Max); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// PTS-3: the annual-cap check against a ledger built from n uses. The
// ledger is a running total, so the time does not grow with n.
func BenchmarkAnnualCapCheck(b *testing.B) {
	for _, n := range []int{10, 10_000} {
		b.Run(fmt.Sprintf("uses=%d", n), func(b *testing.B) {
			c := clock.NewManual(start)
			m := NewLedger(Options{Clock: c})
			var l Ledger
			for i := range n {
				res, err := m.ApplyAt(l, Use{ID: fmt.Sprint(i), Points: 1000, UsedAt: c.Now()}, c.Now())
				if err != nil {
					b.Fatal(err)
				}
				l = res.State
			}
			b.ResetTimer()
			for b.Loop() {
				if err := m.Allows(l, 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchSpend pays benchOrder(n) with half the beans and points offered.
func benchSpend(b *testing.B, m *Machine, n int) (Order, Spend) {
	o := benchOrder(n)
	w := Wallet{Beans: 1 << 40, Points: 1 << 40}
	bo, err := m.OfferBeansAt(o, w, start)
	if err != nil {
		b.Fatal(err)
	}
	beans := bo.Max / 2 / bo.Step * bo.Step
	po, err := m.OfferPointsAt(o, w, Ledger{}, beans, start)
	if err != nil {
		b.Fatal(err)
	}
	res, err := m.PayAt(o, w, Ledger{}, Choice{Beans: beans, Points: po.Max / 2}, start)
	if err != nil {
		b.Fatal(err)
	}
	return o, res.State
}

// PTS-1, PTS-2: a whole payment of a 50-line order (both offers, both
// allocations, the Spend with its values, two effects).
func BenchmarkPay50(b *testing.B) {
	m, _ := newMachine(nil)
	o := benchOrder(50)
	w := Wallet{Beans: 1 << 40, Points: 1 << 40}
	for b.Loop() {
		if _, err := m.PayAt(o, w, Ledger{}, Choice{Beans: 10000, Points: 5000}, start); err != nil {
			b.Fatal(err)
		}
	}
}

// PTS-2: a refund of half of every line of a 50-line spend (validation,
// policy, shares, two give-back effects), and the validation alone.
func BenchmarkRefund50(b *testing.B) {
	m, _ := newMachine(nil)
	o, s := benchSpend(b, m, 50)
	r := Refund{ID: "r", Stage: Shipped, Lines: make([]RefundLine, len(s.Lines))}
	for i, l := range s.Lines {
		paid := o.Lines[i].Amount.Sub(l.BeanValue).Sub(l.PointValue)
		r.Lines[i] = RefundLine{Line: l.Line, Refunded: paid.Div(yuan("2")).RoundFloor(2), Paid: paid}
	}
	b.Run("apply", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.ApplyAt(s, r, start); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// PTS-3: recording one more use in a ledger holding n uses of the year
// (the ledger keeps the year's use IDs to recognise a redelivery).
func BenchmarkLedgerUse(b *testing.B) {
	for _, n := range []int{10, 10_000} {
		b.Run(fmt.Sprintf("uses=%d", n), func(b *testing.B) {
			m := NewLedger(Options{})
			var l Ledger
			for i := range n {
				res, err := m.ApplyAt(l, Use{ID: fmt.Sprint(i), Points: 1000, UsedAt: start}, start)
				if err != nil {
					b.Fatal(err)
				}
				l = res.State
			}
			use := Use{ID: "next", Points: 1000, UsedAt: start}
			for b.Loop() {
				if _, err := m.ApplyAt(l, use, start); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
