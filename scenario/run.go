package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Report is the outcome of running one scenario file.
type Report struct {
	File    string       `json:"file"`
	Machine string       `json:"machine"`
	Rules   []string     `json:"rules,omitempty"`
	Skip    string       `json:"skip,omitempty"`
	Steps   []StepReport `json:"steps"`

	zone  *time.Location
	m     machine
	trace trace
}

// StepReport is what one step gave.
type StepReport struct {
	N      int       `json:"step"`
	Line   int       `json:"line"`
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	// Wakes are the instants the runner woke at before the step, at
	// the deadlines due between the previous step and this one.
	Wakes []time.Time `json:"wakes,omitempty"`
	// Fired are the timer edges that fired since the previous step, at
	// the wakes and at the step's instant.
	Fired []string `json:"fired,omitempty"`
	// Effects and Decisions are those since the previous step: the
	// wakes', then the step's.
	Effects   []Effect         `json:"effects,omitempty"`
	Decisions []rules.Decision `json:"decisions,omitempty"`
	Error     string           `json:"error,omitempty"`
	ErrorRule string           `json:"error_rule,omitempty"`
	Next      time.Time        `json:"next,omitzero"`
	// Pending are the deadlines pending after the step, earliest first.
	Pending []Deadline `json:"pending,omitempty"`
	// Failures are the expectations the step did not meet, one
	// readable text each.
	Failures []string `json:"failures,omitempty"`
}

// Failed reports whether an expectation of a step failed.
func (r Report) Failed() bool {
	return slices.ContainsFunc(r.Steps, func(s StepReport) bool { return len(s.Failures) > 0 })
}

// trace is what a run exercised, for coverage.
type trace struct {
	events map[string]int
	timers map[string]int
	bounds map[string]map[time.Duration]bool
}

// Load reads a scenario file from fsys and checks all of it that can be
// checked without running it: its syntax, its events and facts, its
// policy files (relative to the scenario file, loaded over the
// machine's defaults), its start facts and its step instants. Every
// problem is reported at once as [rules.Errors].
func Load(fsys fs.FS, name string) (*Scenario, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	sc, err := Parse(name, src)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name, lines: sc.lines}
	set := sc.m.Policy()
	if len(sc.Policy) > 0 {
		var files []string
		for i, f := range sc.Policy {
			full := path.Join(path.Dir(name), f)
			if _, err := fs.Stat(fsys, full); err != nil {
				p.at(sc.policyPos[i], rules.ErrMissing, "policy: %s: no such file (paths are relative to the scenario file)", full)
				continue
			}
			files = append(files, full)
		}
		if len(files) > 0 {
			s, err := set.Override(fsys, files...)
			if err != nil {
				var es rules.Errors
				var e *rules.Error
				switch {
				case errors.As(err, &es):
					p.errs = append(p.errs, es...)
				case errors.As(err, &e):
					p.errs = append(p.errs, e)
				default:
					p.at(sc.policyPos[0], rules.ErrValue, "policy: %v", err)
				}
			} else if len(files) == len(sc.Policy) {
				set = s
			}
		}
	}
	if _, err := sc.m.Begin(set, sc.start, sc.Start); err != nil {
		n := sc.root
		var ke *keyError
		if errors.As(err, &ke) {
			if k := sc.startNode[ke.Key]; k != nil {
				n = placeError(k, ke.Err.Error())
			}
		}
		p.at(n, rules.ErrValue, "%v", err)
	}
	prev := sc.Start
	for _, st := range sc.Steps {
		at := st.at.resolve(prev)
		if at.Before(prev) {
			p.atPos(st.Line, 0, rules.ErrValue, fmt.Sprintf("step %d: at %s is earlier than the previous step (%s)", st.N, at.Format(time.RFC3339), prev.Format(time.RFC3339)))
		}
		prev = at
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	sc.set = set
	return sc, nil
}

// RunFile loads and runs one scenario file of fsys. The error is for a
// file that does not load ([rules.Errors], with positions); expectations
// that fail are in the Report ([Report.Failed]).
func RunFile(fsys fs.FS, name string) (Report, error) {
	sc, err := Load(fsys, name)
	if err != nil {
		return Report{File: name}, err
	}
	return sc.Run(), nil
}

// maxWakes bounds the deadlines fired between two steps.
const maxWakes = 10000

