// Package pointstest supplies rapid generators of the inputs of package
// points, and checkers of its invariants, for hosts' property tests that
// use points as the reference model of their own checkout and refunds.
//
// The generators draw amounts in whole fen and stay well inside int64, so
// every generated value is a valid input; draw invalid inputs yourself.
package pointstest

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Line draws an order line named id: 1 to 5 units, an amount of 0 to
// ¥5,000, and a per-unit bean cap of 0 to ¥100 (zero a quarter of the
// time); about two lines in three accept points; the item ID is "",
// "tea" or "cup".
func Line(id string) *rapid.Generator[points.Line] {
	return rapid.Custom(func(t *rapid.T) points.Line {
		l := points.Line{
			ID:       id,
			Quantity: rapid.Int64Range(1, 5).Draw(t, "quantity"),
			Amount:   money.FromFen(rapid.Int64Range(0, 500000).Draw(t, "amount")),
			Points:   rapid.IntRange(0, 2).Draw(t, "points") > 0,
			Item:     rapid.SampledFrom([]string{"", "tea", "cup"}).Draw(t, "item"),
		}
		if rapid.IntRange(0, 3).Draw(t, "has_cap") > 0 {
			l.BeanCap = money.FromFen(rapid.Int64Range(0, 10000).Draw(t, "bean_cap"))
		}
		return l
	})
}

// Order draws an order of 1 to maxLines lines named L0, L1, … whose
// payable amount is the lines' sum plus or minus up to ¥20 (shipping, an
// order-level discount), never negative.
func Order(maxLines int) *rapid.Generator[points.Order] {
	return rapid.Custom(func(t *rapid.T) points.Order {
		n := rapid.IntRange(1, max(maxLines, 1)).Draw(t, "lines")
		o := points.Order{ID: "O1", Lines: make([]points.Line, n)}
		var sum int64
		for i := range o.Lines {
			o.Lines[i] = Line(fmt.Sprintf("L%d", i)).Draw(t, "line")
			f, _ := money.ToFen(o.Lines[i].Amount)
			sum += f
		}
		payable := max(sum+rapid.Int64Range(-2000, 2000).Draw(t, "adjust"), 0)
		o.Payable = money.FromFen(payable)
		return o
	})
}

// Wallet draws balances of 0 to 2,000,000 beans and 0 to 20,000,000 points.
func Wallet() *rapid.Generator[points.Wallet] {
	return rapid.Custom(func(t *rapid.T) points.Wallet {
		return points.Wallet{
			Beans:  rapid.Int64Range(0, 2_000_000).Draw(t, "beans"),
			Points: rapid.Int64Range(0, 20_000_000).Draw(t, "points"),
		}
	})
}

// Beans draws an amount for offer: a valid choice most of the time, and
// otherwise anything from 0 to twice the limits, to exercise refusals.
func Beans(offer points.BeanOffer) *rapid.Generator[int64] {
	return rapid.Custom(func(t *rapid.T) int64 {
		if rapid.IntRange(0, 3).Draw(t, "valid") > 0 && offer.Step > 0 && offer.Max >= 0 {
			return rapid.Int64Range(0, offer.Max/offer.Step).Draw(t, "steps") * offer.Step
		}
		return rapid.Int64Range(0, beyond(100, offer.PayableCap, offer.ItemCap, offer.Balance)).Draw(t, "beans")
	})
}

// Points draws an amount for offer, valid most of the time.
func Points(offer points.PointsOffer) *rapid.Generator[int64] {
	return rapid.Custom(func(t *rapid.T) int64 {
		if rapid.IntRange(0, 3).Draw(t, "valid") > 0 && offer.Unit > 0 && offer.Max >= 0 {
			return rapid.Int64Range(0, offer.Max/offer.Unit).Draw(t, "units") * offer.Unit
		}
		return rapid.Int64Range(0, beyond(10, offer.PayableCap, offer.Remaining)).Draw(t, "points")
	})
}

// beyond returns twice the largest of limits plus extra, at least extra
// and saturating below math.MaxInt64: the top of a range that reaches
// past every limit of an offer, whatever its balances.
func beyond(extra int64, limits ...int64) int64 {
	hi := max(slices.Max(limits), 0)
	if hi > (math.MaxInt64-extra)/2 {
		return math.MaxInt64
	}
	return 2*hi + extra
}

