package dispute

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func intervened(t *testing.T, m *Machine) State {
	t.Helper()
	return apply(t, m, inTrade, filed(t, m), AskIntervention{Complaint: 1}, t0.Add(50*time.Hour)).State
}

// A platform decision: valid with a plan, the buyer presses, the plan is
// carried out; exactly one Judged.
func TestDecisionPlanAndPress(t *testing.T) {
	m := testMachine()
	at := t0.Add(60 * time.Hour)
	res := apply(t, m, inTrade, intervened(t, m), Decide{Complaint: 1, Verdict: VerdictValid, Remedy: Refund}, at)
	c := res.State.Complaints[0]
	if c.Status != Plan || c.Outcome != Valid || c.Remedy != Refund {
		t.Fatalf("decided: %+v", c)
	}
	j := res.Effects[len(res.Effects)-1].Act.(Judged)
	if diff := cmp.Diff(Judged{Trade: "T1", Complaint: 1, Respondent: "M1", Type: "product", Outcome: Valid, Remedy: Refund, Version: "2023-07-23"}, j); diff != "" {
		t.Errorf("judged (-want +got):\n%s", diff)
	}
	s := res.State
	refused(t, m, inTrade, s, Withdraw{Complaint: 1}, at, ErrNotAllowed, "DSP-3")
	refused(t, m, inTrade, s, GoToCourt{Complaint: 1, Forum: Court}, at, ErrNotAllowed, "DSP-9")
	res = apply(t, m, inTrade, s, Press{Complaint: 1, Channel: Messaging}, at)
	if diff := cmp.Diff([]string{"dispute_remind_merchant"}, kinds(res.Effects)); diff != "" {
		t.Errorf("press (-want +got):\n%s", diff)
	}
	res = apply(t, m, inTrade, res.State, Press{Complaint: 1, Channel: Hotline}, at)
	if e := res.Effects[0].Act.(Escalate); e.Channel != Hotline {
		t.Errorf("escalate %+v", e)
	}
	res = apply(t, m, inTrade, res.State, PlanDone{Complaint: 1}, at)
	if c := res.State.Complaints[0]; c.Status != Done || c.Outcome != Valid || len(res.Effects) != 1 || res.State.OpenComplaints() != 0 {
		t.Errorf("plan done: %+v %v", c, kinds(res.Effects))
	}
	for _, e := range []Event{PlanDone{Complaint: 1}, Press{Complaint: 1, Channel: Messaging}, Withdraw{Complaint: 1},
		TakeMeasures{Complaint: 1, Ground: Safety, Measure: "x"}} {
		refused(t, m, inTrade, res.State, e, at, ErrFinal, "")
	}

	// Escalation after a reminder only, by policy.
	set, _ := DefaultPolicy().OverrideExpr("escalate_after_reminder", "true")
	strict := New(Options{Policy: set})
	s = apply(t, strict, inTrade, intervened(t, strict), Decide{Complaint: 1, Verdict: VerdictValid, Remedy: Reship}, at).State
	refused(t, strict, inTrade, s, Press{Complaint: 1, Channel: OnlineService}, at, ErrTooEarly, "DSP-11")
	s = apply(t, strict, inTrade, s, Press{Complaint: 1, Channel: Messaging}, at).State
	apply(t, strict, inTrade, s, Press{Complaint: 1, Channel: OnlineService}, at)
}

