package coupon_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/internal/money"
)

func mustJSON(t interface{ Fatal(...any) }, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAllocateOfBestUses: Choice.Uses says "pass it to Check or Allocate
// as it is"; Allocate must then give Best's allocation, line for line, and
// the order of the uses must not change it. Two targeted coupons sharing a
// line, listed in the wallet in the opposite order to their expiries.
func TestAllocateOfBestUses(t *testing.T) {
	cart := coupon.Cart{Buyer: "ann", Lines: []coupon.Line{{ID: "l1", Store: "A", Item: "tea", Amount: d("10")}}}
	tf := func(id string, until time.Time) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: coupon.Targeted, Store: "A", Items: []string{"tea"}, Face: d("6"), ValidUntil: until}
	}
	w := coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{tf("late", later), tf("soon", t0.Add(time.Hour))}}
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	ch, err := e.Best(cart, w)
	if err != nil {
		t.Fatal(err)
	}
	// The coupon expiring sooner is applied first and takes its full face.
	want := map[string][]string{"total": {"10.00"}, "soon": {"l1=6.00", "store A=6.00"}, "late": {"l1=4.00", "store A=4.00"}}
	if diff := cmp.Diff(want, summary(ch.Allocation)); diff != "" {
		t.Errorf("Best allocation (-want +got):\n%s", diff)
	}
	for _, uses := range [][]coupon.Use{ch.Uses, {ch.Uses[1], ch.Uses[0]}} {
		a, err := e.Allocate(cart, w, uses)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(mustJSON(t, ch.Allocation), mustJSON(t, a)); diff != "" {
			t.Errorf("Allocate(%v) differs from Best's allocation (-best +allocate):\n%s", uses, diff)
		}
	}
}

// TestBestDeterministic: same inputs give byte-identical choices, and the
// choice does not depend on the order of the wallet's coupons nor the
// allocation on the order of the uses (no wallet position, map order or
// other accident leaks into the output).
func TestBestDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sz := coupontest.Sizes{Stores: 3, Lines: 6, Coupons: 9, MaxAmount: 3000, Plain: rapid.Bool().Draw(t, "plain")}
		cart := coupontest.Cart(sz).Draw(t, "cart")
		w := coupontest.Wallet(cart, coupontest.Now, sz).Draw(t, "wallet")
		e := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)})
		ch, err := e.Best(cart, w)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := e.Best(cart, w)
		if a, b := mustJSON(t, ch), mustJSON(t, again); a != b {
			t.Fatalf("Best not deterministic:\n%s\n%s", a, b)
		}
		a, err := e.Allocate(cart, w, ch.Uses)
		if err != nil {
			t.Fatal(err)
		}
		if x, y := mustJSON(t, ch.Allocation), mustJSON(t, a); x != y {
			t.Fatalf("Allocate(Best.Uses) differs:\n%s\n%s", x, y)
		}
		shuffled := rapid.Permutation(ch.Uses).Draw(t, "uses")
		if b, err := e.Allocate(cart, w, shuffled); err != nil || mustJSON(t, b) != mustJSON(t, a) {
			t.Fatalf("Allocate depends on the order of the uses (%v): %v", shuffled, err)
		}
		perm := coupon.Wallet{Owner: w.Owner, Coupons: rapid.Permutation(w.Coupons).Draw(t, "wallet order")}
		ch2, err := e.Best(cart, perm)
		if err != nil {
			t.Fatal(err)
		}
		if x, y := mustJSON(t, ch.Uses), mustJSON(t, ch2.Uses); x != y {
			t.Fatalf("uses depend on the wallet order:\n%s\n%s", x, y)
		}
		if x, y := mustJSON(t, ch.Allocation), mustJSON(t, ch2.Allocation); x != y {
			t.Fatalf("allocation depends on the wallet order:\n%s\n%s", x, y)
		}
	})
}

