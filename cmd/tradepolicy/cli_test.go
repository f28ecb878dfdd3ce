package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

func TestCLI(t *testing.T) {
	runCases(t, []cliCase{
		{"help", []string{"--help"}, exitOK},
		{"help-command", []string{"help", "diff"}, exitOK},
		{"help-unknown", []string{"help", "compile"}, exitUsage},
		{"no-args", nil, exitUsage},
		{"unknown-command", []string{"compile", "x.yaml"}, exitUsage},
	})
}

// Every command answers --help with its usage and an example.
func TestEveryCommandHasHelpWithExample(t *testing.T) {
	for _, c := range commands {
		code, out := runCLI(t, testFS, c.name, "--help")
		if code != exitOK || !strings.Contains(out, "Usage: tradepolicy "+c.name) || !strings.Contains(out, "Example:\n\n  tradepolicy "+c.name) {
			t.Errorf("%s --help: exit %d\n%s", c.name, code, out)
		}
	}
}

// A panic anywhere becomes one line on stderr and exit code 1, never a
// stack trace.
func TestPanicIsOneLine(t *testing.T) {
	var stdout, stderr strings.Builder
	tl := &tool{stdout: &stdout, stderr: &stderr, fsys: testFS, policies: []policyEntry{{
		Name: "refund", Schema: refund.Schema,
		Defaults: func() *rules.Set { panic("rules: embedded policy refund is broken:\nline two") },
	}}}
	code := tl.run([]string{"test"})
	if code != exitInternal {
		t.Errorf("exit %d, want %d", code, exitInternal)
	}
	if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "tradepolicy: internal error: rules: embedded policy refund is broken: line two") {
		t.Errorf("stderr %q", got)
	}
}

// The command line's file system takes the paths a shell gives,
// relative or absolute, and reports them as given.
func TestOSFileSystem(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "flash.yaml")
	if err := os.WriteFile(file, []byte("policy: refund\nthresholds:\n  merchant_response: '24'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	code := run([]string{"check", dir}, &stdout, &stderr, osFS{}, nil)
	if code != exitLoad || !strings.HasPrefix(stdout.String(), filepath.ToSlash(file)+":3:23: error: ") {
		t.Errorf("exit %d\n%s%s", code, &stdout, &stderr)
	}
}

// The example of every command's --help is what the command prints, run
// on testdata/example.
func TestHelpExamplesAreTrue(t *testing.T) {
	fsys := os.DirFS(filepath.Join("testdata", "example"))
	for _, c := range commands {
		_, example, _ := strings.Cut(c.help, "Example:\n\n")
		lines := strings.Split(strings.TrimRight(example, "\n"), "\n")
		cmdline := strings.TrimPrefix(lines[0], "  tradepolicy ")
		if strings.ContainsAny(cmdline, "><|") {
			continue // writes a file; nothing to compare
		}
		var want strings.Builder
		for _, l := range lines[1:] {
			if l == "" {
				break
			}
			want.WriteString(strings.TrimPrefix(l, "  ") + "\n")
		}
		var stdout, stderr strings.Builder
		run(shellWords(cmdline), &stdout, &stderr, fsys, nil)
		if got := stdout.String(); got != want.String() {
			t.Errorf("%s --help example:\nwant\n%s\ngot\n%s%s", c.name, &want, got, &stderr)
		}
	}
}

// shellWords splits a command line at blanks, honouring single quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func TestDirectories(t *testing.T) {
	fsys := fstest.MapFS{
		"empty/README.md":       {Data: []byte("no rules here")},
		"rules/a.yml":           {Data: []byte("policy: coupon\nthresholds:\n  max_shop: '2'\n")},
		"rules/sub/b.yaml":      {Data: []byte("policy: coupon\nthresholds:\n  max_general: '2'\n")},
		"rules/x.scenario.yaml": {Data: []byte("not a rule file")},
		"rules/.hidden/c.yaml":  {Data: []byte("not a rule file")},
		"rules/notes.txt":       {Data: []byte("not a rule file")},
	}
	if code, out := runCLI(t, fsys, "check", "empty"); code != exitLoad || !strings.Contains(out, "tradepolicy check: empty: no rule files (*.yaml, *.yml) in the directory") {
		t.Errorf("empty: exit %d\n%s", code, out)
	}
	if code, out := runCLI(t, fsys, "check", "rules", "rules/a.yml"); code != exitOK || !strings.Contains(out, "2 files: 0 errors") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
}

// The package doc shows the same examples as --help, so that neither
// drifts from what the tool prints.
func TestDocShowsTheHelpExamples(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	for _, c := range commands {
		_, example, _ := strings.Cut(c.help, "Example:\n\n")
		lines := strings.Split(strings.TrimRight(example, "\n"), "\n")
		var want strings.Builder
		want.WriteString("//\t$ " + strings.TrimPrefix(lines[0], "  ") + "\n")
		for _, l := range lines[1:] {
			if l == "" {
				break
			}
			want.WriteString("//\t" + strings.TrimPrefix(l, "  ") + "\n")
		}
		if !strings.Contains(doc, want.String()) {
			t.Errorf("doc.go lacks the %s example:\n%s", c.name, &want)
		}
	}
}
