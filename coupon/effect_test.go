package coupon_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/coupon"
)

// TestEffectRoundTrip: every effect kind encodes with its kind and
// envelope and decodes back to the same variant.
func TestEffectRoundTrip(t *testing.T) {
	at := time.Date(2024, 3, 8, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		e    coupon.Effect
		json string
	}{
		{coupon.Effect{ID: 3, At: at, Rule: "CPN-6", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.FullRefund,
			Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: true}, {Coupon: "b"}}}},
			`{"id":3,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"full_refund","coupons":[{"coupon":"a","usable":true},{"coupon":"b","usable":false}]}`},
		{coupon.Effect{ID: 1, At: at, Rule: "CPN-7", Act: &coupon.GiveBackCoupons{Order: "o2", Reason: coupon.Cancel, Coupons: []coupon.ReturnedCoupon{{Coupon: "x", Usable: true}}}},
			`{"id":1,"at":"2024-03-08T02:00:00Z","rule":"CPN-7","type":"give_back_coupons","order":"o2","reason":"cancel","coupons":[{"coupon":"x","usable":true}]}`},
	} {
		b, err := json.Marshal(tc.e)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.json, string(b)); diff != "" {
			t.Errorf("encoding (-want +got):\n%s", diff)
		}
		got, err := coupon.DecodeEffect(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind() != "give_back_coupons" {
			t.Errorf("kind %q", got.Kind())
		}
		if _, ok := got.Act.(coupon.GiveBackCoupons); !ok {
			t.Errorf("decoded act %T, want coupon.GiveBackCoupons", got.Act)
		}
		b2, _ := json.Marshal(got)
		if string(b2) != string(b) {
			t.Errorf("round trip:\n%s\n%s", b, b2)
		}
	}
	for _, bad := range []string{
		`{"id":1,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_beans","order":"o1","reason":"cancel","coupons":[]}`,
		`{"id":1,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"invalid","coupons":[]}`,
		`{"id":1,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","Order":"o1","reason":"cancel","coupons":[]}`,
		`{"id":1,"id":2,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"cancel","coupons":[]}`,
		`{"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"cancel","coupons":[]}`,
		`{"id":1,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"cancel","coupons":[{"coupon":"a","usable":true,"x":1}]}`,
		`[]`, ``,
	} {
		if _, err := coupon.DecodeEffect([]byte(bad)); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("DecodeEffect(%s) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := json.Marshal(coupon.Effect{ID: 1, At: at, Rule: "CPN-7"}); err == nil {
		t.Errorf("an effect with no act encoded")
	}
}

// TestEnums: the zero value of every enumeration is invalid, is never
// written, and no name other than a value's own decodes.
func TestEnums(t *testing.T) {
	type enum interface {
		String() string
		IsValid() bool
		MarshalText() ([]byte, error)
	}
	for _, tc := range []struct {
		zero  enum
		valid []enum
	}{
		{coupon.Kind(0), []enum{coupon.General, coupon.Targeted, coupon.Shop, coupon.CrossStore}},
		{coupon.Status(0), []enum{coupon.Available, coupon.Used, coupon.Frozen, coupon.Voided, coupon.Unusable}},
		{coupon.Reason(0), []enum{coupon.Cancel, coupon.FullRefund, coupon.PartialRefund}},
	} {
		if tc.zero.IsValid() || tc.zero.String() != "invalid" {
			t.Errorf("%T zero: valid %v, %q", tc.zero, tc.zero.IsValid(), tc.zero.String())
		}
		if _, err := tc.zero.MarshalText(); err == nil {
			t.Errorf("%T zero marshalled", tc.zero)
		}
		for _, v := range tc.valid {
			b, err := v.MarshalText()
			if !v.IsValid() || err != nil || string(b) != v.String() || strings.ToLower(string(b)) != string(b) {
				t.Errorf("%T %v: %s %v", v, v, b, err)
			}
		}
	}
	var k coupon.Kind
	var s coupon.Status
	var r coupon.Reason
	for _, name := range []string{"", "invalid", "General", "available "} {
		if k.UnmarshalText([]byte(name)) == nil || s.UnmarshalText([]byte(name)) == nil || r.UnmarshalText([]byte(name)) == nil {
			t.Errorf("%q decoded", name)
		}
	}
	if coupon.Status(9).IsValid() || coupon.Kind(9).String() != "invalid(9)" {
		t.Errorf("values past the list")
	}
}

