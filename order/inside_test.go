package order

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// shippedOrder is an escrow order of lines a (10) and b (5), paid and
// shipped at t0, the auto-confirm countdown running to t0+240h.
func shippedOrder(t *testing.T, m *Machine) State {
	t.Helper()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	s := paid(t, m, open(t, m, a, b), t0)
	return must(t, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
}

func effectsAt(es []Effect) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Kind()+"@"+e.At.Format(time.RFC3339))
	}
	return out
}

// RFD-2 inside the trade: the escrow merchant's silence refunds at
// request + merchant_response (48h), exactly; the refund request pauses
// auto-confirm (ORD-9) and the countdown resumes at the refund's instant.
func TestRefundDeadlineInsideTrade(t *testing.T) {
	m := testMachine()
	s := shippedOrder(t, m)
	req := t0.Add(time.Hour)
	r := must(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "b"}}}}, req)
	s = r.State
	due := req.Add(48 * time.Hour)
	if !s.RefundOpen() || !s.Due.IsZero() || s.Left != 239*time.Hour || !s.Next().Equal(due) || !r.Next.Equal(due) {
		t.Fatalf("paused: open %v due %v left %v next %v", s.RefundOpen(), s.Due, s.Left, s.Next())
	}
	// One second before: nothing fires, and the merchant may still agree.
	if before := m.AdvanceAt(s, due.Add(-time.Second)); len(before.Effects) != 0 || !before.Next.Equal(due) {
		t.Fatalf("fired early: %v", kinds(before.Effects))
	}
	must(t, m, s, Refund{Event: refund.MerchantAgree{Request: 1}}, due.Add(-time.Second))
	// At the instant: the automatic refund, the order's books, the resumed countdown.
	at := m.AdvanceAt(s, due)
	want := []string{"refund_money@" + due.Format(time.RFC3339), "refund_settled@" + due.Format(time.RFC3339),
		"fund_refund@" + due.Format(time.RFC3339)}
	if diff := cmp.Diff(want, effectsAt(at.Effects)); diff != "" {
		t.Fatalf("effects (-want +got):\n%s", diff)
	}
	st := at.State
	if st.Status != Shipped || st.Refunded != fen("5") || st.Frozen != fen("10") || !st.Due.Equal(due.Add(239*time.Hour)) || st.Left != 0 {
		t.Fatalf("after: %v refunded %s frozen %s due %v", st.Status, st.Refunded, st.Frozen, st.Due)
	}
	// An event refused at the very instant still yields the deadline's
	// effects and the advanced state (nothing lost on refusal).
	ref := refuse(t, m, s, Refund{Event: refund.MerchantAgree{Request: 1}}, due, refund.ErrFinal, "RFD-1")
	if diff := cmp.Diff(effectsAt(at.Effects), effectsAt(ref.Effects)); diff != "" {
		t.Fatalf("refused at the deadline (-advance +refused):\n%s", diff)
	}
	a, _ := json.Marshal(at.State)
	b, _ := json.Marshal(ref.State)
	if string(a) != string(b) {
		t.Fatalf("refused at the deadline: state differs from the advanced one")
	}
	// One second after: the same, each effect at the deadline's own instant.
	late := m.AdvanceAt(s, due.Add(time.Second))
	if diff := cmp.Diff(want, effectsAt(late.Effects)); diff != "" {
		t.Fatalf("late (-want +got):\n%s", diff)
	}
	// An order deadline and a refund deadline fire in time order in one call.
	all := m.AdvanceAt(s, due.Add(300*time.Hour))
	got := effectsAt(all.Effects)
	if len(got) != 4 || got[3] != "release_escrow@"+due.Add(239*time.Hour).Format(time.RFC3339) || all.State.Status != Completed {
		t.Fatalf("in time order: %v", got)
	}
}

