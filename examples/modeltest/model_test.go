package main

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/order/ordertest"
	"github.com/tradepolicy/tradepolicy/refund"
)

// trade is one generated checkout on both sides: the model's states and
// the service's order numbers, index by index, and the host's clock.
type trade struct {
	m       *order.Machine
	shop    *Shop
	states  []order.State
	numbers []string
	now     time.Time
	seen    map[string]int // steps by event, acceptance and status reached
}

// carts generates the carts the service supports; one in four has
// items of one type only (ordertest.Cart rarely gives an order several
// lines of one type, which must ship at once), one in ten asks for more
// than the stock of one item.
func carts() *rapid.Generator[order.Cart] {
	return rapid.Custom(func(t *rapid.T) order.Cart {
		c := ordertest.Cart().Filter(supports).Draw(t, "cart")
		if rapid.IntRange(0, 3).Draw(t, "one_type") == 0 {
			c.Items = slices.Clone(c.Items)
			for i := range c.Items {
				c.Items[i].Type = "shirt"
			}
		}
		if rapid.IntRange(0, 9).Draw(t, "short") == 0 {
			i := rapid.IntRange(0, len(c.Items)-1).Draw(t, "short_item")
			c.Items = slices.Clone(c.Items)
			c.Items[i].Stock = c.Items[i].Quantity - 1
		}
		return c
	})
}

// property is the model test of a service with planted bug b (correct:
// none): after checkout and after every step the service and the model
// agree on acceptance, status, frozen and settled money and the next
// deadline, and ordertest.Check holds for the model.
func property(b bug, seen map[string]int) func(*rapid.T) {
	return func(t *rapid.T) {
		shop := NewShop()
		shop.bug = b
		h := &trade{m: order.New(order.Options{}), shop: shop, now: ordertest.Start, seen: seen}
		c := carts().Draw(t, "cart")
		rs, merr := h.m.CheckoutAt(c, h.now)
		numbers, serr := shop.Checkout(hostCart(c), h.now)
		if (merr == nil) != (serr == nil) {
			t.Fatalf("checkout: model %v, service %v", merr, serr)
		}
		if merr != nil {
			return
		}
		if len(rs) != len(numbers) {
			t.Fatalf("checkout: model %d orders, service %d", len(rs), len(numbers))
		}
		for i, r := range rs {
			row, _ := shop.Row(numbers[i])
			var lines []string
			for _, l := range row.Lines {
				lines = append(lines, l.ID)
			}
			if r.State.Store != row.Store || !slices.Equal(lineIDs(r.State), lines) || int64(r.State.Payable()) != row.DueFen {
				t.Fatalf("checkout order %d: model %s %v payable %s, service %s %v due %d fen", i, r.State.Store, lineIDs(r.State), r.State.Payable(), row.Store, lines, row.DueFen)
			}
			h.states, h.numbers = append(h.states, r.State), append(h.numbers, numbers[i])
			h.compare(t, "checkout", i, modelView(r, nil), nil)
		}
		// One order is the one the buyer and merchant act on (every step
		// moves the host's one clock, so acting on several would mostly
		// let the others time out); the scheduler wakes every order.
		focus := rapid.IntRange(0, len(h.states)-1).Draw(t, "order")
		t.Repeat(map[string]func(*rapid.T){
			"step": func(t *rapid.T) {
				st := ordertest.StepOnly(h.states[focus], h.now, supported...).Draw(t, "step")
				h.now = h.now.Add(st.Wait)
				h.step(t, focus, st.Event)
			},
			// The buyer pays what is due at once (most generated orders
			// would time out unpaid otherwise).
			"pay": func(t *rapid.T) {
				s := h.states[focus]
				h.step(t, focus, order.Pay{Number: "pay", Amount: s.Payable().Decimal(), At: h.now,
					Via: order.Via{Route: refund.WalletBalance}, Spend: ordertest.SpendOf(s, h.now)})
			},
			// A call reaches the order with an instant before the last
			// one it was handled at (a lagging clock): both refuse it
			// and keep the order as it was.
			"late": func(t *rapid.T) {
				s := h.states[focus]
				at := s.Last.Add(-time.Second)
				if at.Before(s.CreatedAt) {
					t.Skip("the order has no earlier instant")
				}
				st := ordertest.StepOnly(s, at, "pay", "ship", "confirm_receipt", "cancel").Draw(t, "step")
				now := h.now
				h.now = at
				h.step(t, focus, st.Event)
				h.now = now
			},
			// The host's scheduler wakes what is due: at the earliest
			// deadline, a second before it, or a little later.
			"wake": func(t *rapid.T) {
				next := time.Time{}
				for _, s := range h.states {
					if n := s.Next(); !n.IsZero() && (next.IsZero() || n.Before(next)) {
						next = n
					}
				}
				switch at := rapid.IntRange(0, 3).Draw(t, "when"); {
				case at == 0 && next.After(h.now):
					h.now = next
				case at == 1 && next.Add(-time.Second).After(h.now):
					h.now = next.Add(-time.Second)
				default:
					h.now = h.now.Add(rapid.SampledFrom([]time.Duration{time.Second, time.Hour}).Draw(t, "wait"))
				}
				var want []string
				for i, s := range h.states {
					if n := s.Next(); !n.IsZero() && !n.After(h.now) {
						want = append(want, h.numbers[i])
					}
				}
				slices.Sort(want)
				if got := h.shop.Due(h.now); !slices.Equal(want, got) {
					t.Fatalf("at %v the model has %v due, the service %v", h.now, want, got)
				}
				for _, n := range want {
					h.step(t, slices.Index(h.numbers, n), nil)
				}
			},
		})
	}
}

