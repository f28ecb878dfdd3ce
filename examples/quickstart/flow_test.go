package main

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/dispute/disputetest"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/order/ordertest"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// TestOrderFlow is the quickstart's trade with random prices, beans and
// points, parcels, refund amounts, complaints and waits, run through the
// same host: after every call order's own invariants hold
// (ordertest.Check); after every step the money the relay saw move adds
// up and matches each order's ledger, refunds never pass what was paid,
// and beans, points and coupons are given back at most once each and
// never beyond what was used.
func TestOrderFlow(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		h := newHost(io.Discard, clock.NewManual(at(1, 10, 0)))
		f := &flow{beans: map[string]int64{}, points: map[string]int64{}, coupons: map[string]int{}, money: map[string]order.Fen{}}
		h.audit = f.audit
		b := drawShop(rt, h)
		h.wallet = &b.coupons
		cart, err := b.cart(io.Discard, h, at(1, 10, 0))
		if err != nil {
			rt.Fatal(err)
		}
		orders, err := h.orders.CheckoutAt(cart, at(1, 10, 0))
		if err != nil {
			rt.Fatal(err)
		}
		for _, r := range orders {
			h.rows[r.State.Number], h.wake[r.State.Number] = r.State, r.Next
			h.numbers = append(h.numbers, r.State.Number)
			if err := b.markUsed(r.State); err != nil {
				rt.Fatal(err)
			}
		}
		now := at(1, 10, 5)
		for _, n := range h.numbers {
			ev, debits, err := b.pay(h, n, now)
			if err != nil {
				rt.Fatal(err)
			}
			if err := h.apply(n, "paid", ev, now, debits...); err != nil {
				rt.Fatal(err)
			}
		}
		for i := range rapid.IntRange(1, 25).Draw(rt, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 4*24*60).Draw(rt, fmt.Sprintf("wait_%d", i))) * time.Minute)
			if err := h.until(now); err != nil {
				rt.Fatal(err)
			}
			n := rapid.SampledFrom(h.numbers).Draw(rt, fmt.Sprintf("order_%d", i))
			_ = h.apply(n, "step", f.event(rt, h.rows[n], now, i), now) // refusals are part of the trade
			f.check(rt, h)
		}
		if err := h.until(at(1, 0, 0).AddDate(0, 3, 0)); err != nil {
			rt.Fatal(err)
		}
		f.check(rt, h)
		if f.err != nil {
			rt.Fatal(f.err)
		}
	})
}

