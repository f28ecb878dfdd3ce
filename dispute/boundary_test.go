package dispute

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sec = time.Second

// DSP-3: a completed trade accepts complaints until completion + 360h,
// exact to the second.
func TestComplaintWindowBoundary(t *testing.T) {
	m := testMachine()
	done := t0.Add(-100 * time.Hour)
	tr := Trade{ID: "T1", Status: Completed, PaidAt: done.Add(-time.Hour), CompletedAt: done}
	end := done.Add(360 * time.Hour)
	apply(t, m, tr, State{}, filing(), end.Add(-sec))
	refused(t, m, tr, State{}, filing(), end, ErrWindowClosed, "DSP-3")
	refused(t, m, tr, State{}, filing(), end.Add(sec), ErrWindowClosed, "DSP-3")
}

// DSP-3: an order in progress from payment on, at any time.
func TestComplaintFromPayment(t *testing.T) {
	m := testMachine()
	tr := Trade{ID: "T1", Status: InProgress, PaidAt: t0}
	refused(t, m, tr, State{}, filing(), t0.Add(-sec), ErrNoComplaints, "DSP-3")
	apply(t, m, tr, State{}, filing(), t0)
	apply(t, m, tr, State{}, filing(), t0.Add(5000*24*time.Hour))
	for _, st := range []TradeStatus{Unpaid, Cancelled, Closed} {
		tr := Trade{ID: "T1", Status: st}
		refused(t, m, tr, State{}, filing(), t0, ErrNoComplaints, "DSP-3")
	}
	closedAfter := Trade{ID: "T1", Status: Closed, PaidAt: t0.Add(-2 * time.Hour), CompletedAt: t0.Add(-time.Hour)}
	refused(t, m, closedAfter, State{}, filing(), t0, ErrNoComplaints, "DSP-3")
}

// DSP-2: every missing item at once, each naming DSP-2.
func TestAcceptanceListsEveryMissingItem(t *testing.T) {
	m := testMachine()
	res, err := m.ApplyAt(Trade{}, State{}, Complain{Type: "product", Evidence: []string{" "}}, t0)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err %v, want ErrIncomplete", err)
	}
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("err %v is not a *MissingError", err)
	}
	want := []Missing{Identity, Respondent, Claims, Evidence, OnPlatform}
	if diff := cmp.Diff(want, me.Items); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if got := strings.Count(err.Error(), "(DSP-2)"); got != 6 { // five items and the refusal itself
		t.Errorf("%q names DSP-2 %d times", err, got)
	}
	if len(res.State.Complaints) != 0 {
		t.Errorf("a refused filing left a complaint")
	}
	f := filing()
	f.Facts = ""
	_, err = m.ApplyAt(inTrade, State{}, f, t0)
	if !errors.As(err, &me) || !cmp.Equal(me.Items, []Missing{Claims}) {
		t.Errorf("no facts: %v", err)
	}
}

// DSP-1: an unlisted type files as "other"; a report is not a complaint.
func TestComplaintTypes(t *testing.T) {
	m := testMachine()
	f := filing()
	f.Type = "packaging"
	c := apply(t, m, inTrade, State{}, f, t0).State.Complaints[0]
	if c.Type != "other" || c.Asked != "packaging" {
		t.Errorf("unlisted type: %q asked %q", c.Type, c.Asked)
	}
	f.Type = "after_sales"
	if c := apply(t, m, inTrade, State{}, f, t0).State.Complaints[0]; c.Type != "after_sales" || c.Asked != "" {
		t.Errorf("listed type: %q asked %q", c.Type, c.Asked)
	}
	f.Type = "report"
	refused(t, m, inTrade, State{}, f, t0, ErrNotAllowed, "DSP-1")
}

