package points

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Ledger is one customer's use of comprehensive points in one calendar
// year of the business time zone (PTS-3): the year's uses by ID and their
// running total, so that the annual-cap check ([LedgerMachine.Allows])
// costs the same after ten uses or ten thousand, and a use or a release
// redelivered with the same ID counts once.
//
// The zero value is an empty ledger: no use yet. A ledger whose Year has
// passed counts as empty; the next [LedgerMachine.ApplyAt] (or an
// AdvanceAt) rolls it to the current year. Nothing is due at New Year, so
// a ledger never asks to be woken.
//
// What counts: every use of valid points — points that were available,
// within their validity period, when spent — by cash deduction at
// checkout or by redemption, recorded with [Use]. Points that expire,
// are earned, or are frozen never count; the source's "valid points"
// note says only usable points are capped, and only usable points can be
// spent. A redemption outside this package is recorded with a Use too.
type Ledger struct {
	Customer string `json:"customer,omitempty"`
	// Year is the calendar year, in the business zone, that Used counts;
	// 0 before the first use.
	Year int `json:"year,omitempty"`
	// Used is the points used in Year, net of those given back when
	// points_refund_restores holds: the sum of Uses' Points less Back.
	Used int64 `json:"used"`
	// Uses are the uses recorded in Year, sorted by ID.
	Uses []LedgerUse `json:"uses,omitempty"`
	// Releases are the IDs of the releases recorded in Year, sorted.
	Releases []string `json:"releases,omitempty"`
	// Updated is the instant (UTC) of the last change; zero before the
	// first.
	Updated time.Time `json:"updated,omitzero"`
	// Seq is the ID of the last effect issued. A ledger issues no effects
	// (its host only stores it), so Seq is always 0; it is there so that
	// every state of the library has the same shape.
	Seq uint64 `json:"seq,omitempty"`
}

// LedgerUse is one use recorded in a [Ledger].
type LedgerUse struct {
	ID     string `json:"id"`
	Points int64  `json:"points"`
	// Back is the points of the use given back that restored the
	// allowance (points_refund_restores).
	Back int64 `json:"back,omitempty"`
}

// Clone returns a copy of l that shares no memory with it.
func (l Ledger) Clone() Ledger {
	l.Uses, l.Releases = slices.Clone(l.Uses), slices.Clone(l.Releases)
	return l
}

// Validate returns nil if l is a Ledger this package could have produced,
// and otherwise an error wrapping [ErrInvalid]: Year 0 to 9999, nothing
// used in year 0, Updated in UTC, use and release IDs non-empty, distinct
// and sorted, each use positive with 0 to its points back, Used the uses'
// net sum, no points back without a release, Seq 0. It is [ValidateLedger]
// with no cap: a ledger filled under an earlier, larger cap stays valid.
func (l Ledger) Validate() error { return validateLedger(l, math.MaxInt64) }

// ValidateLedger is [Ledger.Validate] that also requires Used to be at
// most annualCap; pointstest.CheckLedger is this function.
func ValidateLedger(l Ledger, annualCap int64) error { return validateLedger(l, annualCap) }

// DecodeLedger reads a stored Ledger strictly and validates it.
func DecodeLedger(data []byte) (Ledger, error) {
	var l Ledger
	if err := wire.Decode(data, &l); err != nil {
		return Ledger{}, invalid(err)
	}
	if err := l.Validate(); err != nil {
		return Ledger{}, err
	}
	return l, nil
}

