package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tradepolicy/tradepolicy/rules"
)

// FuzzParse: any bytes parse to a scenario or to positioned problems of
// that file, never a panic; a scenario that parses runs without one.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"../scenarios/refund/*.yaml", "testdata/*/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	f.Add([]byte("machine: refund\nstart: 2024-03-01T10:00:00Z\norder: &a {}\nsteps: [*a]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, err := Parse("f.scenario.yaml", src)
		if err != nil {
			var es rules.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T %v is not rules.Errors", err, err)
			}
			for _, e := range es {
				if e.File != "f.scenario.yaml" {
					t.Fatalf("problem of file %q", e.File)
				}
			}
			return
		}
		if len(sc.Steps) > 50 {
			return // keep each input fast
		}
		rep := sc.Run()
		var sb discard
		for i := range rep.Steps {
			_ = rep.Explain(&sb, i+1)
		}
		Cover([]Report{rep})
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
