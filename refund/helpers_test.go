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

// testOrder: line A paid 85.00 (beans worth 5.00), line B paid 43.00
// (points worth 2.00), both shipped a day before t0, A labelled for
// no-reason returns; shipping 8.00; total paid 136.00.
func testOrder() Order {
	shipped := t0.Add(-day).UTC()
	return Order{
		Mode:        Escrow,
		Payment:     Payment{Route: DebitCard, Account: "6222-0001"},
		ShippingFee: d("8.00"),
		Lines: []Line{
			{ID: "A", Amount: d("100.00"), Discount: d("10.00"), BeanValue: d("5.00"), PointValue: d("0"),
				ShippedAt: shipped, NoReason: true},
			{ID: "B", Amount: d("50.00"), Discount: d("5.00"), BeanValue: d("0"), PointValue: d("2.00"),
				ShippedAt: shipped},
		},
	}
}

// unshipped clears the shipment of the named lines.
func unshipped(o *Order, lines ...string) {
	for _, id := range lines {
		i := o.line(id)
		o.Lines[i].ShippedAt, o.Lines[i].SignedAt = time.Time{}, time.Time{}
	}
}

type fixture struct {
	t   *testing.T
	m   *Machine
	o   Order
	s   State
	now time.Time
	res Result
}

func newFixture(t *testing.T, o Order) *fixture {
	t.Helper()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, m: New(Options{}), o: o, now: t0}
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

// at sets the instant to t0+off.
func (f *fixture) at(off time.Duration) *fixture { f.now = t0.Add(off); return f }

// sign records the signing of lines at now, as the composer would.
func (f *fixture) sign(lines ...string) *fixture {
	for _, id := range lines {
		f.o.Lines[f.o.line(id)].SignedAt = f.now.UTC()
	}
	return f
}

// ship records the shipment of lines at now.
func (f *fixture) ship(lines ...string) *fixture {
	for _, id := range lines {
		f.o.Lines[f.o.line(id)].ShippedAt = f.now.UTC()
	}
	return f
}

func (f *fixture) apply(e Event) Result {
	f.t.Helper()
	res, err := f.m.ApplyAt(f.o, f.s, e, f.now)
	if err != nil {
		f.t.Fatalf("%s: %v", e.Name(), err)
	}
	f.s, f.res = res.State, res
	return res
}

func (f *fixture) advance() Result {
	f.res = f.m.AdvanceAt(f.o, f.s, f.now)
	f.s = f.res.State
	return f.res
}

func (f *fixture) req(id int) Request {
	f.t.Helper()
	r, ok := f.s.Request(id)
	if !ok {
		f.t.Fatalf("no request %d", id)
	}
	return r
}

// refused checks that e is refused with sentinel and rule (rule "" for a
// plain ErrInvalid error), and returns the Result that came with it.
func (f *fixture) refused(e Event, sentinel error, rule string) Result {
	f.t.Helper()
	res, err := f.m.ApplyAt(f.o, f.s, e, f.now)
	var re *rules.RuleError
	isRule := errors.As(err, &re)
	if !errors.Is(err, sentinel) || isRule != (rule != "") || isRule && re.Rule != rule {
		f.t.Fatalf("%s: got %v, want %v (%q)", e.Name(), err, sentinel, rule)
	}
	return res
}

func kinds(effs []Effect) []string {
	out := []string{}
	for _, e := range effs {
		out = append(out, e.Kind())
	}
	return out
}

// acts returns the acts of kind T among effs.
func actsOf[T Act](effs []Effect) []T {
	var out []T
	for _, e := range effs {
		if a, ok := e.Act.(T); ok {
			out = append(out, a)
		}
	}
	return out
}
