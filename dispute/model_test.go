package dispute_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/dispute/disputetest"
)

// model is an independent account of the default policy's complaint
// rules, kept beside the machine: constants instead of thresholds.
type model struct {
	shift     bool // lock_shift
	atOnce    bool // unsatisfied_intervention
	trade     dispute.Trade
	cs        []mComplaint
	reports   []dispute.ReportStatus
	locked    int
	lockSince time.Time
}

type mComplaint struct {
	status    dispute.Status
	due, day3 time.Time
	round     int
	outcome   dispute.Outcome
}

const h = time.Hour

func (m *model) advance(now time.Time) {
	for m.locked == 0 {
		best := -1
		for i, c := range m.cs {
			if (c.status == dispute.AwaitingReply || c.status == dispute.Overdue || c.status == dispute.Replied) && !c.due.After(now) {
				if best < 0 || c.due.Before(m.cs[best].due) {
					best = i
				}
			}
		}
		if best < 0 {
			return
		}
		c := &m.cs[best]
		switch c.status {
		case dispute.AwaitingReply:
			c.status, c.due = dispute.Overdue, c.day3
		case dispute.Overdue:
			*c = mComplaint{status: dispute.Done, outcome: dispute.Valid, round: c.round}
		case dispute.Replied:
			*c = mComplaint{status: dispute.Done, outcome: dispute.Satisfied, round: c.round}
		}
	}
}

func (m *model) open(id int) *mComplaint {
	if id < 1 || id > len(m.cs) || m.cs[id-1].status == dispute.Done {
		return nil
	}
	return &m.cs[id-1]
}

func (m *model) round(c *mComplaint, now time.Time, n int) {
	c.status, c.due, c.day3, c.round = dispute.AwaitingReply, now.Add(48*h), now.Add(72*h), n
}

func (m *model) close(c *mComplaint, o dispute.Outcome) {
	*c = mComplaint{status: dispute.Done, outcome: o, round: c.round}
}

