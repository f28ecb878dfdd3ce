package refund

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// RFD-9 (3): a revocation refunds each revoked line's whole remaining
// payment whatever the buyer typed, and the outbound fee only when every
// line of the order is revoked or refunded.
func TestRevocationRefundsWholeLines(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("10.00")}}})
	if r := f.req(1); !r.Revocation || r.Stage != BeforeShipment {
		t.Fatalf("request 1: revocation %t, stage %v", r.Revocation, r.Stage)
	}
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	money := actsOf[RefundMoney](f.res.Effects)
	if len(money) != 1 || !money[0].Amount.Equal(d("85.00")) {
		t.Fatalf("revocation refunded %+v, want the line's whole 85.00 without the shipping fee", money)
	}
	settled := actsOf[Settled](f.res.Effects)
	want := []SettledLine{{Line: "A", Money: d("85.00"), Refunded: d("85.00"), Paid: d("85.00"), Done: true}}
	if len(settled) != 1 || settled[0].Full || settled[0].Stage != BeforeShipment ||
		!cmp.Equal(want, settled[0].Lines, cmp.Comparer(func(a, b SettledLine) bool {
			return a.Line == b.Line && a.Money.Equal(b.Money) && a.Refunded.Equal(b.Refunded) && a.Paid.Equal(b.Paid) && a.Done == b.Done
		})) {
		t.Fatalf("settled %+v", settled)
	}
	// The last line refunded: now the fee goes back.
	f.at(2 * time.Hour).apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}})
	f.at(3 * time.Hour).apply(MerchantAgree{Request: 2})
	money = actsOf[RefundMoney](f.res.Effects)
	if len(money) != 1 || !money[0].Amount.Equal(d("51.00")) {
		t.Fatalf("last refund %+v, want 43.00 + 8.00 shipping", money)
	}
	if s := actsOf[Settled](f.res.Effects); len(s) != 1 || !s[0].Full {
		t.Fatalf("last settled %+v, want full", s)
	}
	if got := f.s.Refunded(); !got.Equal(d("136.00")) {
		t.Errorf("refunded %s of 136.00", got)
	}
}

// RFD-9 (1): the revocation takes precedence over RFD-2 in both payment
// modes: silence until revocation_voucher ends revokes the trade (no
// direct-mode feedback to the buyer), including the fee when every line
// is revoked. RFD-9 (2): a voucher within that period returns the request
// to RFD-2, which then differs by mode.
func TestRevocationPrecedenceBothModes(t *testing.T) {
	for _, mode := range []Mode{Escrow, Direct} {
		t.Run(mode.String(), func(t *testing.T) {
			f := newFixtureWith(t, func(o *Order) { o.Mode = mode; unshipped(o, "A", "B") })
			f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("1.00")}, {Line: "B"}}})
			f.at(2*day - sec).advance()
			if r := f.req(1); r.Status != Requested {
				t.Fatalf("before revocation_voucher ends: %v", r.Status)
			}
			f.at(2 * day).advance()
			if diff := cmp.Diff([]string{"revoke_trade", "refund_money", "refund_settled"}, kinds(f.res.Effects)); diff != "" {
				t.Fatalf("effects (-want +got):\n%s", diff)
			}
			if m := actsOf[RefundMoney](f.res.Effects)[0]; !m.Amount.Equal(d("136.00")) {
				t.Errorf("revoked %s, want 136.00 (every line and the fee)", m.Amount)
			}
			if e := f.res.Effects[0]; !e.At.Equal(t0.Add(2*day).UTC()) || e.Rule != "RFD-9" {
				t.Errorf("revoke_trade at %v rule %s", e.At, e.Rule)
			}

			f = newFixtureWith(t, func(o *Order) { o.Mode = mode; unshipped(o, "A") })
			f.at(time.Hour).apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("10.00")}}})
			f.at(day).apply(ShippingVoucher{Request: 1, ShippedAt: t0})
			if r := f.req(1); r.Revocation || r.Stage != Shipped || r.DueRule != "RFD-2" || !r.Deadline.Equal(t0.Add(2*day+time.Hour).UTC()) {
				t.Fatalf("after the voucher: %+v", r)
			}
			f.at(2*day + time.Hour).advance()
			want := map[Mode]Status{Escrow: Refunded, Direct: AwaitingBuyer}[mode]
			if r := f.req(1); r.Status != want {
				t.Fatalf("RFD-2 silence in %v: %v, want %v", mode, r.Status, want)
			}
			if mode == Escrow {
				if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || !m[0].Amount.Equal(d("10.00")) {
					t.Errorf("after a voucher RFD-2 refunds what was asked: %+v", m)
				}
			}
		})
	}
}

