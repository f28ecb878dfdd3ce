package coupon_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestDefaultPolicy(t *testing.T) {
	rulestest.Test(t, coupon.DefaultPolicy())
	p, err := coupon.ReadPolicy(coupon.DefaultPolicy().Latest())
	if err != nil {
		t.Fatal(err)
	}
	got := []int{p.MaxGeneral, p.MaxShop, p.MaxTargetedFree, p.MaxTargetedThreshold, p.MaxCrossStore}
	if diff := cmp.Diff([]int{1, 1, 200, 1, 1}, got); diff != "" {
		t.Errorf("counts (CPN-3, CPN-5) (-want +got):\n%s", diff)
	}
	// Every threshold names its rule ID.
	for _, d := range coupon.Schema().Decls() {
		if d.Rule == "" {
			t.Errorf("%s has no rule", d.Name)
		}
	}
}

// TestPolicyOverride shows a host allowing general and targeted coupons
// together (overriding CPN-2's default) with an override file.
func TestPolicyOverride(t *testing.T) {
	fsys := fstest.MapFS{"host.yaml": {Data: []byte(`policy: coupon
version: 2023-07-23
zone: Asia/Shanghai
thresholds:
  general_with_targeted:
    rule: CPN-2
    doc: This mall lets a general coupon join targeted ones.
    expr: 'true'
tests:
  - name: general and targeted combine here
    input: {}
    want: {general_with_targeted: true}
`)}}
	set, err := coupon.DefaultPolicy().Override(fsys, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rulestest.Test(t, set)
	e := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(t0)})
	if err := e.Check(testCart(), testWallet(), []coupon.Use{{Coupon: "g1", Store: "A"}, {Coupon: "tf"}}); err != nil {
		t.Errorf("override ignored: %v", err)
	}
}

func TestBadPolicyValue(t *testing.T) {
	set, err := coupon.DefaultPolicy().OverrideExpr("threshold_base", `"after_everything"`)
	if err != nil {
		t.Fatal(err)
	}
	e := coupon.New(coupon.Options{Policy: set, Clock: clock.NewManual(t0)})
	if _, err := e.Best(testCart(), testWallet()); !errors.Is(err, coupon.ErrPolicy) {
		t.Errorf("Best with a bad threshold_base: %v", err)
	}
}
