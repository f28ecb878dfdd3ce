package main

// This file sets the service and package order side by side: it turns
// the model's carts and events into the service's calls, and reads both
// into one view to compare. The demonstration (main.go) and the property
// test (model_test.go) share it.

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/order"
)

// supported are the events the service implements ("advance": a wake-up
// at a deadline); the property test generates only these.
var supported = []string{"advance", "pay", "ship", "confirm_receipt", "cancel"}

// supports reports whether the service implements what the cart needs:
// every item but presale ones.
func supports(c order.Cart) bool {
	for _, it := range c.Items {
		if it.Presale != nil {
			return false
		}
	}
	return true
}

// fen returns d in whole fen; an amount that is not whole fen gives -1,
// which the service refuses as a wrong amount.
func fen(d decimal.Decimal) int64 {
	f := d.Shift(2)
	if !f.IsInteger() {
		return -1
	}
	return f.IntPart()
}

// hostCart is the cart as the storefront gives it to the service.
func hostCart(c order.Cart) Cart {
	h := Cart{ID: c.ID, Direct: map[string]bool{}}
	for _, st := range c.Stores {
		h.Direct[st.ID] = st.Mode == order.Direct
	}
	for _, it := range c.Items {
		h.Items = append(h.Items, CartItem{ID: it.ID, Store: it.Store, Type: it.Type, PriceFen: fen(it.Price), Qty: it.Quantity,
			Stock: it.Stock, OffFen: fen(it.Discount) + fen(it.BeanValue) + fen(it.PointValue), ShippingFen: fen(it.Shipping),
			FlashSale: it.Activity, FlashLimit: it.ActivityLimit, Installment: it.Installment})
	}
	return h
}

// statuses maps the service's statuses to the model's.
var statuses = map[Status]order.Status{
	Unpaid: order.PendingPayment, Cancelled: order.Cancelled, ToShip: order.AwaitingShipment,
	PartShipped: order.PartiallyShipped, Shipped: order.Shipped, Done: order.Completed,
}

var errUnsupported = errors.New("the service does not implement this event")

// drive makes the service call for event e (nil: a wake-up) on order
// number at now.
func drive(sh *Shop, number string, e order.Event, now time.Time) error {
	switch e := e.(type) {
	case nil:
		return sh.Wake(number, now)
	case order.Pay:
		return sh.Pay(number, fen(e.Amount), e.At, now)
	case order.Ship:
		return sh.Ship(number, e.Lines, e.At, now)
	case order.ConfirmReceipt:
		return sh.Confirm(number, now)
	case order.Cancel:
		return sh.Cancel(number, now)
	}
	return fmt.Errorf("%w: %s", errUnsupported, e.Name())
}

// view is what the two sides must agree on after every call.
type view struct {
	Accepted bool
	Status   order.Status
	Frozen   int64 // fen
	Settled  int64 // fen
	Next     time.Time
}

func (v view) String() string {
	verdict := "refused "
	if v.Accepted {
		verdict = "accepted"
	}
	next := "-"
	if !v.Next.IsZero() {
		next = stamp(v.Next)
	}
	return fmt.Sprintf("%s %-17s frozen %8s settled %8s next %s", verdict, v.Status,
		decimal.New(v.Frozen, -2).StringFixed(2), decimal.New(v.Settled, -2).StringFixed(2), next)
}

// modelView reads the model's result.
func modelView(res order.Result, err error) view {
	s := res.State
	return view{Accepted: err == nil, Status: s.Status, Frozen: int64(s.Frozen), Settled: int64(s.Settled), Next: res.Next}
}

// serviceView reads the service's row.
func serviceView(r Row, err error) view {
	st, ok := statuses[r.Status]
	if !ok {
		st = 0 // prints "invalid": an unmapped status never agrees
	}
	return view{Accepted: err == nil, Status: st, Frozen: r.FrozenFen, Settled: r.SettledFen, Next: r.WakeAt}
}

// agree compares the two views; "" when they agree, else what differs.
func agree(model, service view) string {
	if model == service || model.Accepted == service.Accepted && model.Status == service.Status &&
		model.Frozen == service.Frozen && model.Settled == service.Settled && model.Next.Equal(service.Next) {
		return ""
	}
	return fmt.Sprintf("model   %v\nservice %v", model, service)
}
