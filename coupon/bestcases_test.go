package coupon_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
)

type reason struct {
	Rule string
	Err  error
}

func leftOut(ch coupon.Choice) map[string]reason {
	out := map[string]reason{}
	for _, v := range ch.LeftOut {
		out[v.Coupon] = reason{v.Err.Rule, v.Err.Err}
	}
	return out
}

func TestBestReasons(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	ch, err := e.Best(testCart(), testWallet())
	if err != nil {
		t.Fatal(err)
	}
	// A: tf+tt (23) + sA (20) = 43 beats g1 (10) + sA = 30; B: g1 (10).
	// The cross-store coupon x (30) would take A and B: 30 + sA 20 = 50
	// against 43 + 10 = 53.
	wantUses := []coupon.Use{{Coupon: "tf", Store: "A"}, {Coupon: "tt", Store: "A"}, {Coupon: "sA", Store: "A"}, {Coupon: "g1", Store: "B"}}
	if diff := cmp.Diff(wantUses, ch.Uses); diff != "" {
		t.Errorf("uses (-want +got):\n%s", diff)
	}
	if got := ch.Allocation.Total.StringFixed(2); got != "53.00" || !ch.Exact {
		t.Errorf("total %s exact %v, want 53.00 exact", got, ch.Exact)
	}
	want := map[string]reason{
		"g2":     {"CPN-3", coupon.ErrTooMany},      // B's general slot holds g1
		"tt2":    {"CPN-3", coupon.ErrTooMany},      // one threshold targeted coupon per order
		"sA2":    {"CPN-3", coupon.ErrTooMany},      // one shop coupon per order
		"x":      {"CPN-5", coupon.ErrIncompatible}, // does not stack with general or targeted
		"x2":     {"CPN-5", coupon.ErrIncompatible},
		"other":  {"CPN-1", coupon.ErrNotOwner},
		"frozen": {"CPN-1", coupon.ErrNotAvailable},
		"voided": {"CPN-1", coupon.ErrNotAvailable},
		"old":    {"CPN-7", coupon.ErrExpired},
		"early":  {"CPN-7", coupon.ErrNotYetValid},
	}
	if diff := cmp.Diff(want, leftOut(ch), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("left out (-want +got):\n%s", diff)
	}
}

func TestBestTieBreak(t *testing.T) {
	// Two general coupons of equal value: the one expiring sooner is used;
	// equal expiry: the smaller ID. A coupon adding nothing is left out
	// (CPN-4).
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{{ID: "l", Store: "A", Item: "tea", Amount: d("10")}}}
	g := func(id string, face string, until time.Time) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: coupon.General, Face: d(face), ValidUntil: until}
	}
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	for _, tc := range []struct {
		name string
		w    []coupon.Coupon
		want string
	}{
		{"sooner expiry wins", []coupon.Coupon{g("a", "5", later), g("b", "5", t0.Add(time.Hour))}, "b"},
		{"never-expiring counts as latest", []coupon.Coupon{g("a", "5", time.Time{}), g("b", "5", later)}, "b"},
		{"same expiry: smaller ID", []coupon.Coupon{g("b", "5", later), g("a", "5", later)}, "a"},
		{"capped faces tie: sooner expiry", []coupon.Coupon{g("a", "50", later), g("b", "10", t0.Add(time.Hour))}, "b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := e.Best(cart, coupon.Wallet{Owner: "ann", Coupons: tc.w})
			if err != nil {
				t.Fatal(err)
			}
			if len(ch.Uses) != 1 || ch.Uses[0].Coupon != tc.want {
				t.Errorf("uses %v, want %s", ch.Uses, tc.want)
			}
		})
	}
	tf := func(id, face string) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "A", Items: []string{"tea"}, Face: d(face), ValidUntil: later}
	}
	ch, _ := e.Best(cart, coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{tf("t1", "6"), tf("t2", "4"), tf("t3", "3")}})
	if diff := cmp.Diff(map[string]reason{"t3": {"CPN-4", coupon.ErrNoGain}}, leftOut(ch), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("left out (-want +got):\n%s", diff)
	}
}

func TestBestLargeWalletOverCount(t *testing.T) {
	// CPN-3: with more threshold-free targeted coupons than the count
	// allows, the best subset of the allowed size is used.
	set, _ := coupon.DefaultPolicy().OverrideExpr("max_targeted_free", "2")
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "l1", Store: "A", Item: "tea", Amount: d("10")},
		{ID: "l2", Store: "A", Item: "cup", Amount: d("10")},
	}}
	tf := func(id, face, item string) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "A", Items: []string{item}, Face: d(face)}
	}
	w := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{tf("a", "9", "tea"), tf("b", "8", "tea"), tf("c", "5", "cup")}}
	ch, err := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(t0)}).Best(cart, w)
	if err != nil {
		t.Fatal(err)
	}
	// Greedy by face takes a and b (10); the optimum is a and c (14).
	if got := ch.Allocation.Total.StringFixed(2); got != "14.00" || !ch.Exact {
		t.Errorf("total %s exact %v, want 14.00", got, ch.Exact)
	}
	if r := leftOut(ch)["b"]; r.Err != coupon.ErrTooMany || !errors.Is(ch.LeftOut[0].Err, coupon.ErrTooMany) {
		t.Errorf("b left out for %v", r)
	}
}
