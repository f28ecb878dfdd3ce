package coupon_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// bruteForce returns the largest total of every valid combination of the
// wallet's coupons, trying every subset and, for general coupons, every
// order they could be used in.
func bruteForce(t *rapid.T, e *coupon.Engine, cart coupon.Cart, w coupon.Wallet) int64 {
	var stores []string
	seen := map[string]bool{}
	for _, l := range cart.Lines {
		if !seen[l.Store] {
			seen[l.Store] = true
			stores = append(stores, l.Store)
		}
	}
	var best int64
	var uses []coupon.Use
	var rec func(i int)
	rec = func(i int) {
		if i == len(w.Coupons) {
			a, err := e.Allocate(cart, w, uses)
			if err != nil {
				var ce *coupon.CheckError
				if !errors.As(err, &ce) {
					t.Fatalf("Allocate: %v", err)
				}
				return
			}
			f, _ := money.ToFen(a.Total)
			best = max(best, f)
			return
		}
		rec(i + 1)
		c := w.Coupons[i]
		targets := []string{""}
		if c.Kind == coupon.General {
			targets = stores
		}
		for _, s := range targets {
			uses = append(uses, coupon.Use{Coupon: c.ID, Store: s})
			rec(i + 1)
			uses = uses[:len(uses)-1]
		}
	}
	rec(0)
	return best
}

// policies are the default policy and overrides that change the search.
func policies(t interface{ Fatal(...any) }) map[string]*rules.Set {
	out := map[string]*rules.Set{"default": coupon.DefaultPolicy()}
	over := func(name string, kv ...string) {
		s := coupon.DefaultPolicy()
		for i := 0; i < len(kv); i += 2 {
			var err error
			if s, err = s.OverrideExpr(kv[i], kv[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		out[name] = s
	}
	over("after_shop", "threshold_base", `"after_shop"`)
	over("small_counts", "max_targeted_free", "2", "max_shop", "2", "max_targeted_threshold", "2", "max_cross_store", "2")
	over("general_with_targeted", "general_with_targeted", "true", "targeted_free_with_threshold", "false")
	over("no_shop_mix", "targeted_with_shop", "false", "general_with_shop", "false", "cross_store_with_shop", "false")
	over("after_shop_small", "threshold_base", `"after_shop"`, "max_shop", "2", "max_targeted_threshold", "2", "max_targeted_free", "1")
	over("two_generals", "max_general", "2") // not searched: Exact may be false, never wrong
	over("cross_with_all", "cross_store_with_general", "true", "cross_store_with_targeted", "true", "threshold_base", `"after_shop"`)
	return out
}

// TestBestIsOptimal checks Best against exhaustive search on small carts
// (CPN-2, CPN-3, CPN-4, CPN-5): the total is the maximum over every valid
// combination whenever Best reports Exact, never above it, and the
// combination returned passes Check with that total.
func TestBestIsOptimal(t *testing.T) {
	for name, set := range policies(t) {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				sz := coupontest.Sizes{Stores: rapid.IntRange(1, 3).Draw(t, "stores"), Lines: 5, Coupons: 6, MaxAmount: 3000, Plain: rapid.Bool().Draw(t, "plain")}
				cart := coupontest.Cart(sz).Draw(t, "cart")
				w := coupontest.Wallet(cart, coupontest.Now, sz).Draw(t, "wallet")
				e := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(coupontest.Now)})
				ch, err := e.Best(cart, w)
				if err != nil {
					t.Fatal(err)
				}
				if err := e.Check(cart, w, ch.Uses); err != nil {
					t.Fatalf("best combination %v refused: %v", ch.Uses, err)
				}
				a, err := e.Allocate(cart, w, ch.Uses)
				if err != nil || !a.Total.Equal(ch.Allocation.Total) {
					t.Fatalf("Allocate(best) = %v, %v; Best said %v", a.Total, err, ch.Allocation.Total)
				}
				if err := coupontest.CheckAllocation(cart, w, ch.Allocation); err != nil {
					t.Fatal(err)
				}
				got, _ := money.ToFen(ch.Allocation.Total)
				want := bruteForce(t, e, cart, w)
				if got > want || (ch.Exact && got != want) {
					t.Fatalf("Best total %d fen (exact %v), exhaustive search %d fen; uses %v", got, ch.Exact, want, ch.Uses)
				}
				if !ch.Exact && name != "two_generals" {
					t.Fatalf("search not exact on a small cart")
				}
				if n := len(ch.Uses) + len(ch.LeftOut); n != len(w.Coupons) {
					t.Fatalf("%d uses + %d left out for %d coupons", len(ch.Uses), len(ch.LeftOut), len(w.Coupons))
				}
				for _, v := range ch.LeftOut {
					if v.Err == nil || v.Err.Rule == "" {
						t.Fatalf("left out %s without a rule", v.Coupon)
					}
				}
			})
		})
	}
}

// TestAllocationInvariants: every valid combination's allocation sums
// exactly to each coupon's discount, never exceeds a line's amount and
// no discount exceeds its coupon's face (CPN-4).
func TestAllocationInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sz := coupontest.Sizes{Stores: 3, Lines: 8, Coupons: 8, MaxAmount: 100000, Plain: true}
		cart := coupontest.Cart(sz).Draw(t, "cart")
		w := coupontest.Wallet(cart, coupontest.Now, sz).Draw(t, "wallet")
		var uses []coupon.Use
		for _, c := range w.Coupons {
			if rapid.Bool().Draw(t, "use "+c.ID) {
				u := coupon.Use{Coupon: c.ID}
				if c.Kind == coupon.General {
					u.Store = rapid.SampledFrom(cart.Lines).Draw(t, "line").Store
				}
				uses = append(uses, u)
			}
		}
		e := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)})
		a, err := e.Allocate(cart, w, uses)
		if err != nil {
			var ce *coupon.CheckError
			if !errors.As(err, &ce) || len(ce.Violations) == 0 {
				t.Fatalf("Allocate: %v", err)
			}
			return
		}
		if err := coupontest.CheckAllocation(cart, w, a); err != nil {
			t.Fatal(err)
		}
	})
}
