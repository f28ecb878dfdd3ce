package refund

import (
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// The benchmarks run the machine beside a floor: a hand-written switch
// doing the same transitions on the same order, with constant thresholds,
// the same deadlines and the same effects (IDs, instants, rules and acts,
// refund_money and refund_settled with their amounts), and a copy of its
// state so its input is untouched too. It skips what the machine adds:
// validating the stored state and the order, pinned versions, decisions
// and refusal checks. See BENCH.md.

var (
	benchOpenReturn = Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}}
	benchLogistics  = SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"}
)

// benchState returns the state after applying steps at t0.
func benchState(b *testing.B, steps ...Event) (*Machine, Order, State) {
	m := New(Options{})
	o := testOrder()
	var s State
	for _, e := range steps {
		res, err := m.ApplyAt(o, s, e, t0)
		if err != nil {
			b.Fatal(err)
		}
		s = res.State
	}
	return m, o, s
}

func BenchmarkApply(b *testing.B) {
	cases := []struct {
		name  string
		setup []Event
		e     Event
	}{
		{"open", nil, benchOpenReturn},
		{"merchant_agree", []Event{benchOpenReturn}, MerchantAgree{Request: 1}},
		{"merchant_refuse", []Event{benchOpenReturn}, MerchantRefuse{Request: 1}},
		{"submit_logistics", []Event{benchOpenReturn, MerchantAgree{Request: 1}}, benchLogistics},
		{"merchant_refund", []Event{benchOpenReturn, MerchantAgree{Request: 1}, benchLogistics}, MerchantRefund{Request: 1}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m, o, s := benchState(b, c.setup...)
			now := t0.Add(time.Hour)
			for b.Loop() {
				if _, err := m.ApplyAt(o, s, c.e, now); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/floor", func(b *testing.B) {
			o := testOrder()
			var s floorState
			for _, e := range c.setup {
				s, _ = floorApply(&o, s, e, t0)
			}
			now := t0.Add(time.Hour)
			for b.Loop() {
				floorApply(&o, s, c.e, now)
			}
		})
	}
}

func BenchmarkAdvance(b *testing.B) {
	cases := []struct {
		name  string
		setup []Event
		at    time.Duration
	}{
		{"nothing_due", []Event{benchOpenReturn}, time.Hour},
		{"deemed_agreed", []Event{benchOpenReturn}, 2 * day},
		{"automatic_refund", []Event{benchOpenReturn, MerchantAgree{Request: 1}, benchLogistics}, 10 * day},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m, o, s := benchState(b, c.setup...)
			for b.Loop() {
				m.AdvanceAt(o, s, t0.Add(c.at))
			}
		})
		b.Run(c.name+"/floor", func(b *testing.B) {
			o := testOrder()
			var s floorState
			for _, e := range c.setup {
				s, _ = floorApply(&o, s, e, t0)
			}
			for b.Loop() {
				floorAdvance(&o, s, t0.Add(c.at))
			}
		})
	}
}

