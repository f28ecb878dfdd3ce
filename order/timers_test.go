package order

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
)

// shipped returns an escrow order shipped at t0 (auto-confirm at t0+240h).
func shipped(t *testing.T, m *Machine) State {
	t.Helper()
	s := paid(t, m, open(t, m, item("a", "s1", "10", 1), item("b", "s1", "5", 1)), t0)
	return must(t, m, s, Ship{Lines: []string{"a", "b"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
}

var filing = dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "id", Contact: "138"},
	Respondent: "s1", Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}

// held opens a refund-only request on line at at that waits on the
// platform (refused, intervention asked: no deadline).
func held(t *testing.T, m *Machine, s State, line string, at time.Time) State {
	t.Helper()
	s = must(t, m, s, Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: line}}}}, at).State
	id := len(s.Refunds.Requests)
	s = must(t, m, s, Refund{Event: refund.MerchantRefuse{Request: id}}, at).State
	return must(t, m, s, Refund{Event: refund.AskIntervention{Request: id}}, at).State
}

// ORD-9 reading: the countdown pauses while a refund request or a
// complaint is open, read from their own states.
func TestAutoConfirmPause(t *testing.T) {
	m := testMachine()
	s := shipped(t, m)
	open1 := t0.Add(24 * time.Hour)
	s = held(t, m, s, "a", open1)
	if !s.Due.IsZero() || s.Left != 216*time.Hour {
		t.Fatalf("paused: due %v left %v", s.Due, s.Left)
	}
	s = must(t, m, s, Complaint{Event: filing}, open1.Add(time.Hour)).State
	if a := m.AdvanceAt(s, t0.Add(240*time.Hour)); a.State.Status != Shipped {
		t.Fatal("fired while paused")
	}
	c1 := t0.Add(30 * time.Hour)
	s = must(t, m, s, Refund{Event: refund.PlatformDecide{Request: 1, Outcome: refund.Reject}}, c1).State
	if !s.Due.IsZero() || !s.Open() {
		t.Fatal("resumed with a complaint still open")
	}
	c2 := t0.Add(90 * time.Hour)
	s = must(t, m, s, Complaint{Event: dispute.Withdraw{Complaint: 1}}, c2).State
	want := c2.Add(216 * time.Hour)
	if s.Due != want {
		t.Fatalf("due %v, want %v", s.Due, want)
	}
	if a := m.AdvanceAt(s, want.Add(-time.Second)); a.State.Status != Shipped {
		t.Fatal("early")
	}
	if a := m.AdvanceAt(s, want); a.State.Status != Completed {
		t.Fatal("at the moved deadline")
	}
}

// ORD-9 alternative: the later of the original deadline and the close.
func TestAutoConfirmLaterOf(t *testing.T) {
	p, err := DefaultPolicy().OverrideExpr("auto_confirm_extends", "false")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: p})
	base := shipped(t, m)
	for _, c := range []struct {
		closeAt, want time.Time
	}{
		{t0.Add(100 * time.Hour), t0.Add(240 * time.Hour)},
		{t0.Add(239 * time.Hour), t0.Add(240 * time.Hour)},
	} {
		s := held(t, m, base, "a", t0.Add(time.Hour))
		s = must(t, m, s, Refund{Event: refund.PlatformDecide{Request: 1, Outcome: refund.Reject}}, c.closeAt).State
		if s.Due != c.want {
			t.Errorf("closed %v: due %v, want %v", c.closeAt, s.Due, c.want)
		}
	}
	// A complaint filed before shipment: the countdown starts paused.
	s := paid(t, m, open(t, m, item("a", "s1", "10", 1)), t0)
	s = must(t, m, s, Complaint{Event: filing}, t0).State
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0).State
	if !s.Due.IsZero() || s.Left != 240*time.Hour {
		t.Fatalf("paused at start: %v %v", s.Due, s.Left)
	}
	s = must(t, m, s, Complaint{Event: dispute.AskIntervention{Complaint: 1}}, t0.Add(50*time.Hour)).State
	end := t0.Add(400 * time.Hour)
	s = must(t, m, s, Complaint{Event: dispute.Decide{Complaint: 1, Verdict: dispute.VerdictReject, Remedy: dispute.NoRemedy}}, end).State
	if s.Status != Completed || s.CompletedAt != end {
		t.Fatalf("later of: fires at the close: %v %v", s.Status, s.CompletedAt)
	}
}

