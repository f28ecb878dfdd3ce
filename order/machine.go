package order

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Options configures a [Machine].
type Options struct {
	// Policy is the order rule set; nil means [DefaultPolicy]. It must be
	// loaded against [Schema] and pass [CheckPolicy]; New panics
	// otherwise (a programming error, like regexp.MustCompile).
	Policy *rules.Set
	// Clock gives the current instant to Apply, Advance and Checkout; nil
	// means clock.System{}.
	Clock clock.Clock
	// Numbers returns a new order number on each call (ORD-1). Checkout
	// refuses a number it already gave in the same checkout. Nil means
	// the cart's ID followed by "-1", "-2", … in the order the orders are
	// made: deterministic, and unique when cart IDs are.
	Numbers func() (string, error)
	// Refunds runs the order's refund requests ([Refund]); nil means
	// refund.New with refund's default policy and this Clock.
	Refunds *refund.Machine
	// Coupons gives the order's coupons back (CPN-6, CPN-7); nil means
	// coupon.New with coupon's default policy.
	Coupons *coupon.Engine
	// Points gives the order's beans and points back (PTS-2); nil means
	// points.New with points' default policy and this Clock.
	Points *points.Machine
	// Disputes runs the order's complaints ([Complaint]); nil means
	// dispute.New with dispute's default policy and this Clock.
	Disputes *dispute.Machine
}

// Machine runs orders. It holds no state of its own: every call takes a
// [State] and returns a new one. A Machine is safe for concurrent use if
// its Numbers function is.
type Machine struct {
	policy   *rules.Set
	clock    clock.Clock
	numbers  func() (string, error)
	refunds  *refund.Machine
	coupons  *coupon.Engine
	points   *points.Machine
	disputes *dispute.Machine
	pins     map[*rules.Version]*pinned // built in New, never changed
}

// New returns a Machine with the given options. It panics if o.Policy is
// a set of another schema or fails [CheckPolicy] (see [Options]).
func New(o Options) *Machine {
	m := &Machine{policy: o.Policy, clock: o.Clock, numbers: o.Numbers, refunds: o.Refunds, coupons: o.Coupons, points: o.Points, disputes: o.Disputes}
	if m.policy == nil {
		m.policy = DefaultPolicy()
	}
	if m.policy.Schema() != Schema() {
		panic(fmt.Sprintf("order: New: Options.Policy is a set of policy %q, not loaded against order.Schema()", m.policy.Policy()))
	}
	if err := CheckPolicy(m.policy); err != nil {
		panic("order: New: " + err.Error())
	}
	if m.clock == nil {
		m.clock = clock.System{}
	}
	m.pins = pinAll(m.policy)
	if m.refunds == nil {
		m.refunds = refund.New(refund.Options{Clock: m.clock})
	}
	if m.disputes == nil {
		m.disputes = dispute.New(dispute.Options{Clock: m.clock})
	}
	if m.points == nil {
		m.points = points.New(points.Options{Clock: m.clock})
	}
	if m.coupons == nil {
		m.coupons = coupon.New(coupon.Options{Clock: m.clock})
	}
	return m
}

// Result is the outcome of a call: the new state, the effects the host
// must carry out in order, the decisions taken, and the state's next
// deadline (zero: nothing to wake for).
type Result struct {
	State     State            `json:"state"`
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
}

func (m *Machine) now() time.Time { return m.clock.Now().Round(0).UTC() }

// Apply is [Machine.ApplyAt] at the clock's current instant.
func (m *Machine) Apply(s State, e Event) (Result, error) { return m.ApplyAt(s, e, m.now()) }

// Advance is [Machine.AdvanceAt] at the clock's current instant.
func (m *Machine) Advance(s State) Result { return m.AdvanceAt(s, m.now()) }

