package refund

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The catalogue has one entry per rule this package owns, in order, each
// naming exactly the thresholds whose rule is that ID; every rule is
// cited in the code and in the tests.
func TestCatalogue(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	code, tests := sources(t)
	var ids []string
	for _, r := range Catalogue() {
		ids = append(ids, r.ID)
		if r.Source == "" || r.Rule == "" {
			t.Errorf("%s: no source or rule", r.ID)
		}
		got := slices.Clone(r.Thresholds)
		slices.Sort(got)
		want := slices.Clone(byRule[r.ID])
		slices.Sort(want)
		if diff := cmp.Diff(want, got, cmpEmpty); diff != "" {
			t.Errorf("%s thresholds (-schema +catalogue):\n%s", r.ID, diff)
		}
		delete(byRule, r.ID)
		quoted := `"` + r.ID + `"`
		if !strings.Contains(code, quoted) || !strings.Contains(tests, quoted) && !strings.Contains(tests, r.ID) {
			t.Errorf("%s is not cited in both the code and the tests", r.ID)
		}
	}
	want := []string{"RFD-1", "RFD-2", "RFD-3", "RFD-4", "RFD-5", "RFD-6", "RFD-7", "RFD-8", "RFD-9", "RFD-10"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rule IDs (-want +got):\n%s", diff)
	}
	for rule, names := range byRule {
		t.Errorf("thresholds %v of rule %s are in no catalogue entry", names, rule)
	}
	// Every rule ID the code cites is one this package owns or a
	// neighbour's it refers to.
	for _, id := range regexp.MustCompile(`"([A-Z]+-[0-9]+)"`).FindAllStringSubmatch(code, -1) {
		if !slices.Contains(want, id[1]) {
			t.Errorf("code cites %s, which refund does not own", id[1])
		}
	}
}

var cmpEmpty = cmp.Transformer("empty", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

func sources(t *testing.T) (code, tests string) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var c, ts strings.Builder
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || e.Name() == "catalogue.go" || e.Name() == "catalogue_test.go" {
			continue
		}
		b, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), "_test.go") {
			ts.Write(b)
		} else {
			c.Write(b)
		}
	}
	return c.String(), ts.String()
}
