package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

const explainHelp = `
Explain evaluates one threshold at an instant and says why it has the
value it has: the version in force at that instant and why (its
effective date in its zone), the expression and where it is written,
each input the expression read with its value, the result and the rule
ID. Rule files given after the threshold are loaded over the embedded
defaults first, so an author sees what a host that loads them would see.

Explain FILE.scenario.yaml --step N runs a scenario file and says why
its step N (1 is the first) gave what it gave: the deadlines that fired
before it at their own instants, one plain sentence per decision, the
effects, the refusal, and what is pending after it.

Flags:
  --step N            the step of a scenario file to explain
  --input JSON        the threshold's inputs, nested or dotted, written as in a
                      test case: {"order": {"payable": "100.00"}}; an input left
                      out is zero (default {})
  --at TIME           the instant, RFC 3339 with its offset (default: now); the
                      instant the rule names: an order's creation, the day a
                      dispute arose
  --format text|json  text (default) or json (the rules.Decision and the version)

Exit codes: 0 evaluated, 2 usage (unknown policy or threshold, bad --input
or --at), 3 a file is missing or does not load, 4 the evaluation failed.

Example:

  tradepolicy explain points.bean_payable_cap --input '{"order":{"payable":"100.00"}}' --at 2024-03-01T12:00:00+08:00
  points.bean_payable_cap = 99
    rule        PTS-1
    version     2023-07-23, in force at 2024-03-01T12:00:00+08:00
    why         effective from 2023-07-23 00:00 Asia/Shanghai (+08:00), the latest version not after that instant
    expression  order.payable * decimal("0.99")
    source      policy/points.yaml:18:12
    input       order.payable = 100
`

// explanation is what explain prints, as JSON with --format json.
type explanation struct {
	Decision  rules.Decision `json:"decision"`
	At        time.Time      `json:"at"`
	Effective time.Time      `json:"effective"` // the version's effective instant
	Zone      string         `json:"zone"`
	Why       string         `json:"why"`
	Defaulted []string       `json:"defaulted,omitempty"` // inputs read but not given: zero
}

func (t *tool) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	input := fs.String("input", "{}", "the threshold's inputs as a JSON object")
	atFlag := fs.String("at", "", "the instant, RFC 3339 (default now)")
	format := formatFlag(fs, "text", "json")
	step := fs.Int("step", 0, "the step of a scenario file to explain")
	pos, ok := t.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(pos) > 0 && strings.HasSuffix(pos[0], scenarioSuffix) {
		return t.explainScenario(pos[0], *step, format.value)
	}
	if len(pos) == 0 {
		return t.usageError("explain", "want POLICY.THRESHOLD, e.g. refund.merchant_response (see tradepolicy explain --help)")
	}
	polName, thName, _ := strings.Cut(pos[0], ".")
	entry, ok := t.policy(polName)
	if !ok {
		return t.usageError("explain", "unknown policy %q (known: %s)%s", polName, strings.Join(t.policyNames(), ", "), hint(polName, t.policyNames()))
	}
	decl, ok := entry.Schema().Decl(thName)
	if !ok {
		var names []string
		for _, d := range entry.Schema().Decls() {
			names = append(names, d.Name)
		}
		if h := hint(thName, names); h != "" {
			return t.usageError("explain", "policy %s declares no threshold %q%s", polName, thName, h)
		}
		return t.usageError("explain", "policy %s declares no threshold %q (it declares: %s)", polName, thName, strings.Join(names, ", "))
	}
	var at time.Time
	if *atFlag == "" {
		now, err := t.now()
		if err != nil {
			return t.usageError("explain", "%v", err)
		}
		at = now
	} else {
		var err error
		if at, err = time.Parse(time.RFC3339, *atFlag); err != nil {
			return t.usageError("explain", "--at %q is not an RFC 3339 instant like 2024-03-01T12:00:00+08:00", *atFlag)
		}
	}
	argv, given, err := parseInput(decl, *input)
	if err != nil {
		return t.usageError("explain", "--input: %v", err)
	}
	set := entry.Defaults()
	if len(pos) > 1 {
		l, code := t.loadOrReport("explain", pos[1:])
		if l == nil {
			return code
		}
		set = l.effective(entry)
	}
	v := set.In(at)
	_, dec, err := v.Explain(thName, argv...)
	if err != nil {
		fmt.Fprintf(t.stderr, "tradepolicy explain: %s.%s (%s), version %s: %s\n", polName, thName, decl.Rule, v.Date(), evalMessage(err))
		return exitFail
	}
	ex := explanation{Decision: dec, At: at, Effective: v.Effective(), Zone: v.Zone().String(), Why: versionWhy(set, v, at)}
	for _, u := range ex.Decision.Inputs {
		if !given[u.Name] {
			ex.Defaulted = append(ex.Defaulted, u.Name)
		}
	}
	if format.value == "json" {
		writeJSON(t.stdout, ex)
		return exitOK
	}
	writeExplanation(t.stdout, ex, given)
	return exitOK
}

// versionWhy says why v is the version of set in force at instant at.
func versionWhy(set *rules.Set, v *rules.Version, at time.Time) string {
	vs := set.Versions()
	eff := effectiveText(v)
	if at.Before(vs[0].Effective()) {
		return fmt.Sprintf("the instant is before the earliest version, effective from %s, which judges it", eff)
	}
	why := fmt.Sprintf("effective from %s, the latest version not after that instant", eff)
	for i, o := range vs {
		if o == v && i+1 < len(vs) {
			why += fmt.Sprintf("; the next version, %s, takes effect from %s", vs[i+1].Date(), effectiveText(vs[i+1]))
		}
	}
	return why
}

// effectiveText is a version's effective instant in its zone:
// "2023-07-23 00:00 Asia/Shanghai (+08:00)".
func effectiveText(v *rules.Version) string {
	e := v.Effective().In(v.Zone())
	return fmt.Sprintf("%s %s (%s)", e.Format("2006-01-02 15:04"), v.Zone(), e.Format("-07:00"))
}

func writeExplanation(w io.Writer, ex explanation, given map[string]bool) {
	d := ex.Decision
	fmt.Fprintf(w, "%s.%s = %s\n", d.Policy, d.Threshold, d.Value)
	row := func(k, format string, args ...any) { fmt.Fprintf(w, "  %-11s %s\n", k, fmt.Sprintf(format, args...)) }
	row("rule", "%s", d.Rule)
	row("version", "%s, in force at %s", d.Version, ex.At.Format(time.RFC3339))
	row("why", "%s", ex.Why)
	row("expression", "%s", strings.ReplaceAll(d.Expr, "\n", "\n              "))
	row("source", "%s", d.Source)
	if len(d.Inputs) == 0 {
		row("input", "none read")
	}
	read := map[string]bool{}
	for _, u := range d.Inputs {
		read[u.Name] = true
		note := ""
		if !given[u.Name] {
			note = " (not given: zero)"
		}
		row("input", "%s = %s%s", u.Name, u.Value, note)
	}
	var ignored []string
	for name := range given {
		if !read[name] {
			ignored = append(ignored, name)
		}
	}
	if len(ignored) > 0 {
		sortStrings(ignored)
		row("not read", "%s (given, but the expression does not read it)", strings.Join(ignored, ", "))
	}
}