// ApplyAt first fires every deadline of s due at now, earliest first,
// each at its own instant (as AdvanceAt does), then applies e. A refused
// event returns a *rules.RuleError wrapping one of this package's
// sentinels together with a Result that holds the advanced state and the
// fired deadlines' effects and decisions: the event itself changed
// nothing. An invalid state, an instant before [State.Last] or a policy
// that cannot judge the order returns a plain error (wrapping
// [ErrInvalid], [ErrClockBehind] or [ErrPolicy]) with an unchanged copy
// of s. Result.State is always a state the host may store. s is never
// modified; the result may share the slices it did not change with s, so
// treat states as values ([State.Clone] before changing one in place).
func (m *Machine) ApplyAt(s State, e Event, now time.Time) (Result, error) {
	now = now.Round(0).UTC()
	ev, ok := eventOf(e)
	name := "<nil>"
	if ok {
		name = ev.Name()
	}
	unchanged := func(err error) (Result, error) {
		return Result{State: s.Clone(), Next: s.Next()}, fmt.Errorf("order.Apply(%s): %w", name, err)
	}
	if err := s.Validate(); err != nil {
		return unchanged(err)
	}
	if now.Before(s.Last) {
		return unchanged(fmt.Errorf("%w: %s is before %s", ErrClockBehind, now.Format(time.RFC3339), s.Last.Format(time.RFC3339)))
	}
	v, err := m.policy.Pin(s.Version, s.CreatedAt)
	if err != nil {
		return unchanged(fmt.Errorf("%w: %w", ErrPolicy, err))
	}
	t := &tx{v: v, now: now, refunds: m.refunds, coupons: m.coupons, points: m.points, disputes: m.disputes, pin: m.pins[v]}
	t.s = s
	t.s.clip()
	t.advance()
	if t.err != nil {
		return unchanged(t.err)
	}
	if !ok {
		return t.refused(name, fmt.Errorf("%w: no event (a nil or unknown event)", ErrInvalid))
	}
	// Every handler checks everything before it changes anything, so a
	// refused event leaves the advanced state as it was.
	err = t.apply(ev)
	if err == nil {
		t.advance()
		err = t.err
	}
	if err != nil {
		if t.err != nil {
			return unchanged(t.err)
		}
		return t.refused(name, err)
	}
	return t.result(), nil
}

// eventOf returns e as an event value: a pointer to an event is the event
// it points to; nil and foreign types are not events.
func eventOf(e Event) (Event, bool) {
	switch e.(type) {
	case nil:
		return nil, false
	case Pay, PayDeposit, PayBalance, Cancel, Delete, MerchantCancel, UrgeShipment, ChangeDelivery, Ship,
		Undeliverable, ConfirmReceipt, Sign, Refund, Complaint, Rate, FollowUpReview:
		return e, true
	}
	return events.Value(e)
}

// AdvanceAt fires every deadline of s due at now, earliest first, each at
// its own instant, so a host that calls late catches up exactly; calling
// it twice at the same instant changes nothing. A locked order fires
// nothing (ORD-19). An instant before [State.Last], an invalid state or a
// policy that cannot judge the order gives s back unchanged (a copy); in
// the last two cases with one Decision whose Note says what is wrong.
func (m *Machine) AdvanceAt(s State, now time.Time) Result {
	now = now.Round(0).UTC()
	stuck := func(err error) Result {
		return Result{State: s.Clone(), Decisions: []rules.Decision{{Policy: schema.Policy(), Version: s.Version,
			Note: "order.Advance: state left unchanged: " + err.Error()}}}
	}
	if err := s.Validate(); err != nil {
		return stuck(err)
	}
	if now.Before(s.Last) {
		return Result{State: s.Clone(), Next: s.Next()}
	}
	v, err := m.policy.Pin(s.Version, s.CreatedAt)
	if err != nil {
		return stuck(fmt.Errorf("%w: %w", ErrPolicy, err))
	}
	t := &tx{v: v, now: now, refunds: m.refunds, coupons: m.coupons, points: m.points, disputes: m.disputes, pin: m.pins[v]}
	t.s = s
	t.s.clip()
	t.advance()
	if t.err != nil {
		return stuck(t.err)
	}
	return t.result()
}

// tx is one call: a private copy of the state and what the call produced.
type tx struct {
	v         *rules.Version
	pin       *pinned // v's hot-path thresholds; nil: read them from v
	refunds   *refund.Machine
	coupons   *coupon.Engine
	points    *points.Machine
	disputes  *dispute.Machine
	s         State
	now       time.Time
	effects   []Effect
	decisions []rules.Decision
	err       error // a failure that is not a refusal (policy)
	// cur is the instant of the deadline being fired (zero: now).
	cur time.Time
	// linesOwned: s.Lines is the transaction's own copy.
	linesOwned bool
}

