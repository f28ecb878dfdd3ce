package coupon_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
)

// A buyer checks out tea and a cup from one store, holding a general
// coupon, a targeted coupon for the tea and a shop coupon. Best picks the
// largest discount the rules allow and says why the rest was left out.
func Example() {
	now := time.Date(2024, 3, 8, 10, 0, 0, 0, clock.MustZone("Asia/Shanghai"))
	e := coupon.New(coupon.Options{Clock: clock.NewManual(now)})
	yuan := decimal.RequireFromString
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "l1", Store: "teashop", Item: "tea", Amount: yuan("60.00")},
		{ID: "l2", Store: "teashop", Item: "cup", Amount: yuan("40.00")},
	}}
	wallet := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "general-10", Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: yuan("10")},
		{ID: "tea-15", Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "teashop", Items: []string{"tea"}, Face: yuan("15")},
		{ID: "shop-20", Owner: "ann", Status: coupon.Available, Kind: coupon.Shop, Store: "teashop", Face: yuan("20"), Threshold: yuan("100")},
	}}
	best, err := e.Best(cart, wallet)
	if err != nil {
		panic(err)
	}
	for _, u := range best.Uses {
		fmt.Println("use", u.Coupon)
	}
	fmt.Println("discount", best.Allocation.Total)
	for _, l := range best.Allocation.Lines {
		fmt.Println(l.Line, "pays", l.Net)
	}
	for _, v := range best.LeftOut {
		fmt.Println("left out", v.Coupon+":", v.Err.Rule)
	}
	// Output:
	// use tea-15
	// use shop-20
	// discount 35
	// l1 pays 34.41
	// l2 pays 30.59
	// left out general-10: CPN-2
}

// Check lists every violation with its rule ID.
func ExampleEngine_Check() {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC))})
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{{ID: "l1", Store: "s", Item: "tea", Amount: decimal.RequireFromString("30")}}}
	wallet := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "g", Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: decimal.RequireFromString("5")},
		{ID: "t", Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "s", Items: []string{"tea"}, Face: decimal.RequireFromString("5")},
		{ID: "bob", Owner: "bob", Status: coupon.Available, Kind: coupon.Shop, Store: "s", Face: decimal.RequireFromString("5")},
	}}
	err := e.Check(cart, wallet, []coupon.Use{{Coupon: "g"}, {Coupon: "t"}, {Coupon: "bob"}})
	if ce, ok := err.(*coupon.CheckError); ok {
		for _, v := range ce.Violations {
			fmt.Println(v.Err.Rule, v.Err.Err)
		}
	}
	// Output:
	// CPN-1 coupon: not the owner's coupon
	// CPN-2 coupon: coupons cannot be combined
}

// A checkout records its coupons; cancelling the order gives them back,
// judged by the policy version of the checkout. One that has expired
// comes back unusable (CPN-7). The host stores the new redemption and
// carries out the effect in one transaction.
func ExampleEngine_GiveBack() {
	checkout := time.Date(2024, 3, 8, 10, 0, 0, 0, time.UTC)
	e := coupon.New(coupon.Options{})
	yuan := decimal.RequireFromString
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{{ID: "l1", Store: "s", Item: "tea", Amount: yuan("30")}}}
	wallet := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "fresh", Owner: "ann", Status: coupon.Available, Kind: coupon.Shop, Store: "s", Face: yuan("5"), ValidUntil: checkout.Add(48 * time.Hour)},
		{ID: "stale", Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "s", Items: []string{"tea"}, Face: yuan("3"), ValidUntil: checkout.Add(time.Hour)},
	}}
	a, err := e.AllocateAt(cart, wallet, []coupon.Use{{Coupon: "fresh"}, {Coupon: "stale"}}, checkout)
	if err != nil {
		panic(err)
	}
	red := a.Redemption() // stored with the order
	res, err := e.GiveBack(red, "s", coupon.Cancel, checkout.Add(2*time.Hour))
	if err != nil {
		panic(err)
	}
	for _, ef := range res.Effects {
		b, _ := json.Marshal(ef)
		fmt.Println(string(b))
	}
	again, _ := e.GiveBack(res.Redemption, "s", coupon.Cancel, checkout.Add(3*time.Hour))
	fmt.Println("again:", len(again.Effects))
	// Output:
	// {"id":1,"at":"2024-03-08T12:00:00Z","rule":"CPN-7","type":"give_back_coupons","order":"s","reason":"cancel","coupons":[{"coupon":"stale","usable":false},{"coupon":"fresh","usable":true}]}
	// again: 0
}