// step applies e (nil: a wake-up) to order i on both sides at the
// trade's clock and compares them.
func (h *trade) step(t *rapid.T, i int, e order.Event) {
	before := h.states[i]
	var res order.Result
	var merr error
	if e == nil {
		res = h.m.AdvanceAt(before, h.now)
	} else {
		res, merr = h.m.ApplyAt(before, e, h.now)
	}
	if err := ordertest.Check(before, res, h.now, merr == nil); err != nil {
		t.Fatalf("model invariant after %v: %v", name(e), err)
	}
	serr := drive(h.shop, h.numbers[i], e, h.now)
	h.compare(t, name(e), i, modelView(res, merr), serr)
	if h.seen != nil {
		h.seen[fmt.Sprintf("%s %v -> %v", name(e), before.Status, res.State.Status)]++
	}
	h.states[i] = res.State
}

func (h *trade) compare(t *rapid.T, what string, i int, model view, serr error) {
	row, _ := h.shop.Row(h.numbers[i])
	if d := agree(model, serviceView(row, serr)); d != "" {
		t.Fatalf("%s on order %d at %v: the service and the model disagree (service error: %v)\n%s", what, i, h.now, serr, d)
	}
}

func name(e order.Event) string {
	if e == nil {
		return "advance"
	}
	return e.Name()
}

// TestModel: the service agrees with package order on every generated
// trade of the events it implements.
func TestModel(t *testing.T) {
	deep(t, 2000)
	seen := map[string]int{}
	rapid.Check(t, property(correct, seen))
	for _, k := range slices.Sorted(maps.Keys(seen)) {
		t.Logf("%6d %s", seen[k], k)
	}
	if testing.Short() {
		return
	}
	// Every move the service implements was made (each about 15 times or
	// more in 2000 trades).
	for _, k := range []string{"pay pending_payment -> awaiting_shipment", "ship awaiting_shipment -> partially_shipped",
		"ship partially_shipped -> shipped", "ship awaiting_shipment -> completed", "confirm_receipt shipped -> completed",
		"advance shipped -> completed", "advance pending_payment -> cancelled", "cancel pending_payment -> cancelled",
		"ship awaiting_shipment -> awaiting_shipment", "ship partially_shipped -> completed"} {
		if seen[k] == 0 {
			t.Errorf("no step made %s", k)
		}
	}
}

// recorder is a rapid.TB that records a failure instead of failing the
// test, so that a test can assert that the property fails.
type recorder struct {
	t      *testing.T
	failed bool
	log    strings.Builder
}

func (r *recorder) Helper()                         {}
func (r *recorder) Name() string                    { return r.t.Name() }
func (r *recorder) Logf(format string, args ...any) { fmt.Fprintf(&r.log, format+"\n", args...) }
func (r *recorder) Log(args ...any)                 { fmt.Fprintln(&r.log, args...) }
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Error(args ...any)                 { r.failed = true; r.Log(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...) }