// PaidLines returns the money facts of s's lines before any refund, as
// a refund reports them: each line's paid money is its amount in o less
// the value of its beans and points, nothing refunded yet.
func PaidLines(o points.Order, s points.Spend) []points.RefundLine {
	out := make([]points.RefundLine, 0, len(s.Lines))
	for i, l := range s.Lines {
		paid := o.Lines[i].Amount.Sub(l.BeanValue).Sub(l.PointValue)
		out = append(out, points.RefundLine{Line: l.Line, Paid: paid, Refunded: decimal.Zero})
	}
	return out
}

// Refund draws a refund named id over the money facts lines (the lines'
// paid money and what was refunded so far, as [PaidLines] starts them):
// some lines get a larger cumulative refunded amount (whole fen, up to
// paid, done when it reaches paid; a zero-paid line is done when drawn),
// at a random stage, forced or not. Lines not drawn are left out.
func Refund(id string, lines []points.RefundLine) *rapid.Generator[points.Refund] {
	return rapid.Custom(func(t *rapid.T) points.Refund {
		r := points.Refund{
			ID:     id,
			Stage:  rapid.SampledFrom([]points.Stage{points.BeforeShipment, points.Shipped, points.Confirmed}).Draw(t, "stage"),
			Forced: rapid.Bool().Draw(t, "forced"),
		}
		for _, l := range lines {
			if l.Done || !rapid.Bool().Draw(t, "covered") {
				continue
			}
			paid, _ := money.ToFen(l.Paid)
			done, _ := money.ToFen(l.Refunded)
			var next int64
			switch rapid.IntRange(0, 3).Draw(t, "how") {
			case 0:
				next = paid // the rest
			default:
				next = rapid.Int64Range(done, paid).Draw(t, "refunded")
			}
			r.Lines = append(r.Lines, points.RefundLine{Line: l.Line, Refunded: money.FromFen(next), Paid: l.Paid,
				Done: next == paid})
		}
		return r
	})
}

// After returns lines updated with the facts r reports.
func After(lines []points.RefundLine, r points.Refund) []points.RefundLine {
	out := slices.Clone(lines)
	for _, rl := range r.Lines {
		for i := range out {
			if out[i].Line == rl.Line {
				out[i] = rl
			}
		}
	}
	return out
}

// Instant draws an instant within a day of a New Year's midnight in loc,
// biased to the seconds around it, so that tests cross the year boundary.
func Instant(year int, loc *time.Location) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		b := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
		if rapid.Bool().Draw(t, "near") {
			return b.Add(time.Duration(rapid.Int64Range(-2, 2).Draw(t, "s")) * time.Second)
		}
		return b.Add(time.Duration(rapid.Int64Range(-86400, 86400).Draw(t, "s")) * time.Second)
	})
}

// CheckBeanOffer reports a broken PTS-1 invariant of an offer for o and
// w under policy version v: Max a multiple of bean_step and of the step,
// Value = Max / beans_per_yuan, Value at most bean_payable_cap of the
// payable amount (and at most the payable amount), the items' caps (cap ×
// quantity, at most the line's amount) and the balance.
func CheckBeanOffer(v *rules.Version, o points.Order, w points.Wallet, off points.BeanOffer) error {
	step, err := v.Eval("bean_step")
	if err != nil {
		return err
	}
	perYuan, err := v.Eval("beans_per_yuan")
	if err != nil {
		return err
	}
	payCap, err := v.Eval("bean_payable_cap", o.Payable)
	if err != nil {
		return err
	}
	st, rate := step.(int64), perYuan.(int64)
	if off.Step <= 0 || off.Max < 0 || st <= 0 || off.Max%st != 0 || off.Max%off.Step != 0 {
		return fmt.Errorf("max %d not a multiple of bean_step %d and of the step %d", off.Max, st, off.Step)
	}
	if rate <= 0 || !off.Value.Equal(decimal.NewFromInt(off.Max).Div(decimal.NewFromInt(rate))) {
		return fmt.Errorf("value %s of %d beans at %d per yuan", off.Value, off.Max, rate)
	}
	if limit := decimal.Min(payCap.(decimal.Decimal), o.Payable); off.Value.GreaterThan(limit) {
		return fmt.Errorf("max %d beans = %s yuan, above bean_payable_cap %s of %s", off.Max, off.Value, payCap, o.Payable)
	}
	var caps decimal.Decimal
	for _, l := range o.Lines {
		c := l.BeanCap.Mul(decimal.NewFromInt(l.Quantity))
		caps = caps.Add(decimal.Min(c, l.Amount))
	}
	if off.Value.GreaterThan(caps) {
		return fmt.Errorf("max %s yuan above the items' caps %s", off.Value, caps)
	}
	if off.Max > w.Beans {
		return fmt.Errorf("max %d above the balance %d", off.Max, w.Beans)
	}
	return nil
}

