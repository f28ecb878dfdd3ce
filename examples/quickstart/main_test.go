package main

import (
	"bytes"
	"flag"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/quickstart.golden")

// TestQuickstart runs the walkthrough and compares its output, which is
// deterministic (manual clock, embedded policies), with the golden file.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, "testdata/quickstart.golden", out.String(), *update)
}