// DSP-1, DR art.5: goods not received asks the merchant for proof.
func TestShippingProof(t *testing.T) {
	m := testMachine()
	f := filing()
	f.Type, f.NotReceived = "delivery", true
	res := apply(t, m, inTrade, State{}, f, t0)
	if diff := cmp.Diff([]string{"dispute_notice", "dispute_shipping_proof"}, kinds(res.Effects)); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	if p := res.Effects[1].Act.(ShippingProof); !p.Due.Equal(t0.Add(48*time.Hour)) || p.Respondent != "M1" {
		t.Errorf("proof %+v", p)
	}
	f.NotReceived = false
	if res := apply(t, m, inTrade, State{}, f, t0); len(res.Effects) != 1 {
		t.Errorf("damaged goods: %v", kinds(res.Effects))
	}
}

// DSP-4, DSP-5: the reply deadline and day 3, at their instants and one
// second either side.
func TestDay3Boundaries(t *testing.T) {
	m := testMachine()
	s := filed(t, m)
	due, end := t0.Add(48*time.Hour), t0.Add(72*time.Hour)

	// Advance.
	if r := m.AdvanceAt(inTrade, s, due.Add(-sec)); r.State.Complaints[0].Status != AwaitingReply || len(r.Effects) != 0 || !r.Next.Equal(due) {
		t.Errorf("before the reply deadline: %v %v next %v", r.State.Complaints[0].Status, kinds(r.Effects), r.Next)
	}
	r := m.AdvanceAt(inTrade, s, due)
	if c := r.State.Complaints[0]; c.Status != Overdue || !r.Next.Equal(end) || len(r.Effects) != 1 || !r.Effects[0].At.Equal(due) {
		t.Errorf("at the reply deadline: %v next %v %v", c.Status, r.Next, r.Effects)
	}
	if r := m.AdvanceAt(inTrade, s, end.Add(-sec)); r.State.Complaints[0].Status != Overdue {
		t.Errorf("a second before the end of day 3: %v", r.State.Complaints[0].Status)
	}
	for _, at := range []time.Time{end, end.Add(sec), end.Add(1000 * time.Hour)} {
		r := m.AdvanceAt(inTrade, s, at)
		c := r.State.Complaints[0]
		if c.Status != Done || c.Outcome != Valid || !r.Next.IsZero() {
			t.Fatalf("advance to %v: %v %v", at, c.Status, c.Outcome)
		}
		want := []string{"dispute_notice", "dispute_judged"}
		if diff := cmp.Diff(want, kinds(r.Effects)); diff != "" {
			t.Errorf("effects (-want +got):\n%s", diff)
		}
		if !r.Effects[0].At.Equal(due) || !r.Effects[1].At.Equal(end) || r.Effects[1].Rule != "DSP-5" {
			t.Errorf("effects at %v, %v (%s); want %v, %v", r.Effects[0].At, r.Effects[1].At, r.Effects[1].Rule, due, end)
		}
		// Twice at the same instant changes nothing.
		if again := m.AdvanceAt(inTrade, r.State, at); len(again.Effects) != 0 || !cmp.Equal(again.State, r.State) {
			t.Errorf("second advance changed something: %v", kinds(again.Effects))
		}
	}

	// Intervention opens on day 3.
	refused(t, m, inTrade, s, AskIntervention{Complaint: 1}, due.Add(-sec), ErrTooEarly, "DSP-5")
	for _, at := range []time.Time{due, due.Add(sec), end.Add(-sec)} {
		if c := apply(t, m, inTrade, s, AskIntervention{Complaint: 1}, at).State.Complaints[0]; c.Status != Intervention {
			t.Errorf("intervention at %v: %v", at, c.Status)
		}
	}
	res := refused(t, m, inTrade, s, AskIntervention{Complaint: 1}, end, ErrFinal, "DSP-5")
	if c := res.State.Complaints[0]; c.Outcome != Valid || len(res.Effects) != 2 {
		t.Errorf("refused at the end of day 3: the timeout's effects are lost: %v %v", c.Outcome, kinds(res.Effects))
	}

	// A reply is due by due; on day 3 a late one is still accepted.
	for _, tc := range []struct {
		at   time.Time
		rule string
	}{{due.Add(-sec), "DSP-4"}, {due, "DSP-5"}, {end.Add(-sec), "DSP-5"}} {
		res := apply(t, m, inTrade, s, Reply{Complaint: 1}, tc.at)
		c := res.State.Complaints[0]
		last := res.Effects[len(res.Effects)-1]
		if c.Status != Replied || !c.Deadline.Equal(tc.at.Add(48*time.Hour)) || last.Rule != tc.rule {
			t.Errorf("reply at %v: %v due %v rule %s", tc.at, c.Status, c.Deadline, last.Rule)
		}
	}
	refused(t, m, inTrade, s, Reply{Complaint: 1}, end, ErrFinal, "DSP-4")
	refused(t, m, inTrade, s, Reply{Complaint: 1}, end.Add(sec), ErrFinal, "DSP-4")
}

