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
