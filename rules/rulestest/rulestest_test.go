package rulestest_test

import (
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

func TestRunsTheFileCases(t *testing.T) {
	schema := rules.MustSchema("shop",
		rules.Decl{Name: "limit", Rule: "ORD-4", Type: rules.Int, Inputs: []rules.Input{{Name: "n", Type: rules.Int}}})
	set, err := rules.Load(schema, fstest.MapFS{"shop.yaml": {Data: []byte(`policy: shop
version: 2023-07-23
thresholds:
  limit: n * 2
tests:
  - name: doubles
    input: {n: 2}
    want: {limit: 4}
  - name: wrong, and skipped
    skip: not yet in force
    input: {n: 2}
    want: {limit: 5}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(set.RunTests()); got != 2 {
		t.Fatalf("%d results, want 2", got)
	}
	// The skipped case's wrong want does not fail: its subtest is skipped.
	rulestest.Test(t, set)
}
