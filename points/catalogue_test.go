package points

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The catalogue has one entry per rule the schema names, each listing
// exactly the thresholds whose rule is that ID, with its readings.
func TestCatalogue(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	var ids []string
	for _, r := range Catalogue() {
		ids = append(ids, r.ID)
		got, want := slices.Sorted(slices.Values(r.Thresholds)), slices.Sorted(slices.Values(byRule[r.ID]))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s thresholds (-schema +catalogue):\n%s", r.ID, diff)
		}
		if r.Source == "" || r.Rule == "" || r.Reading == "" {
			t.Errorf("%s: empty source, rule or reading", r.ID)
		}
		for _, th := range r.Thresholds {
			if !strings.Contains(r.Reading, th) {
				t.Errorf("%s: the reading does not name %s", r.ID, th)
			}
		}
	}
	if diff := cmp.Diff([]string{"PTS-1", "PTS-2", "PTS-3"}, ids); diff != "" {
		t.Errorf("rule IDs (-want +got):\n%s", diff)
	}
	pts3 := Catalogue()[2].Reading
	if !strings.Contains(pts3, `"year" is the calendar year in the business time zone; the checkout may offer at most the remaining allowance`) {
		t.Errorf("PTS-3 does not quote RULES.md's reading: %s", pts3)
	}
}
