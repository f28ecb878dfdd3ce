package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tradepolicy/tradepolicy/rules"
)

const diffHelp = `
Diff loads rule files over the embedded defaults of their policies and
shows what the result changes: per version, which thresholds differ from
the defaults, from what expression (and value, for a threshold that
reads no input) to what, and where the new one is written; versions the
files add, compared with the default version in force from their date;
and zone changes. An override identical to the default is no change
(check warns of it).

Flags:
  --format text|json  text (default) or json

Exit codes: 0 shown, 2 usage, 3 a file is missing or does not load.

Example:

  tradepolicy diff policy/flash.yaml
  refund (policy/flash.yaml)
    version 2023-07-23
      merchant_response (RFD-2): duration("48h") = 48h -> duration("24h") = 24h  (policy/flash.yaml:7:12)
      revocation_voucher (RFD-9): duration("48h") = 48h -> duration("24h") = 24h  (policy/flash.yaml:8:24)
  2 thresholds changed in 1 version
`

type policyDiff struct {
	Policy   string        `json:"policy"`
	Files    []string      `json:"files"`
	Versions []versionDiff `json:"versions"`
}

type versionDiff struct {
	Version string `json:"version"`
	// Added is true for a version the files add; Base is then the default
	// version in force from its date, which the changes are against.
	Added   bool            `json:"added,omitempty"`
	Base    string          `json:"base"`
	Zone    *zoneChange     `json:"zone,omitempty"`
	Changes []thresholdDiff `json:"changes"`
}

type zoneChange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type thresholdDiff struct {
	Threshold string   `json:"threshold"`
	Rule      string   `json:"rule"`
	From      exprInfo `json:"from"`
	To        exprInfo `json:"to"`
	// SameValue is true when only the expression changed: a threshold
	// that reads no input still has the default's value.
	SameValue bool `json:"same_value,omitempty"`
}

type exprInfo struct {
	Expr   string `json:"expr"`
	Value  string `json:"value,omitempty"` // for a threshold that reads no input
	Source string `json:"source"`
}

func (t *tool) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	format := formatFlag(fs, "text", "json")
	names, ok := t.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(names) == 0 {
		return t.usageError("diff", "no files given (see tradepolicy diff --help)")
	}
	l, code := t.loadOrReport("diff", names)
	if l == nil {
		return code
	}
	var out []policyDiff
	for _, name := range l.order {
		p, _ := t.policy(name)
		pd := diffSets(p.Defaults(), l.sets[name])
		pd.Policy = name
		for _, f := range l.files {
			if f.policy == name {
				pd.Files = append(pd.Files, f.name)
			}
		}
		out = append(out, pd)
	}
	if format.value == "json" {
		writeJSON(t.stdout, struct {
			Policies []policyDiff `json:"policies"`
		}{nonNil(out)})
		return exitOK
	}
	writeDiff(t.stdout, out)
	return exitOK
}

// diffSets compares every version of the effective set with the default
// version of the same date, or, for an added version, with the default
// version in force from its date.
func diffSets(def, eff *rules.Set) policyDiff {
	var pd policyDiff
	for _, d := range rules.Diff(def, eff) {
		vd := versionDiff{Version: d.Version, Added: d.Added, Base: d.Base, Changes: []thresholdDiff{}}
		if d.ZoneChanged() {
			vd.Zone = &zoneChange{From: d.FromZone, To: d.ToZone}
		}
		for _, c := range d.Changes {
			vd.Changes = append(vd.Changes, thresholdDiff{Threshold: c.Threshold, Rule: c.Rule,
				From: exprInfo(c.From), To: exprInfo(c.To), SameValue: c.SameValue()})
		}
		pd.Versions = append(pd.Versions, vd)
	}
	pd.Versions = nonNil(pd.Versions)
	return pd
}

func (e exprInfo) text() string {
	s := strings.Join(strings.Fields(e.Expr), " ")
	if e.Value != "" && e.Value != s {
		s += " = " + e.Value
	}
	return s
}

func writeDiff(w io.Writer, out []policyDiff) {
	changed, versions := 0, 0
	for _, pd := range out {
		fmt.Fprintf(w, "%s (%s)\n", pd.Policy, strings.Join(pd.Files, ", "))
		if len(pd.Versions) == 0 {
			fmt.Fprintf(w, "  no change\n")
		}
		for _, vd := range pd.Versions {
			versions++
			if vd.Added {
				fmt.Fprintf(w, "  version %s added (against the default version %s in force from its date)\n", vd.Version, vd.Base)
			} else {
				fmt.Fprintf(w, "  version %s\n", vd.Version)
			}
			if vd.Zone != nil {
				fmt.Fprintf(w, "    zone: %s -> %s\n", vd.Zone.From, vd.Zone.To)
			}
			for _, c := range vd.Changes {
				changed++
				same := ""
				if c.SameValue {
					same = ", the same value"
				}
				fmt.Fprintf(w, "    %s (%s): %s -> %s  (%s%s)\n", c.Threshold, c.Rule, c.From.text(), c.To.text(), c.To.Source, same)
			}
		}
	}
	fmt.Fprintf(w, "%s changed in %s\n", plural(changed, "threshold"), plural(versions, "version"))
}
