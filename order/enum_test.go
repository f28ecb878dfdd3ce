package order

import (
	"encoding"
	"errors"
	"slices"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/enum"
)

func TestEnumsInvalidZero(t *testing.T) {
	type textEnum interface {
		encoding.TextMarshaler
		IsValid() bool
		String() string
	}
	zeros := []textEnum{Status(0), Mode(0), Kind(0), InvoiceKind(0), Timer(0), Stage(0), Party(0), Cause(0), Source(0)}
	for _, z := range zeros {
		if z.IsValid() {
			t.Errorf("%T zero is valid", z)
		}
		if _, err := z.MarshalText(); !errors.Is(err, enum.ErrInvalid) {
			t.Errorf("%T zero marshals: %v", z, err)
		}
	}
	for s := PendingPayment; s <= Closed; s++ {
		b, err := s.MarshalText()
		var back Status
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("status %v round trip", s)
		}
	}
	var s Status
	for _, bad := range []string{"invalid", "Closed", "", "shipped "} {
		if err := s.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// Effect kinds are unique across the library: none is another package's.
func TestEffectKindsOwn(t *testing.T) {
	others := []string{"refund_money", "shipping_cost", "send_return_address", "revoke_trade", "merchant_bears_loss",
		"hold_funds", "refund_notice", "refund_settled", "give_back_beans", "give_back_points", "debit_beans",
		"debit_points", "give_back_coupons", "dispute_notice", "provider_notice"}
	for _, k := range EffectKinds() {
		if slices.Contains(others, k) {
			t.Errorf("kind %s belongs to another package", k)
		}
	}
	if len(EffectKinds()) != 7 {
		t.Errorf("kinds %v", EffectKinds())
	}
}
