// Command quickstart walks one order through the library: the checkout
// takes the best coupons (coupon) and beans and points (points); later
// the buyer gets part of one line refunded, then returns everything else
// without a reason (refund). Each completed refund is handed to its
// owners: points gives back beans and points, coupon gives back coupons
// (wiring.go). Every deadline, effect and decision is printed, in the
// business zone. It runs on a manual clock, so its output is the same on
// every machine and every run.
package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
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

// zone is the business zone: every time below is printed in it.
var zone = clock.MustZone("Asia/Shanghai")

var yuan = decimal.RequireFromString

func run(w io.Writer) error {
	clk := clock.NewManual(time.Date(2024, 3, 1, 10, 0, 0, 0, zone))
	m := machines{
		refunds: refund.New(refund.Options{Clock: clk}),
		points:  points.New(points.Options{Clock: clk}),
		coupons: coupon.New(coupon.Options{Clock: clk}),
	}

	fmt.Fprintln(w, "All times are", zone, "(the business zone).")
	t, wallet, err := checkout(w, m, clk.Now())
	if err != nil {
		return err
	}
	var ledger points.Ledger // the buyer's points used this year (PTS-3)

	// The relay carries out every outbox entry once. Here it prints it and
	// keeps the buyer's coupon wallet and points ledger (PTS-3).
	ledgers := points.NewLedger(points.Options{Clock: clk})
	var settled entry // the last refund_settled, redelivered at the end
	do := func(e entry) error {
		fmt.Fprintf(w, "   %s effect %d %s (%s): %s\n", e.Owner, e.ID, kind(e.Act), e.Rule, describe(e.Act))
		var res points.LedgerResult
		var err error
		switch a := e.Act.(type) {
		case refund.Settled:
			settled = e
		case points.DebitPoints:
			res, err = ledgers.ApplyAt(ledger, a.Use(), e.At)
			ledger = res.State
		case points.GiveBackPoints:
			res, err = ledgers.ApplyAt(ledger, a.Release(), e.At)
			ledger = res.State
		case coupon.GiveBackCoupons:
			wallet = a.ApplyTo(wallet)
		}
		return err
	}
	// step runs one refund event (nil: the host woken at its deadline),
	// relays the effects and prints why.
	step := func(what string, ev refund.Event) error {
		_, err := t.refund(m, ev, clk.Now())
		r := t.Refunds.Requests[len(t.Refunds.Requests)-1]
		fmt.Fprintf(w, "== %s %s: request %d %s", local(clk.Now()), what, r.ID, r.Status)
		if !t.Wake.IsZero() {
			fmt.Fprintf(w, ", wake at %s", local(t.Wake))
		}
		fmt.Fprintln(w)
		if rerr := t.relay(m, do); rerr != nil {
			return rerr
		}
		for _, d := range t.Audit {
			fmt.Fprintln(w, "   because", local(d.String()))
		}
		t.Audit = nil
		return err
	}
	if err := t.relay(m, do); err != nil {
		return err
	}

	// 4. Shipped and signed for: the host records these facts in the order.
	clk.Advance(2 * time.Hour)
	for i := range t.Facts.Lines {
		t.Facts.Lines[i].ShippedAt = clk.Now().UTC()
	}
	fmt.Fprintln(w, "==", local(clk.Now()), "shipped")
	clk.Advance(26 * time.Hour)
	for i := range t.Facts.Lines {
		t.Facts.Lines[i].SignedAt = clk.Now().UTC()
	}
	fmt.Fprintln(w, "==", local(clk.Now()), "signed for")

	// 5. A partial refund: ¥50 of the tea, agreed with the merchant (RFD-2).
	// points gives back that share of the tea's beans and points (PTS-2);
	// the coupons stay used (CPN-6: only a full refund gives them back).
	clk.Advance(24 * time.Hour)
	if err := step("refund ¥50.00 of tea asked", refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed,
		Items: []refund.Item{{Line: "tea", Amount: yuan("50.00")}}}); err != nil {
		return err
	}
	clk.Advance(3 * time.Hour)
	if err := step("merchant agrees", refund.MerchantAgree{Request: 1}); err != nil {
		return err
	}

	// 6. A no-reason return of everything left (RFD-5). The merchant stays
	// silent; the host, woken at the deadline, lets it fire (RFD-3).
	clk.Advance(time.Hour)
	if err := step("no-reason return of the rest asked", refund.Open{Kind: refund.ReturnRefund, Reason: refund.NoReason,
		Items: []refund.Item{{Line: "tea"}, {Line: "cup"}}}); err != nil {
		return err
	}
	clk.Set(t.Wake)
	if err := step("woken: merchant silent", nil); err != nil {
		return err
	}
	clk.Advance(24 * time.Hour)
	if err := step("buyer ships it back", refund.SubmitLogistics{Request: 2, Carrier: "SF", Tracking: "SF1234567"}); err != nil {
		return err
	}
	clk.Advance(3 * 24 * time.Hour)
	if err := step("merchant confirms receipt", refund.MerchantReceive{Request: 2}); err != nil {
		return err
	}
	// The merchant does not refund: the refund is automatic at the deadline
	// (RFD-7). It leaves the order refunded in full, so the coupons go back.
	clk.Set(t.Wake)
	if err := step("woken: merchant did not refund", nil); err != nil {
		return err
	}

	// 7. The relay crashed before it recorded the last refund_settled as
	// done, and delivers it again: its owners give nothing back twice.
	delete(t.Done, settled.key(t.ID))
	t.Outbox = append(t.Outbox, settled)
	clk.Advance(time.Minute)
	fmt.Fprintln(w, "==", local(clk.Now()), "refund_settled delivered again")
	if err := t.relay(m, do); err != nil {
		return err
	}
	for _, d := range t.Audit {
		fmt.Fprintln(w, "   because", local(d.String()))
	}

	fmt.Fprintf(w, "== in the end: money back %s of %s; beans back %d of %d; points back %d of %d (used this year %d); coupons",
		t.Refunds.Refunded().StringFixed(2), t.Facts.Paid().StringFixed(2),
		t.Spend.BeansBack(), t.Spend.Beans, t.Spend.PointsBack(), t.Spend.Points, ledger.Used)
	for _, c := range wallet.Coupons {
		fmt.Fprintf(w, " %s %s", c.ID, c.Status)
	}
	fmt.Fprintln(w)
	return nil
}

