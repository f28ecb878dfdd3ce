// Package coupontest provides rapid generators of carts and wallets and
// invariant checkers for property tests of hosts that use package coupon.
//
//	rapid.Check(t, func(t *rapid.T) {
//		cart := coupontest.Cart(coupontest.Sizes{}).Draw(t, "cart")
//		w := coupontest.Wallet(cart, coupontest.Now, coupontest.Sizes{}).Draw(t, "wallet")
//		ch, err := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)}).Best(cart, w)
//		...
//		if err := coupontest.CheckAllocation(cart, w, ch.Allocation); err != nil { t.Fatal(err) }
//	})
package coupontest

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Now is the instant the generated validity periods are arranged around:
// 2024-03-08 10:00 in Asia/Shanghai.
var Now = time.Date(2024, 3, 8, 10, 0, 0, 0, clock.MustZone("Asia/Shanghai"))

// Buyer is the owner of generated carts and of most generated coupons.
const Buyer = "buyer-1"

// Sizes bound what the generators draw. Zero fields take the defaults in
// brackets.
type Sizes struct {
	Stores    int   // most stores in a cart [2]
	Lines     int   // most lines in a cart [5]
	Coupons   int   // most coupons in a wallet [6]
	MaxAmount int64 // largest line amount, in fen [20000]
	// Plain draws only coupons the buyer may use (owned, available,
	// valid at Now), which makes searches harder.
	Plain bool
}

func (s Sizes) withDefaults() Sizes {
	if s.Stores <= 0 {
		s.Stores = 2
	}
	if s.Lines <= 0 {
		s.Lines = 5
	}
	if s.Coupons <= 0 {
		s.Coupons = 6
	}
	if s.MaxAmount <= 0 {
		s.MaxAmount = 20000
	}
	return s
}

var items = []string{"i1", "i2", "i3", "i4", "i5", "i6"}
var categories = []string{"food", "toys", "books"}

// Cart draws a cart of 1..Lines lines over 1..Stores stores ("s1", "s2",
// …), items "i1".."i6" and categories, amounts in whole fen.
func Cart(sz Sizes) *rapid.Generator[coupon.Cart] {
	sz = sz.withDefaults()
	return rapid.Custom(func(t *rapid.T) coupon.Cart {
		stores := rapid.IntRange(1, sz.Stores).Draw(t, "stores")
		n := rapid.IntRange(1, sz.Lines).Draw(t, "lines")
		c := coupon.Cart{Buyer: Buyer}
		for i := range n {
			c.Lines = append(c.Lines, coupon.Line{
				ID:       fmt.Sprintf("l%d", i+1),
				Store:    fmt.Sprintf("s%d", rapid.IntRange(1, stores).Draw(t, "store")),
				Item:     rapid.SampledFrom(items).Draw(t, "item"),
				Category: rapid.SampledFrom(categories).Draw(t, "category"),
				Amount:   money.FromFen(rapid.Int64Range(0, sz.MaxAmount).Draw(t, "amount")),
			})
		}
		return c
	})
}

// Wallet draws a wallet for cart: coupons of every kind, with faces and
// thresholds of the order of the cart's amounts, for the cart's stores
// and items. Unless sz.Plain, some coupons are another buyer's, frozen,
// voided, expired or not yet valid at now.
func Wallet(cart coupon.Cart, now time.Time, sz Sizes) *rapid.Generator[coupon.Wallet] {
	sz = sz.withDefaults()
	stores := storesOf(cart)
	return rapid.Custom(func(t *rapid.T) coupon.Wallet {
		n := rapid.IntRange(0, sz.Coupons).Draw(t, "coupons")
		w := coupon.Wallet{Owner: cart.Buyer}
		for i := range n {
			w.Coupons = append(w.Coupons, drawCoupon(t, fmt.Sprintf("c%02d", i+1), cart.Buyer, stores, now, sz))
		}
		return w
	})
}

