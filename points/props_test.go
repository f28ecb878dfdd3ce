package points_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
)

var shanghai = clock.MustZone("Asia/Shanghai")

// PTS-1 properties: never above 99%, always a multiple of 100, never above
// the balance or the caps; Check agrees with Max; allocations are exact.
func TestBeanOfferProperties(t *testing.T) {
	m := points.New(points.Options{Clock: clock.NewManual(fuzzStart)})
	rapid.Check(t, func(t *rapid.T) {
		o, w, off := drawBeanOffer(t, m, 8)
		if err := pointstest.CheckBeanOffer(o, w, off); err != nil {
			t.Fatal(err)
		}
		n := pointstest.Beans(off).Draw(t, "beans")
		err := off.Check(n)
		if ok := n%100 == 0 && n <= off.Max; ok != (err == nil) {
			t.Fatalf("Check(%d) = %v with max %d", n, err, off.Max)
		}
		if err != nil {
			return
		}
		parts, err := off.Allocate(n)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for i, p := range parts {
			sum += p
			cp := o.Lines[i].BeanCap.Mul(decimalOf(o.Lines[i].Quantity)).Shift(2).IntPart()
			if amt := o.Lines[i].Amount.Shift(2).IntPart(); cp > amt {
				cp = amt
			}
			if p < 0 || p > cp {
				t.Fatalf("line %d gets %d beans, cap %d", i, p, cp)
			}
		}
		if sum != n {
			t.Fatalf("allocation sums to %d, want %d", sum, n)
		}
	})
}

// PTS-2 properties: give-back never exceeds what was spent, refund by
// refund, and equals it after a full refund; a refund ID never gives back
// twice.
func TestGiveBackProperties(t *testing.T) {
	m := points.New(points.Options{Clock: clock.NewManual(fuzzStart)})
	rapid.Check(t, func(t *rapid.T) {
		o, w, bo := drawBeanOffer(t, m, 6)
		beans := rapid.Int64Range(0, bo.Max/100).Draw(t, "beans") * 100
		po, err := m.OfferPoints(o, w, points.Ledger{}, beans)
		if err != nil {
			t.Fatal(err)
		}
		pts := rapid.Int64Range(0, po.Max).Draw(t, "points")
		res, err := m.Pay(o, w, points.Ledger{}, points.Choice{Beans: beans, Points: pts})
		if err != nil {
			t.Fatal(err)
		}
		s := res.State
		var gotBeans, gotPoints int64
		for i := range rapid.IntRange(0, 6).Draw(t, "refunds") {
			r := pointstest.Refund(s, fmt.Sprintf("r%d", i)).Draw(t, "refund")
			res, err := m.Apply(s, r)
			if err != nil {
				if !errors.Is(err, points.ErrForcedRefund) {
					t.Fatal(err)
				}
				continue
			}
			b, p := givenBack(res.Effects)
			gotBeans, gotPoints = gotBeans+b, gotPoints+p
			if _, err := m.Apply(res.State, r); !errors.Is(err, points.ErrRefundRepeated) {
				t.Fatalf("refund %s applied twice: %v", r.ID, err)
			}
			s = res.State
			if err := pointstest.CheckSpend(s); err != nil {
				t.Fatal(err)
			}
			if gotBeans > s.Beans || gotPoints > s.Points || gotBeans != s.BeansBack() || gotPoints != s.PointsBack() {
				t.Fatalf("given back %d beans %d points of %d and %d", gotBeans, gotPoints, s.Beans, s.Points)
			}
		}
		// Refund whatever is left, forced by the back office.
		all := points.Refund{ID: "final", Stage: points.Received, Approver: points.BackOffice}
		for _, l := range s.Lines {
			if left := l.Quantity - l.Refunded; left > 0 {
				all.Lines = append(all.Lines, points.RefundLine{Line: l.Line, Quantity: left})
			}
		}
		res, err = m.Apply(s, all)
		if err != nil {
			t.Fatal(err)
		}
		if b, p := res.State.BeansBack(), res.State.PointsBack(); b != beans || p != pts {
			t.Fatalf("after a full refund %d beans and %d points back, spent %d and %d", b, p, beans, pts)
		}
	})
}