// drawShop draws the goods' prices and the buyer's beans and points, each
// within what points offers after the coupons.
func drawShop(rt *rapid.T, h *host) *shop {
	b := &shop{stores: []order.Store{{ID: "teashop", Mode: order.Escrow}, {ID: "potshop", Mode: order.Direct}},
		coupons: coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
			{ID: "general-20", Owner: "ann", Kind: coupon.General, Face: yuan("20"), Status: coupon.Available},
			{ID: "tea-30", Owner: "ann", Kind: coupon.Targeted, Store: "teashop", Items: []string{"tea"}, Face: yuan("30"), Status: coupon.Available},
			{ID: "shop-15", Owner: "ann", Kind: coupon.Shop, Store: "teashop", Face: yuan("15"), Threshold: yuan("200"), Status: coupon.Available},
		}},
		balance: points.Wallet{Beans: rapid.Int64Range(0, 100000).Draw(rt, "beans"), Points: rapid.Int64Range(0, 50000).Draw(rt, "points")},
		choice:  map[string]points.Choice{}}
	for _, g := range []good{{id: "tea", store: "teashop", typ: "tea", points: true}, {id: "cup", store: "teashop", typ: "cup"},
		{id: "teapot", store: "potshop", typ: "teapot", points: rapid.Bool().Draw(rt, "teapot_points")}} {
		g.price = decimal.New(rapid.Int64Range(500, 40000).Draw(rt, g.id+"_price"), -2).StringFixed(2)
		g.beanCap = decimal.New(rapid.Int64Range(0, 5000).Draw(rt, g.id+"_bean_cap"), -2).StringFixed(2)
		b.goods = append(b.goods, g)
	}
	best, err := h.coupons.BestAt(b.couponCart(), b.coupons, at(1, 10, 0))
	if err != nil {
		rt.Fatal(err)
	}
	b.alloc = best.Allocation
	if rapid.Bool().Draw(rt, "own_choice") { // the buyer's choice: some of the best coupons
		for _, u := range best.Uses {
			if rapid.Bool().Draw(rt, "keep_"+u.Coupon) {
				b.uses = append(b.uses, u)
			}
		}
		if b.alloc, err = h.coupons.AllocateAt(b.couponCart(), b.coupons, b.uses, at(1, 10, 0)); err != nil {
			rt.Fatalf("AllocateAt(%v): %v", b.uses, err)
		}
		if b.uses == nil {
			b.uses = []coupon.Use{} // non-nil: not Best
		}
	}
	left := b.balance
	for _, st := range b.stores {
		po := b.pointsOrder(st.ID, st.ID)
		bo, err := h.points.OfferBeansAt(po, left, at(1, 10, 0))
		if err != nil {
			rt.Fatal(err)
		}
		beans := rapid.Int64Range(0, bo.Max/bo.Step).Draw(rt, st.ID+"_bean_steps") * bo.Step
		pt, err := h.points.OfferPointsAt(po, left, points.Ledger{}, beans, at(1, 10, 0))
		if err != nil {
			rt.Fatal(err)
		}
		pts := rapid.Int64Range(0, pt.Max/pt.Unit).Draw(rt, st.ID+"_point_units") * pt.Unit
		b.choice[st.ID] = points.Choice{Beans: beans, Points: pts}
		left.Beans, left.Points = left.Beans-beans, left.Points-pts
	}
	return b
}

// flow is what the test saw the orders emit.
type flow struct {
	beans, points map[string]int64     // given back, per order/line
	coupons       map[string]int       // given back, times
	money         map[string]order.Fen // refund_money, per order
	err           error                // the first broken invariant of a call
}

func (f *flow) audit(n string, before order.State, res order.Result, now time.Time, err error) {
	if e := ordertest.Check(before, res, now, err == nil); e != nil && f.err == nil {
		f.err = fmt.Errorf("order %s at %s: %w", n, now.UTC().Format(time.RFC3339), e)
	}
	for _, e := range res.Effects {
		switch a := e.Act.(type) {
		case points.GiveBackBeans:
			for _, l := range a.Lines {
				f.beans[n+"/"+l.Line] += l.Units
			}
		case points.GiveBackPoints:
			for _, l := range a.Lines {
				f.points[n+"/"+l.Line] += l.Units
			}
		case coupon.GiveBackCoupons:
			for _, c := range a.Coupons {
				f.coupons[c.Coupon]++
			}
		case refund.RefundMoney:
			m, _ := order.FenOf(a.Amount)
			f.money[n] += m
		}
	}
}

