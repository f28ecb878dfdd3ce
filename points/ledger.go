package points

import (
	"fmt"
	"math"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Ledger is one customer's use of comprehensive points in one calendar
// year of the business time zone (PTS-3), kept as a running total so that
// the annual-cap check costs the same after ten uses or ten thousand.
//
// The zero value is an empty ledger: no use yet. A ledger whose Year has
// passed counts as empty; [LedgerMachine.Advance] (or the next
// [LedgerMachine.Apply]) rolls it to the current year.
//
// What counts: every use of valid points — points that were available,
// within their validity period, when spent — by cash deduction at
// checkout or by redemption, recorded with [Use]. Points that expire,
// are earned, or are frozen never count; the source's "valid points"
// note says only usable points are capped, and only usable points can be
// spent. A redemption outside this package is recorded with a Use too.
type Ledger struct {
	Customer string `json:"customer,omitempty"`
	// Year is the calendar year, in the business zone of the policy
	// version in force, that Used counts; 0 before the first use.
	Year int `json:"year,omitempty"`
	// Used is the points used in Year, net of those given back when
	// points_refund_restores holds.
	Used int64 `json:"used"`
}

// LedgerResult is what [LedgerMachine.Apply] and [LedgerMachine.Advance]
// return. A ledger has no effects: the host's only duty is to store State.
type LedgerResult struct {
	State     Ledger           `json:"state"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	// Next is the start of the next calendar year in the business zone,
	// when the ledger rolls over; zero for a ledger with no use yet.
	Next time.Time `json:"next,omitzero"`
}

// Allowance is a ledger's standing at an instant.
type Allowance struct {
	Year      int   `json:"year"`
	Used      int64 `json:"used"`
	Cap       int64 `json:"cap"`
	Remaining int64 `json:"remaining"`
}

// LedgerMachine runs customers' annual points ledgers (PTS-3). It is
// safe for concurrent use.
type LedgerMachine struct {
	set *rules.Set
	clk clock.Clock
}

// NewLedger returns a LedgerMachine; see [Options] for zero fields.
func NewLedger(o Options) *LedgerMachine { return &LedgerMachine{set: o.policy(), clk: o.clock()} }

// maxYear is the latest year a Ledger may be of.
const maxYear = 9999

// Validate returns nil if l is a Ledger this package could have produced,
// and otherwise an error wrapping [ErrInvalidState]: Used is never
// negative, Year is 0 to 9999, and a ledger of year 0 (no use yet) has
// used nothing.
func (l Ledger) Validate() error {
	if l.Used < 0 || l.Year < 0 || l.Year > maxYear || l.Year == 0 && l.Used != 0 {
		return fmt.Errorf("%w: ledger of customer %q: %d points used in year %d", ErrInvalidState, l.Customer, l.Used, l.Year)
	}
	return nil
}

// ledgerAt returns the version in force at t, the points l counts as used
// in t's year, and that year. A ledger of a later year than t's is
// refused with ErrClockBehind, and one that fails Validate with
// ErrInvalidState.
func ledgerAt(set *rules.Set, l Ledger, t time.Time) (*rules.Version, int64, int, error) {
	v := set.In(t)
	if err := l.Validate(); err != nil {
		return v, 0, 0, err
	}
	year := t.In(v.Zone()).Year()
	switch {
	case l.Year > year:
		return v, 0, year, rules.Refuse("PTS-3", ErrClockBehind, "ledger of %d, now %s", l.Year, t.In(v.Zone()).Format(time.RFC3339))
	case l.Year < year:
		return v, 0, year, nil
	}
	return v, l.Used, year, nil
}

// yearStart returns the first instant of year in loc.
func yearStart(year int, loc *time.Location) time.Time {
	return clock.StartOfDay(year, time.January, 1, loc)
}

// Allowance returns l's standing now: the year, the points used in it,
// the cap and what remains. It reads no history: constant time.
func (m *LedgerMachine) Allowance(l Ledger) (Allowance, error) {
	v, used, year, err := ledgerAt(m.set, l, now(m.clk))
	if err != nil {
		return Allowance{}, err
	}
	cp, err := nonNegative(v, keyAnnualCap)
	if err != nil {
		return Allowance{}, err
	}
	return Allowance{Year: year, Used: used, Cap: cp, Remaining: max(cp-used, 0)}, nil
}

// Allows returns nil if the customer may use n more points now, and
// otherwise a *rules.RuleError (PTS-3) wrapping [ErrAnnualCap].
func (m *LedgerMachine) Allows(l Ledger, n int64) error {
	a, err := m.Allowance(l)
	if err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("%w: %d points", ErrInvalid, n)
	}
	if n > a.Remaining {
		return rules.Refuse("PTS-3", ErrAnnualCap, "%d points, %d of %d used in %d, %d remaining", n, a.Used, a.Cap, a.Year, a.Remaining)
	}
	return nil
}

// Advance rolls the ledger into the current year if its year has ended
// (at the business zone's midnight, not UTC's). Calling it again at the
// same instant changes nothing. A ledger dated after now is returned
// unchanged. So is one that fails [Ledger.Validate], with a zero Next and
// one Decision, without a rule, whose Note says what is wrong (Advance
// has no error result).
func (m *LedgerMachine) Advance(l Ledger) LedgerResult {
	t := now(m.clk)
	v := m.set.In(t)
	res := LedgerResult{State: l}
	if err := l.Validate(); err != nil {
		res.Decisions = []rules.Decision{{Policy: v.Policy(), Note: "points.LedgerMachine.Advance: ledger left unchanged: " + err.Error()}}
		return res
	}
	res.State, res.Decisions = roll(v, l, t)
	res.Next = next(v, res.State)
	return res
}

func roll(v *rules.Version, l Ledger, t time.Time) (Ledger, []rules.Decision) {
	year := t.In(v.Zone()).Year()
	if l.Year == 0 || l.Year >= year {
		return l, nil
	}
	d := rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(), Note: fmt.Sprintf(
		"year %d closed at %s with %d points used; year %d starts empty",
		l.Year, yearStart(l.Year+1, v.Zone()).Format(time.RFC3339), l.Used, year)}
	return Ledger{Customer: l.Customer, Year: year}, []rules.Decision{d}
}

func next(v *rules.Version, l Ledger) time.Time {
	if l.Year == 0 {
		return time.Time{}
	}
	return yearStart(l.Year+1, v.Zone())
}

// Apply records a [Use] or a [Release] in the ledger at the current
// instant, first rolling it into the current year if its year has ended.
// A use counts in the year of its [Use.At]; one of a year that has ended
// (a payment before New Year recorded after it) is checked against what
// l still holds of that year and leaves the current year unchanged. A
// use that would pass the annual cap is refused with a *rules.RuleError
// (PTS-3) wrapping [ErrAnnualCap], and l is unchanged. Apply never
// modifies its input.
func (m *LedgerMachine) Apply(l Ledger, e Event) (LedgerResult, error) {
	t := now(m.clk)
	v, _, year, err := ledgerAt(m.set, l, t)
	if err != nil {
		return LedgerResult{State: l}, err
	}
	st, decs := roll(v, l, t)
	switch e := e.(type) {
	case Use:
		at := e.At
		if at.IsZero() {
			at = t
		}
		if e.Points <= 0 || at.After(t) {
			return LedgerResult{State: l}, fmt.Errorf("%w: use of %d points at %s", ErrInvalid, e.Points, at)
		}
		cp, d, err := explainInt(m.set.In(at), keyAnnualCap)
		if err != nil {
			return LedgerResult{State: l}, err
		}
		// The use counts in the year of its instant. Recorded after that
		// year has ended, it is checked against what the ledger still
		// holds of that year, and leaves the current year as it is.
		useYear, used := at.In(v.Zone()).Year(), st.Used
		if useYear != year {
			used = 0
			if l.Year == useYear {
				used = l.Used
			}
		}
		if e.Points > cp-used {
			return LedgerResult{State: l}, rules.Refuse("PTS-3", ErrAnnualCap,
				"order %s: %d points, %d of %d used in %d", e.Order, e.Points, used, cp, useYear)
		}
		note := fmt.Sprintf("order %s used %d points in %d, which has ended; %d is unchanged", e.Order, e.Points, useYear, year)
		if useYear == year {
			st.Year, st.Used = year, st.Used+e.Points
			note = fmt.Sprintf("order %s used %d points; %d of %d used in %d", e.Order, e.Points, st.Used, cp, year)
		}
		decs = append(decs, d, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(), Note: note})
	case Release:
		if e.Points <= 0 || e.UsedAt.IsZero() || e.UsedAt.After(t) {
			return LedgerResult{State: l}, fmt.Errorf("%w: release of %d points used at %s", ErrInvalid, e.Points, e.UsedAt)
		}
		restores, d, err := explain(m.set.In(e.UsedAt), keyRefundRestores)
		if err != nil {
			return LedgerResult{State: l}, err
		}
		useYear := e.UsedAt.In(v.Zone()).Year()
		var msg string
		switch {
		case !restores:
			msg = fmt.Sprintf("order %s: %d points given back still count as used in %d", e.Order, e.Points, useYear)
		case useYear != year:
			msg = fmt.Sprintf("order %s: %d points given back were used in %d, which has ended; %d is unchanged", e.Order, e.Points, useYear, year)
		case st.Year != year:
			msg = fmt.Sprintf("order %s: no use recorded in %d; nothing to restore", e.Order, year)
		default:
			back := min(e.Points, st.Used)
			st.Used -= back
			msg = fmt.Sprintf("order %s: %d points given back restore the allowance of %d; %d used", e.Order, back, year, st.Used)
		}
		decs = append(decs, d, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(), Note: msg})
	default:
		return LedgerResult{State: l}, fmt.Errorf("%w: a ledger takes Use and Release, not %T", ErrInvalid, e)
	}
	return LedgerResult{State: st, Decisions: decs, Next: next(v, st)}, nil
}

// explainInt is explain for a non-negative Int threshold.
func explainInt(v *rules.Version, k rules.Key[int64]) (int64, rules.Decision, error) {
	x, d, err := explain(v, k)
	if err == nil {
		err = outOfRange(v, k, x, 0, math.MaxInt64)
	}
	return x, d, err
}
