package refund

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/rules"
)

// validState: request 1 refunded in full on line A (RFD-2, merchant
// agreed), request 2 a return of line B waiting on the merchant (RFD-3).
func validState(t *testing.T) State {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Items: []Item{{Line: "A"}}})
	f.at(day).apply(MerchantAgree{Request: 1})
	f.apply(Open{Kind: ReturnRefund, Items: []Item{{Line: "B", Amount: d("40.00")}}})
	if err := f.s.Validate(); err != nil {
		t.Fatal(err)
	}
	return f.s
}

// A State the package could not have produced is refused by Apply with
// ErrInvalidState and left untouched by Advance, with a note; neither
// panics, however late the clock (every deadline due).
func TestInvalidState(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(s *State)
		detail string // part of the error
	}{
		{"unknown status", func(s *State) { s.Requests[1].Status = 0 }, "status invalid"},
		{"status out of range", func(s *State) { s.Requests[1].Status = 200 }, "status invalid(200)"},
		{"unknown kind", func(s *State) { s.Requests[1].Kind = 0 }, "kind"},
		{"unknown reason", func(s *State) { s.Requests[1].Reason = 9 }, "reason"},
		{"ID not its position", func(s *State) { s.Requests[1].ID = 1 }, "has ID 1"},
		{"deadline on a final request", func(s *State) { s.Requests[0].Deadline = t0 }, "status refunded with deadline"},
		{"deadline in intervention", func(s *State) { s.Requests[1].Status = Intervention }, "status intervention with deadline"},
		{"timed status without a deadline", func(s *State) { s.Requests[1].Deadline = time.Time{} }, "status requested with deadline"},
		{"returning without its return deadline", func(s *State) { s.Requests[1].Status = Returning }, "return deadline"},
		{"revocation of a return", func(s *State) { s.Requests[1].Revocation = true }, "cannot revoke"},
		{"refunded without a settlement", func(s *State) { s.Requests[0].Settlement = nil }, "settlement false"},
		{"settlement on an open request", func(s *State) { s.Requests[1].Settlement = &Settlement{} }, "settlement true"},
		{"no items", func(s *State) { s.Requests[1].Items = nil }, "no items"},
		{"item on a missing line", func(s *State) { s.Requests[1].Items[0].Line = "Z" }, `no line "Z"`},
		{"line twice in a request", func(s *State) { s.Requests[1].Items = append(s.Requests[1].Items, s.Requests[1].Items[0]) }, "twice"},
		{"negative item amount", func(s *State) { s.Requests[1].Items[0].Amount = d("-1.00") }, "amount"},
		{"item amount below a fen", func(s *State) { s.Requests[1].Items[0].Amount = d("0.001") }, "amount"},
		{"zero written with an absurd exponent", func(s *State) { s.Requests[1].Items[0].Amount = decimal.New(0, -900_000_000) }, "amount"},
		{"open request asks more than is left", func(s *State) { s.Requests[1].Items[0].Amount = d("43.01") }, "left"},
		{"line in two open requests", func(s *State) {
			r := s.Requests[1]
			r.ID, r.Items = 3, []Item{{Line: "B", Amount: d("1.00")}}
			s.Requests = append(s.Requests, r)
		}, "also in open request 2"},
		{"settled line missing", func(s *State) { s.Requests[0].Settlement.Lines[0].Line = "Z" }, "settled line"},
		{"settled money with an absurd exponent", func(s *State) { s.Requests[0].Settlement.Lines[0].Money = decimal.New(1, -900_000_000) }, "1e-900000000"},
		{"negative settled money", func(s *State) {
			st := s.Requests[0].Settlement
			st.Lines[0].Money, st.Money = d("-1.00"), d("-1.00")
		}, "settlement"},
		{"settlement does not add up", func(s *State) { s.Requests[0].Settlement.Money = d("1.00") }, "add up"},
		{"line refunded beyond what was paid", func(s *State) {
			st := s.Requests[0].Settlement
			st.Lines[0].Money, st.Money = d("86.00"), d("86.00")
		}, "line A: refunded"},
		{"order without lines", func(s *State) { s.Order.Lines = nil }, "no lines"},
		{"order with a negative fee", func(s *State) { s.Order.ShippingFee = d("-8.00") }, "shipping fee"},
		{"order with a repeated line", func(s *State) { s.Order.Lines[1].ID = "A" }, "repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validState(t)
			tt.break_(&s)
			before := s.Clone() // not JSON: some of these states do not marshal
			f := newFixture(t, testOrder())
			f.at(400 * day) // every deadline is due

			err := s.Validate()
			if !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("Validate: %v, want ErrInvalidState with %q", err, tt.detail)
			}
			for _, e := range []Event{Withdraw{Request: 2}, MerchantAgree{Request: 2}, Open{Kind: RefundOnly, Items: []Item{{Line: "B"}}}, nil} {
				res, err := f.m.Apply(s, e)
				if !errors.Is(err, ErrInvalidState) || !strings.HasPrefix(err.Error(), "refund.Apply(") {
					t.Errorf("Apply(%v): %v, want ErrInvalidState", e, err)
				}
				if !cmp.Equal(res, Result{}) {
					t.Errorf("Apply(%v) returned a result with its error: %+v", e, res)
				}
			}
			res := f.m.Advance(s)
			if diff := cmp.Diff(before, res.State, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Advance changed an invalid state (-before +after):\n%s", diff)
			}
			if len(res.Effects) != 0 || !res.Next.IsZero() || len(res.Decisions) != 1 ||
				!strings.Contains(res.Decisions[0].Note, "invalid state") {
				t.Errorf("Advance: %d effects, next %v, decisions %+v", len(res.Effects), res.Next, res.Decisions)
			}
			if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("input changed (-before +after):\n%s", diff)
			}
		})
	}
}

