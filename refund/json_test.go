package refund

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	allEvents = []Event{
		Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A", Amount: d("1.50")}}},
		MerchantAgree{Request: 1},
		MerchantRefuse{Request: 1, Note: "worn"},
		Modify{Request: 2, Items: []Item{{Line: "B", Amount: d("0")}}},
		Withdraw{Request: 1},
		AskIntervention{Request: 1},
		SubmitLogistics{Request: 1, Carrier: "SF", Tracking: "SF1"},
		MerchantReceive{Request: 1},
		MerchantRefund{Request: 1},
		PlatformDecide{Request: 1, Outcome: RefundPart, Amount: d("3.50")},
		ShippingVoucher{Request: 1, ShippedAt: t0.UTC()},
		SuspectCrime{Request: 1},
		ShippedAfterRevocation{Lines: []string{"A", "B"}},
	}
	allActs = []Act{
		RefundMoney{Request: 1, Amount: d("85.00"), Route: Loan, Account: "BANK"},
		ShippingCost{Request: 1, Leg: Back, Payer: Buyer},
		SendReturnAddress{Request: 1, Deemed: true},
		RevokeTrade{Request: 1, Lines: []string{"A"}},
		MerchantBearsLoss{Request: 1, Lines: []string{"A"}},
		HoldFunds{Request: 1, Amount: d("43.00")},
		Notice{Request: 1, Party: Buyer, Status: AwaitingBuyer},
		Settled{Request: 1, Stage: Confirmed, Forced: true, Full: true, Lines: []SettledLine{
			{Line: "A", Money: d("1.00"), Refunded: d("85.00"), Paid: d("85.00"), Done: true}}},
	}
)

// Every event and effect kind round-trips through JSON, byte for byte,
// and the tables name every variant.
func TestJSONRoundTrip(t *testing.T) {
	var names []string
	for _, e := range allEvents {
		names = append(names, e.Name())
		b, err := EncodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		b2, _ := EncodeEvent(back)
		if !bytes.Equal(b, b2) || back.Name() != e.Name() {
			t.Errorf("event %s: %s then %s", e.Name(), b, b2)
		}
		// A pointer to an event is the event.
		if bp, err := EncodeEvent(ptrTo(e)); err != nil || !bytes.Equal(b, bp) {
			t.Errorf("pointer to %s: %s, %v", e.Name(), bp, err)
		}
		en := Entry{At: t0, Event: e}
		eb, err := json.Marshal(en)
		if err != nil {
			t.Fatal(err)
		}
		var enBack Entry
		if err := json.Unmarshal(eb, &enBack); err != nil {
			t.Fatalf("%s: %v", eb, err)
		}
		if eb2, _ := json.Marshal(enBack); !bytes.Equal(eb, eb2) || !enBack.At.Equal(t0) {
			t.Errorf("entry %s then %s", eb, eb2)
		}
	}
	slices.Sort(names)
	if diff := cmp.Diff(EventNames(), names); diff != "" {
		t.Errorf("event table (-union +table):\n%s", diff)
	}
	var kindsSeen []string
	for i, a := range allActs {
		kindsSeen = append(kindsSeen, a.Kind())
		e := Effect{ID: uint64(i + 1), At: t0.UTC(), Rule: "RFD-4", Act: a}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeEffect(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		b2, _ := json.Marshal(back)
		if !bytes.Equal(b, b2) || back.Kind() != a.Kind() || back.ID != e.ID || back.Rule != e.Rule {
			t.Errorf("effect %s: %s then %s", a.Kind(), b, b2)
		}
	}
	slices.Sort(kindsSeen)
	if diff := cmp.Diff(EffectKinds(), kindsSeen); diff != "" {
		t.Errorf("act table (-union +table):\n%s", diff)
	}
	adv, _ := json.Marshal(Entry{At: t0})
	if string(adv) != `{"at":"2024-03-01T07:04:05Z","type":"advance"}` {
		t.Errorf("advance entry %s", adv)
	}
}

func ptrTo(e Event) Event {
	switch e := e.(type) {
	case Open:
		return &e
	case MerchantAgree:
		return &e
	case MerchantRefuse:
		return &e
	case Modify:
		return &e
	case Withdraw:
		return &e
	case AskIntervention:
		return &e
	case SubmitLogistics:
		return &e
	case MerchantReceive:
		return &e
	case MerchantRefund:
		return &e
	case PlatformDecide:
		return &e
	case ShippingVoucher:
		return &e
	case SuspectCrime:
		return &e
	case ShippedAfterRevocation:
		return &e
	}
	return nil
}

// The decoders are strict: wrong case, unknown and duplicate keys, a
// missing effect member and zero enumerations are ErrInvalid.
func TestDecodeStrict(t *testing.T) {
	for _, s := range []string{
		`{"type":"merchant_agree","REQUEST":1}`,
		`{"type":"merchant_agree","request":1,"request":2}`,
		`{"type":"merchant_agree","request":1,"x":0}`,
		`{"type":"open","kind":"invalid","reason":"agreed","items":[]}`,
		`{"type":"advance"}`,
		`{"type":"ship","lines":["A"]}`,
		`{"type":"merchant_agree","request":1} {}`,
	} {
		if _, err := DecodeEvent([]byte(s)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEvent(%s) = %v", s, err)
		}
	}
	for _, s := range []string{
		`{"id":1,"at":"2024-03-01T07:04:05Z","type":"refund_notice","request":1,"party":"buyer","status":"requested"}`,
		`{"id":1,"at":"2024-03-01T07:04:05Z","rule":"RFD-2","type":"return_beans","request":1}`,
		`{"id":1,"ID":2,"at":"2024-03-01T07:04:05Z","rule":"RFD-2","type":"hold_funds","request":1,"amount":"1"}`,
		`{"id":1,"at":"2024-03-01T07:04:05Z","rule":"RFD-2","type":"refund_notice","request":1,"party":"invalid","status":"requested"}`,
	} {
		if _, err := DecodeEffect([]byte(s)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEffect(%s) = %v", s, err)
		}
	}
	// A zero Mode is never written: the zero value stands for nothing.
	if _, err := json.Marshal(Order{}); err == nil {
		t.Error("an order with invalid enumerations marshals")
	}
}

// A Result round-trips: its effects decode back to the same variants.
func TestResultRoundTrip(t *testing.T) {
	f := newFixtureWith(t, func(o *Order) { unshipped(o, "A") })
	f.apply(Open{Kind: RefundOnly, Reason: Agreed, Items: []Item{{Line: "A"}, {Line: "B"}}})
	f.at(time.Hour).apply(MerchantAgree{Request: 1})
	b, err := json.Marshal(f.res)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeResult(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b, b2) {
		t.Fatalf("result %s then %s", b, b2)
	}
	if diff := cmp.Diff(kinds(f.res.Effects), kinds(back.Effects)); diff != "" {
		t.Fatal(diff)
	}
	if err := back.State.Validate(f.o); err != nil {
		t.Fatal(err)
	}
	var viaJSON Result
	if err := json.Unmarshal(b, &viaJSON); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
}