// A stored violation names its sentinel by a stable code; decoding
// restores the sentinel from the code, never from the message.
func TestViolationCode(t *testing.T) {
	e := coupon.New(coupon.Options{})
	err := e.CheckAt(testCart(), testWallet(), []coupon.Use{{Coupon: "old"}, {Coupon: "g1", Store: "A"}, {Coupon: "tf"}}, t0)
	var ce *coupon.CheckError
	if !errors.As(err, &ce) {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ce.Violations)
	for _, code := range []string{`"code":"expired"`, `"code":"incompatible"`} {
		if !strings.Contains(string(b), code) {
			t.Errorf("%s lacks %s", b, code)
		}
	}
	edited := strings.ReplaceAll(string(b), "coupon: coupon expired", "a message someone reworded")
	var back []coupon.Violation
	if err := json.Unmarshal([]byte(edited), &back); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(back[0].Err, coupon.ErrExpired) || back[0].Rule() != "CPN-7" {
		t.Errorf("decoded %v", back[0].Err)
	}
	for _, bad := range []string{`{"rule":"CPN-7","code":"gone"}`, `{"rule":"CPN-7","code":"expired","Detail":"x"}`, `{"rule":"CPN-7"}`} {
		var v coupon.Violation
		if err := json.Unmarshal([]byte(bad), &v); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if coupon.Code(ce) == "" || coupon.Code(errors.New("x")) != "" {
		t.Errorf("Code")
	}
}

func FuzzDecodeEffect(f *testing.F) {
	f.Add([]byte(`{"id":3,"at":"2024-03-08T02:00:00Z","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"full_refund","coupons":[{"coupon":"a","usable":true}]}`))
	f.Add([]byte(`{"id":3,"at":"2024-03-08T10:00:00+08:00","rule":"CPN-6","type":"give_back_coupons","order":"o1","reason":"cancel","coupons":null}`))
	f.Add([]byte(`{"type":"give_back_coupons"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := coupon.DecodeEffect(data)
		if err != nil {
			if !errors.Is(err, coupon.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("encoding a decoded effect: %v", err)
		}
		e2, err := coupon.DecodeEffect(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if b2, _ := json.Marshal(e2); string(b2) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}

func FuzzDecodeRedemption(f *testing.F) {
	b, _ := json.Marshal(redemption())
	f.Add(b)
	f.Add([]byte(`{"version":"2023-07-23","at":"2024-03-08T02:00:00Z","seq":1,"coupons":[{"coupon":"a","kind":"general","orders":["o1"],"released":["o1"]}]}`))
	f.Add([]byte(`{"version":"2023-07-23","at":"2024-03-08T10:00:00+08:00","seq":0,"coupons":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := coupon.DecodeRedemption(data)
		if err != nil {
			if !errors.Is(err, coupon.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := coupon.DecodeRedemption(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if b2, _ := json.Marshal(r2); string(b2) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
		// A valid stored redemption never makes GiveBack fail but for
		// its version.
		res, err := coupon.New(coupon.Options{}).GiveBack(r, "o1", coupon.Cancel, r.At)
		if err != nil && !errors.Is(err, coupon.ErrPolicy) {
			t.Fatalf("GiveBack of a valid redemption: %v", err)
		}
		if err := res.Redemption.Validate(); err != nil {
			t.Fatalf("GiveBack stored an invalid redemption: %v", err)
		}
	})
}

// TestDecodeAllocation: an allocation stored as JSON decodes back to the
// same bytes, strictly; bad amounts and kinds are refused.
func TestDecodeAllocation(t *testing.T) {
	ch, err := coupon.New(coupon.Options{}).BestAt(testCart(), testWallet(), t0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ch.Allocation)
	a, err := coupon.DecodeAllocation(b)
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := json.Marshal(a); string(b2) != string(b) {
		t.Errorf("round trip:\n%s\n%s", b, b2)
	}
	if a.Version != "2023-07-23" || !a.At.Equal(t0) || a.At.Location() != time.UTC {
		t.Errorf("pinned %s at %v", a.Version, a.At)
	}
	for _, bad := range []string{
		strings.Replace(string(b), `"total":"53"`, `"total":"-53"`, 1),
		strings.Replace(string(b), `"kind":"general"`, `"kind":"invalid"`, 1),
		strings.Replace(string(b), `"total"`, `"Total"`, 1),
		strings.Replace(string(b), `"discount":"10"`, `"discount":"10.001"`, 1),
	} {
		if bad == string(b) {
			t.Fatalf("replacement did not apply: %s", b)
		}
		if _, err := coupon.DecodeAllocation([]byte(bad)); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("DecodeAllocation(%s) = %v", bad, err)
		}
	}
}