// ORD-14: presale windows, each ±1s.
func TestPresale(t *testing.T) {
	m := testMachine()
	terms := PresaleTerms{Deposit: d("20"), DepositEnd: t0.Add(48 * time.Hour), BalanceStart: t0.Add(72 * time.Hour),
		BalanceEnd: t0.Add(96 * time.Hour), ShipWithin: 48 * time.Hour}
	it := item("p", "s1", "100", 1)
	it.Presale = &terms
	s := open(t, m, it)
	if s.Kind != Presale || s.Due != terms.DepositEnd {
		t.Fatalf("presale order: %v %v", s.Kind, s.Due)
	}
	refuse(t, m, s, Pay{Via: testVia, Number: "x", Amount: d("100"), At: t0}, t0, ErrNotAllowed, "ORD-14")
	if a := m.AdvanceAt(s, terms.DepositEnd); a.State.Status != Cancelled {
		t.Fatal("deposit window end")
	}
	late := terms.DepositEnd
	refuse(t, m, s, PayDeposit{Via: testVia, Number: "d", Amount: d("20"), At: late}, late, ErrNotAllowed, "ORD-14")
	in := terms.DepositEnd.Add(-time.Second)
	s = must(t, m, s, PayDeposit{Via: testVia, Number: "d", Amount: d("20"), At: in}, in).State
	refuse(t, m, s, Cancel{}, in, ErrNotAllowed, "ORD-6")
	early := terms.BalanceStart.Add(-time.Second)
	refuse(t, m, s, PayBalance{Via: testVia, Number: "b", Amount: d("80"), At: early}, early, ErrWindowNotOpen, "ORD-14")
	refuse(t, m, s, PayBalance{Via: testVia, Number: "b", Amount: d("100"), At: terms.BalanceStart}, terms.BalanceStart, ErrAmount, "ORD-14")
	// Balance late: the deposit is refunded automatically.
	a := m.AdvanceAt(s, terms.BalanceEnd)
	if a.State.Status != Closed || cmp.Diff([]string{"return_payment"}, kinds(a.Effects)) != "" || a.Effects[0].Rule != "ORD-14" {
		t.Fatalf("balance late: %v %v", a.State.Status, kinds(a.Effects))
	}
	last := terms.BalanceEnd.Add(-time.Second)
	s = must(t, m, s, PayBalance{Via: testVia, Number: "b", Amount: d("80"), At: last}, last).State
	if s.Status != AwaitingShipment || s.Due != last.Add(48*time.Hour) || s.Paid != fen("100") {
		t.Fatalf("paid in full: %v %v", s.Status, s.Due)
	}
	if a := m.AdvanceAt(s, s.Due.Add(-time.Second)); a.State.ShipLate {
		t.Fatal("late too early")
	}
	a = m.AdvanceAt(s, s.Due)
	if !a.State.ShipLate || cmp.Diff([]string{"order_notice"}, kinds(a.Effects)) != "" || !a.Next.IsZero() {
		t.Fatalf("ship late: %v", kinds(a.Effects))
	}
	if again := m.AdvanceAt(a.State, s.Due.Add(time.Hour)); len(again.Effects) != 0 {
		t.Fatal("fired twice")
	}
}

