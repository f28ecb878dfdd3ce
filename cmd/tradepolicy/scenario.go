package main

import (
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/scenario"
)

const kindScenario = "scenario"

// loadScenarios loads the named scenario files, returning those that
// load and the problems of those that do not.
func (t *tool) loadScenarios(names []string) ([]*scenario.Scenario, []problem) {
	var out []*scenario.Scenario
	var probs []problem
	for _, name := range names {
		sc, err := scenario.Load(t.fsys, name)
		if err != nil {
			probs = append(probs, scenarioProblems(err, name)...)
			continue
		}
		out = append(out, sc)
	}
	return out, probs
}

// scenarioProblems converts a scenario load error into problems.
func scenarioProblems(err error, name string) []problem {
	ps := problemsOf(err, name)
	for i := range ps {
		if ps[i].File == "" {
			ps[i].File = name
		}
		ps[i].Message = strings.TrimPrefix(ps[i].Message, "open "+name+": ")
	}
	if len(ps) == 1 && ps[0].Line == 0 {
		ps[0].Message = unwrapPath(err).Error()
	}
	return ps
}

// scenarioName is the name --run matches: the file's base name without
// its suffix.
func scenarioName(file string) string {
	return strings.TrimSuffix(path.Base(file), scenarioSuffix)
}

// scenarioResult is one scenario file's outcome: one case, failed if a
// step's expectations failed, with one check per failure.
func scenarioResult(rep scenario.Report) fileResult {
	f := fileResult{File: rep.File, Kind: kindScenario, Machine: rep.Machine, Skip: rep.Skip, Steps: rep.Steps}
	c := caseResult{Name: scenarioName(rep.File), Line: 1, Status: "pass", Checks: []checkResult{}}
	switch {
	case rep.Skip != "":
		c.Status = "skip"
		f.Skipped++
	case rep.Failed():
		c.Status = "fail"
		f.Failed++
		for _, st := range rep.Steps {
			for _, fl := range st.Failures {
				c.Checks = append(c.Checks, checkResult{Threshold: fmt.Sprintf("step %d (line %d)", st.N, st.Line), Error: fl})
			}
		}
	default:
		f.Passed++
	}
	f.Cases = []caseResult{c}
	return f
}

// writeScenarioResult writes a scenario file's line and, when it
// failed, each failing step with its differences.
func writeScenarioResult(w io.Writer, f fileResult) {
	switch {
	case f.Skip != "":
		fmt.Fprintf(w, "skip  %s (%s scenario) skipped: %s\n", f.File, f.Machine, f.Skip)
		return
	case f.Failed == 0:
		fmt.Fprintf(w, "ok    %s (%s scenario) %s\n", f.File, f.Machine, plural(len(f.Steps), "step"))
		return
	}
	fmt.Fprintf(w, "FAIL  %s (%s scenario) %s\n", f.File, f.Machine, plural(len(f.Steps), "step"))
	for _, st := range f.Steps {
		if len(st.Failures) == 0 {
			continue
		}
		fmt.Fprintf(w, "    --- FAIL: %s:%d: step %d (%s) at %s\n", f.File, st.Line, st.N, st.Action, st.At.Format(time.RFC3339))
		for _, fl := range st.Failures {
			fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(fl, "\n", "\n        "))
		}
	}
}

// explainScenario runs a scenario file and explains one step.
func (t *tool) explainScenario(name string, step int, format string) int {
	if step < 1 {
		return t.usageError("explain", "explain SCENARIO needs --step N, the step to explain (1 is the first)")
	}
	sc, err := scenario.Load(t.fsys, name)
	if err != nil {
		return t.reportLoad("explain", scenarioProblems(err, name), 1)
	}
	rep := sc.Run()
	if rep.Skip == "" && step > len(rep.Steps) {
		return t.usageError("explain", "%s has %s; there is no step %d", name, plural(len(rep.Steps), "step"), step)
	}
	if format == "json" {
		if rep.Skip != "" {
			return t.usageError("explain", "%s is skipped: %s", name, rep.Skip)
		}
		writeJSON(t.stdout, rep.Steps[step-1])
		return exitOK
	}
	if err := rep.Explain(t.stdout, step); err != nil {
		return t.usageError("explain", "%v", err)
	}
	if len(rep.Steps[step-1].Failures) > 0 {
		return exitFail
	}
	return exitOK
}
