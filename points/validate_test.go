package points

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/rules"
)

// A Spend the package could not have produced is refused by ApplyAt with
// ErrInvalid (a plain error, not a rule refusal) and left as it was;
// AdvanceAt returns it unchanged with a note.
func TestInvalidSpend(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *Spend)
		detail string
	}{
		{"line without an ID", func(s *Spend) { s.Lines[0].Line = "" }, "no ID"},
		{"line twice", func(s *Spend) { s.Lines[1].Line = "a" }, `line "a" twice`},
		{"negative beans", func(s *Spend) { s.Lines[0].Beans, s.Beans = -1, 799 }, "units"},
		{"beans without value", func(s *Spend) { s.Lines[0].BeanValue, s.BeanValue = yuan("0"), yuan("8") }, "worth"},
		{"value off the rate", func(s *Spend) { s.Lines[0].BeanValue, s.Lines[1].BeanValue = yuan("12.01"), yuan("7.99") }, "rate"},
		{"sub-fen value", func(s *Spend) { s.PointValue = yuan("10.011") }, "point value"},
		{"more beans back than spent", func(s *Spend) { s.Lines[0].BeansBack = 1201; s.Refunds = []string{"r"} }, "back"},
		{"back and kept past the allocation", func(s *Spend) { s.Lines[0].BeansBack, s.Lines[0].BeansKept = 700, 501; s.Refunds = []string{"r"} }, "kept"},
		{"negative points back", func(s *Spend) { s.Lines[1].PointsBack = -1; s.Refunds = []string{"r"} }, "back"},
		{"done with units left", func(s *Spend) { s.Lines[1].Done, s.Lines[1].BeansBack = true, 800; s.Refunds = []string{"r"} }, "done"},
		{"settled without a refund", func(s *Spend) { s.Lines[1].BeansKept = 1 }, "without a refund"},
		{"totals do not add up", func(s *Spend) { s.Points, s.PointValue = 1000, yuan("10") }, "lines hold"},
		{"totals overflow", func(s *Spend) {
			s.Lines[0].Beans, s.Lines[1].Beans, s.Beans = math.MaxInt64, math.MaxInt64, -2
		}, "units"},
		{"repeated refund ID", func(s *Spend) { s.Refunds = []string{"r1", "r1"} }, "repeated"},
		{"empty refund ID", func(s *Spend) { s.Refunds = []string{""} }, "repeated"},
		{"seq below the payment's effects", func(s *Spend) { s.Seq = 1 }, "seq"},
		{"seq past the refunds", func(s *Spend) { s.Seq = 3 }, "seq"},
		{"no version", func(s *Spend) { s.Version = "" }, "version"},
		{"bad version", func(s *Spend) { s.Version = "2023-7-23" }, "version"},
		{"instant not UTC", func(s *Spend) { s.PaidAt = s.PaidAt.In(shanghai) }, "UTC"},
		{"updated before paid", func(s *Spend) { s.Updated = s.PaidAt.Add(-time.Second) }, "before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newMachine(nil)
			s := paid(t, m)
			tt.break_(&s)
			before := s.Clone()
			err := s.Validate()
			if !errors.Is(err, ErrInvalid) || ruleOf(err) != "" || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("Validate: %v, want ErrInvalid with %q", err, tt.detail)
			}
			if _, err := DecodeSpend(must(json.Marshal(s))); !errors.Is(err, ErrInvalid) {
				t.Errorf("DecodeSpend: %v", err)
			}
			res, err := m.ApplyAt(s, refundB("r9", Shipped, false), paidAt)
			if !errors.Is(err, ErrInvalid) || len(res.Effects) != 0 {
				t.Errorf("ApplyAt: %v, effects %v", err, res.Effects)
			}
			if diff := cmp.Diff(before, res.State); diff != "" {
				t.Errorf("ApplyAt state (-before +after):\n%s", diff)
			}
			adv := m.AdvanceAt(s, paidAt)
			if diff := cmp.Diff(before, adv.State); diff != "" || len(adv.Effects) != 0 || len(adv.Decisions) != 1 {
				t.Errorf("AdvanceAt: decisions %v (-before +after):\n%s", adv.Decisions, diff)
			}
			if diff := cmp.Diff(before, s); diff != "" {
				t.Errorf("input changed (-before +after):\n%s", diff)
			}
		})
	}
	if err := (Spend{}).Validate(); err != nil {
		t.Errorf("zero Spend: %v", err)
	}
}

