package dispute

import (
	"slices"
	"testing"
	"time"
)

// The floor: the same transitions hand-written, with constant periods
// and the same copy-on-write of the complaints, for comparison.
type floorComplaint struct {
	status         Status
	deadline, day3 time.Time
	round          int
	outcome        Outcome
}

type floorEffect struct {
	id   uint64
	at   time.Time
	kind string
}

type floorState struct {
	cs  []floorComplaint
	seq uint64
}

func floorFile(s floorState, now time.Time) (floorState, []floorEffect) {
	s.cs = append(slices.Clone(s.cs), floorComplaint{status: AwaitingReply, deadline: now.Add(48 * time.Hour), day3: now.Add(72 * time.Hour), round: 1})
	s.seq++
	return s, []floorEffect{{s.seq, now, "dispute_notice"}}
}

func floorReply(s floorState, id int, now time.Time) (floorState, []floorEffect, bool) {
	s.cs = slices.Clone(s.cs)
	c := &s.cs[id-1]
	if c.status != AwaitingReply && c.status != Overdue {
		return s, nil, false
	}
	c.status, c.deadline, c.day3 = Replied, now.Add(48*time.Hour), time.Time{}
	s.seq++
	return s, []floorEffect{{s.seq, now, "dispute_notice"}}, true
}

func floorAdvance(s floorState, now time.Time) (floorState, []floorEffect) {
	s.cs = slices.Clone(s.cs)
	var effects []floorEffect
	for {
		var c *floorComplaint
		for i := range s.cs {
			q := &s.cs[i]
			if (q.status == AwaitingReply || q.status == Overdue || q.status == Replied) && !q.deadline.After(now) && (c == nil || q.deadline.Before(c.deadline)) {
				c = q
			}
		}
		if c == nil {
			return s, effects
		}
		at := c.deadline
		switch c.status {
		case AwaitingReply:
			c.status, c.deadline = Overdue, c.day3
		case Overdue:
			c.status, c.outcome, c.deadline, c.day3 = Done, Valid, time.Time{}, time.Time{}
		case Replied:
			c.status, c.outcome, c.deadline = Done, Satisfied, time.Time{}
		}
		s.seq++
		effects = append(effects, floorEffect{s.seq, at, "dispute_notice"})
	}
}

var sinkState State
var sinkFloor floorState

func BenchmarkApplyFile(b *testing.B) {
	m := New(Options{})
	f := filing()
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.ApplyAt(inTrade, State{}, f, t0)
		if err != nil {
			b.Fatal(err)
		}
		sinkState = res.State
	}
}

func BenchmarkFloorFile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, _ := floorFile(floorState{}, t0)
		sinkFloor = s
	}
}

func BenchmarkApplyReply(b *testing.B) {
	m := New(Options{})
	res, _ := m.ApplyAt(inTrade, State{}, filing(), t0)
	s, at := res.State, t0.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.ApplyAt(inTrade, s, Reply{Complaint: 1}, at)
		if err != nil {
			b.Fatal(err)
		}
		sinkState = res.State
	}
}

func BenchmarkFloorReply(b *testing.B) {
	s, _ := floorFile(floorState{}, t0)
	at := t0.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		s2, _, ok := floorReply(s, 1, at)
		if !ok {
			b.Fatal("refused")
		}
		sinkFloor = s2
	}
}

// One deadline fires (day 3 begins).
func BenchmarkAdvanceFire(b *testing.B) {
	m := New(Options{})
	res, _ := m.ApplyAt(inTrade, State{}, filing(), t0)
	s, at := res.State, t0.Add(50*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		sinkState = m.AdvanceAt(inTrade, s, at).State
	}
}

func BenchmarkFloorAdvanceFire(b *testing.B) {
	s, _ := floorFile(floorState{}, t0)
	at := t0.Add(50 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		s2, _ := floorAdvance(s, at)
		sinkFloor = s2
	}
}

// Nothing is due: the host woke early.
func BenchmarkAdvanceIdle(b *testing.B) {
	m := New(Options{})
	res, _ := m.ApplyAt(inTrade, State{}, filing(), t0)
	s, at := res.State, t0.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		sinkState = m.AdvanceAt(inTrade, s, at).State
	}
}

// historyRecord records n valid complaints, one every spacing, and
// returns the record and the instant after the last.
func historyRecord(b testing.TB, m *Machine, n int, spacing time.Duration) (Record, time.Time) {
	var r Record
	at := t0
	types := []string{"product", "delivery", "after_sales", "review", "price", "other"}
	for i := range n {
		at = t0.Add(time.Duration(i) * spacing)
		res, err := m.RecordAt(r, Effect{At: at, Act: Judged{Trade: "T", Complaint: i + 1, Respondent: "M1", Type: types[i%len(types)], Outcome: Valid, Version: "2023-07-23"}}, at)
		if err != nil {
			b.Fatal(err)
		}
		r = res.Record
	}
	return r, at.Add(time.Minute)
}

var sinkRecord RecordResult

// Penalty evaluation on a record of n valid complaints: spread over n
// days (most have left the 90-day window) or all within the window. The
// cost depends on the window (at most 91 days), not on n.
func BenchmarkPenalty(b *testing.B) {
	m := New(Options{})
	for _, tc := range []struct {
		name    string
		n       int
		spacing time.Duration
	}{
		{"history=10/daily", 10, 24 * time.Hour},
		{"history=1000/daily", 1000, 24 * time.Hour},
		{"history=10000/daily", 10000, 24 * time.Hour},
		{"history=1000/within_window", 1000, time.Hour},
	} {
		r, at := historyRecord(b, m, tc.n, tc.spacing)
		next := Effect{At: at, Act: Judged{Trade: "T", Complaint: tc.n + 1, Respondent: "M1", Type: "price", Outcome: Valid, Version: "2023-07-23"}}
		b.Run("record/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := m.RecordAt(r, next, at)
				if err != nil {
					b.Fatal(err)
				}
				sinkRecord = res
			}
		})
		b.Run("evaluate/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := m.EvaluateAt(r, at)
				if err != nil {
					b.Fatal(err)
				}
				sinkRecord = res
			}
		})
		b.Logf("%s: %d days, %d types, %d recent", tc.name, len(r.Days), len(r.Totals), len(r.Recent))
	}
}

func TestHistoryDoesNotGrowRecord(t *testing.T) {
	m := New(Options{})
	var sizes []int
	for _, n := range []int{200, 1000, 5000} {
		r, _ := historyRecord(t, m, n, 24*time.Hour)
		sizes = append(sizes, len(r.Days)+len(r.Recent)+len(r.Totals))
	}
	if sizes[0] != sizes[1] || sizes[1] != sizes[2] {
		t.Errorf("record sizes grow with history: %v", sizes)
	}
}

// A complaint filed and withdrawn inside a trade, as package order runs
// it: the filing order makes (the same Complain) on a trade in progress,
// then the withdrawal an hour later, each on the state the other left.
func BenchmarkFileWithdraw(b *testing.B) {
	m := New(Options{})
	f := Complain{Type: "product", Filer: Filer{Identity: "id", Contact: "138"}, Respondent: "s1",
		Claims: "refund", Facts: "broken", Reasons: "quality", Evidence: []string{"photo"}}
	w, at := Withdraw{Complaint: 1}, t0.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.ApplyAt(inTrade, State{}, f, t0)
		if err != nil {
			b.Fatal(err)
		}
		res, err = m.ApplyAt(inTrade, res.State, w, at)
		if err != nil {
			b.Fatal(err)
		}
		sinkState = res.State
	}
}
