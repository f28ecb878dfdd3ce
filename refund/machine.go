package refund

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configures a [Machine].
type Options struct {
	// Policy is the refund rule set; nil means [DefaultPolicy]. It must
	// be loaded against [Schema] ([DefaultPolicy] and its overrides are).
	// New panics if Policy was not loaded against Schema(): a programming
	// error, like regexp.MustCompile.
	Policy *rules.Set
	// Clock gives the current instant; nil means clock.System{}.
	Clock clock.Clock
}

// Machine runs the refund requests of orders. It holds no state of its
// own: every call takes a [State] and returns a new one. A Machine is safe
// for concurrent use.
type Machine struct {
	policy *rules.Set
	clock  clock.Clock
}

// New returns a Machine with the given options. It panics if
// o.Policy is a set of another schema (see [Options]).
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
	return m
}

// Result is the outcome of [Machine.Apply] or [Machine.Advance]: the new
// state, the effects the host must carry out in order, the decisions
// taken, and the state's next deadline (zero: none), at which the host
// calls Advance.
type Result struct {
	State     State
	Effects   []Effect
	Decisions []rules.Decision
	Next      time.Time
}

// Start returns the State of a paid order with no request yet. It checks
// the order's money (RFD-10): every amount a non-negative whole number of
// fen, every line paid at least nothing, distinct non-empty line IDs; and
// that a Loan payment names its bound account (RFD-4).
func (m *Machine) Start(o Order) (State, error) {
	if err := checkOrder(o); err != nil {
		return State{}, err
	}
	return State{Order: State{Order: o}.Clone().Order}, nil
}

func checkOrder(o Order) error {
	bad := func(format string, args ...any) error {
		return rules.Refuse("RFD-10", ErrBadOrder, format, args...)
	}
	if len(o.Lines) == 0 {
		return bad("no lines")
	}
	if int(o.Mode) >= len(modeNames) || int(o.Payment.Route) >= len(routeNames) {
		return bad("mode %v, route %v", o.Mode, o.Payment.Route)
	}
	if !wholeFen(o.ShippingFee) {
		return bad("shipping fee %s", show(o.ShippingFee))
	}
	if o.Payment.Route == Loan && o.Payment.BoundAccount == "" {
		return rules.Refuse("RFD-4", ErrBadOrder, "a loan payment needs the bank account bound to the loan")
	}
	if o.FreeShipping && !o.ShippingFee.IsZero() {
		return bad("free shipping with a fee of %s", o.ShippingFee)
	}
	seen := map[string]bool{}
	for _, l := range o.Lines {
		if l.ID == "" || seen[l.ID] {
			return bad("line id %q empty or repeated", l.ID)
		}
		seen[l.ID] = true
		for _, d := range []decimal.Decimal{l.Amount, l.Discount, l.BeanValue, l.PointValue} {
			if !wholeFen(d) {
				return bad("line %s: amount %s is not a non-negative whole number of fen", l.ID, show(d))
			}
		}
		if l.Paid().IsNegative() {
			return bad("line %s: discounts exceed the amount", l.ID)
		}
		if l.Beans < 0 || l.Points < 0 {
			return bad("line %s: negative beans or points", l.ID)
		}
	}
	return nil
}

// Apply applies event e to s at the clock's current instant. A pointer to
// an event is taken as the event it points to; a nil one is refused like
// a nil event. It first
// fires every deadline due at that instant (as [Machine.Advance] does), so
// an event at the very instant a period closes finds it closed. A refused
// event returns a *rules.RuleError wrapping one of this package's
// sentinels and a zero Result; s is never modified. A State that fails
// [State.Validate] is not touched either: Apply returns an error wrapping
// [ErrInvalidState] (not a *rules.RuleError: no rule refused anything).
func (m *Machine) Apply(s State, e Event) (Result, error) {
	e = eventValue(e)
	op := "refund.Apply(<nil>)"
	if e != nil {
		op = "refund.Apply(" + e.Name() + ")"
	}
	if err := s.Validate(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", op, err)
	}
	t := &tx{m: m, s: s.Clone(), now: m.clock.Now().UTC()}
	t.advance()
	err := t.err
	if err == nil {
		err = t.apply(e)
	}
	if err == nil {
		t.advance()
		err = t.err
	}
	if err != nil {
		if re, ok := err.(*rules.RuleError); ok {
			if re.Op == "" {
				re.Op = op
			}
			return Result{}, re
		}
		return Result{}, fmt.Errorf("%s: %w", op, err)
	}
	return t.result(), nil
}

// Advance fires every deadline of s due at the clock's current instant,
// earliest first (ties: lowest request ID), each at its own instant, so a
// host that calls late catches up exactly. Calling it again at the same
// instant changes nothing.
//
// Advance has no error result, so a State it cannot advance — one that
// fails [State.Validate] — comes back unchanged (a copy), with no effects,
// a zero Next (there is nothing to wake for until someone repairs it) and
// one Decision, without a rule, whose Note says what is wrong. A host that
// stores states it did not get from this package calls Validate first.
func (m *Machine) Advance(s State) Result {
	if err := s.Validate(); err != nil {
		return stuck(s, err)
	}
	t := &tx{m: m, s: s.Clone(), now: m.clock.Now().UTC()}
	t.advance()
	if t.err != nil {
		return stuck(s, t.err)
	}
	return t.result()
}

