package order

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/coupon"
)

// A cross-store coupon over the two orders of one checkout: store s1
// (escrow, line a) and s2 (direct, line b).
func crossStore(t *testing.T, m *Machine, expiry time.Time) ([]State, coupon.Redemption) {
	t.Helper()
	rs, err := m.CheckoutAt(cart(item("a", "s1", "10", 1), item("b", "s2", "20", 1)), t0)
	if err != nil || len(rs) != 2 {
		t.Fatalf("checkout: %v", err)
	}
	shared := coupon.Redemption{Version: coupon.DefaultPolicy().In(t0).Date(), At: t0,
		Coupons: []coupon.Redeemed{{Coupon: "X", Kind: coupon.CrossStore, ValidUntil: expiry, Orders: []string{rs[0].State.Number, rs[1].State.Number}}}}
	return []State{rs[0].State, rs[1].State}, shared
}

func giveBacks(es []coupon.Effect) []coupon.GiveBackCoupons {
	var out []coupon.GiveBackCoupons
	for _, e := range es {
		if g, ok := e.Act.(coupon.GiveBackCoupons); ok {
			out = append(out, g)
		}
	}
	return out
}

// CPN-6, CPN-7: the coupon goes back once, when the last order of the
// checkout is released, at that order's end, and never again.
func TestCheckoutGiveBack(t *testing.T) {
	m := testMachine()
	orders, shared := crossStore(t, m, t0.Add(100*time.Hour))
	// Nothing released: nothing goes back.
	r, err := CheckoutGiveBack(nil, shared, orders)
	if err != nil || len(r.Effects) != 0 || cmp.Diff(shared, r.Redemption) != "" {
		t.Fatalf("nothing released: %v %v", err, r.Effects)
	}
	// The first order is cancelled: its share is released, the coupon stays used.
	cancelled := t0.Add(time.Hour)
	orders[0] = must(t, m, orders[0], Cancel{}, cancelled).State
	r, err = CheckoutGiveBack(nil, shared, orders)
	if err != nil || len(r.Effects) != 0 || cmp.Diff([]string{orders[0].Number}, r.Redemption.Coupons[0].Released) != "" {
		t.Fatalf("one released: %v %v %+v", err, r.Effects, r.Redemption)
	}
	shared = r.Redemption
	// The second is paid and partly refunded: it keeps the coupon.
	at := t0.Add(2 * time.Hour)
	s := paid(t, m, orders[1], at)
	s = must(t, m, s, Ship{Lines: []string{"b"}, Carrier: "SF", Tracking: "1", At: at}, at).State
	s = refundNow(t, m, s, at.Add(time.Minute), "b:5").State
	if s.Status != Completed || s.Refunded != fen("5") {
		t.Fatalf("partly refunded: %v %s", s.Status, s.Refunded)
	}
	orders[1] = s
	if r, _ := CheckoutGiveBack(nil, shared, orders); len(r.Effects) != 0 {
		t.Fatalf("partly refunded: %v", r.Effects)
	}
	// Fully refunded: the coupon goes back at that instant, usable (before its expiry).
	done := t0.Add(3 * time.Hour)
	orders[1] = refundNow(t, m, s, done, "b").State
	if orders[1].Status != Closed {
		t.Fatalf("second order: %v", orders[1].Status)
	}
	later := []State{orders[1], orders[0]} // any sequence
	r, err = CheckoutGiveBack(nil, shared, later)
	if err != nil {
		t.Fatal(err)
	}
	want := []coupon.GiveBackCoupons{{Order: orders[1].Number, Reason: coupon.FullRefund, Coupons: []coupon.ReturnedCoupon{{Coupon: "X", Usable: true}}}}
	if diff := cmp.Diff(want, giveBacks(r.Effects)); diff != "" {
		t.Fatalf("give-back (-want +got):\n%s", diff)
	}
	if e := r.Effects[0]; !e.At.Equal(done) || e.Rule != "CPN-6" {
		t.Fatalf("effect at %v rule %s", e.At, e.Rule)
	}
	// Once: again with the stored record, nothing.
	again, err := CheckoutGiveBack(nil, r.Redemption, orders)
	if err != nil || len(again.Effects) != 0 {
		t.Fatalf("twice: %v %v", err, again.Effects)
	}
}

// Released at or after the coupon's expiry, it goes back unusable; a
// merchant's cancellation releases as a cancel (CPN-7); bad input is
// refused.
func TestCheckoutGiveBackExpiredAndErrors(t *testing.T) {
	m := testMachine()
	expiry := t0.Add(2 * time.Hour)
	orders, shared := crossStore(t, m, expiry)
	orders[0] = must(t, m, orders[0], Cancel{}, t0.Add(time.Hour)).State
	s := paid(t, m, orders[1], t0.Add(time.Hour))
	orders[1] = must(t, m, s, MerchantCancel{}, expiry).State
	r, err := CheckoutGiveBack(coupon.New(coupon.Options{}), shared, orders)
	if err != nil {
		t.Fatal(err)
	}
	want := []coupon.GiveBackCoupons{{Order: orders[1].Number, Reason: coupon.Cancel, Coupons: []coupon.ReturnedCoupon{{Coupon: "X", Usable: false}}}}
	if diff := cmp.Diff(want, giveBacks(r.Effects)); diff != "" {
		t.Fatalf("expired (-want +got):\n%s", diff)
	}

	other := orders[1]
	other.Checkout = "c2"
	for _, bad := range [][]State{{orders[0], other}, {orders[0], orders[0]}, {{}}} {
		if r, err := CheckoutGiveBack(nil, shared, bad); !errors.Is(err, ErrInvalid) || cmp.Diff(shared, r.Redemption) != "" {
			t.Errorf("%d orders: %v", len(bad), err)
		}
	}
}
