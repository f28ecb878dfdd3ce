package refund_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var modelStart = time.Date(2024, 3, 1, 15, 4, 5, 0, clock.MustZone("Asia/Shanghai"))

// firing identifies one deadline: a request, its status and the instant.
type firing struct {
	id     int
	status refund.Status
	at     time.Time
}

// TestModel runs random events and clock advances against the machine and
// checks after every step: refunded ≤ paid (RFD-10) and the other
// invariants of refundtest.Check; every deadline fires exactly once, at
// its instant; no event is accepted on a final request; Apply and Advance
// leave their input untouched; the state survives a JSON round trip.
func TestModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		clk := clock.NewManual(modelStart)
		m := refund.New(refund.Options{Clock: clk})
		s, err := m.Start(refundtest.Order().Draw(t, "order"))
		if err != nil {
			t.Fatal(err)
		}
		fired := map[firing]bool{}

		// step checks one transition from prev to res at now.
		step := func(prev refund.State, res refund.Result, now time.Time) {
			if !res.Next.Equal(res.State.Next()) {
				t.Fatalf("Result.Next %v, state next %v", res.Next, res.State.Next())
			}
			for i, p := range prev.Requests {
				q := res.State.Requests[i]
				if p.Status.Final() {
					if diff := cmp.Diff(p, q); diff != "" {
						t.Fatalf("final request %d changed (-before +after):\n%s", p.ID, diff)
					}
					continue
				}
				if p.Deadline.IsZero() || p.Deadline.After(now) {
					continue
				}
				// Due: it must have fired at its own instant.
				f := firing{p.ID, p.Status, p.Deadline}
				if fired[f] {
					t.Fatalf("request %d: deadline %v in %v fired twice", p.ID, p.Deadline, p.Status)
				}
				fired[f] = true
				if q.Since.Before(p.Deadline) || q.Since.After(now) || q.Status == p.Status && q.Since.Equal(p.Since) {
					t.Fatalf("request %d: due %v in %v; now %v in %v since %v", p.ID, p.Deadline, p.Status, now, q.Status, q.Since)
				}
			}
		}

		t.Repeat(map[string]func(*rapid.T){
			"advance clock": func(t *rapid.T) {
				d := rapid.SampledFrom([]time.Duration{time.Second, time.Hour, 23 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}).Draw(t, "by")
				now := clk.Advance(d * time.Duration(rapid.IntRange(0, 3).Draw(t, "times")))
				before := snapshot(t, s)
				res := m.Advance(s)
				if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("Advance changed its input (-before +after):\n%s", diff)
				}
				scribble(m.Advance(s).State)
				if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("Advance's result shares memory with its input (-before +after):\n%s", diff)
				}
				step(s, res, now)
				s = res.State
			},
			"event": func(t *rapid.T) {
				e := refundtest.Event(s).Draw(t, "event")
				before := snapshot(t, s)
				res, err := m.Apply(s, e)
				if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("Apply(%s) changed its input (-before +after):\n%s", e.Name(), diff)
				}
				if again, err := m.Apply(s, e); err == nil {
					scribble(again.State)
					if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("Apply(%s)'s result shares memory with its input (-before +after):\n%s", e.Name(), diff)
					}
				}
				if r, ok := s.Request(refund.Target(e)); ok && r.Status.Final() {
					if !errors.Is(err, refund.ErrFinal) {
						t.Fatalf("%s accepted on final request %d: %v", e.Name(), r.ID, err)
					}
				}
				if err != nil {
					var re *rules.RuleError
					if !errors.As(err, &re) || re.Rule == "" {
						t.Fatalf("%s: refusal %v is not a *rules.RuleError with a rule", e.Name(), err)
					}
					return
				}
				step(s, res, clk.Now())
				s = res.State
			},
			"": func(t *rapid.T) {
				if err := refundtest.Check(s); err != nil {
					t.Fatal(err)
				}
				if next := s.Next(); !next.IsZero() && !next.After(clk.Now()) {
					t.Fatalf("deadline %v not fired at %v", next, clk.Now())
				}
				b, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				var back refund.State
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(s, back, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("JSON round trip (-before +after):\n%s", diff)
				}
			},
		})
	})
}

