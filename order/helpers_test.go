package order

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

var t0 = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func testMachine() *Machine { return New(Options{Clock: clock.NewManual(t0)}) }

func cart(items ...Item) Cart {
	return Cart{ID: "c1", Buyer: "b1",
		Stores:   []Store{{ID: "s1", Mode: Escrow}, {ID: "s2", Mode: Direct}},
		Items:    items,
		Delivery: Delivery{Recipient: "Li", Phone: "138", Address: "Beijing"},
		Invoice:  Invoice{Kind: OrdinaryVAT}}
}

func item(id, store, price string, qty int) Item {
	return Item{ID: id, Store: store, Price: d(price), Quantity: qty, Stock: qty, Type: id}
}

// open checks out a one-order cart and returns the order.
func open(t *testing.T, m *Machine, items ...Item) State {
	t.Helper()
	rs, err := m.CheckoutAt(cart(items...), t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("%d orders", len(rs))
	}
	return rs[0].State
}

// must applies e at now and fails the test on an error.
func must(t *testing.T, m *Machine, s State, e Event, now time.Time) Result {
	t.Helper()
	r, err := m.ApplyAt(s, e, now)
	if err != nil {
		t.Fatalf("%s at %s: %v", e.Name(), now, err)
	}
	if err := r.State.Validate(); err != nil {
		t.Fatalf("%s: invalid result: %v", e.Name(), err)
	}
	return r
}

// refuse applies e at now and checks it is refused with sentinel want and rule.
func refuse(t *testing.T, m *Machine, s State, e Event, now time.Time, want error, rule string) Result {
	t.Helper()
	r, err := m.ApplyAt(s, e, now)
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want %v", e.Name(), err, want)
	}
	if rule != "" {
		var re *rules.RuleError
		if !errors.As(err, &re) || re.Rule != rule {
			t.Fatalf("%s: got %v, want rule %s", e.Name(), err, rule)
		}
	}
	return r
}

// paid returns s paid at at.
func paid(t *testing.T, m *Machine, s State, at time.Time) State {
	t.Helper()
	return must(t, m, s, Pay{Via: testVia, Number: "p1", Amount: s.Payable().Decimal(), At: at}, at).State
}

func js(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func kinds(es []Effect) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Kind())
	}
	return out
}

func mapFS(name, body string) fstest.MapFS {
	return fstest.MapFS{name: &fstest.MapFile{Data: []byte(body)}}
}

func fen(s string) Fen {
	f, err := FenOf(d(s))
	if err != nil {
		panic(err)
	}
	return f
}

var testVia = Via{Route: refund.WalletBalance, Account: "buyer"}

// refundNow opens a refund-only request on the given lines ("id" for all
// its money, "id:3.50" for part) at at and has the merchant agree to
// every request it made; it returns the agreement's result.
func refundNow(t *testing.T, m *Machine, s State, at time.Time, lines ...string) Result {
	t.Helper()
	var items []refund.Item
	for _, l := range lines {
		id, amt, _ := strings.Cut(l, ":")
		it := refund.Item{Line: id}
		if amt != "" {
			it.Amount = d(amt)
		}
		items = append(items, it)
	}
	n := len(s.Refunds.Requests)
	s = must(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: items}}, at).State
	var r Result
	for id := n + 1; id <= len(s.Refunds.Requests); id++ {
		r = must(t, m, s, Refund{Event: refund.MerchantAgree{Request: id}}, at)
		s = r.State
	}
	return r
}