// Run runs a scenario that [Load] returned (a Scenario that [Parse]
// returned runs over the machine's default policy, without its policy
// files). It never reads the clock: every instant comes from the file.
func (sc *Scenario) Run() Report {
	set := sc.set
	if set == nil {
		set = sc.m.Policy()
	}
	rep := Report{File: sc.File, Machine: sc.Machine, Rules: sc.Rules, Skip: sc.Skip, zone: sc.Start.Location(), m: sc.m,
		trace: trace{events: map[string]int{}, timers: map[string]int{}, bounds: map[string]map[time.Duration]bool{}}}
	if sc.Skip != "" {
		return rep
	}
	inst, err := sc.m.Begin(set, sc.start, sc.Start)
	if err != nil {
		rep.Steps = append(rep.Steps, StepReport{Failures: []string{"start: " + err.Error()}})
		return rep
	}
	// seen are the boundaries the run has met so far: every deadline
	// pending at some point and every other threshold instant.
	seen := map[Deadline]bool{}
	see := func(ds []Deadline) {
		for _, d := range ds {
			d.Status = ""
			seen[d] = true
		}
	}
	prev := sc.Start
	for _, st := range sc.Steps {
		at := st.at.resolve(prev)
		sr := StepReport{N: st.N, Line: st.Line, At: at, Action: st.Action}
		see(inst.Deadlines())
		see(inst.Instants(at))
		for range maxWakes {
			ds := inst.Deadlines()
			if len(ds) == 0 || !ds[0].At.Before(at) {
				break
			}
			next := ds[0].At
			fired := fire(inst.Fork(), next)
			out := inst.Advance(next)
			sr.Wakes = append(sr.Wakes, next)
			sr.Fired = append(sr.Fired, fired...)
			sr.Effects = append(sr.Effects, out.Effects...)
			sr.Decisions = append(sr.Decisions, out.Decisions...)
			see(inst.Deadlines())
			if ds := inst.Deadlines(); len(ds) > 0 && !ds[0].At.After(next) {
				sr.Failures = append(sr.Failures, fmt.Sprintf("the machine did not fire its deadline at %s", next.Format(time.RFC3339)))
				break
			}
		}
		var factErr error
		for _, f := range st.facts {
			if err := inst.Update(f.value, at); err != nil {
				factErr = err
				break
			}
		}
		if factErr == nil {
			sr.Fired = append(sr.Fired, fire(inst.Fork(), at)...)
		}
		var out outcome
		var stepErr error
		switch {
		case factErr != nil:
			stepErr = factErr
		case st.event != nil:
			out, stepErr = inst.Apply(st.event, at)
			rep.trace.events[st.Action[strings.LastIndex(st.Action, "+")+1:]]++
		default:
			out = inst.Advance(at)
		}
		sr.Effects = append(sr.Effects, out.Effects...)
		sr.Decisions = append(sr.Decisions, out.Decisions...)
		sr.Next = out.Next
		sr.Pending = inst.Deadlines()
		see(sr.Pending)
		if stepErr != nil {
			sr.Error = stepErr.Error()
			var re *rules.RuleError
			if errors.As(stepErr, &re) {
				sr.ErrorRule = re.Rule
			}
		}
		for _, f := range sr.Fired {
			rep.trace.timers[f]++
		}
		for b := range seen {
			if d := at.Sub(b.At); d >= -time.Second && d <= time.Second && d%time.Second == 0 {
				if rep.trace.bounds[b.Boundary] == nil {
					rep.trace.bounds[b.Boundary] = map[time.Duration]bool{}
				}
				rep.trace.bounds[b.Boundary][d] = true
			}
		}
		if st.expect != nil {
			sr.Failures = append(sr.Failures, check(st.expect, sc.m, inst, sr, stepErr, at, rep.zone)...)
		} else if stepErr != nil {
			sr.Failures = append(sr.Failures, "unexpected error: "+stepErr.Error())
		}
		rep.Steps = append(rep.Steps, sr)
		prev = at
	}
	return rep
}

// fire advances inst to at and returns the timer edges that fired.
func fire(inst instance, at time.Time) []string {
	var due []Deadline
	for _, d := range inst.Deadlines() {
		if !d.At.After(at) {
			due = append(due, d)
		}
	}
	if len(due) == 0 {
		return nil
	}
	inst.Advance(at)
	after := inst.Deadlines()
	var out []string
	for _, d := range due {
		// An edge that leaves its subject's status as it was (order's
		// presale shipping notice) fired when its deadline is gone.
		to := inst.StatusOf(d.Subject)
		if to == d.Status && slices.ContainsFunc(after, func(x Deadline) bool { return x.Subject == d.Subject && x.Boundary == d.Boundary }) {
			continue
		}
		out = append(out, Timer{From: d.Status, Rule: d.Rule, To: to}.Key())
	}
	return out
}

func sortDeadlines(ds []Deadline) {
	slices.SortStableFunc(ds, func(a, b Deadline) int { return a.At.Compare(b.At) })
}