// RFD-9 (2) at its boundary: a voucher one second before the period ends
// is accepted, one at its end finds the trade revoked.
func TestVoucherBoundary(t *testing.T) {
	for _, c := range []struct {
		off  time.Duration
		want error
	}{{-sec, nil}, {0, ErrFinal}, {sec, ErrFinal}} {
		f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
		f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
		f.at(2*day + c.off)
		res, err := f.m.ApplyAt(f.o, f.s, ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)}, f.now)
		if !errors.Is(err, c.want) && (c.want != nil || err != nil) {
			t.Errorf("voucher at end%+v: %v, want %v", c.off, err, c.want)
		}
		if c.want != nil && len(actsOf[RevokeTrade](res.Effects)) != 1 {
			t.Errorf("voucher refused at end%+v: the revocation's effects are lost: %v", c.off, kinds(res.Effects))
		}
	}
}

// RFD-9 (4): a request on shipped and unshipped lines revokes the
// unshipped ones in a request of their own and handles the shipped ones
// under RFD-2 (which the merchant may refuse).
func TestMixedRequestSplits(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("1.00")}, {Line: "B", Amount: d("3.00")}}})
	if len(f.s.Requests) != 2 {
		t.Fatalf("%d requests", len(f.s.Requests))
	}
	r1, r2 := f.req(1), f.req(2)
	if !r1.Revocation || r1.Items[0].Line != "A" || r2.Revocation || r2.Items[0].Line != "B" || r2.Stage != Shipped {
		t.Fatalf("requests %+v %+v", r1, r2)
	}
	f.refused(MerchantRefuse{Request: 1}, ErrCannotRefuse, "RFD-9")
	f.at(time.Hour).apply(MerchantRefuse{Request: 2})
	if f.req(2).Status != Refused {
		t.Fatal("RFD-2 part not refused")
	}
	// A line that had not shipped cannot be added to the RFD-2 request.
	f.refused(Modify{Request: 2, Items: []Item{{Line: "B"}, {Line: "A"}}}, ErrLineBusy, "RFD-1")
}

// ORD-17 / RFD-9: a merchant that ships after the revocation bears the
// shipping and any loss: the composer records the shipment and applies
// ShippedAfterRevocation; the machine says so once.
func TestShippedAfterRevocation(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.refused(ShippedAfterRevocation{Lines: []string{"A"}}, ErrNotAllowed, "RFD-9") // not shipped
	f.refused(ShippedAfterRevocation{Lines: []string{"B"}}, ErrNotAllowed, "RFD-9") // no revocation
	f.refused(ShippedAfterRevocation{Lines: []string{"Z"}}, ErrInvalid, "")
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	f.at(day).ship("A").apply(ShippedAfterRevocation{Lines: []string{"A"}})
	loss := actsOf[MerchantBearsLoss](f.res.Effects)
	if len(loss) != 1 || loss[0].Request != 1 || !cmp.Equal(loss[0].Lines, []string{"A"}) || f.res.Effects[0].Rule != "RFD-9" {
		t.Fatalf("effects %+v", f.res.Effects)
	}
	f.refused(ShippedAfterRevocation{Lines: []string{"A"}}, ErrNotAllowed, "RFD-9") // reported once
	// A pending revocation keeps revoking though the merchant shipped.
	f = newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(day).ship("A").apply(ShippedAfterRevocation{Lines: []string{"A"}})
	f.at(2 * day).advance()
	if r := f.req(1); r.Status != Refunded || len(actsOf[RevokeTrade](f.res.Effects)) != 1 {
		t.Fatalf("revocation after a late shipment: %v %v", r.Status, kinds(f.res.Effects))
	}
}

