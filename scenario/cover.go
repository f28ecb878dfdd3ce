package scenario

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Coverage is what a set of scenario runs exercised of each machine:
// its event types, its timer edges, the boundaries of its deadlines and
// windows tested at the instant and one second either side, and the
// rule IDs scenarios name; and what was never exercised.
type Coverage struct {
	Machines []MachineCoverage `json:"machines"`
}

// MachineCoverage is the coverage of one machine.
type MachineCoverage struct {
	Machine    string          `json:"machine"`
	Files      int             `json:"files"` // scenarios run (not skipped)
	Events     []Count         `json:"events"`
	Timers     []Count         `json:"timers"`
	Boundaries []BoundaryCount `json:"boundaries"`
	Rules      []RuleCount     `json:"rules"`
	// Missing lists what no scenario exercised: "event x", "timer y",
	// "boundary z at -1s", "rule RFD-n".
	Missing []string `json:"missing"`
}

// Count is how often one event type or timer edge was exercised. Extra
// marks a timer edge that fired but is not in the machine's list.
type Count struct {
	Name      string `json:"name"`
	Threshold string `json:"threshold,omitempty"` // of a timer edge: the threshold that set the deadline
	Count     int    `json:"count"`
	Extra     bool   `json:"extra,omitempty"`
}

// BoundaryCount says at which offsets from a boundary a step was: one
// second before (-1s), at the instant (0s), one second after (+1s).
type BoundaryCount struct {
	Boundary   string   `json:"boundary"`
	Thresholds []string `json:"thresholds,omitempty"` // that set such a deadline, per the machine's timers
	Before     bool     `json:"before"`
	At         bool     `json:"at"`
	After      bool     `json:"after"`
}

// RuleCount names the scenario files that say they cover a rule ID.
type RuleCount struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
}

// Cover returns the coverage of the runs, for every machine scenario
// files may name (a machine no report ran has everything missing).
func Cover(reports []Report) Coverage {
	var c Coverage
	for _, m := range machines {
		mc := MachineCoverage{Machine: m.Name()}
		events, timers := map[string]int{}, map[string]int{}
		bounds := map[string]map[time.Duration]bool{}
		ruleFiles := map[string][]string{}
		for _, r := range reports {
			if r.Machine != m.Name() || r.Skip != "" || r.trace.events == nil {
				continue
			}
			mc.Files++
			for k, v := range r.trace.events {
				events[k] += v
			}
			for k, v := range r.trace.timers {
				timers[k] += v
			}
			for k, v := range r.trace.bounds {
				if bounds[k] == nil {
					bounds[k] = map[time.Duration]bool{}
				}
				for d := range v {
					bounds[k][d] = true
				}
			}
			for _, id := range r.Rules {
				ruleFiles[id] = append(ruleFiles[id], r.File)
			}
		}
		for _, e := range m.EventNames() {
			mc.Events = append(mc.Events, Count{Name: e, Count: events[e]})
			if events[e] == 0 {
				mc.Missing = append(mc.Missing, "event "+e)
			}
		}
		var known []string
		for _, t := range m.Timers() {
			k := t.Key()
			known = append(known, k)
			mc.Timers = append(mc.Timers, Count{Name: k, Threshold: t.Threshold, Count: timers[k]})
			if timers[k] == 0 {
				mc.Missing = append(mc.Missing, "timer "+k)
			}
		}
		for _, k := range sortedKeys(timers) {
			if !slices.Contains(known, k) {
				mc.Timers = append(mc.Timers, Count{Name: k, Count: timers[k], Extra: true})
			}
		}
		for _, b := range m.Boundaries() {
			bc := BoundaryCount{Boundary: b, Before: bounds[b][-time.Second], At: bounds[b][0], After: bounds[b][time.Second]}
			for _, t := range m.Timers() {
				if t.From+" "+t.Rule == b && t.Threshold != "" && !slices.Contains(bc.Thresholds, t.Threshold) {
					bc.Thresholds = append(bc.Thresholds, t.Threshold)
				}
			}
			mc.Boundaries = append(mc.Boundaries, bc)
			for _, x := range []struct {
				ok  bool
				off string
			}{{bc.Before, "-1s"}, {bc.At, "0s"}, {bc.After, "+1s"}} {
				if !x.ok {
					mc.Missing = append(mc.Missing, "boundary "+b+" at "+x.off)
				}
			}
		}
		for _, r := range m.Catalogue() {
			mc.Rules = append(mc.Rules, RuleCount{ID: r.ID, Files: nonNil(ruleFiles[r.ID])})
			if len(ruleFiles[r.ID]) == 0 {
				mc.Missing = append(mc.Missing, "rule "+r.ID)
			}
		}
		mc.Missing = nonNil(mc.Missing)
		c.Machines = append(c.Machines, mc)
	}
	return c
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// WriteText writes the coverage as text: per machine the share of event
// types, timer edges and boundary offsets exercised, the uncovered ones,
// and the rule IDs no scenario names.
func (c Coverage) WriteText(w io.Writer) {
	for _, m := range c.Machines {
		fmt.Fprintf(w, "coverage of %s (%s)\n", m.Machine, plural(m.Files, "scenario file"))
		ev := 0
		for _, e := range m.Events {
			if e.Count > 0 {
				ev++
			}
		}
		tm := 0
		for _, t := range m.Timers {
			if t.Count > 0 && !t.Extra {
				tm++
			}
		}
		nb, bd := 0, 0
		for _, b := range m.Boundaries {
			nb += 3
			for _, ok := range []bool{b.Before, b.At, b.After} {
				if ok {
					bd++
				}
			}
		}
		rc := 0
		for _, r := range m.Rules {
			if len(r.Files) > 0 {
				rc++
			}
		}
		fmt.Fprintf(w, "  events      %d/%d\n", ev, len(m.Events))
		fmt.Fprintf(w, "  timers      %d/%d\n", tm, len(m.Timers)-countExtra(m.Timers))
		for _, t := range m.Timers {
			mark := "x"
			switch {
			case t.Extra:
				mark = "!"
			case t.Count == 0:
				mark = " "
			}
			fmt.Fprintf(w, "    [%s] %s", mark, t.Name)
			if t.Threshold != "" {
				fmt.Fprintf(w, " (%s)", t.Threshold)
			}
			if t.Extra {
				fmt.Fprint(w, " (not in the machine's list of timers)")
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  boundaries  %d/%d (-1s, at, +1s)\n", bd, nb)
		for _, b := range m.Boundaries {
			fmt.Fprintf(w, "    [%s%s%s] %s", mark(b.Before), mark(b.At), mark(b.After), b.Boundary)
			if len(b.Thresholds) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(b.Thresholds, ", "))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  rules       %d/%d\n", rc, len(m.Rules))
		if len(m.Missing) == 0 {
			fmt.Fprintf(w, "  never exercised: nothing\n")
			continue
		}
		fmt.Fprintf(w, "  never exercised:\n")
		for _, s := range m.Missing {
			fmt.Fprintf(w, "    %s\n", s)
		}
	}
}

func mark(ok bool) string {
	if ok {
		return "x"
	}
	return " "
}

func countExtra(cs []Count) int {
	n := 0
	for _, c := range cs {
		if c.Extra {
			n++
		}
	}
	return n
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