// BenchmarkLifecycle: a whole return then refund of two lines — open,
// deemed agreed, logistics, receipt, automatic refund (RFD-3, RFD-7).
func BenchmarkLifecycle(b *testing.B) {
	open := Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "A"}, {Line: "B"}}}
	b.Run("machine", func(b *testing.B) {
		m := New(Options{})
		o := testOrder()
		for b.Loop() {
			res, _ := m.ApplyAt(o, State{}, open, t0)
			res = m.AdvanceAt(o, res.State, t0.Add(2*day))
			res, _ = m.ApplyAt(o, res.State, benchLogistics, t0.Add(3*day))
			res, _ = m.ApplyAt(o, res.State, MerchantReceive{Request: 1}, t0.Add(5*day))
			res = m.AdvanceAt(o, res.State, t0.Add(13*day+time.Second))
			if res.State.Requests[0].Status != Refunded {
				b.Fatal(res.State.Requests[0].Status)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		o := testOrder()
		for b.Loop() {
			s, _ := floorApply(&o, floorState{}, open, t0)
			s, _ = floorAdvance(&o, s, t0.Add(2*day))
			s, _ = floorApply(&o, s, benchLogistics, t0.Add(3*day))
			s, _ = floorApply(&o, s, MerchantReceive{Request: 1}, t0.Add(5*day))
			s, _ = floorAdvance(&o, s, t0.Add(13*day+time.Second))
			if s.reqs[0].status != Refunded {
				b.Fatal(s.reqs[0].status)
			}
		}
	})
}

// The floor's state: what the switch needs, nothing more.
type floorState struct {
	seq  uint64
	reqs []floorReq
}

type floorReq struct {
	kind      Kind
	status    Status
	items     []Item
	requested time.Time
	deadline  time.Time
	returnDue time.Time
	refunded  []int64
}

// Constant thresholds: the default policy's values.
const (
	floorMerchant  = 48 * time.Hour
	floorLogistics = 168 * time.Hour
	floorRefund    = 240 * time.Hour
	floorRefusal   = 168 * time.Hour
)

func floorClone(s floorState) floorState {
	c := s
	c.reqs = make([]floorReq, len(s.reqs))
	for i, r := range s.reqs {
		r.items = append([]Item(nil), r.items...)
		r.refunded = append([]int64(nil), r.refunded...)
		c.reqs[i] = r
	}
	return c
}

func (s *floorState) emit(effs []Effect, rule string, at time.Time, a Act) []Effect {
	s.seq++
	return append(effs, Effect{ID: s.seq, At: at, Rule: rule, Act: a})
}

// floorRefundAll refunds every item of r in full at at.
func (s *floorState) refundAll(o *Order, r *floorReq, id int, at time.Time, effs []Effect) []Effect {
	settled := Settled{Request: id, Stage: Shipped, Lines: make([]SettledLine, len(r.items))}
	var sum int64
	r.refunded = make([]int64, len(r.items))
	for i, it := range r.items {
		f, _ := money.Amount(it.Amount)
		paid, _ := paidFen(o.Lines[o.line(it.Line)])
		r.refunded[i] = f
		sum += f
		settled.Lines[i] = SettledLine{Line: it.Line, Money: money.FromFen(f), Refunded: money.FromFen(f), Paid: money.FromFen(paid), Done: f == paid}
	}
	r.status, r.deadline = Refunded, time.Time{}
	effs = s.emit(effs, "RFD-4", at, RefundMoney{Request: id, Amount: money.FromFen(sum), Route: o.Payment.Route, Account: o.Payment.Account})
	return s.emit(effs, "RFD-10", at, settled)
}

func floorApply(o *Order, in floorState, e Event, now time.Time) (floorState, []Effect) {
	s := floorClone(in)
	var effs []Effect
	s, effs = floorAdvance(o, s, now)
	switch e := e.(type) {
	case Open:
		items := make([]Item, len(e.Items))
		for i, it := range e.Items {
			items[i] = it
			if it.Amount.IsZero() {
				paid, _ := paidFen(o.Lines[o.line(it.Line)])
				items[i].Amount = money.FromFen(paid)
			}
		}
		wait := floorMerchant
		s.reqs = append(s.reqs, floorReq{kind: e.Kind, status: Requested, items: items, requested: now, deadline: now.Add(wait)})
	case MerchantAgree:
		r := &s.reqs[e.Request-1]
		if r.kind == ReturnRefund {
			r.status, r.deadline = AwaitingReturn, now.Add(floorLogistics)
			effs = s.emit(effs, "RFD-3", now, SendReturnAddress{Request: e.Request})
		} else {
			effs = s.refundAll(o, r, e.Request, now, effs)
		}
	case MerchantRefuse:
		r := &s.reqs[e.Request-1]
		r.status, r.deadline = Refused, now.Add(floorRefusal)
	case SubmitLogistics:
		r := &s.reqs[e.Request-1]
		r.status, r.deadline = Returning, now.Add(floorRefund)
		r.returnDue = r.deadline
	case MerchantReceive:
		r := &s.reqs[e.Request-1]
		r.status = Received // an agreed return: the RFD-3 deadline still binds
		r.deadline = r.returnDue
	case MerchantRefund:
		effs = s.refundAll(o, &s.reqs[e.Request-1], e.Request, now, effs)
	}
	return s, effs
}

func floorAdvance(o *Order, in floorState, now time.Time) (floorState, []Effect) {
	s := floorClone(in)
	var effs []Effect
	for {
		var r *floorReq
		id := 0
		for i := range s.reqs {
			q := &s.reqs[i]
			if !q.deadline.IsZero() && !q.deadline.After(now) && (r == nil || q.deadline.Before(r.deadline)) {
				r, id = q, i+1
			}
		}
		if r == nil {
			return s, effs
		}
		at := r.deadline
		switch r.status {
		case Requested:
			r.status, r.deadline = AwaitingReturn, at.Add(floorLogistics)
			effs = s.emit(effs, "RFD-3", at, SendReturnAddress{Request: id, Deemed: true})
		case Returning, Received:
			effs = s.refundAll(o, r, id, at, effs)
		default:
			r.status, r.deadline = Closed, time.Time{}
		}
	}
}

// BenchmarkFacts is the path a composer holding fen takes (package order):
// ApplyFactsAt with a refund-only request on one line, agreed by the
// merchant, each step alone and the two in a row.
func BenchmarkFacts(b *testing.B) {
	m := New(Options{})
	f, err := testOrder().factsInto(nil)
	if err != nil {
		b.Fatal(err)
	}
	// Events as a composer holds them, already in the Event interface.
	var open, agree Event = Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}}, MerchantAgree{Request: 1}
	opened, err := m.ApplyFactsAt(f, State{}, open, t0)
	if err != nil {
		b.Fatal(err)
	}
	now := t0.Add(time.Hour)
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.ApplyFactsAt(f, State{}, open, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("merchant_agree", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.ApplyFactsAt(f, opened.State, agree, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open_agree", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := m.ApplyFactsAt(f, State{}, open, t0)
			if err != nil {
				b.Fatal(err)
			}
			if err := res.State.ValidateFacts(f); err != nil {
				b.Fatal(err)
			}
			if res, err = m.ApplyFactsAt(f, res.State, agree, now); err != nil || res.State.Requests[0].Status != Refunded {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValidateFacts: the check of a stored state with two requests,
// one of them settled, that every call makes first.
func BenchmarkValidateFacts(b *testing.B) {
	m := New(Options{})
	f, err := testOrder().factsInto(nil)
	if err != nil {
		b.Fatal(err)
	}
	var s State
	for _, e := range []Event{Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}}, MerchantAgree{Request: 1},
		Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "A", Amount: money.FromFen(1000)}}}} {
		res, err := m.ApplyFactsAt(f, s, e, t0)
		if err != nil {
			b.Fatal(err)
		}
		s = res.State
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ValidateFacts(f); err != nil {
			b.Fatal(err)
		}
	}
}
