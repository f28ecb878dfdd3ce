package refund

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// FuzzDecodeEvent: DecodeEvent never panics; whatever it accepts encodes
// and decodes back to the same bytes, and as an Entry too.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range allEvents {
		b, _ := EncodeEvent(e)
		f.Add(b)
	}
	for _, s := range []string{
		`{"type":"open","kind":"sideways"}`, `{"type":"withdraw","request":1,"extra":true}`,
		`{"type":"withdraw","Request":1}`, `{"type":"withdraw","request":1,"request":1}`,
		`{"type":"ship","lines":["A"]}`, `{"type":7}`, `[]`, `null`, `{`,
		`{"at":"2024-03-01T07:04:05Z","type":"advance"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var en Entry
		if err := json.Unmarshal(data, &en); err == nil {
			b, err := json.Marshal(en)
			if err != nil {
				t.Fatalf("entry %s: %v", data, err)
			}
			var back Entry
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("entry %s: %v", b, err)
			}
			if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
				t.Fatalf("entry %s then %s", b, b2)
			}
		}
		e, err := DecodeEvent(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		b, err := EncodeEvent(e)
		if err != nil {
			t.Fatalf("encode %#v: %v", e, err)
		}
		back, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("decode %s: %v", b, err)
		}
		if b2, _ := EncodeEvent(back); !bytes.Equal(b, b2) {
			t.Fatalf("%s then %s", b, b2)
		}
	})
}

// FuzzDecodeEffect: DecodeEffect never panics; whatever it accepts
// round-trips byte for byte.
func FuzzDecodeEffect(f *testing.F) {
	for i, a := range allActs {
		b, _ := json.Marshal(Effect{ID: uint64(i + 1), At: t0.UTC(), Rule: "RFD-10", Act: a})
		f.Add(b)
	}
	for _, s := range []string{`{"id":1,"at":"2024-03-01T07:04:05Z","rule":"RFD-8","type":"return_beans","beans":1}`,
		`{"id":-1,"type":"hold_funds"}`, `{"type":"refund_notice","party":"buyer"}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEffect(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encode %#v: %v", e, err)
		}
		back, err := DecodeEffect(b)
		if err != nil {
			t.Fatalf("decode %s: %v", b, err)
		}
		if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
			t.Fatalf("%s then %s", b, b2)
		}
	})
}

// FuzzApplyState: for any stored state (JSON) and event, on one of two
// orders, ApplyAt and AdvanceAt never panic; a state that fails Validate
// is refused with ErrInvalid and comes back unchanged; from a valid state
// every result is valid, round-trips through JSON and decodes back, and
// a refusal is a *rules.RuleError or a plain error of this package.
func FuzzApplyState(f *testing.F) {
	var row Order
	if err := json.Unmarshal([]byte(rowOrder), &row); err != nil {
		f.Fatal(err)
	}
	orders := []Order{testOrder(), row}
	seed := func(s State, e Event, order int64) {
		sb, _ := json.Marshal(s)
		eb, _ := EncodeEvent(e)
		f.Add(sb, eb, order)
	}
	fx := newFixture(&testing.T{}, testOrder())
	fx.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("10.00")}}})
	seed(fx.s, MerchantAgree{Request: 1}, 0)
	fx.at(time.Hour).apply(MerchantAgree{Request: 1})
	fx.at(2 * time.Hour).apply(Open{Kind: ReturnRefund, Reason: Agreed, Items: []Item{{Line: "B"}}})
	seed(fx.s, MerchantAgree{Request: 2}, 0)
	seed(fx.s, Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}}}, 2<<8)
	fx.at(2 * time.Hour).apply(MerchantAgree{Request: 2})
	fx.at(3 * time.Hour).apply(SubmitLogistics{Request: 2, Carrier: "SF", Tracking: "1"})
	seed(fx.s, MerchantReceive{Request: 2}, 3<<8)
	for _, row := range []string{rowDoneEarly, rowFullEarly, rowValid, oldRowBeansTwice, oldRowDoneEarly} {
		f.Add([]byte(row), []byte(`{"type":"open","kind":"refund_only","reason":"agreed","items":[{"line":"A","amount":"0"}]}`), int64(1|1<<8))
		f.Add([]byte(row), []byte(`{}`), int64(1))
	}
	m := New(Options{})
	f.Fuzz(func(t *testing.T, stateJSON, eventJSON []byte, pick int64) {
		o := orders[pick&1]
		s, err := DecodeState(stateJSON)
		if err != nil {
			return
		}
		// The instant: the state's own, plus up to ~12 days in hours.
		now := s.At
		if now.IsZero() {
			now = t0.UTC()
		}
		now = now.Add(time.Duration((pick>>8)%300) * time.Hour)
		e, _ := DecodeEvent(eventJSON)
		valid := s.Validate(o) == nil
		before, _ := json.Marshal(s)
		res, err := m.ApplyAt(o, s, e, now)
		adv := m.AdvanceAt(o, s, now)
		if after, _ := json.Marshal(s); !bytes.Equal(before, after) {
			t.Fatal("ApplyAt or AdvanceAt changed its input")
		}
		if !valid {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("invalid state: %v", err)
			}
			if got, _ := json.Marshal(res.State); !bytes.Equal(before, got) || len(res.Effects) != 0 {
				t.Fatal("invalid state not returned unchanged")
			}
			return
		}
		for _, r := range []Result{res, adv} {
			if vErr := r.State.Validate(o); vErr != nil {
				t.Fatalf("result invalid: %v (apply error %v)\nstate %s", vErr, err, stateJSON)
			}
			b, mErr := json.Marshal(r)
			if mErr != nil {
				t.Fatal(mErr)
			}
			back, dErr := DecodeResult(b)
			if dErr != nil {
				t.Fatalf("%s: %v", b, dErr)
			}
			if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
				t.Fatalf("result %s then %s", b, b2)
			}
		}
		var re *rules.RuleError
		if err != nil && !errors.As(err, &re) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrClockBehind) && !errors.Is(err, ErrPolicy) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}