func TestDecisionOutcomes(t *testing.T) {
	m := testMachine()
	at := t0.Add(60 * time.Hour)
	s := intervened(t, m)
	for _, tc := range []struct {
		d    Decide
		want Outcome
	}{
		{Decide{Complaint: 1, Verdict: VerdictValid, Remedy: NoRemedy}, Valid},
		{Decide{Complaint: 1, Verdict: VerdictReject, Remedy: NoRemedy}, NotValid},
	} {
		c := apply(t, m, inTrade, s, tc.d, at).State.Complaints[0]
		if c.Status != Done || c.Outcome != tc.want {
			t.Errorf("%+v: %v %v", tc.d, c.Status, c.Outcome)
		}
	}
	for _, d := range []Decide{{Complaint: 1, Verdict: VerdictReject, Remedy: Refund}, {Complaint: 1}, {Complaint: 1, Verdict: 9, Remedy: NoRemedy}} {
		if _, err := m.ApplyAt(inTrade, s, d, at); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", d, err)
		}
	}
	refused(t, m, inTrade, filed(t, m), Decide{Complaint: 1, Verdict: VerdictValid, Remedy: NoRemedy}, at.Add(-20*time.Hour), ErrNotAllowed, "DSP-5")
	refused(t, m, inTrade, s, Decide{Complaint: 2, Verdict: VerdictValid, Remedy: NoRemedy}, at, ErrNoComplaint, "DSP-5")
}

func TestWithdraw(t *testing.T) {
	m := testMachine()
	res := apply(t, m, inTrade, filed(t, m), Withdraw{Complaint: 1}, t0.Add(time.Hour))
	if c := res.State.Complaints[0]; c.Outcome != Withdrawn || res.Effects[0].Act.(Judged).Outcome != Withdrawn {
		t.Errorf("withdrawn: %+v", c)
	}
	refused(t, m, inTrade, res.State, Withdraw{Complaint: 1}, t0.Add(time.Hour), ErrFinal, "DSP-3")
	refused(t, m, inTrade, res.State, Reply{Complaint: 1}, t0.Add(time.Hour), ErrFinal, "DSP-4")
}

// DSP-9, ORD-19: a lock freezes every complaint deadline; the unlock
// judges the complaint and shifts the others by the locked time.
func TestLockShiftsDeadlines(t *testing.T) {
	m := testMachine()
	s := filed(t, m)                                               // complaint 1, reply due t0+48h
	s = apply(t, m, inTrade, s, filing(), t0.Add(time.Hour)).State // complaint 2
	lockAt := t0.Add(2 * time.Hour)
	res := apply(t, m, inTrade, s, GoToCourt{Complaint: 2, Forum: Arbitral}, lockAt)
	if !res.State.Locked() || !res.Next.IsZero() || res.Effects[0].Act.(LockOrder).Forum != Arbitral {
		t.Fatalf("locked: %+v next %v", res.State.Lock, res.Next)
	}
	s = res.State
	// Nothing fires while locked, however late.
	late := t0.Add(500 * time.Hour)
	if r := m.AdvanceAt(inTrade, s, late); len(r.Effects) != 0 || r.State.Complaints[0].Status != AwaitingReply {
		t.Errorf("fired while locked: %v", kinds(r.Effects))
	}
	for _, e := range []Event{Reply{Complaint: 1}, filing(), Withdraw{Complaint: 1}, GoToCourt{Complaint: 1, Forum: Court},
		TakeMeasures{Complaint: 1, Ground: Safety, Measure: "recall"}, FileReport{}} {
		refused(t, m, inTrade, s, e, late, ErrLocked, "ORD-19")
	}
	refused(t, m, inTrade, s, Unlock{Complaint: 1, How: SettledByAgreement}, late, ErrNotLocked, "DSP-9")
	unlockAt := lockAt.Add(10 * time.Hour)
	res = apply(t, m, inTrade, s, Unlock{Complaint: 2, How: SettledByAgreement}, unlockAt)
	if diff := cmp.Diff([]string{"dispute_unlock_order", "dispute_judged"}, kinds(res.Effects)); diff != "" {
		t.Errorf("unlock effects (-want +got):\n%s", diff)
	}
	if u := res.Effects[0].Act.(UnlockOrder); !u.Since.Equal(lockAt) || u.How != SettledByAgreement {
		t.Errorf("unlock %+v", u)
	}
	s = res.State
	if c := s.Complaints[1]; c.Outcome != Settled {
		t.Errorf("complaint 2: %v", c.Outcome)
	}
	due := t0.Add(58 * time.Hour)
	if !res.Next.Equal(due) {
		t.Errorf("next %v, want %v (48h + 10h locked)", res.Next, due)
	}
	if c := m.AdvanceAt(inTrade, s, due.Add(-sec)).State.Complaints[0]; c.Status != AwaitingReply {
		t.Errorf("a second before the shifted deadline: %v", c.Status)
	}
	if c := m.AdvanceAt(inTrade, s, due).State.Complaints[0]; c.Status != Overdue || !c.Deadline.Equal(t0.Add(82*time.Hour)) {
		t.Errorf("at the shifted deadline: %v until %v", c.Status, c.Deadline)
	}
}

