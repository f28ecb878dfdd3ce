package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// TestWiring is the cross-package property: random carts and wallets go
// through coupon allocation and a points spend, then a random sequence of
// refund events, fulfilment facts, clock advances, wake-ups at Next and
// redeliveries of refund_settled acts; after every step, money, beans,
// points and coupons are conserved and nothing is given back twice or by
// two packages.
func TestWiring(t *testing.T) {
	for _, k := range refund.EffectKinds() { // refund decides money only (RFD-10 Reading)
		if strings.HasPrefix(k, "give_back_") || strings.HasPrefix(k, "debit_") {
			t.Fatalf("refund owns an act of kind %s", k)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		m := machines{
			refunds: refund.New(refund.Options{}),
			points:  points.New(points.Options{}),
			coupons: coupon.New(coupon.Options{}),
		}
		w := payment(rt, m)
		n := rapid.IntRange(1, 100).Draw(rt, "steps")
		for i := range n {
			w.step(rt, m, i)
			w.check(rt)
		}
	})
}

// world is one trade under test and what the test saw carried out.
type world struct {
	t       trade
	now     time.Time
	wallet  coupon.Wallet
	used    []string // the coupons the checkout used
	settled []entry  // refund_settled entries carried out
	money   decimal.Decimal
	beans   map[string]int64 // given back per line
	points  map[string]int64
	back    map[string]int // coupon given back, times
	lastID  map[string]uint64
}

// payment draws a cart, a wallet and a choice of beans and points, and
// makes the trade a host stores at payment.
func payment(rt *rapid.T, m machines) *world {
	now := coupontest.Now
	cart := coupontest.Cart(coupontest.Sizes{Stores: 1, Lines: 4}).Draw(rt, "cart")
	wallet := coupontest.Wallet(cart, now, coupontest.Sizes{Stores: 1}).Draw(rt, "wallet")
	best, err := m.coupons.BestAt(cart, wallet, now)
	if err != nil {
		rt.Fatalf("BestAt: %v", err)
	}
	if err := coupontest.CheckAllocation(cart, wallet, best.Allocation); err != nil {
		rt.Fatal(err)
	}
	order := points.Order{ID: "A1"}
	for _, l := range best.Allocation.Lines {
		pl := pointstest.Line(l.Line).Draw(rt, "line")
		pl.Amount = l.Net
		order.Lines = append(order.Lines, pl)
		order.Payable = order.Payable.Add(l.Net)
	}
	balance := pointstest.Wallet().Draw(rt, "balance")
	beanOffer, err := m.points.OfferBeansAt(order, balance, now)
	if err != nil {
		rt.Fatalf("OfferBeansAt: %v", err)
	}
	beans := rapid.Int64Range(0, beanOffer.Max/beanOffer.Step).Draw(rt, "bean_steps") * beanOffer.Step
	pointOffer, err := m.points.OfferPointsAt(order, balance, points.Ledger{}, beans, now)
	if err != nil {
		rt.Fatalf("OfferPointsAt: %v", err)
	}
	pts := rapid.Int64Range(0, pointOffer.Max/pointOffer.Unit).Draw(rt, "point_units") * pointOffer.Unit
	paid, err := m.points.PayAt(order, balance, points.Ledger{}, points.Choice{Beans: beans, Points: pts}, now)
	if err != nil {
		rt.Fatalf("PayAt(%d beans, %d points): %v", beans, pts, err)
	}

	w := &world{now: now.UTC(), wallet: wallet, beans: map[string]int64{}, points: map[string]int64{},
		back: map[string]int{}, lastID: map[string]uint64{}}
	w.t = trade{ID: order.ID, Spend: paid.State, Coupons: best.Allocation.Redemption(),
		Facts: refund.Order{Mode: rapid.SampledFrom([]refund.Mode{refund.Escrow, refund.Direct}).Draw(rt, "mode"),
			Payment: refund.Payment{Route: refund.WalletBalance, Account: "a"}}}
	if rapid.Bool().Draw(rt, "free_shipping") {
		w.t.Facts.FreeShipping = true
	} else {
		w.t.Facts.ShippingFee = refundtest.Fen(0, 2000).Draw(rt, "shipping_fee")
	}
	for i := range w.t.Coupons.Coupons {
		w.t.Coupons.Coupons[i].Orders = []string{order.ID}
		w.used = append(w.used, w.t.Coupons.Coupons[i].Coupon)
	}
	for i, c := range w.wallet.Coupons {
		if slices.Contains(w.used, c.ID) {
			if w.wallet.Coupons[i], err = coupon.MarkUsed(c, order.ID); err != nil {
				rt.Fatal(err)
			}
		}
	}
	for _, l := range best.Allocation.Lines {
		s, _ := paid.State.Line(l.Line)
		w.t.Facts.Lines = append(w.t.Facts.Lines, refund.Line{ID: l.Line, Amount: l.Amount, Discount: l.Discount,
			BeanValue: s.BeanValue, PointValue: s.PointValue, NoReason: rapid.Bool().Draw(rt, "no_reason")})
	}
	if err := w.t.Facts.Validate(); err != nil {
		rt.Fatalf("the order refunds see: %v", err)
	}
	for _, e := range paid.Effects {
		w.t.Outbox = append(w.t.Outbox, entry{"points", e.ID, e.At, e.Rule, e.Act})
	}
	w.relay(rt, m)
	return w
}

