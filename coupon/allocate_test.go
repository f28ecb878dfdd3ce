package coupon_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
)

// summary renders an allocation as coupon → "line=amount" shares plus
// store shares, for table tests.
func summary(a coupon.Allocation) map[string][]string {
	out := map[string][]string{"total": {a.Total.StringFixed(2)}}
	for _, c := range a.Coupons {
		var s []string
		for _, l := range c.Lines {
			s = append(s, l.Line+"="+l.Amount.StringFixed(2))
		}
		for _, st := range c.Stores {
			s = append(s, "store "+st.Store+"="+st.Amount.StringFixed(2))
		}
		out[c.Coupon] = s
	}
	return out
}

func TestAllocate(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	three := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "l1", Store: "A", Item: "x", Amount: d("1.00")},
		{ID: "l2", Store: "A", Item: "y", Amount: d("1.00")},
		{ID: "l3", Store: "A", Item: "z", Amount: d("1.00")},
	}}
	w := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{
		{ID: "big", Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: d("200")},
		{ID: "one", Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: d("1")},
	}}
	tests := []struct {
		name string
		cart coupon.Cart
		w    coupon.Wallet
		uses []coupon.Use
		want map[string][]string
	}{
		{"general spread in proportion (CPN-4)", testCart(), testWallet(), []coupon.Use{{Coupon: "g1", Store: "A"}},
			map[string][]string{"total": {"10.00"}, "g1": {"a1=6.00", "a2=4.00", "store A=10.00"}}},
		{"face above the eligible amount is capped: no change (CPN-4)", three, w, []coupon.Use{{Coupon: "big"}},
			map[string][]string{"total": {"3.00"}, "big": {"l1=1.00", "l2=1.00", "l3=1.00", "store A=3.00"}}},
		{"largest remainder to the fen, ties to the earlier line", three, w, []coupon.Use{{Coupon: "one"}},
			map[string][]string{"total": {"1.00"}, "one": {"l1=0.34", "l2=0.33", "l3=0.33", "store A=1.00"}}},
		{"cross-store apportioned across stores by eligible amount (CPN-5)", testCart(), testWallet(), []coupon.Use{{Coupon: "x"}},
			map[string][]string{"total": {"30.00"}, "x": {"a1=12.00", "a2=8.00", "b1=10.00", "store A=20.00", "store B=10.00"}}},
		{"cross-store after the shop coupon, apportioned by eligible amounts (CPN-5)", testCart(), testWallet(), []coupon.Use{{Coupon: "x"}, {Coupon: "sA"}},
			map[string][]string{"total": {"50.00"},
				"sA": {"a1=12.00", "a2=8.00", "store A=20.00"},
				"x":  {"a1=12.00", "a2=8.00", "b1=10.00", "store A=20.00", "store B=10.00"}}},
		{"targeted coupons share a line by maximum flow", testCart(), testWallet(), []coupon.Use{{Coupon: "tf"}, {Coupon: "tt"}, {Coupon: "sA"}},
			map[string][]string{"total": {"43.00"},
				"tf": {"a1=8.00", "store A=8.00"}, "tt": {"a1=15.00", "store A=15.00"},
				"sA": {"a1=9.61", "a2=10.39", "store A=20.00"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Allocate(tc.cart, tc.w, tc.uses)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summary(a)); diff != "" {
				t.Errorf("allocation (-want +got):\n%s", diff)
			}
			if err := coupontest.CheckAllocation(tc.cart, tc.w, a); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCouponBackBase(t *testing.T) {
	// CPN-4: coupon amounts are excluded from coupon-back activity bases.
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	a, err := e.Allocate(testCart(), testWallet(), []coupon.Use{{Coupon: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{a.CouponBackBase("").StringFixed(2), a.CouponBackBase("A").StringFixed(2)}
	if diff := cmp.Diff([]string{"120.00", "80.00"}, got); diff != "" {
		t.Errorf("base (-want +got):\n%s", diff)
	}
	set, _ := coupon.DefaultPolicy().OverrideExpr("exclude_from_coupon_back", "false")
	a, _ = coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(t0)}).Allocate(testCart(), testWallet(), []coupon.Use{{Coupon: "x"}})
	if got := a.CouponBackBase("").StringFixed(2); got != "150.00" {
		t.Errorf("not excluded: base %s, want 150.00", got)
	}
}
