package refund

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// Rows a host stored that the package cannot produce. The first two are
// the old state form (order facts inside the state), which no longer
// decodes; the others are the same faults in the current form: a
// settlement that finishes a line at less than was paid, and one that
// says the order is refunded in full when it is not (the coupon policy
// would give coupons back twice).
const (
	oldRowBeansTwice = `{"order":{"lines":[{"id":"A","amount":"3","discount":"0","bean_value":"1","point_value":"0","beans":100,"shipped":true}],"shipping_fee":"0"},"requests":[{"id":1,"kind":"refund_only","items":[{"line":"A","amount":"1"}],"status":"refunded","settlement":{"money":"1","shipping":"0","lines":[{"line":"A","money":"1","beans":100}]}}]}`
	oldRowDoneEarly  = `{"order":{"lines":[{"id":"A","amount":"2"}]},"requests":[{"id":1,"kind":"refund_only","items":[{"line":"A","amount":"1"}],"status":"refunded","settlement":{"money":"1","lines":[{"line":"A","money":"1","done":true}]}}]}`

	rowOrder     = `{"mode":"escrow","payment":{"route":"debit_card"},"lines":[{"id":"A","amount":"3","discount":"0","bean_value":"1","point_value":"0","shipped_at":"2024-03-01T00:00:00Z"}],"shipping_fee":"0"}`
	rowDoneEarly = `{"seq":2,"at":"2024-03-01T08:00:00Z","requests":[{"id":1,"kind":"refund_only","reason":"agreed","items":[{"line":"A","amount":"1"}],"status":"refunded","requested_at":"2024-03-01T08:00:00Z","since":"2024-03-01T08:00:00Z","version":"2023-07-23","stage":"shipped","settlement":{"money":"1","shipping":"0","lines":[{"line":"A","money":"1","done":true}]}}]}`
	rowFullEarly = `{"seq":2,"at":"2024-03-01T08:00:00Z","requests":[{"id":1,"kind":"refund_only","reason":"agreed","items":[{"line":"A","amount":"1"}],"status":"refunded","requested_at":"2024-03-01T08:00:00Z","since":"2024-03-01T08:00:00Z","version":"2023-07-23","stage":"shipped","settlement":{"money":"1","shipping":"0","lines":[{"line":"A","money":"1"}],"full":true}}]}`
	rowValid     = `{"seq":2,"at":"2024-03-01T08:00:00Z","requests":[{"id":1,"kind":"refund_only","reason":"agreed","items":[{"line":"A","amount":"1"}],"status":"refunded","requested_at":"2024-03-01T08:00:00Z","since":"2024-03-01T08:00:00Z","version":"2023-07-23","stage":"shipped","settlement":{"money":"1","shipping":"0","lines":[{"line":"A","money":"1"}]}}]}`
)

func TestStoredRowsRegression(t *testing.T) {
	for _, row := range []string{oldRowBeansTwice, oldRowDoneEarly} {
		if _, err := DecodeState([]byte(row)); !errors.Is(err, ErrInvalid) {
			t.Errorf("old row decodes: %v", err)
		}
	}
	var o Order
	if err := json.Unmarshal([]byte(rowOrder), &o); err != nil {
		t.Fatal(err)
	}
	valid, err := DecodeState([]byte(rowValid))
	if err != nil {
		t.Fatal(err)
	}
	if err := valid.Validate(o); err != nil {
		t.Fatalf("valid row: %v", err)
	}
	m := New(Options{})
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, row := range []string{rowDoneEarly, rowFullEarly} {
		s, err := DecodeState([]byte(row))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(o); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%s) = %v", row, err)
		}
		res, err := m.ApplyAt(o, s, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}}, now)
		if !errors.Is(err, ErrInvalid) || len(res.Effects) != 0 || len(res.State.Requests) != 1 {
			t.Errorf("Apply on an invalid row: %v, %v", err, kinds(res.Effects))
		}
		if adv := m.AdvanceAt(o, s, now); len(adv.Effects) != 0 || len(adv.Decisions) != 1 || !adv.Next.IsZero() {
			t.Errorf("Advance on an invalid row: %+v", adv)
		}
	}
}