// checkout is the payment of order A1: the best coupons, then beans and
// points on what the coupons left; it returns the trade as its host
// stores it and the buyer's coupon wallet.
func checkout(w io.Writer, m machines, now time.Time) (trade, coupon.Wallet, error) {
	fmt.Fprintln(w, "==", local(now), "checkout")
	// 1. Checkout: the best combination of the buyer's coupons (CPN-1..5).
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "tea", Store: "teashop", Item: "longjing", Amount: yuan("168.00")},
		{ID: "cup", Store: "teashop", Item: "cup", Amount: yuan("59.00")},
	}}
	wallet := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "general-20", Owner: "ann", Kind: coupon.General, Face: yuan("20"), Status: coupon.Available},
		{ID: "tea-30", Owner: "ann", Kind: coupon.Targeted, Store: "teashop", Items: []string{"longjing"}, Face: yuan("30"), Status: coupon.Available},
		{ID: "shop-15", Owner: "ann", Kind: coupon.Shop, Store: "teashop", Face: yuan("15"), Threshold: yuan("200"), Status: coupon.Available},
	}}
	best, err := m.coupons.BestAt(cart, wallet, now)
	if err != nil {
		return trade{}, coupon.Wallet{}, err
	}
	for _, u := range best.Uses {
		fmt.Fprintln(w, "   use coupon", u.Coupon)
	}
	for _, v := range best.LeftOut {
		fmt.Fprintf(w, "   leave out %s: %s\n", v.Coupon, local(v.Err.Error()))
	}

	// 2. Beans (PTS-1) and points (PTS-2, PTS-3) on what the coupons left.
	order := points.Order{ID: "A1"}
	for _, l := range best.Allocation.Lines {
		order.Payable = order.Payable.Add(l.Net)
		order.Lines = append(order.Lines, points.Line{ID: l.Line, Quantity: 1, Amount: l.Net,
			BeanCap: yuan("10.00"), Points: l.Line == "tea"})
	}
	balance := points.Wallet{Beans: 1234, Points: 3000}
	beans, err := m.points.OfferBeansAt(order, balance, now)
	if err != nil {
		return trade{}, coupon.Wallet{}, err
	}
	pts, err := m.points.OfferPointsAt(order, balance, points.Ledger{}, beans.Max, now)
	if err != nil {
		return trade{}, coupon.Wallet{}, err
	}
	paid, err := m.points.PayAt(order, balance, points.Ledger{}, points.Choice{Beans: beans.Max, Points: pts.Max}, now)
	if err != nil {
		return trade{}, coupon.Wallet{}, err
	}

	// 3. The order as its host stores it. Each line's money paid comes from
	// the allocations: coupons (coupon) and beans and points in money (points).
	t := trade{ID: order.ID, Spend: paid.State, Coupons: best.Allocation.Redemption(),
		Facts: refund.Order{Mode: refund.Escrow, FreeShipping: true,
			Payment: refund.Payment{Route: refund.WalletBalance, Account: "ann-wallet"}}}
	for i := range t.Coupons.Coupons { // the redemption names stores; this host's order is A1
		t.Coupons.Coupons[i].Orders = []string{order.ID}
	}
	for _, l := range best.Allocation.Lines {
		s, _ := paid.State.Line(l.Line)
		line := refund.Line{ID: l.Line, Amount: l.Amount, Discount: l.Discount,
			BeanValue: s.BeanValue, PointValue: s.PointValue, NoReason: true}
		t.Facts.Lines = append(t.Facts.Lines, line)
		fmt.Fprintf(w, "   line %s: %s - coupons %s - %d beans (%s) - %d points (%s) = pays %s\n", l.Line,
			l.Amount.StringFixed(2), l.Discount.StringFixed(2), s.Beans, s.BeanValue.StringFixed(2),
			s.Points, s.PointValue.StringFixed(2), line.Paid().StringFixed(2))
	}
	for i, c := range wallet.Coupons { // the wallet's host marks the used coupons
		for _, u := range best.Uses {
			if u.Coupon == c.ID {
				if wallet.Coupons[i], err = coupon.MarkUsed(c, order.ID); err != nil {
					return trade{}, coupon.Wallet{}, err
				}
			}
		}
	}
	for _, e := range paid.Effects {
		t.Outbox = append(t.Outbox, entry{"points", e.ID, e.At, e.Rule, e.Act})
	}

	return t, wallet, nil
}

