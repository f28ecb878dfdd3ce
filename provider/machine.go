package provider

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configures a [Machine].
type Options struct {
	// Policy is the provider rule set; nil means [DefaultPolicy]. It must
	// be loaded against [Schema] and pass [CheckPolicy] ([LoadPolicy]
	// does both); New panics otherwise: a programming error, like
	// regexp.MustCompile.
	Policy *rules.Set
	// Clock gives the current instant; nil means clock.System{}.
	Clock clock.Clock
}

// Machine runs the violation cases of service providers. It holds no
// state of its own: every call takes a [State] and returns a new one. A
// Machine is safe for concurrent use.
type Machine struct {
	policy *rules.Set
	clock  clock.Clock
}

// New returns a Machine with the given options; see [Options] for when it
// panics.
func New(o Options) *Machine {
	m := &Machine{policy: o.Policy, clock: o.Clock}
	if m.policy == nil {
		m.policy = DefaultPolicy()
	}
	if m.policy.Schema() != Schema() {
		panic(fmt.Sprintf("provider: New: Options.Policy is a set of policy %q, not loaded against provider.Schema()", m.policy.Policy()))
	}
	if err := CheckPolicy(m.policy); err != nil {
		panic(fmt.Sprintf("provider: New: Options.Policy fails CheckPolicy: %v", err))
	}
	if m.clock == nil {
		m.clock = clock.System{}
	}
	return m
}

// Policy returns the rule set the machine judges by.
func (m *Machine) Policy() *rules.Set { return m.policy }

