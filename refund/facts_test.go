package refund_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// TestFactsJudgeAsTheOrder runs random events and order facts and checks
// that the Facts entry points (ApplyFactsAt, AdvanceFactsAt,
// ValidateFacts) give byte for byte the results, and the errors, of the
// Order entry points for the same order.
// (Most runs settle some refund; TestFactsJudgeAsTheOrderOnSettlement
// compares one that does whatever the runs reach.)
func TestFactsJudgeAsTheOrder(t *testing.T) {
	m := refund.New(refund.Options{})
	settled := 0
	defer func() { t.Logf("%d refunds settled", settled) }()
	rapid.Check(t, func(t *rapid.T) {
		o := refundtest.Order(modelStart).Draw(t, "order")
		var s refund.State
		now := modelStart
		same := func(what string, a, b refund.Result, ea, eb error) {
			if fmt.Sprint(ea) != fmt.Sprint(eb) {
				t.Fatalf("%s: errors differ: %v / %v", what, ea, eb)
			}
			if x, y := mustJSON(t, a), mustJSON(t, b); !bytes.Equal(x, y) {
				t.Fatalf("%s: results differ:\n%s\n%s", what, x, y)
			}
		}
		for range rapid.IntRange(1, 30).Draw(t, "steps") {
			f := factsOf(o)
			if a, b := s.Validate(o), s.ValidateFacts(f); fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("Validate %v, ValidateFacts %v", a, b)
			}
			switch rapid.IntRange(0, 2).Draw(t, "kind") {
			case 0:
				now = now.Add(time.Duration(rapid.Int64Range(0, 20*24).Draw(t, "hours")) * time.Hour)
				a, b := m.AdvanceAt(o, s, now), m.AdvanceFactsAt(f, s, now)
				same("advance", a, b, nil, nil)
				s = a.State
			case 1:
				o = refundtest.Fulfil(o, now).Draw(t, "fulfil").Order
			default:
				gen := refundtest.Plausible(o, s)
				if rapid.IntRange(0, 3).Draw(t, "any") == 0 {
					gen = refundtest.AnyEvent(o, s)
				}
				e := gen.Draw(t, "event")
				a, ea := m.ApplyAt(o, s, e, now)
				b, eb := m.ApplyFactsAt(f, s, e, now)
				same(e.Name(), a, b, ea, eb)
				for _, ef := range a.Effects {
					if ef.Kind() == "refund_settled" {
						settled++
					}
				}
				s = a.State
			}
		}
	})
}

// TestFactsJudgeAsTheOrderOnSettlement compares the two entry points on
// a refund that settles: a refund-only request agreed on the first line
// of an order, then the merchant's agreement.
func TestFactsJudgeAsTheOrderOnSettlement(t *testing.T) {
	m := refund.New(refund.Options{})
	for seed := range 20 {
		o := refundtest.Order(modelStart).Example(seed)
		f := factsOf(o)
		var a, b refund.State
		settled := false
		for i, e := range []refund.Event{
			refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: o.Lines[0].ID}}},
			refund.MerchantAgree{Request: 1},
		} {
			at := modelStart.Add(time.Duration(i) * time.Hour)
			ra, ea := m.ApplyAt(o, a, e, at)
			rb, eb := m.ApplyFactsAt(f, b, e, at)
			if fmt.Sprint(ea) != fmt.Sprint(eb) {
				t.Fatalf("order %d, %s: errors differ: %v / %v", seed, e.Name(), ea, eb)
			}
			if x, y := mustJSON(t, ra), mustJSON(t, rb); !bytes.Equal(x, y) {
				t.Fatalf("order %d, %s: results differ:\n%s\n%s", seed, e.Name(), x, y)
			}
			for _, ef := range ra.Effects {
				settled = settled || ef.Kind() == "refund_settled"
			}
			a, b = ra.State, rb.State
		}
		if !settled {
			t.Errorf("order %d: the request settled nothing", seed)
		}
	}
}

// TestFactsInvalid checks that facts an Order could not have are refused
// like the Order's faults.
func TestFactsInvalid(t *testing.T) {
	f := factsOf(refundtest.Order(modelStart).Example(1))
	for name, change := range map[string]func(*refund.Facts){
		"negative amount": func(f *refund.Facts) { f.Lines[0].Amount = -1 },
		"over paid":       func(f *refund.Facts) { f.Lines[0].Discount = f.Lines[0].Amount + 1 },
		"no lines":        func(f *refund.Facts) { f.Lines = nil },
		"fee and free":    func(f *refund.Facts) { f.ShippingFee, f.FreeShipping = 1, true },
		"huge fee":        func(f *refund.Facts) { f.ShippingFee = 1 << 60 },
	} {
		g := f
		g.Lines = append([]refund.FactLine(nil), f.Lines...)
		change(&g)
		if err := (refund.State{}).ValidateFacts(g); err == nil {
			t.Errorf("%s: ValidateFacts accepted %+v", name, g)
		}
		if _, err := m().ApplyFactsAt(g, refund.State{}, refund.Withdraw{Request: 1}, modelStart); err == nil {
			t.Errorf("%s: ApplyFactsAt accepted it", name)
		}
	}
}

// factsOf is o in fen, converted here on its own.
func factsOf(o refund.Order) refund.Facts {
	fen := func(d decimal.Decimal) int64 { return d.Shift(2).IntPart() }
	f := refund.Facts{Mode: o.Mode, Payment: o.Payment, ShippingFee: fen(o.ShippingFee),
		FreeShipping: o.FreeShipping, ConfirmedAt: o.ConfirmedAt}
	for _, l := range o.Lines {
		f.Lines = append(f.Lines, refund.FactLine{ID: l.ID, Amount: fen(l.Amount), Discount: fen(l.Discount),
			BeanValue: fen(l.BeanValue), PointValue: fen(l.PointValue), ShippedAt: l.ShippedAt, SignedAt: l.SignedAt,
			NoReason: l.NoReason, CustomMade: l.CustomMade, Excluded: l.Excluded, Prohibited: l.Prohibited})
	}
	return f
}

func m() *refund.Machine { return refund.New(refund.Options{}) }
