package main

import (
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/scenario"
)

const testHelp = `
Test runs the tests: cases of rule files, each against the version it
names (its at: instant, else its file's version, else the latest), with
the files loaded over the embedded defaults of their policies. The
defaults' own cases run too; a default case of a threshold a file
replaced is skipped, and the file's own cases check it instead. With no
files it runs the embedded defaults' cases of every policy.

It prints a line per file, the wanted and the actual value of every
failed expectation, and a closing "N passed, M failed" line (", K
skipped" when cases were skipped). A case passes when every threshold it
wants has the wanted value. A case with skip: REASON is checked when its
file loads but not run: it is reported as skipped with its reason (json:
"status": "skip" with "skip": REASON; junit: <skipped message=REASON/>);
an empty reason is a load error.

Scenario files (*.scenario.yaml, named or found under a directory) run
too, each as one case named by its file (without the suffix): a trade
told step by step through time, with the deadlines between the steps
firing at their own instants (the format is documented in package
scenario). A failed step prints each unmet expectation; a file with
skip: is skipped with its reason.

Flags:
  --run PATTERN           run only the cases whose name matches the regular expression
  --cover                 after the results, report per machine which event types,
                          timer edges and deadline boundaries (-1s, at, +1s) the
                          scenario files exercised, which rule IDs they name, and
                          what was never exercised
  --format text|json|junit
                          text (default); json: one object with every case;
                          junit: JUnit XML, one test suite per file, for CI

Exit codes: 0 every case passed, 2 usage, 3 a file is missing or does not
load (its problems are printed as check prints them), 4 a case failed.

Example:

  tradepolicy test policy/
  ok    policy/refund.yaml (refund, embedded) 1 passed
      --- PART: policy/refund.yaml:62: "default periods": merchant_response, revocation_voucher skipped: replaced by an override file, whose own cases check it
  ok    policy/flash.yaml (refund) 1 passed, 1 skipped
      --- SKIP: policy/flash.yaml:12: "presale limit": waits for the presale revision
  2 passed, 0 failed, 1 skipped
`

// fileResult is the outcome of one file's cases.
type fileResult struct {
	File     string                `json:"file"`
	Kind     string                `json:"kind,omitempty"`   // "scenario" for a scenario file
	Policy   string                `json:"policy,omitempty"` // of a rule file
	Machine  string                `json:"machine,omitempty"`
	Skip     string                `json:"skip,omitempty"` // why a scenario file is skipped
	Steps    []scenario.StepReport `json:"steps,omitempty"`
	Embedded bool                  `json:"embedded,omitempty"` // one of the policy's embedded default files
	Cases    []caseResult          `json:"cases"`
	tally
}

type tally struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

func (t *tally) add(o tally) { t.Passed += o.Passed; t.Failed += o.Failed; t.Skipped += o.Skipped }

// caseResult is one test case: it fails if one of its checks fails, and
// is skipped if every check is.
type caseResult struct {
	Name    string        `json:"name"`
	Line    int           `json:"line"`
	Version string        `json:"version"`
	Status  string        `json:"status"`         // pass, fail, skip
	Skip    string        `json:"skip,omitempty"` // the case's skip: reason
	Checks  []checkResult `json:"checks"`
}

// checkResult is one wanted threshold value of a case.
type checkResult struct {
	Threshold string `json:"threshold"`
	Want      string `json:"want"`
	Got       string `json:"got,omitempty"`
	Error     string `json:"error,omitempty"`
	Skip      string `json:"skip,omitempty"` // why it did not run
}

const skipReplaced = "replaced by an override file, whose own cases check it"