func drawCoupon(t *rapid.T, id, buyer string, stores []string, now time.Time, sz Sizes) coupon.Coupon {
	kind := rapid.SampledFrom([]coupon.Kind{coupon.General, coupon.Targeted, coupon.Targeted, coupon.Shop, coupon.CrossStore}).Draw(t, "kind")
	c := coupon.Coupon{ID: id, Owner: buyer, Status: coupon.Available, Kind: kind,
		Face: money.FromFen(rapid.Int64Range(1, sz.MaxAmount).Draw(t, "face"))}
	if rapid.Bool().Draw(t, "has_threshold") || kind == coupon.CrossStore {
		c.Threshold = money.FromFen(rapid.Int64Range(1, 2*sz.MaxAmount).Draw(t, "threshold"))
	}
	switch kind {
	case coupon.Shop:
		c.Store = rapid.SampledFrom(stores).Draw(t, "store")
	case coupon.Targeted:
		c.Store = rapid.SampledFrom(stores).Draw(t, "store")
		c.Items = rapid.SliceOfNDistinct(rapid.SampledFrom(items), 1, 3, rapid.ID).Draw(t, "items")
		if rapid.Bool().Draw(t, "by_category") {
			c.Categories = []string{rapid.SampledFrom(categories).Draw(t, "category")}
		}
	case coupon.CrossStore:
		if rapid.Bool().Draw(t, "some_stores") {
			c.Stores = rapid.SliceOfNDistinct(rapid.SampledFrom(stores), 1, len(stores), rapid.ID).Draw(t, "stores")
		}
	}
	c.ValidUntil = now.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "days_left")) * 24 * time.Hour)
	if !sz.Plain {
		switch rapid.IntRange(0, 9).Draw(t, "condition") {
		case 0:
			c.Owner = "someone-else"
		case 1:
			c.Status = coupon.Frozen
		case 2:
			c.Status = coupon.Voided
		case 3:
			c.ValidUntil = now.Add(-time.Hour)
		case 4:
			c.ValidFrom = now.Add(time.Hour)
		}
	}
	return c
}

func storesOf(cart coupon.Cart) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range cart.Lines {
		if !seen[l.Store] {
			seen[l.Store] = true
			out = append(out, l.Store)
		}
	}
	if len(out) == 0 {
		out = []string{"s1"}
	}
	return out
}

// TargetedWallet draws a large wallet of n threshold-free targeted
// coupons for the cart's lines plus a few others (one general, one shop
// per store, one threshold targeted, one cross-store): the shape of the
// package's benchmarks.
func TargetedWallet(cart coupon.Cart, now time.Time, n int) *rapid.Generator[coupon.Wallet] {
	stores := storesOf(cart)
	return rapid.Custom(func(t *rapid.T) coupon.Wallet {
		w := coupon.Wallet{Owner: cart.Buyer}
		until := now.Add(7 * 24 * time.Hour)
		for i := range n {
			l := rapid.SampledFrom(cart.Lines).Draw(t, "line")
			w.Coupons = append(w.Coupons, coupon.Coupon{ID: fmt.Sprintf("t%03d", i), Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.Targeted,
				Face: money.FromFen(rapid.Int64Range(100, 3000).Draw(t, "face")), Store: l.Store,
				Items: []string{l.Item}, ValidUntil: until.Add(time.Duration(i) * time.Minute)})
		}
		w.Coupons = append(w.Coupons,
			coupon.Coupon{ID: "g1", Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.General, Face: money.FromFen(rapid.Int64Range(1000, 50000).Draw(t, "general")), ValidUntil: until},
			coupon.Coupon{ID: "x1", Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.CrossStore, Face: money.FromFen(rapid.Int64Range(1000, 50000).Draw(t, "cross")),
				Threshold: money.FromFen(rapid.Int64Range(1000, 100000).Draw(t, "cross_threshold")), ValidUntil: until})
		for i, s := range stores {
			w.Coupons = append(w.Coupons, coupon.Coupon{ID: fmt.Sprintf("shop%d", i), Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.Shop,
				Face: money.FromFen(rapid.Int64Range(100, 5000).Draw(t, "shop")), Store: s, ValidUntil: until})
		}
		l := cart.Lines[0]
		w.Coupons = append(w.Coupons, coupon.Coupon{ID: "tt1", Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.Targeted, Store: l.Store,
			Face: money.FromFen(rapid.Int64Range(100, 5000).Draw(t, "tt_face")), Threshold: money.FromFen(rapid.Int64Range(100, 5000).Draw(t, "tt_threshold")),
			Items: []string{l.Item}, Categories: []string{l.Category}, ValidUntil: until})
		return w
	})
}

