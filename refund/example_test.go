package refund_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/refund"
)

// A return then refund (RFD-3): the merchant stays silent, is deemed to
// agree, the buyer ships the goods back, and the merchant never refunds,
// so the refund is automatic ten days after the logistics.
func Example() {
	clk := clock.NewManual(time.Date(2024, 3, 1, 9, 0, 0, 0, clock.MustZone("Asia/Shanghai")))
	m := refund.New(refund.Options{Clock: clk})
	s, _ := m.Start(refund.Order{
		Mode:    refund.Escrow,
		Payment: refund.Payment{Route: refund.Wallet, Account: "wallet-1"},
		Lines: []refund.Line{{ID: "kettle", Amount: decimal.RequireFromString("199.00"),
			Discount: decimal.RequireFromString("20.00"), Shipped: true}},
	})
	show := func(res refund.Result) {
		r, _ := res.State.Request(1)
		next := "none"
		if !res.Next.IsZero() {
			next = res.Next.In(clk.Now().Location()).Format("01-02 15:04")
		}
		fmt.Printf("%-16s next %s", r.Status, next)
		for _, e := range res.Effects {
			fmt.Printf(" %s", e.Kind())
		}
		fmt.Println()
		s = res.State
	}
	res, _ := m.Apply(s, refund.Open{Kind: refund.ReturnRefund, Items: []refund.Item{{Line: "kettle"}}})
	show(res)
	clk.Advance(48 * time.Hour)
	show(m.Advance(s))
	clk.Advance(24 * time.Hour)
	res, _ = m.Apply(s, refund.SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF123"})
	show(res)
	clk.Advance(240 * time.Hour)
	res = m.Advance(s)
	show(res)
	money := res.Effects[0].(refund.RefundMoney)
	fmt.Println(money.Amount.StringFixed(2), "to", money.Account)
	// Output:
	// requested        next 03-03 09:00
	// awaiting_return  next 03-10 09:00 send_return_address
	// returning        next 03-14 09:00
	// refunded         next none refund_money
	// 179.00 to wallet-1
}
