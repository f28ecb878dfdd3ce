package scenario

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/rules"
)

// disputeMachine adapts package dispute: it starts from trade: (a
// dispute.Trade in its JSON form, strictly decoded), optionally state: (a
// stored dispute.State) and record: (a dispute.Record of the respondent,
// {} for a clean one). With record:, every dispute_judged effect is
// recorded into it (Machine.RecordAt; only valid ones count) and every
// advance also evaluates it (Machine.EvaluateAt), so the record's
// dispute_penalty and dispute_penalty_lifted effects (DSP-10) follow the
// machine's. Its fact updates change the trade's facts at the step's
// instant: pay: true (in progress, paid then), complete: true (completed
// then), cancel: true and close: true.
type disputeMachine struct{}

func (disputeMachine) Name() string                { return "dispute" }
func (disputeMachine) Policy() *rules.Set          { return dispute.DefaultPolicy() }
func (disputeMachine) Catalogue() []rules.RuleInfo { return dispute.Catalogue() }
func (disputeMachine) StartKeys() []string         { return []string{"trade", "state", "record"} }
func (disputeMachine) FactKeys() []string          { return []string{"pay", "complete", "cancel", "close"} }

// EventNames is written from package dispute's event types: the package
// exports no list of names.
func (disputeMachine) EventNames() []string  { return dispute.EventNames() }
func (disputeMachine) EffectKinds() []string { return dispute.EffectKinds() }

// Timers is written from package dispute's doc and code (its deadline
// firing): a complaint awaiting a reply is overdue at the round's start
// + reply_period (DSP-4), an overdue one closes valid at the end of day 3
// (DSP-5), a replied one closes satisfied after feedback_period (DSP-6).
// While the trade is locked nothing fires.
func (disputeMachine) Timers() []Timer {
	return []Timer{
		{From: "awaiting_reply", Rule: "DSP-4", To: "overdue", Threshold: "reply_period", Note: "no reply in time: day 3, the buyer may ask for intervention"},
		{From: "overdue", Rule: "DSP-5", To: "done", Threshold: "day3_end", Note: "neither a reply nor an intervention by the end of day 3: closed valid"},
		{From: "replied", Rule: "DSP-6", To: "done", Threshold: "feedback_period", Note: "no feedback in time: deemed satisfied"},
	}
}

func (m disputeMachine) Boundaries() []string {
	return append(timerBoundaries(m.Timers()), "complaint_window DSP-3", "day3_end DSP-5")
}

func (disputeMachine) Sentinels() map[string]error {
	return map[string]error{
		"ErrNotAllowed": dispute.ErrNotAllowed, "ErrFinal": dispute.ErrFinal, "ErrNoComplaint": dispute.ErrNoComplaint,
		"ErrNoReport": dispute.ErrNoReport, "ErrIncomplete": dispute.ErrIncomplete, "ErrWindowClosed": dispute.ErrWindowClosed,
		"ErrNoComplaints": dispute.ErrNoComplaints, "ErrTooEarly": dispute.ErrTooEarly, "ErrLocked": dispute.ErrLocked,
		"ErrNotLocked": dispute.ErrNotLocked, "ErrInvalid": dispute.ErrInvalid, "ErrPolicy": dispute.ErrPolicy,
		"ErrClockBehind": dispute.ErrClockBehind,
	}
}

func (disputeMachine) DecodeEvent(data []byte) (any, error) { return dispute.DecodeEvent(data) }

// disputeFact is one fact update of the trade.
type disputeFact string

func (disputeMachine) DecodeFact(key string, data []byte) (any, error) {
	var b bool
	if err := wire.Decode(data, &b); err != nil || !b {
		return nil, fmt.Errorf("%s: want true (the trade's fact changes at the step's instant)", key)
	}
	return disputeFact(key), nil
}

func (disputeMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	r := &disputeRun{m: dispute.New(dispute.Options{Policy: policy, Clock: clock.Func(func() time.Time { return at })}), policy: policy}
	if data, ok := start["trade"]; ok {
		if err := wire.Decode(data, &r.t); err != nil {
			return nil, &keyError{Key: "trade", Err: err}
		}
		if err := r.t.Validate(); err != nil {
			return nil, &keyError{Key: "trade", Err: err}
		}
	}
	if data, ok := start["state"]; ok {
		s, err := dispute.DecodeState(data)
		if err != nil {
			return nil, &keyError{Key: "state", Err: err}
		}
		r.s = s
	}
	if data, ok := start["record"]; ok {
		rec, err := dispute.DecodeRecord(data)
		if err != nil {
			return nil, &keyError{Key: "record", Err: err}
		}
		r.rec = &rec
	}
	return r, nil
}

// disputeRun is one run: the trade's facts, the dispute state and,
// with record:, the respondent's record.
type disputeRun struct {
	m      *dispute.Machine
	policy *rules.Set
	t      dispute.Trade
	s      dispute.State
	rec    *dispute.Record
}

func (r *disputeRun) Fork() instance {
	c := *r
	c.s = r.s.Clone()
	if r.rec != nil {
		rec := r.rec.Clone()
		c.rec = &rec
	}
	return &c
}

func (r *disputeRun) State() any { return r.s }

