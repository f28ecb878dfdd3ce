// Command modeltest shows a host testing its own order service against
// package order as the reference model. The service (service.go) is the
// host's code: checkout into one order per store (stock checked,
// flash-sale and installment items alone), payment of the exact amount,
// parcels (an order of one item type ships at once), confirmation of
// receipt, the buyer's cancellation, and two deadlines it wakes for:
// payment within 24 hours (exact to the second; a flash sale's own limit)
// and auto-confirmation 10 days after the last parcel. It imports nothing
// of the library.
//
// This program runs one scripted trade through the service and the model
// side by side and prints, after every call, what each accepted and
// holds. model_test.go does the same with generated trades
// (ordertest.Cart, ordertest.StepOnly) and ordertest.Check, and shows
// that it finds bugs planted in the service. Instants are explicit, so
// the output is the same on every run.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/refund"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "modeltest:", err)
		os.Exit(1)
	}
}

var (
	sh   = clock.MustZone("Asia/Shanghai")
	yuan = decimal.RequireFromString
)

// side is one order on both sides: the model's state and the service's
// order number.
type side struct {
	state  order.State
	number string
}

func run(w io.Writer) error {
	start := time.Date(2024, 11, 11, 9, 0, 0, 0, sh).UTC()
	cart := order.Cart{
		ID: "c11", Buyer: "ann",
		Stores: []order.Store{{ID: "tea-shop", Mode: order.Escrow}, {ID: "noodle-shop", Mode: order.Direct}},
		Items: []order.Item{
			{ID: "longjing", Store: "tea-shop", Type: "tea", Price: yuan("168.00"), Quantity: 1, Stock: 20,
				Alloc: order.Alloc{Discount: yuan("10.00")}, Shipping: yuan("8.00")},
			{ID: "kettle", Store: "tea-shop", Type: "kettle", Price: yuan("99.00"), Quantity: 1, Stock: 5,
				Activity: true, ActivityLimit: 30 * time.Minute},
			{ID: "teapot", Store: "tea-shop", Type: "pot", Price: yuan("89.00"), Quantity: 1, Stock: 3},
			{ID: "noodles", Store: "noodle-shop", Type: "noodles", Price: yuan("12.50"), Quantity: 2, Stock: 40},
		},
		Delivery: order.Delivery{Recipient: "Li Lei", Phone: "13800000000", Address: "1 Chang'an Ave"},
		Invoice:  order.Invoice{Kind: order.OrdinaryVAT},
	}
	m := order.New(order.Options{})
	shop := NewShop()
	compared := 0

	if err := outOfStock(w, m, shop, cart, start); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s checkout %s\n", stamp(start), cart.ID)
	rs, merr := m.CheckoutAt(cart, start)
	numbers, serr := shop.Checkout(hostCart(cart), start)
	if merr != nil || serr != nil || len(rs) != len(numbers) {
		return fmt.Errorf("checkout: model %d orders (%v), service %d (%v)", len(rs), merr, len(numbers), serr)
	}
	orders := map[string]*side{}
	for i, r := range rs {
		row, _ := shop.Row(numbers[i])
		fmt.Fprintf(w, "  %s %s %v payable %s, service's row %s due %s\n", r.State.Number, r.State.Store, lineIDs(r.State), r.State.Payable(),
			row.Number, decimal.New(row.DueFen, -2).StringFixed(2))
		if err := compare(w, &compared, modelView(r, nil), serviceView(row, nil)); err != nil {
			return err
		}
		orders[r.State.Number] = &side{state: r.State, number: numbers[i]}
	}

	via := order.Via{Route: refund.WalletBalance, Account: "ann-wallet"}
	pay := func(number string, at time.Time, amount string) order.Event {
		return order.Pay{Number: "pay-" + number, Amount: yuan(amount), At: at, Via: via}
	}
	ship := func(at time.Time, lines ...string) order.Event {
		return order.Ship{Lines: lines, Carrier: "SF", Tracking: "SF" + lines[0], At: at}
	}
	at := func(d time.Duration) time.Time { return start.Add(d) }
	confirmAt := at(26*time.Hour + 240*time.Hour)
	script := []struct {
		order string
		at    time.Time
		event order.Event // nil: the host wakes the order
		why   string
	}{
		{"c11-1", at(10 * time.Minute), pay("c11-1", at(10*time.Minute), "255.00"), "the exact amount"},
		{"c11-2", at(30*time.Minute - time.Second), nil, "one second before the flash sale's limit"},
		{"c11-2", at(30 * time.Minute), pay("c11-2", at(30*time.Minute), "99.00"), "at the very end of the flash sale's 30 minutes"},
		{"c11-3", at(time.Hour), pay("c11-3", at(time.Hour), "25.01"), "one fen too much"},
		{"c11-3", at(time.Hour), pay("c11-3", at(time.Hour), "25.00"), ""},
		{"c11-1", at(2 * time.Hour), ship(at(2*time.Hour), "longjing"), "two item types: parcels may split"},
		{"c11-1", at(3 * time.Hour), order.ConfirmReceipt{}, "a line is still unshipped"},
		{"c11-3", at(3 * time.Hour), ship(at(3*time.Hour), "noodles"), "paid directly: done once shipped"},
		{"c11-1", at(26 * time.Hour), ship(at(26*time.Hour), "teapot"), "the last parcel starts the 10 days"},
		{"c11-1", confirmAt.Add(-time.Second), nil, "one second before auto-confirm"},
		{"c11-1", confirmAt, nil, "at the auto-confirm instant"},
		{"c11-1", confirmAt, order.Cancel{}, "too late to cancel"},
	}
	for _, st := range script {
		o := orders[st.order]
		name := "wake"
		if st.event != nil {
			name = st.event.Name()
		}
		if st.why != "" {
			st.why = " (" + st.why + ")"
		}
		fmt.Fprintf(w, "%s %s %s%s\n", stamp(st.at), name, st.order, st.why)
		var res order.Result
		var merr error
		if st.event == nil {
			res = m.AdvanceAt(o.state, st.at)
		} else {
			res, merr = m.ApplyAt(o.state, st.event, st.at)
		}
		serr := drive(shop, o.number, st.event, st.at)
		row, _ := shop.Row(o.number)
		if err := compare(w, &compared, modelView(res, merr), serviceView(row, serr)); err != nil {
			return err
		}
		if merr != nil {
			fmt.Fprintf(w, "  model:   %v\n  service: %v\n", merr, serr)
		}
		o.state = res.State
	}
	fmt.Fprintf(w, "the service and the model agree after all %d calls\n", compared)
	return nil
}

