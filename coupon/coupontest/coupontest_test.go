package coupontest_test

import (
	"encoding/json"
	"testing"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
)

// The generators draw carts and wallets that decode back from JSON, and
// the best combination's allocation passes CheckAllocation.
func TestGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cart := coupontest.Cart(coupontest.Sizes{}).Draw(t, "cart")
		w := coupontest.Wallet(cart, coupontest.Now, coupontest.Sizes{}).Draw(t, "wallet")
		cb, _ := json.Marshal(cart)
		if _, err := coupon.DecodeCart(cb); err != nil {
			t.Fatalf("cart %s: %v", cb, err)
		}
		wb, _ := json.Marshal(w)
		if _, err := coupon.DecodeWallet(wb); err != nil {
			t.Fatalf("wallet %s: %v", wb, err)
		}
		ch, err := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)}).Best(cart, w)
		if err != nil {
			t.Fatal(err)
		}
		if err := coupontest.CheckAllocation(cart, w, ch.Allocation); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(ch); err != nil {
			t.Fatal(err)
		}
		if err := coupontest.CheckRedemption(ch.Allocation.Redemption()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTargetedWallet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cart := coupontest.Cart(coupontest.Sizes{Stores: 3, Lines: 20}).Draw(t, "cart")
		w := coupontest.TargetedWallet(cart, coupontest.Now, 30).Draw(t, "wallet")
		ch, err := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)}).Best(cart, w)
		if err != nil {
			t.Fatal(err)
		}
		if !ch.Exact {
			t.Fatalf("not exact with %d coupons", len(w.Coupons))
		}
		if err := coupontest.CheckAllocation(cart, w, ch.Allocation); err != nil {
			t.Fatal(err)
		}
	})
}
