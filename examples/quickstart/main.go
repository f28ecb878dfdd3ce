// Command quickstart walks one whole trade through package order, the
// trade aggregate. Ann checks out a cart from two stores: coupon's engine
// picks her coupons, points splits her beans and points over the lines,
// and order splits the cart into one order per store. She pays; the tea
// shop ships in two parcels; she gets part of the tea refunded (a refund
// request inside the order, package refund) and complains about the cup
// (a complaint inside the order, package dispute), each pausing the
// escrow's auto-confirm countdown, which at last fires and releases the
// money to the merchant. The host loop is the one of order's package doc
// (host.go): save the state and its effects, wake at Next. Every effect
// and decision is printed with its rule, in the business zone. It runs
// on a manual clock, so its output is the same on every run.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// at is an instant of March 2024 in the business zone.
func at(day, hour, minute int) time.Time { return time.Date(2024, 3, day, hour, minute, 0, 0, zone) }

func run(w io.Writer) error {
	h := newHost(w, clock.NewManual(at(1, 10, 0)))
	b := &shop{
		goods: []good{
			{id: "tea", store: "teashop", typ: "tea", price: "168.00", beanCap: "10.00", points: true},
			{id: "cup", store: "teashop", typ: "cup", price: "59.00", beanCap: "10.00"},
			{id: "teapot", store: "potshop", typ: "teapot", price: "120.00", beanCap: "5.00"},
		},
		stores: []order.Store{{ID: "teashop", Mode: order.Escrow}, {ID: "potshop", Mode: order.Direct}},
		coupons: coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
			{ID: "general-20", Owner: "ann", Kind: coupon.General, Face: yuan("20"), Status: coupon.Available},
			{ID: "tea-30", Owner: "ann", Kind: coupon.Targeted, Store: "teashop", Items: []string{"tea"}, Face: yuan("30"), Status: coupon.Available},
			{ID: "shop-15", Owner: "ann", Kind: coupon.Shop, Store: "teashop", Face: yuan("15"), Threshold: yuan("200"), Status: coupon.Available},
		}},
		balance: points.Wallet{Beans: 1800, Points: 3000},
		choice:  map[string]points.Choice{"teashop": {Beans: 1200, Points: 3000}, "potshop": {Beans: 500}},
	}
	h.wallet = &b.coupons
	fmt.Fprintln(w, "All times are", zone, "(the business zone); amounts in yuan.")

	fmt.Fprintln(w, "==", local(at(1, 10, 0)), "checkout of cart C7")
	cart, err := b.cart(w, h, at(1, 10, 0))
	if err != nil {
		return err
	}
	orders, err := h.orders.CheckoutAt(cart, at(1, 10, 0))
	if err != nil {
		return err
	}
	for _, r := range orders {
		s := r.State
		h.rows[s.Number], h.wake[s.Number] = s, r.Next // saved; woken at Next
		h.numbers = append(h.numbers, s.Number)
		fmt.Fprintf(w, "   order %s of %s (%s): pays ¥%s; %s\n", s.Number, s.Store, s.Mode, s.Payable(), status(s))
		for _, d := range r.Decisions {
			fmt.Fprintln(w, "   because", local(d.String()))
		}
		if err := b.markUsed(s); err != nil {
			return err
		}
	}
	tea, pot := h.numbers[0], h.numbers[1]

	type step struct {
		at     time.Time
		order  string
		what   string
		ev     order.Event // nil: the buyer pays
		refuse bool        // the event is refused, and the host saves anyway
	}
	steps := []step{
		{at(1, 10, 5), tea, "paid", nil, false},
		{at(1, 10, 6), pot, "paid", nil, false},
		{at(1, 16, 0), tea, "parcel 1 (tea) shipped", order.Ship{Lines: []string{"tea"}, Carrier: "SF", Tracking: "SF1001", At: at(1, 16, 0)}, false},
		{at(1, 17, 0), pot, "parcel shipped", order.Ship{Lines: []string{"teapot"}, Carrier: "YTO", Tracking: "YT2001", At: at(1, 17, 0)}, false},
		{at(2, 11, 0), tea, "parcel 2 (cup) shipped", order.Ship{Lines: []string{"cup"}, Carrier: "SF", Tracking: "SF1002", At: at(2, 11, 0)}, false},
		{at(3, 9, 0), tea, "parcel 1 signed for", order.Sign{Shipment: 1, At: at(3, 9, 0)}, false},
		{at(3, 15, 0), tea, "parcel 2 signed for", order.Sign{Shipment: 2, At: at(3, 15, 0)}, false},
		{at(4, 14, 0), tea, "buyer asks ¥50.00 back for the tea", order.Refund{Event: refund.Open{Kind: refund.RefundOnly,
			Reason: refund.Agreed, Items: []refund.Item{{Line: "tea", Amount: yuan("50.00")}}}}, false},
		{at(4, 18, 0), tea, "merchant agrees", order.Refund{Event: refund.MerchantAgree{Request: 1}}, false},
		{at(5, 9, 0), tea, "buyer complains: the cup arrived chipped", order.Complaint{Event: dispute.Complain{Type: "product",
			Filer: dispute.Filer{Identity: "ann", Contact: "13800000000"}, Respondent: "teashop", Claims: "a new cup",
			Facts: "the cup arrived chipped", Reasons: "damaged goods", Evidence: []string{"photo.jpg"}}}, false},
		{at(9, 10, 0), tea, "merchant replies too late", order.Complaint{Event: dispute.Reply{Complaint: 1, Text: "sorry"}}, true},
	}
	for _, s := range steps {
		if err := h.until(s.at); err != nil {
			return err
		}
		ev, with := s.ev, []row(nil)
		if ev == nil {
			if ev, with, err = b.pay(h, s.order, s.at); err != nil {
				return err
			}
		}
		if err := h.apply(s.order, s.what, ev, s.at, with...); (err != nil) != s.refuse {
			return fmt.Errorf("%s: %v", s.what, err)
		}
	}
	if err := h.until(at(31, 0, 0)); err != nil { // the deadlines left, each at its instant
		return err
	}
	return h.balance(w)
}
