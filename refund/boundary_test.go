package refund

import (
	"errors"
	"testing"
	"time"
)

// Every deadline at its exact instant and one second either side: one
// second before nothing fires, at the instant and after it fires at the
// instant itself; an event refused at the instant still yields the
// deadline's effects (nothing lost on refusal).
func TestDeadlineBoundaries(t *testing.T) {
	openA := Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}}
	openB := Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}}
	logistics := SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"}
	tests := []struct {
		name     string
		order    func(*Order)
		setup    func(f *fixture)
		due      time.Duration // deadline, from t0
		rule     string
		before   Status
		after    Status
		firstAct string // kind of the first effect it fires ("" none)
	}{
		{"merchant_response escrow", nil, func(f *fixture) { f.apply(openA) }, 2 * day, "RFD-2", Requested, Refunded, "refund_money"},
		{"merchant_response direct", func(o *Order) { o.Mode = Direct }, func(f *fixture) { f.apply(openA) }, 2 * day, "RFD-2", Requested, AwaitingBuyer, "refund_notice"},
		{"buyer_feedback", func(o *Order) { o.Mode = Direct }, func(f *fixture) { f.apply(openA); f.at(2 * day).advance() }, 9 * day, "RFD-2", AwaitingBuyer, Closed, ""},
		{"refusal_response", nil, func(f *fixture) { f.apply(openA); f.at(day).apply(MerchantRefuse{Request: 1}) }, 8 * day, "RFD-2", Refused, Closed, ""},
		{"revocation_voucher", func(o *Order) { unshipped(o, "A") }, func(f *fixture) { f.apply(openA) }, 2 * day, "RFD-9", Requested, Refunded, "revoke_trade"},
		{"return_merchant_response", nil, func(f *fixture) { f.apply(openB) }, 2 * day, "RFD-3", Requested, AwaitingReturn, "send_return_address"},
		{"return_logistics", nil, func(f *fixture) { f.apply(openB); f.at(day).apply(MerchantAgree{Request: 1}) }, 8 * day, "RFD-3", AwaitingReturn, Closed, ""},
		{"return_refund", nil, func(f *fixture) { f.apply(openB); f.apply(MerchantAgree{Request: 1}); f.at(day).apply(logistics) },
			11 * day, "RFD-3", Returning, Refunded, "refund_money"},
		{"return_refusal_response", nil, func(f *fixture) {
			f.apply(openB)
			f.apply(MerchantAgree{Request: 1})
			f.at(day).apply(logistics)
			f.at(2 * day).apply(MerchantRefuse{Request: 1})
		}, 9 * day, "RFD-3", Refused, Closed, ""},
		{"no_reason_refund", nil, func(f *fixture) {
			f.sign("A").apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(day).apply(logistics)
			f.at(2 * day).apply(MerchantReceive{Request: 1})
		}, 9 * day, "RFD-7", Received, Refunded, "refund_money"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			tc.setup(f)
			due := t0.Add(tc.due).UTC()
			if r := f.req(1); !r.Deadline.Equal(due) || r.DueRule != tc.rule || r.Status != tc.before || !f.s.Next().Equal(due) {
				t.Fatalf("deadline %v (%s) in %v, want %v (%s) in %v", r.Deadline, r.DueRule, r.Status, due, tc.rule, tc.before)
			}
			s := f.s
			if res := f.m.AdvanceAt(f.o, s, due.Add(-sec)); len(res.Effects) != 0 || res.State.Requests[0].Status != tc.before {
				t.Fatalf("one second early: %v %v", res.State.Requests[0].Status, kinds(res.Effects))
			}
			for _, at := range []time.Time{due, due.Add(sec)} {
				res := f.m.AdvanceAt(f.o, s, at)
				r := res.State.Requests[0]
				if r.Status != tc.after || !r.Since.Equal(due) {
					t.Fatalf("at %v: %v since %v, want %v since %v", at, r.Status, r.Since, tc.after, due)
				}
				if tc.firstAct != "" && (len(res.Effects) == 0 || res.Effects[0].Kind() != tc.firstAct) {
					t.Fatalf("at %v: effects %v, want %s first", at, kinds(res.Effects), tc.firstAct)
				}
				for _, e := range res.Effects {
					if !e.At.Equal(due) {
						t.Errorf("effect %s at %v, want the deadline %v", e.Kind(), e.At, due)
					}
				}
				if again := f.m.AdvanceAt(f.o, res.State, at); len(again.Effects) != 0 || len(again.Decisions) != 0 {
					t.Errorf("advance twice at %v: %v", at, kinds(again.Effects))
				}
				// An event refused at that instant still yields the effects.
				refused, err := f.m.ApplyAt(f.o, s, Withdraw{Request: 7}, at)
				if !errors.Is(err, ErrNoRequest) || len(refused.Effects) != len(res.Effects) || refused.State.Requests[0].Status != tc.after {
					t.Errorf("refused at %v: %v, %v, %v", at, err, kinds(refused.Effects), refused.State.Requests[0].Status)
				}
			}
		})
	}
}

// RFD-5: the no-reason window counts calendar days in the policy's zone
// from the day after the signing instant: signed at 23:59:59 on 1 March
// (Shanghai), requested until the end of 8 March.
func TestNoReasonWindowBoundary(t *testing.T) {
	signed := time.Date(2024, 3, 1, 23, 59, 59, 0, shanghai)
	end := time.Date(2024, 3, 9, 0, 0, 0, 0, shanghai)
	for _, c := range []struct {
		at   time.Time
		want error
	}{{end.Add(-sec), nil}, {end, ErrWindowClosed}, {end.Add(sec), ErrWindowClosed}} {
		f := newFixture(t, testOrder())
		f.now = signed
		f.sign("A")
		f.now = c.at
		_, err := f.m.ApplyAt(f.o, f.s, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, f.now)
		if !errors.Is(err, c.want) && (c.want != nil || err != nil) {
			t.Errorf("requested %v: %v, want %v", c.at, err, c.want)
		}
	}
	// A callback that reports the signing later does not move the
	// window: it counts from SignedAt, not from when the host heard.
	f := newFixture(t, testOrder())
	f.o.Lines[0].SignedAt = signed.UTC()
	f.now = end
	if _, err := f.m.ApplyAt(f.o, f.s, Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, f.now); !errors.Is(err, ErrWindowClosed) {
		t.Errorf("window from the signing instant: %v", err)
	}
}