// FailNow records the failure and returns: rapid calls it last, once it
// has reported the failure.
func (r *recorder) FailNow()                         { r.failed = true }
func (r *recorder) Fail()                            { r.failed = true }
func (r *recorder) Failed() bool                     { return r.failed }
func (r *recorder) Skipf(format string, args ...any) { r.t.Skipf(format, args...) }
func (r *recorder) Skip(args ...any)                 { r.t.Skip(args...) }
func (r *recorder) SkipNow()                         { r.t.SkipNow() }

// deep runs at least n trades (-rapid.checks; -short runs a fifth): a
// trade that goes deep (several parcels, then a confirmation) is rare.
func deep(t *testing.T, n int) {
	if c, _ := strconv.Atoi(flag.Lookup("rapid.checks").Value.String()); c < n {
		setFlag(t, "rapid.checks", strconv.Itoa(n))
	}
}

// setFlag sets a rapid flag for the rest of the test.
func setFlag(t *testing.T, name, value string) {
	f := flag.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// catches asserts that the property finds planted bug b: rapid.Check on
// a recorder must fail, with a failure that names one of want; the
// minimised counterexample is logged. No fail file is written (the
// failure is expected).
func catches(t *testing.T, b bug, want ...string) {
	t.Helper()
	setFlag(t, "rapid.nofailfile", "true")
	setFlag(t, "rapid.shrinktime", "5s")
	n := 1000
	if testing.Short() {
		n *= 5 // finding the bug needs the trades
	}
	deep(t, n)
	r := &recorder{t: t}
	rapid.Check(r, property(b, nil))
	if !r.failed {
		t.Fatalf("the model test did not find planted bug %d", b)
	}
	log := lastFailure(r.log.String())
	if !slices.ContainsFunc(want, func(w string) bool { return strings.Contains(log, w) }) {
		t.Errorf("the failure names none of %q:\n%s", want, log)
	}
	t.Logf("found:\n%s", log)
}

// TestModelCatchesOffByOne: a service whose deadlines fire one instant
// late (it accepts a payment at exactly the 24th hour, and its scheduler
// does not wake the order then) fails the property.
func TestModelCatchesOffByOne(t *testing.T) {
	catches(t, lateDeadline, "due, the service", "disagree")
}

// The property finds each of the other planted bugs.
func TestModelCatchesPlantedBugs(t *testing.T) {
	for _, tt := range []struct {
		name string
		bug  bug
		want []string
	}{
		{"SplitSingleType", splitSingleType, []string{"ship on order"}},
		{"ConfirmFromFirstParcel", confirmFromFirst, []string{"ship on order", "due, the service"}},
		{"CancelAfterPaid", cancelAfterPaid, []string{"cancel on order"}},
	} {
		t.Run(tt.name, func(t *testing.T) { catches(t, tt.bug, tt.want...) })
	}
}

// lastFailure returns the report of the minimised failing case.
func lastFailure(log string) string {
	if i := strings.LastIndex(log, "[rapid] failed"); i >= 0 {
		return log[i:]
	}
	return log
}

// The recorder really records: a property that always holds does not
// fail it, one that fails does.
func TestRecorder(t *testing.T) {
	setFlag(t, "rapid.nofailfile", "true")
	ok := &recorder{t: t}
	rapid.Check(ok, func(t *rapid.T) { rapid.Int().Draw(t, "n") })
	bad := &recorder{t: t}
	rapid.Check(bad, func(t *rapid.T) {
		if rapid.IntRange(0, 10).Draw(t, "n") > 5 {
			t.Fatalf("too big")
		}
	})
	if ok.failed || !bad.failed || !strings.Contains(bad.log.String(), "too big") {
		t.Errorf("holding property failed: %v; failing property failed: %v\n%s", ok.failed, bad.failed, bad.log.String())
	}
}

// TestServiceIsOwnCode: the service is the host's own logic; it imports
// nothing of the module.
func TestServiceIsOwnCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "service.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if strings.Contains(p, ".") {
			t.Errorf("service.go imports %s", p)
		}
	}
}