// Result is the outcome of [Machine.ApplyAt] or [Machine.AdvanceAt]: the
// new state (always one the host may store), the effects to carry out in
// order, the decisions taken, and the next deadline (zero: none). The
// state may share slices the step did not change with the input state:
// treat states as values and [State.Clone] one before editing it by hand.
type Result struct {
	State     State            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// Apply is [Machine.ApplyAt] at the clock's current instant.
func (m *Machine) Apply(s State, e Event) (Result, error) {
	return m.ApplyAt(s, e, m.clock.Now().Round(0).UTC())
}

// Advance is [Machine.AdvanceAt] at the clock's current instant.
func (m *Machine) Advance(s State) Result {
	return m.AdvanceAt(s, m.clock.Now().Round(0).UTC())
}

// ApplyAt applies e to s at now. It first fires every deadline due at now
// (as AdvanceAt does), so an event at the very instant a period closes
// finds it closed. A refused event returns a *rules.RuleError wrapping
// one of the package's sentinels together with a Result that holds the
// advanced state and the fired deadlines' effects: the event itself
// changed nothing. An invalid s (see [State.Validate]), an invalid event
// or a now before s.Last returns a plain error wrapping [ErrInvalid] or
// [ErrClockBehind] and an unchanged copy of s. s is never modified.
func (m *Machine) ApplyAt(s State, e Event, now time.Time) (Result, error) {
	now = now.Round(0).UTC()
	if err := s.Validate(); err != nil {
		return Result{State: s.Clone()}, err
	}
	if now.Before(s.Last) {
		s = s.Clone()
		return Result{State: s, Next: next(s)}, fmt.Errorf("%w: now %s, last %s", ErrClockBehind, stamp(now), stamp(s.Last))
	}
	st := &step{m: m, s: s, now: now}
	st.fire()
	ev, ok := events.Value(e)
	if !ok {
		return st.result(), fmt.Errorf("%w: event %T is not a provider event", ErrInvalid, e)
	}
	nEff, nDec := len(st.effects), len(st.decs)
	if err := st.apply(ev); err != nil {
		st.effects, st.decs = st.effects[:nEff], st.decs[:nDec]
		if re, ok := err.(*rules.RuleError); ok && re.Op == "" {
			re.Op = "provider.Apply(" + ev.Name() + ")"
		}
		return st.result(), err
	}
	st.fire() // a deadline the event set that is already due (a notice sent long ago)
	return st.result(), nil
}

// AdvanceAt fires every deadline of s due at now, earliest first, each at
// its own instant: a complaint's resolution deadline (PRV-8) and the end
// of an objection period (PRV-9). Twice at the same instant changes
// nothing; an invalid s or a now before s.Last gives an unchanged copy.
func (m *Machine) AdvanceAt(s State, now time.Time) Result {
	now = now.Round(0).UTC()
	if s.Validate() != nil || now.Before(s.Last) {
		s = s.Clone()
		return Result{State: s, Next: next(s)}
	}
	st := &step{m: m, s: s, now: now}
	st.fire()
	return st.result()
}

// step is one call's work in progress. Its state shares the caller's
// cases and record until own copies them, before the first change.
type step struct {
	m       *Machine
	owned   bool
	s       State
	now     time.Time
	effects []Effect
	decs    []rules.Decision
}

// own copies what a step changes in place, once: the cases and the
// record. A case's nested slices stay shared; the machine replaces them,
// never writes into them.
func (st *step) own() {
	if !st.owned {
		st.s.Cases = slices.Clone(st.s.Cases)
		st.s.Record = slices.Clone(st.s.Record)
		st.owned = true
	}
}

func (st *step) result() Result {
	if st.now.After(st.s.Last) {
		st.s.Last = st.now
	}
	return Result{State: st.s, Effects: st.effects, Decisions: st.decs, Next: next(st.s)}
}

func (st *step) emit(at time.Time, rule string, a Act) {
	st.s.Seq++
	st.effects = append(st.effects, Effect{ID: st.s.Seq, At: at, Rule: rule, Act: a})
}

// note adds a decision of the machine's own: its outcome as a stable
// code in Value, and a short text.
func (st *step) note(rule, version string, id int, value, text string) {
	st.decs = append(st.decs, rules.Decision{Rule: rule, Policy: "provider", Version: version, Value: value,
		Note: "case " + strconv.Itoa(id) + ": " + text})
}

// deadline kinds, in the order they fire at one instant.
const (
	dueResolution = iota
	dueObjection
)

// due returns the case's earliest pending deadline.
func due(c *Case) (time.Time, int, bool) {
	if !c.ResolveBy.IsZero() && c.ResolvedAt.IsZero() && !c.Overdue {
		return c.ResolveBy, dueResolution, true
	}
	if c.Status == Noticed {
		return c.ObjectBy, dueObjection, true
	}
	return time.Time{}, 0, false
}

// earliest returns the index of the case with the earliest deadline.
func earliest(s State) (int, time.Time, int) {
	best, at, kind := -1, time.Time{}, 0
	for i := range s.Cases {
		t, k, ok := due(&s.Cases[i])
		if ok && (best < 0 || t.Before(at) || (t.Equal(at) && k < kind)) {
			best, at, kind = i, t, k
		}
	}
	return best, at, kind
}

func next(s State) time.Time {
	_, at, _ := earliest(s)
	return at
}

// fire fires every deadline due at st.now, earliest first.
func (st *step) fire() {
	for {
		i, at, kind := earliest(st.s)
		if i < 0 || at.After(st.now) {
			return
		}
		st.own()
		c := &st.s.Cases[i]
		switch kind {
		case dueResolution:
			c.Overdue = true
			st.emit(at, "PRV-8", ResolutionOverdue{Case: c.ID, By: at})
			st.note("PRV-8", c.Version, c.ID, "overdue", "complaint not resolved by the deadline")
		case dueObjection:
			st.note("PRV-9", c.Version, c.ID, "final", "no objection in the period; the violation is final")
			st.finalize(c, at)
		}
	}
}

// finalize makes a judged violation final and emits its PRV-12 effects.
func (st *step) finalize(c *Case, at time.Time) {
	c.Status, c.ClosedAt = Final, at
	if c.Report {
		concerns := []Subject{Company, LegalPerson, KeyManagers}
		if len(c.Finding.Staff) > 0 {
			concerns = append(concerns, StaffInvolved)
		}
		st.emit(at, "PRV-12", CreditReport{Case: c.ID, Clause: c.Finding.Clause, Class: c.Class, Concerns: concerns, Staff: append([]string(nil), c.Finding.Staff...)})
	}
	if c.Publicised {
		st.emit(at, "PRV-12", Publish{Case: c.ID, Clause: c.Finding.Clause, Class: c.Class})
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
