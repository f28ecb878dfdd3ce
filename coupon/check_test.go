package coupon_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/rules"
)

var (
	shanghai = clock.MustZone("Asia/Shanghai")
	t0       = time.Date(2024, 3, 8, 10, 0, 0, 0, shanghai)
	later    = t0.Add(10 * 24 * time.Hour)
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func testCart() coupon.Cart {
	return coupon.Cart{Buyer: "ann", Lines: []coupon.Line{
		{ID: "a1", Store: "A", Item: "tea", Category: "food", Amount: d("60.00")},
		{ID: "a2", Store: "A", Item: "cup", Category: "home", Amount: d("40.00")},
		{ID: "b1", Store: "B", Item: "book", Category: "books", Amount: d("50.00")},
	}}
}

func testWallet() coupon.Wallet {
	c := func(id string, k coupon.Kind, face, thr string) coupon.Coupon {
		return coupon.Coupon{ID: id, Owner: "ann", Status: coupon.Available, Kind: k, Face: d(face), Threshold: d(thr), ValidUntil: later}
	}
	g1 := c("g1", coupon.General, "10", "0")
	g2 := c("g2", coupon.General, "5", "0")
	tf := c("tf", coupon.Targeted, "8", "0")
	tf.Store, tf.Items = "A", []string{"tea"}
	tt := c("tt", coupon.Targeted, "15", "50")
	tt.Store, tt.Items = "A", []string{"tea"}
	tt2 := c("tt2", coupon.Targeted, "3", "10")
	tt2.Store, tt2.Categories = "A", []string{"home"}
	sA := c("sA", coupon.Shop, "20", "100")
	sA.Store = "A"
	sA2 := c("sA2", coupon.Shop, "5", "0")
	sA2.Store = "A"
	x := c("x", coupon.CrossStore, "30", "150")
	x2 := c("x2", coupon.CrossStore, "30", "151")
	other := c("other", coupon.General, "10", "0")
	other.Owner = "bob"
	frozen := c("frozen", coupon.General, "10", "0")
	frozen.Status = coupon.Frozen
	voided := c("voided", coupon.General, "10", "0")
	voided.Status = coupon.Voided
	old := c("old", coupon.General, "10", "0")
	old.ValidUntil = t0
	early := c("early", coupon.General, "10", "0")
	early.ValidFrom = t0.Add(time.Second)
	return coupon.Wallet{Owner: "ann", Coupons: []coupon.Coupon{g1, g2, tf, tt, tt2, sA, sA2, x, x2, other, frozen, voided, old, early}}
}

type viol struct {
	Coupon string
	Rule   string
	Err    error
}

func violations(err error) []viol {
	var ce *coupon.CheckError
	if !errors.As(err, &ce) {
		return nil
	}
	var out []viol
	for _, v := range ce.Violations {
		out = append(out, viol{v.Coupon, v.Err.Rule, v.Err.Err})
	}
	return out
}

func TestCheck(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	u := func(id, store string) coupon.Use { return coupon.Use{Coupon: id, Store: store} }
	tests := []struct {
		name string
		uses []coupon.Use
		want []viol
	}{
		{"general and shop combine (CPN-2)", []coupon.Use{u("g1", "A"), u("sA", "")}, nil},
		{"targeted and shop combine (CPN-2)", []coupon.Use{u("tf", ""), u("sA", "")}, nil},
		{"threshold-free and threshold targeted combine (CPN-3 reading)", []coupon.Use{u("tf", ""), u("tt", "")}, nil},
		{"cross-store and shop combine (CPN-5)", []coupon.Use{u("x", ""), u("sA", "")}, nil},
		{"general and targeted do not combine (CPN-2)", []coupon.Use{u("g1", "A"), u("tf", "")},
			[]viol{{"", "CPN-2", coupon.ErrIncompatible}}},
		{"general in another order than the targeted one is fine", []coupon.Use{u("g1", "B"), u("tf", "")}, nil},
		{"two shop coupons (CPN-3)", []coupon.Use{u("sA", ""), u("sA2", "")},
			[]viol{{"", "CPN-3", coupon.ErrTooMany}}},
		{"two general coupons in one order (CPN-3)", []coupon.Use{u("g1", "A"), u("g2", "A")},
			[]viol{{"", "CPN-3", coupon.ErrTooMany}}},
		{"two threshold targeted coupons (CPN-3)", []coupon.Use{u("tt", ""), u("tt2", "")},
			[]viol{{"", "CPN-3", coupon.ErrTooMany}}},
		{"cross-store and general (CPN-5)", []coupon.Use{u("x", ""), u("g1", "B")},
			[]viol{{"", "CPN-5", coupon.ErrIncompatible}}},
		{"cross-store and targeted (CPN-5)", []coupon.Use{u("x", ""), u("tf", "")},
			[]viol{{"", "CPN-5", coupon.ErrIncompatible}}},
		{"two cross-store coupons (CPN-5)", []coupon.Use{u("x", ""), u("x2", "")},
			[]viol{{"", "CPN-5", coupon.ErrTooMany}, {"x2", "CPN-5", coupon.ErrThresholdNotMet}}},
		{"cross-store threshold met across stores, not in one (CPN-5)", []coupon.Use{u("x", "")}, nil},
		{"cross-store threshold one fen short (CPN-5)", []coupon.Use{u("x2", "")},
			[]viol{{"x2", "CPN-5", coupon.ErrThresholdNotMet}}},
		{"threshold met exactly", []coupon.Use{u("sA", "")}, nil},
		{"targeted threshold judged on the targeted lines only (CPN-3)", []coupon.Use{u("tt", ""), u("tt2", "A")}[:1], nil},
		{"not the owner's (CPN-1)", []coupon.Use{u("other", "A")}, []viol{{"other", "CPN-1", coupon.ErrNotOwner}}},
		{"frozen (CPN-1)", []coupon.Use{u("frozen", "A")}, []viol{{"frozen", "CPN-1", coupon.ErrNotAvailable}}},
		{"voided (CPN-1)", []coupon.Use{u("voided", "A")}, []viol{{"voided", "CPN-1", coupon.ErrNotAvailable}}},
		{"expired at the instant (CPN-7)", []coupon.Use{u("old", "A")}, []viol{{"old", "CPN-7", coupon.ErrExpired}}},
		{"not yet valid one second before (CPN-7)", []coupon.Use{u("early", "A")}, []viol{{"early", "CPN-7", coupon.ErrNotYetValid}}},
		{"unknown coupon (CPN-1)", []coupon.Use{u("nope", "")}, []viol{{"nope", "CPN-1", coupon.ErrUnknownCoupon}}},
		{"same coupon twice (CPN-4)", []coupon.Use{u("tf", ""), u("tf", "")}, []viol{{"tf", "CPN-4", coupon.ErrDuplicate}}},
		{"general coupon must name its order in a two-store cart (CPN-4)", []coupon.Use{u("g1", "")},
			[]viol{{"g1", "CPN-4", coupon.ErrWrongOrder}}},
		{"shop coupon in another store (CPN-4)", []coupon.Use{u("sA", "B")}, []viol{{"sA", "CPN-4", coupon.ErrWrongOrder}}},
		{"every violation listed", []coupon.Use{u("other", "A"), u("g1", "A"), u("tf", ""), u("sA", ""), u("sA2", "")},
			[]viol{{"other", "CPN-1", coupon.ErrNotOwner}, {"", "CPN-3", coupon.ErrTooMany}, {"", "CPN-2", coupon.ErrIncompatible}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Check(testCart(), testWallet(), tc.uses)
			if diff := cmp.Diff(tc.want, violations(err), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("violations (-want +got):\n%s\nerror: %v", diff, err)
			}
			if (err == nil) != (tc.want == nil) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestCheckErrorsIs(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	err := e.Check(testCart(), testWallet(), []coupon.Use{{Coupon: "g1", Store: "A"}, {Coupon: "tf"}})
	if !errors.Is(err, coupon.ErrIncompatible) {
		t.Fatalf("errors.Is(%v, ErrIncompatible) = false", err)
	}
	var re *rules.RuleError
	if !errors.As(err, &re) || re.Rule != "CPN-2" {
		t.Fatalf("errors.As RuleError = %v", re)
	}
}

func TestThresholdBaseAfterShop(t *testing.T) {
	// CPN-4: the threshold base is a policy value. tt needs 50 on the tea
	// line (60); after the shop coupon sA (20 over 100, 12 on tea) the line
	// counts 48.
	set, err := coupon.DefaultPolicy().OverrideExpr("threshold_base", `"after_shop"`)
	if err != nil {
		t.Fatal(err)
	}
	uses := []coupon.Use{{Coupon: "tt"}, {Coupon: "sA"}}
	list := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	if err := list.Check(testCart(), testWallet(), uses); err != nil {
		t.Fatalf("list base: %v", err)
	}
	after := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(t0)})
	want := []viol{{"tt", "CPN-3", coupon.ErrThresholdNotMet}}
	if diff := cmp.Diff(want, violations(after.Check(testCart(), testWallet(), uses)), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("after_shop (-want +got):\n%s", diff)
	}
}

func TestMalformed(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	cart := testCart()
	cart.Lines[0].Amount = d("1.001")
	if err := e.Check(cart, testWallet(), nil); !errors.Is(err, coupon.ErrInvalid) {
		t.Errorf("fractional fen: %v", err)
	}
	w := testWallet()
	w.Coupons[1].ID = "g1"
	if err := e.Check(testCart(), w, nil); !errors.Is(err, coupon.ErrInvalid) {
		t.Errorf("duplicate coupon: %v", err)
	}
}
