package refund

import (
	"errors"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// RFD-5 with RFD-2/RFD-3: the no-reason window bounds the request, not the
// buyer's answer to a refusal. A buyer refused on day 6 may modify the
// request on day 9 (within return_refusal_response); a line added to the
// request then is judged at the modification.
func TestNoReasonModifyAfterWindow(t *testing.T) {
	o := testOrder()
	o.Lines[0].Labelled = false // the merchant may refuse it
	o.Lines[1].NoReason = true
	f := newFixture(t, o)
	f.apply(Sign{Lines: []string{"A", "B"}})
	f.at(6 * day).apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
	f.at(6*day + time.Hour).apply(MerchantRefuse{Request: 1})
	f.at(9 * day)
	f.refused(Modify{Request: 1, Items: []Item{{Line: "A"}, {Line: "B"}}}, ErrWindowClosed, "RFD-5")
	f.apply(Modify{Request: 1, Items: []Item{{Line: "A", Amount: d("40.00")}}})
	if r := f.req(1); r.Status != Requested || !r.Items[0].Amount.Equal(d("40.00")) {
		t.Errorf("modified request %v %v", r.Status, r.Items)
	}
}

// RFD-9: a voucher is evidence of a shipping date; one without a date
// proves nothing and cannot reverse a revocation.
func TestVoucherWithoutDate(t *testing.T) {
	o := testOrder()
	o.Lines[0].Shipped = false
	f := newFixture(t, o)
	f.at(time.Hour).apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	f.refused(ShippingVoucher{Request: 1}, ErrBadRequest, "RFD-9")
	// Decoded from JSON without shipped_at: the same.
	e, err := DecodeEvent([]byte(`{"type":"shipping_voucher","request":1}`))
	if err != nil {
		t.Fatal(err)
	}
	f.refused(e, ErrBadRequest, "RFD-9")
	// At the boundary: one second before the request reverses it.
	f.at(2*day + time.Hour - sec).apply(ShippingVoucher{Request: 1, ShippedAt: t0.Add(time.Hour - sec)})
	if r := f.req(1); r.Revocation || r.Status != Requested || !r.Deadline.Equal(t0.Add(2*day+time.Hour).UTC()) {
		t.Errorf("after voucher: revocation %t, %v, deadline %v", r.Revocation, r.Status, r.Deadline)
	}
}

// RFD-9 then RFD-2 under a policy whose revocation period outlasts the
// merchant's response period: a voucher shown after the merchant's
// period ended cannot make that period end before the voucher was shown.
// The silence takes effect at the voucher's instant, never earlier.
func TestVoucherAfterMerchantPeriod(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("revocation_voucher", `duration("72h")`)
	if err != nil {
		t.Fatal(err)
	}
	o := testOrder()
	o.Lines[0].Shipped = false
	f := newFixture(t, o)
	f.m = New(Options{Policy: set, Clock: f.clk})
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	now := t0.Add(60 * time.Hour).UTC()
	f.clk.Set(now)
	f.apply(ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)})
	r := f.req(1)
	if r.Status != Refunded || !r.Since.Equal(now) {
		t.Errorf("status %v since %v; want refunded since %v (the voucher's instant)", r.Status, r.Since, now)
	}
	// Within the merchant's period the deadline is counted from the request.
	f = newFixture(t, o)
	f.m = New(Options{Policy: set, Clock: f.clk})
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	f.at(day).apply(ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)})
	if r := f.req(1); r.Status != Requested || !r.Deadline.Equal(t0.Add(2*day).UTC()) || r.DueRule != "RFD-2" {
		t.Errorf("status %v deadline %v (%s)", r.Status, r.Deadline, r.DueRule)
	}
}