// stuck is the Result of an Advance that could not run: s unchanged.
func stuck(s State, err error) Result {
	return Result{State: s.Clone(), Decisions: []rules.Decision{{Policy: schema.Policy(),
		Note: "refund.Advance: state left unchanged: " + err.Error()}}}
}

// tx is one call of Apply or Advance: a private copy of the state and
// what the call has produced so far.
type tx struct {
	m         *Machine
	s         State
	now       time.Time
	effects   []Effect
	decisions []rules.Decision
	// err is the first failure of the call that is not a refusal (a
	// threshold that did not evaluate); the call returns it and
	// discards the copy.
	err error
}

// fail records err as the call's failure, keeping the first.
func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *tx) result() Result {
	return Result{State: t.s, Effects: t.effects, Decisions: t.decisions, Next: t.s.Next()}
}

func (t *tx) version(r *Request) *rules.Version { return t.m.policy.In(r.RequestedAt) }

// to moves r to status st at instant at, clearing its deadline.
func (t *tx) to(r *Request, st Status, at time.Time) {
	r.Status, r.Since, r.Deadline, r.DueRule = st, at, time.Time{}, ""
}

// due sets r's deadline to window k opened at from.
func (t *tx) due(r *Request, k rules.Key[clock.Window], from time.Time) {
	r.Deadline, r.DueRule = t.window(r, k, from), k.Rule()
}

// window returns the end of window k opened at from, recording why. On
// a failure (see [ErrPolicy]) it records it and returns from, so that the
// caller's work is discarded without a loop of its own.
func (t *tx) window(r *Request, k rules.Key[clock.Window], from time.Time) time.Time {
	end, dec, err := deadline(t.version(r), k, from)
	if err != nil {
		t.fail(err)
		return from
	}
	dec.Note = fmt.Sprintf("request %d: %s from %s closes %s", r.ID, k.Name(), from.Format(time.RFC3339), end.Format(time.RFC3339))
	t.decisions = append(t.decisions, dec)
	return end
}

func (t *tx) note(r *Request, rule, format string, args ...any) {
	t.decisions = append(t.decisions, rules.Decision{Rule: rule, Policy: schema.Policy(), Version: r.Version,
		Note: fmt.Sprintf("request %d: ", r.ID) + fmt.Sprintf(format, args...)})
}

func (t *tx) emit(e Effect) { t.effects = append(t.effects, e) }

// advance fires due deadlines, earliest first. Only statuses with a
// timeout ([Status.timed]) are looked at, and fire handles each of them.
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

// fire runs the timeout of r's current status at its deadline. advance
// calls it only for a status that is timed, and every timed status has
// its case below, each of which moves r out of that status.
func (t *tx) fire(r *Request) {
	at, rule := r.Deadline, r.DueRule
	switch r.Status {
	case Requested:
		switch {
		case r.Revocation:
			t.note(r, "RFD-9", "no shipping voucher in time: the trade is revoked")
			t.revoke(r, at)
		case r.Kind == ReturnRefund:
			t.note(r, "RFD-3", "merchant silent: deemed agreed")
			t.sendAddress(r, at, true)
		case t.s.Order.Mode == Escrow:
			t.note(r, "RFD-2", "escrow merchant silent: automatic refund")
			t.complete(r, full(*r), at, false, false)
		default:
			t.note(r, "RFD-2", "direct merchant silent: back to the buyer")
			t.to(r, AwaitingBuyer, at)
			t.due(r, buyerFeedback, at)
			t.emit(Notify{Request: r.ID, Party: Buyer, Status: AwaitingBuyer, Why: "RFD-2"})
		}
	case AwaitingBuyer, Refused, AwaitingReturn:
		t.note(r, rule, "buyer silent in %s: closed", r.Status)
		t.to(r, Closed, at)
	case Returning, Received:
		t.note(r, rule, "merchant did not refund in time: automatic refund")
		t.complete(r, full(*r), at, false, false)
	}
}

// sendAddress: the merchant agreed (or is deemed to) to a return (RFD-3).
func (t *tx) sendAddress(r *Request, at time.Time, deemed bool) {
	t.to(r, AwaitingReturn, at)
	t.due(r, returnLogistics, at)
	t.emit(SendReturnAddress{Request: r.ID, Deemed: deemed})
}

// revoke completes a revocation in full (RFD-9, ORD-17).
func (t *tx) revoke(r *Request, at time.Time) {
	lines := make([]string, len(r.Items))
	for i, it := range r.Items {
		lines[i] = it.Line
	}
	t.emit(RevokeTrade{Request: r.ID, Lines: lines})
	t.complete(r, full(*r), at, false, false)
}
