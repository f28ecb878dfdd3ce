package provider

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

func TestClassIFlow(t *testing.T) {
	m := New(Options{})
	s := start(t)
	res := must(t, m, s, Open{Origin: MerchantComplaint, OccurredAt: t0}, t0)
	res = must(t, m, res.State, Temporary{Case: 1, Measures: []Measure{StopResources, WithholdFees}}, t0.Add(time.Hour))
	if diff := cmp.Diff([]string{"provider_impose_measures"}, kinds(res.Effects)); diff != "" {
		t.Errorf("temporary (-want +got):\n%s", diff)
	}
	res = must(t, m, res.State, Judge{Case: 1, Finding: Finding{Clause: 7, Staff: []string{"li"}}}, t0.Add(2*time.Hour))
	// stop_resources lifted (not a Class I measure); withhold_fees stays in force.
	want := []Effect{
		{ID: 2, At: t0.Add(2 * time.Hour), Rule: "PRV-13", Act: LiftMeasures{Case: 1, Measures: []Measure{StopResources}, Temporary: true}},
		{ID: 3, At: t0.Add(2 * time.Hour), Rule: "PRV-9", Act: Notice{Case: 1, Clause: 7, Class: ClassI, Measures: []Measure{WithholdFees, Terminate}, Version: "2020-01-01"}},
	}
	if diff := cmp.Diff(want, res.Effects); diff != "" {
		t.Errorf("judge (-want +got):\n%s", diff)
	}
	if res.State.Standing != Active {
		t.Errorf("standing %v before the notice", res.State.Standing)
	}
	sent := t0.Add(150 * time.Minute)
	res = must(t, m, res.State, NoticeSent{Case: 1, SentAt: sent}, t0.Add(3*time.Hour))
	want = []Effect{{ID: 4, At: sent, Rule: "PRV-10", Act: TerminateAgreements{Case: 1, Class: ClassI, AllAgreements: true, NoCompensation: true, NoFutureCooperation: true}}}
	if diff := cmp.Diff(want, res.Effects); diff != "" {
		t.Errorf("notice (-want +got):\n%s", diff)
	}
	if res.State.Standing != Barred || !res.State.EndedAt.Equal(sent) || res.Next != sent.Add(7*day) {
		t.Errorf("standing %v ended %v next %v", res.State.Standing, res.State.EndedAt, res.Next)
	}
	// No new case for a barred provider.
	_, err := m.ApplyAt(res.State, Open{Origin: Inspection, OccurredAt: t0}, t0.Add(4*time.Hour))
	if !errors.Is(err, ErrTerminated) {
		t.Errorf("open after termination: %v", err)
	}
	// The period closes: final, reported and published.
	adv := m.AdvanceAt(res.State, sent.Add(7*day))
	want = []Effect{
		{ID: 5, At: sent.Add(7 * day), Rule: "PRV-12", Act: CreditReport{Case: 1, Clause: 7, Class: ClassI, Concerns: []Subject{Company, LegalPerson, KeyManagers, StaffInvolved}, Staff: []string{"li"}}},
		{ID: 6, At: sent.Add(7 * day), Rule: "PRV-12", Act: Publish{Case: 1, Clause: 7, Class: ClassI}},
	}
	if diff := cmp.Diff(want, adv.Effects); diff != "" {
		t.Errorf("final (-want +got):\n%s", diff)
	}
	if c, _ := adv.State.Case(1); c.Status != Final || !adv.Next.IsZero() {
		t.Errorf("status %v next %v", c.Status, adv.Next)
	}
	again := m.AdvanceAt(adv.State, sent.Add(7*day))
	if len(again.Effects) != 0 || !cmp.Equal(again.State, adv.State) {
		t.Errorf("advance twice at one instant changed something: %v", again.Effects)
	}
}

