package coupon_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/coupon"
)

func TestDecodeRoundTrip(t *testing.T) {
	b, err := json.Marshal(testWallet())
	if err != nil {
		t.Fatal(err)
	}
	w, err := coupon.DecodeWallet(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(w)
	if diff := cmp.Diff(string(b), string(b2)); diff != "" {
		t.Errorf("wallet round trip (-want +got):\n%s", diff)
	}
	cb, _ := json.Marshal(testCart())
	c, err := coupon.DecodeCart(cb)
	if err != nil {
		t.Fatal(err)
	}
	cb2, _ := json.Marshal(c)
	if diff := cmp.Diff(string(cb), string(cb2)); diff != "" {
		t.Errorf("cart round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"buyer":"a","lines":[{"id":"l","store":"s","item":"i","amount":"1.001"}]}`,
		`{"buyer":"a","lines":[],"extra":1}`, `{"buyer":"a"} {}`, `{"buyer":"a","lines":[{"id":"l","store":"s","amount":"-1"}]}`} {
		if _, err := coupon.DecodeCart([]byte(bad)); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("DecodeCart(%s) = %v, want ErrInvalid", bad, err)
		}
	}
	for _, bad := range []string{`{"coupons":[{"id":"c","kind":"magic","face":"1"}]}`,
		`{"coupons":[{"id":"c","kind":"shop","face":"1"}]}`, `{"coupons":[{"id":"c","kind":"general","face":"0"}]}`} {
		if _, err := coupon.DecodeWallet([]byte(bad)); err == nil {
			t.Errorf("DecodeWallet(%s) accepted", bad)
		}
	}
}

func FuzzDecodeCart(f *testing.F) {
	cb, _ := json.Marshal(testCart())
	f.Add(cb)
	f.Add([]byte(`{"buyer":"a","lines":[{"id":"l","store":"s","item":"i","amount":1.5}]}`))
	f.Add([]byte(`{"lines":[{"id":"l","store":"s","amount":"99999999999999999999"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := coupon.DecodeCart(data)
		if err != nil {
			if !errors.Is(err, coupon.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := coupon.DecodeCart(b); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
	})
}

func FuzzDecodeWallet(f *testing.F) {
	wb, _ := json.Marshal(testWallet())
	f.Add(wb)
	f.Add([]byte(`{"owner":"a","coupons":[{"id":"c","owner":"a","kind":"targeted","face":"1","threshold":"2","store":"s","items":["i"],"valid_until":"2024-03-08T10:00:00+08:00","status":"frozen"}]}`))
	f.Add([]byte(`{"coupons":[{"id":"c","kind":"cross_store","face":1e30}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := coupon.DecodeWallet(data)
		if err != nil {
			if !errors.Is(err, coupon.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := coupon.DecodeWallet(b); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
	})
}