// apply reports whether the model accepts e at now (after advancing).
func (m *model) apply(e dispute.Event, now time.Time) bool {
	if m.locked != 0 {
		u, ok := e.(dispute.Unlock)
		if !ok || u.Complaint != m.locked {
			return false
		}
		c := &m.cs[u.Complaint-1]
		o := dispute.Settled
		if u.How == dispute.JudgmentExecuted {
			o = map[dispute.Verdict]dispute.Outcome{dispute.VerdictValid: dispute.Valid, dispute.VerdictReject: dispute.NotValid}[u.Verdict]
		}
		m.close(c, o)
		d := now.Sub(m.lockSince)
		move := func(t time.Time) time.Time {
			switch {
			case t.IsZero():
				return t
			case m.shift:
				return t.Add(d)
			case t.Before(now):
				return now
			}
			return t
		}
		for i := range m.cs {
			m.cs[i].due, m.cs[i].day3 = move(m.cs[i].due), move(m.cs[i].day3)
		}
		m.locked = 0
		return true
	}
	switch e := e.(type) {
	case dispute.Complain:
		t := m.trade
		complete := e.Filer.Contact != "" && len(e.Evidence) > 0 && e.Facts != ""
		switch {
		case !complete || t.IsZero() || e.Type == "report":
			return false
		case t.Status != dispute.InProgress && t.Status != dispute.Completed, now.Before(t.PaidAt):
			return false
		case t.Status == dispute.Completed && !now.Before(t.CompletedAt.Add(360*h)):
			return false
		}
		m.cs = append(m.cs, mComplaint{})
		m.round(&m.cs[len(m.cs)-1], now, 1)
	case dispute.Withdraw:
		c := m.open(e.Complaint)
		if c == nil || c.status == dispute.Plan {
			return false
		}
		m.close(c, dispute.Withdrawn)
	case dispute.Reply:
		c := m.open(e.Complaint)
		if c == nil || (c.status != dispute.AwaitingReply && c.status != dispute.Overdue) {
			return false
		}
		c.status, c.due, c.day3 = dispute.Replied, now.Add(48*h), time.Time{}
	case dispute.Unsatisfied:
		c := m.open(e.Complaint)
		if c == nil || c.status != dispute.Replied {
			return false
		}
		m.round(c, now, c.round+1)
	case dispute.AskIntervention:
		c := m.open(e.Complaint)
		if c == nil || !(c.status == dispute.Overdue || (c.status == dispute.AwaitingReply && c.round > 1 && m.atOnce)) {
			return false
		}
		c.status, c.due, c.day3 = dispute.Intervention, time.Time{}, time.Time{}
	case dispute.Decide:
		c := m.open(e.Complaint)
		if c == nil || c.status != dispute.Intervention {
			return false
		}
		if e.Verdict == dispute.VerdictValid && e.Remedy != dispute.NoRemedy {
			*c = mComplaint{status: dispute.Plan, outcome: dispute.Valid, round: c.round}
		} else if e.Verdict == dispute.VerdictValid {
			m.close(c, dispute.Valid)
		} else {
			m.close(c, dispute.NotValid)
		}
	case dispute.PlanDone:
		c := m.open(e.Complaint)
		if c == nil || c.status != dispute.Plan {
			return false
		}
		c.status = dispute.Done
	case dispute.Press:
		c := m.open(e.Complaint)
		return c != nil && c.status == dispute.Plan
	case dispute.GoToCourt:
		c := m.open(e.Complaint)
		if c == nil || c.status == dispute.Plan {
			return false
		}
		c.status, c.due, c.day3 = dispute.Arbitration, time.Time{}, time.Time{}
		m.locked, m.lockSince = e.Complaint, now
	case dispute.Unlock:
		return false
	case dispute.TakeMeasures:
		return m.open(e.Complaint) != nil
	case dispute.FileReport:
		st := dispute.Accepted
		if e.Kind == dispute.IPInfringement {
			st = dispute.Routed
		}
		m.reports = append(m.reports, st)
	case dispute.Review:
		if e.Report < 1 || e.Report > len(m.reports) || m.reports[e.Report-1] != dispute.Accepted {
			return false
		}
		m.reports[e.Report-1] = dispute.Reviewing
	case dispute.Conclude:
		if e.Report < 1 || e.Report > len(m.reports) || m.reports[e.Report-1] != dispute.Reviewing {
			return false
		}
		m.reports[e.Report-1] = dispute.Dismissed
		if e.Upheld {
			m.reports[e.Report-1] = dispute.Upheld
		}
	}
	return true
}

// same compares the machine's state with the model.
func (m *model) same(s dispute.State) error {
	if len(s.Complaints) != len(m.cs) || len(s.Reports) != len(m.reports) {
		return fmt.Errorf("%d complaints, %d reports; model %d, %d", len(s.Complaints), len(s.Reports), len(m.cs), len(m.reports))
	}
	for i, c := range s.Complaints {
		want := m.cs[i]
		got := mComplaint{status: c.Status, due: c.Deadline, day3: c.Day3End, round: c.Round, outcome: c.Outcome}
		if c.Status == dispute.Done || c.Status == dispute.Plan {
			got.due, got.day3 = time.Time{}, time.Time{}
		}
		if want != got && !(want.status == got.status && want.outcome == got.outcome && want.due.Equal(got.due) && want.day3.Equal(got.day3) && want.round == got.round) {
			return fmt.Errorf("complaint %d: %+v, model %+v", i+1, got, want)
		}
	}
	for i, r := range s.Reports {
		if r.Status != m.reports[i] {
			return fmt.Errorf("report %d: %v, model %v", i+1, r.Status, m.reports[i])
		}
	}
	if (s.Lock.Complaint) != m.locked {
		return fmt.Errorf("lock %+v, model %d", s.Lock, m.locked)
	}
	return nil
}

var t0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

