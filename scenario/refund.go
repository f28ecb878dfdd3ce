package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// refundMachine adapts package refund: it starts from order: (a
// refund.Order, strictly decoded from its JSON form) and optionally
// state: (a stored refund.State); its fact updates are ship: [lines],
// sign: [lines] and confirm: true, which set the order's instants to the
// step's instant.
type refundMachine struct{}

func (refundMachine) Name() string                { return "refund" }
func (refundMachine) Policy() *rules.Set          { return refund.DefaultPolicy() }
func (refundMachine) Catalogue() []rules.RuleInfo { return refund.Catalogue() }
func (refundMachine) EventNames() []string        { return refund.EventNames() }
func (refundMachine) EffectKinds() []string       { return refund.EffectKinds() }
func (refundMachine) StartKeys() []string         { return []string{"order", "state"} }
func (refundMachine) FactKeys() []string          { return []string{"ship", "sign", "confirm"} }

// Timers is written from package refund's doc and code: refund exports
// no transition table, and a Request names the rule of its deadline
// (DueRule), not the threshold. A test checks that every edge the
// shipped scenarios fire is one of these.
func (refundMachine) Timers() []Timer {
	return []Timer{
		{From: "requested", Rule: "RFD-2", To: "refunded", Threshold: "merchant_response", Note: "escrow merchant silent: automatic refund"},
		{From: "requested", Rule: "RFD-2", To: "awaiting_buyer", Threshold: "merchant_response", Note: "direct merchant silent: back to the buyer"},
		{From: "requested", Rule: "RFD-3", To: "awaiting_return", Threshold: "return_merchant_response", Note: "merchant silent: return deemed agreed"},
		{From: "requested", Rule: "RFD-9", To: "refunded", Threshold: "revocation_voucher", Note: "no shipping voucher in time: trade revoked"},
		{From: "awaiting_buyer", Rule: "RFD-2", To: "closed", Threshold: "buyer_feedback", Note: "buyer silent after a direct merchant's silence"},
		{From: "refused", Rule: "RFD-2", To: "closed", Threshold: "refusal_response", Note: "buyer silent after a refusal"},
		{From: "refused", Rule: "RFD-3", To: "closed", Threshold: "return_refusal_response", Note: "buyer silent after a return was refused"},
		{From: "awaiting_return", Rule: "RFD-3", To: "closed", Threshold: "return_logistics", Note: "buyer sent no logistics"},
		{From: "returning", Rule: "RFD-3", To: "refunded", Threshold: "return_refund", Note: "merchant did not refund in time: automatic refund"},
		{From: "received", Rule: "RFD-3", To: "refunded", Threshold: "return_refund", Note: "merchant did not refund after receipt: automatic refund"},
		{From: "received", Rule: "RFD-7", To: "refunded", Threshold: "no_reason_refund", Note: "no-reason return not refunded within the period after receipt"},
	}
}

func (m refundMachine) Boundaries() []string {
	return append(timerBoundaries(m.Timers()), "no_reason_window RFD-5")
}

func (refundMachine) Sentinels() map[string]error {
	return map[string]error{
		"ErrNotAllowed": refund.ErrNotAllowed, "ErrFinal": refund.ErrFinal, "ErrNoRequest": refund.ErrNoRequest,
		"ErrBadRequest": refund.ErrBadRequest, "ErrLineBusy": refund.ErrLineBusy, "ErrExceedsPaid": refund.ErrExceedsPaid,
		"ErrNotShipped": refund.ErrNotShipped, "ErrNotEligible": refund.ErrNotEligible, "ErrExcluded": refund.ErrExcluded,
		"ErrNotSigned": refund.ErrNotSigned, "ErrWindowClosed": refund.ErrWindowClosed, "ErrCannotRefuse": refund.ErrCannotRefuse,
		"ErrVoucherTooLate": refund.ErrVoucherTooLate, "ErrTimeAfterNow": refund.ErrTimeAfterNow,
		"ErrInvalid": refund.ErrInvalid, "ErrClockBehind": refund.ErrClockBehind, "ErrPolicy": refund.ErrPolicy,
	}
}

func (refundMachine) DecodeEvent(data []byte) (any, error) { return refund.DecodeEvent(data) }

// refundFact is one fact update of the order.
type refundFact struct {
	key   string
	lines []string
}

func (refundMachine) DecodeFact(key string, data []byte) (any, error) {
	if key == "confirm" {
		var b bool
		if err := wire.Decode(data, &b); err != nil || !b {
			return nil, errors.New("confirm: want true (the buyer confirms receipt at the step's instant)")
		}
		return refundFact{key: key}, nil
	}
	var lines []string
	if err := wire.Decode(data, &lines); err != nil || len(lines) == 0 {
		return nil, fmt.Errorf("%s: want a list of line IDs, e.g. [A, B]", key)
	}
	return refundFact{key: key, lines: lines}, nil
}