// step draws one thing that happens to the trade.
func (w *world) step(rt *rapid.T, m machines, i int) {
	label := func(s string) string { return fmt.Sprintf("%s_%d", s, i) }
	switch rapid.IntRange(0, 9).Draw(rt, label("what")) {
	case 0, 1: // the clock moves on
		w.now = w.now.Add(time.Duration(rapid.Int64Range(0, 4*24*3600).Draw(rt, label("wait"))) * time.Second)
	case 2: // the host is woken at its deadline, or late
		if w.t.Wake.After(w.now) {
			w.now = w.t.Wake
		}
		w.refund(rt, m, nil)
	case 3: // the order moves on: shipped, signed for, receipt confirmed
		f := refundtest.Fulfil(w.t.Facts, w.now).Draw(rt, label("fact"))
		w.t.Facts = f.Order
	case 4: // a refund_settled delivered again
		if len(w.settled) > 0 {
			e := rapid.SampledFrom(w.settled).Draw(rt, label("redeliver"))
			w.redeliver(rt, m, e)
		}
	default:
		w.refund(rt, m, refundtest.Event(w.t.Facts, w.t.Refunds).Draw(rt, label("event")))
	}
}

// refund runs one refund call through the host loop and relays its
// effects, checking the transition with refund's own checker.
func (w *world) refund(rt *rapid.T, m machines, ev refund.Event) {
	prev := w.t.Refunds.Clone()
	res, _ := w.t.refund(m, ev, w.now) // refusals are part of the sequence
	if err := refundtest.CheckStep(w.t.Facts, prev, res, w.now); err != nil {
		rt.Fatalf("refund step %v: %v", ev, err)
	}
	w.relay(rt, m)
}

// relay carries out the outbox, recording what each act did.
func (w *world) relay(rt *rapid.T, m machines) {
	err := w.t.relay(m, func(e entry) error {
		if e.ID <= w.lastID[e.Owner] {
			return fmt.Errorf("%s effect %d after %d: IDs must increase", e.Owner, e.ID, w.lastID[e.Owner])
		}
		w.lastID[e.Owner] = e.ID
		switch a := e.Act.(type) {
		case refund.RefundMoney:
			w.money = w.money.Add(a.Amount)
		case refund.Settled:
			w.settled = append(w.settled, e)
		case points.GiveBackBeans:
			for _, l := range a.Lines {
				w.beans[l.Line] += l.Units
			}
		case points.GiveBackPoints:
			for _, l := range a.Lines {
				w.points[l.Line] += l.Units
			}
		case coupon.GiveBackCoupons:
			for _, c := range a.Coupons {
				w.back[c.Coupon]++
			}
			w.wallet = a.ApplyTo(w.wallet)
		}
		return ownedBy(e)
	})
	if err != nil {
		rt.Fatal(err)
	}
}

// ownedBy checks that an act is of a kind its package owns: refund never
// emits a bean, point or coupon give-back (one owner per rule).
func ownedBy(e entry) error {
	var ok bool
	switch e.Act.(type) {
	case refund.Act:
		ok = e.Owner == "refund"
	case points.Act:
		ok = e.Owner == "points"
	case coupon.Act:
		ok = e.Owner == "coupon"
	}
	if !ok {
		return fmt.Errorf("%s effect %d is a %T", e.Owner, e.ID, e.Act)
	}
	return nil
}