// PTS-2 is judged when the refund is requested: a request made before
// the buyer confirmed receipt is refunded, points included, once the
// merchant agrees, even if the buyer confirms in the meantime; one made
// after confirmation waits for the platform.
func TestPointsJudgedAtRequest(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}})
	f.at(time.Hour).apply(ConfirmReceipt{})
	f.at(2 * time.Hour).apply(MerchantAgree{Request: 1})
	if r := f.req(1); r.Status != Refunded {
		t.Fatalf("requested before confirmation: %v", r.Status)
	}
	if diff := cmp.Diff([]string{"refund_money", "return_points"}, kinds(f.res.Effects)); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}

	o := testOrder()
	o.Confirmed = true
	f = newFixture(t, o)
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}})
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	if r := f.req(1); r.Status != Intervention {
		t.Fatalf("requested after confirmation: %v", r.Status)
	}
	f.at(day).apply(PlatformDecide{Request: 1, Outcome: FullRefund})
	if diff := cmp.Diff([]string{"refund_money", "return_points"}, kinds(f.res.Effects)); diff != "" {
		t.Errorf("forced: effects (-want +got):\n%s", diff)
	}
}

// RFD-4: a loan payment refunds to the bank account bound to the loan, so
// an order paid by loan without one cannot start.
func TestLoanNeedsBoundAccount(t *testing.T) {
	o := testOrder()
	o.Payment = Payment{Route: Loan, Account: "LOAN-9"}
	_, err := New(Options{}).Start(o)
	var re *rules.RuleError
	if !errors.Is(err, ErrBadOrder) || !errors.As(err, &re) || re.Rule != "RFD-4" {
		t.Fatalf("loan without a bound account: %v", err)
	}
}

// ORD-17: whether the trade is revoked depends on whether the lines had
// shipped before the request. A merchant that ships afterwards does not
// turn the request into one it may refuse, even when the buyer changes
// the amount.
func TestRevocationSurvivesModify(t *testing.T) {
	o := testOrder()
	o.Lines[0].Shipped = false
	f := newFixture(t, o)
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	f.at(time.Hour).apply(Ship{Lines: []string{"A"}})
	f.at(2 * time.Hour).apply(Modify{Request: 1, Items: []Item{{Line: "A", Amount: d("10.00")}}})
	if !f.req(1).Revocation {
		t.Fatal("modify dropped the revocation")
	}
	f.refused(MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-9")
	// Adding a line that had shipped before the request makes it an
	// ordinary refund-only request.
	f.apply(Modify{Request: 1, Items: []Item{{Line: "A"}, {Line: "B"}}})
	if f.req(1).Revocation {
		t.Fatal("a request with a line shipped before it is still a revocation")
	}
}

// RFD-8: held funds stay with the platform: no later request gives them
// back.
func TestHeldFundsNotRefunded(t *testing.T) {
	o := testOrder()
	o.Lines[1].Prohibited = true
	f := newFixture(t, o)
	f.apply(Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}})
	f.at(day).apply(SuspectCrime{Request: 1})
	f.refused(Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}}, ErrLineBusy, "RFD-8")
	f.refused(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}, {Line: "B"}}}, ErrLineBusy, "RFD-8")
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}) // other lines are not held
}