// ownLines and ownShipments give the transaction its own copy
// of a slice before it changes an element in place (see State.clip).
func (t *tx) ownLines() {
	if !t.linesOwned {
		t.s.Lines, t.linesOwned = slices.Clone(t.s.Lines), true
	}
}

func (t *tx) ownShipments() { t.s.Shipments = slices.Clone(t.s.Shipments) }

func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *tx) result() Result {
	if t.now.After(t.s.Last) {
		t.s.Last = t.now
	}
	return Result{State: t.s, Effects: t.effects, Decisions: t.decisions, Next: t.s.next()}
}

func (t *tx) refused(name string, err error) (Result, error) {
	op := "order.Apply(" + name + ")"
	var re *rules.RuleError
	if errors.As(err, &re) && re.Op == "" {
		re.Op = op
		return t.result(), re
	}
	return t.result(), fmt.Errorf("%s: %w", op, err)
}

// emit issues an effect with the next ID.
func (t *tx) emit(at time.Time, rule string, a Act) {
	if t.effects == nil {
		t.effects = make([]Effect, 0, 1) // most calls issue one; growEffects sizes the others
	}
	t.s.Seq++
	t.effects = append(t.effects, Effect{ID: t.s.Seq, At: at, Rule: rule, Act: a})
}

func (t *tx) note(rule, note string) {
	t.grow(1)
	t.decisions = append(t.decisions, rules.Decision{Rule: rule, Policy: schema.Policy(), Version: t.v.Date(), Note: note})
}

// decide records a threshold's decision with a note.
func (t *tx) decide(d rules.Decision, note string) {
	d.Note = note
	t.grow(1)
	t.decisions = append(t.decisions, d)
}

// grow makes room for n more decisions.
func (t *tx) grow(n int) {
	if n > 0 && cap(t.decisions)-len(t.decisions) < n {
		t.decisions = slices.Grow(t.decisions, n)
	}
}

// growEffects makes room for n more effects.
func (t *tx) growEffects(n int) {
	if n > 0 && cap(t.effects)-len(t.effects) < n {
		t.effects = slices.Grow(t.effects, n)
	}
}

// adopt records a sub-machine's decisions, with room for more notes the
// order may add after them in this call. The sub-machine's result is the
// call's own and discarded once adopted, so a first batch that has that
// room is taken over as it is, slice and all.
func (t *tx) adopt(ds []rules.Decision, more int) {
	if len(t.decisions) == 0 && len(ds) > 0 && cap(ds)-len(ds) >= more {
		t.decisions = ds
		return
	}
	t.grow(len(ds) + more)
	t.decisions = append(t.decisions, ds...)
}

// setTimer makes the order wait for timer k at due. A deadline already
// past when it is set (a fact reported late, terms overtaken by a lock)
// falls due at the instant it is set: nothing fires before the call that
// set it.
func (t *tx) setTimer(k Timer, due time.Time) {
	if cur := t.instant(); k != 0 && due.Before(cur) {
		due = cur
	}
	t.s.Timer, t.s.Due, t.s.Left, t.s.Original = k, due, 0, time.Time{}
}

func (t *tx) clearTimer() { t.setTimer(0, time.Time{}) }

// advance fires due deadlines, the order's own, its refund requests' and
// its complaints', earliest first, each at its own instant (at one
// instant: refunds, then complaints, then the order's own); a locked
// order fires none (ORD-19).
func (t *tx) advance() {
	for t.err == nil && !t.s.Complaints.Locked() {
		own, rd, cd := t.s.Due, t.s.Refunds.Next(), t.s.Complaints.Next()
		due := func(x time.Time) bool { return !x.IsZero() && !x.After(t.now) }
		first := func(x time.Time, others ...time.Time) bool {
			for _, o := range others {
				if !o.IsZero() && o.Before(x) {
					return false
				}
			}
			return true
		}
		switch {
		case due(rd) && first(rd, own, cd):
			t.cur = rd
			t.refundDeadline(rd)
		case due(cd) && first(cd, own) && (rd.IsZero() || cd.Before(rd)):
			t.cur = cd
			t.complaintDeadline(cd)
		case due(own):
			t.cur = own
			t.fire()
		default:
			t.cur = time.Time{}
			return
		}
	}
	t.cur = time.Time{}
}

