package dispute

import (
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// complaintEvents are the variants of each complaint event aimed at
// complaint 1, with fields the event's own checks accept.
func complaintEvents(name string) []Event {
	switch name {
	case "withdraw":
		return []Event{Withdraw{Complaint: 1}}
	case "reply":
		return []Event{Reply{Complaint: 1}}
	case "unsatisfied":
		return []Event{Unsatisfied{Complaint: 1}}
	case "ask_intervention":
		return []Event{AskIntervention{Complaint: 1}}
	case "decide":
		return []Event{Decide{Complaint: 1, Verdict: VerdictValid, Remedy: Refund},
			Decide{Complaint: 1, Verdict: VerdictReject, Remedy: NoRemedy}}
	case "plan_done":
		return []Event{PlanDone{Complaint: 1}}
	case "press":
		return []Event{Press{Complaint: 1, Channel: Messaging}}
	case "go_to_court":
		return []Event{GoToCourt{Complaint: 1, Forum: Arbitral}}
	case "unlock":
		return []Event{Unlock{Complaint: 1, How: SettledByAgreement}}
	case "take_measures":
		return []Event{TakeMeasures{Complaint: 1, Ground: Safety, Measure: "recall"}}
	}
	return nil // not a complaint event
}

type complaintStart struct {
	name  string
	steps []Event // nil: wait for the deadline
}

func complaintStarts() []complaintStart {
	return []complaintStart{
		{"awaiting reply", nil},
		{"awaiting reply, round 2", []Event{Reply{Complaint: 1}, Unsatisfied{Complaint: 1}}},
		{"overdue", []Event{nil}},
		{"replied", []Event{Reply{Complaint: 1}}},
		{"intervention", []Event{nil, AskIntervention{Complaint: 1}}},
		{"plan", []Event{nil, AskIntervention{Complaint: 1}, Decide{Complaint: 1, Verdict: VerdictValid, Remedy: Refund}}},
		{"arbitration", []Event{GoToCourt{Complaint: 1, Forum: Court}}},
	}
}

type complaintRow struct {
	from, to Status
	on, rule string
}

// TestTableDrivesComplaint drives every row of the complaint table: from
// each start every event the table accepts moves the complaint along a
// row, every other is refused with ErrNotAllowed (ErrLocked while the
// trade is locked, ErrNotLocked for an unlock without a lock), and the pending deadline moves it along the timer
// row of its status; every row must be driven.
func TestTableDrivesComplaint(t *testing.T) {
	m := testMachine()
	rows := map[complaintRow]bool{}
	for _, x := range Transitions() {
		rows[complaintRow{x.From, x.To, x.On, x.Rule}] = false
	}
	drive := func(from, to Status, on string, timer bool) bool {
		n := 0
		for key := range rows {
			if key.from == from && key.to == to && key.on == on && isTimer(key) == timer {
				rows[key] = true
				n++
			}
		}
		return n > 0
	}
	for _, c := range complaintStarts() {
		s, at := filed(t, m), t0
		for _, e := range c.steps {
			if e == nil {
				at = s.Complaints[0].Deadline
				s = m.AdvanceAt(inTrade, s, at).State
				continue
			}
			at = at.Add(time.Minute)
			s = apply(t, m, inTrade, s, e, at).State
		}
		at = at.Add(time.Minute)
		from := s.Complaints[0].Status
		for _, name := range events.Names() {
			for _, e := range complaintEvents(name) {
				res, err := m.ApplyAt(inTrade, s, e, at)
				if !complaintAccepts[edgeKey{uint8(from), name}] {
					var re *rules.RuleError
					want := ErrNotAllowed
					switch {
					case s.Locked():
						want = ErrLocked
					case name == "unlock":
						want = ErrNotLocked // the lock, not the status, refuses it first
					}
					if !errors.Is(err, want) || !errors.As(err, &re) {
						t.Errorf("%s (%v): %s not in the table, got %v", c.name, from, name, err)
					}
					continue
				}
				if err != nil {
					continue // a further condition of the rule; another start meets it
				}
				if to := res.State.Complaints[0].Status; !drive(from, to, name, false) {
					t.Errorf("%s: %v --%s--> %v is no row", c.name, from, name, to)
				}
			}
		}
		q := s.Complaints[0]
		if !q.Status.timed() {
			for _, x := range Transitions() {
				if x.From == from && x.Threshold != "" {
					t.Errorf("%s: %v has no deadline, the table has %+v", c.name, from, x)
				}
			}
			continue
		}
		res := m.AdvanceAt(inTrade, s, q.Deadline)
		if to := res.State.Complaints[0].Status; !drive(from, to, timerOf(from), true) {
			t.Errorf("%s: deadline moved %v to %v: no timer row", c.name, from, to)
		}
	}
	for key, done := range rows {
		if !done {
			t.Errorf("row %v --%s--> %v (%s) driven by no start", key.from, key.on, key.to, key.rule)
		}
	}
}

func isTimer(k complaintRow) bool {
	for _, x := range Transitions() {
		if x.From == k.from && x.To == k.to && x.On == k.on && x.Rule == k.rule {
			return x.Threshold != ""
		}
	}
	return false
}

// timerOf is the one threshold whose deadline a status waits for.
func timerOf(s Status) string {
	for _, x := range Transitions() {
		if x.From == s && x.Threshold != "" {
			return x.Threshold
		}
	}
	return ""
}

func TestTableDrivesReport(t *testing.T) {
	m := testMachine()
	report := func(k ReportKind) FileReport {
		f := filing()
		return FileReport{Kind: k, By: Consumer, Filer: f.Filer, Respondent: "M1", Subject: "listing-9",
			Claims: f.Claims, Facts: f.Facts, Reasons: f.Reasons, Evidence: f.Evidence}
	}
	driven := map[ReportTransition]bool{}
	starts := []struct {
		name  string
		steps []Event
	}{
		{"accepted", []Event{report(ProhibitedGoods)}},
		{"reviewing", []Event{report(ProhibitedGoods), Review{Report: 1}}},
		{"routed", []Event{report(IPInfringement)}},
	}
	for _, c := range starts {
		var s State
		for _, e := range c.steps {
			s = apply(t, m, Trade{}, s, e, t0).State
		}
		from := s.Reports[0].Status
		for _, e := range []Event{Review{Report: 1}, Conclude{Report: 1, Upheld: true}, Conclude{Report: 1}} {
			res, err := m.ApplyAt(Trade{}, s, e, t0)
			if !reportAccepts[edgeKey{uint8(from), e.Name()}] {
				if !errors.Is(err, ErrNotAllowed) && !(from.Final() && errors.Is(err, ErrFinal)) {
					t.Errorf("%s: %s not in the table, got %v", c.name, e.Name(), err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %s: %v", c.name, e.Name(), err)
				continue
			}
			x := ReportTransition{From: from, To: res.State.Reports[0].Status, On: e.Name(), Rule: "DSP-8"}
			if !contains(ReportTransitions(), x) {
				t.Errorf("%s: %+v is no row", c.name, x)
			}
			driven[x] = true
		}
	}
	for _, x := range ReportTransitions() {
		if !driven[x] {
			t.Errorf("row %+v driven by no start", x)
		}
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Every timer edge names a window threshold of the schema; every event
// edge a real event.
func TestTableThresholdsDeclared(t *testing.T) {
	for _, x := range Transitions() {
		if x.Threshold == "" {
			if !contains(events.Names(), x.On) {
				t.Errorf("unknown event %q", x.On)
			}
			continue
		}
		if d, ok := Schema().Decl(x.Threshold); !ok || d.Type != rules.Window || x.On != x.Threshold {
			t.Errorf("timer edge %+v: declared %v %+v", x, ok, d)
		}
	}
	for _, x := range ReportTransitions() {
		if x.Threshold != "" || !contains(events.Names(), x.On) {
			t.Errorf("report edge %+v", x)
		}
	}
}

func TestDiagramGolden(t *testing.T) {
	for name, got := range map[string]string{
		"complaint.mmd": ComplaintDiagram(nil), "complaint.dot": ComplaintDiagramDOT(nil),
		"report.mmd": ReportDiagram(nil), "report.dot": ReportDiagramDOT(nil),
	} {
		golden(t, filepath.Join("testdata", name), got)
	}
	set, err := DefaultPolicy().OverrideExpr("reply_period", `duration("24h")`)
	if err != nil {
		t.Fatal(err)
	}
	if got := ComplaintDiagram(set); !strings.Contains(got, "after reply_period = 24h (DSP-5)") {
		t.Errorf("override not shown:\n%s", got)
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	goldentest.Check(t, path, got, *update)
}
