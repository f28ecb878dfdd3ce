package coupon_test

import (
	"encoding/json"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/coupon/coupontest"
	"github.com/tradepolicy/tradepolicy/rules"
)

// redemption is a checkout at t0 that used a (expiring a day later) and
// b (never expiring) in o1, x (cross-store) over o1 and o2, and c in o9.
func redemption() coupon.Redemption {
	at := t0.UTC()
	return coupon.Redemption{Version: "2023-07-23", At: at, Coupons: []coupon.Redeemed{
		{Coupon: "a", Kind: coupon.General, ValidUntil: at.Add(24 * time.Hour), Orders: []string{"o1"}},
		{Coupon: "b", Kind: coupon.Shop, Orders: []string{"o1"}},
		{Coupon: "x", Kind: coupon.CrossStore, ValidUntil: at.Add(48 * time.Hour), Orders: []string{"o1", "o2"}},
		{Coupon: "c", Kind: coupon.General, ValidUntil: at.Add(48 * time.Hour), Orders: []string{"o9"}},
	}}
}

func released(r coupon.Redemption) map[string][]string {
	out := map[string][]string{}
	for _, c := range r.Coupons {
		out[c.Coupon] = c.Released
	}
	return out
}

func TestGiveBack(t *testing.T) {
	day := t0.UTC().Add(24 * time.Hour)
	o1 := map[string][]string{"a": {"o1"}, "b": {"o1"}, "x": {"o1"}, "c": nil}
	none := map[string][]string{"a": nil, "b": nil, "x": nil, "c": nil}
	tests := []struct {
		name     string
		at       time.Time
		reason   coupon.Reason
		order    string
		released map[string][]string
		effects  []coupon.Effect
	}{
		{"cancel gives every coupon of the order back (CPN-7)", t0, coupon.Cancel, "o1", o1,
			[]coupon.Effect{{ID: 1, At: t0.UTC(), Rule: "CPN-7", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.Cancel,
				Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: true}, {Coupon: "b", Usable: true}}}}}},
		{"full refund gives them back (CPN-6)", t0, coupon.FullRefund, "o1", o1,
			[]coupon.Effect{{ID: 1, At: t0.UTC(), Rule: "CPN-6", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.FullRefund,
				Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: true}, {Coupon: "b", Usable: true}}}}}},
		{"partial refund gives none back (CPN-6)", t0, coupon.PartialRefund, "o1", none, nil},
		{"an order that used no coupon gives nothing", t0, coupon.Cancel, "o5", none, nil},
		{"given back at its expiry instant: unusable (CPN-7)", day, coupon.Cancel, "o1", o1,
			[]coupon.Effect{{ID: 1, At: day, Rule: "CPN-7", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.Cancel,
				Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: false}, {Coupon: "b", Usable: true}}}}}},
		{"given back one second after its expiry: unusable (CPN-7)", day.Add(time.Second), coupon.FullRefund, "o1", o1,
			[]coupon.Effect{{ID: 1, At: day.Add(time.Second), Rule: "CPN-6", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.FullRefund,
				Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: false}, {Coupon: "b", Usable: true}}}}}},
		{"given back one second before its expiry: usable again (CPN-7)", day.Add(-time.Second), coupon.Cancel, "o1", o1,
			[]coupon.Effect{{ID: 1, At: day.Add(-time.Second), Rule: "CPN-7", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.Cancel,
				Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: true}, {Coupon: "b", Usable: true}}}}}},
	}
	e := coupon.New(coupon.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := redemption()
			res, err := e.GiveBack(in, tc.order, tc.reason, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.released, released(res.Redemption)); diff != "" {
				t.Errorf("released (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.effects, res.Effects); diff != "" {
				t.Errorf("effects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(redemption(), in); diff != "" {
				t.Errorf("input modified (-want +got):\n%s", diff)
			}
			if len(res.Decisions) == 0 && tc.order == "o1" {
				t.Errorf("no decision")
			}
			// Never twice: the same cancel or refund again, even at
			// another instant or for another reason, gives nothing.
			for _, why := range []coupon.Reason{coupon.Cancel, coupon.FullRefund, tc.reason} {
				again, err := e.GiveBack(res.Redemption, tc.order, why, tc.at.Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Effects) > 0 && len(again.Effects) != 0 {
					t.Errorf("second give-back (%s) gave %v", why, again.Effects)
				}
			}
			assertRoundTrip(t, res)
		})
	}
}

func assertRoundTrip(t *testing.T, res coupon.GiveBackResult) {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	back, err := coupon.DecodeGiveBackResult(b)
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(res, back); diff != "" {
		t.Errorf("result JSON round trip (-want +got):\n%s", diff)
	}
}

