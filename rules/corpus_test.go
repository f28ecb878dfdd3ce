package rules_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/internal/goldentest"
	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/broken")

// corpusSchema is the schema every file of testdata/ is loaded against:
// at least two thresholds of each result type, reading inputs of every
// input type.
var corpusSchema = rules.MustSchema("shop",
	rules.Decl{Name: "pay_window", Rule: "ORD-4", Type: rules.Window,
		Inputs: []rules.Input{{Name: "order.activity_limit", Type: rules.Duration}}},
	rules.Decl{Name: "auto_confirm", Rule: "ORD-9", Type: rules.Window},
	rules.Decl{Name: "bean_ratio", Rule: "PTS-1", Type: rules.Decimal},
	rules.Decl{Name: "max_beans", Rule: "PTS-2", Type: rules.Decimal,
		Inputs: []rules.Input{{Name: "order.payable", Type: rules.Decimal}}},
	rules.Decl{Name: "max_items", Rule: "ORD-1", Type: rules.Int},
	rules.Decl{Name: "parcel_limit", Rule: "ORD-12", Type: rules.Int,
		Inputs: []rules.Input{{Name: "order.count", Type: rules.Int}}},
	rules.Decl{Name: "presale_ok", Rule: "ORD-14", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "order.presale", Type: rules.Bool}, {Name: "order.created", Type: rules.Timestamp}}},
	rules.Decl{Name: "cap_ok", Rule: "PTS-3", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "amount", Type: rules.Decimal}, {Name: "tags", Type: rules.Strings, MaxItems: 100}}},
	rules.Decl{Name: "currency", Rule: "PAY-1", Type: rules.String},
	rules.Decl{Name: "settle_currency", Rule: "PAY-2", Type: rules.String,
		Inputs: []rules.Input{{Name: "buyer.region", Type: rules.String}}},
	rules.Decl{Name: "blocked_tags", Rule: "CPN-1", Type: rules.Strings},
	rules.Decl{Name: "vip_tags", Rule: "CPN-2", Type: rules.Strings,
		Inputs: []rules.Input{{Name: "tags", Type: rules.Strings, MaxItems: 100}}},
)

// noPlace lists the cases whose problem has no place in a file, so their
// errors carry no line and column.
var noPlace = map[string]string{
	"no_files": "no file matches the pattern: there is no file to point into",
}

// sentinels are the names want.txt may use.
var sentinels = map[string]error{
	"ErrSyntax":    rules.ErrSyntax,
	"ErrUnknown":   rules.ErrUnknown,
	"ErrDuplicate": rules.ErrDuplicate,
	"ErrMissing":   rules.ErrMissing,
	"ErrType":      rules.ErrType,
	"ErrCost":      rules.ErrCost,
	"ErrValue":     rules.ErrValue,
}

func TestValidCorpus(t *testing.T) {
	set, err := rules.Load(corpusSchema, os.DirFS("testdata/valid"), "*.yaml")
	if err != nil {
		t.Fatalf("Load(testdata/valid): %v", err)
	}
	rulestest.Test(t, set)
}

// TestBrokenCorpus loads every case of testdata/broken/<case>/: its *.yaml
// files, then, when the case has them, the files of override/ with
// Set.Override, or the expression of overrideexpr.txt (first line: the
// threshold; the rest: the expression) with Set.OverrideExpr. The last
// step must fail with the errors of errors.golden, each wrapping the
// sentinel named on the same line of want.txt.
func TestBrokenCorpus(t *testing.T) {
	dirs, err := filepath.Glob("testdata/broken/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 35 {
		t.Errorf("%d broken cases, want at least 35", len(dirs))
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			err := loadCase(t, dir)
			if err == nil {
				t.Fatal("load succeeded, want errors")
			}
			var errs rules.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want rules.Errors: %v", err, err)
			}
			if len(errs) == 0 {
				t.Fatal("empty rules.Errors")
			}
			for _, e := range errs {
				_, exempt := noPlace[name]
				if !exempt && (e.Line <= 0 || e.Col <= 0) {
					t.Errorf("error without a place: %q line %d col %d: %v", e.File, e.Line, e.Col, e)
				}
				if e.Col > 0 && e.Source == "" {
					t.Errorf("error with a column but no source line: %v", e)
				}
			}
			checkSentinels(t, dir, errs)

			got := err.Error() + "\n"
			golden := filepath.Join(dir, "errors.golden")
			goldentest.Check(t, golden, got, *update)
		})
	}
}

// loadCase runs the steps of one case and returns the error of the last.
func loadCase(t *testing.T, dir string) error {
	t.Helper()
	set, err := rules.Load(corpusSchema, os.DirFS(dir), "*.yaml")
	over := filepath.Join(dir, "override")
	if _, statErr := os.Stat(over); statErr == nil {
		if err != nil {
			t.Fatalf("base files of an override case must load: %v", err)
		}
		_, err = set.Override(os.DirFS(over), "*.yaml")
		return err
	}
	if src, readErr := os.ReadFile(filepath.Join(dir, "overrideexpr.txt")); readErr == nil {
		if err != nil {
			t.Fatalf("base files of an overrideexpr case must load: %v", err)
		}
		name, expr, _ := strings.Cut(string(src), "\n")
		_, err = set.OverrideExpr(name, strings.TrimSuffix(expr, "\n"))
		return err
	}
	return err
}

// checkSentinels checks that error i wraps the sentinel named on line i
// of want.txt.
func checkSentinels(t *testing.T, dir string, errs rules.Errors) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(src))
	if len(want) != len(errs) {
		t.Errorf("want.txt names %d sentinels, the load gave %d errors:\n%v", len(want), len(errs), errs)
	}
	for i := range min(len(want), len(errs)) {
		s, ok := sentinels[want[i]]
		if !ok {
			t.Fatalf("want.txt: unknown sentinel %q", want[i])
		}
		if !errors.Is(errs[i], s) {
			t.Errorf("error %d does not wrap %s: %v", i+1, want[i], errs[i])
		}
		if !errors.Is(errs, s) {
			t.Errorf("errors.Is(Errors, %s) = false", want[i])
		}
	}
}