func (t *tool) test(args []string) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	pattern := fs.String("run", "", "run only the cases whose name matches this regular expression")
	format := formatFlag(fs, "text", "json", "junit")
	cover := fs.Bool("cover", false, "report what the scenario files exercised of each machine")
	names, ok := t.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	re, err := regexp.Compile(*pattern)
	if err != nil {
		return t.usageError("test", "--run: %v", err)
	}
	var ruleNames, scenNames []string
	if len(names) > 0 {
		if ruleNames, scenNames, err = t.collectFiles(names, true); err != nil {
			fmt.Fprintf(t.stderr, "tradepolicy test: %v\n", err)
			return exitLoad
		}
	}
	scenarios, probs := t.loadScenarios(scenNames)
	type policySet struct {
		entry policyEntry
		set   *rules.Set
		files []string // the files given, of this policy
	}
	var sets []policySet
	switch {
	case len(names) == 0:
		for _, p := range t.policies {
			sets = append(sets, policySet{entry: p, set: p.Defaults()})
		}
	case len(ruleNames) == 0:
		if len(probs) > 0 {
			return t.reportLoad("test", probs, len(scenNames))
		}
	default:
		l, err := t.load(ruleNames)
		if err != nil {
			fmt.Fprintf(t.stderr, "tradepolicy test: %v\n", err)
			return exitLoad
		}
		if all := append(l.problems, probs...); len(all) > 0 {
			sortProblems(all)
			return t.reportLoad("test", all, len(ruleNames)+len(scenNames))
		}
		for _, name := range l.order {
			p, _ := t.policy(name)
			ps := policySet{entry: p, set: l.sets[name]}
			for _, f := range l.files {
				if f.policy == name {
					ps.files = append(ps.files, f.name)
				}
			}
			sets = append(sets, ps)
		}
	}
	var files []fileResult
	var total tally
	for _, ps := range sets {
		embedded := map[string]bool{}
		for _, r := range ps.entry.Defaults().RunTests() {
			embedded[r.File] = true
		}
		results := ps.set.RunTests()
		withCases := map[string]bool{}
		for _, r := range results {
			withCases[r.File] = true
		}
		for _, f := range groupResults(results, re) {
			f.Policy, f.Embedded = ps.entry.Name, embedded[f.File]
			files = append(files, f)
			total.add(f.tally)
		}
		for _, name := range ps.files {
			if !withCases[name] {
				files = append(files, fileResult{File: name, Policy: ps.entry.Name, Cases: []caseResult{}})
			}
		}
	}
	var reports []scenario.Report
	for _, sc := range scenarios {
		if !re.MatchString(scenarioName(sc.File)) {
			continue
		}
		rep := sc.Run()
		reports = append(reports, rep)
		f := scenarioResult(rep)
		files = append(files, f)
		total.add(f.tally)
	}
	var cov *scenario.Coverage
	if *cover {
		c := scenario.Cover(reports)
		cov = &c
	}
	switch format.value {
	case "json":
		writeJSON(t.stdout, struct {
			Files []fileResult `json:"files"`
			tally
			Coverage *scenario.Coverage `json:"coverage,omitempty"`
		}{nonNil(files), total, cov})
	case "junit":
		writeJUnit(t.stdout, files, total)
	default:
		for _, f := range files {
			if f.Kind == kindScenario {
				writeScenarioResult(t.stdout, f)
			} else {
				writeFileResult(t.stdout, f)
			}
		}
		fmt.Fprintf(t.stdout, "%d passed, %d failed", total.Passed, total.Failed)
		if total.Skipped > 0 {
			fmt.Fprintf(t.stdout, ", %d skipped", total.Skipped)
		}
		fmt.Fprintln(t.stdout)
		if cov != nil {
			cov.WriteText(t.stdout)
		}
	}
	if total.Failed > 0 {
		return exitFail
	}
	return exitOK
}

// loadOrReport collects and loads the named files. When a file is
// missing or does not load it prints why to stderr and returns nil and
// the exit code.
func (t *tool) loadOrReport(cmd string, names []string) (*loaded, int) {
	files, err := t.collect(names)
	if err != nil {
		fmt.Fprintf(t.stderr, "tradepolicy %s: %v\n", cmd, err)
		return nil, exitLoad
	}
	l, err := t.load(files)
	if err != nil {
		fmt.Fprintf(t.stderr, "tradepolicy %s: %v\n", cmd, err)
		return nil, exitLoad
	}
	if len(l.problems) > 0 {
		return nil, t.reportLoad(cmd, l.problems, len(files))
	}
	return l, exitOK
}

// reportLoad prints the problems of files that do not load and returns
// exitLoad.
func (t *tool) reportLoad(cmd string, probs []problem, files int) int {
	for _, p := range probs {
		p.writeText(t.stderr)
	}
	c := countProblems(probs)
	fmt.Fprintf(t.stderr, "tradepolicy %s: %s in %s; nothing was run\n", cmd, plural(c.Errors, "error"), plural(files, "file"))
	return exitLoad
}

// groupResults groups the expectations RunTests returns into cases and
// files, in order, keeping the cases whose name matches re.
func groupResults(results []rules.TestResult, re *regexp.Regexp) []fileResult {
	var files []fileResult
	for start := 0; start < len(results); {
		end := start + 1
		for end < len(results) && results[end].File == results[start].File &&
			results[end].Case == results[start].Case && results[end].Line == results[start].Line {
			end++
		}
		group := results[start:end]
		start = end
		if !re.MatchString(group[0].Case) {
			continue
		}
		c := caseResult{Name: group[0].Case, Line: group[0].Line, Version: group[0].Version, Status: "skip"}
		failed := false
		for _, r := range group {
			ch := checkResult{Threshold: r.Threshold, Want: r.Want, Got: r.Got}
			switch {
			case r.Skip != "":
				ch.Skip, ch.Got = r.Skip, ""
				c.Skip = r.Skip
			case r.Skipped:
				ch.Skip, ch.Got = skipReplaced, ""
			case r.Err != nil:
				ch.Error = evalMessage(r.Err)
				failed = true
			case r.Want != r.Got:
				failed = true
			}
			if !r.Skipped && c.Status == "skip" {
				c.Status = "pass"
			}
			c.Checks = append(c.Checks, ch)
		}
		if failed {
			c.Status = "fail"
		}
		if len(files) == 0 || files[len(files)-1].File != group[0].File {
			files = append(files, fileResult{File: group[0].File})
		}
		f := &files[len(files)-1]
		f.Cases = append(f.Cases, c)
		switch c.Status {
		case "pass":
			f.Passed++
		case "fail":
			f.Failed++
		default:
			f.Skipped++
		}
	}
	return files
}