// RFD-5 Reading: supporting no-reason returns means labelled; an order
// that says a line supports them and is custom-made or excluded is
// refused as invalid.
func TestNoReasonIsLabelled(t *testing.T) {
	for _, mod := range []func(*Line){func(l *Line) { l.CustomMade = true }, func(l *Line) { l.Excluded = true }} {
		o := testOrder()
		mod(&o.Lines[0])
		if err := o.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("inconsistent line accepted: %v", err)
		}
		_, err := New(Options{}).ApplyAt(o, State{}, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}}, t0)
		var re *rules.RuleError
		if !errors.Is(err, ErrInvalid) || errors.As(err, &re) {
			t.Errorf("ApplyAt on an inconsistent order: %v", err)
		}
	}
}

// The rule logic a policy author may change is in refund.yaml.
func TestPolicyThresholds(t *testing.T) {
	with := func(t *testing.T, name, expr string) *fixture {
		set, err := DefaultPolicy().OverrideExpr(name, expr)
		if err != nil {
			t.Fatal(err)
		}
		f := newFixtureWith(t, func(o *Order) { o.Lines[1].NoReason = true })
		f.m = New(Options{Policy: set})
		return f
	}
	noReason := Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}, {Line: "B"}}}
	t.Run("no_reason_buyer_pays_shipping", func(t *testing.T) {
		for _, c := range []struct {
			expr     string
			out, bck Party
			fee      string
		}{{"true", Buyer, Buyer, "128.00"}, {"false", Merchant, Merchant, "136.00"}} {
			f := with(t, "no_reason_buyer_pays_shipping", c.expr)
			f.sign("A", "B").at(day).apply(noReason)
			costs := actsOf[ShippingCost](f.res.Effects)
			if len(costs) != 2 || costs[0].Payer != c.out || costs[1].Payer != c.bck {
				t.Errorf("%s: costs %+v", c.expr, costs)
			}
			f.at(day).apply(MerchantAgree{Request: 1})
			f.at(2 * day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(3 * day).apply(MerchantRefund{Request: 1})
			if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || !m[0].Amount.Equal(d(c.fee)) {
				t.Errorf("%s: refunded %+v, want %s", c.expr, m, c.fee)
			}
		}
	})
	t.Run("no_reason_refuse_after_receipt", func(t *testing.T) {
		for _, c := range []struct {
			expr string
			want error
		}{{"true", nil}, {"false", ErrCannotRefuse}} {
			f := with(t, "no_reason_refuse_after_receipt", c.expr)
			f.sign("A").at(day).apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
			f.apply(MerchantAgree{Request: 1})
			f.at(2 * day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
			f.at(3 * day).apply(MerchantReceive{Request: 1})
			_, err := f.m.ApplyAt(f.o, f.s, MerchantRefuse{Request: 1}, f.now)
			if !errors.Is(err, c.want) && (c.want != nil || err != nil) {
				t.Errorf("%s: %v, want %v", c.expr, err, c.want)
			}
		}
	})
	t.Run("shipping_fee_with_full_refund", func(t *testing.T) {
		for _, c := range []struct{ expr, want string }{{"true", "136.00"}, {"false", "128.00"}} {
			f := with(t, "shipping_fee_with_full_refund", c.expr)
			f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}, {Line: "B"}}})
			f.apply(MerchantAgree{Request: 1})
			if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || !m[0].Amount.Equal(d(c.want)) {
				t.Errorf("%s: refunded %+v, want %s", c.expr, m, c.want)
			}
		}
	})
}

// RFD-8 is fixed by the source: the merchant bears shipping of prohibited
// goods; the outbound fee goes back with the return, once.
func TestProhibitedRefundsShipping(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { o.Lines[1].Prohibited = true })
	f.apply(Open{Kind: ReturnRefund, Reason: Prohibited, Items: []Item{{Line: "B"}}})
	f.apply(MerchantAgree{Request: 1})
	f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
	f.at(2 * day).apply(MerchantRefund{Request: 1})
	if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || !m[0].Amount.Equal(d("51.00")) {
		t.Fatalf("refunded %+v, want 43.00 + 8.00", m)
	}
	f.at(3 * day).apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.apply(MerchantAgree{Request: 2})
	if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || !m[0].Amount.Equal(d("85.00")) {
		t.Fatalf("second refund %+v, want 85.00 (the fee went back once)", m)
	}
}