// snapshot returns a deep copy of s made through its JSON form, not with
// State.Clone, which Apply itself uses: a Clone that forgot a slice would
// share it with both the input and the "before" copy, and hide the very
// mutation the comparison is there to catch.
func snapshot(t interface{ Fatalf(string, ...any) }, s refund.State) refund.State {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	var c refund.State
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return c
}

// scribble overwrites, in place, every element reachable through a slice
// or pointer of s, so that any memory a result shares with its input shows
// up as a change of the input.
func scribble(s refund.State) {
	for i := range s.Order.Lines {
		s.Order.Lines[i] = refund.Line{ID: "scribbled", Amount: decimal.NewFromInt(-1)}
	}
	for i := range s.Order.Coupons {
		s.Order.Coupons[i] = "scribbled"
	}
	for i := range s.Requests {
		r := &s.Requests[i]
		for j := range r.Items {
			r.Items[j] = refund.Item{Line: "scribbled", Amount: decimal.NewFromInt(-1)}
		}
		if r.Logistics != nil {
			*r.Logistics = refund.Logistics{Carrier: "scribbled"}
		}
		if st := r.Settlement; st != nil {
			for j := range st.Lines {
				st.Lines[j] = refund.SettledLine{Line: "scribbled"}
			}
			for j := range st.Coupons {
				st.Coupons[j] = "scribbled"
			}
			*st = refund.Settlement{}
		}
		*r = refund.Request{ID: -1}
	}
}

// TestCloneIsDeep: a clone shares no memory with the original.
func TestCloneIsDeep(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		clk := clock.NewManual(modelStart)
		m := refund.New(refund.Options{Clock: clk})
		s, err := m.Start(refundtest.Order().Draw(t, "order"))
		if err != nil {
			t.Fatal(err)
		}
		for range rapid.IntRange(0, 30).Draw(t, "events") {
			clk.Advance(time.Duration(rapid.IntRange(0, 72).Draw(t, "hours")) * time.Hour)
			if res, err := m.Apply(s, refundtest.Event(s).Draw(t, "event")); err == nil {
				s = res.State
			}
		}
		before := snapshot(t, s)
		scribble(s.Clone())
		if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Clone shares memory with the original (-before +after):\n%s", diff)
		}
	})
}

// Replaying the same events at the same instants rebuilds the same state.
func TestReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := refundtest.Order().Draw(t, "order")
		type entry struct {
			at time.Duration
			e  refund.Event
		}
		run := func(log []entry) (refund.State, []string) {
			clk := clock.NewManual(modelStart)
			m := refund.New(refund.Options{Clock: clk})
			s, _ := m.Start(o)
			var trace []string
			for _, en := range log {
				clk.Set(modelStart.Add(en.at))
				if res, err := m.Apply(s, en.e); err == nil {
					s = res.State
					trace = append(trace, fmt.Sprint(res.Effects))
				}
			}
			return s, trace
		}
		var log []entry
		clk := clock.NewManual(modelStart)
		m := refund.New(refund.Options{Clock: clk})
		s, _ := m.Start(o)
		for i := range rapid.IntRange(0, 20).Draw(t, "n") {
			at := time.Duration(i) * 13 * time.Hour
			clk.Set(modelStart.Add(at))
			e := refundtest.Event(s).Draw(t, "event")
			log = append(log, entry{at, e})
			if res, err := m.Apply(s, e); err == nil {
				s = res.State
			}
		}
		a, ta := run(log)
		b, tb := run(log)
		if diff := cmp.Diff(a, b, cmpopts.EquateEmpty()); diff != "" || !cmp.Equal(ta, tb) {
			t.Fatalf("replay differs:\n%s", diff)
		}
		if diff := cmp.Diff(s, a, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("replay differs from the original (-orig +replay):\n%s", diff)
		}
	})
}