// redeliver hands a refund_settled carried out before to giveBack again:
// nothing changes and nothing new is emitted.
func (w *world) redeliver(rt *rapid.T, m machines, e entry) {
	spend, red := w.t.Spend.Clone(), w.t.Coupons
	red.Coupons = slices.Clone(red.Coupons)
	if err := w.t.giveBack(m, e.Act.(refund.Settled), w.now); err != nil {
		rt.Fatalf("redelivered %d: %v", e.ID, err)
	}
	if len(w.t.Outbox) != 0 {
		rt.Fatalf("redelivered refund_settled %d emitted %d effects", e.ID, len(w.t.Outbox))
	}
	if diff := cmp.Diff(spend, w.t.Spend); diff != "" {
		rt.Fatalf("redelivered refund_settled %d changed the spend (-want +got):\n%s", e.ID, diff)
	}
	if diff := cmp.Diff(red, w.t.Coupons); diff != "" {
		rt.Fatalf("redelivered refund_settled %d changed the redemption (-want +got):\n%s", e.ID, diff)
	}
	w.t.Audit = nil
}

// check states the invariants that hold after every step.
func (w *world) check(rt *rapid.T) {
	t := &w.t
	// Money: refunded at most what was paid, and exactly the refund_money acts.
	if got := t.Refunds.Refunded(); !got.Equal(w.money) {
		rt.Fatalf("refunded %s, refund_money acts %s", got, w.money)
	}
	if t.Refunds.Refunded().GreaterThan(t.Facts.Paid()) {
		rt.Fatalf("refunded %s of %s paid", t.Refunds.Refunded(), t.Facts.Paid())
	}
	// Each package's state is one it could have produced.
	if err := pointstest.CheckSpend(t.Spend); err != nil {
		rt.Fatal(err)
	}
	if err := coupontest.CheckRedemption(t.Coupons); err != nil {
		rt.Fatal(err)
	}
	if len(t.Spend.Refunds) != len(w.settledIDs()) {
		rt.Fatalf("points applied refunds %v, refund settled %d requests", t.Spend.Refunds, len(w.settledIDs()))
	}
	// Beans and points: given back per line at most what it used; all of it
	// settled (given back, or kept where PTS-2 gives nothing back) exactly
	// when refund says the line is done.
	done := map[string]bool{}
	for _, e := range w.settled {
		for _, l := range e.Act.(refund.Settled).Lines {
			done[l.Line] = done[l.Line] || l.Done
		}
	}
	var beans, pts int64
	for _, l := range t.Spend.Lines {
		if w.beans[l.Line] != l.BeansBack || w.points[l.Line] != l.PointsBack {
			rt.Fatalf("line %s: acts gave back %d beans, %d points; spend says %d, %d",
				l.Line, w.beans[l.Line], w.points[l.Line], l.BeansBack, l.PointsBack)
		}
		if l.BeansBack+l.BeansKept > l.Beans || l.PointsBack+l.PointsKept > l.Points {
			rt.Fatalf("line %s settled more than it used: %+v", l.Line, l)
		}
		if l.Done != done[l.Line] {
			rt.Fatalf("line %s: points says done %t, refund %t", l.Line, l.Done, done[l.Line])
		}
		if l.Done && (l.BeansBack+l.BeansKept != l.Beans || l.PointsBack+l.PointsKept != l.Points) {
			rt.Fatalf("line %s done with part of its beans or points unsettled: %+v", l.Line, l)
		}
		beans += l.BeansBack
		pts += l.PointsBack
	}
	if beans > t.Spend.Beans || pts > t.Spend.Points || beans != t.Spend.BeansBack() || pts != t.Spend.PointsBack() {
		rt.Fatalf("given back %d beans, %d points of %d, %d", beans, pts, t.Spend.Beans, t.Spend.Points)
	}
	// Coupons (CPN-6): given back at most once, only once the order is
	// refunded in full, and then every one (default policy).
	full := false
	for _, e := range w.settled {
		full = full || e.Act.(refund.Settled).Full
	}
	for _, c := range w.used {
		switch n := w.back[c]; {
		case n > 1:
			rt.Fatalf("coupon %s given back %d times", c, n)
		case n == 1 && !full:
			rt.Fatalf("coupon %s given back without a full refund", c)
		case n == 0 && full:
			rt.Fatalf("coupon %s not given back after the full refund", c)
		}
	}
	for _, c := range w.wallet.Coupons {
		if slices.Contains(w.used, c.ID) && (c.Status == coupon.Used) == full {
			rt.Fatalf("coupon %s is %s in the wallet, full refund %t", c.ID, c.Status, full)
		}
	}
}

// settledIDs are the distinct requests refund_settled reported.
func (w *world) settledIDs() []int {
	var ids []int
	for _, e := range w.settled {
		if id := e.Act.(refund.Settled).Request; !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