// With lock_shift false, what passed during the lock fires at the unlock.
func TestLockWithoutShift(t *testing.T) {
	set, _ := DefaultPolicy().OverrideExpr("lock_shift", "false")
	m := New(Options{Policy: set})
	s := apply(t, m, inTrade, filed(t, m), filing(), t0).State
	s = apply(t, m, inTrade, s, GoToCourt{Complaint: 2, Forum: Court}, t0.Add(time.Hour)).State
	unlockAt := t0.Add(100 * time.Hour)
	res := apply(t, m, inTrade, s, Unlock{Complaint: 2, How: JudgmentExecuted, Verdict: VerdictValid}, unlockAt)
	want := []string{"dispute_unlock_order", "dispute_judged", "dispute_notice", "dispute_judged"}
	if diff := cmp.Diff(want, kinds(res.Effects)); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	for _, e := range res.Effects {
		if !e.At.Equal(unlockAt) {
			t.Errorf("%s at %v, want the unlock %v", e.Kind(), e.At, unlockAt)
		}
	}
	if c := res.State.Complaints; c[0].Outcome != Valid || c[1].Outcome != Valid {
		t.Errorf("outcomes %v %v", c[0].Outcome, c[1].Outcome)
	}
	if _, err := m.ApplyAt(inTrade, s, Unlock{Complaint: 2, How: JudgmentExecuted}, unlockAt); !errors.Is(err, ErrInvalid) {
		t.Errorf("judgment without a verdict: %v", err)
	}
}

func TestMeasures(t *testing.T) {
	m := testMachine()
	res := apply(t, m, inTrade, filed(t, m), TakeMeasures{Complaint: 1, Ground: Safety, Measure: "delist the heater"}, t0.Add(time.Hour))
	if diff := cmp.Diff(Measures{Complaint: 1, Ground: Safety, Measure: "delist the heater"}, res.Effects[0].Act); diff != "" {
		t.Errorf("measures (-want +got):\n%s", diff)
	}
	if _, err := m.ApplyAt(inTrade, res.State, TakeMeasures{Complaint: 1, Ground: Rights}, t0.Add(time.Hour)); !errors.Is(err, ErrInvalid) {
		t.Errorf("no measure: %v", err)
	}
}

// DSP-8: reports are not bound by the window; IP infringement is routed.
func TestReports(t *testing.T) {
	m := testMachine()
	done := Trade{ID: "T1", Status: Closed, PaidAt: t0.Add(-9000 * time.Hour)}
	rep := FileReport{Kind: CreditSpeculation, By: Merchant, Filer: Filer{Identity: "M9", Contact: "mail"}, Respondent: "M1",
		Subject: "T1", Claims: "fake reviews", Facts: "no trade", Reasons: "TR art.7", Evidence: []string{"log"}}
	res := apply(t, m, done, State{}, rep, t0)
	s := res.State
	if r := s.Reports[0]; r.Status != Accepted || r.Version != "2023-07-23" {
		t.Fatalf("report %+v", r)
	}
	refused(t, m, done, s, Conclude{Report: 1, Upheld: true}, t0, ErrNotAllowed, "DSP-8")
	s = apply(t, m, done, s, Review{Report: 1}, t0).State
	res = apply(t, m, done, s, Conclude{Report: 1, Upheld: true}, t0)
	if d := res.Effects[0].Act.(ReportDecided); !d.Upheld || res.State.Reports[0].Status != Upheld {
		t.Errorf("decided %+v", d)
	}
	refused(t, m, done, res.State, Review{Report: 1}, t0, ErrFinal, "DSP-8")
	refused(t, m, done, res.State, Review{Report: 2}, t0, ErrNoReport, "DSP-8")

	rep.Kind = IPInfringement
	res = apply(t, m, Trade{}, State{}, rep, t0)
	if res.State.Reports[0].Status != Routed || res.Effects[0].Act.(RouteReport).ReportKind != IPInfringement {
		t.Errorf("IP report: %+v", res.State.Reports[0])
	}
	rep.Subject = ""
	_, err := m.ApplyAt(Trade{}, State{}, rep, t0)
	var me *MissingError
	if !errors.As(err, &me) || !cmp.Equal(me.Items, []Missing{OnPlatform}) {
		t.Errorf("no subject: %v", err)
	}
	if _, err := m.ApplyAt(Trade{}, State{}, FileReport{}, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("no kind: %v", err)
	}
}

