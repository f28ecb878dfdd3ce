package order_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/order/ordertest"
	"github.com/tradepolicy/tradepolicy/refund"
)

func Example() {
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	m := order.New(order.Options{Clock: clock.NewManual(start)})
	cart := order.Cart{
		ID:     "cart-7",
		Stores: []order.Store{{ID: "tea-shop", Mode: order.Escrow}},
		Items: []order.Item{
			{ID: "green", Store: "tea-shop", Type: "tea", Price: decimal.RequireFromString("30.00"), Quantity: 2, Stock: 10,
				Alloc: order.Alloc{Discount: decimal.RequireFromString("5.00"), Coupons: []string{"shop-5"}}},
			{ID: "cup", Store: "tea-shop", Type: "cup", Price: decimal.RequireFromString("12.50"), Quantity: 1, Stock: 3},
		},
		Delivery: order.Delivery{Recipient: "Li Lei", Phone: "13800000000", Address: "1 Chang'an Ave"},
		Invoice:  order.Invoice{Kind: order.OrdinaryVAT},
	}
	orders, err := m.CheckoutAt(cart, start)
	if err != nil {
		panic(err)
	}
	s := orders[0].State
	fmt.Println(s.Number, s.Status, "payable", s.Payable(), "pay by", orders[0].Next.Format(time.RFC3339))

	// The host loop: save the state and the effects whatever happens.
	step := func(e order.Event, now time.Time) {
		res, err := m.ApplyAt(s, e, now)
		s = res.State // save res.State, res.Effects; wake at res.Next
		for _, ef := range res.Effects {
			fmt.Printf("  effect %d %s (%s)\n", ef.ID, ef.Kind(), ef.Rule)
		}
		if err != nil {
			fmt.Println("  refused:", errors.Is(err, order.ErrSplit), err)
			return
		}
		fmt.Println(e.Name(), "→", s.Status)
	}
	step(order.Pay{Via: order.Via{Route: refund.WalletBalance}, Number: "pay-1", Amount: s.Payable().Decimal(), At: start.Add(time.Hour)}, start.Add(time.Hour))
	step(order.Ship{Lines: []string{"green"}, Carrier: "SF", Tracking: "SF1", At: start.Add(2 * time.Hour)}, start.Add(2*time.Hour))
	step(order.Ship{Lines: []string{"cup"}, Carrier: "SF", Tracking: "SF2", At: start.Add(3 * time.Hour)}, start.Add(3*time.Hour))
	fmt.Println("auto-confirm at", s.Next().Format(time.RFC3339))

	res := m.AdvanceAt(s, s.Next())
	fmt.Println("advance →", res.State.Status, "released", res.Effects[0].Act.(order.ReleaseEscrow).Amount)
	// Output:
	// cart-7-1 pending_payment payable 67.50 pay by 2024-03-02T10:00:00Z
	//   effect 1 freeze_escrow (ORD-13)
	// pay → awaiting_shipment
	// ship → partially_shipped
	// ship → shipped
	// auto-confirm at 2024-03-11T13:00:00Z
	// advance → completed released 67.50
}

// A host property-tests its own service against order as the model: the
// generators of package ordertest drive both, and ordertest.Check states
// the invariants after every step.
func Example_ordertest() {
	m := order.New(order.Options{})
	rs, _ := m.CheckoutAt(order.Cart{ID: "c", Stores: []order.Store{{ID: "s", Mode: order.Direct}},
		Items:    []order.Item{{ID: "a", Store: "s", Price: decimal.RequireFromString("9.90"), Quantity: 1, Stock: 1}},
		Delivery: order.Delivery{Recipient: "r", Phone: "p", Address: "a"}, Invoice: order.Invoice{Kind: order.OrdinaryVAT}}, ordertest.Start)
	s := rs[0].State
	now := ordertest.Start
	for _, e := range []order.Event{order.Pay{Via: order.Via{Route: refund.WalletBalance}, Number: "p", Amount: s.Payable().Decimal(), At: now},
		order.Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: now}} {
		res, err := m.ApplyAt(s, e, now)
		// In a host's test: apply the same step to the service and compare.
		fmt.Println(e.Name(), err, ordertest.Check(s, res, now, err == nil))
		s = res.State
	}
	fmt.Println(s.Status, s.Settled)
	// Output:
	// pay <nil> <nil>
	// ship <nil> <nil>
	// completed 9.90
}

