package ordertest_test

import (
	"fmt"
	"slices"
	"strings"
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

// StepOnly generates only the events named, each of them in time, and
// the trade they make moves on (the order accepts some of them).
func TestStepOnly(t *testing.T) {
	m := order.New(order.Options{})
	all := []string{"advance", "pay", "ship", "confirm_receipt", "cancel"}
	seen, accepted := map[string]int{}, map[string]int{}
	rapid.Check(t, func(t *rapid.T) {
		c := ordertest.Cart().Filter(func(c order.Cart) bool {
			return !slices.ContainsFunc(c.Items, func(it order.Item) bool { return it.Presale != nil })
		}).Draw(t, "cart")
		rs, err := m.CheckoutAt(c, ordertest.Start)
		if err != nil {
			t.Fatal(err)
		}
		names := all
		if rapid.Bool().Draw(t, "some") {
			names = rapid.SliceOfNDistinct(rapid.SampledFrom(all), 1, len(all), rapid.ID).Draw(t, "names")
		}
		s, now := rs[0].State, ordertest.Start
		for range rapid.IntRange(1, 30).Draw(t, "steps") {
			st := ordertest.StepOnly(s, now, names...).Draw(t, "step")
			now = now.Add(st.Wait)
			name, res := "advance", order.Result{}
			err = nil
			if st.Event == nil {
				res = m.AdvanceAt(s, now)
			} else {
				name = st.Event.Name()
				res, err = m.ApplyAt(s, st.Event, now)
			}
			if !slices.Contains(names, name) {
				t.Fatalf("StepOnly(%v) generated %s", names, name)
			}
			seen[name]++
			if err == nil {
				accepted[name]++
			}
			if err := ordertest.Check(s, res, now, err == nil); err != nil {
				t.Fatal(err)
			}
			s = res.State
		}
	})
	for _, n := range all {
		if seen[n] == 0 || accepted[n] == 0 {
			t.Errorf("%s generated %d times, accepted %d times", n, seen[n], accepted[n])
		}
	}
}

// A name no event has, or none at all, is a mistake in the test.
func TestStepOnlyRefusesUnknownNames(t *testing.T) {
	for _, names := range [][]string{nil, {"pay", "payy"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("StepOnly(%q) did not panic", names)
				}
			}()
			ordertest.StepOnly(order.State{}, ordertest.Start, names...)
		}()
	}
}

// A step restricted to events that cannot be generated for the state
// fails rather than generating another event.
func TestStepOnlyNothingToGenerate(t *testing.T) {
	_, res := paidOrder(t)
	defer func() {
		r := recover()
		if msg := fmt.Sprint(r); !strings.Contains(msg, "none of [pay_deposit] can be generated") {
			t.Errorf("StepOnly(pay_deposit) on an ordinary order: %v", msg)
		}
	}()
	st := ordertest.StepOnly(res.State, ordertest.Start, "pay_deposit").Example(0)
	t.Errorf("generated %v", st)
}