// DSP-6, DSP-7: feedback within 2 days of the reply.
func TestFeedbackBoundaries(t *testing.T) {
	m := testMachine()
	r := t0.Add(10 * time.Hour)
	s := apply(t, m, inTrade, filed(t, m), Reply{Complaint: 1, Text: "sorry"}, r).State
	end := r.Add(48 * time.Hour)
	res := apply(t, m, inTrade, s, Unsatisfied{Complaint: 1}, end.Add(-sec))
	if c := res.State.Complaints[0]; c.Status != AwaitingReply || c.Round != 2 || !c.Deadline.Equal(end.Add(-sec+48*time.Hour)) {
		t.Errorf("unsatisfied a second early: %+v", c)
	}
	for _, at := range []time.Time{end, end.Add(sec)} {
		res := refused(t, m, inTrade, s, Unsatisfied{Complaint: 1}, at, ErrFinal, "DSP-7")
		c := res.State.Complaints[0]
		if c.Outcome != Satisfied || len(res.Effects) != 1 || !res.Effects[0].At.Equal(end) || res.Effects[0].Rule != "DSP-6" {
			t.Errorf("at %v: %v %v", at, c.Outcome, res.Effects)
		}
	}
	if c := m.AdvanceAt(inTrade, s, end.Add(-sec)).State.Complaints[0]; c.Status != Replied {
		t.Errorf("advance a second early: %v", c.Status)
	}
	refused(t, m, inTrade, s, AskIntervention{Complaint: 1}, r.Add(sec), ErrNotAllowed, "DSP-7")
}

// DSP-7: after "unsatisfied" a new round under DSP-4/5; the buyer may ask
// for intervention at once, or (policy) only on day 3 of the new round.
func TestNewRound(t *testing.T) {
	m := testMachine()
	u := t0.Add(20 * time.Hour)
	s := apply(t, m, inTrade, filed(t, m), Reply{Complaint: 1}, t0.Add(10*time.Hour)).State
	s = apply(t, m, inTrade, s, Unsatisfied{Complaint: 1, Response: "no", Evidence: []string{"video"}}, u).State
	if c := apply(t, m, inTrade, s, AskIntervention{Complaint: 1}, u).State.Complaints[0]; c.Status != Intervention {
		t.Errorf("intervention at once: %v", c.Status)
	}
	r := m.AdvanceAt(inTrade, s, u.Add(72*time.Hour))
	if c := r.State.Complaints[0]; c.Outcome != Valid || !r.Effects[len(r.Effects)-1].At.Equal(u.Add(72*time.Hour)) {
		t.Errorf("round 2 end of day 3: %v", c.Outcome)
	}
	if c := m.AdvanceAt(inTrade, s, u.Add(72*time.Hour-sec)).State.Complaints[0]; c.Status != Overdue {
		t.Errorf("round 2 a second before the end of day 3: %v", c.Status)
	}

	set, err := DefaultPolicy().OverrideExpr("unsatisfied_intervention", "false")
	if err != nil {
		t.Fatal(err)
	}
	strict := New(Options{Policy: set})
	refused(t, strict, inTrade, s, AskIntervention{Complaint: 1}, u.Add(48*time.Hour-sec), ErrTooEarly, "DSP-7")
	if c := apply(t, strict, inTrade, s, AskIntervention{Complaint: 1}, u.Add(48*time.Hour)).State.Complaints[0]; c.Status != Intervention {
		t.Errorf("strict: intervention on day 3: %v", c.Status)
	}
}