// A Ledger the package could not have produced is refused by ApplyAt,
// Allowance and Pay with ErrInvalid; AdvanceAt leaves it as it was.
func TestInvalidLedger(t *testing.T) {
	for _, l := range []Ledger{
		{Year: 2024, Used: -1},
		{Year: -1},
		{Year: 0, Used: 5},
		{Year: math.MaxInt, Used: 1},
		{Year: 2024, Used: 5},
		{Year: 2024, Used: 5, Uses: []LedgerUse{{ID: "a", Points: 3}, {ID: "a", Points: 2}}},
		{Year: 2024, Used: 0, Uses: []LedgerUse{{ID: "a", Points: 3, Back: 4}}, Releases: []string{"r"}},
		{Year: 2024, Used: 0, Uses: []LedgerUse{{ID: "a", Points: 3, Back: 3}}},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "a", Points: 3}}, Releases: []string{"r", "r"}},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "", Points: 3}}},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "a", Points: 3}}, Seq: 1},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "a", Points: 3}}, Updated: start},
		{Year: 2024, Used: 5, Uses: []LedgerUse{{ID: "b", Points: 3}, {ID: "a", Points: 2}}},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "a", Points: 3}}, Releases: []string{"s", "r"}},
		{Year: 2024, Used: 3, Uses: []LedgerUse{{ID: "a", Points: math.MaxInt64}, {ID: "b", Points: math.MaxInt64}}},
	} {
		if err := l.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v): %v", l, err)
		}
		lm := NewLedger(Options{Clock: newClock()})
		for _, e := range []Event{Use{ID: "o", Points: 1, UsedAt: start}, Release{ID: "r2", Use: "o", Points: 1, UsedAt: start}} {
			if res, err := lm.Apply(l, e); !errors.Is(err, ErrInvalid) || !cmp.Equal(res.State, l) {
				t.Errorf("Apply(%+v, %v): %+v, %v", l, e, res.State, err)
			}
		}
		// The queries check, in constant time, what they read: the year
		// and the running total.
		if ledgerHeader(l) != nil {
			if _, err := lm.Allowance(l); !errors.Is(err, ErrInvalid) {
				t.Errorf("Allowance(%+v): %v", l, err)
			}
			m, _ := newMachine(nil)
			if _, err := m.Pay(payOrder, Wallet{Beans: 100000, Points: 100000}, l, Choice{}); !errors.Is(err, ErrInvalid) {
				t.Errorf("Pay with ledger %+v: %v", l, err)
			}
		}
		res := lm.Advance(l)
		if !cmp.Equal(res.State, l) || !res.Next.IsZero() || len(res.Decisions) != 1 {
			t.Errorf("Advance(%+v): %+v", l, res)
		}
	}
	if err := ValidateLedger(held(2024, 14_000_001), 14_000_000); !errors.Is(err, ErrInvalid) {
		t.Errorf("above the cap: %v", err)
	}
}

// PTS-2: a done line settles its whole allocation, even one that is not
// a whole number of granules at the rate; a share never passes it.
func TestSettle(t *testing.T) {
	u := newUnit(1000) // granule of 10 points
	for _, alloc := range []int64{0, 7, 10, 1003} {
		if got := settle(alloc, u, lineShare{refunded: 3, paid: 3, done: true}, 0); got != alloc {
			t.Errorf("settle(%d, done) = %d", alloc, got)
		}
		if got := settle(alloc, u, lineShare{refunded: 0, paid: 0, done: true}, 0); got != alloc {
			t.Errorf("settle(%d, zero-paid done) = %d", alloc, got)
		}
		if got := settle(alloc, u, lineShare{refunded: 0, paid: 0}, 0); got != 0 {
			t.Errorf("settle(%d, zero-paid not done) = %d", alloc, got)
		}
		if got := settle(alloc, u, lineShare{refunded: 2, paid: 3}, alloc); got != 0 {
			t.Errorf("settle(%d, 2/3, all settled) = %d", alloc, got)
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
				if want := "points: " + name + `: Options.Policy is a set of policy "points", not loaded against points.Schema()`; msg != want {
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

// Long lists (a year of uses) are checked for repeated IDs too, in
// linear time: they are sorted.
func TestValidateLongLists(t *testing.T) {
	l := Ledger{Year: 2024}
	for i := range 40 {
		l.Uses = append(l.Uses, LedgerUse{ID: fmt.Sprintf("u%02d", i), Points: 1})
		l.Used++
	}
	if err := l.Validate(); err != nil {
		t.Fatalf("40 distinct uses: %v", err)
	}
	l.Uses[39].ID = "u03"
	if err := l.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"u03"`) {
		t.Errorf("a repeated use among 40: %v", err)
	}
	l.Uses[39].ID = ""
	if err := l.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("an empty use ID among 40: %v", err)
	}
}

// An order of more lines than are compared pairwise is checked through a
// set: a repeated line is found there too.
func TestValidateManyLines(t *testing.T) {
	o := Order{ID: "M", Payable: yuan("70")}
	for i := range 70 {
		o.Lines = append(o.Lines, Line{ID: fmt.Sprintf("L%d", i), Quantity: 1, Amount: yuan("1"), BeanCap: yuan("1")})
	}
	m, _ := newMachine(nil)
	res, err := m.PayAt(o, Wallet{Beans: 7000}, Ledger{}, Choice{Beans: 6900}, start)
	if err != nil {
		t.Fatal(err)
	}
	s := res.State.Clone()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Lines[69].Line = "L3"
	if err := s.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"L3" twice`) {
		t.Errorf("a repeated line among 70: %v", err)
	}
	s.Lines[69].Line = ""
	if err := s.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "no ID") {
		t.Errorf("a line without an ID among 70: %v", err)
	}
}
