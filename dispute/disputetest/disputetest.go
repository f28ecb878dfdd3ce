// Package disputetest provides rapid generators of trades, filings,
// events and instants for package dispute, and a checker of its
// invariants, for hosts that use dispute as the reference model of their
// own service in property tests.
package disputetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/dispute"
)

// Trade generates a trade paid before base: usually in progress or
// completed (within or past the complaint window), sometimes unpaid,
// cancelled, closed or the zero Trade, so that DSP-2 and DSP-3 refusals
// are exercised too.
func Trade(base time.Time) *rapid.Generator[dispute.Trade] {
	return rapid.Custom(func(t *rapid.T) dispute.Trade {
		paid := base.Add(-time.Duration(rapid.Int64Range(0, 30*24*3600).Draw(t, "paid_ago")) * time.Second).UTC()
		switch rapid.IntRange(0, 9).Draw(t, "status") {
		case 0:
			return dispute.Trade{}
		case 1:
			return dispute.Trade{ID: "T1", Status: dispute.Unpaid}
		case 2:
			return dispute.Trade{ID: "T1", Status: dispute.Cancelled}
		case 3:
			return dispute.Trade{ID: "T1", Status: dispute.Closed, PaidAt: paid}
		case 4, 5, 6:
			done := paid.Add(time.Duration(rapid.Int64Range(0, 30*24*3600).Draw(t, "completed_after")) * time.Second).UTC()
			return dispute.Trade{ID: "T1", Status: dispute.Completed, PaidAt: paid, CompletedAt: done}
		}
		return dispute.Trade{ID: "T1", Status: dispute.InProgress, PaidAt: paid}
	})
}

// Types are the complaint types the generators use: the default list, an
// unlisted one and "report".
var Types = []string{"product", "delivery", "after_sales", "review", "price", "packaging", "report", ""}

// Filing generates a complaint filing: nine times in ten complete, else
// missing some acceptance items (DSP-2).
func Filing() *rapid.Generator[dispute.Complain] {
	return rapid.Custom(func(t *rapid.T) dispute.Complain {
		f := dispute.Complain{
			Type:  rapid.SampledFrom(Types).Draw(t, "type"),
			Filer: dispute.Filer{Identity: "ID-1", Contact: "138"}, Respondent: "M1",
			Claims: "refund", Facts: "facts", Reasons: "reasons", Evidence: []string{"photo"},
			NotReceived: rapid.Bool().Draw(t, "not_received"),
		}
		if rapid.IntRange(0, 9).Draw(t, "incomplete") == 0 {
			if rapid.Bool().Draw(t, "no_identity") {
				f.Filer.Contact = ""
			}
			if rapid.Bool().Draw(t, "no_evidence") {
				f.Evidence = nil
			}
			if rapid.Bool().Draw(t, "no_facts") {
				f.Facts = ""
			}
		}
		return f
	})
}

// Report generates a report of any kind by either side.
func Report() *rapid.Generator[dispute.FileReport] {
	return rapid.Custom(func(t *rapid.T) dispute.FileReport {
		return dispute.FileReport{
			Kind:  dispute.ReportKind(rapid.IntRange(1, 9).Draw(t, "kind")),
			By:    dispute.Role(rapid.IntRange(1, 2).Draw(t, "by")),
			Filer: dispute.Filer{Identity: "ID-2", Contact: "mail"}, Respondent: "M1", Subject: "T1",
			Claims: "stop it", Facts: "facts", Reasons: "reasons", Evidence: []string{"screenshot"},
		}
	})
}

// Event generates an event for s: half the time one that fits the
// status of one of its open complaints ([Plausible]), so that sequences
// reach deep states, otherwise [AnyEvent], so that refusals of every
// kind occur too.
func Event(s dispute.State) *rapid.Generator[dispute.Event] {
	return rapid.Custom(func(t *rapid.T) dispute.Event {
		if rapid.Bool().Draw(t, "plausible") {
			return Plausible(s).Draw(t, "event")
		}
		return AnyEvent(s).Draw(t, "event")
	})
}

// Plausible generates an event that the status of one of s's open
// complaints accepts, or [AnyEvent] when none is open.
func Plausible(s dispute.State) *rapid.Generator[dispute.Event] {
	return rapid.Custom(func(t *rapid.T) dispute.Event {
		var open []dispute.Complaint
		for _, c := range s.Complaints {
			if c.Status != dispute.Done {
				open = append(open, c)
			}
		}
		if len(open) == 0 {
			return AnyEvent(s).Draw(t, "any")
		}
		c := rapid.SampledFrom(open).Draw(t, "open")
		if s.Locked() {
			c, _ = s.Complaint(s.Lock.Complaint)
		}
		id := c.ID
		switch c.Status {
		case dispute.AwaitingReply, dispute.Overdue:
			return rapid.SampledFrom([]dispute.Event{dispute.Reply{Complaint: id}, dispute.AskIntervention{Complaint: id},
				dispute.Withdraw{Complaint: id}, dispute.GoToCourt{Complaint: id, Forum: dispute.Court}}).Draw(t, "event")
		case dispute.Replied:
			return rapid.SampledFrom([]dispute.Event{dispute.Unsatisfied{Complaint: id}, dispute.Withdraw{Complaint: id}}).Draw(t, "event")
		case dispute.Intervention:
			return dispute.Decide{Complaint: id, Verdict: dispute.VerdictValid, Remedy: dispute.Remedy(rapid.IntRange(1, 6).Draw(t, "remedy"))}
		case dispute.Plan:
			return rapid.SampledFrom([]dispute.Event{dispute.PlanDone{Complaint: id}, dispute.Press{Complaint: id, Channel: dispute.Messaging},
				dispute.Press{Complaint: id, Channel: dispute.Hotline}}).Draw(t, "event")
		}
		return dispute.Unlock{Complaint: id, How: dispute.SettledByAgreement}
	})
}

