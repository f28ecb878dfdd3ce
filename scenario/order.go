package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// orderMachine adapts package order, the trade aggregate: its refund
// requests (package refund) and complaints (package dispute) run inside
// it. It starts from cart: (an order.Cart in its JSON form, strictly
// decoded, checked out at the start instant by Machine.CheckoutAt) with
// optionally order: N (which of the checkout's orders the scenario
// follows, 1-based in the order CheckoutAt returns them; 1 without it)
// and numbers: [..] (the order numbers the checkout takes in turn; without
// it, order's own deterministic numbers: the cart's ID and "-1", "-2", …);
// or from state: (a stored order.State), not both.
//
// Events are order's, by their stable names (order.DecodeEvent), the
// wrapped refund and complaint events included. Its step keys besides
// events are checkout: {cart, order, numbers} (another cart checked out
// at the step's instant; the order it picks replaces the current one, a
// refusal is the step's error) and check: (one of order's functions over
// the current order at the step's instant: deregister, risk, inspect; see
// [orderCheck]).
type orderMachine struct{}

func (orderMachine) Name() string                { return "order" }
func (orderMachine) Policy() *rules.Set          { return order.DefaultPolicy() }
func (orderMachine) Catalogue() []rules.RuleInfo { return order.Catalogue() }
func (orderMachine) EventNames() []string        { return order.EventNames() }
func (orderMachine) EffectKinds() []string       { return order.EffectKinds() }
func (orderMachine) StartKeys() []string         { return []string{"cart", "order", "numbers", "state"} }
func (orderMachine) FactKeys() []string          { return []string{"checkout", "check"} }

// orderTimers names the threshold behind each of order's timers (the
// presale ones are the merchant's terms on the item) and what it does.
var orderTimers = map[order.Timer][2]string{
	order.PaymentTimeout: {"payment_timeout", "unpaid at the payment time limit: cancelled"},
	order.DepositTimeout: {"presale.deposit_end", "presale deposit unpaid at the end of its window: cancelled"},
	order.BalanceTimeout: {"presale.balance_end", "presale balance unpaid at the end of its window: the deposit is returned, closed"},
	order.PresaleShip:    {"presale.ship_within", "presale order not shipped within the agreed time: a notice, once"},
	order.AutoConfirm:    {"auto_confirm", "escrow receipt confirmed automatically"},
}

// Timers are the timer edges of order's transition table
// (order.Transitions), then those of the refund requests and complaints
// that run inside the order (the refund and dispute adapters' lists).
func (orderMachine) Timers() []Timer {
	var out []Timer
	for _, x := range order.Transitions() {
		if x.Timer == 0 {
			continue
		}
		info, ok := orderTimers[x.Timer]
		if !ok {
			info = [2]string{x.Timer.String(), ""}
		}
		out = append(out, Timer{From: x.From.String(), Rule: x.Rule, To: x.To.String(), Threshold: info[0], Note: info[1]})
	}
	out = append(out, refundMachine{}.Timers()...)
	return append(out, disputeMachine{}.Timers()...)
}

// The boundaries that are not pending deadlines: the review windows
// (ORD-20), the opening of a presale balance window (ORD-14), the
// inspection window after a signing (ORD-18), refund's no-reason window
// (RFD-5) and dispute's complaint window and day 3 (DSP-3, DSP-5).
var orderInstants = []string{"review_window ORD-20", "follow_up_opens ORD-20", "follow_up_closes ORD-20",
	"balance_start ORD-14", "inspection_window ORD-18", "no_reason_window RFD-5", "complaint_window DSP-3", "day3_end DSP-5"}

func (m orderMachine) Boundaries() []string {
	return append(timerBoundaries(m.Timers()), orderInstants...)
}

// Sentinels are order's by their names (ErrNotAllowed is
// order.ErrNotAllowed), and those of the refund requests and complaints
// run inside the order, whose refusals are theirs, qualified by their
// package: refund.ErrWindowClosed, dispute.ErrLocked.
func (orderMachine) Sentinels() map[string]error {
	out := map[string]error{
		"ErrNotAllowed": order.ErrNotAllowed, "ErrOutOfStock": order.ErrOutOfStock, "ErrDuplicate": order.ErrDuplicate,
		"ErrAmount": order.ErrAmount, "ErrNoConsent": order.ErrNoConsent, "ErrShipped": order.ErrShipped,
		"ErrSplit": order.ErrSplit, "ErrRefunded": order.ErrRefunded, "ErrExceedsPaid": order.ErrExceedsPaid,
		"ErrWindowClosed": order.ErrWindowClosed, "ErrWindowNotOpen": order.ErrWindowNotOpen, "ErrLocked": order.ErrLocked,
		"ErrNotEligible": order.ErrNotEligible, "ErrReviewed": order.ErrReviewed, "ErrTime": order.ErrTime,
		"ErrInvalid": order.ErrInvalid, "ErrClockBehind": order.ErrClockBehind, "ErrPolicy": order.ErrPolicy,
	}
	for k, v := range (refundMachine{}).Sentinels() {
		out["refund."+k] = v
	}
	for k, v := range (disputeMachine{}).Sentinels() {
		out["dispute."+k] = v
	}
	return out
}

