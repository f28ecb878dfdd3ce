package coupon_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

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
	// Instants come back in UTC: one instant, one encoding.
	utc := testWallet()
	for i := range utc.Coupons {
		c := &utc.Coupons[i]
		if !c.ValidFrom.IsZero() {
			c.ValidFrom = c.ValidFrom.UTC()
		}
		if w.Coupons[i].ValidUntil.Location() != time.UTC {
			t.Errorf("coupon %s: expiry not UTC", c.ID)
		}
		c.ValidUntil = c.ValidUntil.UTC()
	}
	want, _ := json.Marshal(utc)
	b2, _ := json.Marshal(w)
	if diff := cmp.Diff(string(want), string(b2)); diff != "" {
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
		`{"buyer":"a","lines":[],"extra":1}`, `{"buyer":"a"} {}`, `{"buyer":"a","lines":[{"id":"l","store":"s","amount":"-1"}]}`,
		// Strict beyond encoding/json: trailing closers, keys in another
		// case, duplicate keys (the last would silently win), a non-object.
		`{"buyer":"a","lines":[]}]`, `{"buyer":"a","lines":[]}}`, `{"buyer":"a","lines":[]} x`,
		`{"Buyer":"a","lines":[]}`, `{"buyer":"a","lines":[{"id":"l","STORE":"s","amount":"1"}]}`,
		`{"buyer":"a","lines":[{"id":"l","\u017ftore":"s","amount":"1"}]}`,
		`{"buyer":"a","buyer":"b","lines":[]}`, `{"buyer":"a","lines":[{"id":"l","store":"s","amount":"1","amount":"900"}]}`,
		`null`, `[]`, `""`, ``} {
		if _, err := coupon.DecodeCart([]byte(bad)); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("DecodeCart(%s) = %v, want ErrInvalid", bad, err)
		}
	}
	for _, bad := range []string{`{"coupons":[{"id":"c","kind":"magic","face":"1"}]}`,
		`{"coupons":[{"id":"c","kind":"shop","face":"1"}]}`, `{"coupons":[{"id":"c","kind":"general","face":"0"}]}`,
		`{"coupons":[{"id":"c","kind":"general","face":"1","Face":"100"}]}`, `{"coupons":[{"id":"c","kind":"general","face":"1","face":"100"}]}`,
		`{"owner":"a","coupons":[]}]`, `null`} {
		if _, err := coupon.DecodeWallet([]byte(bad)); !errors.Is(err, coupon.ErrInvalid) {
			t.Errorf("DecodeWallet(%s) = %v, want ErrInvalid", bad, err)
		}
	}
}

func FuzzDecodeCart(f *testing.F) {
	cb, _ := json.Marshal(testCart())
	f.Add(cb)
	f.Add([]byte(`{"buyer":"a","lines":[{"id":"l","store":"s","item":"i","amount":1.5}]}`))
	f.Add([]byte(`{"lines":[{"id":"l","store":"s","amount":"99999999999999999999"}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"buyer":"a","lines":[]}]`))
	f.Add([]byte(`{"buyer":"a","Lines":[{"ID":"l","store":"s","amount":"1"}]}`))
	f.Add([]byte(`{"buyer":"a","buyer":"b","lines":[]}`))
	f.Add([]byte(`{"buyer":"a","lines":[{"id":"l","store":"s","item":"i","amount":"1","amount":"2"}]}`))
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
		c2, err := coupon.DecodeCart(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if b2, _ := json.Marshal(c2); string(b2) != string(b) {
			t.Fatalf("round trip changed the cart:\n%s\n%s", b, b2)
		}
		checkStrict(t, data)
	})
}

func FuzzDecodeWallet(f *testing.F) {
	wb, _ := json.Marshal(testWallet())
	f.Add(wb)
	f.Add([]byte(`{"owner":"a","coupons":[{"id":"c","owner":"a","kind":"targeted","face":"1","threshold":"2","store":"s","items":["i"],"valid_until":"2024-03-08T10:00:00+08:00","status":"frozen"}]}`))
	f.Add([]byte(`{"coupons":[{"id":"c","kind":"cross_store","face":1e30}]}`))
	f.Add([]byte(`{"owner":"a","coupons":[{"id":"c","owner":"a","Kind":"general","face":"1"}]}`))
	f.Add([]byte(`{"owner":"a","coupons":[{"id":"c","owner":"a","kind":"general","face":"1","face":"100"}]}`))
	f.Add([]byte(`{"owner":"a","coupons":[]}}`))
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
		w2, err := coupon.DecodeWallet(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if b2, _ := json.Marshal(w2); string(b2) != string(b) {
			t.Fatalf("round trip changed the wallet:\n%s\n%s", b, b2)
		}
		checkStrict(t, data)
	})
}

// checkStrict fails if accepted input is not a single JSON object whose
// keys are all lower-case field names given once per object: what the
// strict decoders promise beyond encoding/json.
func checkStrict(t *testing.T, data []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				if seen[key] || key != strings.ToLower(key) || strings.ContainsFunc(key, func(r rune) bool { return r > 127 }) {
					return fmt.Errorf("accepted key %q", key)
				}
				seen[key] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		}
		return err
	}
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		t.Fatalf("accepted a non-object: %q", data)
	}
	if err := walk(); err != nil {
		t.Fatalf("accepted %q: %v", data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("accepted trailing data: %q", data)
	}
}
