package order

import (
	"encoding/json"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
	"testing"
	"time"
)

func seedTrade(f testing.TB) []State {
	m := New(Options{})
	rs, err := m.CheckoutAt(cart(item("a", "s1", "10", 1), item("b", "s1", "5", 2)), t0)
	if err != nil {
		f.Fatal(err)
	}
	s := rs[0].State
	out := []State{s}
	for _, e := range []Event{
		Pay{Via: testVia, Number: "p", Amount: s.Payable().Decimal(), At: t0},
		Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0},
		Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "b"}}}},
		Refund{Event: refund.MerchantAgree{Request: 1}},
	} {
		r, err := m.ApplyAt(s, e, t0)
		if err != nil {
			f.Fatal(err)
		}
		s = r.State
		out = append(out, s)
	}
	return out
}

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range []Event{Pay{Via: testVia, Number: "p", Amount: d("1"), At: t0}, Ship{Lines: []string{"a"}, Carrier: "c", Tracking: "t", At: t0},
		Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "a", Amount: d("1")}}}}, Rate{Ratings: Ratings{1, 2, 3, 4}}, Cancel{},
		Complaint{Event: dispute.GoToCourt{Complaint: 1, Forum: dispute.Court}}, Sign{Shipment: 1, At: t0},
		Refund{Event: refund.Open{Kind: refund.RefundOnly, Reason: refund.Agreed, Items: []refund.Item{{Line: "a"}}}, Objection: &Objection{Surface: true, Evidence: true}},
		Complaint{Event: dispute.Withdraw{Complaint: 1}, Objection: &Objection{CarrierNoted: true}},
		Sign{Shipment: 1, At: t0, ThirdParty: true, Authorised: true}} {
		b, _ := EncodeEvent(e)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"pay","Number":"x"}`))
	f.Add([]byte(`{"type":"refund","event":{"type":"open","kind":"refund_only","reason":"agreed","items":[],"Kind":"x"}}`))
	f.Add([]byte(`{"type":"complaint","event":{"type":"withdraw","complaint":1},"event":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			return
		}
		b, err := EncodeEvent(e)
		if err != nil {
			t.Fatalf("decoded event does not encode: %v", err)
		}
		e2, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		b2, _ := EncodeEvent(e2)
		if string(b) != string(b2) {
			t.Fatalf("round trip: %s vs %s", b, b2)
		}
		// Applying any decoded event to a valid state never panics.
		m := New(Options{})
		rs, _ := m.CheckoutAt(cart(item("a", "s1", "10", 1)), t0)
		m.ApplyAt(rs[0].State, e, t0.Add(time.Hour))
	})
}

func FuzzDecodeState(f *testing.F) {
	for _, s := range seedTrade(f) {
		b, _ := json.Marshal(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeState(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("valid state does not encode: %v", err)
		}
		if _, err := DecodeState(b); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		// A valid decoded state never panics the machine.
		m := New(Options{})
		m.AdvanceAt(s, s.Last.Add(300*time.Hour))
		m.ApplyAt(s, ConfirmReceipt{}, s.Last)
	})
}

func FuzzDecodeEntryAndEffect(f *testing.F) {
	for _, e := range []Entry{{At: t0}, {At: t0, Event: Ship{Lines: []string{"a"}, Carrier: "c", Tracking: "t", At: t0}}} {
		b, _ := json.Marshal(e)
		f.Add(b)
	}
	b, _ := json.Marshal(Effect{ID: 1, At: t0, Rule: "ORD-13", Act: FreezeEscrow{Amount: 100}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var en Entry
		if err := json.Unmarshal(data, &en); err == nil {
			b, err := json.Marshal(en)
			if err != nil {
				t.Fatalf("entry does not encode: %v", err)
			}
			var back Entry
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("entry re-decode: %v", err)
			}
		}
		if e, err := DecodeEffect(data); err == nil {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("effect does not encode: %v", err)
			}
			if _, err := DecodeEffect(b); err != nil {
				t.Fatalf("effect re-decode: %v", err)
			}
		}
		if r, err := DecodeResult(data); err == nil {
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("result does not encode: %v", err)
			}
		}
	})
}

func TestDecodeStrict(t *testing.T) {
	states := seedTrade(t)
	b, _ := json.Marshal(states[2])
	if _, err := DecodeState(b); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"type":"pay","number":"p","amount":"1","paid_at":"2024-03-01T10:00:00Z","x":1}`,
		`{"type":"pay","Number":"p"}`,
		`{"type":"pay","number":"p","number":"q"}`,
		`{"type":"nope"}`,
		`{"type":"pay"} {}`,
	} {
		if _, err := DecodeEvent([]byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	if _, err := DecodeState([]byte(`{"number":"x"}`)); err == nil {
		t.Error("invalid state decoded")
	}
	r := Result{State: states[1], Effects: []Effect{{ID: 1, At: t0, Rule: "ORD-13", Act: FreezeEscrow{Amount: 1500}}}}
	rb, _ := json.Marshal(r)
	back, err := DecodeResult(rb)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := back.Effects[0].Act.(FreezeEscrow); !ok {
		t.Fatalf("effect variant lost: %T", back.Effects[0].Act)
	}
}