func TestClassIIMeasuresAndSerious(t *testing.T) {
	m := New(Options{})
	s := start(t)
	now := t0
	// First Class II: not serious.
	s = must(t, m, s, Open{Origin: Inspection, OccurredAt: now}, now).State
	res := must(t, m, s, Judge{Case: 1, Finding: Finding{Clause: 15}}, now)
	want := []Effect{
		{ID: 1, At: now, Rule: "PRV-11", Act: ImposeMeasures{Case: 1, Measures: []Measure{ExtendSettlement, StopResources, DeductFees}}},
		{ID: 2, At: now, Rule: "PRV-9", Act: Notice{Case: 1, Clause: 15, Class: ClassII, Measures: []Measure{ExtendSettlement, StopResources, DeductFees}, Version: "2020-01-01"}},
	}
	if diff := cmp.Diff(want, res.Effects); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	s = must(t, m, res.State, NoticeSent{Case: 1, SentAt: now}, now).State
	s = m.AdvanceAt(s, now.Add(8*day)).State
	// Second Class II within the window: serious, terminated at the notice.
	now = now.Add(100 * day)
	s = must(t, m, s, Open{Origin: Inspection, OccurredAt: now}, now).State
	res = must(t, m, s, Judge{Case: 2, Finding: Finding{Clause: 19}}, now)
	if c, _ := res.State.Case(2); !c.Serious || !cmp.Equal(c.Measures, []Measure{ExtendSettlement, StopResources, DeductFees, Terminate}) {
		t.Errorf("second class II: serious %t measures %v", c.Serious, c.Measures)
	}
	res = must(t, m, res.State, NoticeSent{Case: 2, SentAt: now}, now)
	if diff := cmp.Diff([]Effect{{ID: 6, At: now, Rule: "PRV-11", Act: TerminateAgreements{Case: 2, Class: ClassII}}}, res.Effects); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.State.Standing != Terminated {
		t.Errorf("standing %v", res.State.Standing)
	}
}

func TestClearLiftsTemporary(t *testing.T) {
	m := New(Options{})
	s := must(t, m, start(t), Open{Origin: UserComplaint, OccurredAt: t0}, t0).State
	s = must(t, m, s, Temporary{Case: 1, Measures: []Measure{DeductFees, ExtendSettlement}}, t0).State
	res := must(t, m, s, Temporary{Case: 1, Measures: []Measure{ExtendSettlement}}, t0)
	if len(res.Effects) != 0 {
		t.Errorf("re-imposing a measure in force: %v", res.Effects)
	}
	for _, e := range []Event{Clear{Case: 1}, Judge{Case: 1, Finding: Finding{Clause: 31, NoticeSent: true}}} {
		res := must(t, m, s, e, t0.Add(time.Minute))
		want := []Effect{{ID: 2, At: t0.Add(time.Minute), Rule: "PRV-13", Act: LiftMeasures{Case: 1, Measures: []Measure{ExtendSettlement, DeductFees}, Temporary: true}}}
		if diff := cmp.Diff(want, res.Effects); diff != "" {
			t.Errorf("%s (-want +got):\n%s", e.Name(), diff)
		}
		if c, _ := res.State.Case(1); c.Status != Cleared || len(c.Temporary) != 0 || len(res.State.Record) != 0 {
			t.Errorf("%s: %+v", e.Name(), c)
		}
	}
	_, err := m.ApplyAt(s, Temporary{Case: 1, Measures: []Measure{Terminate}}, t0)
	if !errors.Is(err, ErrTemporary) {
		t.Errorf("temporary termination: %v", err)
	}
}