// kind is an act's kind.
func kind(a any) string {
	if k, ok := a.(interface{ Kind() string }); ok {
		return k.Kind()
	}
	return "?"
}

// describe says what an act asks the host to do.
func describe(a any) string {
	switch a := a.(type) {
	case refund.RefundMoney:
		return fmt.Sprintf("refund %s to %s by %s", a.Amount.StringFixed(2), a.Account, a.Route)
	case refund.Settled:
		var b strings.Builder
		fmt.Fprintf(&b, "request %d at stage %s", a.Request, a.Stage)
		if a.Full {
			b.WriteString(", order refunded in full")
		}
		for _, l := range a.Lines {
			fmt.Fprintf(&b, "; %s %s (%s of %s", l.Line, l.Money.StringFixed(2), l.Refunded.StringFixed(2), l.Paid.StringFixed(2))
			if l.Done {
				b.WriteString(", done")
			}
			b.WriteString(")")
		}
		return b.String()
	case refund.ShippingCost:
		return fmt.Sprintf("%s leg paid by %s", a.Leg, a.Payer)
	case refund.SendReturnAddress:
		return "send the return address to the buyer"
	case points.DebitBeans:
		return fmt.Sprintf("debit %d beans (%s)", a.Beans, a.Value.StringFixed(2))
	case points.DebitPoints:
		return fmt.Sprintf("debit %d points (%s)", a.Points, a.Value.StringFixed(2))
	case points.GiveBackBeans:
		return fmt.Sprintf("give back %d beans (%s)", a.Beans, a.Value.StringFixed(2))
	case points.GiveBackPoints:
		return fmt.Sprintf("give back %d points (%s)", a.Points, a.Value.StringFixed(2))
	case coupon.GiveBackCoupons:
		var b strings.Builder
		b.WriteString("give back")
		for _, c := range a.Coupons {
			fmt.Fprintf(&b, " %s (usable %t)", c.Coupon, c.Usable)
		}
		return b.String()
	}
	return local(fmt.Sprintf("%+v", a))
}

// rfc3339 matches the UTC instants the packages write into texts.
var rfc3339 = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// local returns an instant, or a text holding UTC instants, in the
// business zone.
func local[T time.Time | string](v T) string {
	switch x := any(v).(type) {
	case time.Time:
		return x.In(zone).Format("01-02 15:04")
	case string:
		return rfc3339.ReplaceAllStringFunc(x, func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.In(zone).Format("2006-01-02 15:04")
		})
	}
	return ""
}