func (orderMachine) DecodeEvent(data []byte) (any, error) { return order.DecodeEvent(data) }

// orderCheckout is a checkout: a cart, which of its orders to follow
// (1-based; 0 is 1) and the order numbers to give in turn (none: order's
// own, the cart's ID and "-1", "-2", …).
type orderCheckout struct {
	Cart    order.Cart `json:"cart"`
	Order   int        `json:"order,omitempty"`
	Numbers []string   `json:"numbers,omitempty"`
}

// orderCheck is a check: step, one of order's functions over the current
// order at the step's instant:
//
//	check: {deregister: {funds: [{name, amount, available}]}} # ORD-15 Deregister([the order], funds)
//	check: {risk: {shipment: 1}}                              # ORD-16 RiskAt: courier, the parcel's signing
//	check: {risk: {method: online, retrievable_at: …}}        # ORD-16 RiskAt of an order.Handover
//	check: {inspect: {shipment: 1, surface: true, …}}         # ORD-18 Machine.Inspect, signed_at of the parcel
//
// Its result is one decision (expect: decisions:) with rule: the rule ID,
// inputs: [{name: check, value: the check's name}], value: (deregister:
// allowed, or one per block: the unfinished order's number or the fund
// item's name; risk: shipper or consignee; inspect: admissible or
// inadmissible) and note: the reason. An invalid input is the step's
// error.
type orderCheck struct {
	kind string
	raw  json.RawMessage
}

var orderChecks = []string{"deregister", "risk", "inspect"}

type deregisterInput struct {
	Funds []order.Fund `json:"funds,omitempty"`
}

// riskInput is a parcel of the order or an order.Handover.
type riskInput struct {
	Shipment      int          `json:"shipment,omitempty"`
	Method        order.Method `json:"method,omitempty"`
	SignedAt      time.Time    `json:"signed_at,omitzero"`
	RetrievableAt time.Time    `json:"retrievable_at,omitzero"`
	AgreedAt      time.Time    `json:"agreed_at,omitzero"`
}

// handover returns the order.Handover the input names.
func (in riskInput) handover() (order.Handover, error) {
	h := order.Handover{Method: in.Method, SignedAt: in.SignedAt, RetrievableAt: in.RetrievableAt, AgreedAt: in.AgreedAt}
	if !h.Method.IsValid() {
		var names []string
		for m := order.Method(1); m.IsValid(); m++ {
			names = append(names, m.String())
		}
		return h, fmt.Errorf("method: want one of %s", strings.Join(names, ", "))
	}
	return h, nil
}

type inspectInput struct {
	Shipment int `json:"shipment,omitempty"`
	order.Inspection
}

func (c orderCheck) decode() (any, error) {
	var v any
	switch c.kind {
	case "deregister":
		v = &deregisterInput{}
	case "risk":
		v = &riskInput{}
	case "inspect":
		v = &inspectInput{}
	}
	if err := wire.Decode(c.raw, v); err != nil {
		return nil, err
	}
	switch in := v.(type) {
	case *riskInput:
		switch {
		case in.Shipment != 0 && *in != (riskInput{Shipment: in.Shipment}):
			return nil, errors.New("give shipment: (a courier parcel of the order) or a handover, not both")
		case in.Shipment == 0:
			if _, err := in.handover(); err != nil {
				return nil, err
			}
		}
	case *inspectInput:
		if in.Shipment != 0 && !in.SignedAt.IsZero() {
			return nil, errors.New("give shipment: (the parcel's signing) or signed_at, not both")
		}
	}
	return v, nil
}

