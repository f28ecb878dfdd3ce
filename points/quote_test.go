package points_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
	"github.com/tradepolicy/tradepolicy/rules"
)

// QuoteAt is PayAt without the order's number: for any order, wallet and
// choice (valid or not) it refuses what PayAt refuses, with the same
// error, and otherwise returns the Spend PayAt records, with no number,
// no effect counted and the same decisions.
func TestQuoteIsPayWithoutNumber(t *testing.T) {
	m := points.New(points.Options{})
	rapid.Check(t, func(t *rapid.T) {
		o, w, bo := drawBeanOffer(t, m, 6)
		// Mostly a choice within the offers; sometimes one beyond them or
		// not in whole units, which both refuse.
		beans := rapid.Int64Range(0, bo.Max/bo.Step).Draw(t, "beans") * bo.Step
		pts := int64(0)
		if po, err := m.OfferPointsAt(o, w, points.Ledger{}, beans, fuzzStart); err == nil && po.Unit > 0 {
			pts = rapid.Int64Range(0, po.Max/po.Unit).Draw(t, "points") * po.Unit
		}
		switch rapid.IntRange(0, 5).Draw(t, "spoil") {
		case 0:
			beans += bo.Step
		case 1:
			beans++
		case 2:
			pts += 1_000_000
		}
		c := points.Choice{Beans: beans, Points: pts}
		paid, payErr := m.PayAt(o, w, points.Ledger{}, c, fuzzStart)
		quoteOrder := o
		quoteOrder.ID = ""
		s, ds, quoteErr := m.QuoteAt(quoteOrder, w, points.Ledger{}, c, fuzzStart)
		if (payErr == nil) != (quoteErr == nil) {
			t.Fatalf("PayAt: %v; QuoteAt: %v", payErr, quoteErr)
		}
		if payErr != nil {
			var pe, qe *rules.RuleError
			if errors.As(payErr, &pe) != errors.As(quoteErr, &qe) || payErr.Error() != quoteErr.Error() {
				t.Fatalf("PayAt: %v; QuoteAt: %v", payErr, quoteErr)
			}
			return
		}
		want := paid.State
		want.Order, want.Seq = "", 0
		if diff := cmp.Diff(want, s); diff != "" {
			t.Fatalf("QuoteAt's Spend differs from PayAt's (-pay +quote):\n%s", diff)
		}
		if diff := cmp.Diff(paid.Decisions, ds); diff != "" {
			t.Fatalf("decisions differ (-pay +quote):\n%s", diff)
		}
		if (c.Beans > 0 || c.Points > 0) && len(paid.Effects) == 0 {
			t.Fatal("PayAt debited nothing for a choice of beans or points")
		}
	})
}

// PayAt still wants the order's number.
func TestPayNeedsNumber(t *testing.T) {
	m := points.New(points.Options{})
	o := pointstest.Order(2).Example(1)
	o.ID = ""
	if _, err := m.PayAt(o, points.Wallet{}, points.Ledger{}, points.Choice{}, fuzzStart); !errors.Is(err, points.ErrInvalid) {
		t.Fatalf("PayAt without an order ID: %v, want ErrInvalid", err)
	}
	if _, _, err := m.QuoteAt(o, points.Wallet{}, points.Ledger{}, points.Choice{}, fuzzStart); err != nil {
		t.Fatalf("QuoteAt without an order ID: %v", err)
	}
}
