package main

import (
	"bytes"
	"flag"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/versions.golden")

// TestVersions runs the example (explicit instants, embedded rule files)
// and compares its output with the golden file.
func TestVersions(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, "testdata/versions.golden", out.String(), *update)
}