// Faults Validate finds, each on an otherwise valid state.
func TestValidateFaults(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("10.00")}}})
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	f.at(2 * time.Hour).apply(Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}})
	if err := f.s.Validate(f.o); err != nil {
		t.Fatal(err)
	}
	faults := map[string]func(s *State, o *Order){
		"request ID":  func(s *State, o *Order) { s.Requests[1].ID = 5 },
		"zero status": func(s *State, o *Order) { s.Requests[1].Status = 0 },
		"zero stage":  func(s *State, o *Order) { s.Requests[1].Stage = 0 },
		"deadline on final": func(s *State, o *Order) {
			s.Requests[0].Deadline = s.Requests[1].Deadline
			s.Requests[0].DueRule = "RFD-2"
		},
		"no deadline":          func(s *State, o *Order) { s.Requests[1].Deadline = time.Time{} },
		"missed deadline":      func(s *State, o *Order) { s.At = s.Requests[1].Deadline },
		"not UTC":              func(s *State, o *Order) { s.Requests[1].Since = s.Requests[1].Since.In(shanghai) },
		"settlement sum":       func(s *State, o *Order) { s.Requests[0].Settlement.Money = d("11.00") },
		"over-refund":          func(s *State, o *Order) { o.Lines[0].Discount = d("95.00") },
		"done early":           func(s *State, o *Order) { s.Requests[0].Settlement.Lines[0].Done = true },
		"full early":           func(s *State, o *Order) { s.Requests[0].Settlement.Full = true },
		"shipping not the fee": func(s *State, o *Order) { s.Requests[0].Settlement.Shipping = d("1.00") },
		"line twice":           func(s *State, o *Order) { s.Requests[1].Items = append(s.Requests[1].Items, s.Requests[1].Items[0]) },
		"unknown line":         func(s *State, o *Order) { s.Requests[1].Items[0].Line = "Z" },
		"asks more than left":  func(s *State, o *Order) { s.Requests[1].Items[0].Amount = d("43.01") },
		"return of unshipped":  func(s *State, o *Order) { o.Lines[1].ShippedAt = time.Time{} },
		"revocation of shipped": func(s *State, o *Order) {
			s.Requests[1].Revocation, s.Requests[1].Kind, s.Requests[1].Stage = true, RefundOnly, BeforeShipment
		},
		"loss without revoking": func(s *State, o *Order) { s.Requests[0].Loss = []string{"A"} },
		"bad amount":            func(s *State, o *Order) { s.Requests[1].Items[0].Amount = d("1e-9999") },
		"open line in two": func(s *State, o *Order) {
			r := &s.Requests[0]
			r.Items[0].Line, r.Status, r.Settlement, r.Deadline, r.DueRule = "B", Refused, nil, s.Requests[1].Deadline, "RFD-2"
		},
		"no version":             func(s *State, o *Order) { s.Requests[1].Version = "" },
		"signed before shipping": func(s *State, o *Order) { o.Lines[1].SignedAt = o.Lines[1].ShippedAt.Add(-time.Hour) },
		"settled after done": func(s *State, o *Order) {
			s.Requests[0].Items[0].Amount = d("85.00")
			s.Requests[0].Settlement.Money, s.Requests[0].Settlement.Lines[0].Money, s.Requests[0].Settlement.Lines[0].Done = d("85.00"), d("85.00"), true
			s.Requests = append(s.Requests, s.Requests[0].clone())
			s.Requests[2].ID = 3
		},
	}
	for name, fault := range faults {
		s := f.s.Clone()
		o := testOrder()
		fault(&s, &o)
		err := s.Validate(o)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
}

// Validating a stored state allocates nothing.
func TestValidateAllocatesNothing(t *testing.T) {
	f := newFixture(t, testOrder())
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("10.00")}}})
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	f.at(2 * time.Hour).apply(Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}, {Line: "A"}}})
	if n := testing.AllocsPerRun(100, func() {
		if err := f.s.Validate(f.o); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Validate: %v allocations", n)
	}
}

// A clone shares no memory with the original, and ApplyAt's result
// shares none with its input.
func TestCloneIsDeep(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}})
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	f.at(day).ship("A").apply(ShippedAfterRevocation{Lines: []string{"A"}})
	f.apply(Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}})
	f.apply(MerchantAgree{Request: 2})
	f.at(2 * day).apply(SubmitLogistics{Request: 2, Carrier: "SF", Tracking: "1"})
	before, _ := json.Marshal(f.s)
	scribble := func(s State) {
		for i := range s.Requests {
			r := &s.Requests[i]
			for j := range r.Items {
				r.Items[j].Line = "x"
			}
			for j := range r.Loss {
				r.Loss[j] = "x"
			}
			if r.Logistics != nil {
				r.Logistics.Carrier = "x"
			}
			if r.Settlement != nil {
				for j := range r.Settlement.Lines {
					r.Settlement.Lines[j].Line = "x"
				}
				r.Settlement.Forced = true
			}
			r.ID = -1
		}
	}
	scribble(f.s.Clone())
	res, err := f.m.ApplyAt(f.o, f.s, MerchantReceive{Request: 2}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	scribble(res.State)
	if after, _ := json.Marshal(f.s); string(after) != string(before) {
		t.Fatalf("a clone or a result shares memory with the original:\n%s\n%s", before, after)
	}
}