// A window threshold is a period: a negative duration is a broken policy,
// reported with ErrPolicy, never a deadline before the event that opened
// it.
func TestNegativeWindowIsPolicyError(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("merchant_response", `duration("-1h")`)
	if err != nil {
		t.Skipf("rules now rejects negative windows: %v", err)
	}
	f := newFixture(t, testOrder())
	f.m = New(Options{Policy: set, Clock: f.clk})
	_, err = f.m.Apply(f.s, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	if !errors.Is(err, ErrPolicy) {
		t.Fatalf("negative merchant_response: %v", err)
	}
}

// A late Advance catches up on every missed deadline of every request,
// each at its own instant, earliest first (ties: lowest request ID),
// chained deadlines included (a direct merchant's silence, then the
// buyer's), with the effects and decisions in that order.
func TestAdvanceCatchesUpInOrder(t *testing.T) {
	o := testOrder()
	o.Mode = Direct
	o.Lines = append(o.Lines, Line{ID: "C", Amount: d("10.00"), Discount: d("0"), BeanValue: d("0"), PointValue: d("0"), Shipped: true})
	f := newFixture(t, o)
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})           // 1: silent → buyer at 2d, closes 9d
	f.at(day).apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}) // 2: deemed agreed 3d, closes 10d
	f.at(day).apply(Open{Kind: RefundOnly, Items: []Item{{Line: "C"}}})   // 3: silent → buyer 3d, closes 10d
	f.at(30 * day)
	res := f.advance()
	type fired struct {
		ID   int
		Rule string
	}
	var got []fired
	for _, dec := range res.Decisions {
		if dec.Threshold == "" { // a transition, not the window it opened
			var id int
			if _, err := fmt.Sscanf(dec.Note, "request %d:", &id); err != nil {
				t.Fatal(err)
			}
			got = append(got, fired{ID: id, Rule: dec.Rule})
		}
	}
	want := []fired{{1, "RFD-2"}, {2, "RFD-3"}, {3, "RFD-2"}, {1, "RFD-2"}, {2, "RFD-3"}, {3, "RFD-2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("firing order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"notify", "send_return_address", "notify"}, kinds(res.Effects)); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	for id, closed := range map[int]time.Duration{1: 9 * day, 2: 10 * day, 3: 10 * day} {
		if r := res.State.Requests[id-1]; r.Status != Closed || !r.Since.Equal(t0.Add(closed).UTC()) {
			t.Errorf("request %d: %v since %v, want closed since %v", id, r.Status, r.Since, t0.Add(closed).UTC())
		}
	}
}

// Apply fires due deadlines before it applies the event: one second
// before a deadline the event is judged in the old status, at the very
// instant in the new one.
func TestApplyAtDeadlineInstant(t *testing.T) {
	unshipped := func(o *Order) { o.Lines[0].Shipped = false }
	tests := []struct {
		name  string
		order func(*Order)
		open  Event
		due   time.Duration
		e     Event
		err   error  // at the instant
		rule  string // of that refusal
	}{
		{"RFD-2 escrow: agreement vs automatic refund", nil, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, 2 * day,
			MerchantAgree{Request: 1}, ErrFinal, "RFD-1"},
		{"RFD-3 silence deemed agreement: refusal too late", nil, Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}, 2 * day,
			MerchantRefuse{Request: 1}, ErrNotAllowed, "RFD-3"},
		{"RFD-9 voucher at the revocation deadline", unshipped, Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}, 2 * day,
			ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)}, ErrFinal, "RFD-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			f.apply(tc.open)
			f.at(tc.due - sec)
			if _, err := f.m.Apply(f.s, tc.e); err != nil {
				t.Errorf("one second before: %v", err)
			}
			f.at(tc.due).refused(tc.e, tc.err, tc.rule)
		})
	}
}

