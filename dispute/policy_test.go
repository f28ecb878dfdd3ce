package dispute

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestPolicyFile(t *testing.T) {
	rulestest.Test(t, DefaultPolicy())
	if err := CheckPolicy(DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
}

func TestPolicyVersions(t *testing.T) {
	var dates []string
	for _, v := range DefaultPolicy().Versions() {
		dates = append(dates, v.Date())
		if v.Zone().String() != "Asia/Shanghai" {
			t.Errorf("%s: zone %v", v.Date(), v.Zone())
		}
	}
	if diff := cmp.Diff([]string{"2018-12-29", "2023-07-23"}, dates); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
}

// Catalogue's Thresholds are exactly the thresholds of each rule.
func TestCatalogueThresholds(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	var ids []string
	for _, r := range Catalogue() {
		ids = append(ids, r.ID)
		got := slices.Clone(r.Thresholds)
		want := byRule[r.ID]
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s thresholds (-want +got):\n%s", r.ID, diff)
		}
		if r.Source == "" || r.Rule == "" {
			t.Errorf("%s: no source or rule", r.ID)
		}
	}
	want := []string{"DSP-1", "DSP-2", "DSP-3", "DSP-4", "DSP-5", "DSP-6", "DSP-7", "DSP-8", "DSP-9", "DSP-10", "DSP-11", "DSP-12"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("catalogue IDs (-want +got):\n%s", diff)
	}
}

func TestCheckPolicy(t *testing.T) {
	tests := []struct{ name, expr string }{
		{"day3_end", `duration("47h")`},
		{"record_window", `days(4000)`},
		{"record_window", `duration("240h")`},
		{"complaint_types", `["Product"]`},
		{"report_routed", `["ip"]`},
	}
	for _, tt := range tests {
		set, err := DefaultPolicy().OverrideExpr(tt.name, tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := CheckPolicy(set); !errors.Is(err, ErrPolicy) {
			t.Errorf("%s = %s: CheckPolicy %v, want ErrPolicy", tt.name, tt.expr, err)
		}
	}
	if err := CheckPolicy(nil); !errors.Is(err, ErrPolicy) {
		t.Errorf("CheckPolicy(nil) = %v", err)
	}
}

func TestLoadPolicy(t *testing.T) {
	src, _ := policyFS.ReadFile("policy/dispute.yaml")
	fsys := fstest.MapFS{"d.yaml": {Data: src}}
	if _, err := LoadPolicy(fsys, "*.yaml"); err != nil {
		t.Fatal(err)
	}
	bad := fstest.MapFS{"d.yaml": {Data: src}, "e.yaml": {Data: []byte("policy: dispute\nversion: 2020-01-01\nthresholds:\n  day3_end: 'duration(\"1h\")'\n")}}
	if _, err := LoadPolicy(bad, "*.yaml"); !errors.Is(err, ErrPolicy) {
		t.Errorf("LoadPolicy with day3_end 1h: %v, want ErrPolicy", err)
	}
}

func TestNewPanicsOnForeignPolicy(t *testing.T) {
	other := rules.MustSchema("other", rules.Decl{Name: "x", Rule: "X-1", Type: rules.Bool})
	set, err := rules.Load(other, fstest.MapFS{"o.yaml": {Data: []byte("policy: other\nversion: 2024-01-01\nthresholds:\n  x: 'true'\n")}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		want := `dispute: New: Options.Policy is a set of policy "other", not loaded against dispute.Schema()`
		if r := recover(); r != want {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	New(Options{Policy: set})
}
