package main

import (
	"bytes"
	"flag"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/modeltest.golden")

// TestDemo runs the example (explicit instants) and compares its output
// with the golden file; run fails if the service and the model disagree.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, "testdata/modeltest.golden", out.String(), *update)
}