// CheckAllocation checks the invariants of an allocation of wallet w's
// coupons over cart: each coupon's line shares sum to its discount and
// its store shares too; no discount exceeds the coupon's face (no
// change, CPN-4); no line is discounted below zero; the line totals and
// the allocation's total agree.
func CheckAllocation(cart coupon.Cart, w coupon.Wallet, a coupon.Allocation) error {
	face := map[string]int64{}
	for _, c := range w.Coupons {
		face[c.ID] = fenOf(c.Face)
	}
	amount := map[string]int64{}
	for _, l := range cart.Lines {
		amount[l.ID] = fenOf(l.Amount)
	}
	perLine := map[string]int64{}
	var total int64
	for _, cd := range a.Coupons {
		d := fenOf(cd.Discount)
		if d > face[cd.Coupon] {
			return fmt.Errorf("coupon %s: discount %s above its face", cd.Coupon, cd.Discount)
		}
		var sl, ss int64
		for _, ls := range cd.Lines {
			x := fenOf(ls.Amount)
			if x <= 0 {
				return fmt.Errorf("coupon %s: share %s on line %s", cd.Coupon, ls.Amount, ls.Line)
			}
			sl += x
			perLine[ls.Line] += x
		}
		for _, st := range cd.Stores {
			ss += fenOf(st.Amount)
		}
		if sl != d || ss != d {
			return fmt.Errorf("coupon %s: discount %d fen, lines sum %d, stores sum %d", cd.Coupon, d, sl, ss)
		}
		total += d
	}
	if total != fenOf(a.Total) {
		return fmt.Errorf("total %s, coupons sum %d fen", a.Total, total)
	}
	if len(a.Lines) != len(cart.Lines) {
		return fmt.Errorf("%d line entries for %d lines", len(a.Lines), len(cart.Lines))
	}
	for _, l := range a.Lines {
		if perLine[l.Line] > amount[l.Line] {
			return fmt.Errorf("line %s: discount %d fen above its amount %d", l.Line, perLine[l.Line], amount[l.Line])
		}
		if fenOf(l.Discount) != perLine[l.Line] || fenOf(l.Net) != amount[l.Line]-perLine[l.Line] {
			return fmt.Errorf("line %s: discount %s net %s, shares sum %d fen", l.Line, l.Discount, l.Net, perLine[l.Line])
		}
	}
	return nil
}

func fenOf(d decimal.Decimal) int64 {
	f, err := money.ToFen(d)
	if err != nil {
		return -1 << 62
	}
	return f
}

// CheckRedemption reports whether r is a redemption a host may store: the
// package's own validity (coupon.Redemption.Validate, the one definition
// of it).
func CheckRedemption(r coupon.Redemption) error { return r.Validate() }

// Redemption draws a valid redemption of a checkout at Now (UTC) under the
// default policy's version: 1–4 coupons over the given orders (a coupon in
// several orders is cross-store), expiring 0–4 hours after Now (0: at the
// checkout instant itself), none released yet.
func Redemption(orders []string) *rapid.Generator[coupon.Redemption] {
	return rapid.Custom(func(t *rapid.T) coupon.Redemption {
		at := Now.UTC()
		r := coupon.Redemption{Version: coupon.DefaultPolicy().In(at).Date(), At: at}
		for i := range rapid.IntRange(1, 4).Draw(t, "coupons") {
			os := rapid.SliceOfNDistinct(rapid.SampledFrom(orders), 1, len(orders), rapid.ID[string]).Draw(t, "orders")
			kind := rapid.SampledFrom([]coupon.Kind{coupon.General, coupon.Targeted, coupon.Shop}).Draw(t, "kind")
			if len(os) > 1 {
				kind = coupon.CrossStore
			}
			r.Coupons = append(r.Coupons, coupon.Redeemed{Coupon: fmt.Sprintf("c%d", i+1), Kind: kind, Orders: os,
				ValidUntil: at.Add(time.Duration(rapid.IntRange(0, 4).Draw(t, "hours")) * time.Hour)})
		}
		return r
	})
}
