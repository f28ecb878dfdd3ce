package deps

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// graph is the module's import graph (DESIGN.md):
//
//	clock  <  rules  <  coupon, points, refund, dispute  <  order  <  examples, cmd
//	clock  <  rules  <  provider
//
// Each row names an area of the module (a directory and everything under
// it) and the other areas it may import. An area may always import its own
// subpackages: rules may use rules/internal/..., coupon/coupontest may use
// coupon. "*" means any package of the module. A new top-level package
// fails the test until it has a row here.
var graph = []struct {
	area string
	may  []string
}{
	{"clock", nil},
	{"internal/money", nil},
	{"internal/enum", nil},
	{"internal/wire", nil},
	{"internal/deps", nil},
	{"internal/goldentest", nil},            // test helper: golden files
	{"internal/diagram", []string{"rules"}}, // renders text; knows no machine, reads thresholds for labels
	{"internal/catalogue", []string{"*"}},   // its test reads every package's Catalogue
	{"rules", []string{"clock", "internal/goldentest"}},
	{"coupon", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire"}},
	{"points", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire"}},
	{"refund", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire", "internal/diagram", "internal/goldentest"}},
	{"dispute", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire", "internal/diagram", "internal/goldentest"}},
	{"provider", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire", "internal/diagram", "internal/goldentest"}},
	{"order", []string{"clock", "rules", "internal/money", "internal/enum", "internal/wire", "internal/diagram", "internal/goldentest", "coupon", "points", "refund", "dispute"}},
	{"examples", []string{"*"}},
	{"cmd", []string{"*"}},
	{"scenario", []string{"*"}}, // runs every machine's scenario files
}

// celPrefix is the import path prefix of cel-go, which only rules may use,
// so that the rest of the module sees typed thresholds, never CEL values.
const celPrefix = "cel.dev/cel-go"

// clockReaders are the functions of package time that read the wall clock.
// Outside clockAreas, non-test code takes time from a clock.Clock.
var clockReaders = []string{"Now", "Since", "Until"}

var clockAreas = []string{"clock", "examples", "cmd"}

// areaOf returns the row of graph that covers pkg, a slash-separated path
// relative to the module root, or "" if none does.
func areaOf(pkg string) string {
	best := ""
	for _, row := range graph {
		if within(pkg, row.area) && len(row.area) > len(best) {
			best = row.area
		}
	}
	return best
}

// within reports whether pkg is dir or below it.
func within(pkg, dir string) bool {
	return pkg == dir || strings.HasPrefix(pkg, dir+"/")
}

// isTestHelper reports whether pkg is a test-helper package such as
// coupon/coupontest: last element ending in "test".
func isTestHelper(pkg string) bool {
	return strings.HasSuffix(path.Base(pkg), "test")
}

// checkImport returns why the module's package from may not import the
// module's package to in a file that is (or is not) a _test.go file, or ""
// if it may.
func checkImport(from, to string, testFile bool) string {
	fromArea, toArea := areaOf(from), areaOf(to)
	switch {
	case fromArea == "":
		return fmt.Sprintf("package %s is not in the import graph; add a row to graph in internal/deps/deps_test.go", from)
	case toArea == "":
		return fmt.Sprintf("imported package %s is not in the import graph; add a row to graph in internal/deps/deps_test.go", to)
	}
	if isTestHelper(to) && !testFile && !isTestHelper(from) && !slices.Contains([]string{"examples", "cmd"}, fromArea) {
		return fmt.Sprintf("%s is a test helper; only _test.go files and other test helpers may import it", to)
	}
	if fromArea == toArea {
		return ""
	}
	for _, row := range graph {
		if row.area == fromArea && (slices.Contains(row.may, toArea) || slices.Contains(row.may, "*")) {
			return ""
		}
	}
	return fmt.Sprintf("%s may not import %s (see graph in internal/deps/deps_test.go)", fromArea, toArea)
}

func TestCheckImport(t *testing.T) {
	tests := []struct {
		from, to string
		test     bool
		ok       bool
	}{
		{"rules", "clock", false, true},
		{"clock", "rules", false, false},
		{"clock", "internal/money", false, false},
		{"rules", "internal/money", false, false},
		{"rules", "rules/internal/celx", false, true},
		{"rules/internal/celx", "clock", false, true},
		{"coupon", "internal/money", false, true},
		{"coupon", "points", false, false},
		{"refund", "dispute", false, false},
		{"refund", "order", false, false},
		{"dispute", "coupon", false, false},
		{"provider", "rules", false, true},
		{"provider", "coupon", false, false},
		{"order", "refund", false, true},
		{"order", "provider", false, false},
		{"order", "coupon/coupontest", false, false},
		{"order", "coupon/coupontest", true, true},
		{"order/ordertest", "coupon/coupontest", false, true},
		{"coupon/coupontest", "coupon", false, true},
		{"coupon/coupontest", "points", false, false},
		{"coupon", "coupon/coupontest", true, true},
		{"examples/quickstart", "order", false, true},
		{"cmd/tradepolicy", "provider", false, true},
		{"cmd/tradepolicy", "rules/rulestest", false, true},
		{"scenario", "refund", false, true},
		{"scenario/scenariotest", "scenario", false, true},
		{"refund", "scenario", false, false},
		{"internal/money", "clock", false, false},
		{"shipping", "clock", false, false},
		{"order", "shipping", false, false},
	}
	for _, tt := range tests {
		why := checkImport(tt.from, tt.to, tt.test)
		if (why == "") != tt.ok {
			t.Errorf("checkImport(%q, %q, test=%t) = %q, want allowed=%t", tt.from, tt.to, tt.test, why, tt.ok)
		}
	}
}

// goFile is one parsed file of the module.
type goFile struct {
	rel  string // slash-separated path from the module root
	pkg  string // its directory, the package path relative to the module
	test bool   // a _test.go file
	ast  *ast.File
	fset *token.FileSet
}

// moduleFiles finds the module root above the working directory and parses
// every .go file in it, skipping testdata, hidden and underscore
// directories and nested modules.
func moduleFiles(t *testing.T) (modPath string, files []goFile) {
	t.Helper()
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Fatal("no go.mod above the working directory")
		}
		root = parent
	}
	modPath = readModulePath(t, filepath.Join(root, "go.mod"))

	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		files = append(files, goFile{rel: rel, pkg: path.Dir(rel), test: strings.HasSuffix(name, "_test.go"), ast: f, fset: fset})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("found no Go files; is the module root right?")
	}
	return modPath, files
}

func readModulePath(t *testing.T, gomod string) string {
	t.Helper()
	f, err := os.Open(gomod)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			if p, err := strconv.Unquote(strings.TrimSpace(rest)); err == nil {
				return p
			}
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("%s has no module line", gomod)
	return ""
}

func importPaths(f *ast.File) []string {
	var paths []string
	for _, spec := range f.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil {
			paths = append(paths, p)
		}
	}
	return paths
}

func TestImportGraph(t *testing.T) {
	modPath, files := moduleFiles(t)
	for _, f := range files {
		for _, imp := range importPaths(f.ast) {
			to, ok := strings.CutPrefix(imp, modPath+"/")
			if !ok {
				continue
			}
			if why := checkImport(f.pkg, to, f.test); why != "" {
				t.Errorf("%s: forbidden import %q: %s", f.rel, imp, why)
			}
		}
	}
}

func TestCELOnlyInRules(t *testing.T) {
	_, files := moduleFiles(t)
	for _, f := range files {
		if within(f.pkg, "rules") {
			continue
		}
		for _, imp := range importPaths(f.ast) {
			if within(imp, celPrefix) {
				t.Errorf("%s: forbidden import %q: cel-go is used only inside rules/", f.rel, imp)
			}
		}
	}
}

// testOnly are the packages that only tests and test helpers may import:
// package testing, and the test libraries that link it (with flag).
var testOnly = []string{"testing", "pgregory.net/rapid", "github.com/google/go-cmp"}

// testOnlyImport reports whether a non-test file of package pkg may not
// import imp: imp is (or is under) one of testOnly and pkg is not a test
// helper such as rules/rulestest.
func testOnlyImport(pkg, imp string) bool {
	if isTestHelper(pkg) {
		return false
	}
	return slices.ContainsFunc(testOnly, func(p string) bool { return imp == p || strings.HasPrefix(imp, p+"/") && p != "testing" })
}

func TestTestOnlyImport(t *testing.T) {
	tests := []struct {
		pkg, imp  string
		forbidden bool
	}{
		{"rules", "testing", true},
		{"rules", "testing/fstest", false},
		{"rules", "github.com/google/go-cmp/cmp", true},
		{"coupon", "pgregory.net/rapid", true},
		{"rules/rulestest", "testing", false},
		{"coupon/coupontest", "pgregory.net/rapid", false},
		{"refund", "time", false},
	}
	for _, tt := range tests {
		if got := testOnlyImport(tt.pkg, tt.imp); got != tt.forbidden {
			t.Errorf("testOnlyImport(%q, %q) = %v, want %v", tt.pkg, tt.imp, got, tt.forbidden)
		}
	}
}

// TestNoTestingInProduction: no production package links package
// testing (nor flag, through the test libraries); test helpers named
// …test may, as testing/fstest-style packages do.
func TestNoTestingInProduction(t *testing.T) {
	_, files := moduleFiles(t)
	for _, f := range files {
		if f.test {
			continue
		}
		for _, imp := range importPaths(f.ast) {
			if testOnlyImport(f.pkg, imp) {
				t.Errorf("%s: imports %q, which links package testing; move the code to a test helper package (%s/%stest)", f.rel, imp, f.pkg, path.Base(f.pkg))
			}
		}
	}
}

func TestNoWallClock(t *testing.T) {
	_, files := moduleFiles(t)
	for _, f := range files {
		if f.test || slices.ContainsFunc(clockAreas, func(a string) bool { return within(f.pkg, a) }) {
			continue
		}
		for _, use := range wallClockUses(f.fset, f.ast) {
			t.Errorf("%s:%s reads the wall clock; take the time from a clock.Clock", f.rel, use)
		}
	}
}

// wallClockUses returns "12: time.Now"-style descriptions (line and name) of every use,
// called or not, of a clockReaders function of package time in f, under
// whatever name f imports package time.
func wallClockUses(fset *token.FileSet, f *ast.File) []string {
	names := map[string]bool{}
	for _, spec := range f.Imports {
		if p, _ := strconv.Unquote(spec.Path.Value); p == "time" {
			name := "time"
			if spec.Name != nil {
				name = spec.Name.Name
			}
			names[name] = true
		}
	}
	if len(names) == 0 {
		return nil
	}
	var uses []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] && slices.Contains(clockReaders, sel.Sel.Name) {
			uses = append(uses, fmt.Sprintf("%d: %s.%s", fset.Position(sel.Pos()).Line, id.Name, sel.Sel.Name))
		}
		return true
	})
	return uses
}

func TestWallClockUses(t *testing.T) {
	src := `package p

import (
	"fmt"
	tm "time"
)

// Doc comments may say time.Now() without being flagged.
func f() {
	fmt.Println(tm.Now(), tm.Since(tm.Time{}))
	now := tm.Now
	_ = now
	time := struct{ Now int }{}
	_ = time.Now
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	got := wallClockUses(fset, f)
	want := []string{"10: tm.Now", "10: tm.Since", "11: tm.Now"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wallClockUses (-want +got):\n%s", diff)
	}
}