// evalMessage is an evaluation error without the rules: prefixes the
// case's own line already says.
func evalMessage(err error) string {
	var ee *rules.EvalError
	if errors.As(err, &ee) {
		return ee.Err.Error()
	}
	return err.Error()
}

func writeFileResult(w io.Writer, f fileResult) {
	status := "ok  "
	switch {
	case f.Failed > 0:
		status = "FAIL"
	case len(f.Cases) == 0:
		fmt.Fprintf(w, "?     %s (%s) no test cases\n", f.File, f.Policy)
		return
	}
	kind := f.Policy
	if f.Embedded {
		kind += ", embedded"
	}
	fmt.Fprintf(w, "%s  %s (%s) %d passed", status, f.File, kind, f.Passed)
	if f.Failed > 0 {
		fmt.Fprintf(w, ", %d failed", f.Failed)
	}
	if f.Skipped > 0 {
		fmt.Fprintf(w, ", %d skipped", f.Skipped)
	}
	fmt.Fprintln(w)
	for _, c := range f.Cases {
		switch c.Status {
		case "fail":
			fmt.Fprintf(w, "    --- FAIL: %s:%d: %q (version %s)\n", f.File, c.Line, c.Name, c.Version)
			for _, ch := range c.Checks {
				switch {
				case ch.Error != "":
					fmt.Fprintf(w, "        %s: error: %s\n", ch.Threshold, ch.Error)
				case ch.Skip == "" && ch.Want != ch.Got:
					fmt.Fprintf(w, "        %s (-want +got):\n          -%s\n          +%s\n", ch.Threshold, ch.Want, ch.Got)
				}
			}
		case "skip":
			fmt.Fprintf(w, "    --- SKIP: %s:%d: %q: %s\n", f.File, c.Line, c.Name, skippedNames(c))
		default:
			if s := skippedNames(c); s != "" {
				fmt.Fprintf(w, "    --- PART: %s:%d: %q: %s\n", f.File, c.Line, c.Name, s)
			}
		}
	}
}

// skippedNames says which checks of a case were skipped and why: the
// case's skip: reason, or which thresholds an override replaced.
func skippedNames(c caseResult) string {
	if c.Skip != "" {
		return c.Skip
	}
	var names []string
	for _, ch := range c.Checks {
		if ch.Skip == skipReplaced {
			names = append(names, ch.Threshold)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return strings.Join(names, ", ") + " skipped: " + skipReplaced
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string      `xml:"name,attr"`
	Classname string      `xml:"classname,attr"`
	File      string      `xml:"file,attr"`
	Line      int         `xml:"line,attr"`
	Failure   *junitIssue `xml:"failure"`
	Skipped   *junitIssue `xml:"skipped"`
}

type junitIssue struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, files []fileResult, total tally) {
	out := junitSuites{Name: "tradepolicy", Tests: total.Passed + total.Failed + total.Skipped, Failures: total.Failed, Skipped: total.Skipped}
	for _, f := range files {
		s := junitSuite{Name: f.File, Tests: len(f.Cases), Failures: f.Failed, Skipped: f.Skipped}
		for _, c := range f.Cases {
			jc := junitCase{Name: c.Name, Classname: f.Policy, File: f.File, Line: c.Line}
			if f.Kind == kindScenario {
				jc.Classname = "scenario." + f.Machine
			}
			switch c.Status {
			case "fail":
				var msgs, text []string
				for _, ch := range c.Checks {
					switch {
					case ch.Error != "":
						msgs = append(msgs, ch.Threshold+": "+ch.Error)
					case ch.Skip == "" && ch.Want != ch.Got:
						msgs = append(msgs, fmt.Sprintf("%s: want %s, got %s", ch.Threshold, ch.Want, ch.Got))
					default:
						continue
					}
					text = append(text, fmt.Sprintf("%s:%d: %s", f.File, c.Line, msgs[len(msgs)-1]))
				}
				jc.Failure = &junitIssue{Message: strings.Join(msgs, "; "), Text: strings.Join(text, "\n")}
			case "skip":
				jc.Skipped = &junitIssue{Message: skippedNames(c)}
				if f.Kind == kindScenario {
					jc.Skipped.Message = f.Skip
				}
			}
			s.Cases = append(s.Cases, jc)
		}
		out.Suites = append(out.Suites, s)
	}
	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err) // plain data
	}
	io.WriteString(w, xml.Header)
	w.Write(append(b, '\n'))
}
