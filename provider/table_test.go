package provider

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var (
	violation   = Finding{Clause: 18}
	noViolation = Finding{Clause: 31} // 4.31 without the notice: no violation
)

// caseEvents are the variants of each event aimed at case 1 at now, with
// fields the event's own checks accept.
func caseEvents(name string, now time.Time) []Event {
	switch name {
	case "resolve":
		return []Event{Resolve{Case: 1}}
	case "temporary":
		return []Event{Temporary{Case: 1, Measures: []Measure{ExtendSettlement}}}
	case "clear":
		return []Event{Clear{Case: 1}}
	case "judge":
		return []Event{Judge{Case: 1, Finding: violation}, Judge{Case: 1, Finding: noViolation}}
	case "notice_sent":
		return []Event{NoticeSent{Case: 1, SentAt: now}}
	case "object":
		return []Event{Object{Case: 1, Proof: "contract-7"}}
	case "rule_objection":
		return []Event{RuleObjection{Case: 1, Valid: true}, RuleObjection{Case: 1}}
	}
	return nil // open: not aimed at a case
}

type caseRow struct {
	from, to Status
	on, rule string
}

// TestTableDrivesMachine drives every row of the table: from each start,
// every event the table accepts moves case 1 along a row, every other is
// refused with ErrNotAllowed (ErrObjectionLate: an objection after the
// period), and the pending deadline moves it along the timer row of the
// threshold that set it; every row must be driven.
func TestTableDrivesMachine(t *testing.T) {
	m := New(Options{})
	complaint := Open{Origin: UserComplaint, OccurredAt: t0, Resolve: true}
	inspection := Open{Origin: Inspection, OccurredAt: t0}
	judge := Judge{Case: 1, Finding: violation}
	objected := []Event{complaint, judge, NoticeSent{Case: 1}, Object{Case: 1, Proof: "p"}}
	starts := []struct {
		name  string
		steps []Event
	}{
		{"investigating", []Event{complaint}},
		{"judged", []Event{complaint, judge}},
		{"noticed", []Event{complaint, judge, NoticeSent{Case: 1}}},
		{"noticed, inspection", []Event{inspection, judge, NoticeSent{Case: 1}}},
		{"objected", objected},
		{"final", append(slices.Clone(objected), RuleObjection{Case: 1})},
		{"cancelled", append(slices.Clone(objected), RuleObjection{Case: 1, Valid: true})},
		{"cleared", []Event{complaint, Clear{Case: 1}}},
		{"final, late objection", []Event{inspection, judge, NoticeSent{Case: 1}, nil}},
	}
	rows := map[caseRow]bool{}
	timer := map[caseRow]bool{}
	for _, x := range Transitions() {
		k := caseRow{x.From, x.To, x.On, x.Rule}
		rows[k], timer[k] = false, x.Threshold != ""
	}
	drive := func(from, to Status, on string, isTimer bool) bool {
		n := 0
		for k := range rows {
			if k.from == from && k.to == to && k.on == on && timer[k] == isTimer {
				rows[k] = true
				n++
			}
		}
		return n > 0
	}
	for _, c := range starts {
		s, now := start(t), t0.Add(time.Hour)
		for _, e := range c.steps {
			if e == nil {
				cs, _ := s.Case(1)
				now = cs.ObjectBy
				s = m.AdvanceAt(s, now).State
				continue
			}
			now = now.Add(time.Hour)
			if n, ok := e.(NoticeSent); ok {
				n.SentAt = now
				e = n
			}
			s = must(t, m, s, e, now).State
		}
		now = now.Add(time.Minute)
		cs, _ := s.Case(1)
		from := cs.Status
		for _, name := range events.Names() {
			for _, e := range caseEvents(name, now) {
				res, err := m.ApplyAt(s, e, now)
				if !accepted[edgeKey{from, name}] {
					var re *rules.RuleError
					want := ErrNotAllowed
					if name == "object" && from == Final && cs.ObjectedAt.IsZero() {
						want = ErrObjectionLate
					}
					if !errors.Is(err, want) || !errors.As(err, &re) {
						t.Errorf("%s (%v): %s not in the table, got %v", c.name, from, name, err)
					}
					continue
				}
				if err != nil {
					continue // a further condition of the rule; another start meets it
				}
				got, _ := res.State.Case(1)
				if !drive(from, got.Status, name, false) {
					t.Errorf("%s: %v --%s--> %v is no row", c.name, from, name, got.Status)
				}
			}
		}
		at, kind, ok := due(&cs)
		if !ok {
			for _, x := range Transitions() {
				if x.From == from && x.Threshold != "" && x.Threshold != complaintResolution.Name() {
					t.Errorf("%s: %v has no deadline, the table has %+v", c.name, from, x)
				}
			}
			continue
		}
		threshold := map[int]string{dueResolution: complaintResolution.Name(), dueObjection: objectionPeriod.Name()}[kind]
		got, _ := m.AdvanceAt(s, at).State.Case(1)
		if !drive(from, got.Status, threshold, true) {
			t.Errorf("%s: deadline %s moved %v to %v: no timer row", c.name, threshold, from, got.Status)
		}
	}
	for k, done := range rows {
		if !done {
			t.Errorf("row %v --%s--> %v (%s) driven by no start", k.from, k.on, k.to, k.rule)
		}
	}
}

// Every timer edge names a window threshold of the schema, declared for
// the edge's rule; every event edge a real event.
func TestTableThresholdsDeclared(t *testing.T) {
	for _, x := range Transitions() {
		if x.Threshold == "" {
			if !slices.Contains(events.Names(), x.On) {
				t.Errorf("unknown event %q", x.On)
			}
			continue
		}
		d, ok := Schema().Decl(x.Threshold)
		if !ok || d.Type != rules.Window || d.Rule != x.Rule || x.On != x.Threshold {
			t.Errorf("timer edge %+v: declared %v %+v", x, ok, d)
		}
	}
}

func TestDiagramGolden(t *testing.T) {
	for name, got := range map[string]string{"case.mmd": Diagram(nil), "case.dot": DiagramDOT(nil)} {
		path := filepath.Join("testdata", name)
		goldentest.Check(t, path, got, *update)
	}
	set, err := DefaultPolicy().OverrideExpr("objection_period", `duration("72h")`)
	if err != nil {
		t.Fatal(err)
	}
	if got := Diagram(set); !strings.Contains(got, "after objection_period = 72h (PRV-9)") {
		t.Errorf("override not shown:\n%s", got)
	}
}
