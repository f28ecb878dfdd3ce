package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
)

// Exit codes.
const (
	exitOK       = 0
	exitInternal = 1 // a bug: a recovered panic
	exitUsage    = 2 // bad arguments, unknown command, policy or threshold, bad --input
	exitLoad     = 3 // a file is missing or does not load
	exitFail     = 4 // a test failed, or check --strict found a warning
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, osFS{}, clock.System{}))
}

// run is the whole tool: it reads files from fsys, the current instant
// (the default of explain --at) from clk, which may be nil, and returns
// the exit code. A panic becomes one line on stderr and exit code 1.
func run(args []string, stdout, stderr io.Writer, fsys fs.FS, clk clock.Clock) (code int) {
	t := &tool{stdout: stdout, stderr: stderr, fsys: fsys, clock: clk,
		policies: knownPolicies, pairs: knownWindowPairs}
	return t.run(args)
}

// tool holds what a command needs: where it writes and reads, and the
// policies it knows.
type tool struct {
	stdout, stderr io.Writer
	fsys           fs.FS
	clock          clock.Clock // nil: --at is required
	policies       []policyEntry
	pairs          []windowPair
}

type command struct {
	name, args, summary, help string
	run                       func(t *tool, args []string) int
}

// commands are the tool's commands, in the order --help lists them.
var commands = []command{
	{"check", "[--format text|json|github] [--strict] FILE|DIR...", "load rule files over the embedded defaults and report every problem", checkHelp, (*tool).check},
	{"test", "[--run PATTERN] [--format text|json|junit] [--cover] [FILE|DIR...]", "run the test cases of rule files and scenario files", testHelp, (*tool).test},
	{"explain", "POLICY.THRESHOLD [--input JSON] [--at TIME] [--format text|json] [FILE|DIR...] | SCENARIO --step N", "evaluate a threshold, or a scenario's step, and say why", explainHelp, (*tool).explain},
	{"diff", "[--format text|json] FILE|DIR...", "show what rule files change in the embedded defaults", diffHelp, (*tool).diff},
	{"schema", "[--scenario] [POLICY...]", "print the JSON Schema of rule files, or of scenario files", schemaHelp, (*tool).schema},
	{"graph", "MACHINE [--format mermaid|dot] [FILE|DIR...]", "print a machine's state diagram with the given policy's deadlines", graphHelpText, (*tool).graph},
}

func (t *tool) run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			msg := strings.ReplaceAll(fmt.Sprint(r), "\n", " ")
			fmt.Fprintf(t.stderr, "tradepolicy: internal error: %s\n", msg)
			code = exitInternal
		}
	}()
	if len(args) == 0 {
		t.usage(t.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			if c, ok := findCommand(args[1]); ok {
				t.commandHelp(t.stdout, c)
				return exitOK
			}
			return t.usageError("help", "unknown command %q", args[1])
		}
		t.usage(t.stdout)
		return exitOK
	}
	c, ok := findCommand(args[0])
	if !ok {
		fmt.Fprintf(t.stderr, "tradepolicy: unknown command %q (want %s); see tradepolicy --help\n", args[0], strings.Join(commandNames(), ", "))
		return exitUsage
	}
	if slices.ContainsFunc(args[1:], isHelpFlag) {
		t.commandHelp(t.stdout, c)
		return exitOK
	}
	return c.run(t, args[1:])
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() []string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
	}
	return out
}

func (t *tool) usage(w io.Writer) {
	fmt.Fprintf(w, "tradepolicy checks, tests and explains the rule files of the tradepolicy library.\n\nUsage:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  tradepolicy %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nPolicies: %s.\nRun tradepolicy COMMAND --help for a command's flags and an example.\n", strings.Join(t.policyNames(), ", "))
	fmt.Fprintf(w, "Exit codes: 0 ok, 1 internal error, 2 usage, 3 a file does not load, 4 a test or strict check failed.\n")
}

func (t *tool) commandHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: tradepolicy %s %s\n\n%s\n", c.name, c.args, strings.TrimLeft(c.help, "\n"))
}

// usageError prints a one-line usage error and returns exitUsage.
func (t *tool) usageError(cmd, format string, args ...any) int {
	fmt.Fprintf(t.stderr, "tradepolicy %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return exitUsage
}

// parseFlags parses flags given anywhere among the positional arguments
// (so "explain refund.x --at T file.yaml" works), and returns the
// positional ones. Arguments after "--" are all positional.
func (t *tool) parseFlags(fs *flag.FlagSet, args []string) ([]string, bool) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			t.usageError(fs.Name(), "%v (see tradepolicy %s --help)", err, fs.Name())
			return nil, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, true
		}
		if len(args) > 0 && args[0] == "--" {
			return append(pos, args[1:]...), true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// oneOf is a flag value restricted to a list of words.
type oneOf struct {
	value string
	allow []string
}

func (o *oneOf) String() string { return o.value }
func (o *oneOf) Set(s string) error {
	if !slices.Contains(o.allow, s) {
		return fmt.Errorf("want one of %s", strings.Join(o.allow, ", "))
	}
	o.value = s
	return nil
}

func formatFlag(fs *flag.FlagSet, allow ...string) *oneOf {
	o := &oneOf{value: allow[0], allow: allow}
	fs.Var(o, "format", "output format: "+strings.Join(allow, ", "))
	return o
}

func (t *tool) policyNames() []string {
	var out []string
	for _, p := range t.policies {
		out = append(out, p.Name)
	}
	return out
}

func (t *tool) policy(name string) (policyEntry, bool) {
	for _, p := range t.policies {
		if p.Name == name {
			return p, true
		}
	}
	return policyEntry{}, false
}

// now returns the current instant, or an error when the tool has no
// clock.
func (t *tool) now() (time.Time, error) {
	if t.clock == nil {
		return time.Time{}, errors.New("--at is required")
	}
	return t.clock.Now(), nil
}
