package disputetest_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/dispute/disputetest"
)

var t0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

var trade = dispute.Trade{ID: "T1", Status: dispute.InProgress, PaidAt: t0.Add(-time.Hour)}

func filing() dispute.Complain {
	return dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "a", Contact: "b"}, Respondent: "M1",
		Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"e"}}
}

// The checker accepts what the machine does and catches what breaks an
// invariant.
func TestCheckerCatches(t *testing.T) {
	m := dispute.New(dispute.Options{})
	res, err := m.ApplyAt(trade, dispute.State{}, filing(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := disputetest.NewChecker(dispute.State{}).Step(res, nil, t0); err != nil {
		t.Fatalf("a good step: %v", err)
	}
	end := m.AdvanceAt(trade, res.State, t0.Add(72*time.Hour))
	c := disputetest.NewChecker(res.State)
	if err := c.Step(end, nil, t0.Add(72*time.Hour)); err != nil {
		t.Fatalf("the end of day 3: %v", err)
	}
	broken := map[string]func(r *dispute.Result){
		"gap in IDs":      func(r *dispute.Result) { r.Effects[1].ID++ },
		"judged twice":    func(r *dispute.Result) { r.Effects[0] = r.Effects[1]; r.Effects[0].ID = r.Effects[1].ID - 1 },
		"no judged":       func(r *dispute.Result) { r.Effects = r.Effects[:1]; r.State.Seq-- },
		"effect from now": func(r *dispute.Result) { r.Effects[1].At = t0.Add(100 * time.Hour) },
		"invalid state":   func(r *dispute.Result) { r.State.Complaints[0].Round = 0 },
	}
	for name, f := range broken {
		r := end
		r.State = end.State.Clone()
		r.Effects = append([]dispute.Effect(nil), end.Effects...)
		f(&r)
		if err := disputetest.NewChecker(res.State).Step(r, nil, t0.Add(72*time.Hour)); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
	// A closed complaint that changes is caught.
	closed := end.State.Clone()
	closed.Complaints[0].Remedy = dispute.Refund
	c2 := disputetest.NewChecker(end.State)
	if err := c2.Step(dispute.Result{State: closed}, nil, t0.Add(80*time.Hour)); err == nil {
		t.Errorf("changed closed complaint: not caught")
	}
}

// The generators produce what the machine accepts often enough to reach
// every status.
func TestGeneratorsReachEveryStatus(t *testing.T) {
	seen := map[dispute.Status]bool{}
	rapid.Check(t, func(rt *rapid.T) {
		m := dispute.New(dispute.Options{})
		var s dispute.State
		now := t0
		for range 40 {
			now = disputetest.Instant(s, now).Draw(rt, "at")
			res, _ := m.ApplyAt(trade, s, disputetest.Event(s).Draw(rt, "event"), now)
			s = res.State
			for _, c := range s.Complaints {
				seen[c.Status] = true
			}
		}
	})
	for st := dispute.AwaitingReply; st <= dispute.Done; st++ {
		if !seen[st] {
			t.Errorf("status %v never reached", st)
		}
	}
}
