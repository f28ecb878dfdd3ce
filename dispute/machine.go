package dispute

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configures a [Machine].
type Options struct {
	// Policy is the dispute rule set; nil means [DefaultPolicy]. It must
	// be loaded against [Schema] ([DefaultPolicy], [LoadPolicy] and their
	// overrides are). New panics if it was not: a programming error, like
	// regexp.MustCompile.
	Policy *rules.Set
	// Clock gives the current instant to [Machine.Apply] and
	// [Machine.Advance]; nil means clock.System{}.
	Clock clock.Clock
}

// Machine runs the complaints and reports of trades and the records of
// merchants. It holds no state of its own: every call takes a state and
// returns a new one. A Machine is safe for concurrent use.
type Machine struct {
	policy *rules.Set
	clock  clock.Clock
	notes  map[string]day3Notes // by version date; read-only after New
	pins   pins                 // read-only after New
}

// New returns a Machine with the given options. It panics if o.Policy
// is a set of another schema (see [Options]).
func New(o Options) *Machine {
	m := &Machine{policy: o.Policy, clock: o.Clock}
	if m.policy == nil {
		m.policy = DefaultPolicy()
	}
	if m.policy.Schema() != Schema() {
		panic(fmt.Sprintf("dispute: New: Options.Policy is a set of policy %q, not loaded against dispute.Schema()", m.policy.Policy()))
	}
	if m.clock == nil {
		m.clock = clock.System{}
	}
	texts := windowTexts(m.policy)
	m.pins = pinAll(m.policy, texts)
	m.notes = noteTexts(m.policy, texts)
	return m
}

// Policy returns the machine's rule set.
func (m *Machine) Policy() *rules.Set { return m.policy }