// AnyEvent generates any event for s: a filing, or an action on one of
// its complaints or reports (or one that does not exist), whatever its
// status; most are refused.
func AnyEvent(s dispute.State) *rapid.Generator[dispute.Event] {
	return rapid.Custom(func(t *rapid.T) dispute.Event {
		id := rapid.IntRange(1, len(s.Complaints)+1).Draw(t, "complaint")
		if s.Locked() && rapid.IntRange(0, 2).Draw(t, "unlock") > 0 {
			id = s.Lock.Complaint
		}
		rep := rapid.IntRange(1, len(s.Reports)+1).Draw(t, "report")
		switch rapid.IntRange(0, 16).Draw(t, "kind") {
		case 0, 1:
			return Filing().Draw(t, "filing")
		case 2:
			return dispute.Withdraw{Complaint: id}
		case 3, 4:
			return dispute.Reply{Complaint: id, Text: "reply"}
		case 5:
			return dispute.Unsatisfied{Complaint: id, Response: "no"}
		case 6:
			return dispute.AskIntervention{Complaint: id}
		case 7:
			v := dispute.Verdict(rapid.IntRange(1, 2).Draw(t, "verdict"))
			r := dispute.NoRemedy
			if v == dispute.VerdictValid {
				r = dispute.Remedy(rapid.IntRange(1, 6).Draw(t, "remedy"))
			}
			return dispute.Decide{Complaint: id, Verdict: v, Remedy: r}
		case 8:
			return dispute.PlanDone{Complaint: id}
		case 9:
			return dispute.Press{Complaint: id, Channel: dispute.Channel(rapid.IntRange(1, 3).Draw(t, "channel"))}
		case 10:
			return dispute.GoToCourt{Complaint: id, Forum: dispute.Forum(rapid.IntRange(1, 2).Draw(t, "forum"))}
		case 11, 12:
			if rapid.Bool().Draw(t, "settle") {
				return dispute.Unlock{Complaint: id, How: dispute.SettledByAgreement}
			}
			return dispute.Unlock{Complaint: id, How: dispute.JudgmentExecuted, Verdict: dispute.Verdict(rapid.IntRange(1, 2).Draw(t, "verdict"))}
		case 13:
			return dispute.TakeMeasures{Complaint: id, Ground: dispute.Ground(rapid.IntRange(1, 2).Draw(t, "ground")), Measure: "recall"}
		case 14:
			return Report().Draw(t, "report")
		case 15:
			return dispute.Review{Report: rep}
		}
		return dispute.Conclude{Report: rep, Upheld: rapid.Bool().Draw(t, "upheld")}
	})
}

// Instant generates the next instant for s after now: the same instant,
// a deadline of s exactly or one second either side, or a random step of
// up to four days, so that boundaries are hit often.
func Instant(s dispute.State, now time.Time) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		var deadlines []time.Time
		for _, c := range s.Complaints {
			for _, d := range []time.Time{c.Deadline, c.Day3End} {
				if !d.IsZero() && !d.Add(-time.Second).Before(now) {
					deadlines = append(deadlines, d)
				}
			}
		}
		switch k := rapid.IntRange(0, 5).Draw(t, "instant"); {
		case k == 0:
			return now
		case k <= 3 && len(deadlines) > 0:
			d := rapid.SampledFrom(deadlines).Draw(t, "deadline")
			return d.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "offset")) * time.Second)
		}
		return now.Add(time.Duration(rapid.Int64Range(1, 4*24*3600).Draw(t, "step")) * time.Second)
	})
}

// Checker checks the invariants of a sequence of results of one state,
// step by step. Start it with [NewChecker] on the initial state and call
// [Checker.Step] with every result, in order.
type Checker struct {
	prev    dispute.State
	lastAt  time.Time
	judged  map[int]bool
	overdue map[[2]int]bool
}

// NewChecker returns a checker whose first step starts from s.
func NewChecker(s dispute.State) *Checker {
	return &Checker{prev: s.Clone(), lastAt: s.At, judged: map[int]bool{}, overdue: map[[2]int]bool{}}
}

