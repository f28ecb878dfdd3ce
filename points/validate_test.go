package points

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/rules"
)

// A Spend the package could not have produced is refused by Apply with
// ErrInvalidState (which is also ErrInvalid) and left as it was; Advance
// returns it unchanged with a note.
func TestInvalidSpend(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *Spend)
		detail string
	}{
		{"line without an ID", func(s *Spend) { s.Lines[0].Line = "" }, "no ID"},
		{"line twice", func(s *Spend) { s.Lines[1].Line = "a" }, `line "a" twice`},
		{"no units", func(s *Spend) { s.Lines[0].Quantity = 0 }, "units"},
		{"more refunded than bought", func(s *Spend) { s.Lines[0].Refunded = 4 }, "4 of 3 units"},
		{"negative refunded", func(s *Spend) { s.Lines[0].Refunded = -1 }, "units"},
		{"negative beans", func(s *Spend) { s.Lines[0].Beans, s.Beans = -1, 799 }, "beans"},
		{"more beans back than spent", func(s *Spend) { s.Lines[0].BeansBack = 1201 }, "beans given back"},
		{"negative points back", func(s *Spend) { s.Lines[1].PointsBack = -1 }, "points given back"},
		{"totals do not add up", func(s *Spend) { s.Points = 1000 }, "lines hold"},
		{"totals overflow", func(s *Spend) {
			s.Lines[0].Beans, s.Lines[1].Beans, s.Beans = math.MaxInt64, math.MaxInt64, -2
		}, "overflow"},
		{"repeated refund ID", func(s *Spend) { s.Refunds = []string{"r1", "r1"} }, "repeated"},
		{"empty refund ID", func(s *Spend) { s.Refunds = []string{""} }, "repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newMachine(nil)
			s := paid(t, m)
			tt.break_(&s)
			before := s
			before.Lines, before.Refunds = slices.Clone(s.Lines), slices.Clone(s.Refunds)
			err := s.Validate()
			if !errors.Is(err, ErrInvalidState) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("Validate: %v, want ErrInvalidState with %q", err, tt.detail)
			}
			res, err := m.Apply(s, Refund{ID: "r9", Stage: Shipped, Approver: Merchant, Lines: []RefundLine{{"b", 1}}})
			if !errors.Is(err, ErrInvalidState) || len(res.Effects) != 0 {
				t.Errorf("Apply: %v, effects %v", err, res.Effects)
			}
			adv := m.Advance(s)
			if diff := cmp.Diff(before, adv.State); diff != "" || len(adv.Effects) != 0 || len(adv.Decisions) != 1 {
				t.Errorf("Advance: decisions %v (-before +after):\n%s", adv.Decisions, diff)
			}
			if diff := cmp.Diff(before, s); diff != "" {
				t.Errorf("input changed (-before +after):\n%s", diff)
			}
		})
	}
}

// A Ledger the package could not have produced is refused by Apply,
// Allowance and Pay with ErrInvalidState; Advance leaves it as it was.
func TestInvalidLedger(t *testing.T) {
	for _, l := range []Ledger{{Year: 2024, Used: -1}, {Year: -1}, {Year: 0, Used: 5}, {Year: math.MaxInt, Used: 1}} {
		if err := l.Validate(); !errors.Is(err, ErrInvalidState) {
			t.Errorf("Validate(%+v): %v", l, err)
		}
		lm := NewLedger(Options{Clock: newClock()})
		for _, e := range []Event{Use{Order: "o", Points: 1}, Release{Order: "o", Points: 1, UsedAt: start}} {
			if res, err := lm.Apply(l, e); !errors.Is(err, ErrInvalidState) || res.State != l {
				t.Errorf("Apply(%+v, %v): %+v, %v", l, e, res.State, err)
			}
		}
		if _, err := lm.Allowance(l); !errors.Is(err, ErrInvalidState) {
			t.Errorf("Allowance(%+v): %v", l, err)
		}
		m, _ := newMachine(nil)
		if _, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, l, Choice{}); !errors.Is(err, ErrInvalidState) {
			t.Errorf("Pay with ledger %+v: %v", l, err)
		}
		res := lm.Advance(l)
		if res.State != l || !res.Next.IsZero() || len(res.Decisions) != 1 {
			t.Errorf("Advance(%+v): %+v", l, res)
		}
	}
}

// PTS-2: a line refunded in full gives back its whole allocation, even
// one that is not a whole number of granules at today's rates.
func TestShareFullRefundGivesBackAll(t *testing.T) {
	u := newUnit(1000) // granule of 10 points
	for _, alloc := range []int64{0, 7, 10, 1003} {
		if got := share(alloc, u, 3, 3); got != alloc {
			t.Errorf("share(%d, 3 of 3) = %d", alloc, got)
		}
	}
}

// New refuses a set of another schema, even one with the same policy
// name and thresholds: its keys would read the wrong thresholds.
func TestNewForeignSchema(t *testing.T) {
	foreign, err := rules.NewSchema("points", Schema().Decls()...)
	if err != nil {
		t.Fatal(err)
	}
	src, err := policyFS.ReadFile("policy/points.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(foreign, fstest.MapFS{"points.yaml": {Data: src}}, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"New":       func() { New(Options{Policy: set}) },
		"NewLedger": func() { NewLedger(Options{Policy: set}) },
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, "points.Schema()") {
					t.Errorf("%s with a foreign schema: recovered %q", name, msg)
				}
			}()
			f()
			t.Errorf("%s accepted a set of another schema", name)
		}()
	}
}

// A bean cap written with an absurd exponent is refused, not floored.
func TestBeanCapExponent(t *testing.T) {
	m, _ := newMachine(nil)
	o := Order{ID: "X", Payable: yuan("1.00"), Lines: []Line{{ID: "a", Quantity: 1, Amount: yuan("1.00"), BeanCap: decimal.New(1, -900_000_000)}}}
	if _, err := m.OfferBeans(o, Wallet{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("OfferBeans: %v", err)
	}
}

// An offer decoded from JSON or edited by hand has no unit or caps behind
// its limits: Allocate refuses it instead of dividing by zero.
func TestAllocateForeignOffer(t *testing.T) {
	if _, err := (BeanOffer{Max: 100, Step: 100, PayableCap: 100, ItemCap: 100, Balance: 100}).Allocate(100); !errors.Is(err, ErrInvalid) {
		t.Errorf("BeanOffer from JSON: %v", err)
	}
	if _, err := (PointsOffer{Max: 10, Unit: 1, Limit: 10, PayableCap: 10, Balance: 10, Remaining: 10}).Allocate(0); !errors.Is(err, ErrInvalid) {
		t.Errorf("PointsOffer from JSON: %v", err)
	}
	m, _ := newMachine(nil)
	off, err := m.OfferBeans(payOrder, Wallet{Beans: 100000})
	if err != nil {
		t.Fatal(err)
	}
	off.ItemCap, off.PayableCap, off.Balance, off.Max = 1<<40, 1<<40, 1<<40, 1<<40
	if _, err := off.Allocate(off.Max / off.Step * off.Step); !errors.Is(err, ErrInvalid) {
		t.Errorf("edited BeanOffer: %v", err)
	}
}
