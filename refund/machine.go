package refund

import (
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configures a [Machine].
type Options struct {
	// Policy is the refund rule set; nil means [DefaultPolicy]. It must
	// be loaded against [Schema] ([DefaultPolicy] and its overrides are).
	// New panics if Policy was not loaded against Schema(): a programming
	// error, like regexp.MustCompile.
	Policy *rules.Set
	// Clock gives the current instant to Apply and Advance; nil means
	// clock.System{}. ApplyAt and AdvanceAt do not read it.
	Clock clock.Clock
}

// Machine runs the refund requests of orders. It holds no state of its
// own: every call takes an [Order] and a [State] and returns a new State.
// A Machine is safe for concurrent use.
type Machine struct {
	policy *rules.Set
	clock  clock.Clock
	tables map[*rules.Version]*policyTable
}

// New returns a Machine with the given options. It panics if o.Policy is
// a set of another schema (see [Options]).
func New(o Options) *Machine {
	m := &Machine{policy: o.Policy, clock: o.Clock}
	if m.policy == nil {
		m.policy = DefaultPolicy()
	}
	if m.policy.Schema() != Schema() {
		panic(fmt.Sprintf("refund: New: Options.Policy is a set of policy %q, not loaded against refund.Schema()", m.policy.Policy()))
	}
	if m.clock == nil {
		m.clock = clock.System{}
	}
	vs := m.policy.Versions()
	m.tables = make(map[*rules.Version]*policyTable, len(vs))
	for _, v := range vs {
		m.tables[v] = buildTable(v)
	}
	return m
}

// Policy returns the machine's policy set.
func (m *Machine) Policy() *rules.Set { return m.policy }

// Result is the outcome of [Machine.ApplyAt] or [Machine.AdvanceAt]: the
// new state (always one the host may store, also with a refusal), the
// effects the host must carry out, in order, the decisions taken, and the
// state's next deadline (zero: nothing to wake for), at which the host
// calls AdvanceAt.
type Result struct {
	State     State            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

// DecodeResult decodes a Result from its JSON form, strictly; errors wrap
// [ErrInvalid]. It does not validate the state (see [State.Validate]).
func DecodeResult(data []byte) (Result, error) {
	var r Result
	if err := wire.Decode(data, &r); err != nil {
		return Result{}, fmt.Errorf("%w: result: %w", ErrInvalid, err)
	}
	return r, nil
}

// DecodeState decodes a State from its JSON form, strictly; errors wrap
// [ErrInvalid]. It does not validate it: call [State.Validate] with the
// order.
func DecodeState(data []byte) (State, error) {
	var s State
	if err := wire.Decode(data, &s); err != nil {
		return State{}, fmt.Errorf("%w: state: %w", ErrInvalid, err)
	}
	return s, nil
}

// Apply is ApplyAt at the clock's current instant, read once.
func (m *Machine) Apply(o Order, s State, e Event) (Result, error) {
	return m.ApplyAt(o, s, e, m.clock.Now())
}

// Advance is AdvanceAt at the clock's current instant, read once.
func (m *Machine) Advance(o Order, s State) Result {
	return m.AdvanceAt(o, s, m.clock.Now())
}

// ApplyAt applies event e to s at instant now, for order o as it stands
// at now. It first fires every deadline due at now, exactly as
// [Machine.AdvanceAt] does, so an event at the very instant a period
// closes finds it closed; then it applies e.
//
// Nothing is lost on refusal: when e is refused, ApplyAt returns the
// error together with a Result that holds the advanced state and the
// fired deadlines' effects and decisions (e itself changed nothing). A
// refusal by a rule is a *rules.RuleError wrapping one of this package's
// sentinels; an invalid event (nil, an invalid enumeration, an unknown
// line, a bad amount) is a plain error wrapping [ErrInvalid], also with
// the advanced state. When the input cannot be advanced at all — an
// order or state that fails [State.Validate] (ErrInvalid), an instant
// earlier than [State.At] ([ErrClockBehind]), a request pinned to a
// version the policy no longer holds ([ErrPolicy]) — Result.State is an
// unchanged copy of s with no effects. s is never modified.
func (m *Machine) ApplyAt(o Order, s State, e Event, now time.Time) (Result, error) {
	f, err := o.factsInto(nil) // the lines go into the call's transaction
	if err != nil {
		return Result{State: s.Clone()}, opError(e, err)
	}
	return m.applyAt(&f, s, e, now)
}

// ApplyFactsAt is [Machine.ApplyAt] for an order given as [Facts].
func (m *Machine) ApplyFactsAt(f Facts, s State, e Event, now time.Time) (Result, error) {
	if err := f.validate(); err != nil {
		return Result{State: s.Clone()}, opError(e, err)
	}
	return m.applyAt(&f, s, e, now)
}

func (m *Machine) applyAt(o *Facts, s State, e Event, now time.Time) (Result, error) {
	now = now.Round(0).UTC()
	ev := eventValue(e)
	if err := m.check(o, s, now); err != nil {
		return Result{State: s.Clone()}, opError(e, err)
	}
	room := 0
	if _, ok := ev.(Open); ok && len(s.Requests) > 0 {
		room = 2 // an open adds one request or two
	}
	t := &tx{m: m, o: *o, s: s.clone(room), now: now, emits: emits(ev)}
	t.advance()
	if t.err != nil {
		return Result{State: s.Clone()}, opError(e, t.err)
	}
	seq, nEff, nDec := t.s.Seq, len(t.effects), len(t.decisions)
	err := t.apply(ev)
	if err == nil {
		t.s.At = now
		t.advance()
		if t.err != nil {
			return Result{State: s.Clone()}, opError(e, t.err)
		}
	} else {
		// The event's checks come before its changes: only what it had
		// recorded is dropped.
		t.s.Seq, t.effects, t.decisions = seq, t.effects[:nEff], t.decisions[:nDec]
		if t.err != nil {
			return Result{State: s.Clone()}, opError(e, t.err)
		}
	}
	return t.result(), opError(e, err)
}

// AdvanceAt fires every deadline of s due at now, earliest first (ties:
// lowest request ID), each at its own instant, so a host that calls late
// catches up exactly. Calling it again at the same instant changes
// nothing; at an instant earlier than [State.At] it does nothing.
//
// AdvanceAt has no error result, so a State it cannot advance (one that
// fails [State.Validate] with o, or pinned to a version the policy no
// longer holds) comes back unchanged (a copy), with no effects, a zero
// Next (waking again would not help until someone repairs it) and one
// Decision, without a rule, whose Note says what is wrong. At an instant
// earlier than an order fact or than [State.At] (the host's clock is
// behind) it changes nothing and returns the state's own Next, so a host
// that stores Next as its wake-up keeps it.
func (m *Machine) AdvanceAt(o Order, s State, now time.Time) Result {
	f, err := o.factsInto(nil) // the lines go into the call's transaction
	if err != nil {
		return stuck(s, err)
	}
	return m.advanceAt(&f, s, now)
}

// AdvanceFactsAt is [Machine.AdvanceAt] for an order given as [Facts].
func (m *Machine) AdvanceFactsAt(f Facts, s State, now time.Time) Result {
	if err := f.validate(); err != nil {
		return stuck(s, err)
	}
	return m.advanceAt(&f, s, now)
}

func (m *Machine) advanceAt(o *Facts, s State, now time.Time) Result {
	now = now.Round(0).UTC()
	if err := s.validate(o); err != nil {
		return stuck(s, err)
	}
	if err := o.notAfter(now); err != nil || now.Before(s.At) {
		// The host's clock is behind the facts or the state: nothing is
		// due yet as far as this call can tell, and the state's own
		// deadline still stands, so the host keeps its wake-up.
		return Result{State: s.Clone(), Next: s.Next()}
	}
	t := &tx{m: m, o: *o, s: s.Clone(), now: now}
	t.advance()
	if t.err != nil {
		return stuck(s, t.err)
	}
	return t.result()
}

// check validates the call's input.
func (m *Machine) check(o *Facts, s State, now time.Time) error {
	if err := s.validate(o); err != nil {
		return err
	}
	if err := o.notAfter(now); err != nil {
		return err
	}
	if now.Before(s.At) {
		return fmt.Errorf("%w: now %s, state at %s", ErrClockBehind, now.Format(time.RFC3339), s.At.Format(time.RFC3339))
	}
	return nil
}

// opError names the call in err: a *rules.RuleError gets its Op, any
// other error is wrapped with it. nil stays nil.
func opError(e Event, err error) error {
	if err == nil {
		return nil
	}
	op := "refund.Apply(<nil>)"
	if ev := eventValue(e); ev != nil {
		op = "refund.Apply(" + ev.Name() + ")"
	}
	var re *rules.RuleError
	if errors.As(err, &re) {
		if re.Op == "" {
			re.Op = op
		}
		return re
	}
	return fmt.Errorf("%s: %w", op, err)
}

// stuck is the Result of an Advance that could not run: s unchanged.
func stuck(s State, err error) Result {
	return Result{State: s.Clone(), Decisions: []rules.Decision{{Policy: schema.Policy(),
		Note: "refund.Advance: state left unchanged: " + err.Error()}}}
}

// tx is one call of ApplyAt or AdvanceAt: a private copy of the state
// and what the call has produced so far.
type tx struct {
	m         *Machine
	o         Facts
	s         State
	now       time.Time
	effects   []Effect
	decisions []rules.Decision
	out       *outputs // the arrays of effects and decisions
	// emits is set for a call that will mostly emit effects as well as
	// record decisions (a refund, a deadline that fires): it only sizes
	// their room ([tx.outputs]).
	emits bool
	// err is the first failure of the call that is not a refusal (a
	// pinned version the set no longer holds); the call returns it and
	// discards the copy.
	err error
}

func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *tx) result() Result {
	return Result{State: t.s, Effects: t.effects, Decisions: t.decisions, Next: t.s.Next()}
}

// table returns the policy version r is pinned to (Request.Version,
// looked up by its date for the request's whole life).
func (t *tx) table(r *Request) *policyTable {
	v, err := t.m.policy.Pin(r.Version, r.RequestedAt)
	if err != nil {
		t.fail(fmt.Errorf("%w: request %d is judged by version %s: %w", ErrPolicy, r.ID, r.Version, err))
		return nil
	}
	p := t.m.tables[v]
	if p.err != nil {
		t.fail(p.err)
		return nil
	}
	return p
}

// flag returns bool threshold i of r's version, recording the decision.
func (t *tx) flag(r *Request, i int, note string) bool {
	p := t.table(r)
	if p == nil {
		return false
	}
	d := p.flagDec[i]
	d.Note = note
	t.decide(d)
	return p.flag[i]
}

// to moves r to status st at instant at, clearing its deadline.
func (t *tx) to(r *Request, st Status, at time.Time) {
	r.Status, r.Since, r.Deadline, r.DueRule = st, at, time.Time{}, ""
	if at.After(t.s.At) {
		t.s.At = at
	}
}

// due sets r's deadline to window i of its version opened at from.
func (t *tx) due(r *Request, i int, from time.Time) {
	r.Deadline, r.DueRule = t.window(r, i, from), windowKeys[i].Rule()
}

// window returns the end of window i of r's version opened at from,
// recording the decision. On a failure (see [ErrPolicy]) it returns
// from; the call's work is then discarded.
func (t *tx) window(r *Request, i int, from time.Time) time.Time {
	p := t.table(r)
	if p == nil {
		return from
	}
	d := p.winDec[i]
	d.Note = "deadline"
	t.decide(d)
	return p.end(i, from)
}

func (t *tx) decide(d rules.Decision) {
	if t.decisions == nil {
		if t.out != nil || t.emits {
			t.decisions = t.outputs().decisions[:0]
		} else {
			t.decisions = make([]rules.Decision, 0, 2)
		}
	}
	t.decisions = append(t.decisions, d)
}

// outputs is the room for what a call produces that records effects as
// well as decisions, both in one allocation, made when it records the
// first of either. A call that is not expected to emit effects
// ([tx.emits]) gives its decisions room of their own, smaller, and its
// effects, if any come, theirs. (A call that outgrows the room appends as
// usual.) Effects and decisions stay nil until the call records one.
func (t *tx) outputs() *outputs {
	if t.out == nil {
		t.out = new(outputs)
	}
	return t.out
}

type outputs struct {
	effects [3]Effect
	// decisions has room beyond the call's own one or two for the notes
	// a composer adds to the list it takes over (package order notes a
	// refund applied and the auto-confirm countdown resumed).
	decisions [3]rules.Decision
}

// note records a decision taken by rule for r, with a fixed text.
func (t *tx) note(r *Request, rule, note string) {
	t.decide(rules.Decision{Rule: rule, Policy: "refund", Version: r.Version, Note: note})
}

// emit issues an effect at instant at.
func (t *tx) emit(rule string, at time.Time, a Act) {
	if t.effects == nil {
		if t.out != nil || t.decisions == nil {
			t.effects = t.outputs().effects[:0]
		} else {
			t.effects = make([]Effect, 0, 3)
		}
	}
	t.s.Seq++
	t.effects = append(t.effects, Effect{ID: t.s.Seq, At: at, Rule: rule, Act: a})
}

// advance fires due deadlines, earliest first.
func (t *tx) advance() {
	for t.err == nil {
		var r *Request
		for i := range t.s.Requests {
			q := &t.s.Requests[i]
			if !q.Status.timed() || q.Deadline.IsZero() || q.Deadline.After(t.now) {
				continue
			}
			if r == nil || q.Deadline.Before(r.Deadline) {
				r = q
			}
		}
		if r == nil {
			return
		}
		t.fire(r)
	}
}

// fire runs the timeout of r's current status at its deadline. Every
// timed status has its case, each of which moves r out of that status.
func (t *tx) fire(r *Request) {
	at, rule := r.Deadline, r.DueRule
	t.emits = true
	if t.table(r) == nil {
		return // t.err is set: the call is discarded
	}
	switch r.Status {
	case Requested:
		switch {
		case r.Revocation:
			t.note(r, "RFD-9", "no shipping voucher in time: the trade is revoked")
			t.revoke(r, at)
		case r.Kind == ReturnRefund:
			t.note(r, "RFD-3", "merchant silent: deemed agreed")
			t.sendAddress(r, at, true)
		case t.o.Mode == Escrow:
			t.note(r, "RFD-2", "escrow merchant silent: automatic refund")
			t.complete(r, nil, at, false)
		default:
			t.note(r, "RFD-2", "direct merchant silent: back to the buyer")
			t.to(r, AwaitingBuyer, at)
			t.due(r, wBuyerFeedback, at)
			t.emit("RFD-2", at, Notice{Request: r.ID, Party: Buyer, Status: AwaitingBuyer})
		}
	case AwaitingBuyer, Refused, AwaitingReturn:
		t.note(r, rule, "buyer silent: closed")
		t.to(r, Closed, at)
	case Returning, Received:
		t.note(r, rule, "merchant did not refund in time: automatic refund")
		t.complete(r, nil, at, false)
	default:
		// Not timed: advance never passes one. Clear it rather than loop.
		r.Deadline, r.DueRule = time.Time{}, ""
	}
}

// sendAddress: the merchant agreed (or is deemed to) to a return (RFD-3).
func (t *tx) sendAddress(r *Request, at time.Time, deemed bool) {
	t.to(r, AwaitingReturn, at)
	t.due(r, wReturnLogistics, at)
	t.emit("RFD-3", at, SendReturnAddress{Request: r.ID, Deemed: deemed})
}

// revoke completes a revocation (RFD-9, ORD-17): each line's whole
// remaining payment, whatever the buyer asked.
func (t *tx) revoke(r *Request, at time.Time) {
	lines := make([]string, len(r.Items))
	for i, it := range r.Items {
		lines[i] = it.Line
	}
	t.emit("RFD-9", at, RevokeTrade{Request: r.ID, Lines: lines})
	amounts := make([]int64, len(r.Items))
	for i, it := range r.Items {
		li := t.o.line(it.Line)
		paid := t.o.Lines[li].paid()
		done, _ := t.s.lineRefunded(it.Line, len(t.s.Requests))
		amounts[i] = paid - done
	}
	t.complete(r, amounts, at, false)
}
