package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tradepolicy/tradepolicy/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	goldentest.Check(t, file, got, *update)
}

var testFS = os.DirFS(".")

// Broken files report every problem at once, with positions.
func TestBrokenFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.scenario.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal("no broken files", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(testFS, filepath.ToSlash(f))
			if err == nil {
				t.Fatal("loads")
			}
			golden(t, strings.TrimSuffix(f, ".scenario.yaml")+".golden", err.Error()+"\n")
		})
	}
}

func TestGoodFilesLoad(t *testing.T) {
	for _, dir := range []string{"../scenarios/refund", "testdata/run"} {
		files, _ := filepath.Glob(dir + "/*.scenario.yaml")
		if len(files) == 0 {
			t.Errorf("no files in %s", dir)
		}
		for _, f := range files {
			if _, err := Load(os.DirFS(dir), filepath.Base(f)); err != nil && dir != "testdata/run" {
				t.Errorf("%s: %v", f, err)
			}
			if _, err := Load(testFS, filepath.ToSlash(f)); err != nil && dir == "testdata/run" {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
}

func TestParseOffset(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"+0s", 0, ""},
		{"+1s", time.Second, ""},
		{"+48h", 48 * time.Hour, ""},
		{"+2d3h", 51 * time.Hour, ""},
		{"+1d1h1m1s", 25*time.Hour + time.Minute + time.Second, ""},
		{"+2d-1s", 48*time.Hour - time.Second, ""},
		{"+1h+30m", 90 * time.Minute, ""},
		{"+1s-1s", 0, ""},
		{"+1s-2s", 0, "negative"},
		{"+", 0, "want an RFC 3339"},
		{"+1", 0, "want an RFC 3339"},
		{"+h", 0, "want an RFC 3339"}, {"+hh", 0, "each term"},
		{"+1w", 0, "unknown unit"},
		{"+1.5h", 0, "unknown unit"},
		{"-1s", 0, "want an RFC 3339"},
		{"+1234567890s", 0, "each term"},
		{"+999999999d", 0, "hundred years"},
		{"1s", 0, "want an RFC 3339"},
	}
	for _, tt := range tests {
		got, err := ParseOffset(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("ParseOffset(%q): %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseOffset(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.err)
		case tt.err == "" && got != tt.want:
			t.Errorf("ParseOffset(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseWhen(t *testing.T) {
	prev := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2024-03-01T10:00:00+08:00": prev,
		"2024-03-01T02:00:00Z":      prev,
		"+1d":                       prev.Add(24 * time.Hour),
	} {
		w, err := parseWhen(in)
		if err != nil || !w.resolve(prev).Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", in, w.resolve(prev), err, want)
		}
	}
	for _, in := range []string{"2024-03-01T10:00:00", "2024-03-01", "tomorrow", ""} {
		if _, err := parseWhen(in); err == nil {
			t.Errorf("parseWhen(%q): no error", in)
		}
	}
}

func TestParsePath(t *testing.T) {
	good := map[string][]pathElem{
		"seq":                          {{key: "seq"}},
		"requests[0].status":           {{key: "requests"}, {index: 0, isIdx: true}, {key: "status"}},
		"requests[-1].items[2].amount": {{key: "requests"}, {index: -1, isIdx: true}, {key: "items"}, {index: 2, isIdx: true}, {key: "amount"}},
		"[0]":                          {{index: 0, isIdx: true}},
	}
	for in, want := range good {
		got, err := parsePath(in)
		if err != nil {
			t.Errorf("parsePath(%q): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(pathElem{})); diff != "" {
			t.Errorf("parsePath(%q) (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{"", "a.", "a..b", "a[", "a[x]", "a[0]b", ".a", "a.[0]"} {
		if _, err := parsePath(in); err == nil {
			t.Errorf("parsePath(%q): no error", in)
		}
	}
}