func (orderMachine) DecodeFact(key string, data []byte) (any, error) {
	if key == "checkout" {
		var c orderCheckout
		if err := wire.Decode(data, &c); err != nil {
			return nil, errors.New("checkout: want {cart: an order.Cart, order: N, numbers: [..]}: " + err.Error())
		}
		if c.Order < 0 {
			return nil, errors.New("checkout: order: want 1 or more")
		}
		return c, nil
	}
	var m map[string]json.RawMessage
	if err := wire.Decode(data, &m); err != nil || len(m) != 1 {
		return nil, fmt.Errorf("check: want one of %s with its input", strings.Join(orderChecks, ", "))
	}
	for k, raw := range m {
		if !slices.Contains(orderChecks, k) {
			return nil, fmt.Errorf("check: unknown check %q (want %s)", k, strings.Join(orderChecks, ", "))
		}
		c := orderCheck{kind: k, raw: raw}
		if _, err := c.decode(); err != nil {
			return nil, fmt.Errorf("check: %s: %w", k, err)
		}
		return c, nil
	}
	return nil, errors.New("check: empty")
}

func (orderMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	if err := order.CheckPolicy(policy); err != nil {
		return nil, err
	}
	r := &orderRun{m: order.New(order.Options{Policy: policy, Clock: clock.Func(func() time.Time { return at })}), policy: policy}
	cart, hasCart := start["cart"]
	data, hasState := start["state"]
	_, hasPick := start["order"]
	_, hasNumbers := start["numbers"]
	switch {
	case hasCart && hasState:
		return nil, &keyError{Key: "state", Err: errors.New("give cart: or state:, not both")}
	case hasState && (hasPick || hasNumbers):
		key := "order"
		if !hasPick {
			key = "numbers"
		}
		return nil, &keyError{Key: key, Err: errors.New("picks among the orders of a cart checkout, not with state")}
	case hasState:
		s, err := order.DecodeState(data)
		if err != nil {
			return nil, &keyError{Key: "state", Err: err}
		}
		r.s = s
	case hasCart:
		var c orderCheckout
		if err := wire.Decode(cart, &c.Cart); err != nil {
			return nil, &keyError{Key: "cart", Err: err}
		}
		if b, ok := start["order"]; ok {
			if err := wire.Decode(b, &c.Order); err != nil || c.Order < 1 {
				return nil, &keyError{Key: "order", Err: errors.New("want the number of an order of the checkout, 1 or more")}
			}
		}
		if b, ok := start["numbers"]; ok {
			if err := wire.Decode(b, &c.Numbers); err != nil {
				return nil, &keyError{Key: "numbers", Err: err}
			}
		}
		if err := r.checkout(c, at); err != nil {
			var ke *keyError
			if errors.As(err, &ke) {
				return nil, err
			}
			return nil, &keyError{Key: "cart", Err: err}
		}
	default:
		return nil, &keyError{Key: "cart", Err: errors.New("missing: the order machine starts from cart (an order.Cart, checked out at the start) or from state (a stored order.State)")}
	}
	return r, nil
}

// orderRun is one run: the order followed, and what a checkout or a
// check gave, waiting for the step's call.
type orderRun struct {
	m       *order.Machine
	policy  *rules.Set
	s       order.State
	pending outcome
}

func (r *orderRun) Fork() instance {
	c := *r
	c.s = r.s.Clone()
	c.pending.Effects = slices.Clone(r.pending.Effects)
	c.pending.Decisions = slices.Clone(r.pending.Decisions)
	return &c
}

func (r *orderRun) State() any { return r.s }

// checkout checks c's cart out at at and follows the order it picks. Its
// decisions wait for the step's call, each order's followed by one of the
// adapter's own (ORD-2): value the order's number, note its store, kind
// and lines.
func (r *orderRun) checkout(c orderCheckout, at time.Time) error {
	opts := order.Options{Policy: r.policy, Clock: clock.Func(func() time.Time { return at })}
	if c.Numbers != nil {
		numbers := slices.Clone(c.Numbers)
		opts.Numbers = func() (string, error) {
			if len(numbers) == 0 {
				return "", errors.New("numbers: no more numbers given")
			}
			n := numbers[0]
			numbers = numbers[1:]
			return n, nil
		}
	}
	res, err := order.New(opts).CheckoutAt(c.Cart, at)
	if err != nil {
		return err
	}
	pick := max(c.Order, 1)
	if pick > len(res) {
		return &keyError{Key: "order", Err: fmt.Errorf("%d: the checkout made %d orders", pick, len(res))}
	}
	var decs []rules.Decision
	for _, x := range res {
		decs = append(decs, x.Decisions...)
		var lines []string
		for _, l := range x.State.Lines {
			lines = append(lines, l.ID)
		}
		decs = append(decs, rules.Decision{Rule: "ORD-2", Policy: "order", Version: x.State.Version, Value: x.State.Number,
			Inputs: []rules.Used{{Name: "checkout", Value: c.Cart.ID}},
			Note:   fmt.Sprintf("order %s: store %s, %s, lines %s", x.State.Number, x.State.Store, x.State.Kind, strings.Join(lines, ", "))})
	}
	p := res[pick-1]
	r.s = p.State
	r.pending.Effects = append(r.pending.Effects, orderOutcome(p).Effects...)
	r.pending.Decisions = append(r.pending.Decisions, decs...)
	return nil
}

