package points_test

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
)

var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// referenceSpend restates every invariant of a stored Spend the simple
// way (big integers, decimals, no shortcuts), independently of the
// package's validateSpend, so that the property below can fail.
func referenceSpend(s points.Spend) error {
	bi := func(n int64) *big.Int { return big.NewInt(n) }
	fen := func(d decimal.Decimal) *big.Int { return d.Shift(2).BigInt() }
	switch {
	case s.PaidAt.Location() != time.UTC || s.Updated.Location() != time.UTC:
		return errors.New("not UTC")
	case s.Updated.Before(s.PaidAt):
		return errors.New("updated before paid")
	case s.Version != "" && !dateRE.MatchString(s.Version):
		return errors.New("version")
	case len(s.Lines) > 0 && (s.Version == "" || s.PaidAt.IsZero() || s.Order == ""):
		return errors.New("lines without order, payment or version")
	case !money.Valid(s.BeanValue) || !money.Valid(s.PointValue):
		return errors.New("total value")
	case s.Beans < 0 || s.Points < 0 || (s.Beans == 0) != s.BeanValue.IsZero() || (s.Points == 0) != s.PointValue.IsZero():
		return errors.New("totals")
	}
	sumB, sumP, sumBV, sumPV := bi(0), bi(0), bi(0), bi(0)
	var backB, backP int64
	settled := false
	for i, l := range s.Lines {
		if l.Line == "" || slices.ContainsFunc(s.Lines[:i], func(o points.SpendLine) bool { return o.Line == l.Line }) {
			return errors.New("line ID")
		}
		if !money.Valid(l.BeanValue) || !money.Valid(l.PointValue) {
			return errors.New("line value")
		}
		if l.Beans < 0 || l.Points < 0 || (l.Beans == 0) != l.BeanValue.IsZero() || (l.Points == 0) != l.PointValue.IsZero() {
			return errors.New("line units")
		}
		if new(big.Int).Mul(fen(l.BeanValue), bi(s.Beans)).Cmp(new(big.Int).Mul(fen(s.BeanValue), bi(l.Beans))) != 0 ||
			new(big.Int).Mul(fen(l.PointValue), bi(s.Points)).Cmp(new(big.Int).Mul(fen(s.PointValue), bi(l.Points))) != 0 {
			return errors.New("rate")
		}
		for _, c := range [][3]int64{{l.Beans, l.BeansBack, l.BeansKept}, {l.Points, l.PointsBack, l.PointsKept}} {
			total := new(big.Int).Add(bi(c[1]), bi(c[2]))
			if c[1] < 0 || c[2] < 0 || total.Cmp(bi(c[0])) > 0 || l.Done && total.Cmp(bi(c[0])) != 0 {
				return errors.New("settled")
			}
		}
		sumB.Add(sumB, bi(l.Beans))
		sumP.Add(sumP, bi(l.Points))
		sumBV.Add(sumBV, fen(l.BeanValue))
		sumPV.Add(sumPV, fen(l.PointValue))
		backB += l.BeansBack
		backP += l.PointsBack
		settled = settled || l.Done || l.BeansBack != 0 || l.BeansKept != 0 || l.PointsBack != 0 || l.PointsKept != 0
	}
	if sumB.Cmp(bi(s.Beans)) != 0 || sumP.Cmp(bi(s.Points)) != 0 || sumBV.Cmp(fen(s.BeanValue)) != 0 || sumPV.Cmp(fen(s.PointValue)) != 0 {
		return errors.New("sums")
	}
	for i, id := range s.Refunds {
		if id == "" || slices.Contains(s.Refunds[:i], id) {
			return errors.New("refund IDs")
		}
	}
	if settled && len(s.Refunds) == 0 {
		return errors.New("settled without refund")
	}
	n := func(b bool) uint64 {
		if b {
			return 1
		}
		return 0
	}
	lo := n(s.Beans > 0) + n(s.Points > 0)
	hi := lo + 2*uint64(len(s.Refunds))
	lo += n(backB > 0) + n(backP > 0)
	if s.Seq < lo || s.Seq > hi {
		return errors.New("seq")
	}
	return nil
}

