package refund

import (
	"testing"
	"time"
)

// A host whose clock is behind the order's facts or the state (it stores
// res.Next as its wake-up) keeps the state's own deadline: AdvanceAt
// changes nothing and returns it, rather than a zero Next that would
// erase the wake-up.
func TestAdvanceBehindKeepsTheWakeUp(t *testing.T) {
	f := newFixtureWith(t, nil).at(time.Hour)
	res := f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	due := res.Next
	if due.IsZero() {
		t.Fatal("no deadline after a request")
	}
	// The composer records a signing later than the instant the host
	// then wakes at: its clock is behind that fact.
	late := f.o
	late.Lines = append([]Line(nil), f.o.Lines...)
	late.Lines[0].SignedAt = t0.Add(3 * time.Hour)
	if got := f.m.AdvanceAt(late, f.s, t0.Add(2*time.Hour)); !got.Next.Equal(due) || len(got.Effects) != 0 {
		t.Errorf("fact after now: Next %v, %d effects; want %v, none", got.Next, len(got.Effects), due)
	}
	// Behind the state's last transition.
	if got := f.m.AdvanceAt(f.o, f.s, t0); !got.Next.Equal(due) || len(got.Effects) != 0 {
		t.Errorf("before State.At: Next %v, %d effects; want %v, none", got.Next, len(got.Effects), due)
	}
	// An invalid state gives no wake-up: waking again would not help.
	bad := f.s.Clone()
	bad.Requests[0].Deadline = time.Time{}
	if got := f.m.AdvanceAt(f.o, bad, t0.Add(2*time.Hour)); !got.Next.IsZero() || len(got.Decisions) != 1 {
		t.Errorf("invalid state: Next %v, %d decisions; want zero and one note", got.Next, len(got.Decisions))
	}
}