func (refundMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	data, ok := start["order"]
	if !ok {
		return nil, &keyError{Key: "order", Err: errors.New("missing: the refund machine starts from an order (mode, payment, lines, shipping_fee)")}
	}
	r := &refundRun{m: refund.New(refund.Options{Policy: policy, Clock: clock.Func(func() time.Time { return at })}), policy: policy}
	if err := wire.Decode(data, &r.o); err != nil {
		return nil, &keyError{Key: "order", Err: err}
	}
	if data, ok := start["state"]; ok {
		s, err := refund.DecodeState(data)
		if err != nil {
			return nil, &keyError{Key: "state", Err: err}
		}
		r.s = s
	}
	if err := r.s.Validate(r.o); err != nil {
		key := "order"
		if _, ok := start["state"]; ok {
			key = "state"
		}
		return nil, &keyError{Key: key, Err: err}
	}
	return r, nil
}

// refundRun is one run: the order's facts and the refund state.
type refundRun struct {
	m      *refund.Machine
	policy *rules.Set
	o      refund.Order
	s      refund.State
}

func (r *refundRun) Fork() instance {
	c := *r
	c.o.Lines = append([]refund.Line(nil), r.o.Lines...)
	c.s = r.s.Clone()
	return &c
}

func (r *refundRun) State() any { return r.s }

func (r *refundRun) Update(fact any, at time.Time) error {
	f := fact.(refundFact)
	if f.key == "confirm" {
		if !r.o.ConfirmedAt.IsZero() {
			return errors.New("confirm: the order is already confirmed")
		}
		r.o.ConfirmedAt = at
		return nil
	}
	lines := append([]refund.Line(nil), r.o.Lines...)
	for _, id := range f.lines {
		i := -1
		for j := range lines {
			if lines[j].ID == id {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("%s: the order has no line %q", f.key, id)
		}
		p := &lines[i].ShippedAt
		if f.key == "sign" {
			p = &lines[i].SignedAt
		}
		if !p.IsZero() {
			return fmt.Errorf("%s: line %s already has that instant (%s)", f.key, id, p.Format(time.RFC3339))
		}
		*p = at
	}
	r.o.Lines = lines
	return nil
}

func (r *refundRun) Apply(event any, at time.Time) (outcome, error) {
	res, err := r.m.ApplyAt(r.o, r.s, event.(refund.Event), at)
	r.s = res.State
	return refundOutcome(res), err
}

func (r *refundRun) Advance(at time.Time) outcome {
	res := r.m.AdvanceAt(r.o, r.s, at)
	r.s = res.State
	return refundOutcome(res)
}

func refundOutcome(res refund.Result) outcome {
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

func (r *refundRun) Deadlines() []Deadline { return refundDeadlines(r.s) }

// refundDeadlines are the pending deadlines of the requests of s.
func refundDeadlines(s refund.State) []Deadline {
	var out []Deadline
	for _, q := range s.Requests {
		if q.Status.Final() || q.Deadline.IsZero() {
			continue
		}
		out = append(out, Deadline{At: q.Deadline, Rule: q.DueRule, Status: q.Status.String(),
			Subject: "request " + strconv.Itoa(q.ID), Boundary: q.Status.String() + " " + q.DueRule})
	}
	sortDeadlines(out)
	return out
}

var noReasonWindow = rules.MustKey[clock.Window](refund.Schema(), "no_reason_window")

// Instants are the ends of the no-reason windows (RFD-5) of the signed
// lines that support no-reason returns, by the version in force at at.
func (r *refundRun) Instants(at time.Time) []Deadline {
	v := r.policy.In(at)
	w, err := rules.Get(v, noReasonWindow)
	if err != nil {
		return nil
	}
	var out []Deadline
	for _, l := range r.o.Lines {
		if l.NoReason && !l.SignedAt.IsZero() {
			out = append(out, Deadline{At: w.End(l.SignedAt, v.Zone()), Rule: "RFD-5", Subject: "line " + l.ID,
				Boundary: "no_reason_window RFD-5"})
		}
	}
	return out
}

func (r *refundRun) StatusOf(subject string) string { return requestStatus(r.s, subject) }

// requestStatus is the status of the request of s a subject names
// ("request 1"), or "".
func requestStatus(s refund.State, subject string) string {
	id, err := strconv.Atoi(strings.TrimPrefix(subject, "request "))
	if q, ok := s.Request(id); err == nil && ok {
		return q.Status.String()
	}
	return ""
}