// TestCrossStoreApportionedByEligibleAmounts: the CPN-5 reading splits a
// cross-store coupon over the orders in proportion to their eligible
// amounts, not to what a shop coupon left of them; a store is never given
// more than is left of it, and the excess goes to the others.
func TestCrossStoreApportionedByEligibleAmounts(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	w := testWallet()
	big := coupon.Coupon{ID: "sBig", Owner: "ann", Status: coupon.Available, Kind: coupon.Shop, Store: "A", Face: d("95"), ValidUntil: later}
	w.Coupons = append(w.Coupons, big)
	for _, tc := range []struct {
		name string
		uses []coupon.Use
		want map[string][]string
	}{
		{"A:B = 100:50 whatever the shop coupon took (CPN-5)", []coupon.Use{{Coupon: "x"}, {Coupon: "sA"}},
			map[string][]string{"total": {"50.00"},
				"sA": {"a1=12.00", "a2=8.00", "store A=20.00"},
				"x":  {"a1=12.00", "a2=8.00", "b1=10.00", "store A=20.00", "store B=10.00"}}},
		{"A's share capped at what is left of A, the rest to B (CPN-5, CPN-4)", []coupon.Use{{Coupon: "x"}, {Coupon: "sBig"}},
			map[string][]string{"total": {"125.00"},
				"sBig": {"a1=57.00", "a2=38.00", "store A=95.00"},
				"x":    {"a1=3.00", "a2=2.00", "b1=25.00", "store A=5.00", "store B=25.00"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Allocate(testCart(), w, tc.uses)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summary(a)); diff != "" {
				t.Errorf("allocation (-want +got):\n%s", diff)
			}
			if err := coupontest.CheckAllocation(testCart(), w, a); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCrossStoreApportionProperty: with the default policy a cross-store
// coupon's store shares are its discount split in proportion to the
// stores' list amounts, each within one fen of the exact share, unless a
// store is capped at what is left of it.
func TestCrossStoreApportionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sz := coupontest.Sizes{Stores: 3, Lines: 6, Coupons: 1, MaxAmount: 10000, Plain: true}
		cart := coupontest.Cart(sz).Draw(t, "cart")
		x := coupon.Coupon{ID: "x", Owner: cart.Buyer, Status: coupon.Available, Kind: coupon.CrossStore, Face: money.FromFen(rapid.Int64Range(1, 40000).Draw(t, "face"))}
		w := coupon.Wallet{Owner: cart.Buyer, Coupons: []coupon.Coupon{x}}
		a, err := coupon.New(coupon.Options{Clock: clock.NewManual(coupontest.Now)}).Allocate(cart, w, []coupon.Use{{Coupon: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		list := map[string]int64{}
		var total int64
		for _, l := range cart.Lines {
			list[l.Store] += toFen(l.Amount)
			total += toFen(l.Amount)
		}
		disc := toFen(a.Total)
		for _, s := range a.Coupons[0].Stores {
			got := toFen(s.Amount)
			if total == 0 {
				if got != 0 {
					t.Fatalf("store %s: share %d fen of nothing", s.Store, got)
				}
				continue
			}
			// exact share disc*list/total, rounded down or up
			lo := disc * list[s.Store] / total
			if got != lo && got != lo+1 {
				t.Fatalf("store %s: share %d fen, exact share %d*%d/%d", s.Store, got, disc, list[s.Store], total)
			}
		}
	})
}

// An ownerless coupon is nobody's: it is not usable by a cart that names
// no buyer either (CPN-1).
func TestOwnerlessCoupon(t *testing.T) {
	cart := coupon.Cart{Lines: []coupon.Line{{ID: "l", Store: "A", Item: "tea", Amount: d("10")}}}
	w := coupon.Wallet{Coupons: []coupon.Coupon{{ID: "g", Kind: coupon.General, Face: d("5"), Status: coupon.Available}}}
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	err := e.Check(cart, w, []coupon.Use{{Coupon: "g"}})
	if !errors.Is(err, coupon.ErrNotOwner) {
		t.Errorf("Check of an ownerless coupon for a buyerless cart: %v, want ErrNotOwner (CPN-1)", err)
	}
	if ch, _ := e.Best(cart, w); len(ch.Uses) != 0 {
		t.Errorf("Best used an ownerless coupon: %v", ch.Uses)
	}
}

// TestChoiceJSONRoundTrip: a Choice stored as JSON and read back keeps
// every left-out reason's rule and sentinel.
func TestChoiceJSONRoundTrip(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	ch, err := e.Best(testCart(), testWallet())
	if err != nil {
		t.Fatal(err)
	}
	b := mustJSON(t, ch)
	var back coupon.Choice
	if err := json.Unmarshal([]byte(b), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, mustJSON(t, back)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(leftOut(ch), leftOut(back), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("left-out reasons after the round trip (-want +got):\n%s", diff)
	}
	if !slices.ContainsFunc(back.LeftOut, func(v coupon.Violation) bool { return errors.Is(v.Err, coupon.ErrExpired) }) {
		t.Errorf("errors.Is(ErrExpired) lost in the round trip")
	}
}

func toFen(x decimal.Decimal) int64 {
	f, err := money.ToFen(x)
	if err != nil {
		panic(err)
	}
	return f
}
