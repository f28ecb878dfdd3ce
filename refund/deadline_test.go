package refund

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Every deadline, at the exact instant and one second either side: one
// second before nothing fires; at the instant and one second after (a late
// Advance catches up) it fires once, at its own instant.
func TestDeadlines(t *testing.T) {
	direct := func(o *Order) { o.Mode = Direct }
	unshipped := func(o *Order) { o.Lines[0].Shipped, o.Lines[1].Shipped = false, false }
	tests := []struct {
		name    string
		order   func(*Order)
		steps   func(f *fixture)
		due     time.Duration // from t0
		rule    string
		want    Status
		effects []string
	}{
		{name: "RFD-2 escrow merchant silent refunds", steps: func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
		}, due: 2 * day, rule: "RFD-2", want: Refunded, effects: []string{"refund_money", "return_beans"}},
		{name: "RFD-2 direct merchant silent goes back to buyer", order: direct, steps: func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
		}, due: 2 * day, rule: "RFD-2", want: AwaitingBuyer, effects: []string{"notify"}},
		{name: "RFD-2 direct buyer silent closes", order: direct, steps: func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
			f.at(2 * day).advance()
		}, due: 9 * day, rule: "RFD-2", want: Closed, effects: []string{}},
		{name: "RFD-2 buyer silent after refusal closes", steps: func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}})
			f.at(day).apply(MerchantRefuse{Request: 1})
		}, due: 8 * day, rule: "RFD-2", want: Closed, effects: []string{}},
		{name: "RFD-3 merchant silent is deemed agreed", steps: func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
		}, due: 2 * day, rule: "RFD-3", want: AwaitingReturn, effects: []string{"send_return_address"}},
		{name: "RFD-3 buyer sends no logistics closes", steps: func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.at(time.Hour).apply(MerchantAgree{Request: 1})
		}, due: 7*day + time.Hour, rule: "RFD-3", want: Closed, effects: []string{}},
		{name: "RFD-3 merchant does not refund in 10 days", steps: func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.at(time.Hour).apply(MerchantAgree{Request: 1})
			f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(3 * day).apply(MerchantReceive{Request: 1})
		}, due: 11 * day, rule: "RFD-3", want: Refunded, effects: []string{"refund_money", "return_points"}},
		{name: "RFD-7 no-reason refund 7 days after receipt", steps: func(f *fixture) {
			f.apply(Sign{Lines: []string{"A"}})
			f.apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
			f.at(time.Hour).apply(MerchantAgree{Request: 1})
			f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(2 * day).apply(MerchantReceive{Request: 1})
		}, due: 9 * day, rule: "RFD-7", want: Refunded, effects: []string{"refund_money", "return_beans"}},
		{name: "RFD-3 bounds RFD-7 when receipt is late", steps: func(f *fixture) {
			f.apply(Sign{Lines: []string{"A"}})
			f.apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
			f.at(time.Hour).apply(MerchantAgree{Request: 1})
			f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(8 * day).apply(MerchantReceive{Request: 1})
		}, due: 11 * day, rule: "RFD-3", want: Refunded, effects: []string{"refund_money", "return_beans"}},
		{name: "RFD-3 buyer silent after refusal on receipt closes", steps: func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(2 * day).apply(MerchantRefuse{Request: 1, Note: "worn"})
		}, due: 9 * day, rule: "RFD-3", want: Closed, effects: []string{}},
		{name: "RFD-3 modified after receipt: merchant silent refunds", steps: func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(2 * day).apply(MerchantRefuse{Request: 1})
			f.at(3 * day).apply(Modify{Request: 1, Items: []Item{{Line: "B", Amount: d("20.00")}}})
		}, due: 5 * day, rule: "RFD-3", want: Refunded, effects: []string{"refund_money"}},
		{name: "RFD-9 no voucher revokes the trade", order: unshipped, steps: func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}})
		}, due: 2 * day, rule: "RFD-9", want: Refunded,
			effects: []string{"revoke_trade", "refund_money", "return_beans", "return_points", "return_coupons"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			tc.steps(f)
			due := t0.Add(tc.due).UTC()
			r := f.req(1)
			if !r.Deadline.Equal(due) || r.DueRule != tc.rule || !f.s.Next().Equal(due) {
				t.Fatalf("deadline %v (%s), next %v; want %v (%s)", r.Deadline, r.DueRule, f.s.Next(), due, tc.rule)
			}
			before := r.Status
			for _, off := range []time.Duration{-sec, 0, sec} {
				f.clk.Set(due.Add(off))
				res := f.m.Advance(f.s)
				got := res.State.Requests[0]
				if off < 0 {
					if got.Status != before || len(res.Effects) != 0 {
						t.Errorf("%v early: status %v, effects %v", off, got.Status, kinds(res.Effects))
					}
					continue
				}
				if got.Status != tc.want || !got.Since.Equal(due) {
					t.Errorf("%v: status %v since %v; want %v since %v", off, got.Status, got.Since, tc.want, due)
				}
				if diff := cmp.Diff(tc.effects, kinds(res.Effects)); diff != "" {
					t.Errorf("%v: effects (-want +got):\n%s", off, diff)
				}
				again := f.m.Advance(res.State)
				if diff := cmp.Diff(res.State, again.State); diff != "" || len(again.Effects) != 0 {
					t.Errorf("%v: second Advance changed state (-first +second):\n%s", off, diff)
				}
			}
		})
	}
}

// RFD-5: the no-reason window is days(7) counted from the day after
// signing, in the business zone: signed 2024-03-01 15:04 +08:00, it
// closes at 2024-03-09 00:00 +08:00.
func TestNoReasonWindowBoundary(t *testing.T) {
	checkNoReasonWindow(t, DefaultPolicy(), t0, time.Date(2024, 3, 9, 0, 0, 0, 0, shanghai))
}

// checkNoReasonWindow signs for line A at signed under policy set and
// checks a no-reason return one second before closes (accepted), at it
// and one second after (refused, RFD-5).
func checkNoReasonWindow(t *testing.T, set *rules.Set, signed, closes time.Time) {
	t.Helper()
	for _, tc := range []struct {
		at time.Time
		ok bool
	}{{closes.Add(-sec), true}, {closes, false}, {closes.Add(sec), false}} {
		f := newFixture(t, testOrder())
		f.m = New(Options{Policy: set, Clock: f.clk})
		f.clk.Set(signed)
		f.apply(Sign{Lines: []string{"A"}})
		f.clk.Set(tc.at)
		e := Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}
		if tc.ok {
			f.apply(e)
			continue
		}
		f.refused(e, ErrWindowClosed, "RFD-5")
	}
}
