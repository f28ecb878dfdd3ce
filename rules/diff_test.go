package rules_test

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/tradepolicy/tradepolicy/rules"
)

var diffSchema = rules.MustSchema("store",
	rules.Decl{Name: "auto_confirm", Rule: "STO-1", Type: rules.Window},
	rules.Decl{Name: "max_coupons", Rule: "STO-2", Type: rules.Int},
	rules.Decl{Name: "payment_timeout", Rule: "STO-3", Type: rules.Window,
		Inputs: []rules.Input{{Name: "order.limit", Type: rules.Duration}}},
)

func diffBase(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load(diffSchema, fstest.MapFS{
		"store-2018.yaml": {Data: []byte("policy: store\nversion: 2018-12-29\nzone: Asia/Shanghai\nthresholds:\n" +
			"  auto_confirm: days(10)\n  max_coupons: '2'\n  payment_timeout: 'duration(\"24h\")'\n")},
		"store-2023.yaml": {Data: []byte("policy: store\nversion: 2023-07-23\nzone: Asia/Shanghai\nthresholds:\n" +
			"  auto_confirm: duration(\"240h\")\n  max_coupons: '2'\n  payment_timeout: 'duration(\"24h\")'\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestDiff(t *testing.T) {
	base := diffBase(t)
	host, err := base.Override(fstest.MapFS{
		// Every version: max_coupons written again with spaces (no
		// change), then as another expression of the same value.
		"all.yaml": {Data: []byte("policy: store\nthresholds:\n  max_coupons: '1 + 1'\n")},
		// One version: a window and a threshold that reads an input.
		"v2023.yaml": {Data: []byte("policy: store\nversion: 2023-07-23\nthresholds:\n" +
			"  auto_confirm: duration(\"48h\")\n" +
			"  payment_timeout: 'order.limit > duration(\"0s\") ? order.limit : duration(\"24h\")'\n")},
		// An added version, in another zone.
		"v2025.yaml": {Data: []byte("policy: store\nversion: 2025-01-01\nzone: UTC\nthresholds:\n  auto_confirm: days(7)\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	coupons := func(src string) rules.Change {
		return rules.Change{Threshold: "max_coupons", Rule: "STO-2",
			From: rules.Definition{Expr: "2", Value: "2", Source: src},
			To:   rules.Definition{Expr: "1 + 1", Value: "2", Source: "all.yaml:3:17"}}
	}
	want := []rules.VersionDiff{
		{Version: "2018-12-29", Base: "2018-12-29", FromZone: "Asia/Shanghai", ToZone: "Asia/Shanghai",
			Changes: []rules.Change{coupons("store-2018.yaml:6:17")}},
		{Version: "2023-07-23", Base: "2023-07-23", FromZone: "Asia/Shanghai", ToZone: "Asia/Shanghai",
			Changes: []rules.Change{
				{Threshold: "auto_confirm", Rule: "STO-1",
					From: rules.Definition{Expr: `duration("240h")`, Value: "240h", Source: "store-2023.yaml:5:17"},
					To:   rules.Definition{Expr: `duration("48h")`, Value: "48h", Source: "v2023.yaml:4:17"}},
				coupons("store-2023.yaml:6:17"),
				{Threshold: "payment_timeout", Rule: "STO-3",
					From: rules.Definition{Expr: `duration("24h")`, Source: "store-2023.yaml:7:21"},
					To:   rules.Definition{Expr: `order.limit > duration("0s") ? order.limit : duration("24h")`, Source: "v2023.yaml:5:21"}},
			}},
		{Version: "2025-01-01", Base: "2023-07-23", Added: true, FromZone: "Asia/Shanghai", ToZone: "UTC",
			Changes: []rules.Change{
				{Threshold: "auto_confirm", Rule: "STO-1",
					From: rules.Definition{Expr: `duration("240h")`, Value: "240h", Source: "store-2023.yaml:5:17"},
					To:   rules.Definition{Expr: "days(7)", Value: "days(7)", Source: "v2025.yaml:5:17"}},
				// The added version inherits 2023-07-23 of the
				// effective set, so it changes what that one changes.
				coupons("store-2023.yaml:6:17"),
				{Threshold: "payment_timeout", Rule: "STO-3",
					From: rules.Definition{Expr: `duration("24h")`, Source: "store-2023.yaml:7:21"},
					To:   rules.Definition{Expr: `order.limit > duration("0s") ? order.limit : duration("24h")`, Source: "v2023.yaml:5:21"}},
			}},
	}
	got := rules.Diff(base, host)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if len(got) == 3 {
		if c := got[0].Changes[0]; !c.SameValue() {
			t.Errorf("%s: not the same value", c.Threshold)
		}
		if c := got[1].Changes[0]; c.SameValue() {
			t.Errorf("%s: the same value", c.Threshold)
		}
		if c := got[1].Changes[2]; c.SameValue() {
			t.Errorf("%s reads an input: no value to be the same", c.Threshold)
		}
		if got[0].ZoneChanged() || !got[2].ZoneChanged() {
			t.Errorf("zone changed: %t, %t", got[0].ZoneChanged(), got[2].ZoneChanged())
		}
	}
}

func TestDiffNoChange(t *testing.T) {
	base := diffBase(t)
	same, err := base.Override(fstest.MapFS{
		"same.yaml": {Data: []byte("policy: store\nversion: 2023-07-23\nthresholds:\n  max_coupons: ' 2 '\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*rules.Set{"itself": base, "the same expression": same} {
		if got := rules.Diff(base, s); got != nil {
			t.Errorf("%s: %+v", name, got)
		}
	}
	if got := rules.Diff(nil, base); got != nil {
		t.Errorf("nil base: %+v", got)
	}
	if got := rules.Diff(base, nil); got != nil {
		t.Errorf("nil effective: %+v", got)
	}
}

// A host overrides one threshold of one version and lists what that
// changes against the defaults.
func ExampleDiff() {
	schema := rules.MustSchema("shop",
		rules.Decl{Name: "auto_confirm", Rule: "SHP-1", Type: rules.Window})
	defaults, err := rules.Load(schema, fstest.MapFS{"shop.yaml": {Data: []byte(
		"policy: shop\nversion: 2023-07-23\nthresholds:\n  auto_confirm: duration(\"240h\")\n")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	host, err := defaults.Override(fstest.MapFS{"host.yaml": {Data: []byte(
		"policy: shop\nthresholds:\n  auto_confirm: days(7)\n")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, vd := range rules.Diff(defaults, host) {
		fmt.Println("version", vd.Version, "against", vd.Base)
		for _, c := range vd.Changes {
			fmt.Printf("  %s (%s): %s -> %s (%s)\n", c.Threshold, c.Rule, c.From.Value, c.To.Value, c.To.Source)
		}
	}
	// Output:
	// version 2023-07-23 against 2023-07-23
	//   auto_confirm (SHP-1): 240h -> days(7) (host.yaml:3:17)
}