func (r *orderRun) Update(fact any, at time.Time) error {
	if c, ok := fact.(orderCheckout); ok {
		return r.checkout(c, at)
	}
	c := fact.(orderCheck)
	v, err := c.decode()
	if err != nil {
		return err
	}
	d := func(rule, version, value, note string) rules.Decision {
		return rules.Decision{Rule: rule, Policy: "order", Version: version, Value: value,
			Inputs: []rules.Used{{Name: "check", Value: c.kind}}, Note: note}
	}
	var out []rules.Decision
	switch in := v.(type) {
	case *deregisterInput:
		dr, err := order.Deregister([]order.State{r.s}, in.Funds)
		if err != nil {
			return err
		}
		if dr.Allowed {
			out = append(out, d("ORD-15", "", "allowed", "every order settled and every fund item 0"))
		}
		for _, b := range dr.Blocks {
			value := b.Order
			if value == "" {
				value = b.Fund
			}
			out = append(out, d("ORD-15", "", value, b.Why))
		}
	case *riskInput:
		var h order.Handover
		if in.Shipment == 0 {
			if h, err = in.handover(); err != nil {
				return err
			}
		} else {
			sh, err := r.shipment(in.Shipment)
			if err != nil {
				return err
			}
			h = order.Handover{Method: order.Courier, SignedAt: sh.SignedAt}
		}
		bearer, dec, err := order.RiskAt(h, at)
		if err != nil {
			return err
		}
		out = append(out, d("ORD-16", dec.Version, bearer.String(), dec.Note))
	case *inspectInput:
		ins := in.Inspection
		if in.Shipment != 0 {
			sh, err := r.shipment(in.Shipment)
			if err != nil {
				return err
			}
			ins.SignedAt = sh.SignedAt
		}
		a, dec, err := r.m.Inspect(ins, at)
		if err != nil {
			return err
		}
		value := "inadmissible"
		if a.Admissible {
			value = "admissible"
		}
		note := a.Why
		if !a.Until.IsZero() {
			note += " (until " + a.Until.Format(time.RFC3339) + ")"
		}
		out = append(out, d("ORD-18", dec.Version, value, note))
	}
	r.pending.Decisions = append(r.pending.Decisions, out...)
	return nil
}

// shipment returns parcel n (1-based) of the order.
func (r *orderRun) shipment(n int) (order.Shipment, error) {
	if n < 1 || n > len(r.s.Shipments) {
		return order.Shipment{}, fmt.Errorf("%w: shipment %d: the order has %d parcels", order.ErrInvalid, n, len(r.s.Shipments))
	}
	return r.s.Shipments[n-1], nil
}

func (r *orderRun) flush(out outcome) outcome {
	p := r.pending
	r.pending = outcome{}
	out.Effects = append(p.Effects, out.Effects...)
	out.Decisions = append(p.Decisions, out.Decisions...)
	return out
}

func (r *orderRun) Apply(event any, at time.Time) (outcome, error) {
	res, err := r.m.ApplyAt(r.s, event.(order.Event), at)
	r.s = res.State
	return r.flush(orderOutcome(res)), err
}

func (r *orderRun) Advance(at time.Time) outcome {
	res := r.m.AdvanceAt(r.s, at)
	r.s = res.State
	return r.flush(orderOutcome(res))
}

func orderOutcome(res order.Result) outcome {
	out := outcome{Decisions: res.Decisions, Next: res.Next}
	for _, e := range res.Effects {
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(`{}`)
		}
		out.Effects = append(out.Effects, Effect{ID: e.ID, At: e.At, Rule: e.Rule, Kind: e.Kind(), JSON: b})
	}
	return out
}

// timerRule is the rule of order's timer k, from the transition table.
func timerRule(k order.Timer) string {
	for _, x := range order.Transitions() {
		if x.Timer == k {
			return x.Rule
		}
	}
	return ""
}

