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

var noPresale = func(c order.Cart) bool {
	return !slices.ContainsFunc(c.Items, func(it order.Item) bool { return it.Presale != nil })
}

// An escrow order of few lines reaches confirm_receipt soonest.
func escrowFirst(rs []order.Result) order.State {
	s := rs[0].State
	for _, r := range rs {
		if r.State.Mode == order.Escrow && (s.Mode == order.Direct || len(r.State.Lines) < len(s.Lines)) {
			s = r.State
		}
	}
	return s
}

// trade runs steps drawn by next from a fresh order, calling seen with
// each step's event name and whether the order accepted it.
func trade(t interface{ Fatalf(string, ...any) }, s order.State, steps int, next func(s order.State, now time.Time, i int) ordertest.Step, seen func(name string, ok bool)) {
	m := order.New(order.Options{})
	now := ordertest.Start
	for i := range steps {
		st := next(s, now, i)
		now = now.Add(st.Wait)
		name, res, err := "advance", order.Result{}, error(nil)
		if st.Event == nil {
			res = m.AdvanceAt(s, now)
		} else {
			name = st.Event.Name()
			res, err = m.ApplyAt(s, st.Event, now)
		}
		seen(name, err == nil)
		if err := ordertest.Check(s, res, now, err == nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s = res.State
	}
}

// StepOnly generates only the events named.
func TestStepOnly(t *testing.T) {
	m := order.New(order.Options{})
	all := []string{"advance", "pay", "ship", "confirm_receipt", "cancel", "refund", "sign"}
	rapid.Check(t, func(t *rapid.T) {
		rs, err := m.CheckoutAt(ordertest.Cart().Filter(noPresale).Draw(t, "cart"), ordertest.Start)
		if err != nil {
			t.Fatal(err)
		}
		names := rapid.SliceOfNDistinct(rapid.SampledFrom(all), 1, len(all), rapid.ID).Draw(t, "names")
		trade(t, escrowFirst(rs), rapid.IntRange(1, 30).Draw(t, "steps"), func(s order.State, now time.Time, _ int) ordertest.Step {
			return ordertest.StepOnly(s, now, names...).Draw(t, "step")
		}, func(name string, _ bool) {
			if !slices.Contains(names, name) {
				t.Fatalf("StepOnly(%v) generated %s", names, name)
			}
		})
	})
}

// Restricted to a host's five events, StepOnly drives an order through
// all of them, each accepted somewhere (fixed seeds: the same trades on
// every run).
func TestStepOnlyCovers(t *testing.T) {
	m := order.New(order.Options{})
	names := []string{"advance", "pay", "ship", "confirm_receipt", "cancel"}
	seen, accepted := map[string]int{}, map[string]int{}
	for i := range 300 {
		rs, err := m.CheckoutAt(ordertest.Cart().Filter(noPresale).Example(i), ordertest.Start)
		if err != nil {
			t.Fatal(err)
		}
		trade(t, escrowFirst(rs), 20, func(s order.State, now time.Time, j int) ordertest.Step {
			return ordertest.StepOnly(s, now, names...).Example(i*100 + j)
		}, func(name string, ok bool) {
			seen[name]++
			if ok {
				accepted[name]++
			}
		})
	}
	for _, n := range names {
		if accepted[n] == 0 {
			t.Errorf("%s generated %d times, never accepted", n, seen[n])
		}
	}
	if len(seen) != len(names) {
		t.Errorf("generated %v, want only %v", seen, names)
	}
	t.Logf("generated %v, accepted %v", seen, accepted)
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