func TestGiveBackCrossStoreAfterEveryOrder(t *testing.T) {
	e := coupon.New(coupon.Options{})
	r := redemption()
	r1, _ := e.GiveBack(r, "o2", coupon.FullRefund, t0)
	if len(r1.Effects) != 0 {
		t.Fatalf("x given back while o1 keeps it: %v", r1.Effects)
	}
	r2, _ := e.GiveBack(r1.Redemption, "o2", coupon.Cancel, t0)
	if len(r2.Effects) != 0 {
		t.Fatalf("o2 released twice: %v", r2.Effects)
	}
	r3, err := e.GiveBack(r2.Redemption, "o1", coupon.Cancel, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []coupon.Effect{{ID: 1, At: t0.UTC().Add(time.Hour), Rule: "CPN-7", Act: coupon.GiveBackCoupons{Order: "o1", Reason: coupon.Cancel,
		Coupons: []coupon.ReturnedCoupon{{Coupon: "a", Usable: true}, {Coupon: "b", Usable: true}, {Coupon: "x", Usable: true}}}}}
	if diff := cmp.Diff(want, r3.Effects); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	// A partial refund of o1 first releases nothing.
	p, _ := e.GiveBack(r, "o1", coupon.PartialRefund, t0)
	if diff := cmp.Diff(r, p.Redemption); diff != "" {
		t.Errorf("partial refund changed the redemption (-want +got):\n%s", diff)
	}
}

func TestGiveBackRefusesInvalid(t *testing.T) {
	e := coupon.New(coupon.Options{})
	r := redemption()
	noVersion := redemption()
	noVersion.Version = ""
	local := redemption()
	local.At = t0
	twice := redemption()
	twice.Coupons[0].Released = []string{"o1", "o1"}
	for name, tc := range map[string]struct {
		r   coupon.Redemption
		why coupon.Reason
		at  time.Time
	}{
		"invalid reason":   {r, coupon.ReasonInvalid, t0},
		"reason past list": {r, coupon.Reason(9), t0},
		"zero instant":     {r, coupon.Cancel, time.Time{}},
		"before checkout":  {r, coupon.Cancel, t0.Add(-time.Second)},
		"no version":       {noVersion, coupon.Cancel, t0},
		"not UTC":          {local, coupon.Cancel, t0},
		"released twice":   {twice, coupon.Cancel, t0},
	} {
		res, err := e.GiveBack(tc.r, "o1", tc.why, tc.at)
		var re *rules.RuleError
		if !errors.Is(err, coupon.ErrInvalid) || errors.As(err, &re) {
			t.Errorf("%s: %v, want a plain ErrInvalid error", name, err)
		}
		if diff := cmp.Diff(tc.r, res.Redemption); diff != "" || len(res.Effects) > 0 {
			t.Errorf("%s: result changed (-want +got):\n%s", name, diff)
		}
	}
	if _, err := coupon.MarkUsed(coupon.Coupon{ID: "g", Status: coupon.Available}); !errors.Is(err, coupon.ErrInvalid) {
		t.Errorf("MarkUsed without orders: %v", err)
	}
	u, _ := coupon.MarkUsed(coupon.Coupon{ID: "g", Status: coupon.Available}, "o1")
	if _, err := coupon.MarkUsed(u, "o3"); !errors.Is(err, coupon.ErrNotAvailable) {
		t.Errorf("MarkUsed of a used coupon: %v", err)
	}
}

// TestGiveBackPinnedVersion: a give-back is judged by the version in
// force at checkout, recorded on the redemption, not by the version in
// force when it happens, and not by a version a reloaded set inserts
// before the checkout; a version the set no longer holds is refused.
func TestGiveBackPinnedVersion(t *testing.T) {
	version := func(date string) fstest.MapFS {
		return fstest.MapFS{"v.yaml": {Data: []byte("policy: coupon\nversion: " + date + "\nzone: Asia/Shanghai\nthresholds:\n" +
			"  give_back_on_full_refund:\n    rule: CPN-6\n    doc: This mall keeps coupons on refunds.\n    expr: 'false'\n")}}
	}
	later, err := coupon.DefaultPolicy().Override(version("2024-06-01"), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := coupon.New(coupon.Options{Policy: later})
	a, err := e.AllocateAt(testCart(), testWallet(), []coupon.Use{{Coupon: "g1", Store: "B"}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Redemption()
	if r.Version != "2023-07-23" || !r.At.Equal(t0) {
		t.Fatalf("redemption pinned %s at %v", r.Version, r.At)
	}
	july := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	res, err := e.GiveBack(r, "B", coupon.FullRefund, july)
	if err != nil || len(res.Effects) != 1 {
		t.Errorf("refund in July under the checkout's version: %v, effects %v", err, res.Effects)
	}
	// A checkout in July is judged by the July version: no give-back.
	w := testWallet()
	for i := range w.Coupons {
		w.Coupons[i].ValidUntil = time.Time{}
	}
	a2, err := e.AllocateAt(testCart(), w, []coupon.Use{{Coupon: "g1", Store: "B"}}, july)
	if err != nil {
		t.Fatal(err)
	}
	res2, _ := e.GiveBack(a2.Redemption(), "B", coupon.FullRefund, july)
	if a2.Version != "2024-06-01" || len(res2.Effects) != 0 {
		t.Errorf("July checkout pinned %s gave %v", a2.Version, res2.Effects)
	}
	// Reloaded with a version inserted before the checkout: the pinned
	// one still judges.
	inserted, err := later.Override(version("2024-01-01"), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := inserted.In(t0).Date(); got != "2024-01-01" {
		t.Fatalf("inserted version not in force at checkout: %s", got)
	}
	res3, err := coupon.New(coupon.Options{Policy: inserted}).GiveBack(r, "B", coupon.FullRefund, july)
	if err != nil || len(res3.Effects) != 1 {
		t.Errorf("after the reload: %v, effects %v", err, res3.Effects)
	}
	gone := r
	gone.Version = "2022-01-01"
	if _, err := e.GiveBack(gone, "B", coupon.FullRefund, july); !errors.Is(err, coupon.ErrPolicy) || !errors.Is(err, rules.ErrUnknown) {
		t.Errorf("unknown pinned version: %v", err)
	}
}

// TestCheckoutToGiveBack runs a checkout through to a wallet: Best,
// the redemption, a cancel, and the act applied to the wallet, twice.
func TestCheckoutToGiveBack(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	w := testWallet()
	ch, err := e.Best(testCart(), w)
	if err != nil {
		t.Fatal(err)
	}
	r := ch.Allocation.Redemption()
	byID := map[string]int{}
	for i, c := range w.Coupons {
		byID[c.ID] = i
	}
	for _, rd := range r.Coupons {
		i := byID[rd.Coupon]
		if w.Coupons[i], err = coupon.MarkUsed(w.Coupons[i], rd.Orders...); err != nil {
			t.Fatal(err)
		}
	}
	res, err := e.GiveBack(r, "A", coupon.Cancel, t0.Add(time.Minute))
	if err != nil || len(res.Effects) != 1 {
		t.Fatalf("cancel of A: %v %v", err, res.Effects)
	}
	act := res.Effects[0].Act.(coupon.GiveBackCoupons)
	after := act.ApplyTo(w)
	status := map[string]coupon.Status{}
	for _, c := range after.Coupons {
		if c.Status != w.Coupons[byID[c.ID]].Status {
			status[c.ID] = c.Status
		}
	}
	if diff := cmp.Diff(map[string]coupon.Status{"tf": coupon.Available, "tt": coupon.Available, "sA": coupon.Available}, status); diff != "" {
		t.Errorf("wallet changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(after, act.ApplyTo(after)); diff != "" {
		t.Errorf("a redelivered act changed the wallet (-want +got):\n%s", diff)
	}
}

// TestGiveBackNeverTwice: any sequence of cancels and refunds gives each
// coupon back at most once, only when every order it was used in is
// released, usable exactly when before its expiry (CPN-6, CPN-7); effect
// IDs increase; every result round-trips through JSON.
func TestGiveBackNeverTwice(t *testing.T) {
	e := coupon.New(coupon.Options{})
	rapid.Check(t, func(t *rapid.T) {
		orders := []string{"o1", "o2", "o3"}
		r := coupontest.Redemption(orders).Draw(t, "redemption")
		if err := coupontest.CheckRedemption(r); err != nil {
			t.Fatal(err)
		}
		now := t0.UTC()
		returned := map[string]int{}
		var lastID uint64
		for range rapid.IntRange(0, 10).Draw(t, "steps") {
			why := rapid.SampledFrom([]coupon.Reason{coupon.Cancel, coupon.FullRefund, coupon.PartialRefund}).Draw(t, "reason")
			now = now.Add(time.Duration(rapid.IntRange(0, 3600).Draw(t, "dt")) * time.Second)
			order := rapid.SampledFrom(orders).Draw(t, "order")
			res, err := e.GiveBack(r, order, why, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, ef := range res.Effects {
				if ef.ID <= lastID || ef.ID != res.Redemption.Seq {
					t.Fatalf("effect ID %d after %d, seq %d", ef.ID, lastID, res.Redemption.Seq)
				}
				lastID = ef.ID
				for _, rc := range ef.Act.(coupon.GiveBackCoupons).Coupons {
					if returned[rc.Coupon]++; returned[rc.Coupon] > 1 {
						t.Fatalf("coupon %s given back twice", rc.Coupon)
					}
					for _, c := range res.Redemption.Coupons {
						if c.Coupon == rc.Coupon && (!c.Back() || rc.Usable != now.Before(c.ValidUntil)) {
							t.Fatalf("coupon %s returned at %v (usable %v), expiry %v, released %v", c.Coupon, now, rc.Usable, c.ValidUntil, c.Released)
						}
					}
				}
			}
			if why == coupon.PartialRefund && len(res.Effects) > 0 {
				t.Fatalf("a partial refund gave back %v", res.Effects)
			}
			for _, c := range res.Redemption.Coupons {
				if c.Back() != (returned[c.Coupon] == 1) {
					t.Fatalf("coupon %s: back %v, returned %d times", c.Coupon, c.Back(), returned[c.Coupon])
				}
			}
			if err := res.Redemption.Validate(); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(res.Redemption)
			back, err := coupon.DecodeRedemption(b)
			if err != nil || !cmp.Equal(back, res.Redemption) {
				t.Fatalf("redemption round trip: %v\n%s", err, b)
			}
			r = res.Redemption
		}
	})
}