// Deadlines are the order's own deadline (subject "order", status the
// order's), its refund requests' ("request N") and its complaints'
// ("complaint N"); none while the order is locked (ORD-19: nothing
// fires). A paused auto-confirm countdown has no deadline.
func (r *orderRun) Deadlines() []Deadline {
	if r.s.Locked() {
		return nil
	}
	var out []Deadline
	if !r.s.Due.IsZero() {
		rule := timerRule(r.s.Timer)
		out = append(out, Deadline{At: r.s.Due, Rule: rule, Status: r.s.Status.String(), Subject: "order",
			Boundary: r.s.Status.String() + " " + rule})
	}
	out = append(out, refundDeadlines(r.s.Refunds)...)
	out = append(out, complaintDeadlines(r.s.Complaints)...)
	sortDeadlines(out)
	return out
}

var (
	orderReviewWindow = rules.MustKey[clock.Window](order.Schema(), "review_window")
	orderFollowOpens  = rules.MustKey[clock.Window](order.Schema(), "follow_up_opens")
	orderFollowCloses = rules.MustKey[clock.Window](order.Schema(), "follow_up_closes")
	orderInspection   = rules.MustKey[clock.Window](order.Schema(), "inspection_window")
)

// Instants are the order's other threshold instants at at: the end of the
// review window of a completed order not reviewed, the opening and end of
// the follow-up window of a review without one (ORD-20, by the order's
// pinned version), the opening of a presale balance window once the
// deposit is paid (ORD-14), the end of each signed parcel's inspection
// window (ORD-18, by the version in force at the signing), the end of the
// no-reason window of each signed line that supports no-reason returns
// (RFD-5, refund's default policy) and dispute's complaint window and
// day 3 (dispute's default policy).
func (r *orderRun) Instants(at time.Time) []Deadline {
	var out []Deadline
	add := func(v *rules.Version, k rules.Key[clock.Window], from time.Time, rule, subject, boundary string) {
		if v == nil || from.IsZero() {
			return
		}
		if w, err := rules.Get(v, k); err == nil {
			out = append(out, Deadline{At: w.End(from, v.Zone()), Rule: rule, Subject: subject, Boundary: boundary})
		}
	}
	v, err := r.policy.Pin(r.s.Version, r.s.CreatedAt)
	if err != nil {
		v = nil
	}
	if r.s.Status == order.Completed && r.s.Review == nil {
		add(v, orderReviewWindow, r.s.CompletedAt, "ORD-20", "order", "review_window ORD-20")
	}
	if rv := r.s.Review; rv != nil && rv.FollowUp == nil {
		add(v, orderFollowOpens, rv.At, "ORD-20", "order", "follow_up_opens ORD-20")
		add(v, orderFollowCloses, rv.At, "ORD-20", "order", "follow_up_closes ORD-20")
	}
	if p := r.s.Presale; p != nil && len(r.s.Payments) == 1 && r.s.Status == order.PendingPayment {
		out = append(out, Deadline{At: p.BalanceStart, Rule: "ORD-14", Subject: "order", Boundary: "balance_start ORD-14"})
	}
	rv := refund.DefaultPolicy().In(at)
	noReason, nrErr := rules.Get(rv, noReasonWindow)
	for i, sh := range r.s.Shipments {
		if sh.SignedAt.IsZero() {
			continue
		}
		add(r.policy.In(sh.SignedAt), orderInspection, sh.SignedAt, "ORD-18", "shipment "+strconv.Itoa(i+1), "inspection_window ORD-18")
		for _, id := range sh.Lines {
			for _, l := range r.s.Lines {
				if l.ID == id && l.NoReason && nrErr == nil {
					out = append(out, Deadline{At: noReason.End(sh.SignedAt, rv.Zone()), Rule: "RFD-5", Subject: "line " + l.ID,
						Boundary: "no_reason_window RFD-5"})
				}
			}
		}
	}
	return append(out, complaintInstants(dispute.DefaultPolicy(), r.s.Trade(), r.s.Complaints, at)...)
}

func (r *orderRun) StatusOf(subject string) string {
	switch {
	case subject == "order":
		return r.s.Status.String()
	case strings.HasPrefix(subject, "request "):
		return requestStatus(r.s.Refunds, subject)
	case strings.HasPrefix(subject, "complaint "):
		return complaintStatus(r.s.Complaints, subject)
	}
	return ""
}