// A refund request runs inside the trade: the order passes refund its
// own facts, fires refund's deadline with its own, re-emits refund's
// effects with its own IDs and moves its books on the settled refund.
func Example_refund() {
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	m := order.New(order.Options{})
	rs, _ := m.CheckoutAt(order.Cart{ID: "c", Stores: []order.Store{{ID: "s", Mode: order.Escrow}},
		Items: []order.Item{
			{ID: "tea", Store: "s", Type: "tea", Price: decimal.RequireFromString("30.00"), Quantity: 1, Stock: 1},
			{ID: "cup", Store: "s", Type: "cup", Price: decimal.RequireFromString("12.50"), Quantity: 1, Stock: 1}},
		Delivery: order.Delivery{Recipient: "r", Phone: "p", Address: "a"}, Invoice: order.Invoice{Kind: order.OrdinaryVAT}}, start)
	s := rs[0].State
	apply := func(e order.Event, now time.Time) error {
		res, err := m.ApplyAt(s, e, now)
		s = res.State // save res.State and res.Effects in one transaction, always
		for _, ef := range res.Effects {
			fmt.Printf("  %d %s %s (%s)\n", ef.ID, ef.At.Format("01-02 15:04"), ef.Kind(), ef.Rule)
		}
		return err
	}
	_ = apply(order.Pay{Via: order.Via{Route: refund.WalletBalance, Account: "buyer"}, Number: "p", Amount: s.Payable().Decimal(), At: start}, start)
	_ = apply(order.Ship{Lines: []string{"tea", "cup"}, Carrier: "SF", Tracking: "1", At: start}, start)
	at := start.Add(time.Hour)
	_ = apply(order.Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed,
		Items: []refund.Item{{Line: "cup"}}}}, at)
	fmt.Println("paused:", s.Due.IsZero(), "wake at", s.Next().Format("01-02 15:04"))
	// The merchant answers at the very end of merchant_response: too late,
	// but the automatic refund that fell due comes with the refusal. The
	// countdown resumes with what was left (239h).
	err := apply(order.Refund{Event: refund.MerchantAgree{Request: 1}}, s.Next())
	fmt.Println("refused:", errors.Is(err, refund.ErrFinal))
	fmt.Println(s.Status, "refunded", s.Refunded, "frozen", s.Frozen, "auto-confirm", s.Due.Format("01-02 15:04"))
	// Output:
	//   1 03-01 10:00 freeze_escrow (ORD-13)
	// paused: true wake at 03-03 11:00
	//   2 03-03 11:00 refund_money (RFD-4)
	//   3 03-03 11:00 refund_settled (RFD-10)
	//   4 03-03 11:00 fund_refund (ORD-13)
	// refused: true
	// shipped refunded 12.50 frozen 30.00 auto-confirm 03-13 10:00
}

// A refund request classified as a surface-consistency objection on goods
// the buyer signed for is refused (ORD-18) unless with contrary evidence.
func ExampleObjection() {
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	m := order.New(order.Options{Clock: clock.NewManual(start)})
	orders, err := m.CheckoutAt(order.Cart{
		ID:       "cart-8",
		Stores:   []order.Store{{ID: "tea-shop", Mode: order.Escrow}},
		Items:    []order.Item{{ID: "green", Store: "tea-shop", Price: decimal.RequireFromString("30.00"), Quantity: 1, Stock: 1}},
		Delivery: order.Delivery{Recipient: "Li Lei", Phone: "13800000000", Address: "1 Chang'an Ave"},
		Invoice:  order.Invoice{Kind: order.OrdinaryVAT},
	}, start)
	if err != nil {
		panic(err)
	}
	s := orders[0].State
	for _, e := range []order.Event{
		order.Pay{Via: order.Via{Route: refund.WalletBalance}, Number: "pay-1", Amount: s.Payable().Decimal(), At: start},
		order.Ship{Lines: []string{"green"}, Carrier: "SF", Tracking: "SF1", At: start},
		order.Sign{Shipment: 1, At: start},
	} {
		res, err := m.ApplyAt(s, e, start)
		if err != nil {
			panic(err)
		}
		s = res.State
	}
	ask := func(o order.Objection) {
		_, err := m.ApplyAt(s, order.Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed,
			Items: []refund.Item{{Line: "green"}}}, Objection: &o}, start.Add(time.Hour))
		fmt.Println(errors.Is(err, order.ErrNotAllowed), err)
	}
	ask(order.Objection{Surface: true})
	ask(order.Objection{Surface: true, Evidence: true})
	// Output:
	// true order.Apply(refund): order: event not allowed in this status (ORD-18): line green: surface consistency confirmed by signing
	// false <nil>
}
