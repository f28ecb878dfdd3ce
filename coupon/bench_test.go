package coupon

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

var benchNow = time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC)

// benchCase builds a cart of lines lines over 3 stores and a wallet of n
// threshold-free targeted coupons (one item each) plus a handful of
// others: two general coupons, a shop coupon per store, two threshold
// targeted coupons and a cross-store coupon, with thresholds.
func benchCase(seed uint64, lines, n int) (Cart, Wallet) {
	return benchCaseOrders(seed, lines, n, 3, 2)
}

// benchCaseOrders is benchCase over nStores stores with nGeneral general
// coupons.
func benchCaseOrders(seed uint64, lines, n, nStores, nGeneral int) (Cart, Wallet) {
	r := rand.New(rand.NewPCG(seed, 7))
	amt := func(lo, hi int64) decimal.Decimal { return money.FromFen(lo + r.Int64N(hi-lo+1)) }
	var stores []string
	for i := range nStores {
		stores = append(stores, string(rune('A'+i)))
	}
	cart := Cart{Buyer: "ann"}
	for i := range lines {
		cart.Lines = append(cart.Lines, Line{ID: fmt.Sprintf("l%02d", i), Store: stores[r.IntN(nStores)],
			Item: fmt.Sprintf("i%02d", i), Category: fmt.Sprintf("k%d", r.IntN(5)), Amount: amt(500, 20000)})
	}
	w := Wallet{Owner: "ann"}
	add := func(c Coupon) {
		c.ID = fmt.Sprintf("%s%03d", c.Kind, len(w.Coupons))
		c.Owner = "ann"
		c.Status = Available
		c.ValidUntil = benchNow.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour)
		w.Coupons = append(w.Coupons, c)
	}
	for range n {
		l := cart.Lines[r.IntN(lines)]
		add(Coupon{Kind: Targeted, Store: l.Store, Items: []string{l.Item}, Face: amt(100, 5000)})
	}
	for i := range max(nGeneral, 2) {
		if i < nGeneral {
			add(Coupon{Kind: General, Face: amt(1000, 30000), Threshold: amt(0, 50000)})
		}
		if i < 2 {
			l := cart.Lines[r.IntN(lines)]
			add(Coupon{Kind: Targeted, Store: l.Store, Categories: []string{l.Category}, Face: amt(500, 8000), Threshold: amt(1000, 30000)})
		}
	}
	for _, s := range stores {
		add(Coupon{Kind: Shop, Store: s, Face: amt(500, 10000), Threshold: amt(0, 40000)})
	}
	add(Coupon{Kind: CrossStore, Face: amt(1000, 40000), Threshold: amt(10000, 300000)})
	return cart, w
}

func benchModelOrders(b *testing.B, seed uint64, lines, n, stores, generals int) *model {
	cart, w := benchCaseOrders(seed, lines, n, stores, generals)
	pol, err := ReadPolicy(DefaultPolicy().Latest())
	if err != nil {
		b.Fatal(err)
	}
	m, err := newModel(cart, w, &pol, benchNow)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

const benchInstances = 200

// BenchmarkBest times the exact search for 10, 50 and 200 threshold-free
// targeted coupons (plus eight others) over 50 lines in 3 stores, and,
// with 200 targeted coupons, over 20 stores with 15 general coupons (the
// assignment of general coupons to orders); it reports, over
// benchInstances random instances, how often the optimum beats the greedy
// baseline and by how much.
func BenchmarkBest(b *testing.B) {
	for _, tc := range []struct{ n, stores, generals int }{{10, 3, 2}, {50, 3, 2}, {200, 3, 2}, {200, 20, 15}} {
		name := fmt.Sprintf("coupons=%d", tc.n)
		if tc.stores != 3 {
			name = fmt.Sprintf("coupons=%d/stores=%d/generals=%d", tc.n, tc.stores, tc.generals)
		}
		b.Run(name, func(b *testing.B) {
			var beats, sumGain, maxGain, sumGreedy, exact int64
			for seed := range uint64(benchInstances) {
				m := benchModelOrders(b, seed, 50, tc.n, tc.stores, tc.generals)
				s := newSearcher(m)
				opt := m.allocate(s.search()).total
				if s.exact {
					exact++
				}
				gr := m.allocate(m.greedy()).total
				if opt < gr {
					b.Fatalf("seed %d: optimum %d below greedy %d", seed, opt, gr)
				}
				if opt > gr {
					beats++
					sumGain += opt - gr
					maxGain = max(maxGain, opt-gr)
				}
				sumGreedy += gr
			}
			m := benchModelOrders(b, 1, 50, tc.n, tc.stores, tc.generals)
			for b.Loop() {
				s := newSearcher(m)
				m.allocate(s.search())
			}
			b.ReportMetric(100*float64(beats)/benchInstances, "%beats_greedy")
			b.ReportMetric(float64(sumGain/max(1, beats)), "avg_gain_fen")
			b.ReportMetric(float64(maxGain), "max_gain_fen")
			b.ReportMetric(100*float64(exact)/benchInstances, "%exact")
			b.ReportMetric(float64(100*sumGain/max(1, sumGreedy)), "%total_gain")
		})
	}
}

// BenchmarkGreedy times the greedy baseline on the same instances.
func BenchmarkGreedy(b *testing.B) {
	for _, tc := range []struct{ n, stores, generals int }{{10, 3, 2}, {50, 3, 2}, {200, 3, 2}, {200, 20, 15}} {
		name := fmt.Sprintf("coupons=%d", tc.n)
		if tc.stores != 3 {
			name = fmt.Sprintf("coupons=%d/stores=%d/generals=%d", tc.n, tc.stores, tc.generals)
		}
		b.Run(name, func(b *testing.B) {
			m := benchModelOrders(b, 1, 50, tc.n, tc.stores, tc.generals)
			for b.Loop() {
				m.allocate(m.greedy())
			}
		})
	}
}

// BenchmarkBestAPI times Engine.Best end to end (model building, search,
// allocation, reasons) for 200 coupons over 50 lines.
func BenchmarkBestAPI(b *testing.B) {
	cart, w := benchCase(1, 50, 200)
	e := New(Options{Clock: clock.NewManual(benchNow)})
	for b.Loop() {
		if _, err := e.Best(cart, w); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllocate times checking and allocating a combination over 50
// lines in three stores: a general coupon, three shop coupons, ten
// targeted coupons sharing lines, and (separately) a cross-store coupon
// with the shop coupons.
func BenchmarkAllocate(b *testing.B) {
	cart, full := benchCase(1, 50, 10)
	e := New(Options{Clock: clock.NewManual(benchNow)})
	w := Wallet{Owner: full.Owner}
	for _, c := range full.Coupons {
		c.Threshold = decimal.Zero
		w.Coupons = append(w.Coupons, c)
	}
	var targetedShop, crossShop []Use
	for _, c := range w.Coupons {
		switch c.Kind {
		case Targeted:
			if c.Store == "A" {
				targetedShop = append(targetedShop, Use{Coupon: c.ID})
			}
		case Shop:
			targetedShop = append(targetedShop, Use{Coupon: c.ID})
			crossShop = append(crossShop, Use{Coupon: c.ID})
		case CrossStore:
			crossShop = append(crossShop, Use{Coupon: c.ID})
		}
	}
	for name, uses := range map[string][]Use{"targeted+shop": targetedShop, "cross+shop": crossShop} {
		b.Run(name, func(b *testing.B) {
			if _, err := e.Allocate(cart, w, uses); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				e.Allocate(cart, w, uses)
			}
		})
	}
}
