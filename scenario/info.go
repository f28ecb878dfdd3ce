package scenario

import (
	"maps"
	"slices"
)

// Format is the vocabulary of scenario files, read from the declarations
// the parser itself uses: the keys each level of a file may have and,
// per machine, the names its start keys, steps, events, effects,
// sentinels and rules may take. Tools generate from it what must agree
// with the parser, such as the JSON Schema editors validate scenario
// files with (tradepolicy schema --scenario).
type Format struct {
	TopKeys      []string // keys of every file: machine, start, policy, rules, skip, doc, steps
	StepKeys     []string // keys of every step: at, event, advance, expect, doc
	ExpectKeys   []string // keys of expect: state, effects, decisions, next, pending, error
	DecisionKeys []string // keys of an expected decision
	PendingKeys  []string // keys of an expected pending deadline
	ErrorKeys    []string // keys of an expected error: rule, is
	Machines     []MachineFormat
}

// MachineFormat is what one machine adds to the vocabulary.
type MachineFormat struct {
	Name        string   // machine: NAME
	Events      []string // the names event: may give ("advance" is accepted too, as advance: true)
	EffectKinds []string // the types of expected effects
	Sentinels   []string // the names expect: error: is: may give, sorted
	StartKeys   []string // top-level keys giving what the machine starts from
	FactKeys    []string // step keys of fact updates and of the machine's own step kinds
	Rules       []string // the rule IDs of its catalogue, which rules: may name
}

// OffsetPattern is a regular expression (RE2, and ECMA 262 as JSON
// Schema reads it) matching the text of the offsets [ParseOffset]
// accepts: a '+' and terms of a whole number and a unit d, h, m or s,
// later terms optionally signed. It does not check the range (a negative
// total, more than a hundred years), which ParseOffset refuses.
const OffsetPattern = `^\+[0-9]{1,9}[dhms]([+-]?[0-9]{1,9}[dhms])*$`

// InstantPattern is a regular expression matching the RFC 3339 instants
// with their offset that at: and start: accept.
const InstantPattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`

// FileFormat returns the vocabulary of scenario files, its machines in
// the order [Machines] lists them. The slices are the caller's.
func FileFormat() Format {
	f := Format{
		TopKeys:      slices.Clone(topKeys),
		StepKeys:     slices.Clone(stepKeys),
		ExpectKeys:   slices.Clone(expectKeys),
		DecisionKeys: slices.Clone(decisionKeys),
		PendingKeys:  slices.Clone(pendingKeys),
		ErrorKeys:    []string{"rule", "is"},
	}
	for _, m := range machines {
		mf := MachineFormat{
			Name:        m.Name(),
			Events:      slices.Clone(m.EventNames()),
			EffectKinds: slices.Clone(m.EffectKinds()),
			Sentinels:   slices.Sorted(maps.Keys(m.Sentinels())),
			StartKeys:   slices.Clone(m.StartKeys()),
			FactKeys:    slices.Clone(m.FactKeys()),
		}
		for _, r := range m.Catalogue() {
			mf.Rules = append(mf.Rules, r.ID)
		}
		f.Machines = append(f.Machines, mf)
	}
	return f
}
