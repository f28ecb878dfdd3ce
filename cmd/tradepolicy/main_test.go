package main

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// fixedNow is the clock of every test: explain's default --at.
var fixedNow = time.Date(2024, 3, 1, 12, 0, 0, 0, clock.MustZone("Asia/Shanghai"))

// testFS is the file system the command lines of the tests read.
var testFS = os.DirFS("testdata")

type cliCase struct {
	name string // golden file testdata/golden/<name>.txt
	args []string
	code int
}

// runCLI runs the tool in-process and returns its exit code and a
// transcript of its output.
func runCLI(t *testing.T, fsys fs.FS, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr, fsys, clock.NewManual(fixedNow))
	var b strings.Builder
	b.WriteString("$ tradepolicy " + strings.Join(args, " ") + "\n")
	b.WriteString(stdout.String())
	if stderr.Len() > 0 {
		b.WriteString("[stderr]\n" + stderr.String())
	}
	return code, b.String()
}

// golden compares got with testdata/golden/<name>.txt, or rewrites the
// file under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name+".txt")
	goldentest.Check(t, file, got, *update)
}

func runCases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out := runCLI(t, testFS, c.args...)
			if code != c.code {
				t.Errorf("exit code %d, want %d; output:\n%s", code, c.code, out)
			}
			golden(t, c.name, out)
		})
	}
}

func mustWindow(t *testing.T, s string) clock.Window {
	t.Helper()
	w, err := clock.ParseWindow(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustDecimal(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