func (r *disputeRun) Update(fact any, at time.Time) error {
	t := r.t
	switch fact.(disputeFact) {
	case "pay":
		if !t.PaidAt.IsZero() {
			return fmt.Errorf("%w: pay: the trade was paid at %s", dispute.ErrInvalid, t.PaidAt.Format(time.RFC3339))
		}
		t.Status, t.PaidAt = dispute.InProgress, at
	case "complete":
		if t.Status != dispute.InProgress {
			return fmt.Errorf("%w: complete: the trade is %v, not in progress", dispute.ErrInvalid, t.Status)
		}
		t.Status, t.CompletedAt = dispute.Completed, at
	case "cancel":
		t.Status = dispute.Cancelled
	case "close":
		t.Status = dispute.Closed
	}
	if t.ID == "" {
		t.ID = "trade"
	}
	if err := t.Validate(); err != nil {
		return fmt.Errorf("%s: %w", fact, err)
	}
	r.t = t
	return nil
}

func (r *disputeRun) Apply(event any, at time.Time) (outcome, error) {
	res, err := r.m.ApplyAt(r.t, r.s, event.(dispute.Event), at)
	r.s = res.State
	out := disputeOutcome(res.Effects, res.Decisions, res.Next)
	return r.record(out, res.Effects, at, false), err
}

func (r *disputeRun) Advance(at time.Time) outcome {
	res := r.m.AdvanceAt(r.t, r.s, at)
	r.s = res.State
	out := disputeOutcome(res.Effects, res.Decisions, res.Next)
	return r.record(out, res.Effects, at, true)
}

// record feeds the valid judgments of effects into the record, and on
// an advance evaluates it at at; its effects and decisions follow out's.
func (r *disputeRun) record(out outcome, effects []dispute.Effect, at time.Time, evaluate bool) outcome {
	if r.rec == nil {
		return out
	}
	add := func(res dispute.RecordResult) {
		*r.rec = res.Record
		o := disputeOutcome(res.Effects, res.Decisions, time.Time{})
		out.Effects = append(out.Effects, o.Effects...)
		out.Decisions = append(out.Decisions, o.Decisions...)
	}
	recorded := false
	for _, e := range effects {
		if j, ok := e.Act.(dispute.Judged); !ok || j.Outcome != dispute.Valid {
			continue
		}
		if res, err := r.m.RecordAt(*r.rec, e, at); err == nil {
			add(res)
			recorded = true
		}
	}
	if evaluate && !recorded {
		if res, err := r.m.EvaluateAt(*r.rec, at); err == nil {
			add(res)
		}
	}
	return out
}

func disputeOutcome(effects []dispute.Effect, decisions []rules.Decision, next time.Time) outcome {
	out := outcome{Decisions: decisions, Next: next}
	for _, e := range effects {
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(`{}`)
		}
		out.Effects = append(out.Effects, Effect{ID: e.ID, At: e.At, Rule: e.Rule, Kind: e.Kind(), JSON: b})
	}
	return out
}

// Deadlines are the complaints' pending deadlines; none while the trade
// is locked (DSP-9: nothing fires).
func (r *disputeRun) Deadlines() []Deadline { return complaintDeadlines(r.s) }

// complaintDeadlines are the pending deadlines of the complaints of s;
// none while it is locked.
func complaintDeadlines(s dispute.State) []Deadline {
	if s.Locked() {
		return nil
	}
	var out []Deadline
	for _, c := range s.Complaints {
		rule := ""
		switch c.Status {
		case dispute.AwaitingReply:
			rule = "DSP-4"
		case dispute.Overdue:
			rule = "DSP-5"
		case dispute.Replied:
			rule = "DSP-6"
		}
		if rule == "" || c.Deadline.IsZero() {
			continue
		}
		out = append(out, Deadline{At: c.Deadline, Rule: rule, Status: c.Status.String(),
			Subject: "complaint " + strconv.Itoa(c.ID), Boundary: c.Status.String() + " " + rule})
	}
	sortDeadlines(out)
	return out
}

var complaintWindow = rules.MustKey[clock.Window](dispute.Schema(), "complaint_window")

// Instants are the end of a completed trade's complaint window (DSP-3,
// by the version in force at at) and the end of day 3 of every complaint
// awaiting a reply (DSP-5).
func (r *disputeRun) Instants(at time.Time) []Deadline {
	return complaintInstants(r.policy, r.t, r.s, at)
}

func complaintInstants(policy *rules.Set, t dispute.Trade, s dispute.State, at time.Time) []Deadline {
	var out []Deadline
	if t.Status == dispute.Completed && !t.CompletedAt.IsZero() {
		v := policy.In(at)
		if w, err := rules.Get(v, complaintWindow); err == nil {
			out = append(out, Deadline{At: w.End(t.CompletedAt, v.Zone()), Rule: "DSP-3", Subject: "trade " + t.ID,
				Boundary: "complaint_window DSP-3"})
		}
	}
	for _, c := range s.Complaints {
		if !c.Day3End.IsZero() && (c.Status == dispute.AwaitingReply || c.Status == dispute.Overdue) {
			out = append(out, Deadline{At: c.Day3End, Rule: "DSP-5", Subject: "complaint " + strconv.Itoa(c.ID),
				Boundary: "day3_end DSP-5"})
		}
	}
	return out
}

func (r *disputeRun) StatusOf(subject string) string { return complaintStatus(r.s, subject) }

// complaintStatus is the status of the complaint of s a subject names
// ("complaint 1"), or "".
func complaintStatus(s dispute.State, subject string) string {
	id, err := strconv.Atoi(strings.TrimPrefix(subject, "complaint "))
	if c, ok := s.Complaint(id); err == nil && ok {
		return c.Status.String()
	}
	return ""
}