// PTS-3 model test: across random uses, releases and clock moves around a
// New Year, the ledger never passes the cap, and its running total equals
// the model's sum over the uses of the current year.
func TestLedgerModel(t *testing.T) {
	const annualCap = 14_000_000
	rapid.Check(t, func(t *rapid.T) {
		restores := rapid.Bool().Draw(t, "restores")
		set := points.DefaultPolicy()
		if !restores {
			var err error
			if set, err = set.OverrideExpr("points_refund_restores", "false"); err != nil {
				t.Fatal(err)
			}
		}
		clk := clock.NewManual(pointstest.Instant(2025, shanghai).Draw(t, "start"))
		m := points.NewLedger(points.Options{Policy: set, Clock: clk})
		type use struct {
			order    string
			points   int64
			at       time.Time
			released int64
		}
		var (
			l    points.Ledger
			uses []*use
		)
		yearOf := func(at time.Time) int { return at.In(shanghai).Year() }
		model := func() int64 {
			var n int64
			for _, u := range uses {
				if yearOf(u.at) == yearOf(clk.Now()) {
					n += u.points
					if restores {
						n -= u.released
					}
				}
			}
			return n
		}
		t.Repeat(map[string]func(*rapid.T){
			"use": func(t *rapid.T) {
				n := rapid.Int64Range(1, 6_000_000).Draw(t, "points")
				before := l
				res, err := m.Apply(l, points.Use{Order: fmt.Sprint(len(uses)), Points: n})
				if err != nil {
					if !errors.Is(err, points.ErrAnnualCap) {
						t.Fatal(err)
					}
					if model()+n <= annualCap {
						t.Fatalf("use of %d refused with %d used", n, model())
					}
					if res.State != before {
						t.Fatal("refused use changed the ledger")
					}
					return
				}
				l = res.State
				uses = append(uses, &use{order: fmt.Sprint(len(uses)), points: n, at: clk.Now()})
			},
			"release": func(t *rapid.T) {
				if len(uses) == 0 {
					t.Skip("no use yet")
				}
				u := rapid.SampledFrom(uses).Draw(t, "use")
				if u.released == u.points {
					t.Skip("all given back")
				}
				n := rapid.Int64Range(1, u.points-u.released).Draw(t, "points")
				res, err := m.Apply(l, points.Release{Order: u.order, Points: n, UsedAt: u.at})
				if err != nil {
					t.Fatal(err)
				}
				u.released += n
				l = res.State
			},
			"advance": func(t *rapid.T) {
				clk.Advance(time.Duration(rapid.Int64Range(0, 8*3600).Draw(t, "s")) * time.Second)
				l = m.Advance(l).State
			},
			"": func(t *rapid.T) {
				a, err := m.Allowance(l)
				if err != nil {
					t.Fatal(err)
				}
				if a.Used > annualCap || a.Used < 0 {
					t.Fatalf("ledger at %d, cap %d", a.Used, annualCap)
				}
				if want := model(); a.Used != want {
					t.Fatalf("ledger counts %d in %d, model %d", a.Used, a.Year, want)
				}
				if err := pointstest.CheckLedger(l, annualCap); err != nil {
					t.Fatal(err)
				}
			},
		})
	})
}

// drawBeanOffer draws an order of up to maxLines lines and a wallet, and
// returns them with m's bean offer.
func drawBeanOffer(t *rapid.T, m *points.Machine, maxLines int) (points.Order, points.Wallet, points.BeanOffer) {
	o := pointstest.Order(maxLines).Draw(t, "order")
	w := pointstest.Wallet().Draw(t, "wallet")
	off, err := m.OfferBeans(o, w)
	if err != nil {
		t.Fatal(err)
	}
	return o, w, off
}

// givenBack sums the beans and points that give-back effects credit.
func givenBack(effects []points.Effect) (beans, pts int64) {
	for _, e := range effects {
		switch e := e.(type) {
		case points.GiveBackBeans:
			beans += e.Beans
		case points.GiveBackPoints:
			pts += e.Points
		}
	}
	return beans, pts
}

func decimalOf(n int64) decimal.Decimal { return decimal.NewFromInt(n) }