// CheckSpend reports a Spend this package could not have produced. It is
// [points.Spend.Validate]: one definition of a valid stored Spend (a
// line never gives back more than it used, gives back or keeps all of it
// once done, lines sum to the totals in units and value, …).
func CheckSpend(s points.Spend) error { return s.Validate() }

// CheckLedger reports a Ledger this package could not have produced, or
// one above annualCap (PTS-3). It is [points.ValidateLedger].
func CheckLedger(l points.Ledger, annualCap int64) error { return points.ValidateLedger(l, annualCap) }

// CheckStep reports a broken invariant of one step of a Spend from before
// to res (an ApplyAt or AdvanceAt): the state is valid; the effects' IDs
// run from before.Seq+1 to res.State.Seq, one by one; each give-back
// effect gives back exactly what the lines' BeansBack and PointsBack grew
// by, in value too; nothing settled before is settled again (given-back
// and kept units never shrink); a line's given-back plus kept units stay
// within its allocation.
func CheckStep(before points.Spend, res points.Result) error {
	after := res.State
	if err := after.Validate(); err != nil {
		return err
	}
	id := before.Seq
	var beans, pts int64
	for _, e := range res.Effects {
		id++
		if e.ID != id {
			return fmt.Errorf("effect ID %d, want %d", e.ID, id)
		}
		switch a := e.Act.(type) {
		case points.GiveBackBeans:
			beans += a.Beans
			if err := sumLines(a.Beans, a.Value, a.Lines); err != nil {
				return fmt.Errorf("give_back_beans: %w", err)
			}
		case points.GiveBackPoints:
			pts += a.Points
			if err := sumLines(a.Points, a.Value, a.Lines); err != nil {
				return fmt.Errorf("give_back_points: %w", err)
			}
		default:
			return fmt.Errorf("effect %s after payment", e.Kind())
		}
	}
	if id != after.Seq {
		return fmt.Errorf("seq %d after effects up to %d", after.Seq, id)
	}
	if len(before.Lines) != len(after.Lines) {
		return fmt.Errorf("%d lines became %d", len(before.Lines), len(after.Lines))
	}
	var dBeans, dPts int64
	for i, a := range after.Lines {
		b := before.Lines[i]
		if a.Line != b.Line || a.Beans != b.Beans || a.Points != b.Points || !a.BeanValue.Equal(b.BeanValue) || !a.PointValue.Equal(b.PointValue) {
			return fmt.Errorf("line %s: allocation changed", a.Line)
		}
		if a.BeansBack < b.BeansBack || a.BeansKept < b.BeansKept || a.PointsBack < b.PointsBack || a.PointsKept < b.PointsKept || b.Done && !a.Done {
			return fmt.Errorf("line %s: settled units shrank", a.Line)
		}
		dBeans += a.BeansBack - b.BeansBack
		dPts += a.PointsBack - b.PointsBack
	}
	if dBeans != beans || dPts != pts {
		return fmt.Errorf("effects give back %d beans and %d points, the lines grew by %d and %d", beans, pts, dBeans, dPts)
	}
	return nil
}

func sumLines(total int64, value decimal.Decimal, lines []points.LineGiveBack) error {
	var n int64
	v := decimal.Zero
	for _, l := range lines {
		if l.Units <= 0 {
			return fmt.Errorf("line %s: %d units", l.Line, l.Units)
		}
		n += l.Units
		v = v.Add(l.Value)
	}
	if n != total || !v.Equal(value) {
		return fmt.Errorf("lines sum to %d worth %s, effect %d worth %s", n, v, total, value)
	}
	return nil
}
