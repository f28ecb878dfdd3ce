package ordertest_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/order/ordertest"
	"github.com/tradepolicy/tradepolicy/refund"
)

func TestCartsCheckOut(t *testing.T) {
	m := order.New(order.Options{})
	rapid.Check(t, func(t *rapid.T) {
		c := ordertest.Cart().Draw(t, "cart")
		if _, err := m.CheckoutAt(c, ordertest.Start); err != nil {
			t.Fatalf("generated cart refused: %v", err)
		}
	})
}

func paidOrder(t *testing.T) (order.State, order.Result) {
	m := order.New(order.Options{})
	rs, err := m.CheckoutAt(order.Cart{ID: "c", Stores: []order.Store{{ID: "s", Mode: order.Escrow}},
		Items:    []order.Item{{ID: "a", Store: "s", Price: decimal.RequireFromString("5"), Quantity: 1, Stock: 1}},
		Delivery: order.Delivery{Recipient: "r", Phone: "p", Address: "a"}, Invoice: order.Invoice{Kind: order.OrdinaryVAT}}, ordertest.Start)
	if err != nil {
		t.Fatal(err)
	}
	s := rs[0].State
	res, err := m.ApplyAt(s, order.Pay{Via: order.Via{Route: refund.WalletBalance}, Number: "p", Amount: s.Payable().Decimal(), At: ordertest.Start}, ordertest.Start)
	if err != nil {
		t.Fatal(err)
	}
	return s, res
}

// The checker catches each broken invariant.
func TestCheckCatches(t *testing.T) {
	before, good := paidOrder(t)
	now := ordertest.Start
	if err := ordertest.Check(before, good, now, true); err != nil {
		t.Fatalf("good step: %v", err)
	}
	for name, spoil := range map[string]func(*order.Result){
		"effect ID":      func(r *order.Result) { r.Effects[0].ID = 7 },
		"effect later":   func(r *order.Result) { r.Effects[0].At = now.Add(time.Second) },
		"money unmoved":  func(r *order.Result) { r.Effects = nil; r.State.Seq = before.Seq },
		"ledger":         func(r *order.Result) { r.State.Frozen = 0 },
		"next":           func(r *order.Result) { r.Next = now.Add(time.Hour) },
		"deadline due":   func(r *order.Result) { r.State.Timer, r.State.Due = order.PresaleShip, now; r.Next = now },
		"left cancelled": func(r *order.Result) {},
	} {
		r := good
		r.Effects = append([]order.Effect(nil), good.Effects...)
		b := before
		if name == "left cancelled" {
			b.Status = order.Cancelled
		}
		spoil(&r)
		if err := ordertest.Check(b, r, now, true); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}
