package scenario

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/rules"
)

// loadProblems loads src as one scenario file and returns its problems'
// messages ("" when it loads).
func loadProblems(t *testing.T, src string) string {
	t.Helper()
	fsys := fstest.MapFS{"x.scenario.yaml": {Data: []byte(src)}}
	_, err := Load(fsys, "x.scenario.yaml")
	if err == nil {
		return ""
	}
	var es rules.Errors
	if !errors.As(err, &es) {
		t.Fatalf("not rules.Errors: %v", err)
	}
	var msgs []string
	for _, e := range es {
		msgs = append(msgs, e.Msg)
	}
	return strings.Join(msgs, "\n")
}

// Malformed start keys, fact updates and checks of the new machines are
// load problems, each naming what is wrong.
func TestAdapterLoadProblems(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"dispute bad trade", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\ntrade: {id: T1, status: completed}\nsteps: [{at: +0s, advance: true}]\n",
			"trade: dispute: invalid input"},
		{"dispute fact not true", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, complete: false}]\n",
			"complete: want true"},
		{"dispute bad record", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\nrecord: {merchant: m, nope: 1}\nsteps: [{at: +0s, advance: true}]\n",
			"record:"},
		{"provider missing start", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, advance: true}]\n",
			"provider: missing"},
		{"provider both starts", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nstate: {provider: sp, standing: active, seq: 0}\nsteps: [{at: +0s, advance: true}]\n",
			"not both"},
		{"provider unknown check", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nsteps: [{at: +0s, check: {nope: {}}}]\n",
			`unknown check "nope"`},
		{"provider bad check input", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nsteps: [{at: +0s, check: {classify: {clause: \"4.23\"}}}]\n",
			"check: classify:"},
		{"points missing start", "machine: points\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, advance: true}]\n",
			"pay: missing"},
		{"points bad pay", "machine: points\nstart: 2024-03-01T10:00:00+08:00\npay: {order: {id: O, payable: 1.00, lines: []}, wallet: {beans: 0, points: 0}, choice: {beans: 0, points: 0}, extra: 1}\nsteps: [{at: +0s, advance: true}]\n",
			"pay:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := loadProblems(t, tc.src)
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// A fact update the trade's facts refuse is the step's error; a refused
// check is the step's error with its rule; a check's result is matched
// as decisions, and one that fails to match fails the step.
func TestAdapterSteps(t *testing.T) {
	src := `machine: dispute
start: 2024-03-01T10:00:00+08:00
trade: {id: T1, status: unpaid}
steps:
  - at: +0s
    complete: true
    expect:
      error: {is: ErrInvalid}
`
	rep := runSrc(t, src)
	if rep.Failed() {
		t.Errorf("dispute: %s", failures(rep))
	}
	src = `machine: provider
start: 2024-03-01T10:00:00+08:00
provider: sp
steps:
  - at: +0s
    check: {classify: {clause: "4.13"}}
    expect:
      decisions: [{rule: PRV-5, value: class_i}]
`
	rep = runSrc(t, src)
	if !rep.Failed() || !strings.Contains(failures(rep), "PRV-6") {
		t.Errorf("provider: a wrong class passes: %s", failures(rep))
	}
}

func runSrc(t *testing.T, src string) Report {
	t.Helper()
	fsys := fstest.MapFS{"x.scenario.yaml": {Data: []byte(src)}}
	rep, err := RunFile(fsys, "x.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

const orderCart = `cart:
  id: C1
  stores: [{id: S1, mode: escrow}]
  items:
    - {id: A, store: S1, price: 30.00, quantity: 1, stock: 5}
  delivery: {recipient: Li, phone: "1", address: road}
  invoice: {kind: ordinary_vat}
`

// The order machine's start keys and step kinds: each malformed one is a
// load problem naming what is wrong.
func TestOrderLoadProblems(t *testing.T) {
	head := "machine: order\nstart: 2024-03-01T10:00:00+08:00\n"
	steps := "steps: [{at: +0s, advance: true}]\n"
	for _, tc := range []struct{ name, src, want string }{
		{"missing start", head + steps, "cart: missing"},
		{"cart and state", head + orderCart + "state: {}\n" + steps, "not both"},
		{"pick without cart", head + "order: 1\nstate: {}\n" + steps, "picks among the orders of a cart checkout"},
		{"pick too far", head + orderCart + "order: 2\n" + steps, "order: 2: the checkout made 1 orders"},
		{"pick zero", head + orderCart + "order: 0\n" + steps, "order: want the number"},
		{"unknown cart key", head + "cart: {id: C1, nope: 1}\n" + steps, "cart:"},
		{"refused checkout", head + strings.Replace(orderCart, "stock: 5", "stock: 0", 1) + steps, "out of stock"},
		{"too few numbers", head + orderCart + "numbers: []\n" + steps, "no more numbers"},
		{"bad state", head + "state: {number: x}\n" + steps, "state: order: invalid input"},
		{"unknown check", head + orderCart + "steps: [{at: +0s, check: {nope: {}}}]\n", `unknown check "nope"`},
		{"bad method", head + orderCart + "steps: [{at: +0s, check: {risk: {method: drone}}}]\n", `order: method: invalid enumeration value "drone"`},
		{"shipment and handover", head + orderCart + "steps: [{at: +0s, check: {risk: {shipment: 1, method: online}}}]\n", "not both"},
		{"shipment and signed_at", head + orderCart + "steps: [{at: +0s, check: {inspect: {shipment: 1, signed_at: 2024-03-01T10:00:00Z}}}]\n", "not both"},
		{"bad checkout", head + orderCart + "steps: [{at: +0s, checkout: {cart: {}, extra: 1}}]\n", "checkout: want"},
		{"unqualified refund sentinel", head + orderCart + "steps: [{at: +0s, advance: true, expect: {error: {is: ErrFinal}}}]\n", "ErrFinal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := loadProblems(t, tc.src)
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// A check's decision and a qualified sentinel are matched: a wrong value
// fails the step, and refund.ErrFinal is refund's sentinel.
func TestOrderSteps(t *testing.T) {
	head := "machine: order\nstart: 2024-03-01T10:00:00+08:00\n" + orderCart
	rep := runSrc(t, head+`steps:
  - at: +0s
    check: {deregister: {}}
    expect:
      decisions: [{rule: ORD-15, value: allowed}]
`)
	if !rep.Failed() || !strings.Contains(failures(rep), "pending_payment") {
		t.Errorf("an unfinished order passes as deregistrable: %s", failures(rep))
	}
	rep = runSrc(t, head+`steps:
  - at: +0s
    event: {type: pay, number: P1, amount: 30.00, paid_at: 2024-03-01T10:00:00+08:00, via: {route: wallet_balance, account: w}}
  - at: +0s
    event: {type: refund, event: {type: open, kind: refund_only, reason: agreed, items: [{line: A, amount: 30.00}]}}
  - at: +0s
    event: {type: refund, event: {type: withdraw, request: 1}}
  - at: +0s
    event: {type: refund, event: {type: withdraw, request: 1}}
    expect:
      error: {is: refund.ErrFinal}
`)
	if rep.Failed() {
		t.Errorf("refund.ErrFinal: %s", failures(rep))
	}
	if s := (orderMachine{}).Sentinels(); errors.Is(s["refund.ErrNotAllowed"], s["ErrNotAllowed"]) {
		t.Error("refund.ErrNotAllowed is order's")
	}
}

// The order's timer edges are those of order.Transitions, then refund's
// and dispute's; a timer edge that leaves the status as it was (the
// presale shipping notice) is seen firing.
func TestOrderTimers(t *testing.T) {
	n := 0
	for _, x := range order.Transitions() {
		if x.Timer != 0 {
			n++
		}
	}
	ts := orderMachine{}.Timers()
	if want := n + len(refundMachine{}.Timers()) + len(disputeMachine{}.Timers()); len(ts) != want {
		t.Errorf("%d timers, want %d", len(ts), want)
	}
	rep, err := RunFile(os.DirFS("../scenarios/order"), "ord14-presale.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.trace.timers["awaiting_shipment -ORD-14-> awaiting_shipment"]; got != 1 {
		t.Errorf("presale shipping notice fired %d times, want 1 (fired: %v)", got, rep.trace.timers)
	}
}

// state: starts from a stored order: the scenario goes on from it, and
// its deadlines are the stored state's.
func TestOrderFromState(t *testing.T) {
	at := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	res, err := order.New(order.Options{}).CheckoutAt(order.Cart{ID: "S", Stores: []order.Store{{ID: "S1", Mode: order.Direct}},
		Items:    []order.Item{{ID: "A", Store: "S1", Price: decimal.RequireFromString("5"), Quantity: 1, Stock: 1}},
		Delivery: order.Delivery{Recipient: "Li", Phone: "1", Address: "road"}, Invoice: order.Invoice{Kind: order.OrdinaryVAT}}, at)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res[0].State)
	if err != nil {
		t.Fatal(err)
	}
	rep := runSrc(t, "machine: order\nstart: 2024-03-01T10:00:00+08:00\nstate: "+string(b)+`
steps:
  - at: +24h-1s
    advance: true
    expect:
      state: {number: S-1, status: pending_payment}
      pending: [{subject: order, boundary: pending_payment ORD-4, at: +1s}]
  - at: +1s
    event: {type: pay, number: P, amount: 5, paid_at: 2024-03-02T10:00:00+08:00, via: {route: debit_card, account: c}}
    expect:
      error: {rule: ORD-7, is: ErrNotAllowed}
      state: {status: cancelled}
`)
	if rep.Failed() {
		t.Errorf("from state: %s", failures(rep))
	}
}
