package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/rules"
)

// FuzzCheck feeds check arbitrary rule files: it never panics (a panic
// would be exit code 1), exits 0 or 3, and every problem it prints in
// text names the file.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{"f.yaml": {Data: []byte(src)}}
		var stdout, stderr strings.Builder
		code := run([]string{"check", "f.yaml"}, &stdout, &stderr, fsys, nil)
		if code != exitOK && code != exitLoad {
			t.Fatalf("exit %d\n%s%s", code, &stdout, &stderr)
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if line != "" && !strings.HasPrefix(line, "f.yaml") && !strings.HasPrefix(line, " | ") && !strings.HasPrefix(line, "1 file: ") {
				t.Fatalf("line %q is not a problem of f.yaml\n%s", line, &stdout)
			}
		}
	})
}

// FuzzInput feeds explain's --input decoder arbitrary JSON: it never
// panics, and what it accepts evaluates without an input error.
func FuzzInput(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":{"b":"1.5"}}`, `{"a.b":1,"c":true,"d":["x"],"e":"15m","f":"2024-01-01T00:00:00Z","g":3}`, `{"a":`, `[]`, `null`, `{"a":{"b":{"c":1}}}`} {
		f.Add(s)
	}
	s := rules.MustSchema("fuzz", rules.Decl{Name: "t", Rule: "FZ-1", Type: rules.Bool, Inputs: []rules.Input{
		{Name: "a.b", Type: rules.Decimal}, {Name: "c", Type: rules.Bool}, {Name: "d", Type: rules.Strings, MaxItems: 4},
		{Name: "e", Type: rules.Duration}, {Name: "f", Type: rules.Timestamp}, {Name: "g", Type: rules.Int}, {Name: "h", Type: rules.String},
	}})
	set, err := rules.Load(s, fstest.MapFS{"p.yaml": {Data: []byte("policy: fuzz\nversion: 2023-07-23\nthresholds:\n  t: 'a.b > decimal(\"1\") || c || size(d) > 2 || e > duration(\"1h\") || g > 1 || h == \"x\" || f > timestamp(\"2024-01-01T00:00:00Z\")'\n")}})
	if err != nil {
		f.Fatal(err)
	}
	decl, _ := s.Decl("t")
	f.Fuzz(func(t *testing.T, data string) {
		args, _, err := parseInput(decl, data)
		if err != nil {
			return
		}
		if _, err := set.Latest().Eval("t", args...); err != nil && strings.Contains(err.Error(), "bad input") {
			t.Fatalf("accepted input %q does not evaluate: %v", data, err)
		}
	})
}
