package pointstest_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
)

var (
	shanghai = clock.MustZone("Asia/Shanghai")
	start    = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)
)

func yuan(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The generators draw what package points accepts: orders and wallets
// always, refunds of a paid order always (or refused only for want of a
// back-office approval after receipt), and bean and point amounts that
// are valid most of the time and refused the rest, as documented.
func TestGeneratorsAccepted(t *testing.T) {
	m := points.New(points.Options{Clock: clock.NewManual(start)})
	var beansOK, beansRefused, pointsOK, pointsRefused int
	rapid.Check(t, func(t *rapid.T) {
		o := pointstest.Order(8).Draw(t, "order")
		if len(o.Lines) < 1 || len(o.Lines) > 8 || o.Payable.Sign() < 0 {
			t.Fatalf("order %+v outside the documented shape", o)
		}
		for _, l := range o.Lines {
			if l.Quantity < 1 || l.Quantity > 5 || l.Amount.Sign() < 0 || l.Amount.GreaterThan(yuan("5000")) ||
				l.BeanCap.Sign() < 0 || l.BeanCap.GreaterThan(yuan("100")) {
				t.Fatalf("line %+v outside the documented ranges", l)
			}
		}
		w := pointstest.Wallet().Draw(t, "wallet")
		bo, err := m.OfferBeans(o, w)
		if err != nil {
			t.Fatalf("OfferBeans of a generated order: %v", err)
		}
		if err := pointstest.CheckBeanOffer(points.DefaultPolicy().In(start), o, w, bo); err != nil {
			t.Fatal(err)
		}
		beans := pointstest.Beans(bo).Draw(t, "beans")
		if bo.Check(beans) != nil {
			beansRefused++
			beans = bo.Max
		} else {
			beansOK++
		}
		po, err := m.OfferPoints(o, w, points.Ledger{}, beans)
		if err != nil {
			t.Fatalf("OfferPoints: %v", err)
		}
		pts := pointstest.Points(po).Draw(t, "points")
		if po.Check(pts) != nil {
			pointsRefused++
			pts = po.Max
		} else {
			pointsOK++
		}
		res, err := m.Pay(o, w, points.Ledger{}, points.Choice{Beans: beans, Points: pts})
		if err != nil {
			t.Fatalf("Pay of an accepted choice: %v", err)
		}
		s := res.State
		if err := pointstest.CheckSpend(s); err != nil {
			t.Fatal(err)
		}
		lines := pointstest.PaidLines(o, s)
		for i := range 3 {
			r := pointstest.Refund(fmt.Sprintf("r%d", i), lines).Draw(t, "refund")
			res, err := m.Apply(s, r)
			if err != nil {
				t.Fatalf("Apply of a generated refund %+v: %v", r, err)
			}
			if err := pointstest.CheckStep(s, res); err != nil {
				t.Fatal(err)
			}
			s, lines = res.State, pointstest.After(lines, r)
		}

		at := pointstest.Instant(2025, shanghai).Draw(t, "at")
		newYear := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
		if d := at.Sub(newYear); d < -24*time.Hour || d > 24*time.Hour {
			t.Fatalf("instant %s more than a day from %s", at, newYear)
		}
	})
	if beansOK == 0 || beansRefused == 0 || pointsOK == 0 || pointsRefused == 0 {
		t.Errorf("amounts accepted/refused: beans %d/%d, points %d/%d; want both kinds of each",
			beansOK, beansRefused, pointsOK, pointsRefused)
	}
}

// Beans and Points draw from any offer, even one for a huge balance,
// without overflowing their ranges.
func TestAmountsOfHugeOffers(t *testing.T) {
	m := points.New(points.Options{Clock: clock.NewManual(start)})
	o := points.Order{ID: "O", Payable: yuan("100.00"), Lines: []points.Line{
		{ID: "a", Quantity: 1, Amount: yuan("100.00"), BeanCap: yuan("100"), Points: true}}}
	w := points.Wallet{Beans: math.MaxInt64, Points: math.MaxInt64}
	bo, err := m.OfferBeans(o, w)
	if err != nil {
		t.Fatal(err)
	}
	po, err := m.OfferPoints(o, w, points.Ledger{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	po.PayableCap = math.MaxInt64 // a hand-made offer
	var beansAbove, pointsAbove int
	for i := range 100 {
		n := pointstest.Beans(bo).Example(i)
		if n < 0 {
			t.Fatalf("Beans drew %d", n)
		}
		if n > bo.Max {
			beansAbove++
		}
		p := pointstest.Points(po).Example(i)
		if p < 0 {
			t.Fatalf("Points drew %d", p)
		}
		if p > po.Remaining {
			pointsAbove++
		}
	}
	if beansAbove == 0 || pointsAbove == 0 {
		t.Errorf("of 100 draws, %d beans above max %d and %d points above the remaining %d; want some of each",
			beansAbove, bo.Max, pointsAbove, po.Remaining)
	}
}

// The checkers report every planted violation, and pass what the
// package produced.
func TestCheckersCatchPlanted(t *testing.T) {
	m := points.New(points.Options{Clock: clock.NewManual(start)})
	// 99% of 100.00 is 9900 beans; the items' caps sum to 60.00 (6000
	// beans); the balance is 5000 beans, so Max is 5000.
	o := points.Order{ID: "O", Payable: yuan("100.00"), Lines: []points.Line{
		{ID: "a", Quantity: 2, Amount: yuan("50.00"), BeanCap: yuan("20.00"), Points: true},
		{ID: "b", Quantity: 1, Amount: yuan("50.00"), BeanCap: yuan("20.00")},
	}}
	w := points.Wallet{Beans: 5000, Points: 100000}
	off, err := m.OfferBeans(o, w)
	if err != nil {
		t.Fatal(err)
	}
	v := points.DefaultPolicy().In(start)
	if err := pointstest.CheckBeanOffer(v, o, w, off); err != nil || off.Max != 5000 {
		t.Fatalf("the package's offer (max %d): %v", off.Max, err)
	}
	rich := points.Wallet{Beans: 1 << 40}
	richOff, err := m.OfferBeans(o, rich)
	if err != nil || richOff.Max != 6000 {
		t.Fatalf("offer to a rich buyer: max %d, %v", richOff.Max, err)
	}
	setMax := func(n int64) func(*points.BeanOffer) {
		return func(b *points.BeanOffer) { b.Max, b.Value = n, money.FromFen(n) }
	}
	for _, tt := range []struct {
		name   string
		wallet points.Wallet
		offer  points.BeanOffer
		order  points.Order
		plant  func(*points.BeanOffer)
	}{
		{"not a multiple of 100", w, off, o, setMax(4950)},
		{"negative", w, off, o, setMax(-100)},
		{"above the balance", w, off, o, setMax(5100)},
		{"above the items' caps", rich, richOff, o, setMax(6100)},
		{"above 99 percent", rich, richOff, points.Order{Payable: yuan("50.00"), Lines: o.Lines}, setMax(5000)},
		{"value not max/100", w, off, o, func(b *points.BeanOffer) { b.Value = yuan("49.99") }},
		{"no step", w, off, o, func(b *points.BeanOffer) { b.Step = 0 }},
		{"step the max is not a multiple of", w, off, o, func(b *points.BeanOffer) { b.Step = 300 }},
	} {
		bad := tt.offer
		tt.plant(&bad)
		if err := pointstest.CheckBeanOffer(v, tt.order, tt.wallet, bad); err == nil {
			t.Errorf("CheckBeanOffer missed %q: %+v", tt.name, bad)
		}
	}

	res, err := m.Pay(o, w, points.Ledger{}, points.Choice{Beans: 5000, Points: 1001})
	if err != nil {
		t.Fatal(err)
	}
	paid := pointstest.PaidLines(o, res.State)
	res, err = m.Apply(res.State, points.Refund{ID: "r1", Stage: points.Shipped,
		Lines: []points.RefundLine{{Line: "a", Refunded: paid[0].Paid, Paid: paid[0].Paid, Done: true}}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.State
	if err := pointstest.CheckSpend(s); err != nil {
		t.Fatalf("the package's spend: %v", err)
	}
	for name, plant := range map[string]func(*points.Spend){
		"more beans back than spent":    func(s *points.Spend) { s.Lines[0].BeansBack = s.Lines[0].Beans + 1 },
		"negative points back":          func(s *points.Spend) { s.Lines[1].PointsBack = -1 },
		"done, not all back":            func(s *points.Spend) { s.Lines[0].PointsBack-- },
		"lines do not add up to beans":  func(s *points.Spend) { s.Beans++ },
		"lines do not add up to points": func(s *points.Spend) { s.Lines[1].Points++ },
		"done, no beans back":           func(s *points.Spend) { s.Lines[0].BeansBack = 0 },
		"back and kept past all":        func(s *points.Spend) { s.Lines[1].BeansKept = s.Lines[1].Beans + 1 },
	} {
		bad := s.Clone()
		plant(&bad)
		if err := pointstest.CheckSpend(bad); err == nil {
			t.Errorf("CheckSpend missed %q: %+v", name, bad)
		}
	}

	const annualCap = 14_000_000
	at := func(n int64) points.Ledger {
		return points.Ledger{Year: 2024, Used: n, Uses: []points.LedgerUse{{ID: "u", Points: n}}}
	}
	if err := pointstest.CheckLedger(at(annualCap), annualCap); err != nil {
		t.Errorf("a ledger exactly at the cap: %v", err)
	}
	for _, l := range []points.Ledger{at(annualCap + 1), {Year: 2024, Used: -1}, {Year: 2024, Used: 5}} {
		if err := pointstest.CheckLedger(l, annualCap); err == nil {
			t.Errorf("CheckLedger missed %+v", l)
		}
	}
}

// CheckBeanOffer reads the policy: offers made under a host's thresholds
// (a step of 500, 50 beans per yuan, half the payable amount) pass when
// checked against that version and fail against the default one.
func TestCheckBeanOfferReadsPolicy(t *testing.T) {
	set := points.DefaultPolicy()
	for _, o := range [][2]string{{"bean_step", "500"}, {"beans_per_yuan", "50"}, {"bean_payable_cap", `order.payable * decimal("0.5")`}} {
		var err error
		if set, err = set.OverrideExpr(o[0], o[1]); err != nil {
			t.Fatal(err)
		}
	}
	m := points.New(points.Options{Policy: set})
	v := set.In(start)
	var misses int
	rapid.Check(t, func(t *rapid.T) {
		o := pointstest.Order(6).Draw(t, "order")
		w := pointstest.Wallet().Draw(t, "wallet")
		off, err := m.OfferBeansAt(o, w, start)
		if err != nil {
			t.Fatal(err)
		}
		if err := pointstest.CheckBeanOffer(v, o, w, off); err != nil {
			t.Fatalf("offer under the host's policy: %v", err)
		}
		if pointstest.CheckBeanOffer(points.DefaultPolicy().In(start), o, w, off) != nil {
			misses++
		}
	})
	if misses == 0 {
		t.Error("no host offer failed the default policy's check: the checker does not read the policy")
	}
}
