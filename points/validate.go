package points

import (
	"fmt"
	"math"
	"math/bits"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// errorf returns an error wrapping ErrInvalid.
func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// utc reports whether t is a UTC instant (the zero instant is).
func utc(t time.Time) bool { return t.Location() == time.UTC }

// isDate reports whether s has the form YYYY-MM-DD.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// distinct reports whether n keys, key(0) … key(n-1), are non-empty and
// distinct, and otherwise the first offending index. Short lists are
// compared pairwise without allocating; long ones (a ledger's year of
// uses) through a set, so that validation stays linear.
func distinct(n int, key func(int) string) (int, bool) {
	const pairwise = 64
	if n <= pairwise {
		for i := range n {
			k := key(i)
			if k == "" {
				return i, false
			}
			for j := range i {
				if key(j) == k {
					return i, false
				}
			}
		}
		return 0, true
	}
	seen := make(map[string]struct{}, n)
	for i := range n {
		k := key(i)
		if _, dup := seen[k]; dup || k == "" {
			return i, false
		}
		seen[k] = struct{}{}
	}
	return 0, true
}

// increasing reports whether n keys are non-empty and strictly
// increasing (so distinct), and otherwise the first offending index.
func increasing(n int, key func(int) string) (int, bool) {
	for i := range n {
		if k := key(i); k == "" || i > 0 && k <= key(i-1) {
			return i, false
		}
	}
	return 0, true
}

// ledgerHeader checks what the ledger's queries read (its year and its
// running total), in constant time.
func ledgerHeader(l Ledger) error {
	if l.Year < 0 || l.Year > maxYear || l.Used < 0 || l.Year == 0 && l.Used != 0 || !utc(l.Updated) {
		return fmt.Errorf("%w: ledger of customer %q: %d points used in year %d", ErrInvalid, l.Customer, l.Used, l.Year)
	}
	return nil
}

// validateSpend is the one definition of a valid Spend: Spend.Validate
// and pointstest.CheckSpend both call it.
func validateSpend(s Spend) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: spend of order %q: %s", ErrInvalid, s.Order, fmt.Sprintf(format, args...))
	}
	switch {
	case !utc(s.PaidAt) || !utc(s.Updated):
		return bad("instants not in UTC")
	case s.Updated.Before(s.PaidAt):
		return bad("updated %s before paid %s", s.Updated.Format(time.RFC3339), s.PaidAt.Format(time.RFC3339))
	case s.Version != "" && !isDate(s.Version):
		return bad("version %q is not a date", s.Version)
	case len(s.Lines) > 0 && (s.Version == "" || s.PaidAt.IsZero() || s.Order == ""):
		return bad("lines without an order ID, a payment instant or a policy version")
	}
	bv, err := money.Amount(s.BeanValue)
	if err != nil {
		return bad("bean value: %v", err)
	}
	pv, err := money.Amount(s.PointValue)
	if err != nil {
		return bad("point value: %v", err)
	}
	if err := units("", s.Beans, bv, s.Beans, bv); err != nil {
		return bad("beans: %v", err)
	}
	if err := units("", s.Points, pv, s.Points, pv); err != nil {
		return bad("points: %v", err)
	}
	var b, p, bf, pf, bBack, pBack int64
	settled := false
	if i, ok := distinct(len(s.Lines), func(i int) string { return s.Lines[i].Line }); !ok {
		if s.Lines[i].Line == "" {
			return bad("line %d has no ID", i)
		}
		return bad("line %q twice", s.Lines[i].Line)
	}
	for _, l := range s.Lines {
		lb, err := money.Amount(l.BeanValue)
		if err != nil {
			return bad("line %q bean value: %v", l.Line, err)
		}
		lp, err := money.Amount(l.PointValue)
		if err != nil {
			return bad("line %q point value: %v", l.Line, err)
		}
		if err := units(l.Line, l.Beans, lb, s.Beans, bv); err != nil {
			return bad("beans: %v", err)
		}
		if err := units(l.Line, l.Points, lp, s.Points, pv); err != nil {
			return bad("points: %v", err)
		}
		if err := settledOf(l.Done, l.Beans, l.BeansBack, l.BeansKept); err != nil {
			return bad("line %q beans: %v", l.Line, err)
		}
		if err := settledOf(l.Done, l.Points, l.PointsBack, l.PointsKept); err != nil {
			return bad("line %q points: %v", l.Line, err)
		}
		if l.Beans > math.MaxInt64-b || l.Points > math.MaxInt64-p || lb > money.MaxFen-bf || lp > money.MaxFen-pf {
			return bad("the lines' beans or points overflow")
		}
		b, p, bf, pf = b+l.Beans, p+l.Points, bf+lb, pf+lp
		bBack, pBack = bBack+l.BeansBack, pBack+l.PointsBack
		settled = settled || l.Done || l.BeansBack|l.BeansKept|l.PointsBack|l.PointsKept != 0
	}
	if b != s.Beans || p != s.Points || bf != bv || pf != pv {
		return bad("lines hold %d beans and %d points, the order %d and %d (or their values differ)", b, p, s.Beans, s.Points)
	}
	if i, ok := distinct(len(s.Refunds), func(i int) string { return s.Refunds[i] }); !ok {
		return bad("refund ID %q empty or repeated", s.Refunds[i])
	}
	if settled && len(s.Refunds) == 0 {
		return bad("lines settled without a refund")
	}
	lo := count(s.Beans > 0) + count(s.Points > 0)
	hi := lo + 2*uint64(len(s.Refunds))
	lo += count(bBack > 0) + count(pBack > 0)
	if s.Seq < lo || s.Seq > hi {
		return bad("seq %d, want %d to %d", s.Seq, lo, hi)
	}
	return nil
}

