package coupon_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/rules"
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

// TestBadPolicyValue: a value the package cannot use is an error of the
// load path (CheckPolicy), and New panics on it; a foreign set panics in
// New with the library's one message.
func TestBadPolicyValue(t *testing.T) {
	set, err := coupon.DefaultPolicy().OverrideExpr("threshold_base", `"after_everything"`)
	if err != nil {
		t.Fatal(err)
	}
	if err := coupon.CheckPolicy(set); !errors.Is(err, coupon.ErrPolicy) || !strings.Contains(err.Error(), "threshold_base") {
		t.Errorf("CheckPolicy with a bad threshold_base: %v", err)
	}
	if err := coupon.CheckPolicy(coupon.DefaultPolicy()); err != nil {
		t.Errorf("CheckPolicy(default): %v", err)
	}
	neg, _ := coupon.DefaultPolicy().OverrideExpr("max_shop", "-1")
	if err := coupon.CheckPolicy(neg); !errors.Is(err, coupon.ErrPolicy) {
		t.Errorf("CheckPolicy with a negative count: %v", err)
	}
	other := rules.MustSchema("other", rules.Decl{Name: "x", Rule: "OTH-1", Type: rules.Bool})
	foreign, err := rules.Load(other, fstest.MapFS{"o.yaml": {Data: []byte("policy: other\nversion: 2023-07-23\nthresholds:\n  x:\n    rule: OTH-1\n    expr: 'true'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := coupon.CheckPolicy(foreign); !errors.Is(err, coupon.ErrPolicy) {
		t.Errorf("CheckPolicy of a foreign set: %v", err)
	}
	for name, tc := range map[string]struct {
		set  *rules.Set
		want string
	}{
		"bad value": {set, `coupon: New: Options.Policy: coupon policy version 2023-07-23: coupon: unusable policy: threshold_base = "after_everything", want "list" or "after_shop" (CPN-4)`},
		"foreign":   {foreign, `coupon: New: Options.Policy is a set of policy "other", not loaded against coupon.Schema()`},
	} {
		func() {
			defer func() {
				if got := recover(); got != tc.want {
					t.Errorf("%s: New panicked with %v, want %q", name, got, tc.want)
				}
			}()
			coupon.New(coupon.Options{Policy: tc.set, Clock: clock.NewManual(t0)})
		}()
	}
}