// RFD-4: a loan payment refunds to the bound bank account.
func TestLoanRefundsToBoundAccount(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { o.Payment = Payment{Route: Loan, Account: "LOAN-1", BoundAccount: "BANK-9"} })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}})
	f.apply(MerchantAgree{Request: 1})
	if m := actsOf[RefundMoney](f.res.Effects); len(m) != 1 || m[0].Account != "BANK-9" || m[0].Route != Loan {
		t.Fatalf("refund %+v", m)
	}
	o := testOrder()
	o.Payment = Payment{Route: Loan}
	if err := o.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("loan without a bound account: %v", err)
	}
}

// Settled reports the stage at the request (a request made before the
// confirmation stays Shipped), forced platform refunds and cumulative
// shares of repeated partial refunds.
func TestSettledFacts(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}})
	f.at(time.Hour)
	f.o.ConfirmedAt = f.now.UTC()
	f.apply(MerchantRefuse{Request: 1})
	f.apply(AskIntervention{Request: 1})
	f.apply(PlatformDecide{Request: 1, Outcome: RefundPart, Amount: d("13.00")})
	s := actsOf[Settled](f.res.Effects)
	if len(s) != 1 || s[0].Stage != Shipped || !s[0].Forced || s[0].Lines[0].Done || !s[0].Lines[0].Refunded.Equal(d("13.00")) {
		t.Fatalf("settled %+v", s)
	}
	f.at(2 * time.Hour).apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}})
	if r := f.req(2); r.Stage != Confirmed || !r.Items[0].Amount.Equal(d("30.00")) {
		t.Fatalf("second request %+v", r)
	}
	f.apply(MerchantAgree{Request: 2})
	s = actsOf[Settled](f.res.Effects)
	if len(s) != 1 || s[0].Stage != Confirmed || s[0].Forced || !s[0].Lines[0].Done || !s[0].Lines[0].Refunded.Equal(d("43.00")) || !s[0].Lines[0].Paid.Equal(d("43.00")) {
		t.Fatalf("settled %+v", s)
	}
}

// Nothing is lost on refusal: an event refused at a deadline instant
// comes back with the state advanced and the deadline's effects.
func TestRefusalKeepsDueEffects(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(2 * day)
	res := f.refused(MerchantAgree{Request: 1}, ErrFinal, "RFD-1")
	if r, _ := res.State.Request(1); r.Status != Refunded {
		t.Fatalf("refused at the deadline: state %v", r.Status)
	}
	if diff := cmp.Diff([]string{"refund_money", "refund_settled"}, kinds(res.Effects)); diff != "" {
		t.Fatalf("effects (-want +got):\n%s", diff)
	}
	for _, e := range res.Effects {
		if !e.At.Equal(t0.Add(2*day).UTC()) || e.ID == 0 {
			t.Errorf("effect %+v", e)
		}
	}
	if res.State.Seq != 2 || !res.State.At.Equal(t0.Add(2*day).UTC()) {
		t.Errorf("seq %d at %v", res.State.Seq, res.State.At)
	}
	// One second earlier the event is accepted.
	f.at(2*day - sec).apply(MerchantAgree{Request: 1})
}

// A call at an instant before the state's last transition is refused
// and changes nothing; Advance then does nothing.
func TestClockBehind(t *testing.T) {
	f := newFixture(t, testOrder())
	f.at(day).apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(day - sec)
	res, err := f.m.ApplyAt(f.o, f.s, MerchantAgree{Request: 1}, f.now)
	if !errors.Is(err, ErrClockBehind) || res.State.Requests[0].Status != Requested || len(res.Effects) != 0 {
		t.Fatalf("%v %+v", err, res)
	}
	if res := f.m.AdvanceAt(f.o, f.s, t0); len(res.Effects) != 0 || len(res.Decisions) != 0 || !res.Next.Equal(f.s.Next()) {
		t.Fatalf("advance behind: %+v", res)
	}
	// An order fact later than now is invalid input.
	f.at(day)
	f.o.ConfirmedAt = t0.Add(2 * day)
	if _, err := f.m.ApplyAt(f.o, f.s, MerchantAgree{Request: 1}, f.now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("fact after now: %v", err)
	}
}

