package rules_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// A case with skip: is checked at load but not run: its expectations come
// back skipped with the reason, even one that would fail; the others run.
func TestSkippedCase(t *testing.T) {
	const override = `policy: shop
version: 2024-01-01
thresholds:
  max_coupons: '3'
tests:
  - name: wrong on purpose
    skip: waits for the 2025 revision
    want: {max_coupons: 9, enabled: false}
  - name: three coupons
    want: {max_coupons: 3}
`
	set, err := loadTest(t).Override(fstest.MapFS{"host.yaml": {Data: []byte(override)}}, "host.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Case, Threshold, Skip string
		Skipped, Passed       bool
		Got                   string
	}
	var got []row
	for _, r := range set.RunTests() {
		if r.File == "host.yaml" {
			got = append(got, row{r.Case, r.Threshold, r.Skip, r.Skipped, r.Passed(), r.Got})
		}
	}
	want := []row{
		{"wrong on purpose", "max_coupons", "waits for the 2025 revision", true, true, ""},
		{"wrong on purpose", "enabled", "waits for the 2025 revision", true, true, ""},
		{"three coupons", "max_coupons", "", false, true, "3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// A skipped case is still checked when the file loads; an empty reason
// is a load error at the value's position.
func TestSkippedCaseLoadErrors(t *testing.T) {
	for _, c := range []struct {
		name, tests string
		line, col   int
		sentinel    error
	}{
		{"empty", "  - name: a\n    skip: ''\n    want: {max_coupons: 2}\n", 7, 11, rules.ErrValue},
		{"null", "  - name: a\n    skip:\n    want: {max_coupons: 2}\n", 7, 10, rules.ErrValue},
		{"unknown threshold", "  - name: a\n    skip: later\n    want: {max_coupon: 2}\n", 8, 12, rules.ErrUnknown},
		{"bad value", "  - name: a\n    skip: later\n    want: {max_coupons: two}\n", 8, 25, rules.ErrValue},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "policy: shop\nversion: 2024-01-01\nthresholds:\n  max_coupons: '3'\ntests:\n" + c.tests
			_, err := loadTest(t).Override(fstest.MapFS{"host.yaml": {Data: []byte(src)}}, "host.yaml")
			var errs rules.Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("err = %v, want one rules.Error", err)
			}
			e := errs[0]
			if e.File != "host.yaml" || e.Line != c.line || e.Col != c.col || !errors.Is(e, c.sentinel) {
				t.Errorf("got %s:%d:%d %v; want host.yaml:%d:%d wrapping %v", e.File, e.Line, e.Col, e, c.line, c.col, c.sentinel)
			}
		})
	}
}
