package coupon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// DecodeCart decodes a cart from JSON, refusing unknown fields and
// trailing data. Amounts are JSON strings or numbers in yuan ("12.50").
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

// DecodeWallet decodes a wallet from JSON like [DecodeCart]. Each coupon
// must have a unique ID, a valid kind, a positive face and a
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
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the JSON value", ErrInvalid)
	}
	return nil
}