// A nil event is refused (RFD-1) rather than dereferenced, and does not
// encode.
func TestNilEvent(t *testing.T) {
	f := newFixture(t, testOrder())
	_, err := f.m.Apply(f.s, nil)
	var re *rules.RuleError
	if !errors.As(err, &re) || !errors.Is(err, ErrBadRequest) || re.Rule != "RFD-1" || re.Op != "refund.Apply(<nil>)" {
		t.Fatalf("Apply(nil): %v", err)
	}
	if b, err := EncodeEvent(nil); err == nil {
		t.Errorf("EncodeEvent(nil) = %s", b)
	}
}

// Every status that times out is handled when its deadline passes: the
// request leaves it (advance relies on this to terminate).
func TestEveryTimedStatusFires(t *testing.T) {
	for st := Requested; st <= Held; st++ {
		if !st.timed() {
			continue
		}
		for _, kind := range []Kind{RefundOnly, ReturnRefund} {
			f := newFixture(t, testOrder())
			f.apply(Open{Kind: kind, Items: []Item{{Line: "B"}}})
			s := f.s.Clone()
			r := &s.Requests[0]
			r.Status, r.ReturnDue = st, r.Deadline
			if err := s.Validate(); err != nil {
				t.Fatalf("%v: %v", st, err)
			}
			res := f.at(400 * day).m.Advance(s)
			if got := res.State.Requests[0]; got.Status == st && got.Since.Equal(r.Since) {
				t.Errorf("%v %v: deadline did not fire", kind, st)
			}
			if err := res.State.Validate(); err != nil {
				t.Errorf("%v %v: %v", kind, st, err)
			}
		}
	}
}

// New refuses a set of another schema, even one with the same policy
// name and thresholds: its keys would read the wrong thresholds.
func TestNewForeignSchema(t *testing.T) {
	foreign, err := rules.NewSchema("refund", Schema().Decls()...)
	if err != nil {
		t.Fatal(err)
	}
	src, err := policyFS.ReadFile("policy/refund.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(foreign, fstest.MapFS{"refund.yaml": {Data: src}}, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "refund.Schema()") {
			t.Errorf("New with a foreign schema: recovered %q", msg)
		}
	}()
	New(Options{Policy: set})
	t.Error("New accepted a set of another schema")
}
