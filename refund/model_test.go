package refund_test

import (
	"bytes"
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
// its instant, and a late Advance gives exactly what Advancing at every
// deadline on time would have (state, effects and decisions, in order);
// Apply fires the due deadlines first, as Advance would; no event is
// accepted on a final request; Apply and Advance leave their input
// untouched; the state survives a JSON round trip. The clock sometimes
// jumps to the next deadline or one second either side of it, and
// refundtest.Event mostly draws events the state can accept, so that runs
// reach returns received, interventions decided and several refunds; the
// statuses reached are counted and a run of 100 or more checks that
// never reaches the deep ones fails.
func TestModel(t *testing.T) {
	reached := map[refund.Status]int{}
	runs := 0
	rapid.Check(t, func(t *rapid.T) {
		runs++
		seen := map[refund.Status]bool{}
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
			for _, q := range res.State.Requests {
				if q.Since.After(now) {
					t.Fatalf("request %d: %v since %v, after now %v", q.ID, q.Status, q.Since, now)
				}
			}
		}

		// onTime advances s from instant from to now by calling Advance at
		// each deadline as it comes, as a host that is never late would.
		onTime := func(s refund.State, from, now time.Time) refund.Result {
			c := clock.NewManual(from)
			m := refund.New(refund.Options{Clock: c})
			out := refund.Result{State: s}
			for {
				next := out.State.Next()
				if next.IsZero() || next.After(now) {
					break
				}
				c.Set(next)
				r := m.Advance(out.State)
				if r.State.Next().Equal(next) {
					t.Fatalf("Advance at %v left that deadline pending", next)
				}
				out = refund.Result{State: r.State, Effects: append(out.Effects, r.Effects...),
					Decisions: append(out.Decisions, r.Decisions...)}
			}
			c.Set(now)
			r := m.Advance(out.State)
			if len(r.Effects) != 0 || len(r.Decisions) != 0 {
				t.Fatalf("Advance at %v after the last due deadline: %v", now, r.Effects)
			}
			out.Next = out.State.Next()
			return out
		}

		advance := func(t *rapid.T, now time.Time) {
			from := clk.Now()
			clk.Set(now)
			before := snapshot(t, s)
			res := m.Advance(s)
			if diff := quickDiff(before, s); diff != "" {
				t.Fatalf("Advance changed its input (-before +after):\n%s", diff)
			}
			scribble(m.Advance(s).State)
			if diff := quickDiff(before, s); diff != "" {
				t.Fatalf("Advance's result shares memory with its input (-before +after):\n%s", diff)
			}
			if diff := quickDiff(onTime(s, from, now), res); diff != "" {
				t.Fatalf("Advance late at %v differs from Advance at every deadline (-on time +late):\n%s", now, diff)
			}
			step(s, res, now)
			s = res.State
		}

		event := func(t *rapid.T, e refund.Event) {
			before := snapshot(t, s)
			res, err := m.Apply(s, e)
			if diff := quickDiff(before, s); diff != "" {
				t.Fatalf("Apply(%s) changed its input (-before +after):\n%s", e.Name(), diff)
			}
			if again, err := m.Apply(s, e); err == nil {
				scribble(again.State)
				if diff := quickDiff(before, s); diff != "" {
					t.Fatalf("Apply(%s)'s result shares memory with its input (-before +after):\n%s", e.Name(), diff)
				}
			}
			// Apply fires the due deadlines first: it is Advance, then the event.
			adv := m.Advance(s)
			res2, err2 := m.Apply(adv.State, e)
			if (err == nil) != (err2 == nil) {
				t.Fatalf("Apply(%s) = %v, after Advance %v", e.Name(), err, err2)
			}
			if err == nil {
				want := refund.Result{State: res2.State, Effects: append(adv.Effects, res2.Effects...),
					Decisions: append(adv.Decisions, res2.Decisions...), Next: res2.Next}
				if diff := quickDiff(want, res); diff != "" {
					t.Fatalf("Apply(%s) differs from Advance then Apply (-advance, apply +apply):\n%s", e.Name(), diff)
				}
			}
			if r, ok := adv.State.Request(refund.Target(e)); ok && r.Status.Final() {
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
		}

		t.Repeat(map[string]func(*rapid.T){
			"advance clock": func(t *rapid.T) {
				d := rapid.SampledFrom([]time.Duration{time.Second, time.Hour, 23 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}).Draw(t, "by")
				advance(t, clk.Now().Add(d*time.Duration(rapid.IntRange(0, 3).Draw(t, "times"))))
			},
			"to a deadline": func(t *rapid.T) {
				next := s.Next()
				if next.IsZero() {
					t.Skip("no deadline")
				}
				off := rapid.SampledFrom([]time.Duration{-time.Second, 0, time.Second}).Draw(t, "off")
				if at := next.Add(off); at.After(clk.Now()) {
					advance(t, at)
				}
			},
			"event": func(t *rapid.T) {
				event(t, refundtest.Event(s).Draw(t, "event"))
			},
			"plausible event": func(t *rapid.T) {
				event(t, refundtest.Plausible(s).Draw(t, "event"))
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
				for _, r := range s.Requests {
					seen[r.Status] = true
				}
			},
		})
		for st := range seen {
			reached[st]++
		}
	})
	t.Logf("runs %d; runs reaching each status: %v", runs, reached)
	if runs >= 100 {
		for _, st := range []refund.Status{refund.Refunded, refund.Closed, refund.Intervention, refund.Received} {
			if reached[st] == 0 {
				t.Errorf("no run reached %v: the generators do not explore deep sequences", st)
			}
		}
	}
}

// quickDiff is cmp.Diff(a, b, cmpopts.EquateEmpty()) for States and
// Results, made fast for the model test by comparing their JSON forms
// first (an Effect with its Kind): only when those differ does it run
// cmp, for the message. Equal JSON is what a host that stores and
// replays results sees.
func quickDiff(a, b any) string {
	if bytes.Equal(jsonOf(a), jsonOf(b)) {
		return ""
	}
	if diff := cmp.Diff(a, b, cmpopts.EquateEmpty()); diff != "" {
		return diff
	}
	return fmt.Sprintf("JSON forms differ:\n%s\n%s", jsonOf(a), jsonOf(b))
}

func jsonOf(v any) []byte {
	type kinded struct {
		Kind   string
		Effect refund.Effect
	}
	if r, ok := v.(refund.Result); ok {
		effects := make([]kinded, len(r.Effects))
		for i, e := range r.Effects {
			effects[i] = kinded{e.Kind(), e}
		}
		v = struct {
			State     refund.State
			Effects   []kinded
			Decisions []rules.Decision
			Next      time.Time
		}{r.State, effects, r.Decisions, r.Next}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
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