func TestObjection(t *testing.T) {
	m := New(Options{})
	f := Finding{Clause: 27}
	s := noticed(t, m, f)
	sent := t0.Add(3 * time.Hour)
	if _, err := m.ApplyAt(s, Object{Case: 1}, sent); !errors.Is(err, ErrNoProof) {
		t.Errorf("no proof: %v", err)
	}
	s = must(t, m, s, Object{Case: 1, Proof: "logs"}, sent.Add(day)).State
	if !m.AdvanceAt(s, sent.Add(30*day)).Next.IsZero() {
		t.Error("an objection awaiting its ruling has a deadline")
	}
	valid := must(t, m, s, RuleObjection{Case: 1, Valid: true}, sent.Add(2*day))
	want := []Effect{{ID: 3, At: sent.Add(2 * day), Rule: "PRV-9", Act: LiftMeasures{Case: 1, Measures: []Measure{ExtendSettlement, StopResources, DeductFees}}}}
	if diff := cmp.Diff(want, valid.Effects); diff != "" {
		t.Errorf("valid (-want +got):\n%s", diff)
	}
	if len(valid.State.Record) != 0 {
		t.Errorf("record after a valid objection: %v", valid.State.Record)
	}
	invalid := must(t, m, s, RuleObjection{Case: 1, Valid: false}, sent.Add(2*day))
	if c, _ := invalid.State.Case(1); c.Status != Final || len(invalid.State.Record) != 1 {
		t.Errorf("invalid: %v, record %v", c.Status, invalid.State.Record)
	}
	// Class III is published, not reported, by default.
	if diff := cmp.Diff([]string{"provider_publish"}, kinds(invalid.Effects)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestValidObjectionKeepsTermination(t *testing.T) {
	m := New(Options{})
	s := noticed(t, m, Finding{Clause: 1})
	s = must(t, m, s, Object{Case: 1, Proof: "court ruling"}, t0.Add(4*time.Hour)).State
	res := must(t, m, s, RuleObjection{Case: 1, Valid: true}, t0.Add(5*time.Hour))
	want := []Effect{{ID: 4, At: t0.Add(5 * time.Hour), Rule: "PRV-9", Act: LiftMeasures{Case: 1, Measures: []Measure{WithholdFees}}}}
	if diff := cmp.Diff(want, res.Effects); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.State.Standing != Barred {
		t.Errorf("standing %v after a valid objection; want barred (nothing restores it)", res.State.Standing)
	}
}

func TestRefusalKeepsFiredDeadlines(t *testing.T) {
	m := New(Options{})
	s := noticed(t, m, Finding{Clause: 27})
	closeAt := t0.Add(3*time.Hour + 7*day)
	res, err := m.ApplyAt(s, Object{Case: 1, Proof: "p"}, closeAt)
	var re *rules.RuleError
	if !errors.Is(err, ErrObjectionLate) || !errors.As(err, &re) || re.Rule != "PRV-9" || re.Op != "provider.Apply(object)" {
		t.Fatalf("objection at the close: %v", err)
	}
	if diff := cmp.Diff([]string{"provider_publish"}, kinds(res.Effects)); diff != "" {
		t.Errorf("the fired deadline's effects (-want +got):\n%s", diff)
	}
	if c, _ := res.State.Case(1); c.Status != Final || !res.State.Last.Equal(closeAt) {
		t.Errorf("state not advanced: %v last %v", c.Status, res.State.Last)
	}
}

func TestRefusals(t *testing.T) {
	m := New(Options{})
	s := judged(t, m, Finding{Clause: 27})
	now := t0.Add(3 * time.Hour)
	tests := []struct {
		e    Event
		err  error
		rule string
	}{
		{Open{Origin: Inspection, OccurredAt: now.Add(time.Second)}, ErrEventTime, "PRV-8"},
		{Open{Origin: Inspection}, ErrEventTime, "PRV-8"},
		{Open{Origin: Inspection, OccurredAt: now, Resolve: true}, ErrNotAllowed, "PRV-8"},
		{Resolve{Case: 1}, ErrNotAllowed, "PRV-8"},
		{Resolve{Case: 9}, ErrNoCase, "PRV-8"},
		{Clear{Case: 1}, ErrNotAllowed, "PRV-13"},
		{Judge{Case: 1, Finding: Finding{Clause: 1}}, ErrNotAllowed, "PRV-9"},
		{NoticeSent{Case: 1, SentAt: now.Add(time.Second)}, ErrEventTime, "PRV-9"},
		{NoticeSent{Case: 1, SentAt: t0.Add(2*time.Hour - time.Second)}, ErrNotAllowed, "PRV-9"},
		{Object{Case: 1, Proof: "p"}, ErrNotAllowed, "PRV-9"},
		{RuleObjection{Case: 1, Valid: true}, ErrNotAllowed, "PRV-9"},
	}
	for _, tc := range tests {
		res, err := m.ApplyAt(s, tc.e, now)
		var re *rules.RuleError
		if !errors.Is(err, tc.err) || !errors.As(err, &re) || re.Rule != tc.rule {
			t.Errorf("%s %+v: %v, want %v (%s)", tc.e.Name(), tc.e, err, tc.err, tc.rule)
			continue
		}
		s2 := s.Clone()
		s2.Last = now
		if diff := cmp.Diff(s2, res.State); diff != "" {
			t.Errorf("%s: refused event changed the state (-want +got):\n%s", tc.e.Name(), diff)
		}
	}
	if _, err := m.ApplyAt(s, Open{Origin: 0, OccurredAt: t0}, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid origin: %v", err)
	}
	if _, err := m.ApplyAt(s, nil, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil event: %v", err)
	}
	if _, err := m.ApplyAt(s, Judge{Case: 1, Finding: Finding{Clause: 23}}, now); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("judged case: %v", err)
	}
	if res, err := m.ApplyAt(s, &Clear{Case: 1}, now.Add(-4*time.Hour)); !errors.Is(err, ErrClockBehind) || !cmp.Equal(res.State, s) {
		t.Errorf("clock behind: %v", err)
	}
	bad := s.Clone()
	bad.Cases[0].Class = 0
	if res, err := m.ApplyAt(bad, Clear{Case: 1}, now); !errors.Is(err, ErrInvalid) || !cmp.Equal(res.State, bad) || len(res.Effects) > 0 {
		t.Errorf("invalid state: %v", err)
	}
	// An unknown clause in a judgment is refused naming it.
	s = must(t, m, s, Open{Origin: Inspection, OccurredAt: t0}, now).State
	if _, err := m.ApplyAt(s, Judge{Case: 2, Finding: Finding{Clause: 23}}, now); !errors.Is(err, ErrUnknownClause) {
		t.Errorf("clause 23: %v", err)
	}
}

func TestInputUntouched(t *testing.T) {
	m := New(Options{})
	s := must(t, m, start(t), Open{Origin: UserComplaint, OccurredAt: t0}, t0).State
	s = must(t, m, s, Temporary{Case: 1, Measures: []Measure{DeductFees}}, t0).State
	keep := s.Clone()
	_ = must(t, m, s, Judge{Case: 1, Finding: Finding{Clause: 17, Staff: []string{"a"}}}, t0)
	if diff := cmp.Diff(keep, s); diff != "" {
		t.Errorf("input changed (-before +after):\n%s", diff)
	}
}

// A notice reported long after it was sent: the objection period that
// already closed closes in the same step, at its own instant.
func TestNoticeReportedLate(t *testing.T) {
	m := New(Options{})
	s := judged(t, m, Finding{Clause: 28})
	sent := t0.Add(3 * time.Hour)
	now := sent.Add(10 * day)
	res := must(t, m, s, NoticeSent{Case: 1, SentAt: sent}, now)
	want := []Effect{{ID: 3, At: sent.Add(7 * day), Rule: "PRV-12", Act: Publish{Case: 1, Clause: 28, Class: ClassIII}}}
	if diff := cmp.Diff(want, res.Effects); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c, _ := res.State.Case(1); c.Status != Final || !c.ClosedAt.Equal(sent.Add(7*day)) || !res.Next.IsZero() {
		t.Errorf("status %v closed %v next %v", c.Status, c.ClosedAt, res.Next)
	}
}

// AdvanceAt catches up on missed deadlines earliest first, each at its
// own instant.
func TestAdvanceCatchesUpInOrder(t *testing.T) {
	m := New(Options{})
	s := must(t, m, start(t), Open{Origin: UserComplaint, OccurredAt: t0, Resolve: true}, t0).State // resolve by t0+7d
	s = must(t, m, s, Open{Origin: Inspection, OccurredAt: t0}, t0).State
	s = must(t, m, s, Judge{Case: 2, Finding: Finding{Clause: 29}}, t0).State
	s = must(t, m, s, NoticeSent{Case: 2, SentAt: t0}, t0).State // objection closes at t0+7d too
	s = must(t, m, s, Open{Origin: MerchantComplaint, OccurredAt: t0, Resolve: true}, t0.Add(time.Hour)).State
	res := m.AdvanceAt(s, t0.Add(30*day))
	var got []string
	for _, e := range res.Effects {
		got = append(got, e.At.Sub(t0).String()+" "+e.Kind())
	}
	// At one instant a resolution deadline fires before an objection period's end.
	want := []string{"168h0m0s provider_resolution_overdue", "168h0m0s provider_publish", "169h0m0s provider_resolution_overdue"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Apply and Advance read the clock once and behave as ApplyAt and
// AdvanceAt at that instant.
func TestClockWrappers(t *testing.T) {
	c := clock.NewManual(t0.In(time.FixedZone("CST", 8*3600)))
	m := New(Options{Clock: c})
	res, err := m.Apply(start(t), Open{Origin: UserComplaint, OccurredAt: t0, Resolve: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := must(t, m, start(t), Open{Origin: UserComplaint, OccurredAt: t0, Resolve: true}, t0); !cmp.Equal(want, res) {
		t.Errorf("Apply differs from ApplyAt:\n%s", cmp.Diff(want, res))
	}
	if res.State.Last.Location() != time.UTC {
		t.Errorf("last instant in %v, want UTC", res.State.Last.Location())
	}
	c.Advance(7 * day)
	adv := m.Advance(res.State)
	if want := m.AdvanceAt(res.State, t0.Add(7*day)); !cmp.Equal(want, adv) || len(adv.Effects) != 1 {
		t.Errorf("Advance differs from AdvanceAt:\n%s", cmp.Diff(want, adv))
	}
}
