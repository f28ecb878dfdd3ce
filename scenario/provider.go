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
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/rules"
)

// providerMachine adapts package provider: it starts from provider: (the
// provider's ID: provider.Start) or state: (a stored provider.State). Its
// one step key besides events is check:, which runs one of the package's
// functions over plain records at the step's instant (see [providerCheck]).
type providerMachine struct{}

func (providerMachine) Name() string                { return "provider" }
func (providerMachine) Policy() *rules.Set          { return provider.DefaultPolicy() }
func (providerMachine) Catalogue() []rules.RuleInfo { return provider.Catalogue() }
func (providerMachine) StartKeys() []string         { return []string{"provider", "state"} }
func (providerMachine) FactKeys() []string          { return []string{"check"} }

// EventNames is written from package provider's event types: the package
// exports no list of names.
func (providerMachine) EventNames() []string  { return provider.EventNames() }
func (providerMachine) EffectKinds() []string { return provider.EffectKinds() }

// Timers is written from package provider's deadline firing: a required
// resolution passes unresolved (PRV-8; the case's status does not change,
// so the adapter tracks the resolution as its own subject), and an
// objection period closes without an objection (PRV-9).
func (providerMachine) Timers() []Timer {
	return []Timer{
		{From: "resolution_due", Rule: "PRV-8", To: "resolution_overdue", Threshold: "complaint_resolution", Note: "complaint not resolved in time: reported once"},
		{From: "noticed", Rule: "PRV-9", To: "final", Threshold: "objection_period", Note: "no objection in the period: the violation is final"},
	}
}

func (m providerMachine) Boundaries() []string { return timerBoundaries(m.Timers()) }

func (providerMachine) Sentinels() map[string]error {
	return map[string]error{
		"ErrUnknownClause": provider.ErrUnknownClause, "ErrLiftClause": provider.ErrLiftClause, "ErrNoCase": provider.ErrNoCase,
		"ErrNotAllowed": provider.ErrNotAllowed, "ErrTerminated": provider.ErrTerminated, "ErrObjectionLate": provider.ErrObjectionLate,
		"ErrNoProof": provider.ErrNoProof, "ErrResolved": provider.ErrResolved, "ErrEventTime": provider.ErrEventTime,
		"ErrClockBehind": provider.ErrClockBehind, "ErrNotAdmitted": provider.ErrNotAdmitted, "ErrOutOfScope": provider.ErrOutOfScope,
		"ErrDuty": provider.ErrDuty, "ErrTemporary": provider.ErrTemporary, "ErrInvalid": provider.ErrInvalid, "ErrPolicy": provider.ErrPolicy,
	}
}

func (providerMachine) DecodeEvent(data []byte) (any, error) { return provider.DecodeEvent(data) }

// providerCheck is a check: step, one of
//
//	check: {admission: {licence_complete: true, …}}          # PRV-2: CheckAdmission
//	check: {scope: {services: […], consents: […]}}          # PRV-3: CheckScope
//	check: {duties: {merchants: […], trainings: […], …}}     # PRV-4: Machine.CheckDuties at the step
//	check: {duplicates: [{id, name, address, location}, …]}  # PRV-1: DuplicateMerchants
//	check: {false_transactions: {trades: […], relations: […]}} # PRV-1: Machine.FalseTransactions
//	check: {invalid_merchants: {merchants, trades, relations}} # PRV-1: Machine.InvalidMerchants at the step
//	check: {classify: {clause: "4.13", significant: true}}   # PRV-5…7: Classify by the version in force
//
// A refusal is the step's error (expect: error:); a result is one
// decision per item found (expect: decisions:), with input check: the
// check's name, or one with value none.
type providerCheck struct {
	kind string
	raw  json.RawMessage
}

var providerChecks = []string{"admission", "scope", "duties", "duplicates", "false_transactions", "invalid_merchants", "classify"}

