package coupon

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
)

// DecodeCart decodes a cart from JSON strictly: the input is one JSON
// object and nothing after it; every key is a field name spelled exactly
// (encoding/json alone would also take "Store" or "STORE"), known, and
// given once. Amounts are JSON strings or numbers in yuan ("12.50").
// The cart is then checked as Check would: every line has a unique ID, a
// store and an amount that is a non-negative whole number of fen.
func DecodeCart(data []byte) (Cart, error) {
	var c Cart
	if err := decodeStrict(data, &c); err != nil {
		return Cart{}, err
	}
	if _, err := newModel(c, Wallet{}, &Policy{}, time.Time{}); err != nil {
		return Cart{}, err
	}
	return c, nil
}

// DecodeWallet decodes a wallet from JSON as strictly as [DecodeCart].
// Each coupon must have a unique ID, a valid kind, a positive face and a
// non-negative threshold in whole fen, and shop and targeted coupons a
// store. Times are RFC 3339.
func DecodeWallet(data []byte) (Wallet, error) {
	var w Wallet
	if err := decodeStrict(data, &w); err != nil {
		return Wallet{}, err
	}
	if _, err := newModel(Cart{}, w, &Policy{}, time.Time{}); err != nil {
		return Wallet{}, err
	}
	return w, nil
}

func decodeStrict(data []byte, v any) error {
	if err := checkKeys(data, fieldNames(reflect.TypeOf(v).Elem())); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}

// keyFrame is an object or array checkKeys is inside.
type keyFrame struct {
	obj, wantKey bool
	keys         map[string]bool
}

// checkKeys reports whether data is one JSON object, followed by nothing
// but white space, whose objects use only the keys in names, spelled
// exactly, each at most once per object.
func checkKeys(data []byte, names map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []keyFrame
	// valueDone records that a value was read: the innermost object, if
	// that is where it was, now wants its next key.
	valueDone := func() error {
		n := len(stack)
		if n == 0 {
			if _, err := dec.Token(); err != io.EOF {
				return errors.New("trailing data after the JSON value")
			}
			return io.EOF
		}
		if stack[n-1].obj {
			stack[n-1].wantKey = true
		}
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		n := len(stack)
		if n == 0 && tok != json.Delim('{') {
			return fmt.Errorf("want a JSON object, got %v", tok)
		}
		if n > 0 && stack[n-1].obj && stack[n-1].wantKey && tok != json.Delim('}') {
			k, ok := tok.(string)
			if !ok {
				return fmt.Errorf("want an object key, got %v", tok)
			}
			if !names[k] {
				return fmt.Errorf("unknown field %q", k)
			}
			if stack[n-1].keys[k] {
				return fmt.Errorf("duplicate field %q", k)
			}
			stack[n-1].keys[k] = true
			stack[n-1].wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, keyFrame{obj: true, wantKey: true, keys: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, keyFrame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:n-1]
		}
		if err := valueDone(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

var namesCache sync.Map // reflect.Type → map[string]bool

// fieldNames returns the JSON names of the fields of t and of the structs
// it holds (not looking inside types that decode themselves).
func fieldNames(t reflect.Type) map[string]bool {
	if m, ok := namesCache.Load(t); ok {
		return m.(map[string]bool)
	}
	names := map[string]bool{}
	var walk func(reflect.Type)
	seen := map[reflect.Type]bool{}
	unmarshaler := reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler := reflect.TypeFor[encoding.TextUnmarshaler]()
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if seen[t] || t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			names[name] = true
			walk(f.Type)
		}
	}
	walk(t)
	namesCache.Store(t, names)
	return names
}
