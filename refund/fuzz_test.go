package refund

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeEvent: DecodeEvent never panics, and whatever it accepts
// encodes and decodes back to the same event.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"open","kind":"refund_only","reason":"agreed","items":[{"line":"A","amount":"0"}]}`,
		`{"type":"open","kind":"return_refund","reason":"no_reason","items":[{"line":"A","amount":"12.30"}]}`,
		`{"type":"merchant_agree","request":1}`,
		`{"type":"merchant_refuse","request":1,"note":"worn"}`,
		`{"type":"modify","request":2,"items":[{"line":"B","amount":"1.00"}]}`,
		`{"type":"withdraw","request":1}`,
		`{"type":"ask_intervention","request":1}`,
		`{"type":"submit_logistics","request":1,"carrier":"SF","tracking":"SF1"}`,
		`{"type":"merchant_receive","request":1}`,
		`{"type":"merchant_refund","request":1}`,
		`{"type":"platform_decide","request":1,"outcome":"partial","amount":"3.50"}`,
		`{"type":"shipping_voucher","request":1,"shipped_at":"2024-03-01T07:04:05Z"}`,
		`{"type":"suspect_crime","request":1}`,
		`{"type":"ship","lines":["A"]}`,
		`{"type":"sign","lines":["A","B"]}`,
		`{"type":"confirm_receipt"}`,
		`{"type":"open","kind":"sideways"}`,
		`{"type":"withdraw","request":1,"extra":true}`,
		`{"type":7}`, `[]`, `null`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
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
		if diff := cmp.Diff(e, back); diff != "" {
			t.Fatalf("round trip of %s (-first +second):\n%s", data, diff)
		}
	})
}

func TestDecodeEvent(t *testing.T) {
	e, err := DecodeEvent([]byte(`{"type":"platform_decide","request":2,"outcome":"partial","amount":"3.50"}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Event(PlatformDecide{Request: 2, Outcome: PartRefund, Amount: d("3.50")}), e); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"type":"nope"}`, `{"request":1}`, `{"type":"withdraw","requets":1}`, `{"type":"open","kind":"x"}`} {
		if _, err := DecodeEvent([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	for name := range decoders {
		if _, err := DecodeEvent([]byte(`{"type":"` + name + `"}`)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