func (providerMachine) DecodeFact(key string, data []byte) (any, error) {
	var m map[string]json.RawMessage
	if err := wire.Decode(data, &m); err != nil || len(m) != 1 {
		return nil, fmt.Errorf("check: want one of %s with its input", strings.Join(providerChecks, ", "))
	}
	for k, raw := range m {
		if !slices.Contains(providerChecks, k) {
			return nil, fmt.Errorf("check: unknown check %q (want %s)", k, strings.Join(providerChecks, ", "))
		}
		c := providerCheck{kind: k, raw: raw}
		// Decode now so that a malformed input is a load problem.
		if _, err := c.decode(); err != nil {
			return nil, fmt.Errorf("check: %s: %w", k, err)
		}
		return c, nil
	}
	return nil, errors.New("check: empty")
}

type scopeInput struct {
	Services []provider.Service `json:"services"`
	Consents []provider.Consent `json:"consents,omitempty"`
}

type merchantInput struct {
	Merchants []provider.Merchant `json:"merchants,omitempty"`
	Trades    []provider.Trade    `json:"trades,omitempty"`
	Relations []provider.Relation `json:"relations,omitempty"`
}

func (c providerCheck) decode() (any, error) {
	var v any
	switch c.kind {
	case "admission":
		v = &provider.Applicant{}
	case "scope":
		v = &scopeInput{}
	case "duties":
		v = &provider.Records{}
	case "duplicates":
		v = &[]provider.Merchant{}
	case "false_transactions", "invalid_merchants":
		v = &merchantInput{}
	case "classify":
		v = &provider.Finding{}
	}
	if err := wire.Decode(c.raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

func (providerMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	r := &providerRun{m: provider.New(provider.Options{Policy: policy, Clock: clock.Func(func() time.Time { return at })}), policy: policy}
	data, hasState := start["state"]
	idData, hasID := start["provider"]
	switch {
	case hasState && hasID:
		return nil, &keyError{Key: "state", Err: errors.New("give provider: or state:, not both")}
	case hasState:
		s, err := provider.DecodeState(data)
		if err != nil {
			return nil, &keyError{Key: "state", Err: err}
		}
		r.s = s
	case hasID:
		var id string
		if err := wire.Decode(idData, &id); err != nil {
			return nil, &keyError{Key: "provider", Err: err}
		}
		s, err := provider.Start(id)
		if err != nil {
			return nil, &keyError{Key: "provider", Err: err}
		}
		r.s = s
	default:
		return nil, &keyError{Key: "provider", Err: errors.New("missing: the provider machine starts from provider (its ID) or from state (a stored State)")}
	}
	return r, nil
}

// providerRun is one run: the provider's state and the decisions of a
// check waiting for the step's call.
type providerRun struct {
	m       *provider.Machine
	policy  *rules.Set
	s       provider.State
	pending []rules.Decision
}

func (r *providerRun) Fork() instance {
	c := *r
	c.s = r.s.Clone()
	c.pending = slices.Clone(r.pending)
	return &c
}

func (r *providerRun) State() any { return r.s }

func (r *providerRun) Update(fact any, at time.Time) error {
	c := fact.(providerCheck)
	v, err := c.decode()
	if err != nil {
		return err
	}
	version := r.policy.In(at).Date()
	d := func(rule, value, note string) rules.Decision {
		return rules.Decision{Rule: rule, Policy: "provider", Version: version, Value: value,
			Inputs: []rules.Used{{Name: "check", Value: c.kind}}, Note: note}
	}
	var out []rules.Decision
	switch in := v.(type) {
	case *provider.Applicant:
		if err := provider.CheckAdmission(*in); err != nil {
			return err
		}
		out = append(out, d("PRV-2", "admitted", "every admission condition is met"))
	case *scopeInput:
		if err := provider.CheckScope(in.Services, in.Consents); err != nil {
			return err
		}
		out = append(out, d("PRV-3", "in_scope", "every service is in scope or had prior written consent"))
	case *provider.Records:
		bs, err := r.m.CheckDuties(*in, at)
		if err != nil {
			return err
		}
		for _, b := range bs {
			note := b.Duty.String() + " not met"
			if b.Subject != "" {
				note += ": " + b.Subject
			}
			if !b.Due.IsZero() {
				note += " (due " + b.Due.Format(time.RFC3339) + ")"
			}
			out = append(out, d("PRV-4", b.Duty.String(), note))
		}
	case *[]provider.Merchant:
		ds, err := provider.DuplicateMerchants(*in)
		if err != nil {
			return err
		}
		for _, g := range ds {
			var shared []string
			for _, s := range g.Shared {
				shared = append(shared, s.Field.String()+" "+strconv.Quote(s.Key))
			}
			out = append(out, d("PRV-1", strings.Join(g.Merchants, ","), "duplicate merchants "+strings.Join(g.Merchants, ", ")+
				" ("+g.Definition()+"): "+strings.Join(shared, ", ")))
		}
	case *merchantInput:
		if c.kind == "false_transactions" {
			ss, err := r.m.FalseTransactions(in.Trades, in.Relations)
			if err != nil {
				return err
			}
			for _, s := range ss {
				out = append(out, d("PRV-1", s.Trade, "false transaction "+s.Trade+" of "+s.Merchant+" ("+s.Definition+")"))
			}
			break
		}
		is, err := r.m.InvalidMerchants(in.Merchants, in.Trades, in.Relations, at)
		if err != nil {
			return err
		}
		for _, m := range is {
			out = append(out, d("PRV-1", m.Merchant, "invalid merchant "+m.Merchant+" ("+m.Definition()+"): no real trade by "+
				m.Deadline.Format(time.RFC3339)))
		}
	case *provider.Finding:
		cl, decs, err := provider.Classify(r.policy.In(at), *in)
		if err != nil {
			return err
		}
		out = append(out, decs...)
		value := "no_violation"
		if cl.Violation {
			value = cl.Class.String()
		}
		rule := cl.Class.Rule()
		if rule == "" {
			rule = "PRV-7"
		}
		res := d(rule, value, "clause "+cl.Clause.String()+" is "+value+liftNote(cl))
		res.Version = cl.Version
		out = append(out, res)
	}
	if len(out) == 0 {
		out = append(out, d("", "none", "check "+c.kind+": nothing found"))
	}
	r.pending = append(r.pending, out...)
	return nil
}

func liftNote(cl provider.Classification) string {
	if cl.Lifted.IsValid() {
		return ", lifted by " + cl.Lifted.String()
	}
	return ""
}

func (r *providerRun) flush(out outcome) outcome {
	out.Decisions = append(r.pending, out.Decisions...)
	r.pending = nil
	return out
}

func (r *providerRun) Apply(event any, at time.Time) (outcome, error) {
	res, err := r.m.ApplyAt(r.s, event.(provider.Event), at)
	r.s = res.State
	return r.flush(providerOutcome(res)), err
}

func (r *providerRun) Advance(at time.Time) outcome {
	res := r.m.AdvanceAt(r.s, at)
	r.s = res.State
	return r.flush(providerOutcome(res))
}

func providerOutcome(res provider.Result) outcome {
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

// Deadlines are each case's pending resolution deadline (PRV-8, subject
// "case N resolution") and objection period (PRV-9, subject "case N").
func (r *providerRun) Deadlines() []Deadline {
	var out []Deadline
	for _, c := range r.s.Cases {
		id := "case " + strconv.Itoa(c.ID)
		if !c.ResolveBy.IsZero() && c.ResolvedAt.IsZero() && !c.Overdue {
			out = append(out, Deadline{At: c.ResolveBy, Rule: "PRV-8", Status: "resolution_due", Subject: id + " resolution",
				Boundary: "resolution_due PRV-8"})
		}
		if c.Status == provider.Noticed && !c.ObjectBy.IsZero() {
			out = append(out, Deadline{At: c.ObjectBy, Rule: "PRV-9", Status: c.Status.String(), Subject: id,
				Boundary: "noticed PRV-9"})
		}
	}
	sortDeadlines(out)
	return out
}

func (r *providerRun) Instants(time.Time) []Deadline { return nil }

func (r *providerRun) StatusOf(subject string) string {
	s, res := strings.CutSuffix(strings.TrimPrefix(subject, "case "), " resolution")
	id, err := strconv.Atoi(s)
	c, ok := r.s.Case(id)
	switch {
	case err != nil || !ok:
		return ""
	case !res:
		return c.Status.String()
	case c.Overdue:
		return "resolution_overdue"
	case !c.ResolvedAt.IsZero():
		return "resolved"
	}
	return "resolution_due"
}
