package refund

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Shift moves the pending deadlines of open requests, and only those,
// and never changes the state it is given.
func TestShift(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.apply(MerchantAgree{Request: 1})
	f.at(day).apply(SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "1"})
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "B"}}})
	f.apply(MerchantAgree{Request: 2})
	s := f.s
	before, _ := json.Marshal(s)
	open, done := f.req(1), f.req(2)
	if open.Deadline.IsZero() || open.ReturnDue.IsZero() || !done.Status.Final() {
		t.Fatalf("fixture: %+v / %v", open, done.Status)
	}

	const by = 5 * day
	got := s.Shift(by)
	if after, _ := json.Marshal(s); string(after) != string(before) {
		t.Fatal("Shift changed its input")
	}
	want := s.Clone()
	want.Requests[0].Deadline = open.Deadline.Add(by)
	want.Requests[0].ReturnDue = open.ReturnDue.Add(by)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("shifted (-want +got):\n%s", diff)
	}
	if err := got.Validate(f.o); err != nil {
		t.Fatal(err)
	}
	if !got.Next().Equal(s.Next().Add(by)) {
		t.Fatalf("next %v, want %v", got.Next(), s.Next().Add(by))
	}
	// The copy shares nothing with the input.
	got.Requests[1].Items[0].Line = "X"
	if s.Requests[1].Items[0].Line != "B" {
		t.Fatal("Shift's result shares the input's requests")
	}
	// Nothing fires at the old deadline; at the new one the request does.
	old, moved := s.Next(), s.Shift(by).Next()
	if r := f.m.AdvanceAt(f.o, s.Shift(by), old); len(r.Effects) != 0 {
		t.Fatalf("fired at the old deadline: %v", kinds(r.Effects))
	}
	if r := f.m.AdvanceAt(f.o, s.Shift(by), moved.Add(-sec)); len(r.Effects) != 0 {
		t.Fatalf("fired 1s before the moved deadline: %v", kinds(r.Effects))
	}
	if r := f.m.AdvanceAt(f.o, s.Shift(by), moved); len(r.Effects) == 0 {
		t.Fatal("nothing fired at the moved deadline")
	}

	for _, d := range []time.Duration{0, -time.Hour} {
		if diff := cmp.Diff(s, s.Shift(d)); diff != "" {
			t.Errorf("Shift(%v) is not a no-op (-want +got):\n%s", d, diff)
		}
	}
	if z := (State{}).Shift(day); len(z.Requests) != 0 {
		t.Error("the zero state shifted")
	}
}