// event draws what happens next to an order: mostly a refund request of
// a random part of a line, the merchant's answer, a complaint or its
// withdrawal, and sometimes any plausible refund or complaint event.
func (f *flow) event(rt *rapid.T, s order.State, now time.Time, i int) order.Event {
	label := func(x string) string { return fmt.Sprintf("%s_%d", x, i) }
	var unshipped []string
	for _, l := range s.Lines {
		if l.Shipment == 0 && !l.Done {
			unshipped = append(unshipped, l.ID)
		}
	}
	switch k := rapid.IntRange(0, 9).Draw(rt, label("kind")); {
	case k < 3 && len(unshipped) > 0:
		return order.Ship{Lines: unshipped[:rapid.IntRange(1, len(unshipped)).Draw(rt, label("parcel"))], Carrier: "SF", Tracking: label("T"), At: now}
	case k < 5:
		l := rapid.SampledFrom(s.Lines).Draw(rt, label("line"))
		it := refund.Item{Line: l.ID}
		if left := l.Cash() - l.RefundedMoney; left > 1 && rapid.Bool().Draw(rt, label("part")) {
			it.Amount = decimal.New(rapid.Int64Range(1, int64(left)-1).Draw(rt, label("amount")), -2)
		}
		return order.Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{it}}}
	case k < 7:
		for _, r := range slices.Backward(s.Refunds.Requests) {
			if !r.Status.Final() {
				return order.Refund{Event: refund.MerchantAgree{Request: r.ID}}
			}
		}
		return order.Refund{Event: refundtest.Plausible(s.RefundOrder(), s.Refunds).Draw(rt, label("refund"))}
	case k < 8:
		if s.Complaints.OpenComplaints() > 0 && rapid.Bool().Draw(rt, label("withdraw")) {
			return order.Complaint{Event: dispute.Withdraw{Complaint: len(s.Complaints.Complaints)}}
		}
		return order.Complaint{Event: disputetest.Filing().Draw(rt, label("filing"))}
	case k < 9:
		return order.Complaint{Event: disputetest.Plausible(s.Complaints).Draw(rt, label("complaint"))}
	}
	return order.Refund{Event: refundtest.Plausible(s.RefundOrder(), s.Refunds).Draw(rt, label("any"))}
}

// check states what holds after every step.
func (f *flow) check(rt *rapid.T, h *host) {
	if f.err != nil {
		rt.Fatal(f.err)
	}
	var used int64
	for _, n := range h.numbers {
		if sp := h.rows[n].Spend; sp != nil {
			used += sp.Points - sp.PointsBack()
		}
	}
	if h.ledger.Used != used { // PTS-3: given-back points restore the allowance
		rt.Fatalf("points ledger: %d used this year, the orders' spends %d", h.ledger.Used, used)
	}
	for _, n := range h.numbers {
		s, b := h.rows[n], h.books[n]
		if b == nil || *b != (books{s.Paid, s.Frozen, s.Settled, s.Refunded}) || s.Paid != s.Frozen+s.Settled+s.Refunded {
			rt.Fatalf("order %s: the relay moved %+v, the order holds paid %s frozen %s settled %s refunded %s", n, b, s.Paid, s.Frozen, s.Settled, s.Refunded)
		}
		if s.Paid != s.Payable() || f.money[n] != s.Refunded || s.Refunded > s.Paid {
			rt.Fatalf("order %s: paid %s of %s, refund_money %s, refunded %s", n, s.Paid, s.Payable(), f.money[n], s.Refunded)
		}
		all := true
		for _, l := range s.Lines {
			all = all && l.Done
			if l.RefundedMoney > l.Cash() {
				rt.Fatalf("order %s line %s: refunded %s of %s", n, l.ID, l.RefundedMoney, l.Cash())
			}
			if s.Spend == nil {
				continue
			}
			sl, _ := s.Spend.Line(l.ID)
			k := n + "/" + l.ID
			if f.beans[k] != sl.BeansBack || f.points[k] != sl.PointsBack || sl.BeansBack+sl.BeansKept > sl.Beans || sl.PointsBack+sl.PointsKept > sl.Points {
				rt.Fatalf("line %s: effects gave back %d beans, %d points; the spend says %+v", k, f.beans[k], f.points[k], sl)
			}
		}
		if s.Redemption == nil {
			continue
		}
		for _, c := range s.Redemption.Coupons { // CPN-6: back once, exactly when the order is refunded in full
			if got := f.coupons[c.Coupon]; got > 1 || (got == 1) != all {
				rt.Fatalf("order %s: coupon %s given back %d times, every line refunded %t", n, c.Coupon, got, all)
			}
			i := slices.IndexFunc(h.wallet.Coupons, func(w coupon.Coupon) bool { return w.ID == c.Coupon })
			if (h.wallet.Coupons[i].Status == coupon.Available) != all {
				rt.Fatalf("order %s: coupon %s is %s in the wallet, every line refunded %t", n, c.Coupon, h.wallet.Coupons[i].Status, all)
			}
		}
	}
}
