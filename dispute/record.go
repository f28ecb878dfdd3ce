package dispute

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// MaxCited is the most complaints a [Record] keeps to cite, and so the
// most a [Penalty] cites: the most recent valid complaints within the
// record window.
const MaxCited = 32

// Ref names one valid complaint: its trade, its ID within the trade, its
// type and when it was judged.
type Ref struct {
	Trade     string    `json:"trade,omitempty"`
	Complaint int       `json:"complaint"`
	Type      string    `json:"complaint_type"`
	At        time.Time `json:"at"`
}

// TypeCount is a number of valid complaints of one type.
type TypeCount struct {
	Type  string `json:"complaint_type"`
	Count int64  `json:"count"`
}

// DayCount is the number of valid complaints of one type judged on one
// calendar day of the business zone. Day numbers the date: days since
// 1970-01-01.
type DayCount struct {
	Day   int64  `json:"day"`
	Type  string `json:"complaint_type"`
	Count int64  `json:"count"`
}

// Record is a merchant's record of valid complaints (DSP-10): counts per
// calendar day and type within record_window, their running totals, and
// the most recent complaints to cite. It is a small value: it holds at
// most one Day per day of the window and [MaxCited] refs, however long
// the merchant's history, so adding a complaint and evaluating the
// severity policy cost the same after 10 complaints or 10,000. The zero
// Record is a merchant with no valid complaint, and valid.
type Record struct {
	Merchant string      `json:"merchant,omitempty"`
	Days     []DayCount  `json:"days,omitempty"`   // by day, then type: the buckets within the window
	Totals   []TypeCount `json:"totals,omitempty"` // by type, sorted: the sums of Days
	Recent   []Ref       `json:"recent,omitempty"` // by instant, at most MaxCited
	// Warranted is the penalties the last evaluation warranted, least
	// severe first.
	Warranted []Level   `json:"warranted,omitempty"`
	Seq       uint64    `json:"seq"` // the ID of the last effect issued
	At        time.Time `json:"at,omitzero"`
}

// PenaltyLifted says a penalty the record warranted no longer is: the
// complaints that caused it left the record window (DSP-10).
type PenaltyLifted struct {
	Merchant string `json:"merchant"`
	Level    Level  `json:"level"`
	Total    int64  `json:"total"`
	Version  string `json:"version"`
}

// Kind returns "dispute_penalty_lifted".
func (PenaltyLifted) Kind() string { return "dispute_penalty_lifted" }
func (PenaltyLifted) act()         {}

