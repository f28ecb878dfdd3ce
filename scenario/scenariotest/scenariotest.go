// Package scenariotest runs scenario files from a Go test, one subtest
// per file:
//
//	func TestScenarios(t *testing.T) {
//		scenariotest.Run(t, os.DirFS("testdata"), "*.scenario.yaml")
//	}
//
// A file that does not load fails with its file:line:col problems; a
// step whose expectations fail fails with a readable diff; a file with
// skip: is skipped with its reason.
package scenariotest

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/scenario"
)

// Run runs every file of fsys whose base name matches pattern
// ([path.Match]), in any directory, each as a subtest named by its path.
// It fails the test if no file matches.
func Run(t *testing.T, fsys fs.FS, pattern string) {
	t.Helper()
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		ok, err := path.Match(pattern, d.Name())
		if err != nil {
			return err
		}
		if ok {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scenariotest: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("scenariotest: no file matches %q", pattern)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			rep, err := scenario.RunFile(fsys, f)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if rep.Skip != "" {
				t.Skip(rep.Skip)
			}
			for _, st := range rep.Steps {
				for _, fl := range st.Failures {
					t.Errorf("%s:%d: step %d (%s): %s", f, st.Line, st.N, st.Action, fl)
				}
			}
		})
	}
}
