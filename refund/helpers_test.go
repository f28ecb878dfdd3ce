package refund

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

var (
	shanghai = clock.MustZone("Asia/Shanghai")
	t0       = time.Date(2024, 3, 1, 15, 4, 5, 0, shanghai)
)

const (
	day = 24 * time.Hour
	sec = time.Second
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// testOrder: line A paid 85.00 (500 beans), line B paid 43.00 (200 points),
// shipping 8.00; total paid 136.00.
func testOrder() Order {
	return Order{
		Mode:        Escrow,
		Payment:     Payment{Route: DebitCard, Account: "6222-0001"},
		ShippingFee: d("8.00"),
		Coupons:     []string{"C1"},
		Lines: []Line{
			{ID: "A", Amount: d("100.00"), Discount: d("10.00"), BeanValue: d("5.00"), PointValue: d("0"), Beans: 500,
				Shipped: true, NoReason: true, Labelled: true},
			{ID: "B", Amount: d("50.00"), Discount: d("5.00"), BeanValue: d("0"), PointValue: d("2.00"), Points: 200,
				Shipped: true},
		},
	}
}

type fixture struct {
	t   *testing.T
	clk *clock.Manual
	m   *Machine
	s   State
	res Result
}

func newFixture(t *testing.T, o Order) *fixture {
	t.Helper()
	clk := clock.NewManual(t0)
	m := New(Options{Clock: clk})
	s, err := m.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, clk: clk, m: m, s: s}
}

// newFixtureWith starts a fixture on testOrder changed by mod (nil: as it is).
func newFixtureWith(t *testing.T, mod func(*Order)) *fixture {
	t.Helper()
	o := testOrder()
	if mod != nil {
		mod(&o)
	}
	return newFixture(t, o)
}

// at sets the clock to t0+off.
func (f *fixture) at(off time.Duration) *fixture { f.clk.Set(t0.Add(off)); return f }

func (f *fixture) apply(e Event) Result {
	f.t.Helper()
	res, err := f.m.Apply(f.s, e)
	if err != nil {
		f.t.Fatalf("%s: %v", e.Name(), err)
	}
	f.s, f.res = res.State, res
	return res
}

func (f *fixture) advance() Result {
	f.res = f.m.Advance(f.s)
	f.s = f.res.State
	return f.res
}

func (f *fixture) req(id int) Request {
	r, ok := f.s.Request(id)
	if !ok {
		f.t.Fatalf("no request %d", id)
	}
	return r
}

// refused checks that e is refused with sentinel and rule, state untouched.
func (f *fixture) refused(e Event, sentinel error, rule string) {
	f.t.Helper()
	res, err := f.m.Apply(f.s, e)
	var re *rules.RuleError
	if !errors.As(err, &re) || !errors.Is(err, sentinel) || re.Rule != rule {
		f.t.Fatalf("%s: got %v (%+v), want %v (%s)", e.Name(), err, res.State.Requests, sentinel, rule)
	}
}

func kinds(effs []Effect) []string {
	out := []string{}
	for _, e := range effs {
		out = append(out, e.Kind())
	}
	return out
}
