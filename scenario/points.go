package scenario

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/rules"
)

// pointsMachine adapts package points: one order's Spend and the buyer's
// annual points Ledger (PTS-3) together. It starts from spend: (a stored
// points.Spend) or pay: {order, wallet, choice} (Machine.PayAt at the
// start instant), and optionally ledger: (a stored points.Ledger; the
// zero Ledger without it). Every debit_points is recorded in the ledger
// as its Use and every give_back_points as its Release (LedgerMachine),
// as a host does. Its state, for state: paths, is {spend: …, ledger: …}.
//
// Events: refund applies to the Spend (Machine.ApplyAt); use and release
// to the ledger (LedgerMachine.ApplyAt). The step key pay: {order,
// wallet, choice} pays another order at the step's instant against the
// ledger; its Spend replaces the current one, and a refused choice is
// the step's error.
type pointsMachine struct{}

func (pointsMachine) Name() string                { return "points" }
func (pointsMachine) Policy() *rules.Set          { return points.DefaultPolicy() }
func (pointsMachine) Catalogue() []rules.RuleInfo { return points.Catalogue() }
func (pointsMachine) StartKeys() []string         { return []string{"spend", "pay", "ledger"} }
func (pointsMachine) FactKeys() []string          { return []string{"pay"} }
func (pointsMachine) EventNames() []string        { return points.EventNames() }
func (pointsMachine) EffectKinds() []string       { return points.EffectKinds() }

// Timers: a Spend and a Ledger have no deadlines.
func (pointsMachine) Timers() []Timer      { return nil }
func (pointsMachine) Boundaries() []string { return nil }

func (pointsMachine) Sentinels() map[string]error {
	return map[string]error{
		"ErrBeanStep": points.ErrBeanStep, "ErrBeanPayable": points.ErrBeanPayable, "ErrBeanItems": points.ErrBeanItems,
		"ErrBeanBalance": points.ErrBeanBalance, "ErrPointsUnit": points.ErrPointsUnit, "ErrPointsLimit": points.ErrPointsLimit,
		"ErrPointsPayable": points.ErrPointsPayable, "ErrPointsBalance": points.ErrPointsBalance, "ErrAnnualCap": points.ErrAnnualCap,
		"ErrClockBehind": points.ErrClockBehind, "ErrInvalid": points.ErrInvalid, "ErrPolicy": points.ErrPolicy,
	}
}

func (pointsMachine) DecodeEvent(data []byte) (any, error) { return points.DecodeEvent(data) }

// pointsPay is a payment: the order, the buyer's wallet and the choice.
type pointsPay struct {
	Order  points.Order  `json:"order"`
	Wallet points.Wallet `json:"wallet"`
	Choice points.Choice `json:"choice"`
}

func (pointsMachine) DecodeFact(key string, data []byte) (any, error) {
	var p pointsPay
	if err := wire.Decode(data, &p); err != nil {
		return nil, errors.New("pay: want {order: {id, payable, lines}, wallet: {beans, points}, choice: {beans, points}}: " + err.Error())
	}
	return p, nil
}

func (pointsMachine) Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error) {
	clk := clock.Func(func() time.Time { return at })
	r := &pointsRun{m: points.New(points.Options{Policy: policy, Clock: clk}), lm: points.NewLedger(points.Options{Policy: policy, Clock: clk})}
	if data, ok := start["ledger"]; ok {
		l, err := points.DecodeLedger(data)
		if err != nil {
			return nil, &keyError{Key: "ledger", Err: err}
		}
		r.l = l
	}
	spend, hasSpend := start["spend"]
	pay, hasPay := start["pay"]
	switch {
	case hasSpend && hasPay:
		return nil, &keyError{Key: "pay", Err: errors.New("give spend: or pay:, not both")}
	case hasSpend:
		s, err := points.DecodeSpend(spend)
		if err != nil {
			return nil, &keyError{Key: "spend", Err: err}
		}
		r.s = s
	case hasPay:
		var p pointsPay
		if err := wire.Decode(pay, &p); err != nil {
			return nil, &keyError{Key: "pay", Err: err}
		}
		if err := r.Update(p, at); err != nil {
			return nil, &keyError{Key: "pay", Err: err}
		}
	default:
		return nil, &keyError{Key: "pay", Err: errors.New("missing: the points machine starts from pay (an order, wallet and choice) or from spend (a stored Spend)")}
	}
	return r, nil
}