// instant is the instant the call is at: a deadline's while it fires,
// else now.
func (t *tx) instant() time.Time {
	if t.cur.IsZero() {
		return t.now
	}
	return t.cur
}

// fire runs the timer the order waits for at its deadline. Every case
// moves the order off that timer.
func (t *tx) fire() {
	at, k := t.s.Due, t.s.Timer
	t.clearTimer()
	switch k {
	case PaymentTimeout:
		t.move(Cancelled, timerOn(k), at)
		t.note("ORD-4", "not paid within the payment time limit: cancelled")
		t.giveBackCoupons(coupon.Cancel, at)
		t.emit(at, "ORD-4", Notice{Party: Buyer, Subject: "order cancelled: not paid in time"})
	case DepositTimeout:
		t.move(Cancelled, timerOn(k), at)
		t.note("ORD-14", "presale deposit not paid within the deposit window: cancelled")
		t.giveBackCoupons(coupon.Cancel, at)
		t.emit(at, "ORD-14", Notice{Party: Buyer, Subject: "presale order cancelled: deposit not paid in time"})
	case BalanceTimeout:
		t.note("ORD-14", "presale balance not paid within the balance window: the deposit is refunded")
		t.returnAll(at, "ORD-14")
		t.move(Closed, timerOn(k), at)
		t.giveBackCoupons(coupon.Cancel, at)
	case PresaleShip:
		t.s.ShipLate = true
		t.move(t.s.Status, timerOn(k), at)
		t.note("ORD-14", "presale order not shipped within the agreed time after full payment")
		t.emit(at, "ORD-14", Notice{Party: Platform, Subject: "presale order not shipped within the agreed time"})
	case AutoConfirm:
		t.note("ORD-9", "escrow receipt confirmed automatically")
		t.complete(at, timerOn(k))
	default:
		t.fail(fmt.Errorf("%w: timer %v", ErrInvalid, k))
	}
}

// move changes the status along an edge of the transition table; an edge
// the table lacks is a bug, reported as a failure of the call.
func (t *tx) move(to Status, on string, at time.Time) {
	if !edgeExists(t.s.Status, on, to) {
		t.fail(fmt.Errorf("%w: no transition %s --%s--> %s in the table", ErrInvalid, t.s.Status, on, to))
		return
	}
	if to == Cancelled || to == Closed {
		t.s.EndedAt = at
		t.clearTimer()
	}
	t.s.Status = to
}

// complete makes the order Completed at at; escrow funds still frozen go
// to the merchant (ORD-9, ORD-13).
func (t *tx) complete(at time.Time, on string) {
	t.move(Completed, on, at)
	t.s.CompletedAt = at
	t.clearTimer()
	t.release(at, "ORD-9")
}

// release gives the merchant every frozen fen.
func (t *tx) release(at time.Time, rule string) {
	if t.s.Frozen == 0 {
		return
	}
	amt := t.s.Frozen
	t.s.Settled, t.s.Frozen = t.s.Settled+amt, 0
	t.emit(at, rule, ReleaseEscrow{Amount: amt, Refunded: t.s.Refunded})
}

// returnAll returns to the buyer everything paid and not yet refunded:
// frozen funds from escrow, settled ones from the merchant.
func (t *tx) returnAll(at time.Time, rule string) {
	if f := t.s.Frozen; f > 0 {
		t.s.Frozen, t.s.Refunded = 0, t.s.Refunded+f
		t.emit(at, rule, ReturnPayment{Amount: f, From: FromEscrow})
	}
	if m := t.s.Settled; m > 0 {
		t.s.Settled, t.s.Refunded = 0, t.s.Refunded+m
		t.emit(at, rule, ReturnPayment{Amount: m, From: FromMerchant})
	}
}