// RecordResult is the outcome of [Machine.RecordAt] or
// [Machine.EvaluateAt]: the new record, the [Penalty] and
// [PenaltyLifted] effects, and the decisions.
type RecordResult struct {
	Record    Record           `json:"record"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
}

// DecodeRecord decodes a stored Record strictly and validates it; errors
// wrap [ErrInvalid].
func DecodeRecord(data []byte) (Record, error) {
	var r Record
	if err := wire.Decode(data, &r); err != nil {
		return Record{}, fmt.Errorf("%w: record: %w", ErrInvalid, err)
	}
	if err := r.Validate(); err != nil {
		return Record{}, err
	}
	return r, nil
}

// Clone returns a deep copy of r.
func (r Record) Clone() Record {
	r.Days = slices.Clone(r.Days)
	r.Totals = slices.Clone(r.Totals)
	r.Recent = slices.Clone(r.Recent)
	r.Warranted = slices.Clone(r.Warranted)
	return r
}

// Validate returns nil if r is a Record this package could have
// produced, and otherwise an error wrapping [ErrInvalid]: positive
// counts by day and type, each pair once and in order; Totals their sums
// by type; Recent in order of instant, at most MaxCited, none
// after At; Warranted distinct levels in order; a merchant once anything
// is recorded; instants in UTC.
func (r Record) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: record %q: %s", ErrInvalid, r.Merchant, fmt.Sprintf(format, args...))
	}
	if !r.At.IsZero() && r.At.Location() != time.UTC {
		return bad("at %v is not UTC", r.At)
	}
	if r.Merchant == "" && (len(r.Days) > 0 || len(r.Recent) > 0 || r.Seq > 0) {
		return bad("no merchant")
	}
	if (len(r.Days) > 0 || r.Seq > 0) && r.At.IsZero() {
		return bad("no instant")
	}
	if err := checkCounts(r.Totals); err != nil {
		return bad("totals: %v", err)
	}
	var sums [16]int64 // per type of Totals; more types are summed below
	for i, d := range r.Days {
		switch {
		case i > 0 && (d.Day < r.Days[i-1].Day || d.Day == r.Days[i-1].Day && d.Type <= r.Days[i-1].Type):
			return bad("day %d %s out of order", d.Day, d.Type)
		case !validName(d.Type) || d.Count <= 0:
			return bad("day %d: type %q, count %d", d.Day, d.Type, d.Count)
		}
		j := slices.IndexFunc(r.Totals, func(tc TypeCount) bool { return tc.Type == d.Type })
		if j < 0 {
			return bad("day %d: type %s not in the totals", d.Day, d.Type)
		}
		if j < len(sums) {
			sums[j] += d.Count
		}
	}
	for j, tc := range r.Totals {
		sum := int64(0)
		if j < len(sums) {
			sum = sums[j]
		} else {
			for _, d := range r.Days {
				if d.Type == tc.Type {
					sum += d.Count
				}
			}
		}
		if sum != tc.Count {
			return bad("total of %s is %d, the days sum to %d", tc.Type, tc.Count, sum)
		}
	}
	if len(r.Recent) > MaxCited {
		return bad("%d recent complaints, more than %d", len(r.Recent), MaxCited)
	}
	for i, ref := range r.Recent {
		switch {
		case ref.Complaint < 1 || !validName(ref.Type):
			return bad("recent %d: complaint %d, type %q", i, ref.Complaint, ref.Type)
		case ref.At.IsZero() || ref.At.Location() != time.UTC || ref.At.After(r.At):
			return bad("recent %d: instant %v", i, ref.At)
		case i > 0 && ref.At.Before(r.Recent[i-1].At):
			return bad("recent %d: out of order", i)
		}
	}
	for i, l := range r.Warranted {
		if !l.IsValid() || (i > 0 && l <= r.Warranted[i-1]) {
			return bad("warranted %v", r.Warranted)
		}
	}
	return nil
}

func checkCounts(cs []TypeCount) error {
	for i, tc := range cs {
		switch {
		case !validName(tc.Type):
			return fmt.Errorf("type %q", tc.Type)
		case tc.Count <= 0:
			return fmt.Errorf("type %s: count %d", tc.Type, tc.Count)
		case i > 0 && tc.Type <= cs[i-1].Type:
			return fmt.Errorf("types out of order at %s", tc.Type)
		}
	}
	return nil
}

// addCount adds n (may be negative) to type typ in the sorted counts cs,
// dropping a count that reaches zero.
func addCount(cs []TypeCount, typ string, n int64) []TypeCount {
	i, found := slices.BinarySearchFunc(cs, typ, func(tc TypeCount, t string) int { return strings.Compare(tc.Type, t) })
	if !found {
		return slices.Insert(cs, i, TypeCount{Type: typ, Count: n})
	}
	cs[i].Count += n
	if cs[i].Count <= 0 {
		cs = slices.Delete(cs, i, i+1)
	}
	return cs
}

// civilDay numbers the calendar day of t in loc: days since 1970-01-01.
func civilDay(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// RecordAt adds a valid complaint to the merchant's record at now and
// evaluates the severity policy (DSP-10). e is the [Judged] effect of the
// complaint, as [Machine.ApplyAt] or [Machine.AdvanceAt] returned it; its
// instant is the day it counts for. The result's effects are every
// [Penalty] the record now warrants, least severe first, each citing the
// complaints in the window (New marks those the previous evaluation did
// not warrant), and a [PenaltyLifted] for each that it no longer warrants.
//
// The version in force at now judges (its record_window, its severity
// thresholds and its zone), and the decisions say which. A complaint
// judged so long ago that it has already left the window is not counted.
// Outcomes other than Valid are refused (DSP-10); an effect that is not a
// Judged, or one about another merchant, is an error wrapping
// [ErrInvalid]. Each Judged effect is to be recorded once: the host's
// outbox guarantees it, as for every effect.
func (m *Machine) RecordAt(r Record, e Effect, now time.Time) (RecordResult, error) {
	now = now.Round(0).UTC()
	const op = "dispute.RecordAt"
	j, ok := e.Act.(Judged)
	if p, isPtr := e.Act.(*Judged); isPtr && p != nil {
		j, ok = *p, true
	}
	switch {
	case r.Validate() != nil:
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, r.Validate())
	case !ok:
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w: effect %q is not a %s", op, ErrInvalid, e.Kind(), Judged{}.Kind())
	case r.Merchant != "" && j.Respondent != r.Merchant:
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w: a complaint against %q on the record of %q", op, ErrInvalid, j.Respondent, r.Merchant)
	case j.Respondent == "" || !validName(j.Type) || j.Complaint < 1:
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w: judged complaint %d of %q, type %q", op, ErrInvalid, j.Complaint, j.Respondent, j.Type)
	case now.Before(r.At):
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, ErrClockBehind)
	}
	if j.Outcome != Valid {
		re := rules.Refuse("DSP-10", ErrNotAllowed, "complaint %d is %v: only valid complaints count", j.Complaint, j.Outcome)
		re.Op = op
		return RecordResult{Record: r.Clone()}, re
	}
	if e.At.IsZero() || e.At.After(now) {
		re := rules.Refuse("DSP-10", ErrNotAllowed, "complaint %d judged at %v, not by %v", j.Complaint, e.At, now)
		re.Op = op
		return RecordResult{Record: r.Clone()}, re
	}
	at := e.At.Round(0).UTC()
	x := &recordTx{m: m, r: r.Clone(), now: now, effects: make([]Effect, 0, len(keyPenalty)), decisions: make([]rules.Decision, 0, len(keyPenalty))}
	if err := x.prepare(); err != nil {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, err)
	}
	x.r.Merchant = j.Respondent
	day := civilDay(at, x.v.Zone())
	if x.today-day > x.days {
		d := x.window
		d.Note = "judged before the record window: not counted"
		x.decisions = append(x.decisions, d)
	} else {
		x.add(day, Ref{Trade: j.Trade, Complaint: j.Complaint, Type: j.Type, At: at})
	}
	if err := x.evaluate(j.Type, true); err != nil {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, err)
	}
	return x.result(), nil
}

// EvaluateAt moves the record window to now and evaluates the severity
// policy (DSP-10) without adding a complaint: a host calls it when a day
// passes (or before showing a merchant's standing). Its effects are only
// the changes: a [Penalty] newly warranted (New) and a [PenaltyLifted]
// for each no longer warranted.
func (m *Machine) EvaluateAt(r Record, now time.Time) (RecordResult, error) {
	now = now.Round(0).UTC()
	const op = "dispute.EvaluateAt"
	if err := r.Validate(); err != nil {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, err)
	}
	if now.Before(r.At) {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, ErrClockBehind)
	}
	x := &recordTx{m: m, r: r.Clone(), now: now}
	if err := x.prepare(); err != nil {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, err)
	}
	if err := x.evaluate("", false); err != nil {
		return RecordResult{Record: r.Clone()}, fmt.Errorf("%s: %w", op, err)
	}
	return x.result(), nil
}

type recordTx struct {
	m         *Machine
	r         Record
	now       time.Time
	v         *rules.Version
	window    rules.Decision
	days      int64
	today     int64
	effects   []Effect
	decisions []rules.Decision
}

func (x *recordTx) result() RecordResult {
	return RecordResult{Record: x.r, Effects: x.effects, Decisions: x.decisions}
}

// prepare picks the version in force, checks its window, and drops the
// days that left it: amortised O(1) per recorded complaint.
func (x *recordTx) prepare() error {
	x.v = x.m.policy.In(x.now)
	w, err := rules.Get(x.v, keyRecordWindow)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if !w.IsCalendar() || w.Days > maxRecordDays {
		return fmt.Errorf("%w: version %s: record_window %v is not days(1) to days(%d)", ErrPolicy, x.v.Date(), w, maxRecordDays)
	}
	x.window = rules.Decision{Rule: "DSP-10", Policy: "dispute", Version: x.v.Date(), Threshold: keyRecordWindow.Name(), Value: rules.FormatValue(w)}
	x.days = int64(w.Days)
	x.today = civilDay(x.now, x.v.Zone())
	drop := 0
	for drop < len(x.r.Days) && x.today-x.r.Days[drop].Day > x.days {
		d := x.r.Days[drop]
		x.r.Totals = addCount(x.r.Totals, d.Type, -d.Count)
		drop++
	}
	x.r.Days = slices.Delete(x.r.Days, 0, drop)
	x.r.At = x.now
	return nil
}

// add counts one valid complaint on day.
func (x *recordTx) add(day int64, ref Ref) {
	key := DayCount{Day: day, Type: ref.Type}
	i, found := slices.BinarySearchFunc(x.r.Days, key, func(d, k DayCount) int {
		if d.Day != k.Day {
			return int(d.Day - k.Day)
		}
		return strings.Compare(d.Type, k.Type)
	})
	if !found {
		x.r.Days = slices.Insert(x.r.Days, i, key)
	}
	x.r.Days[i].Count++
	x.r.Totals = addCount(x.r.Totals, ref.Type, 1)
	j := len(x.r.Recent)
	for j > 0 && x.r.Recent[j-1].At.After(ref.At) {
		j--
	}
	x.r.Recent = slices.Insert(x.r.Recent, j, ref)
	if n := len(x.r.Recent); n > MaxCited {
		x.r.Recent = slices.Delete(x.r.Recent, 0, n-MaxCited)
	}
}

// evaluate runs the severity thresholds over the totals (O(types), not
// O(history)). all: emit every warranted penalty, else only the changes.
func (x *recordTx) evaluate(latest string, all bool) error {
	var total, worst, ofLatest int64
	for _, tc := range x.r.Totals {
		total += tc.Count
		worst = max(worst, tc.Count)
		if tc.Type == latest {
			ofLatest = tc.Count
		}
	}
	types := int64(len(x.r.Totals))
	var warranted []Level
	var cites []Ref
	for _, l := range Levels() {
		ok, err := rules.Get(x.v, keyPenalty[l], total, worst, types, latest, ofLatest)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		was := slices.Contains(x.r.Warranted, l)
		switch {
		case ok:
			warranted = append(warranted, l)
			if !all && was {
				continue
			}
			if cites == nil {
				cites = x.cites()
			}
			x.decisions = append(x.decisions, rules.Decision{Rule: "DSP-10", Policy: "dispute", Version: x.v.Date(),
				Threshold: keyPenalty[l].Name(), Value: "true", Inputs: []rules.Used{
					{Name: "record.total", Value: strconv.FormatInt(total, 10)},
					{Name: "record.worst", Value: strconv.FormatInt(worst, 10)}}})
			x.emit(Penalty{Merchant: x.r.Merchant, Level: l, Total: total, Cites: cites, New: !was, Version: x.v.Date()})
		case was:
			x.emit(PenaltyLifted{Merchant: x.r.Merchant, Level: l, Total: total, Version: x.v.Date()})
		}
	}
	x.r.Warranted = warranted
	return nil
}

// cites returns the recent complaints still within the window.
func (x *recordTx) cites() []Ref {
	// The window holds the days from today-days on: the instants from
	// the start of that day.
	y, m, d := x.now.In(x.v.Zone()).Date()
	from := clock.StartOfDay(y, m, d-int(x.days), x.v.Zone())
	i := 0
	for i < len(x.r.Recent) && x.r.Recent[i].At.Before(from) {
		i++
	}
	return slices.Clone(x.r.Recent[i:])
}

func (x *recordTx) emit(a Act) {
	x.r.Seq++
	x.effects = append(x.effects, Effect{ID: x.r.Seq, At: x.now, Rule: "DSP-10", Act: a})
}