// pointsRun is one run: the current order's Spend, the buyer's Ledger,
// and what a payment gave, waiting for the step's call.
type pointsRun struct {
	m       *points.Machine
	lm      *points.LedgerMachine
	s       points.Spend
	l       points.Ledger
	pending outcome
}

// pointsState is the JSON form of a run's state.
type pointsState struct {
	Spend  points.Spend  `json:"spend"`
	Ledger points.Ledger `json:"ledger"`
}

func (r *pointsRun) State() any { return pointsState{Spend: r.s, Ledger: r.l} }

func (r *pointsRun) Fork() instance {
	c := *r
	c.s, c.l = r.s.Clone(), r.l.Clone()
	c.pending.Effects = append([]Effect(nil), r.pending.Effects...)
	c.pending.Decisions = append([]rules.Decision(nil), r.pending.Decisions...)
	return &c
}

// Update pays an order at at: PayAt against the ledger, then the use of
// its points recorded in the ledger.
func (r *pointsRun) Update(fact any, at time.Time) error {
	p := fact.(pointsPay)
	res, err := r.m.PayAt(p.Order, p.Wallet, r.l, p.Choice, at)
	if err != nil {
		return err
	}
	out := pointsOutcome(res.Effects, res.Decisions)
	l, lout, err := r.ledger(r.l, res.Effects, at)
	if err != nil {
		return err
	}
	r.s, r.l = res.State, l
	r.pending.Effects = append(r.pending.Effects, out.Effects...)
	r.pending.Decisions = append(append(r.pending.Decisions, out.Decisions...), lout...)
	return nil
}

// ledger records the effects' uses and releases in l.
func (r *pointsRun) ledger(l points.Ledger, effects []points.Effect, at time.Time) (points.Ledger, []rules.Decision, error) {
	var decs []rules.Decision
	for _, e := range effects {
		var ev points.Event
		switch a := e.Act.(type) {
		case points.DebitPoints:
			ev = a.Use()
		case points.GiveBackPoints:
			ev = a.Release()
		default:
			continue
		}
		res, err := r.lm.ApplyAt(l, ev, at)
		if err != nil {
			return l, nil, err
		}
		l = res.State
		decs = append(decs, res.Decisions...)
	}
	return l, decs, nil
}

func (r *pointsRun) flush(out outcome) outcome {
	p := r.pending
	r.pending = outcome{}
	out.Effects = append(p.Effects, out.Effects...)
	out.Decisions = append(p.Decisions, out.Decisions...)
	return out
}

func (r *pointsRun) Apply(event any, at time.Time) (outcome, error) {
	switch e := event.(type) {
	case points.Use, points.Release:
		res, err := r.lm.ApplyAt(r.l, e.(points.Event), at)
		r.l = res.State
		return r.flush(outcome{Decisions: res.Decisions}), err
	}
	res, err := r.m.ApplyAt(r.s, event.(points.Event), at)
	r.s = res.State
	out := pointsOutcome(res.Effects, res.Decisions)
	if err == nil {
		l, decs, lerr := r.ledger(r.l, res.Effects, at)
		r.l = l
		out.Decisions = append(out.Decisions, decs...)
		err = lerr
	}
	return r.flush(out), err
}

func (r *pointsRun) Advance(at time.Time) outcome {
	res := r.m.AdvanceAt(r.s, at)
	r.s = res.State
	return r.flush(pointsOutcome(res.Effects, res.Decisions))
}

func pointsOutcome(effects []points.Effect, decisions []rules.Decision) outcome {
	out := outcome{Decisions: decisions}
	for _, e := range effects {
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(`{}`)
		}
		out.Effects = append(out.Effects, Effect{ID: e.ID, At: e.At, Rule: e.Rule, Kind: e.Kind(), JSON: b})
	}
	return out
}

func (r *pointsRun) Deadlines() []Deadline         { return nil }
func (r *pointsRun) Instants(time.Time) []Deadline { return nil }
func (r *pointsRun) StatusOf(string) string        { return "" }
