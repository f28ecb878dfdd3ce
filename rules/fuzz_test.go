package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/rules"
)

// addCorpusFiles seeds f with every rule file of testdata/.
func addCorpusFiles(f *testing.F) {
	f.Helper()
	for _, pat := range []string{"testdata/valid/*.yaml", "testdata/broken/*/*.yaml", "testdata/broken/*/override/*.yaml"} {
		names, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
}

// checkLoadError checks that err is an Errors whose positions lie in
// the files of fsys.
func checkLoadError(t *testing.T, err error, files map[string]string) {
	t.Helper()
	var errs rules.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, want rules.Errors: %v", err, err)
	}
	if len(errs) == 0 {
		t.Fatal("empty rules.Errors")
	}
	_ = err.Error()
	split := map[string][]string{}
	for name, src := range files {
		split[name] = yamlLines(src)
		if name == "<expr>" { // an expression given in Go: CEL counts lines at LF only
			split[name] = strings.Split(src, "\n")
		}
	}
	for _, e := range errs {
		if e.Err == nil {
			t.Errorf("error wraps no sentinel: %v", e)
		}
		lines, ok := split[e.File]
		if !ok {
			if e.Line != 0 {
				t.Errorf("error in unknown file %q at line %d: %v", e.File, e.Line, e)
			}
			continue
		}
		if e.Line < 0 || e.Line > len(lines) {
			t.Errorf("line %d outside the file's %d lines: %v", e.Line, len(lines), e)
			continue
		}
		if e.Line == 0 {
			continue
		}
		line := lines[e.Line-1]
		if e.Source != line {
			t.Errorf("Source = %q, want line %d: %q", e.Source, e.Line, line)
		}
		if n := utf8.RuneCountInString(line); e.Col < 1 || e.Col > n+1 {
			t.Errorf("column %d outside line %d of %d characters: %v", e.Col, e.Line, n, e)
		}
		if n := len(e.Error()); n > 4096 {
			t.Errorf("an error of %d bytes", n)
		}
	}
	if len(errs) > rules.MaxErrors+1 {
		t.Errorf("%d errors, more than MaxErrors+1", len(errs))
	}
}

// lineBreaks are the line breaks of YAML as yaml.v3 counts them.
var lineBreaks = regexp.MustCompile("\r\n|\r|\n|\u0085|\u2028|\u2029")

// yamlLines splits src into lines as yaml.v3 counts them, without the
// byte-order mark it skips.
func yamlLines(src string) []string {
	return lineBreaks.Split(strings.TrimPrefix(src, "\ufeff"), -1)
}

// evalAll evaluates every threshold of every version with zero inputs:
// an evaluation may fail, but never panic.
func evalAll(set *rules.Set) {
	for _, v := range set.Versions() {
		for _, d := range set.Schema().Decls() {
			args := make([]any, len(d.Inputs))
			for k, in := range d.Inputs {
				args[k] = zeroInput(in.Type)
			}
			_, _, _ = v.Explain(d.Name, args...)
		}
	}
	_ = set.RunTests()
}

var (
	decimalZero   = decimal.Zero
	durationZero  = time.Duration(0)
	timestampZero = time.Date(2023, 7, 23, 0, 0, 0, 0, time.UTC)
)

func zeroInput(t rules.Type) any {
	switch t {
	case rules.Bool:
		return false
	case rules.Int:
		return int64(0)
	case rules.String:
		return ""
	case rules.Strings:
		return []string{"vip", ""}
	case rules.Decimal:
		return decimalZero
	case rules.Duration:
		return durationZero
	case rules.Timestamp:
		return timestampZero
	}
	return nil
}