// Nothing lost on refusal; invalid input leaves the state unchanged.
func TestRefusalKeepsFiredDeadlines(t *testing.T) {
	m := testMachine()
	s := filed(t, m)
	at := t0.Add(72 * time.Hour)
	res, err := m.ApplyAt(inTrade, s, Reply{Complaint: 1}, at)
	if !errors.Is(err, ErrFinal) || len(res.Effects) != 2 || res.State.Complaints[0].Outcome != Valid || !res.State.At.Equal(at) {
		t.Errorf("refused reply: %v, %v", err, kinds(res.Effects))
	}
	res, err = m.ApplyAt(inTrade, s, nil, at)
	if !errors.Is(err, ErrInvalid) || len(res.Effects) != 2 {
		t.Errorf("nil event: %v %v", err, kinds(res.Effects))
	}
	res, err = m.ApplyAt(inTrade, s, &Reply{Complaint: 1}, t0.Add(time.Hour))
	if err != nil || res.State.Complaints[0].Status != Replied {
		t.Errorf("pointer event: %v", err)
	}
	bad := s.Clone()
	bad.Complaints[0].Status = 0
	res, err = m.ApplyAt(inTrade, bad, Reply{Complaint: 1}, at)
	if !errors.Is(err, ErrInvalid) || len(res.Effects) != 0 || !cmp.Equal(res.State, bad) {
		t.Errorf("invalid state: %v", err)
	}
	if r := m.AdvanceAt(inTrade, bad, at); len(r.Effects) != 0 || !cmp.Equal(r.State, bad) {
		t.Errorf("advance of an invalid state changed it")
	}
	if _, err := m.ApplyAt(Trade{ID: "T1", Status: Completed}, s, Reply{Complaint: 1}, at); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid trade: %v", err)
	}
	res, err = m.ApplyAt(inTrade, s, Reply{Complaint: 1}, t0.Add(-sec))
	if !errors.Is(err, ErrClockBehind) || !cmp.Equal(res.State, s) {
		t.Errorf("clock behind: %v", err)
	}
	if r := m.AdvanceAt(inTrade, s, t0.Add(-sec)); !cmp.Equal(r.State, s) {
		t.Errorf("advance behind changed the state")
	}
}

// Without lock_shift, a deadline at the very instant of the unlock fires
// at the unlock, one a second later does not.
func TestUnlockAtADeadline(t *testing.T) {
	set, _ := DefaultPolicy().OverrideExpr("lock_shift", "false")
	m := New(Options{Policy: set})
	s := apply(t, m, inTrade, filed(t, m), filing(), t0).State
	s = apply(t, m, inTrade, s, GoToCourt{Complaint: 1, Forum: Court}, t0).State
	due := t0.Add(48 * time.Hour)
	for _, tc := range []struct {
		at   time.Time
		want Status
	}{{due.Add(-sec), AwaitingReply}, {due, Overdue}, {due.Add(sec), Overdue}} {
		res := apply(t, m, inTrade, s, Unlock{Complaint: 1, How: SettledByAgreement}, tc.at)
		if c := res.State.Complaints[1]; c.Status != tc.want {
			t.Errorf("unlock at %v: %v, want %v", tc.at, c.Status, tc.want)
		}
	}
}
