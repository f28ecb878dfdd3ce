package order_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/order/ordertest"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

func mustJSON(t rapid.TB, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// trade is the model test's harness: one order, its log, and what every
// step returned, for the replay at the end.
type trade struct {
	m       *order.Machine
	init    order.State
	s       order.State
	now     time.Time
	log     []order.Entry
	states  []string
	values  []order.State // the states returned, checked at the end for aliasing
	effects []string
	ids     map[uint64]bool
	coupons map[string]bool
	settled map[int]bool
	// beansBack and pointsBack count what the effects gave back.
	beansBack, pointsBack int64
}

func (h *trade) run(t *rapid.T, e order.Event, wait time.Duration) {
	h.now = h.now.Add(wait)
	before := mustJSON(t, h.s)
	var res order.Result
	var err error
	if e == nil {
		res = h.m.AdvanceAt(h.s, h.now)
	} else {
		res, err = h.m.ApplyAt(h.s, e, h.now)
	}
	if mustJSON(t, h.s) != before {
		t.Fatalf("the input state changed")
	}
	if err != nil {
		var re *rules.RuleError
		if !errors.As(err, &re) && !errors.Is(err, order.ErrInvalid) {
			t.Fatalf("%s: neither a refusal nor invalid input: %v", e.Name(), err)
		}
		if errors.Is(err, order.ErrPolicy) || errors.Is(err, order.ErrClockBehind) {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		// Nothing lost, nothing done: the result is what AdvanceAt gives.
		adv := h.m.AdvanceAt(h.s, h.now)
		if mustJSON(t, adv.State) != mustJSON(t, res.State) || mustJSON(t, adv.Effects) != mustJSON(t, res.Effects) {
			t.Fatalf("%s refused, but the result is not the advanced state", e.Name())
		}
	}
	// Branch: other calls on the same input must not change this result.
	got := mustJSON(t, res.State)
	for _, b := range branches(h.s, h.now) {
		h.m.ApplyAt(h.s, b, h.now)
	}
	h.m.AdvanceAt(h.s, h.now.Add(1000*time.Hour))
	if mustJSON(t, res.State) != got {
		t.Fatalf("a call on the same input changed an earlier result")
	}
	if err := ordertest.Check(h.s, res, h.now, err == nil); err != nil {
		t.Fatalf("after %v at %v: %v\nstate %s", e, h.now, err, mustJSON(t, res.State))
	}
	// A deadline that was due fired, and nothing fired that was not due.
	if next := h.s.Next(); (next.IsZero() || next.After(h.now)) && e == nil && len(res.Effects) > 0 {
		t.Fatalf("advance fired before %v", next)
	}
	if h.s.Locked() && e == nil && len(res.Effects) > 0 {
		t.Fatalf("a locked order fired")
	}
	// Deadlines of the order and its refunds fire in time order, once,
	// never before the last instant nor after now.
	last := h.s.Last
	for _, ef := range res.Effects {
		if h.ids[ef.ID] {
			t.Fatalf("effect ID %d twice", ef.ID)
		}
		h.ids[ef.ID] = true
		if ef.At.Before(last) || ef.At.After(h.now) {
			t.Fatalf("effect %s at %v out of time order (after %v, now %v)", ef.Kind(), ef.At, last, h.now)
		}
		last = ef.At
		switch a := ef.Act.(type) {
		case coupon.GiveBackCoupons:
			seen.coupons++
			for _, c := range a.Coupons {
				if h.coupons[c.Coupon] {
					t.Fatalf("coupon %s given back twice", c.Coupon)
				}
				h.coupons[c.Coupon] = true
			}
		case refund.Settled:
			if h.settled[a.Request] {
				t.Fatalf("refund %d settled twice", a.Request)
			}
			h.settled[a.Request] = true
			seen.settled++
			if a.Full {
				seen.full++
			}
			for _, l := range a.Lines {
				if !l.Done {
					seen.partial++
				}
			}
		case points.GiveBackBeans:
			h.beansBack += a.Beans
			seen.beans++
		case points.GiveBackPoints:
			h.pointsBack += a.Points
		case dispute.LockOrder:
			seen.locks++
		case refund.RevokeTrade:
			seen.revoked++
		case refund.SendReturnAddress:
			seen.returns++
		}
	}
	// Beans and points: given back (by points) + kept = used, never more.
	if sp := res.State.Spend; sp != nil {
		if sp.BeansBack() != h.beansBack || sp.PointsBack() != h.pointsBack || sp.BeansBack() > sp.Beans || sp.PointsBack() > sp.Points {
			t.Fatalf("beans back %d (effects %d) of %d, points back %d (effects %d) of %d", sp.BeansBack(), h.beansBack, sp.Beans, sp.PointsBack(), h.pointsBack, sp.Points)
		}
		for _, l := range sp.Lines {
			if l.BeansBack+l.BeansKept > l.Beans || l.Done && l.BeansBack+l.BeansKept != l.Beans {
				t.Fatalf("line %s: beans %d back %d kept %d", l.Line, l.Beans, l.BeansBack, l.BeansKept)
			}
		}
	}
	if st := res.State; st.Refunded > st.Paid || st.Paid != st.Frozen+st.Settled+st.Refunded {
		t.Fatalf("money: paid %s frozen %s settled %s refunded %s", st.Paid, st.Frozen, st.Settled, st.Refunded)
	}
	// JSON round trip of the result.
	var back order.Result
	if err := json.Unmarshal([]byte(mustJSON(t, res)), &back); err != nil {
		t.Fatalf("result does not decode: %v", err)
	}
	if mustJSON(t, back) != mustJSON(t, res) {
		t.Fatalf("result round trip differs")
	}
	h.log = append(h.log, order.Entry{At: h.now, Event: e})
	h.states = append(h.states, mustJSON(t, res.State))
	h.values = append(h.values, res.State)
	h.effects = append(h.effects, mustJSON(t, res.Effects))
	h.s = res.State
}

// branches are events that change slices in place if anything does.
func branches(s order.State, now time.Time) []order.Event {
	var out []order.Event
	out = append(out, order.Undeliverable{Shipment: 1, Cause: order.WrongAddress, At: now},
		order.Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "i", Contact: "c"},
			Respondent: "m", Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"e"}}})
	for _, c := range s.Complaints.Complaints {
		out = append(out, order.Complaint{Event: dispute.Withdraw{Complaint: c.ID}})
	}
	var items []refund.Item
	for _, l := range s.Lines {
		if !l.Done {
			items = append(items, refund.Item{Line: l.ID})
		}
	}
	if len(items) > 0 {
		out = append(out, order.Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: items}})
	}
	for _, r := range s.Refunds.Requests {
		out = append(out, order.Refund{Event: refund.MerchantAgree{Request: r.ID}})
	}
	var lines []string
	for _, l := range s.Lines {
		lines = append(lines, l.ID)
	}
	return append(out, order.Ship{Lines: lines, Carrier: "b", Tracking: "b", At: now})
}