// Result is the outcome of [Machine.ApplyAt] or [Machine.AdvanceAt]: the
// new state (always one the host may store), the effects to carry out in
// order, the decisions taken, and the next deadline (zero: nothing to
// wake for).
type Result struct {
	State     State            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// DecodeResult decodes a Result strictly and validates its state; errors
// wrap [ErrInvalid].
func DecodeResult(data []byte) (Result, error) {
	var r Result
	if err := wire.Decode(data, &r); err != nil {
		return Result{}, fmt.Errorf("%w: result: %w", ErrInvalid, err)
	}
	if err := r.State.Validate(); err != nil {
		return Result{}, err
	}
	return r, nil
}

// now reads the clock once, as every Apply and Advance does.
func (m *Machine) now() time.Time { return m.clock.Now().Round(0).UTC() }

// Apply is [Machine.ApplyAt] at the clock's current instant.
func (m *Machine) Apply(t Trade, s State, e Event) (Result, error) {
	return m.ApplyAt(t, s, e, m.now())
}

// Advance is [Machine.AdvanceAt] at the clock's current instant.
func (m *Machine) Advance(t Trade, s State) Result { return m.AdvanceAt(t, s, m.now()) }

// ApplyAt applies event e to s at instant now, for the trade t. It first
// fires every deadline due at now, exactly as [Machine.AdvanceAt] does,
// so an event at the very instant a period closes finds it closed; then
// it applies the event. s is never modified. The result's State shares
// with s the lists (complaints, reports) the call did not change, so a
// call that changes nothing copies nothing; a host that changes a stored
// State in place, rather than through the machine, clones it first
// ([State.Clone]).
//
// A refused event returns a *rules.RuleError wrapping one of this
// package's sentinels, together with a Result that holds the advanced
// state and the fired deadlines' effects and decisions: the event itself
// changed nothing, and nothing that fired is lost. A nil event or an
// invalid enumeration in the event is a plain error wrapping
// [ErrInvalid], and a policy that cannot judge one wrapping [ErrPolicy],
// both with the advanced state, like a refusal. An invalid s or t, or a
// now before s.At, return a plain error (wrapping [ErrInvalid] or
// [ErrClockBehind]) with an unchanged copy of s.
func (m *Machine) ApplyAt(t Trade, s State, e Event, now time.Time) (Result, error) {
	now = now.Round(0).UTC()
	e, ok := eventValue(e)
	op := func() string {
		if !ok {
			return "dispute.Apply(<nil>)"
		}
		return "dispute.Apply(" + e.Name() + ")"
	}
	if err := s.Validate(); err != nil {
		return Result{State: s.Clone()}, fmt.Errorf("%s: %w", op(), err)
	}
	if err := t.Validate(); err != nil {
		return Result{State: s.Clone(), Next: s.Next()}, fmt.Errorf("%s: %w", op(), err)
	}
	if now.Before(s.At) {
		return Result{State: s.Clone(), Next: s.Next()}, fmt.Errorf("%s: %w: %s is before %s", op(), ErrClockBehind,
			now.Format(time.RFC3339), s.At.Format(time.RFC3339))
	}
	x := &tx{m: m, trade: t, s: s, now: now}
	x.advance()
	var err error
	if !ok {
		err = fmt.Errorf("%w: no event (a nil or unknown event)", ErrInvalid)
	} else {
		err = x.apply(e)
	}
	if err == nil {
		x.advance()
	}
	if err != nil {
		if re, isRule := err.(*rules.RuleError); isRule {
			if re.Op == "" {
				re.Op = op()
			}
			return x.result(), re
		}
		return x.result(), fmt.Errorf("%s: %w", op(), err)
	}
	return x.result(), nil
}

// eventValue is events.Value (a pointer to an event is taken as the
// event; anything that is not one of this package's events is not an
// event) with the common case, an event passed by value, decided by a
// type switch rather than by reflection.
func eventValue(e Event) (Event, bool) {
	switch e.(type) {
	case Complain, Withdraw, Reply, Unsatisfied, AskIntervention, Decide, PlanDone, Press,
		GoToCourt, Unlock, TakeMeasures, FileReport, Review, Conclude:
		return e, true
	}
	return events.Value(e)
}

// AdvanceAt fires every deadline of s due at now, earliest first (ties:
// lowest complaint ID), each at its own instant, so a host that calls late
// catches up exactly; while the trade is locked nothing fires. Calling it
// twice at the same instant changes nothing. An invalid s, or a now
// before s.At, gives an unchanged copy of s and no effects. As with
// ApplyAt, s is never modified and the result shares what did not change.
func (m *Machine) AdvanceAt(t Trade, s State, now time.Time) Result {
	now = now.Round(0).UTC()
	if s.Validate() != nil || now.Before(s.At) {
		return Result{State: s.Clone(), Next: s.Next()}
	}
	x := &tx{m: m, trade: t, s: s, now: now}
	x.advance()
	return x.result()
}

// tx is one call of ApplyAt or AdvanceAt: the state as the call has
// changed it so far, and what the call has produced.
//
// The state is copied on write: s starts as the caller's State, sharing
// its Complaints and Reports, and a list is copied (once per call, by
// writeComplaints or writeReports) before anything in it changes or is
// appended to it. The caller's State is therefore never modified, and a
// call that changes no complaint (an advance with nothing due, a report)
// copies no complaint. Nothing here writes to a list it has not copied.
type tx struct {
	m     *Machine
	trade Trade
	s     State
	now   time.Time
	// ownComplaints and ownReports say that s.Complaints and s.Reports
	// are this call's copies, which it may change and append to.
	ownComplaints, ownReports bool
	effects                   []Effect
	decisions                 []rules.Decision
	used                      []rules.Used // the decisions' Inputs (see subject)
}

func (x *tx) result() Result {
	effects := x.effects
	if len(effects) == 0 {
		effects = nil // reserved (see reserve) but nothing emitted: none, as always
	}
	return Result{State: x.s, Effects: effects, Decisions: x.decisions, Next: x.s.Next()}
}

// writeComplaints makes s.Complaints the call's own copy, with room for
// extra more, before the call changes or appends to it.
func (x *tx) writeComplaints(extra int) {
	if x.ownComplaints {
		return
	}
	cs := make([]Complaint, len(x.s.Complaints), len(x.s.Complaints)+extra)
	copy(cs, x.s.Complaints)
	x.s.Complaints, x.ownComplaints = cs, true
}

// writeComplaint returns complaint id (in range) for changing.
func (x *tx) writeComplaint(id int) *Complaint {
	x.writeComplaints(0)
	return &x.s.Complaints[id-1]
}

// writeReports is writeComplaints for s.Reports.
func (x *tx) writeReports(extra int) {
	if x.ownReports {
		return
	}
	rs := make([]Report, len(x.s.Reports), len(x.s.Reports)+extra)
	copy(rs, x.s.Reports)
	x.s.Reports, x.ownReports = rs, true
}

// Blocks: a call records a few decisions (each with a one-element
// subject list, see subject) and a few effects, and knows how many before
// it records the first; the three lists are cut from one allocation of a
// block of the size the call needs rather than allocated and grown one
// by one. A block is alive while any of its lists is; the lists do not
// overlap, so appending to one never touches another.
//
// Each block has room for one decision more than the call records: a
// composing machine takes a sub-machine's decisions over and appends its
// own (package order notes that its auto-confirmation pauses when a
// complaint opens and resumes when the last closes), which would
// otherwise copy the list into a larger one.
type (
	block11 struct {
		d [1 + 1]rules.Decision
		u [1]rules.Used
		e [1]Effect
	}
	block22 struct {
		d [2 + 1]rules.Decision
		u [2]rules.Used
		e [2]Effect
	}
	block31 struct {
		d [3 + 1]rules.Decision
		u [3]rules.Used
		e [1]Effect
	}
	block52 struct {
		d [5 + 1]rules.Decision
		u [5]rules.Used
		e [2]Effect
	}
)

// reserve makes room for nd more decisions (with their subjects) and ne
// more effects: the first time in a call from a block, later (an advance
// that fires several deadlines, an event after one) by growing each list
// by what is needed. With nd == 0 the decisions are left as they are, so
// that a call that records none returns none (nil), as always.
func (x *tx) reserve(nd, ne int) {
	if len(x.decisions)+nd <= cap(x.decisions) && len(x.used)+nd <= cap(x.used) && len(x.effects)+ne <= cap(x.effects) {
		return
	}
	if x.decisions == nil && x.effects == nil && x.used == nil && nd > 0 {
		switch {
		case nd <= 1 && ne <= 1:
			b := new(block11)
			x.decisions, x.used, x.effects = b.d[:0], b.u[:0], b.e[:0]
			return
		case nd <= 2 && ne <= 2:
			b := new(block22)
			x.decisions, x.used, x.effects = b.d[:0], b.u[:0], b.e[:0]
			return
		case nd <= 3 && ne <= 1:
			b := new(block31)
			x.decisions, x.used, x.effects = b.d[:0], b.u[:0], b.e[:0]
			return
		case nd <= 5 && ne <= 2:
			b := new(block52)
			x.decisions, x.used, x.effects = b.d[:0], b.u[:0], b.e[:0]
			return
		}
	}
	if nd > 0 {
		x.decisions = slices.Grow(x.decisions, nd)
		if cap(x.used)-len(x.used) < nd {
			// Earlier subjects stay where they are: each decision's
			// Inputs is a clipped window of the array it was cut from.
			x.used = make([]rules.Used, 0, nd)
		}
	}
	x.effects = slices.Grow(x.effects, ne)
}

// emit appends an effect. Its caller reserves room for it first (see
// reserve); without that the list grows as any slice does.
func (x *tx) emit(at time.Time, rule string, a Act) {
	x.s.Seq++
	x.effects = append(x.effects, Effect{ID: x.s.Seq, At: at, Rule: rule, Act: a})
}

// addDecision appends d; as with emit, its caller reserves room first.
func (x *tx) addDecision(d rules.Decision) {
	x.decisions = append(x.decisions, d)
}

// subject returns a one-element Inputs list naming the subject of a
// decision, cut from one array shared by the call's decisions (each
// clipped, so appending to one cannot touch another).
func (x *tx) subject(name string, id int) []rules.Used {
	if len(x.used) == cap(x.used) {
		x.used = make([]rules.Used, 0, 4) // not reserved: still correct
	}
	n := len(x.used)
	x.used = append(x.used, rules.Used{Name: name, Value: strconv.Itoa(id)})
	return x.used[n : n+1 : n+1]
}

// note records a decision of the machine's own about complaint c.
func (x *tx) note(c *Complaint, rule, note string) {
	x.addDecision(rules.Decision{Rule: rule, Policy: "dispute", Version: c.Version,
		Inputs: x.subject("complaint", c.ID), Note: note})
}

// day3Notes returns the DSP-5 notes of the version that judges c,
// written once by New; for a version the set does not hold they name the
// thresholds without values.
func (x *tx) day3Notes(c *Complaint) day3Notes {
	if n, ok := x.m.notes[c.Version]; ok {
		return n
	}
	return newDay3Notes(keyReply.Name(), keyDay3End.Name())
}

// decide records a threshold's decision about complaint id.
func (x *tx) decide(d rules.Decision, subject string, id int) {
	d.Inputs = x.subject(subject, id)
	x.addDecision(d)
}

// version returns the version pinned by date (DSP-12).
func (x *tx) version(date string) (*rules.Version, error) {
	v, err := x.m.policy.Pin(date, x.now)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return v, nil
}

// advance fires due deadlines, earliest first, unless the trade is
// locked, and moves the state to now.
func (x *tx) advance() {
	for !x.s.Locked() {
		due := -1
		for i := range x.s.Complaints {
			q := &x.s.Complaints[i]
			if !q.Status.timed() || q.Deadline.After(x.now) {
				continue
			}
			if due < 0 || q.Deadline.Before(x.s.Complaints[due].Deadline) {
				due = i
			}
		}
		if due < 0 {
			break
		}
		x.fire(x.writeComplaint(due + 1))
	}
	x.s.At = x.now
}

// fire runs the timeout of c's status at its deadline; each case moves c
// out of a timed status or to a later deadline.
func (x *tx) fire(c *Complaint) {
	at := c.Deadline
	x.reserve(1, 1)
	switch c.Status {
	case AwaitingReply:
		// DSP-5: no reply by the reply deadline: day 3 begins.
		c.Status, c.Since, c.Deadline = Overdue, at, c.Day3End
		x.note(c, "DSP-5", x.day3Notes(c).overdue)
		x.emit(at, "DSP-5", Notice{Complaint: c.ID, Party: Consumer, Status: Overdue, Due: c.Day3End})
	case Overdue:
		// DSP-5: neither an intervention request nor a reply by the
		// end of day 3: closed, judged valid.
		x.note(c, "DSP-5", x.day3Notes(c).closed)
		x.judge(c, at, "DSP-5", Valid, 0)
	case Replied:
		// DSP-6: the buyer gave no feedback: deemed satisfied.
		x.note(c, "DSP-6", "no feedback within feedback_period: deemed satisfied, closed")
		x.judge(c, at, "DSP-6", Satisfied, 0)
	}
}

// judge gives c its one outcome and closes it, or with a remedy leaves it
// in Plan (DSP-11).
func (x *tx) judge(c *Complaint, at time.Time, rule string, o Outcome, r Remedy) {
	c.Outcome, c.Remedy, c.Since = o, r, at
	c.Deadline, c.Day3End, c.Held = time.Time{}, time.Time{}, 0
	c.Status = Done
	if o == Valid && r.IsValid() && r != NoRemedy {
		c.Status = Plan
	}
	x.emit(at, rule, Judged{Trade: x.trade.ID, Complaint: c.ID, Respondent: c.Respondent, Type: c.Type,
		Outcome: o, Remedy: r, Version: c.Version})
}
