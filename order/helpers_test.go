package order

import (
	"encoding/json"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
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
	return must(t, m, s, Pay{Number: "p1", Amount: s.Payable().Decimal(), At: at}, at).State
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
