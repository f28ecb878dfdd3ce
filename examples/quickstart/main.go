// Command quickstart walks one trade through the library: the checkout
// picks the best coupons (coupon), offers beans (points), and later the
// buyer returns an item within the seven-day no-reason window (refund),
// with every deadline, effect and decision printed. It runs on a manual
// clock, so its output is the same on every machine and every run.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

var yuan = decimal.RequireFromString

func run(w io.Writer) error {
	sh := clock.MustZone("Asia/Shanghai")
	clk := clock.NewManual(time.Date(2024, 3, 1, 10, 0, 0, 0, sh))
	at := func(t time.Time) string { return t.In(sh).Format("01-02 15:04") }

	// 1. Checkout: the best combination of the buyer's coupons (CPN-2..5).
	coupons := coupon.New(coupon.Options{Clock: clk})
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "tea", Store: "teashop", Item: "longjing", Amount: yuan("168.00")},
		{ID: "cup", Store: "teashop", Item: "cup", Amount: yuan("59.00")},
	}}
	wallet := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "general-20", Owner: "ann", Kind: coupon.General, Face: yuan("20"), Status: coupon.Available},
		{ID: "tea-30", Owner: "ann", Kind: coupon.Targeted, Store: "teashop", Items: []string{"longjing"}, Face: yuan("30"), Status: coupon.Available},
		{ID: "shop-15", Owner: "ann", Kind: coupon.Shop, Store: "teashop", Face: yuan("15"), Threshold: yuan("200"), Status: coupon.Available},
	}}
	best, err := coupons.Best(cart, wallet)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== checkout", at(clk.Now()))
	for _, u := range best.Uses {
		fmt.Fprintln(w, "use coupon", u.Coupon)
	}
	for _, v := range best.LeftOut {
		fmt.Fprintf(w, "leave out %s: %v\n", v.Coupon, v.Err)
	}
	fmt.Fprintln(w, "coupon discount", best.Allocation.Total.StringFixed(2))

	// 2. Beans: at most 99% of the payable, each item's own cap, the balance (PTS-1).
	beans := points.New(points.Options{Clock: clk})
	order := points.Order{ID: "A1"}
	for _, l := range best.Allocation.Lines {
		order.Payable = order.Payable.Add(l.Net)
		order.Lines = append(order.Lines, points.Line{ID: l.Line, Quantity: 1, Amount: l.Net, BeanCap: yuan("10.00")})
	}
	offer, err := beans.OfferBeans(order, points.Wallet{Beans: 1234})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "payable %s; beans offered up to %d (¥%s)\n", order.Payable.StringFixed(2), offer.Max, offer.Value.StringFixed(2))
	paid, err := beans.Pay(order, points.Wallet{Beans: 1234}, points.Ledger{}, points.Choice{Beans: offer.Max})
	if err != nil {
		return err
	}
	rates, err := points.RatesAt(beans.Policy(), clk.Now())
	if err != nil {
		return err
	}

	// 3. The order as refunds see it: what each line paid, stored at payment (RFD-10).
	facts := refund.Order{Mode: refund.Escrow, Payment: refund.Payment{Route: refund.WalletBalance, Account: "ann-wallet"},
		FreeShipping: true}
	for i, l := range best.Allocation.Lines {
		b := paid.State.Lines[i].Beans
		facts.Lines = append(facts.Lines, refund.Line{ID: l.Line, Amount: l.Amount, Discount: l.Discount,
			BeanValue: decimal.New(b, 0).DivRound(decimal.New(rates.BeansPerYuan, 0), 2), NoReason: true})
		fmt.Fprintf(w, "line %s: %s - coupons %s - %d beans = pays %s\n", l.Line, l.Amount.StringFixed(2),
			l.Discount.StringFixed(2), b, facts.Lines[i].Paid().StringFixed(2))
	}
	returns := refund.New(refund.Options{Clock: clk})
	var st refund.State
	apply := func(e refund.Event) error {
		res, err := returns.Apply(facts, st, e)
		if err != nil {
			return err
		}
		st = res.State
		show(w, e.Name(), res, at)
		return nil
	}

	// 4. Shipped, signed for, and returned without a reason (RFD-5, RFD-3, RFD-7).
	// The host records shipment and signing in the order facts itself.
	for i := range facts.Lines {
		facts.Lines[i].ShippedAt = clk.Now().UTC()
	}
	fmt.Fprintln(w, "== shipped")
	clk.Advance(26 * time.Hour)
	for i := range facts.Lines {
		facts.Lines[i].SignedAt = clk.Now().UTC()
	}
	fmt.Fprintln(w, "== signed")
	clk.Advance(5 * 24 * time.Hour)
	if err := apply(refund.Open{Kind: refund.ReturnRefund, Reason: refund.NoReason, Items: []refund.Item{{Line: "cup"}}}); err != nil {
		return err
	}
	clk.Advance(48 * time.Hour) // the merchant stays silent: deemed agreed (RFD-3)
	res := returns.Advance(facts, st)
	st = res.State
	show(w, "advance", res, at)
	clk.Advance(24 * time.Hour)
	if err := apply(refund.SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1234567"}); err != nil {
		return err
	}
	clk.Advance(3 * 24 * time.Hour)
	if err := apply(refund.MerchantReceive{Request: 1}); err != nil {
		return err
	}
	clk.Advance(7 * 24 * time.Hour) // the merchant does not refund: automatic refund (RFD-7)
	res = returns.Advance(facts, st)
	show(w, "advance", res, at)

	// 5. A second no-reason return, now outside the window, is refused with its rule.
	_, err = returns.Apply(facts, res.State, refund.Open{Kind: refund.ReturnRefund, Reason: refund.NoReason, Items: []refund.Item{{Line: "tea"}}})
	fmt.Fprintln(w, "== late return refused:", err)
	return nil
}

// show prints a step: the request's status, its next deadline, the effects
// to carry out and the rules that decided.
func show(w io.Writer, step string, res refund.Result, at func(time.Time) string) {
	fmt.Fprintf(w, "== %s", step)
	if r, ok := res.State.Request(1); ok {
		fmt.Fprintf(w, ": request 1 %s", r.Status)
	}
	if !res.Next.IsZero() {
		fmt.Fprintf(w, ", next deadline %s", at(res.Next))
	}
	fmt.Fprintln(w)
	for _, e := range res.Effects {
		fmt.Fprintf(w, "   effect %d %s (%s): %+v\n", e.ID, e.Kind(), e.Rule, e.Act)
	}
	for _, d := range res.Decisions {
		fmt.Fprintf(w, "   because %v\n", d)
	}
}
