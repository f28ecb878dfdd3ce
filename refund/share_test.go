package refund_test

import (
	"bytes"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
)

// scribble overwrites everything a state points to.
func scribble(s refund.State) {
	for i := range s.Requests {
		r := &s.Requests[i]
		for j := range r.Items {
			r.Items[j].Line = "x"
		}
		r.Items = append(r.Items, refund.Item{Line: "y"})
		for j := range r.Loss {
			r.Loss[j] = "x"
		}
		r.Loss = append(r.Loss, "y")
		if r.Logistics != nil {
			r.Logistics.Carrier = "x"
		}
		if r.Settlement != nil {
			for j := range r.Settlement.Lines {
				r.Settlement.Lines[j].Line = "x"
			}
			r.Settlement.Lines = append(r.Settlement.Lines, refund.LineMoney{Line: "y"})
			r.Settlement.Forced = true
		}
		r.ID = -1
	}
	_ = append(s.Requests, refund.Request{ID: -2})
}

// appendsStayPut checks that appending to one of s's slices changes
// nothing else in s: no slice has room that is another's.
func appendsStayPut(t *rapid.T, s refund.State) {
	want := mustJSON(t, s)
	for i := range s.Requests {
		r := &s.Requests[i]
		r.Items = append(r.Items, refund.Item{Line: "y"})[:len(r.Items)]
		r.Loss = append(r.Loss, "y")[:len(r.Loss)]
		if st := r.Settlement; st != nil {
			st.Lines = append(st.Lines, refund.LineMoney{Line: "y"})[:len(st.Lines)]
		}
	}
	if got := mustJSON(t, s); !bytes.Equal(want, got) {
		t.Fatalf("an append to one slice of a state changed another:\n%s\n%s", want, got)
	}
}

// Every call leaves its input as it was, and what it returns shares
// nothing with it (nor does a Clone): writing all over a result, or
// appending to its slices, changes neither the input nor a second result
// of the same call.
func TestCallsShareNothing(t *testing.T) {
	m := refund.New(refund.Options{})
	rapid.Check(t, func(t *rapid.T) {
		o := refundtest.Order(modelStart).Draw(t, "order")
		var s refund.State
		now := modelStart
		for range rapid.IntRange(1, 12).Draw(t, "steps") {
			now = now.Add(rapid.SampledFrom([]time.Duration{0, time.Hour, 48 * time.Hour, 8 * 24 * time.Hour}).Draw(t, "by"))
			if rapid.IntRange(0, 3).Draw(t, "fulfil") == 0 {
				o = refundtest.Fulfil(o, now).Draw(t, "facts").Order
			}
			f := factsOf(o)
			before := mustJSON(t, s)
			var results [4][]byte
			var next refund.Result
			if rapid.IntRange(0, 4).Draw(t, "advance") == 0 {
				a, b := m.AdvanceAt(o, s, now), m.AdvanceFactsAt(f, s, now)
				c := s.Clone()
				results[0], results[1], results[2] = mustJSON(t, a), mustJSON(t, b), mustJSON(t, c)
				next = m.AdvanceAt(o, s, now)
				appendsStayPut(t, a.State)
				appendsStayPut(t, c)
				scribble(a.State)
				scribble(b.State)
				scribble(c)
			} else {
				e := refundtest.Event(o, s).Draw(t, "event")
				a, errA := m.ApplyAt(o, s, e, now)
				b, errB := m.ApplyFactsAt(f, s, e, now)
				if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
					t.Fatalf("ApplyAt: %v, ApplyFactsAt: %v", errA, errB)
				}
				c := s.Clone()
				results[0], results[1], results[2] = mustJSON(t, a), mustJSON(t, b), mustJSON(t, c)
				next, _ = m.ApplyAt(o, s, e, now) // a result nothing scribbles on
				appendsStayPut(t, a.State)
				appendsStayPut(t, c)
				scribble(a.State)
				scribble(b.State)
				scribble(c)
			}
			if !bytes.Equal(results[0], results[1]) {
				t.Fatalf("Order and Facts entry points differ:\n%s\n%s", results[0], results[1])
			}
			if !bytes.Equal(before, results[2]) {
				t.Fatalf("Clone differs from its original:\n%s\n%s", before, results[2])
			}
			if after := mustJSON(t, s); !bytes.Equal(before, after) {
				t.Fatalf("a call changed its input, or its result shares memory with it:\n%s\n%s", before, after)
			}
			s = next.State
		}
	})
}