// ORD-20: review windows, each ±1s.
func TestReviews(t *testing.T) {
	p, err := DefaultPolicy().OverrideExpr("prohibited_words", `["scam"]`)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: p})
	s := must(t, m, shipped(t, m), ConfirmReceipt{}, t0).State
	stars := Ratings{5, 4, 3, 2}
	refuse(t, m, s, Rate{Ratings: Ratings{0, 1, 1, 1}}, t0, ErrInvalid, "")
	end := t0.Add(360 * time.Hour)
	refuse(t, m, s, Rate{Ratings: stars}, end, ErrWindowClosed, "ORD-20")
	first := end.Add(-time.Second)
	s = must(t, m, s, Rate{Ratings: stars, Text: "a SCAM"}, first).State
	if !s.Review.Hidden {
		t.Fatal("prohibited word shown")
	}
	refuse(t, m, s, Rate{Ratings: stars}, first, ErrReviewed, "ORD-20")
	refuse(t, m, s, FollowUpReview{Text: "later"}, first.Add(360*time.Hour-time.Second), ErrWindowNotOpen, "ORD-20")
	refuse(t, m, s, FollowUpReview{Text: "later"}, first.Add(4320*time.Hour), ErrWindowClosed, "ORD-20")
	f := must(t, m, s, FollowUpReview{Text: "fine"}, first.Add(360*time.Hour)).State
	if f.Review.FollowUp == nil || f.Review.FollowUp.Hidden {
		t.Fatal("follow-up")
	}
	refuse(t, m, f, FollowUpReview{Text: "again"}, first.Add(400*time.Hour), ErrReviewed, "ORD-20")
	must(t, m, s, FollowUpReview{Text: "fine"}, first.Add(4320*time.Hour-time.Second))
	// Not eligible: not completed, or closed.
	refuse(t, m, shipped(t, m), Rate{Ratings: stars}, t0, ErrNotAllowed, "ORD-20")
}

// Nothing lost on refusal: deadlines due at the event's instant fire and
// their effects come back with the error.
func TestRefusalKeepsFiredDeadlines(t *testing.T) {
	m := testMachine()
	s := shipped(t, m)
	due := s.Due
	r := refuse(t, m, s, Ship{Lines: []string{"a"}, Carrier: "x", Tracking: "y", At: due}, due, ErrNotAllowed, "ORD-12")
	if r.State.Status != Completed || cmp.Diff([]string{"release_escrow"}, kinds(r.Effects)) != "" || r.State.Seq != s.Seq+1 {
		t.Fatalf("%v %v", r.State.Status, kinds(r.Effects))
	}
}

// A policy reloaded with an earlier version inserted does not change how
// an order in flight is judged; a dropped version is an error.
func TestPinnedVersion(t *testing.T) {
	m := testMachine()
	s := open(t, m, item("a", "s1", "10", 1))
	if s.Version != "2023-07-23" {
		t.Fatal(s.Version)
	}
	later, err := DefaultPolicy().Override(mapFS("v2.yaml", "policy: order\nversion: 2024-01-01\nzone: Asia/Shanghai\nthresholds:\n  payment_timeout:\n    rule: ORD-4\n    expr: 'duration(\"1h\")'\n"))
	if err != nil {
		t.Fatal(err)
	}
	m2 := New(Options{Policy: later})
	s2 := open(t, m2, item("a", "s1", "10", 1))
	if s2.Version != "2024-01-01" || s2.Due != t0.Add(time.Hour) {
		t.Fatalf("new orders use the new version: %s %v", s2.Version, s2.Due)
	}
	// The old order keeps its deadline, judged by its pinned version.
	s = paid(t, m2, s, t0.Add(2*time.Hour))
	s = must(t, m2, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0.Add(2 * time.Hour)}, t0.Add(2*time.Hour)).State
	if s.Due != t0.Add(242*time.Hour) {
		t.Fatal(s.Due)
	}
	s.Version = "2020-01-01"
	if _, err := m.ApplyAt(s, ConfirmReceipt{}, t0.Add(3*time.Hour)); err == nil {
		t.Fatal("a version the set does not hold must be refused")
	}
}

// ORD-12 reading: the countdown starts at the latest parcel, whatever the
// order the parcels were reported in.
func TestAutoConfirmFromLatestParcel(t *testing.T) {
	m := testMachine()
	a, b := item("a", "s1", "10", 1), item("b", "s1", "5", 1)
	s := paid(t, m, open(t, m, a, b), t0)
	late := t0.Add(5 * time.Hour)
	s = must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: late}, late).State
	s = must(t, m, s, Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "2", At: t0.Add(time.Hour)}, late).State
	if s.Due != late.Add(240*time.Hour) {
		t.Fatalf("due %v", s.Due)
	}
}