// TestModel runs random filings, replies, feedback, interventions,
// decisions, withdrawals, locks, reports and clock advances against the
// model, under the default policy and its variants of lock_shift and
// unsatisfied_intervention, checking the invariants of
// disputetest.Checker after every step and replaying the JSON log at the
// end.
func TestModel(t *testing.T) {
	machines := map[[2]bool]*dispute.Machine{}
	for _, shift := range []bool{false, true} {
		for _, atOnce := range []bool{false, true} {
			set, err := dispute.DefaultPolicy().OverrideExpr("lock_shift", fmt.Sprint(shift))
			if err == nil {
				set, err = set.OverrideExpr("unsatisfied_intervention", fmt.Sprint(atOnce))
			}
			if err != nil {
				t.Fatal(err)
			}
			machines[[2]bool{shift, atOnce}] = dispute.New(dispute.Options{Policy: set})
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		shift, atOnce := rapid.Bool().Draw(rt, "lock_shift"), rapid.Bool().Draw(rt, "unsatisfied_intervention")
		m := machines[[2]bool{shift, atOnce}]
		trade := disputetest.Trade(t0).Draw(rt, "trade")
		mod := &model{trade: trade, shift: shift, atOnce: atOnce}
		var s dispute.State
		now := t0
		check := disputetest.NewChecker(s)
		var log []dispute.Entry
		var results [][]byte
		record := func(res dispute.Result) {
			b, err := json.Marshal(res)
			if err != nil {
				rt.Fatal(err)
			}
			results = append(results, b)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"event": func(rt *rapid.T) {
				at := disputetest.Instant(s, now).Draw(rt, "at")
				e := disputetest.Event(s).Draw(rt, "event")
				before, _ := json.Marshal(s)
				res, err := m.ApplyAt(trade, s, e, at)
				if after, _ := json.Marshal(s); !bytes.Equal(before, after) {
					rt.Fatalf("ApplyAt changed its input")
				}
				mod.advance(at)
				if accepted := mod.apply(e, at); accepted != (err == nil) {
					rt.Fatalf("%s at %v: err %v, model accepts %v", e.Name(), at, err, accepted)
				}
				mod.advance(at) // what the event brought due (an unlock) fires at once
				if err != nil {
					if adv := m.AdvanceAt(trade, s, at); !cmp.Equal(adv, res) {
						rt.Fatalf("a refused %s changed more than advancing:\n%s", e.Name(), cmp.Diff(adv, res))
					}
				}
				if cerr := check.Step(res, err, at); cerr != nil {
					rt.Fatalf("%s at %v: %v", e.Name(), at, cerr)
				}
				log = append(log, dispute.Entry{At: at, Event: e})
				record(res)
				s, now = res.State, at
			},
			"advance": func(rt *rapid.T) {
				at := disputetest.Instant(s, now).Draw(rt, "at")
				res := m.AdvanceAt(trade, s, at)
				mod.advance(at)
				if cerr := check.Step(res, nil, at); cerr != nil {
					rt.Fatalf("advance to %v: %v", at, cerr)
				}
				log = append(log, dispute.Entry{At: at})
				record(res)
				s, now = res.State, at
			},
			"": func(rt *rapid.T) {
				if err := mod.same(s); err != nil {
					rt.Fatal(err)
				}
				if s.Locked() && !s.Next().IsZero() {
					rt.Fatalf("locked with a next deadline %v", s.Next())
				}
			},
		})
		// Replay from the JSON log gives byte-identical results.
		data, err := json.Marshal(log)
		if err != nil {
			rt.Fatal(err)
		}
		var back []dispute.Entry
		if err := json.Unmarshal(data, &back); err != nil {
			rt.Fatalf("log does not decode: %v\n%s", err, data)
		}
		var r dispute.State
		for i, en := range back {
			var res dispute.Result
			if en.Event == nil {
				res = m.AdvanceAt(trade, r, en.At)
			} else {
				res, _ = m.ApplyAt(trade, r, en.Event, en.At)
			}
			b, _ := json.Marshal(res)
			if !bytes.Equal(b, results[i]) {
				rt.Fatalf("replay of entry %d differs:\n%s\n%s", i, b, results[i])
			}
			r = res.State
		}
	})
}
