package coupon_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/internal/money"
)

// TestBestIsOptimalRandomPolicy checks Best against exhaustive search under
// random overrides of the whole compatibility matrix, the counts and the
// threshold base: the search must stay exact for every policy a host may
// choose (CPN-2, CPN-3, CPN-5), not only the ones policies() lists.
func TestBestIsOptimalRandomPolicy(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set := coupon.DefaultPolicy()
		ov := func(k, v string) {
			var err error
			if set, err = set.OverrideExpr(k, v); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []string{"general_with_targeted", "general_with_shop", "targeted_with_shop", "targeted_free_with_threshold", "cross_store_with_shop", "cross_store_with_general", "cross_store_with_targeted"} {
			if rapid.Bool().Draw(t, k) {
				ov(k, "true")
			} else {
				ov(k, "false")
			}
		}
		for _, k := range []string{"max_shop", "max_targeted_free", "max_targeted_threshold", "max_cross_store"} {
			ov(k, rapid.SampledFrom([]string{"0", "1", "2"}).Draw(t, k))
		}
		ov("threshold_base", rapid.SampledFrom([]string{`"list"`, `"after_shop"`}).Draw(t, "base"))
		sz := coupontest.Sizes{Stores: rapid.IntRange(1, 3).Draw(t, "stores"), Lines: 5, Coupons: 8, MaxAmount: 3000, Plain: true}
		cart := coupontest.Cart(sz).Draw(t, "cart")
		w := coupontest.Wallet(cart, coupontest.Now, sz).Draw(t, "wallet")
		e := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(coupontest.Now)})
		ch, err := e.Best(cart, w)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Check(cart, w, ch.Uses); err != nil {
			t.Fatalf("refused: %v", err)
		}
		got, _ := money.ToFen(ch.Allocation.Total)
		want := bruteForce(t, e, cart, w)
		if got > want || (ch.Exact && got != want) {
			t.Fatalf("Best %d exact %v, brute %d, uses %v", got, ch.Exact, want, ch.Uses)
		}
	})
}