// A full refund gives the coupons back once (CPN-6), by coupon's policy,
// and the beans by points' (PTS-2); a second refund gives nothing again.
func TestGiveBacksByTheirOwners(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	a.Alloc = Alloc{Discount: d("2"), Coupons: []string{"cpn"}, Beans: 300, BeanValue: d("3")}
	c := cart(a, b)
	c.Coupons = &coupon.Redemption{Version: coupon.DefaultPolicy().In(t0).Date(), At: t0,
		Coupons: []coupon.Redeemed{{Coupon: "cpn", Kind: coupon.Shop, Orders: []string{"s1"}}}}
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	s := rs[0].State
	if s.Redemption == nil || s.Redemption.Coupons[0].Orders[0] != s.Number {
		t.Fatalf("redemption %+v", s.Redemption)
	}
	sp := points.Spend{Order: s.Number, PaidAt: t0, Version: points.DefaultPolicy().In(t0).Date(), Updated: t0, Seq: 1,
		Beans: 300, BeanValue: d("3"), Lines: []points.SpendLine{{Line: "a", Beans: 300, BeanValue: d("3")}, {Line: "b"}}}
	bad := sp
	bad.Lines = []points.SpendLine{{Line: "a", Beans: 200, BeanValue: d("2")}, {Line: "b", Beans: 100, BeanValue: d("1")}}
	refuse(t, m, s, Pay{Via: testVia, Number: "p", Amount: s.Payable().Decimal(), At: t0, Spend: &bad}, t0, ErrInvalid, "")
	s = must(t, m, s, Pay{Via: testVia, Number: "p", Amount: s.Payable().Decimal(), At: t0, Spend: &sp}, t0).State
	// A partial refund of b: coupons stay (give_back_on_partial_refund false), b has no beans.
	r := refundNow(t, m, s, t0, "b")
	if cmp.Diff([]string{"revoke_trade", "refund_money", "refund_settled", "fund_refund"}, kinds(r.Effects)) != "" {
		t.Fatalf("partial: %v", kinds(r.Effects))
	}
	// The rest: every line refunded → coupons and beans back, the order closed.
	r = refundNow(t, m, r.State, t0, "a")
	want := []string{"revoke_trade", "refund_money", "refund_settled", "fund_refund", "give_back_coupons", "give_back_beans"}
	if diff := cmp.Diff(want, kinds(r.Effects)); diff != "" {
		t.Fatalf("full (-want +got):\n%s", diff)
	}
	if r.State.Status != Closed || r.State.Spend.BeansBack() != 300 || !r.State.Redemption.Coupons[0].Back() {
		t.Fatalf("closed %v beans back %d", r.State.Status, r.State.Spend.BeansBack())
	}
	gb := r.Effects[4].Act.(coupon.GiveBackCoupons)
	if gb.Order != s.Number || gb.Reason != coupon.FullRefund || len(gb.Coupons) != 1 || !gb.Coupons[0].Usable {
		t.Fatalf("%+v", gb)
	}
	// The effects decode back to the same acts.
	for _, e := range r.Effects {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeEffect(b)
		if err != nil || !cmp.Equal(e, back) {
			t.Fatalf("%s: %v\n%s", e.Kind(), err, b)
		}
	}
}

// A buyer's cancel gives the coupons back (CPN-7), once.
func TestCancelGivesCouponsBack(t *testing.T) {
	m := testMachine()
	a := item("a", "s1", "10", 1)
	a.Alloc = Alloc{Discount: d("2"), Coupons: []string{"cpn"}}
	c := cart(a)
	c.Coupons = &coupon.Redemption{Version: coupon.DefaultPolicy().In(t0).Date(), At: t0,
		Coupons: []coupon.Redeemed{{Coupon: "cpn", Kind: coupon.Shop, Orders: []string{"s1"}, ValidUntil: t0.Add(time.Hour)}}}
	rs, err := m.CheckoutAt(c, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Cancelled by the payment timeout, after the coupon expired: back, unusable.
	r := m.AdvanceAt(rs[0].State, t0.Add(24*time.Hour))
	if cmp.Diff([]string{"give_back_coupons", "order_notice"}, kinds(r.Effects)) != "" {
		t.Fatalf("%v", kinds(r.Effects))
	}
	if gb := r.Effects[0].Act.(coupon.GiveBackCoupons); gb.Reason != coupon.Cancel || gb.Coupons[0].Usable {
		t.Fatalf("%+v", gb)
	}
	if r2 := must(t, m, r.State, Delete{}, t0.Add(25*time.Hour)); len(r2.Effects) != 0 {
		t.Fatal("given back twice")
	}
}

// A complaint inside the trade pauses auto-confirm (ORD-9); going to court
// locks the order (DSP-9, ORD-19): nothing fires, only dispute's unlock is
// accepted, and the deadlines move later by the time locked.
func TestComplaintLockInsideTrade(t *testing.T) {
	m := testMachine()
	s := shippedOrder(t, m)
	filed := t0.Add(time.Hour)
	s = must(t, m, s, Complaint{Event: dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "id", Contact: "138"},
		Respondent: "s1", Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}}, filed).State
	if !s.Open() || !s.Due.IsZero() || s.Left != 239*time.Hour {
		t.Fatalf("paused: %v %v", s.Due, s.Left)
	}
	lockAt := t0.Add(2 * time.Hour)
	r := must(t, m, s, Complaint{Event: dispute.GoToCourt{Complaint: 1, Forum: dispute.Court}}, lockAt)
	s = r.State
	if !s.Locked() || !s.Next().IsZero() || cmp.Diff([]string{"dispute_lock_order"}, kinds(r.Effects)) != "" {
		t.Fatalf("locked %v next %v %v", s.Locked(), s.Next(), kinds(r.Effects))
	}
	later := lockAt.Add(1000 * time.Hour)
	if a := m.AdvanceAt(s, later); len(a.Effects) != 0 {
		t.Fatalf("fired while locked: %v", kinds(a.Effects))
	}
	refuse(t, m, s, ConfirmReceipt{}, later, ErrLocked, "ORD-19")
	refuse(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "a"}}}}, later, ErrLocked, "ORD-19")
	r = must(t, m, s, Complaint{Event: dispute.Unlock{Complaint: 1, How: dispute.SettledByAgreement}}, later)
	s = r.State
	if s.Locked() || s.Open() || !s.Due.Equal(later.Add(239*time.Hour)) {
		t.Fatalf("unlocked: locked %v open %v due %v", s.Locked(), s.Open(), s.Due)
	}
	var note string
	for _, d := range r.Decisions {
		if d.Rule == "ORD-19" {
			note = d.Note
		}
	}
	if !strings.HasSuffix(note, "moved later by 1000h") {
		t.Fatalf("unlock note %q", note)
	}
}