// seen counts what the model test exercised, so it cannot pass by
// never reaching the refunds.
var seen struct{ settled, full, partial, revoked, returns, coupons, beans, locks, barred, deposits int }

func TestModel(t *testing.T) {
	defer func() {
		t.Logf("refunds settled %d (full %d, partial lines %d), revocations %d, returns %d, coupon give-backs %d, bean give-backs %d, complaint locks %d, ORD-18 refusals %d, deposit refunds closing %d",
			seen.settled, seen.full, seen.partial, seen.revoked, seen.returns, seen.coupons, seen.beans, seen.locks, seen.barred, seen.deposits)
		if !t.Failed() && (seen.settled == 0 || seen.revoked == 0) {
			t.Errorf("the model test reached no settled refund or no revocation")
		}
	}()
	m := order.New(order.Options{})
	rapid.Check(t, func(t *rapid.T) {
		c := ordertest.Cart().Draw(t, "cart")
		rs, err := m.CheckoutAt(c, ordertest.Start)
		if err != nil {
			t.Fatalf("checkout: %v", err)
		}
		for _, r := range rs {
			if err := r.State.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		pick := rs[rapid.IntRange(0, len(rs)-1).Draw(t, "order")].State
		h := &trade{m: m, init: pick, s: pick, now: ordertest.Start, ids: map[uint64]bool{}, coupons: map[string]bool{}, settled: map[int]bool{}}
		t.Repeat(map[string]func(*rapid.T){
			"event": func(t *rapid.T) {
				st := ordertest.StepFor(h.s, h.now).Draw(t, "step")
				h.run(t, st.Event, st.Wait)
			},
			// ORD-18: refund requests and complaints classified by the
			// host, signed for by the buyer or a third party; on a
			// presale order with only its deposit paid, a refund (ORD-14).
			"objection": func(t *rapid.T) {
				var o *order.Objection
				if rapid.Bool().Draw(t, "classified") {
					o = &order.Objection{Surface: rapid.Bool().Draw(t, "surface"), Evidence: rapid.Bool().Draw(t, "evidence"),
						CarrierNoted: rapid.Bool().Draw(t, "carrier_noted")}
				}
				var e order.Event = order.Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "i", Contact: "c"},
					Respondent: "m", Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"e"}}, Objection: o}
				if rapid.Bool().Draw(t, "refund") {
					var items []refund.Item
					for _, l := range h.s.Lines {
						if !l.Done && rapid.Bool().Draw(t, "line "+l.ID) {
							items = append(items, refund.Item{Line: l.ID})
						}
					}
					e = order.Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: items}, Objection: o}
				}
				before, wait := h.s, rapid.SampledFrom([]time.Duration{0, time.Hour, 72 * time.Hour}).Draw(t, "wait")
				var re *rules.RuleError
				if _, err := h.m.ApplyAt(h.s, e, h.now.Add(wait)); errors.As(err, &re) && re.Rule == "ORD-18" {
					seen.barred++
				}
				h.run(t, e, wait)
				if before.Status == order.PendingPayment && h.s.Status == order.Closed && h.s.Refunded > 0 {
					seen.deposits++
				}
			},
			"sign": func(t *rapid.T) {
				var unsigned []int
				for i, sh := range h.s.Shipments {
					if sh.SignedAt.IsZero() {
						unsigned = append(unsigned, i+1)
					}
				}
				if len(unsigned) == 0 {
					t.Skip("nothing to sign for")
				}
				third := rapid.Bool().Draw(t, "third_party")
				h.run(t, order.Sign{Shipment: rapid.SampledFrom(unsigned).Draw(t, "parcel"), At: h.now, ThirdParty: third,
					Authorised: third && rapid.Bool().Draw(t, "authorised")}, 0)
			},
			"advance": func(t *rapid.T) {
				h.run(t, nil, rapid.SampledFrom([]time.Duration{0, time.Second, time.Hour, 100 * time.Hour}).Draw(t, "wait"))
			},
			"": func(t *rapid.T) {
				if err := h.s.Validate(); err != nil {
					t.Fatal(err)
				}
			},
		})
		// No later call changed a state returned earlier (results share
		// the slices they did not change).
		for i, v := range h.values {
			if mustJSON(t, v) != h.states[i] {
				t.Fatalf("state %d changed after it was returned", i)
			}
		}
		// Replay: the log through JSON rebuilds the same states and effects.
		var log []order.Entry
		if err := json.Unmarshal([]byte(mustJSON(t, h.log)), &log); err != nil {
			t.Fatalf("log does not decode: %v", err)
		}
		s := h.init
		for i, en := range log {
			var res order.Result
			if en.Event == nil {
				res = m.AdvanceAt(s, en.At)
			} else {
				res, _ = m.ApplyAt(s, en.Event, en.At)
			}
			if got := mustJSON(t, res.State); got != h.states[i] {
				t.Fatalf("replay step %d: state\n%s\nwant\n%s", i, got, h.states[i])
			}
			if got := mustJSON(t, res.Effects); got != h.effects[i] {
				t.Fatalf("replay step %d: effects %s, want %s", i, got, h.effects[i])
			}
			s = res.State
		}
	})
}