// check returns the failures of one step's expectations.
func check(ex *expectation, m machine, inst instance, sr StepReport, stepErr error, at time.Time, zone *time.Location) []string {
	var out []string
	switch w := ex.err; {
	case w == nil || w.none:
		if stepErr != nil {
			out = append(out, "unexpected error: "+stepErr.Error())
		}
	case stepErr == nil:
		out = append(out, fmt.Sprintf("error: want %s, got none", errText(w)))
	default:
		var re *rules.RuleError
		gotRule := ""
		if errors.As(stepErr, &re) {
			gotRule = re.Rule
		}
		if (w.rule != "" && w.rule != gotRule) || (w.sentinel != nil && !errors.Is(stepErr, w.sentinel)) {
			out = append(out, fmt.Sprintf("error: want %s, got %s", errText(w), stepErr))
		}
	}
	if len(ex.state) > 0 {
		b, err := json.Marshal(inst.State())
		if err != nil {
			return append(out, "state: "+err.Error())
		}
		state := decodeAny(b)
		for _, c := range ex.state {
			got, ok := lookup(state, c.path)
			if !ok && c.want.ShortTag() == "!!null" {
				continue // absent is null
			}
			if !ok {
				out = append(out, fmt.Sprintf("state %s: want %s, got nothing (no such field)", c.key.Value, showNode(c.want)))
				continue
			}
			for _, d := range match(c.want, got, at, c.key.Value) {
				out = append(out, "state "+d)
			}
		}
	}
	if ex.has["effects"] {
		if d := effectsDiff(ex.effects, sr.Effects, at, zone); d != "" {
			out = append(out, d)
		}
	}
	if ex.has["decisions"] {
		out = append(out, decisionsDiff(ex.decisions, sr.Decisions, at)...)
	}
	if ex.has["pending"] {
		var got []any
		for _, d := range inst.Deadlines() {
			b, _ := json.Marshal(d)
			got = append(got, decodeAny(b))
		}
		seqNode := &yaml.Node{Kind: yaml.SequenceNode, Content: ex.pending}
		out = append(out, match(seqNode, got, at, "pending")...)
	}
	if ex.next != nil {
		switch {
		case ex.next.Value == "none" && !sr.Next.IsZero():
			out = append(out, fmt.Sprintf("next: want none, got %s", sr.Next.In(zone).Format(time.RFC3339)))
		case ex.next.Value != "none":
			w, _ := parseWhen(ex.next.Value)
			if want := w.resolve(at); !want.Equal(sr.Next) {
				got := "none"
				if !sr.Next.IsZero() {
					got = sr.Next.In(zone).Format(time.RFC3339)
				}
				out = append(out, fmt.Sprintf("next: want %s (%s), got %s", ex.next.Value, want.In(zone).Format(time.RFC3339), got))
			}
		}
	}
	return out
}

func errText(w *errWant) string {
	var parts []string
	if w.rule != "" {
		parts = append(parts, "rule "+w.rule)
	}
	if w.is != "" {
		parts = append(parts, w.is)
	}
	return strings.Join(parts, ", ")
}

// effectsDiff compares the wanted effects with those emitted, in order;
// "" when they match.
func effectsDiff(want []*yaml.Node, got []Effect, at time.Time, zone *time.Location) string {
	var b strings.Builder
	bad := len(want) != len(got)
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(got):
			fmt.Fprintf(&b, "\n  - %s", showNode(want[i]))
		case i >= len(want):
			fmt.Fprintf(&b, "\n  + %s", effectText(got[i], zone))
		default:
			diffs := match(want[i], decodeAny(got[i].JSON), at, "")
			if len(diffs) == 0 {
				fmt.Fprintf(&b, "\n    %s", effectText(got[i], zone))
				continue
			}
			bad = true
			fmt.Fprintf(&b, "\n  - %s\n  + %s", showNode(want[i]), effectText(got[i], zone))
			for _, d := range diffs {
				fmt.Fprintf(&b, "\n      %s", strings.TrimPrefix(d, ": "))
			}
		}
	}
	if !bad {
		return ""
	}
	if len(want) == 0 && len(got) == 0 {
		return ""
	}
	return fmt.Sprintf("effects: want %d, got %d (-want +got):%s", len(want), len(got), b.String())
}

// effectText renders an effect on one line: #id kind at rule {fields}.
func effectText(e Effect, zone *time.Location) string {
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(e.JSON, &fields)
	for _, k := range []string{"id", "at", "rule", "type"} {
		delete(fields, k)
	}
	b, _ := json.Marshal(fields)
	return fmt.Sprintf("#%d %s %s %s %s", e.ID, e.Kind, e.At.In(zone).Format(time.RFC3339), e.Rule, b)
}

// decisionsDiff checks that the wanted decisions were taken in that
// order, among others.
func decisionsDiff(want []*yaml.Node, got []rules.Decision, at time.Time) []string {
	var out []string
	j := 0
	for _, w := range want {
		found := false
		for j < len(got) {
			b, _ := json.Marshal(got[j])
			j++
			if len(match(w, decodeAny(b), at, "")) == 0 {
				found = true
				break
			}
		}
		if !found {
			var lines []string
			for _, d := range got {
				lines = append(lines, "\n    "+d.String())
			}
			out = append(out, fmt.Sprintf("decisions: no decision %s (in this order); the step took:%s", showNode(w), strings.Join(lines, "")))
			break
		}
	}
	return out
}
