package coupon

import (
	"bytes"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// DecodeCart decodes a cart from JSON strictly (the library's one
// decoder, internal/wire): the input is one JSON object and nothing after
// it; every key is a field name spelled exactly (encoding/json alone
// would also take "Store" or "STORE"), known, and given once. Amounts are
// JSON strings or numbers in yuan ("12.50"). The cart is then checked as
// Check would: every line has a unique ID, a store and a valid amount
// (internal/money). Every error wraps [ErrInvalid].
func DecodeCart(data []byte) (Cart, error) {
	var c Cart
	if err := decode(data, &c, "cart"); err != nil {
		return Cart{}, err
	}
	if _, err := newModel(c, Wallet{}, &Policy{}, time.Time{}); err != nil {
		return Cart{}, err
	}
	return c, nil
}

// DecodeWallet decodes a wallet from JSON as strictly as [DecodeCart].
// Each coupon must have a unique ID, a valid kind and status, a positive
// face and a threshold that are valid amounts, and shop and targeted
// coupons a store. Times are RFC 3339; they are returned in UTC without
// a monotonic reading, so one instant has one encoding.
func DecodeWallet(data []byte) (Wallet, error) {
	var w Wallet
	if err := decode(data, &w, "wallet"); err != nil {
		return Wallet{}, err
	}
	if _, err := newModel(Cart{}, w, &Policy{}, time.Time{}); err != nil {
		return Wallet{}, err
	}
	for i := range w.Coupons {
		c := &w.Coupons[i]
		c.ValidFrom, c.ValidUntil = utc(c.ValidFrom), utc(c.ValidUntil)
	}
	return w, nil
}

// decode is wire.Decode with the package's error convention.
func decode(data []byte, v any, what string) error {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return fmt.Errorf("%w: %s: want a JSON object", ErrInvalid, what)
	}
	if err := wire.Decode(data, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, what, err)
	}
	return nil
}

// utc returns t in UTC without a monotonic reading; the zero instant
// stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Round(0).UTC()
}
