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
)

// Line draws an order line named id: 1 to 5 units, an amount of 0 to
// ¥5,000, and a per-unit bean cap of 0 to ¥100 (zero a quarter of the
// time); about two lines in three accept points.
func Line(id string) *rapid.Generator[points.Line] {
	return rapid.Custom(func(t *rapid.T) points.Line {
		l := points.Line{
			ID:       id,
			Quantity: rapid.Int64Range(1, 5).Draw(t, "quantity"),
			Amount:   money.FromFen(rapid.Int64Range(0, 500000).Draw(t, "amount")),
			Points:   rapid.IntRange(0, 2).Draw(t, "points") > 0,
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

// Refund draws a refund named id of some of the units s has not refunded
// yet (possibly none), at a random stage, approved by the merchant or by
// the back office.
func Refund(s points.Spend, id string) *rapid.Generator[points.Refund] {
	return rapid.Custom(func(t *rapid.T) points.Refund {
		r := points.Refund{
			ID:       id,
			Stage:    rapid.SampledFrom([]points.Stage{points.BeforeShipment, points.Shipped, points.Received}).Draw(t, "stage"),
			Approver: rapid.SampledFrom([]points.Approver{points.Merchant, points.BackOffice}).Draw(t, "approver"),
		}
		for _, l := range s.Lines {
			if left := l.Quantity - l.Refunded; left > 0 {
				if q := rapid.Int64Range(0, left).Draw(t, "quantity"); q > 0 {
					r.Lines = append(r.Lines, points.RefundLine{Line: l.Line, Quantity: q})
				}
			}
		}
		return r
	})
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
// w: Max a multiple of 100 beans (of the step), Max at most 99% of the
// payable amount, the items' caps and the balance, and Value = Max/100.
// It assumes the default policy.
func CheckBeanOffer(o points.Order, w points.Wallet, off points.BeanOffer) error {
	if off.Step <= 0 || off.Max < 0 || off.Max%100 != 0 || off.Max%off.Step != 0 {
		return fmt.Errorf("max %d not a multiple of 100 and of the step %d", off.Max, off.Step)
	}
	ninetyNine := o.Payable.Mul(decimal.RequireFromString("0.99"))
	if off.Value.GreaterThan(ninetyNine) {
		return fmt.Errorf("max %d beans = %s yuan, above 99%% of %s", off.Max, off.Value, o.Payable)
	}
	if !off.Value.Equal(decimal.New(off.Max, -2)) {
		return fmt.Errorf("value %s of %d beans", off.Value, off.Max)
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

// CheckSpend reports a broken PTS-2 invariant of s: a line never gives
// back more than it was allocated, gives back all of it once every unit
// is refunded, and the lines sum to the order's totals.
func CheckSpend(s points.Spend) error {
	var b, p int64
	for _, l := range s.Lines {
		if l.BeansBack < 0 || l.BeansBack > l.Beans || l.PointsBack < 0 || l.PointsBack > l.Points {
			return fmt.Errorf("line %s gave back %d/%d beans, %d/%d points", l.Line, l.BeansBack, l.Beans, l.PointsBack, l.Points)
		}
		if l.Refunded == l.Quantity && (l.BeansBack != l.Beans || l.PointsBack != l.Points) {
			return fmt.Errorf("line %s fully refunded but gave back %d/%d beans, %d/%d points", l.Line, l.BeansBack, l.Beans, l.PointsBack, l.Points)
		}
		b += l.Beans
		p += l.Points
	}
	if b != s.Beans || p != s.Points {
		return fmt.Errorf("lines hold %d beans and %d points, the order %d and %d", b, p, s.Beans, s.Points)
	}
	return nil
}

// CheckLedger reports a ledger above the annual cap (PTS-3).
func CheckLedger(l points.Ledger, annualCap int64) error {
	if l.Used < 0 || l.Used > annualCap {
		return fmt.Errorf("ledger of %d used %d, cap %d", l.Year, l.Used, annualCap)
	}
	return nil
}
