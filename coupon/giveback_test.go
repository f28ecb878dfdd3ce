package coupon_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
)

func used(t *testing.T, id string, until time.Time, orders ...string) coupon.Coupon {
	t.Helper()
	c, err := coupon.MarkUsed(coupon.Coupon{ID: id, Owner: "ann", Kind: coupon.General, Face: d("5"), ValidUntil: until}, orders...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type backState struct {
	Status   coupon.Status
	Released []string
}

func states(cs []coupon.Coupon) map[string]backState {
	out := map[string]backState{}
	for _, c := range cs {
		out[c.ID] = backState{c.Status, c.Released}
	}
	return out
}

func TestGiveBack(t *testing.T) {
	tests := []struct {
		name         string
		at           time.Time
		reason       coupon.Reason
		order        string
		want         map[string]backState
		wantReturned []string
	}{
		{"cancel gives every coupon of the order back (CPN-7)", t0, coupon.Cancel, "o1",
			map[string]backState{"a": {coupon.Available, nil}, "b": {coupon.Available, nil}, "x": {coupon.Used, []string{"o1"}}, "c": {coupon.Used, nil}},
			[]string{"a", "b"}},
		{"full refund gives them back (CPN-6)", t0, coupon.FullRefund, "o1",
			map[string]backState{"a": {coupon.Available, nil}, "b": {coupon.Available, nil}, "x": {coupon.Used, []string{"o1"}}, "c": {coupon.Used, nil}},
			[]string{"a", "b"}},
		{"partial refund gives none back (CPN-6)", t0, coupon.PartialRefund, "o1",
			map[string]backState{"a": {coupon.Used, nil}, "b": {coupon.Used, nil}, "x": {coupon.Used, nil}, "c": {coupon.Used, nil}},
			[]string{}},
		{"given back at its expiry instant: unusable (CPN-7)", t0.Add(24 * time.Hour), coupon.Cancel, "o1",
			map[string]backState{"a": {coupon.Unusable, nil}, "b": {coupon.Available, nil}, "x": {coupon.Used, []string{"o1"}}, "c": {coupon.Used, nil}},
			[]string{"a", "b"}},
		{"given back one second after its expiry: unusable (CPN-7)", t0.Add(24*time.Hour + time.Second), coupon.FullRefund, "o1",
			map[string]backState{"a": {coupon.Unusable, nil}, "b": {coupon.Available, nil}, "x": {coupon.Used, []string{"o1"}}, "c": {coupon.Used, nil}},
			[]string{"a", "b"}},
		{"given back one second before its expiry: usable again (CPN-7)", t0.Add(24*time.Hour - time.Second), coupon.Cancel, "o1",
			map[string]backState{"a": {coupon.Available, nil}, "b": {coupon.Available, nil}, "x": {coupon.Used, []string{"o1"}}, "c": {coupon.Used, nil}},
			[]string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := []coupon.Coupon{
				used(t, "a", t0.Add(24*time.Hour), "o1"),
				used(t, "b", time.Time{}, "o1"),
				used(t, "x", t0.Add(48*time.Hour), "o1", "o2"), // cross-store over two orders
				used(t, "c", t0.Add(48*time.Hour), "o9"),
			}
			e := coupon.New(coupon.Options{Clock: clock.NewManual(tc.at)})
			res, err := e.GiveBack(in, tc.order, tc.reason)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, states(res.Coupons)); diff != "" {
				t.Errorf("coupons (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantReturned, res.Returned); diff != "" {
				t.Errorf("returned (-want +got):\n%s", diff)
			}
			if in[0].Status != coupon.Used {
				t.Errorf("input modified")
			}
			// Never twice.
			again, _ := e.GiveBack(res.Coupons, tc.order, tc.reason)
			if len(again.Returned) != 0 || !cmp.Equal(states(res.Coupons), states(again.Coupons)) {
				t.Errorf("second give-back returned %v", again.Returned)
			}
		})
	}
}

func TestGiveBackCrossStoreAfterEveryOrder(t *testing.T) {
	e := coupon.New(coupon.Options{Clock: clock.NewManual(t0)})
	in := []coupon.Coupon{used(t, "x", time.Time{}, "o1", "o2")}
	r1, _ := e.GiveBack(in, "o1", coupon.FullRefund)
	r2, _ := e.GiveBack(r1.Coupons, "o2", coupon.Cancel)
	if diff := cmp.Diff([]string{"x"}, r2.Returned); diff != "" || r2.Coupons[0].Status != coupon.Available {
		t.Errorf("returned (-want +got):\n%s status %v", diff, r2.Coupons[0].Status)
	}
	if _, err := e.GiveBack(in, "o1", coupon.ReasonInvalid); !errors.Is(err, coupon.ErrInvalid) {
		t.Errorf("invalid reason: %v", err)
	}
	if _, err := coupon.MarkUsed(r2.Coupons[0]); err == nil {
		t.Errorf("MarkUsed without orders accepted")
	}
	if _, err := coupon.MarkUsed(in[0], "o3"); !errors.Is(err, coupon.ErrNotAvailable) {
		t.Errorf("MarkUsed of a used coupon: %v", err)
	}
}

// TestGiveBackIdempotent: any sequence of give-backs returns each coupon
// at most once per use (CPN-6, CPN-7).
func TestGiveBackIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		orders := []string{"o1", "o2", "o3"}
		var cs []coupon.Coupon
		for i := range rapid.IntRange(1, 4).Draw(t, "n") {
			ords := rapid.SliceOfNDistinct(rapid.SampledFrom(orders), 1, 3, func(s string) string { return s }).Draw(t, "orders")
			c, _ := coupon.MarkUsed(coupon.Coupon{ID: string(rune('a' + i)), Owner: "ann", Kind: coupon.CrossStore, Face: d("1"),
				ValidUntil: t0.Add(time.Duration(rapid.IntRange(-2, 2).Draw(t, "h")) * time.Hour)}, ords...)
			cs = append(cs, c)
		}
		m := clock.NewManual(t0)
		e := coupon.New(coupon.Options{Clock: m})
		returned := map[string]int{}
		for range rapid.IntRange(0, 10).Draw(t, "steps") {
			r := rapid.SampledFrom([]coupon.Reason{coupon.Cancel, coupon.FullRefund, coupon.PartialRefund}).Draw(t, "reason")
			m.Advance(time.Duration(rapid.IntRange(0, 3600).Draw(t, "dt")) * time.Second)
			res, err := e.GiveBack(cs, rapid.SampledFrom(orders).Draw(t, "order"), r)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range res.Returned {
				returned[id]++
				if returned[id] > 1 {
					t.Fatalf("coupon %s given back twice", id)
				}
			}
			for i, c := range res.Coupons {
				if c.Status == coupon.Unusable && m.Now().Before(c.ValidUntil) {
					t.Fatalf("coupon %s unusable before its expiry", c.ID)
				}
				if contains(res.Returned, c.ID) && (c.Status == coupon.Unusable) != !m.Now().Before(c.ValidUntil) {
					t.Fatalf("coupon %s returned at %s, expiry %s: status %s", c.ID, m.Now(), c.ValidUntil, c.Status)
				}
				if contains(res.Unusable, c.ID) != (c.Status == coupon.Unusable && contains(res.Returned, c.ID)) {
					t.Fatalf("coupon %s: Unusable list %v disagrees with status %s", c.ID, res.Unusable, c.Status)
				}
				if c.Status != coupon.Used && cs[i].Status == coupon.Used && !contains(res.Returned, c.ID) {
					t.Fatalf("coupon %s changed without being returned", c.ID)
				}
			}
			cs = res.Coupons
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
