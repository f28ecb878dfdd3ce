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
				res, err := m.Apply(l, Use{ID: fmt.Sprint(i), Points: 1000, UsedAt: c.Now()})
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