// FuzzLoad loads arbitrary bytes as a rule file: Load never panics, and
// returns either a Set or Errors placed inside the file.
func FuzzLoad(f *testing.F) {
	addCorpusFiles(f)
	f.Add([]byte("policy: shop\nversion: 2023-07-23\nthresholds: {max_items: '\t1 +\n  2'}\n"))
	f.Add([]byte("policy: shop\nthresholds: &a\n  max_items: *a\n"))
	f.Add([]byte("\xef\xbb\xbfpolicy: shop\r\nversion: 2023-07-23\r\n"))
	// Line endings and encodings yaml.v3 counts differently from "\n".
	f.Add([]byte("policy: shop\rzone: X\r"))
	f.Add([]byte("#\u0085policy: shop\nzone: X\n"))
	f.Add([]byte("policy: shop\u2028zone: X\u2029version: x\n"))
	f.Add([]byte("\xff\xfep\x00o\x00l\x00:\x00 \x00x\x00\n\x00"))
	f.Add([]byte("policy: shop\nzone: \xff\n"))
	f.Add([]byte("policy: shop\nzone: a\x00b\n"))
	f.Add([]byte("policy: shop\nzone: \u0080\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{"f.yaml": {Data: src}}
		set, err := rules.Load(corpusSchema, fsys, "*.yaml")
		if err != nil {
			if set != nil {
				t.Fatal("Load returned a Set and an error")
			}
			checkLoadError(t, err, map[string]string{"f.yaml": string(src)})
			return
		}
		evalAll(set)
	})
}

// FuzzOverrideExpr replaces one threshold of the valid corpus with an
// arbitrary expression.
func FuzzOverrideExpr(f *testing.F) {
	base, err := rules.Load(corpusSchema, os.DirFS("testdata/valid"), "*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	decls := corpusSchema.Decls()
	for i, d := range decls {
		for _, v := range base.Versions() {
			if expr, ok := v.Expr(d.Name); ok {
				f.Add(uint8(i), expr)
			}
		}
	}
	f.Add(uint8(0), "days(-1)")
	f.Add(uint8(3), `order.payable * decimal("x")`)
	f.Add(uint8(7), "tags.all(a, tags.all(b, tags.all(c, tags.exists(d, a + b + c + d == \"\"))))")
	f.Add(uint8(4), "1 +\n  \"人\" ; 2")
	f.Add(uint8(11), "")
	f.Fuzz(func(t *testing.T, i uint8, expr string) {
		d := decls[int(i)%len(decls)]
		set, err := base.OverrideExpr(d.Name, expr)
		if err != nil {
			checkLoadError(t, err, map[string]string{"<expr>": expr})
			return
		}
		evalAll(set)
	})
}

// FuzzTestValues writes an arbitrary value as a test case's wanted value
// and input: the value is parsed by the threshold's type and rejected
// with a position, or the case runs.
func FuzzTestValues(f *testing.F) {
	for i, v := range []string{"15m", "days(7)", "0.99", "abc", "200", "1e400", "true", "2023-07-23T00:00:00+08:00", "HK", "-0", "99999999999999999999", "days(-1)", "48h0m0.5s"} {
		f.Add(uint8(i), v)
	}
	base, err := os.ReadFile("testdata/valid/shop.yaml")
	if err != nil {
		f.Fatal(err)
	}
	decls := corpusSchema.Decls()
	f.Fuzz(func(t *testing.T, i uint8, value string) {
		d := decls[int(i)%len(decls)]
		tc := map[string]any{"name": "fuzz", "want": map[string]any{d.Name: value}}
		if len(d.Inputs) > 0 {
			tc["input"] = map[string]any{d.Inputs[0].Name: value}
		}
		item, err := yaml.Marshal([]any{tc})
		if err != nil {
			t.Skip(err)
		}
		// The case goes first in the tests section, which ends the valid file.
		indented := "  " + strings.ReplaceAll(strings.TrimSuffix(string(item), "\n"), "\n", "\n  ") + "\n"
		src := strings.Replace(string(base), "\ntests:\n", "\ntests:\n"+indented, 1)
		set, err := rules.Load(corpusSchema, fstest.MapFS{"shop.yaml": {Data: []byte(src)}}, "*.yaml")
		if err != nil {
			checkLoadError(t, err, map[string]string{"shop.yaml": src})
			return
		}
		evalAll(set)
	})
}
