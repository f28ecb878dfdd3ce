package refund_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

var shanghai = clock.MustZone("Asia/Shanghai")

// kettleOrder is a paid order of one shipped line, as the composer holds it.
func kettleOrder(shipped time.Time) refund.Order {
	return refund.Order{
		Mode:    refund.Escrow,
		Payment: refund.Payment{Route: refund.WalletBalance, Account: "wallet-1"},
		Lines: []refund.Line{{ID: "kettle", Amount: decimal.RequireFromString("199.00"),
			Discount: decimal.RequireFromString("20.00"), ShippedAt: shipped.UTC()}},
		ShippingFee: decimal.Zero,
	}
}

// A return then refund (RFD-3): the merchant stays silent, is deemed to
// agree, the buyer ships the goods back, and the merchant never refunds,
// so the refund is automatic ten days after the logistics. The host
// stores each Result's state and effects and wakes at Next.
func Example() {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, shanghai)
	order := kettleOrder(start.Add(-24 * time.Hour))
	m := refund.New(refund.Options{})
	var st refund.State // a paid order with no request yet
	show := func(res refund.Result) {
		st = res.State // the host saves it, with res.Effects, in one transaction
		r, _ := st.Request(1)
		next := "none"
		if !res.Next.IsZero() {
			next = res.Next.In(shanghai).Format("01-02 15:04")
		}
		fmt.Printf("%-16s next %s", r.Status, next)
		for _, e := range res.Effects {
			fmt.Printf(" %d:%s", e.ID, e.Kind())
		}
		fmt.Println()
	}
	res, err := m.ApplyAt(order, st, refund.Open{Kind: refund.ReturnRefund, Reason: refund.Agreed,
		Items: []refund.Item{{Line: "kettle"}}}, start)
	if err != nil {
		log.Fatal(err)
	}
	show(res)
	show(m.AdvanceAt(order, st, res.Next)) // woken at the deadline
	res, err = m.ApplyAt(order, st, refund.SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF123"}, start.Add(72*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	show(res)
	res = m.AdvanceAt(order, st, res.Next)
	show(res)
	for _, e := range res.Effects {
		switch a := e.Act.(type) {
		case refund.RefundMoney:
			fmt.Println(a.Amount.StringFixed(2), "to", a.Account, "by", a.Route)
		case refund.Settled:
			fmt.Println("settled at stage", a.Stage, "full", a.Full)
		}
	}
	// Output:
	// requested        next 03-03 09:00
	// awaiting_return  next 03-10 09:00 1:send_return_address
	// returning        next 03-14 09:00
	// refunded         next none 2:refund_money 3:refund_settled
	// 179.00 to wallet-1 by wallet_balance
	// settled at stage shipped full true
}

// A refused event is an error the host branches on with errors.Is and
// errors.As; the Result that comes with it still holds what the
// deadlines due at that instant did, so the host stores it before
// returning the error. Here the merchant agrees at the very instant its
// response period ends: the automatic refund has already happened.
func ExampleMachine_ApplyAt_refused() {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, shanghai)
	order := kettleOrder(start.Add(-24 * time.Hour))
	m := refund.New(refund.Options{})
	res, err := m.ApplyAt(order, refund.State{}, refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed,
		Items: []refund.Item{{Line: "kettle"}}}, start)
	if err != nil {
		log.Fatal(err)
	}
	res, err = m.ApplyAt(order, res.State, refund.MerchantAgree{Request: 1}, res.Next)
	st := res.State // store it and its effects whatever err is
	for _, e := range res.Effects {
		fmt.Println("carry out", e.ID, e.Kind(), "from", e.Rule)
	}
	var re *rules.RuleError
	switch {
	case errors.Is(err, refund.ErrFinal) && errors.As(err, &re):
		r, _ := st.Request(1)
		fmt.Printf("refused by %s: request is %v\n", re.Rule, r.Status)
	case errors.Is(err, refund.ErrInvalid):
		fmt.Println("bad input:", err)
	case err != nil:
		fmt.Println("other:", err)
	}
	// Output:
	// carry out 1 refund_money from RFD-4
	// carry out 2 refund_settled from RFD-10
	// refused by RFD-1: request is refunded
}