// outOfStock checks out a cart asking for more teapots than are in
// stock: both sides refuse it whole.
func outOfStock(w io.Writer, m *order.Machine, shop *Shop, c order.Cart, now time.Time) error {
	c.ID = "c10"
	c.Items = append([]order.Item(nil), c.Items...)
	c.Items[2].Quantity = c.Items[2].Stock + 1
	fmt.Fprintf(w, "%s checkout %s (%d teapots ordered, %d in stock)\n", stamp(now), c.ID, c.Items[2].Quantity, c.Items[2].Stock)
	_, merr := m.CheckoutAt(c, now)
	_, serr := shop.Checkout(hostCart(c), now)
	fmt.Fprintf(w, "  model:   %v\n  service: %v\n", merr, serr)
	if (merr == nil) != (serr == nil) {
		return fmt.Errorf("checkout %s: the service and the model disagree", c.ID)
	}
	return nil
}

// compare prints both views and fails when they differ; it counts the
// comparisons in n.
func compare(w io.Writer, n *int, model, service view) error {
	*n++
	fmt.Fprintf(w, "  model   %v\n  service %v\n", model, service)
	if d := agree(model, service); d != "" {
		return fmt.Errorf("the service and the model disagree:\n%s", d)
	}
	return nil
}

func lineIDs(s order.State) []string {
	var ids []string
	for _, l := range s.Lines {
		ids = append(ids, l.ID)
	}
	return ids
}

func stamp(t time.Time) string { return t.In(sh).Format("01-02 15:04:05") }
