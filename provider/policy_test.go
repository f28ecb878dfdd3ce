package provider

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestDefaultPolicy(t *testing.T) { rulestest.Test(t, DefaultPolicy()) }

func TestCheckPolicy(t *testing.T) {
	if err := CheckPolicy(DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, expr string }{
		{"objection_period", `duration("-1s")`},
		{"record_window", `duration("-24h")`},
		{"low_price", `decimal("0.001")`},
		{"low_price", `decimal("-1")`},
	} {
		set, err := DefaultPolicy().OverrideExpr(tc.name, tc.expr)
		if err != nil {
			// package rules refuses a negative window itself
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("%s = %s: %v", tc.name, tc.expr, err)
			}
			continue
		}
		if err := CheckPolicy(set); !errors.Is(err, ErrPolicy) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s = %s: %v", tc.name, tc.expr, err)
		}
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s = %s: New did not panic", tc.name, tc.expr)
				}
			}()
			New(Options{Policy: set})
		}()
	}
}

func TestNewForeignPolicy(t *testing.T) {
	other := rules.MustSchema("other", rules.Decl{Name: "x", Rule: "ORD-1", Type: rules.Bool})
	set, err := rules.Load(other, mapFS("policy: other\nversion: 2020-01-01\nzone: UTC\nthresholds:\n  x: {rule: ORD-1, expr: 'true'}\n"), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		want := `provider: New: Options.Policy is a set of policy "other", not loaded against provider.Schema()`
		if r := recover(); r != want {
			t.Errorf("panic %v, want %q", r, want)
		}
	}()
	New(Options{Policy: set})
}

// TestCatalogue: one entry per rule PRV-1 … PRV-14, with the thresholds
// whose rule is that ID.
func TestCatalogue(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	cat := Catalogue()
	if len(cat) != 14 {
		t.Fatalf("%d entries", len(cat))
	}
	for i, r := range cat {
		if want := "PRV-" + itoa(i+1); r.ID != want || r.Source == "" || r.Rule == "" {
			t.Errorf("entry %d: %+v", i, r)
		}
		got := slices.Clone(r.Thresholds)
		want := byRule[r.ID]
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s thresholds (-want +got):\n%s", r.ID, diff)
		}
	}
}