// corrupt changes one field of s at random.
func corrupt(t *rapid.T, s *points.Spend) string {
	small := rapid.SampledFrom([]int64{-1, 0, 1, 2, 100, 1 << 62})
	dec := rapid.SampledFrom([]string{"0", "0.01", "-0.01", "0.001", "1", "1e30"})
	if len(s.Lines) > 0 && rapid.IntRange(0, 2).Draw(t, "on line") > 0 {
		i := rapid.IntRange(0, len(s.Lines)-1).Draw(t, "line")
		l := &s.Lines[i]
		switch f := rapid.IntRange(0, 11).Draw(t, "line field"); f {
		case 0:
			l.Beans += small.Draw(t, "d")
		case 1:
			l.Points += small.Draw(t, "d")
		case 2:
			l.BeanValue = l.BeanValue.Add(decimal.RequireFromString(dec.Draw(t, "d")))
		case 3:
			l.PointValue = decimal.RequireFromString(dec.Draw(t, "d"))
		case 4:
			l.BeansBack += small.Draw(t, "d")
		case 5:
			l.BeansKept += small.Draw(t, "d")
		case 6:
			l.PointsBack += small.Draw(t, "d")
		case 7:
			l.PointsKept += small.Draw(t, "d")
		case 8:
			l.Done = !l.Done
		case 9:
			l.Line = ""
		case 10:
			l.Line = s.Lines[0].Line
		default:
			l.BeansBack = l.Beans - l.BeansKept
		}
		return "line"
	}
	switch f := rapid.IntRange(0, 11).Draw(t, "field"); f {
	case 0:
		s.Beans += small.Draw(t, "d")
	case 1:
		s.Points += small.Draw(t, "d")
	case 2:
		s.BeanValue = s.BeanValue.Add(decimal.RequireFromString(dec.Draw(t, "d")))
	case 3:
		s.Seq += uint64(rapid.IntRange(1, 3).Draw(t, "d"))
	case 4:
		s.Seq -= uint64(rapid.IntRange(1, 3).Draw(t, "d"))
	case 5:
		s.Refunds = nil
	case 6:
		s.Refunds = append(s.Refunds, rapid.SampledFrom(append([]string{"", "new"}, s.Refunds...)).Draw(t, "id"))
	case 7:
		s.Version = rapid.SampledFrom([]string{"", "2023-7-23", "2024-01-01"}).Draw(t, "v")
	case 8:
		s.PaidAt = s.PaidAt.In(shanghai)
	case 9:
		s.Updated = s.Updated.Add(time.Duration(rapid.Int64Range(-3600, 3600).Draw(t, "s")) * time.Second)
	case 10:
		s.Order = ""
	default:
		s.Lines = s.Lines[:len(s.Lines)/2]
	}
	return "spend"
}

// Stored states: Spend.Validate, pointstest.CheckSpend and an independent
// restatement of the invariants agree on every corrupted spend, and
// corruptions are rejected (so the property is not vacuous).
func TestCorruptedSpends(t *testing.T) {
	m := points.New(points.Options{})
	var rejected, accepted int
	rapid.Check(t, func(t *rapid.T) {
		o, pay := paidSpend(t, m)
		s, lines := pay.State, pointstest.PaidLines(o, pay.State)
		for i := range rapid.IntRange(0, 3).Draw(t, "refunds") {
			r := pointstest.Refund(fmt.Sprintf("r%d", i), lines).Draw(t, "refund")
			res, err := m.ApplyAt(s, r, fuzzStart)
			if err != nil {
				t.Fatal(err)
			}
			s, lines = res.State, pointstest.After(lines, r)
		}
		if err := referenceSpend(s); err != nil {
			t.Fatalf("the package's own spend fails the reference: %v", err)
		}
		bad := s.Clone()
		for range rapid.IntRange(1, 3).Draw(t, "corruptions") {
			corrupt(t, &bad)
		}
		ref, got, chk := referenceSpend(bad), bad.Validate(), pointstest.CheckSpend(bad)
		if (ref == nil) != (got == nil) || (got == nil) != (chk == nil) {
			t.Fatalf("reference %v, Validate %v, CheckSpend %v on %+v", ref, got, chk, bad)
		}
		if got != nil {
			rejected++
			if !errors.Is(got, points.ErrInvalid) {
				t.Fatalf("Validate error %v does not wrap ErrInvalid", got)
			}
		} else {
			accepted++
		}
	})
	if rejected == 0 {
		t.Errorf("no corruption rejected (%d accepted)", accepted)
	}
	t.Logf("corrupted spends: %d rejected, %d still valid; Validate, CheckSpend and the reference agreed on all", rejected, accepted)
}
