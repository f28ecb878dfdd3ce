package order

import (
	"encoding"
	"errors"
	"github.com/google/go-cmp/cmp"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/refund"
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
	zeros := []textEnum{Status(0), Mode(0), Kind(0), InvoiceKind(0), Timer(0), Stage(0), Party(0), Cause(0), Source(0), Method(0), Bearer(0)}
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

// Effect kinds are unique across the library: the order's outbox holds
// its own seven acts and every act of refund and coupon, re-emitted.
func TestEffectKindsOwn(t *testing.T) {
	own := []string{"freeze_escrow", "fund_refund", "order_notice", "order_shipping_cost", "release_escrow",
		"return_payment", "settle_to_merchant"}
	want := append(append(own, refund.EffectKinds()...), "give_back_coupons", "give_back_beans", "give_back_points")
	for _, a := range []interface{ Kind() string }{dispute.Notice{}, dispute.ShippingProof{}, dispute.Judged{},
		dispute.LockOrder{}, dispute.UnlockOrder{}, dispute.Measures{}, dispute.RemindMerchant{}, dispute.Escalate{},
		dispute.RouteReport{}, dispute.ReportDecided{}} {
		want = append(want, a.Kind())
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, EffectKinds()); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
}
