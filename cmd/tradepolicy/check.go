package main

import (
	"flag"
	"fmt"
	iofs "io/fs"
	"strings"
)

const checkHelp = `
Check loads rule files over the embedded defaults of their policies (the
policy: key of each file says which) and reports every problem at once:
YAML and CEL syntax, unknown names, type errors, costs over budget, bad
test cases. Files of one policy load together, as a host would load them.
Scenario files named on the command line (*.scenario.yaml) are checked
too, without running them: their syntax, events, facts and policy files.

Beyond errors it reports lints, each with a level:

  warning  identical_override  an override equal to the default it replaces
  warning  window_order        a window that can be longer than a window it must fit inside
  info     unread_threshold    a threshold no rule of the policy's catalogue reads

A directory stands for every *.yaml and *.yml file under it, except
scenario files (*.scenario.yaml).

Flags:
  --format text|json|github  text (default): file:line:col: level: message, the
                             source line and a caret; json: one object with every
                             problem; github: workflow commands (::error file=…)
                             that GitHub Actions shows as annotations
  --strict                   exit 4 when there is a warning

Exit codes: 0 no errors, 2 usage, 3 a file is missing or does not load,
4 a warning under --strict.

Example:

  tradepolicy check broken.yaml policy/
  broken.yaml:3:23: error: threshold merchant_response: expression gives int, but merchant_response is declared as window
   |   merchant_response: '24'
   |                       ^
  2 files: 1 error, 0 warnings, 0 infos
`

func (t *tool) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := formatFlag(fs, "text", "json", "github")
	strict := fs.Bool("strict", false, "exit 4 on a warning")
	names, ok := t.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(names) == 0 {
		return t.usageError("check", "no files given (see tradepolicy check --help)")
	}
	// Scenario files named on the command line are checked too (a
	// directory stands for its rule files only).
	var scen, rest []string
	for _, n := range names {
		if strings.HasSuffix(n, scenarioSuffix) {
			scen = append(scen, n)
		} else {
			rest = append(rest, n)
		}
	}
	var files []string
	var err error
	if len(rest) > 0 {
		if files, err = t.collect(rest); err != nil {
			fmt.Fprintf(t.stderr, "tradepolicy check: %v\n", err)
			return exitLoad
		}
	}
	for _, n := range scen {
		if _, err := iofs.Stat(t.fsys, n); err != nil {
			fmt.Fprintf(t.stderr, "tradepolicy check: %s: no such file or directory\n", n)
			return exitLoad
		}
	}
	l, err := t.load(files)
	if err != nil {
		fmt.Fprintf(t.stderr, "tradepolicy check: %v\n", err)
		return exitLoad
	}
	_, scenProbs := t.loadScenarios(scen)
	probs := append(append(l.problems, scenProbs...), t.lint(l)...)
	files = append(files, scen...)
	sortProblems(probs)
	c := countProblems(probs)
	switch format.value {
	case "json":
		writeJSON(t.stdout, struct {
			Files    []string  `json:"files"`
			Problems []problem `json:"problems"`
			counts
		}{files, nonNil(probs), c})
	case "github":
		for _, p := range probs {
			p.writeGitHub(t.stdout)
		}
	default:
		for _, p := range probs {
			p.writeText(t.stdout)
		}
		fmt.Fprintf(t.stdout, "%s: %s, %s, %s\n", plural(len(files), "file"), plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Infos, "info"))
	}
	switch {
	case c.Errors > 0:
		return exitLoad
	case *strict && c.Warnings > 0:
		return exitFail
	}
	return exitOK
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