// Step checks res, the result of ApplyAt (err is its error; nil for
// AdvanceAt) or AdvanceAt at now on the previous step's state:
//   - the state is valid (the one definition, [dispute.State.Validate])
//     and round-trips through JSON byte for byte;
//   - effect IDs continue the sequence without gaps; effect instants never
//     go back, from one step to the next, and are not after now;
//   - while the trade was locked nothing fired: the only effects are
//     those of the unlock, and a step that leaves it locked changes no
//     complaint;
//   - every complaint gets exactly one outcome, announced by exactly one
//     Judged effect, and never changes after it; a closed complaint
//     accepts nothing (it never changes again);
//   - each round's reply deadline fires once;
//   - complaints and reports are only appended, and keep what they were
//     filed with; a refused event (err != nil) files, locks and unlocks
//     nothing.
func (c *Checker) Step(res dispute.Result, err error, now time.Time) error {
	s, prev := res.State, c.prev
	if verr := s.Validate(); verr != nil {
		return fmt.Errorf("invalid state: %w", verr)
	}
	data, jerr := json.Marshal(res)
	if jerr != nil {
		return fmt.Errorf("result does not encode: %w", jerr)
	}
	back, derr := dispute.DecodeResult(data)
	if derr != nil {
		return fmt.Errorf("result does not decode: %w\n%s", derr, data)
	}
	if again, _ := json.Marshal(back); !bytes.Equal(again, data) {
		return fmt.Errorf("result does not round-trip:\n%s\n%s", data, again)
	}
	if !s.At.IsZero() && s.At.Before(prev.At) {
		return fmt.Errorf("state instant went back from %v to %v", prev.At, s.At)
	}
	for i, e := range res.Effects {
		if e.ID != prev.Seq+uint64(i)+1 {
			return fmt.Errorf("effect %d has ID %d after seq %d", i, e.ID, prev.Seq)
		}
		if e.At.Before(c.lastAt) || e.At.After(now) {
			return fmt.Errorf("effect %s at %v: before %v or after now %v", e.Kind(), e.At, c.lastAt, now)
		}
		c.lastAt = e.At
	}
	if s.Seq != prev.Seq+uint64(len(res.Effects)) {
		return fmt.Errorf("seq %d after %d with %d effects", s.Seq, prev.Seq, len(res.Effects))
	}
	if prev.Locked() {
		if len(res.Effects) > 0 {
			if _, ok := res.Effects[0].Act.(dispute.UnlockOrder); !ok {
				return fmt.Errorf("locked trade: effect %s before the unlock", res.Effects[0].Kind())
			}
		}
		if s.Locked() && !equalComplaints(prev.Complaints, s.Complaints) {
			return errors.New("a complaint changed while the trade stayed locked")
		}
	}
	if len(s.Complaints) < len(prev.Complaints) || len(s.Reports) < len(prev.Reports) {
		return errors.New("a complaint or report disappeared")
	}
	if err != nil && (len(s.Complaints) != len(prev.Complaints) || len(s.Reports) != len(prev.Reports) || s.Lock != prev.Lock) {
		return fmt.Errorf("a refused event (%v) filed, locked or unlocked something", err)
	}
	for i, p := range prev.Complaints {
		q := s.Complaints[i]
		if p.FiledAt != q.FiledAt || p.Version != q.Version || p.Type != q.Type || p.Respondent != q.Respondent {
			return fmt.Errorf("complaint %d changed its filing", p.ID)
		}
		if p.Status == dispute.Done && !equalComplaints([]dispute.Complaint{p}, []dispute.Complaint{q}) {
			return fmt.Errorf("closed complaint %d changed: %+v -> %+v", p.ID, p, q)
		}
		if p.Outcome != 0 && q.Outcome != p.Outcome {
			return fmt.Errorf("complaint %d changed its outcome %v -> %v", p.ID, p.Outcome, q.Outcome)
		}
	}
	for i, p := range prev.Reports {
		if p.Status.Final() && s.Reports[i] != p {
			return fmt.Errorf("final report %d changed", p.ID)
		}
	}
	for _, e := range res.Effects {
		switch a := e.Act.(type) {
		case dispute.Judged:
			if c.judged[a.Complaint] {
				return fmt.Errorf("complaint %d judged twice", a.Complaint)
			}
			c.judged[a.Complaint] = true
		case dispute.Notice:
			if a.Status == dispute.Overdue {
				q, _ := s.Complaint(a.Complaint)
				key := [2]int{a.Complaint, q.Round}
				if c.overdue[key] {
					return fmt.Errorf("complaint %d round %d: reply deadline fired twice", a.Complaint, q.Round)
				}
				c.overdue[key] = true
			}
		}
	}
	for _, q := range s.Complaints {
		if (q.Outcome != 0) != c.judged[q.ID] {
			return fmt.Errorf("complaint %d: outcome %v, judged effect %v", q.ID, q.Outcome, c.judged[q.ID])
		}
	}
	c.prev = s.Clone()
	return nil
}

func equalComplaints(a, b []dispute.Complaint) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