// LedgerResult is what [LedgerMachine.ApplyAt] and
// [LedgerMachine.AdvanceAt] return. A ledger issues no effects (Effects is
// always empty) and has no deadline: Next is always zero, so a host never
// wakes a customer's ledger (the year's turn is applied lazily by the next
// call).
type LedgerResult struct {
	State     Ledger           `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// DecodeLedgerResult reads a LedgerResult strictly; it does not validate
// the state.
func DecodeLedgerResult(data []byte) (LedgerResult, error) {
	var r LedgerResult
	if err := wire.Decode(data, &r); err != nil {
		return LedgerResult{}, invalid(err)
	}
	return r, nil
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

// NewLedger returns a LedgerMachine; see [Options] for zero fields. It
// panics on a Policy not loaded against [Schema], as [New] does.
func NewLedger(o Options) *LedgerMachine {
	return &LedgerMachine{set: o.policy("NewLedger"), clk: o.clock()}
}

// ledgerAt returns the version in force at t, the points l counts as used
// in t's year, and that year. A ledger of a later year than t's, or
// updated after t, is refused with ErrClockBehind (PTS-3). A ledger that
// fails Validate (full) or, for the queries, whose year and running total
// are not valid (ledgerHeader, constant time) is an error wrapping
// ErrInvalid.
func ledgerAt(set *rules.Set, l Ledger, t time.Time, full bool) (*rules.Version, int64, int, error) {
	v := set.In(t)
	check := ledgerHeader
	if full {
		check = Ledger.Validate
	}
	if err := check(l); err != nil {
		return v, 0, 0, err
	}
	year := t.In(v.Zone()).Year()
	switch {
	case l.Year > year || t.Before(l.Updated):
		return v, 0, year, rules.Refuse("PTS-3", ErrClockBehind, "ledger of %d updated %s, now %s",
			l.Year, l.Updated.Format(time.RFC3339), t.Format(time.RFC3339))
	case l.Year < year:
		return v, 0, year, nil
	}
	return v, l.Used, year, nil
}

// Allowance is AllowanceAt at the clock's instant.
func (m *LedgerMachine) Allowance(l Ledger) (Allowance, error) { return m.AllowanceAt(l, now(m.clk)) }

// AllowanceAt returns l's standing at t: the year, the points used in
// it, the cap and what remains. It reads no history: constant time.
func (m *LedgerMachine) AllowanceAt(l Ledger, t time.Time) (Allowance, error) {
	v, used, year, err := ledgerAt(m.set, l, t.Round(0).UTC(), false)
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
		return errorf("%d points", n)
	}
	if n > a.Remaining {
		return rules.Refuse("PTS-3", ErrAnnualCap, "%d points, %d of %d used in %d, %d remaining", n, a.Used, a.Cap, a.Year, a.Remaining)
	}
	return nil
}

// Advance is AdvanceAt at the clock's instant.
func (m *LedgerMachine) Advance(l Ledger) LedgerResult { return m.AdvanceAt(l, now(m.clk)) }

// AdvanceAt rolls the ledger into t's year if its year has ended (at the
// business zone's midnight, not UTC's). Calling it again at the same
// instant changes nothing. A ledger dated after t is returned unchanged.
// So is one that fails [Ledger.Validate], with one Decision, without a
// rule, whose Note says what is wrong (AdvanceAt has no error result).
func (m *LedgerMachine) AdvanceAt(l Ledger, t time.Time) LedgerResult {
	t = t.Round(0).UTC()
	v := m.set.In(t)
	res := LedgerResult{State: l.Clone()}
	if _, _, _, err := ledgerAt(m.set, l, t, true); err != nil {
		if !isRule(err) {
			res.Decisions = []rules.Decision{{Policy: v.Policy(), Note: "points.LedgerMachine.AdvanceAt: ledger left unchanged: " + err.Error()}}
		}
		return res
	}
	res.State, res.Decisions = roll(v, res.State, t)
	return res
}

func isRule(err error) bool {
	_, ok := err.(*rules.RuleError)
	return ok
}

// roll returns l rolled into t's year: empty, if l's year has ended.
func roll(v *rules.Version, l Ledger, t time.Time) (Ledger, []rules.Decision) {
	year := t.In(v.Zone()).Year()
	if l.Year == 0 || l.Year >= year {
		return l, nil
	}
	d := rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(), Note: fmt.Sprintf(
		"year %d closed at %s with %d points used; year %d starts empty",
		l.Year, clock.StartOfDay(l.Year+1, time.January, 1, v.Zone()).UTC().Format(time.RFC3339), l.Used, year)}
	return Ledger{Customer: l.Customer, Year: year, Updated: t}, []rules.Decision{d}
}

// Apply is ApplyAt at the clock's instant.
func (m *LedgerMachine) Apply(l Ledger, e Event) (LedgerResult, error) {
	return m.ApplyAt(l, e, now(m.clk))
}

// ApplyAt records a [Use] or a [Release] in the ledger at t, first
// rolling it into t's year if its year has ended.
//
// A use counts in the calendar year of its [Use.UsedAt] and is judged by the
// cap of the policy version in force at that instant; one of a year that
// has ended (a payment before New Year recorded after it) is checked
// against what l still holds of that year and leaves the current year
// unchanged. A use that would pass the annual cap is refused with a
// *rules.RuleError (PTS-3) wrapping [ErrAnnualCap]. A use whose ID the
// year already holds is a redelivery: it changes nothing (and must carry
// the same points, else ErrInvalid).
//
// A release restores the allowance of its use's year when
// points_refund_restores holds (version in force at UsedAt), that year is
// t's year and the ledger holds the use; never more than the use's points
// still counted. A release whose ID the year holds changes nothing.
//
// Malformed events (no ID, non-positive points, a zero instant, an event
// that is not a Use or a Release) and an invalid l are errors wrapping
// [ErrInvalid]; an event dated after t is refused (PTS-3,
// [ErrClockBehind]). On any error Result.State is l rolled to
// t's year when that is due (or l itself), a state the host may store.
// ApplyAt never modifies l.
func (m *LedgerMachine) ApplyAt(l Ledger, e Event, t time.Time) (LedgerResult, error) {
	t = t.Round(0).UTC()
	v, _, year, err := ledgerAt(m.set, l, t, true)
	if err != nil {
		return LedgerResult{State: l.Clone()}, err
	}
	st, decs := roll(v, l.Clone(), t)
	res := LedgerResult{State: st, Decisions: decs}
	ev, _ := eventOf(e)
	switch ev := ev.(type) {
	case Use:
		if ev.ID == "" || ev.Points <= 0 || ev.UsedAt.IsZero() {
			return res, errorf("use %q of %d points at %s", ev.ID, ev.Points, ev.UsedAt.UTC().Format(time.RFC3339))
		}
		if ev.UsedAt.After(t) {
			return res, rules.Refuse("PTS-3", ErrClockBehind, "use %s at %s, now %s", ev.ID, ev.UsedAt.UTC().Format(time.RFC3339), t.Format(time.RFC3339))
		}
		at := ev.UsedAt.Round(0).UTC()
		useYear := at.In(v.Zone()).Year()
		pos, found := slices.BinarySearchFunc(st.Uses, ev.ID, byID)
		if useYear == year && found {
			if st.Uses[pos].Points != ev.Points {
				return res, errorf("use %q redelivered with %d points, recorded with %d", ev.ID, ev.Points, st.Uses[pos].Points)
			}
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(),
				Note: "use " + ev.ID + " already recorded; nothing changes"})
			return res, nil
		}
		cp, d, err := explainInt(m.set.In(at), keyAnnualCap)
		if err != nil {
			return res, err
		}
		used := st.Used
		if useYear != year {
			used = 0
			if l.Year == useYear {
				used = l.Used
			}
		}
		if ev.Points > cp-used {
			return res, rules.Refuse("PTS-3", ErrAnnualCap, "use %s: %d points, %d of %d used in %d", ev.ID, ev.Points, used, cp, useYear)
		}
		res.Decisions = append(res.Decisions, d)
		if useYear != year {
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(),
				Note: fmt.Sprintf("use %s of %d points counts in %d, which has ended; %d is unchanged", ev.ID, ev.Points, useYear, year)})
			return res, nil
		}
		st.Year, st.Used, st.Updated = year, st.Used+ev.Points, t
		st.Uses = slices.Insert(st.Uses, pos, LedgerUse{ID: ev.ID, Points: ev.Points})
	case Release:
		if ev.ID == "" || ev.Use == "" || ev.Points <= 0 || ev.UsedAt.IsZero() {
			return res, errorf("release %q of %d points of use %q used at %s", ev.ID, ev.Points, ev.Use, ev.UsedAt.UTC().Format(time.RFC3339))
		}
		if ev.UsedAt.After(t) {
			return res, rules.Refuse("PTS-3", ErrClockBehind, "release %s of points used at %s, now %s", ev.ID, ev.UsedAt.UTC().Format(time.RFC3339), t.Format(time.RFC3339))
		}
		usedAt := ev.UsedAt.Round(0).UTC()
		useYear := usedAt.In(v.Zone()).Year()
		rpos, rfound := slices.BinarySearch(st.Releases, ev.ID)
		if useYear == year && rfound {
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(),
				Note: "release " + ev.ID + " already recorded; nothing changes"})
			return res, nil
		}
		restores, d, err := explain(m.set.In(usedAt), keyRefundRestores)
		if err != nil {
			return res, err
		}
		res.Decisions = append(res.Decisions, d)
		if useYear != year {
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(),
				Note: fmt.Sprintf("release %s: the points were used in %d, which has ended; %d is unchanged", ev.ID, useYear, year)})
			return res, nil
		}
		st.Year, st.Updated = year, t
		st.Releases = slices.Insert(st.Releases, rpos, ev.ID)
		i, found := slices.BinarySearchFunc(st.Uses, ev.Use, byID)
		back := int64(0)
		if restores && found {
			back = min(ev.Points, st.Uses[i].Points-st.Uses[i].Back)
			st.Uses[i].Back += back
			st.Used -= back
		}
		res.Decisions = append(res.Decisions, rules.Decision{Rule: "PTS-3", Policy: v.Policy(), Version: v.Date(),
			Threshold: keyRefundRestores.Name(), Value: rules.FormatValue(restores),
			Note: fmt.Sprintf("release %s of use %s: %d of %d points restore the allowance of %d; %d used", ev.ID, ev.Use, back, ev.Points, year, st.Used)})
	default:
		return res, errorf("a ledger takes Use and Release, not %T", e)
	}
	res.State = st
	return res, nil
}

func byID(u LedgerUse, id string) int { return strings.Compare(u.ID, id) }

// explainInt is explain for a non-negative Int threshold.
func explainInt(v *rules.Version, k rules.Key[int64]) (int64, rules.Decision, error) {
	x, d, err := explain(v, k)
	if err == nil {
		err = outOfRange(v, k, x, 0, math.MaxInt64)
	}
	return x, d, err
}
