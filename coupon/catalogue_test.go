package coupon_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/coupon"
)

// TestCatalogue: one entry per rule ID CPN-1 … CPN-7, each listing
// exactly the thresholds whose rule is that ID, each threshold of the
// schema in one entry, and each entry cited in the package's code.
func TestCatalogue(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range coupon.Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	var ids []string
	got := map[string][]string{}
	for _, r := range coupon.Catalogue() {
		ids = append(ids, r.ID)
		if r.Source == "" || r.Rule == "" || r.Reading == "" {
			t.Errorf("%s: empty source, rule or reading", r.ID)
		}
		if len(r.Thresholds) > 0 {
			got[r.ID] = r.Thresholds
		}
	}
	if diff := cmp.Diff([]string{"CPN-1", "CPN-2", "CPN-3", "CPN-4", "CPN-5", "CPN-6", "CPN-7"}, ids); diff != "" {
		t.Errorf("rule IDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(byRule, got); diff != "" {
		t.Errorf("thresholds by rule (-schema +catalogue):\n%s", diff)
	}
	var code strings.Builder
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".go") && !strings.HasSuffix(f.Name(), "_test.go") && f.Name() != "catalogue.go" {
			b, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			code.Write(b)
		}
	}
	for _, id := range ids {
		if !regexp.MustCompile(`\b` + id + `\b`).MatchString(code.String()) {
			t.Errorf("%s is cited nowhere in the code", id)
		}
	}
}
