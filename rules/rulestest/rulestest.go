// Package rulestest runs a policy's rule-file test cases from go test.
// It is kept apart from package rules, as testing/fstest is from io/fs,
// so that programs that load policies do not link package testing.
package rulestest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Test runs the set's rule-file test cases ([rules.Set.RunTests]) as
// subtests of t, one per case, named "file/case", and reports every
// failed expectation with a diff; a case with skip: is a skipped subtest
// with its reason. A domain package calls it from a test
// so that `go test` runs the cases of its embedded policy:
//
//	func TestPolicyFile(t *testing.T) { rulestest.Test(t, DefaultPolicy()) }
func Test(t *testing.T, s *rules.Set) {
	t.Helper()
	results := s.RunTests()
	if len(results) == 0 {
		t.Logf("policy %s has no rule-file test cases", s.Policy())
		return
	}
	for start := 0; start < len(results); {
		end := start + 1
		for end < len(results) && results[end].File == results[start].File && results[end].Case == results[start].Case && results[end].Line == results[start].Line {
			end++
		}
		group := results[start:end]
		t.Run(group[0].File+"/"+group[0].Case, func(t *testing.T) {
			if r := group[0]; r.Skip != "" {
				t.Skipf("%s:%d: skip: %s", r.File, r.Line, r.Skip)
			}
			for _, r := range group {
				switch {
				case r.Skipped:
					t.Logf("%s: skipped, an override replaced it", r.Threshold)
				case r.Err != nil:
					t.Errorf("%s:%d: case %q, threshold %s (version %s): %v", r.File, r.Line, r.Case, r.Threshold, r.Version, r.Err)
				case r.Want != r.Got:
					t.Errorf("%s:%d: case %q, threshold %s (version %s) (-want +got):\n%s", r.File, r.Line, r.Case, r.Threshold, r.Version, cmp.Diff(r.Want, r.Got))
				}
			}
		})
		start = end
	}
}