func count(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// units checks n units worth fen fen against the Spend's total of tn
// units worth tf fen: non-negative, zero together, and at the same rate
// (n × tf = tf' × tn, exact in 128 bits).
func units(line string, n, fen, tn, tf int64) error {
	switch {
	case n < 0:
		return fmt.Errorf("line %q: %d units", line, n)
	case (n == 0) != (fen == 0):
		return fmt.Errorf("line %q: %d units worth %d fen", line, n, fen)
	}
	h1, l1 := bits.Mul64(uint64(fen), uint64(tn))
	h2, l2 := bits.Mul64(uint64(tf), uint64(n))
	if h1 != h2 || l1 != l2 {
		return fmt.Errorf("line %q: %d units worth %d fen, not at the rate of %d worth %d", line, n, fen, tn, tf)
	}
	return nil
}

// settledOf checks a line's given-back and kept units against its
// allocation.
func settledOf(done bool, alloc, back, kept int64) error {
	switch {
	case back < 0 || kept < 0 || back > alloc || kept > alloc-back:
		return fmt.Errorf("%d back and %d kept of %d", back, kept, alloc)
	case done && back+kept != alloc:
		return fmt.Errorf("done with %d back and %d kept of %d", back, kept, alloc)
	}
	return nil
}

// maxYear is the latest year a Ledger may be of.
const maxYear = 9999

// validateLedger is the one definition of a valid Ledger: Ledger.Validate
// calls it with no cap and pointstest.CheckLedger with the annual cap.
func validateLedger(l Ledger, annualCap int64) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: ledger of customer %q: %s", ErrInvalid, l.Customer, fmt.Sprintf(format, args...))
	}
	switch {
	case l.Year < 0 || l.Year > maxYear:
		return bad("year %d", l.Year)
	case l.Used < 0 || l.Used > annualCap:
		return bad("%d points used in %d, cap %d", l.Used, l.Year, annualCap)
	case l.Year == 0 && (l.Used != 0 || len(l.Uses) != 0 || len(l.Releases) != 0):
		return bad("uses without a year")
	case !utc(l.Updated):
		return bad("updated not in UTC")
	case l.Seq != 0:
		return bad("seq %d: a ledger issues no effects", l.Seq)
	}
	if i, ok := increasing(len(l.Uses), func(i int) string { return l.Uses[i].ID }); !ok {
		return bad("use ID %q empty, repeated or out of order", l.Uses[i].ID)
	}
	var net int64
	restored := false
	for _, u := range l.Uses {
		switch {
		case u.Points <= 0 || u.Back < 0 || u.Back > u.Points:
			return bad("use %q: %d points, %d back", u.ID, u.Points, u.Back)
		case u.Points-u.Back > math.MaxInt64-net:
			return bad("uses overflow")
		}
		net += u.Points - u.Back
		restored = restored || u.Back > 0
	}
	if net != l.Used {
		return bad("uses net %d points, used %d", net, l.Used)
	}
	if i, ok := increasing(len(l.Releases), func(i int) string { return l.Releases[i] }); !ok {
		return bad("release ID %q empty, repeated or out of order", l.Releases[i])
	}
	if restored && len(l.Releases) == 0 {
		return bad("points restored without a release")
	}
	return nil
}
