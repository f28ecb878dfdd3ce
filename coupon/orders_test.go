package coupon_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/internal/money"
)

// TestBestAssignsGeneralsOverManyOrders checks Best against exhaustive
// search on carts of up to 6 orders (stores) with general coupons, which
// may go to any order (CPN-4), thresholds, and a few shop coupons.
func TestBestAssignsGeneralsOverManyOrders(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)})
	rapid.Check(t, func(t *rapid.T) {
		stores := rapid.IntRange(1, 6).Draw(t, "stores")
		cart := coupon.Cart{Buyer: "ann"}
		for s := range stores {
			for l := range rapid.IntRange(1, 2).Draw(t, "lines") {
				cart.Lines = append(cart.Lines, coupon.Line{ID: fmt.Sprintf("l%d-%d", s, l), Store: fmt.Sprintf("s%d", s), Item: "i",
					Amount: money.FromFen(rapid.Int64Range(0, 3000).Draw(t, "amount"))})
			}
		}
		w := coupon.Wallet{Owner: "ann"}
		for g := range rapid.IntRange(1, 3).Draw(t, "generals") {
			w.Coupons = append(w.Coupons, coupon.Coupon{ID: fmt.Sprintf("g%d", g), Owner: "ann", Status: coupon.Available, Kind: coupon.General,
				Face: money.FromFen(rapid.Int64Range(1, 4000).Draw(t, "face")), Threshold: money.FromFen(rapid.Int64Range(0, 4000).Draw(t, "threshold"))})
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "shops") {
			w.Coupons = append(w.Coupons, coupon.Coupon{ID: fmt.Sprintf("s%d", i), Owner: "ann", Status: coupon.Available, Kind: coupon.Shop,
				Store: fmt.Sprintf("s%d", rapid.IntRange(0, stores-1).Draw(t, "store")), Face: money.FromFen(rapid.Int64Range(1, 2000).Draw(t, "shop face"))})
		}
		ch, err := e.Best(cart, w)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := money.ToFen(ch.Allocation.Total)
		if want := bruteForce(t, e, cart, w); got != want || !ch.Exact {
			t.Fatalf("Best %d fen (exact %v), exhaustive search %d fen; uses %v", got, ch.Exact, want, ch.Uses)
		}
	})
}

// TestBestGeneralsBeyondTwelveOrders: with more than 12 orders that can
// take a general coupon, the assignment is still exact. Taking orders in
// turn, each with its best remaining coupon, gives the ¥100 coupon to the
// ¥60 order first (¥60 + ¥50 = ¥110); the optimum gives it to the ¥200
// order and the ¥50 one to the ¥60 order (¥150).
func TestBestGeneralsBeyondTwelveOrders(t *testing.T) {
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "a", Store: "s01", Item: "i", Amount: d("60")},
		{ID: "b", Store: "s02", Item: "i", Amount: d("200")},
	}}
	for i := 3; i <= 14; i++ {
		cart.Lines = append(cart.Lines, coupon.Line{ID: fmt.Sprintf("f%02d", i), Store: fmt.Sprintf("s%02d", i), Item: "i", Amount: d("0.01")})
	}
	g := func(id, face string) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: d(face)}
	}
	w := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{g("big", "100"), g("small", "50")}}
	ch, err := coupon.New(coupon.Options{Clock: clock.NewManual(t0)}).Best(cart, w)
	if err != nil {
		t.Fatal(err)
	}
	if got := ch.Allocation.Total.StringFixed(2); got != "150.00" || !ch.Exact {
		t.Errorf("total %s exact %v, want 150.00 exact; uses %v", got, ch.Exact, ch.Uses)
	}
	want := []coupon.Use{{Coupon: "small", Store: "s01"}, {Coupon: "big", Store: "s02"}}
	if len(ch.Uses) != 2 || ch.Uses[0] != want[0] || ch.Uses[1] != want[1] {
		t.Errorf("uses %v, want %v", ch.Uses, want)
	}
	// 40 orders and 30 coupons: every coupon finds its order.
	big := coupon.Cart{Buyer: "ann"}
	var many coupon.Wallet
	many.Owner = "ann"
	for i := range 40 {
		big.Lines = append(big.Lines, coupon.Line{ID: fmt.Sprintf("l%02d", i), Store: fmt.Sprintf("s%02d", i), Item: "i", Amount: money.FromFen(int64(100 * (i + 1)))})
	}
	var want2 int64
	for i := range 30 {
		// Coupon i has face 100·(i+11) fen and threshold 100·(i+11):
		// it fits order i+10 and larger ones exactly; the best gives
		// coupon i to order i+10, the full face each.
		c := g(fmt.Sprintf("g%02d", i), "0")
		c.Face = money.FromFen(int64(100 * (i + 11)))
		c.Threshold = c.Face
		many.Coupons = append(many.Coupons, c)
		want2 += int64(100 * (i + 11))
	}
	ch2, err := coupon.New(coupon.Options{Clock: clock.NewManual(t0)}).Best(big, many)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := money.ToFen(ch2.Allocation.Total); got != want2 || !ch2.Exact {
		t.Errorf("40 orders: total %d fen exact %v, want %d", got, ch2.Exact, want2)
	}
}