// Versions are pinned: a policy reloaded with an earlier version
// inserted does not change how an in-flight request is judged, and a
// request whose version was dropped is refused, never judged by another.
func TestPinnedVersion(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	if v := f.req(1).Version; v != "2023-07-23" {
		t.Fatalf("version %s", v)
	}
	inserted, err := DefaultPolicy().Override(fstest.MapFS{"v2.yaml": {Data: []byte(
		"policy: refund\nversion: 2024-02-01\nthresholds:\n  merchant_response:\n    rule: RFD-2\n    expr: 'duration(\"24h\")'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if inserted.In(t0).Date() != "2024-02-01" {
		t.Fatalf("the inserted version is not in force at the request: %s", inserted.In(t0).Date())
	}
	m := New(Options{Policy: inserted})
	if res := m.AdvanceAt(f.o, f.s, t0.Add(25*time.Hour)); len(res.Effects) != 0 || res.State.Requests[0].Status != Requested {
		t.Fatalf("the in-flight request was judged by the inserted version: %v", kinds(res.Effects))
	}
	if res := m.AdvanceAt(f.o, f.s, t0.Add(2*day)); res.State.Requests[0].Status != Refunded {
		t.Fatalf("pinned deadline did not fire: %v", res.State.Requests[0].Status)
	}
	// A new request is judged by the version in force.
	res, err := m.ApplyAt(f.o, f.s, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}}, t0)
	if err != nil || res.State.Requests[1].Version != "2024-02-01" || !res.State.Requests[1].Deadline.Equal(t0.Add(day).UTC()) {
		t.Fatalf("new request: %v %+v", err, res.State.Requests)
	}

	src, err := policyFS.ReadFile("policy/refund.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := rules.Load(Schema(), fstest.MapFS{"refund.yaml": {Data: []byte(strings.Replace(string(src), "version: 2023-07-23", "version: 2024-02-01", 1))}})
	if err != nil {
		t.Fatal(err)
	}
	m = New(Options{Policy: dropped})
	_, err = m.ApplyAt(f.o, f.s, MerchantAgree{Request: 1}, t0.Add(time.Hour))
	var re *rules.RuleError
	if !errors.Is(err, ErrPolicy) || errors.As(err, &re) || !strings.Contains(err.Error(), "2023-07-23") {
		t.Fatalf("dropped version: %v", err)
	}
	if res := m.AdvanceAt(f.o, f.s, t0.Add(3*day)); len(res.Effects) != 0 || res.State.Requests[0].Status != Requested || len(res.Decisions) != 1 {
		t.Fatalf("advance on a dropped version: %+v", res)
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
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.m = New(Options{Policy: set})
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(60 * time.Hour).apply(ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)})
	if r := f.req(1); r.Status != Refunded || !r.Since.Equal(f.now.UTC()) {
		t.Errorf("status %v since %v; want refunded since %v (the voucher's instant)", r.Status, r.Since, f.now.UTC())
	}
	if e := f.res.Effects; len(e) == 0 || !e[0].At.Equal(f.now.UTC()) {
		t.Errorf("effects %+v", e)
	}
	// Within the merchant's period the deadline is counted from the request.
	f = newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.m = New(Options{Policy: set})
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(day).apply(ShippingVoucher{Request: 1, ShippedAt: t0.Add(-time.Hour)})
	if r := f.req(1); r.Status != Requested || !r.Deadline.Equal(t0.Add(2*day).UTC()) || r.DueRule != "RFD-2" {
		t.Errorf("status %v deadline %v (%s)", r.Status, r.Deadline, r.DueRule)
	}
}

// RFD-5 with RFD-2/RFD-3: the no-reason window bounds the request, not
// the buyer's answer to a refusal. A buyer refused after receipt on day 6
// may modify the request on day 9; a line added then is judged then.
func TestNoReasonModifyAfterWindow(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { o.Lines[1].NoReason = true })
	f.sign("A", "B")
	f.at(6 * day).apply(Open{Kind: ReturnRefund, Reason: NoReason, Items: []Item{{Line: "A"}}})
	f.apply(MerchantAgree{Request: 1})
	f.at(6*day + time.Hour).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
	f.at(6*day + 2*time.Hour).apply(MerchantRefuse{Request: 1, Note: "used"})
	f.at(9 * day)
	f.refused(Modify{Request: 1, Items: []Item{{Line: "A"}, {Line: "B"}}}, ErrWindowClosed, "RFD-5")
	f.apply(Modify{Request: 1, Items: []Item{{Line: "A", Amount: d("40.00")}}})
	if r := f.req(1); r.Status != Received || !r.Items[0].Amount.Equal(d("40.00")) {
		t.Errorf("modified request %v %v", r.Status, r.Items)
	}
}