// Every period is read from the policy: with each window overridden to a
// distinct value, each deadline follows its own threshold, not a
// constant.
func TestOverridesHonoured(t *testing.T) {
	set := DefaultPolicy()
	for name, expr := range map[string]string{
		"merchant_response": `duration("25h")`, "buyer_feedback": `duration("26h")`, "refusal_response": `duration("27h")`,
		"return_merchant_response": `duration("28h")`, "return_logistics": `duration("29h")`, "return_refund": `duration("30h")`,
		"return_refusal_response": `duration("32h")`, "no_reason_refund": `duration("20h")`, "revocation_voucher": `duration("31h")`,
		"no_reason_window": `days(2)`, "receipt_refund_all": `true`,
	} {
		var err error
		if set, err = set.OverrideExpr(name, expr); err != nil {
			t.Fatal(err)
		}
	}
	h := time.Hour
	tests := []struct {
		name  string
		order func(*Order)
		steps func(f *fixture)
		due   time.Duration // from t0
		rule  string
	}{
		{"merchant_response", nil, func(f *fixture) { f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}}) }, 25 * h, "RFD-2"},
		{"buyer_feedback", func(o *Order) { o.Mode = Direct }, func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
			f.at(25 * h).advance()
		}, 51 * h, "RFD-2"},
		{"refusal_response", nil, func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}})
			f.at(h).apply(MerchantRefuse{Request: 1})
		}, 28 * h, "RFD-2"},
		{"return_merchant_response", nil, func(f *fixture) { f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}}) }, 28 * h, "RFD-3"},
		{"return_logistics", nil, func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.at(28 * h).advance()
		}, 57 * h, "RFD-3"},
		{"return_refund", nil, func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(h).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
		}, 31 * h, "RFD-3"},
		{"no_reason_refund binds every return (receipt_refund_all)", nil, func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(h).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(2 * h).apply(MerchantReceive{Request: 1})
		}, 22 * h, "RFD-7"},
		{"return_refusal_response", nil, func(f *fixture) {
			f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(h).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(2 * h).apply(MerchantRefuse{Request: 1})
		}, 34 * h, "RFD-3"},
		{"revocation_voucher", func(o *Order) { o.Lines[0].Shipped = false }, func(f *fixture) {
			f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
		}, 31 * h, "RFD-9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, tc.order)
			f.m = New(Options{Policy: set, Clock: f.clk})
			tc.steps(f)
			if r := f.req(1); !r.Deadline.Equal(t0.Add(tc.due).UTC()) || r.DueRule != tc.rule {
				t.Errorf("deadline %v (%s), want %v (%s)", r.Deadline, r.DueRule, t0.Add(tc.due).UTC(), tc.rule)
			}
		})
	}
	// no_reason_window days(2): signed 2024-03-01, open until 2024-03-04 00:00 +08:00.
	closes := time.Date(2024, 3, 4, 0, 0, 0, 0, shanghai)
	f := newFixture(t, testOrder())
	f.m = New(Options{Policy: set, Clock: f.clk})
	f.apply(Sign{Lines: []string{"A"}})
	f.clk.Set(closes)
	f.refused(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}}, ErrWindowClosed, "RFD-5")
	f.clk.Set(closes.Add(-sec))
	f.apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
}

// RFD-5 in a business zone with daylight saving time (a host's zone
// override): the window counts civil days in that zone. Signed on
// 2024-03-05 at 23:30 EST, the window closes at 2024-03-13 00:00 EDT:
// 7 days minus 30 minutes later, since the night of 03-10 lost an hour.
// In the default zone (Asia/Shanghai) it would close 13 hours earlier.
func TestNoReasonWindowDSTZone(t *testing.T) {
	set, err := DefaultPolicy().Override(fstest.MapFS{"zone.yaml": {Data: []byte("policy: refund\nzone: America/New_York\n")}}, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	signed := time.Date(2024, 3, 5, 23, 30, 0, 0, ny)
	closes := time.Date(2024, 3, 13, 0, 0, 0, 0, ny)
	if got := closes.Sub(signed); got != 7*day-30*time.Minute {
		t.Fatalf("test setup: %v between signing and closing", got)
	}
	checkNoReasonWindow(t, set, signed, closes)
}

// An event passed by pointer is the event it points to; a nil pointer is
// refused like a nil event, without a panic.
func TestPointerEvents(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(&Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	if Target(&Withdraw{Request: 1}) != 1 {
		t.Errorf("Target(&Withdraw{1}) = %d", Target(&Withdraw{Request: 1}))
	}
	f.refused((*Withdraw)(nil), ErrBadRequest, "RFD-1")
	f.apply(&Withdraw{Request: 1})
	if r := f.req(1); r.Status != Withdrawn {
		t.Errorf("status %v", r.Status)
	}
	if _, err := EncodeEvent((*Withdraw)(nil)); err == nil {
		t.Error("EncodeEvent of a nil pointer: no error")
	}
	b, err := EncodeEvent(&Withdraw{Request: 2})
	if err != nil || string(b) != `{"request":2,"type":"withdraw"}` {
		t.Errorf("EncodeEvent(&Withdraw{2}) = %s, %v", b, err)
	}
}
