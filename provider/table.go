package provider

import (
	"strings"

	"github.com/tradepolicy/tradepolicy/internal/diagram"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Transition is one edge of a violation case's life: in status From,
// event (or, when Threshold is set, the deadline that threshold sets) On
// moves the case to To under Rule. From == To is an event the status
// accepts without moving (or, for a deadline, one that fires without
// moving: a complaint's resolution deadline runs whatever the status).
// The one table, [Transitions], decides which events a status accepts
// (any other is refused with [ErrNotAllowed]) and draws [Diagram].
// Further conditions of a rule (a cooperating provider, a resolution
// required, proof with an objection) are checked by the event itself,
// with their own errors.
type Transition struct {
	From, To  Status
	On        string // an event name, or the threshold's name for a deadline
	Threshold string // non-empty: a deadline edge, set by this window threshold
	Rule      string
}

func ev(from Status, on, rule string, to ...Status) []Transition {
	out := make([]Transition, len(to))
	for i, s := range to {
		out[i] = Transition{From: from, To: s, On: on, Rule: rule}
	}
	return out
}

func tm(from Status, threshold, rule string, to Status) []Transition {
	return []Transition{{From: from, To: to, On: threshold, Threshold: threshold, Rule: rule}}
}

var table = func() []Transition {
	var t []Transition
	add := func(ts ...[]Transition) {
		for _, x := range ts {
			t = append(t, x...)
		}
	}
	add(
		ev(Investigating, "temporary", "PRV-13", Investigating),
		ev(Investigating, "clear", "PRV-13", Cleared),
		ev(Investigating, "judge", "PRV-9", Judged),
		ev(Investigating, "judge", "PRV-13", Cleared),

		ev(Judged, "notice_sent", "PRV-9", Noticed),

		ev(Noticed, "object", "PRV-9", Objected),
		tm(Noticed, "objection_period", "PRV-9", Final),

		ev(Objected, "rule_objection", "PRV-9", Final, Cancelled),
	)
	for s := Investigating; s <= Cleared; s++ {
		add(ev(s, "resolve", "PRV-8", s), tm(s, "complaint_resolution", "PRV-8", s))
	}
	return t
}()

// Transitions returns the case table, in a fixed order.
func Transitions() []Transition { return append([]Transition(nil), table...) }

type edgeKey struct {
	from Status
	on   string
}

// accepting lists, per event, the statuses that accept it.
var accepted, accepting = func() (map[edgeKey]bool, map[string][]string) {
	m, by := map[edgeKey]bool{}, map[string][]string{}
	for _, x := range table {
		k := edgeKey{x.From, x.On}
		if x.Threshold == "" && !m[k] {
			m[k] = true
			by[x.On] = append(by[x.On], x.From.String())
		}
	}
	return m, by
}()

// accept is the table's answer for event on, of rule rule, in c's
// status: nil, or the refusal.
func accept(c *Case, on, rule string) error {
	if accepted[edgeKey{c.Status, on}] {
		return nil
	}
	return wrongStatus(rule, c, strings.Join(accepting[on], " or "))
}

// Diagram returns a Mermaid stateDiagram-v2 of the case machine, drawn
// from [Transitions]: every edge that changes the status, and every
// deadline, labelled with its event or, for a deadline, its threshold
// and its value under set's latest version (nil: [DefaultPolicy]); the
// events a status accepts without moving are listed in a note.
func Diagram(set *rules.Set) string { return diagram.Mermaid(graph(set)) }

// DiagramDOT is [Diagram] as a Graphviz digraph.
func DiagramDOT(set *rules.Set) string { return diagram.DOT(graph(set)) }

func graph(set *rules.Set) diagram.Graph {
	if set == nil {
		set = DefaultPolicy()
	}
	v := set.Latest()
	var rows []diagram.Row
	for _, x := range table {
		label := x.On
		if x.Threshold != "" {
			label, _ = diagram.After(v, x.Threshold) // a set that loaded evaluates every threshold
		}
		rows = append(rows, diagram.Row{From: x.From.String(), To: x.To.String(), Label: label, Rule: x.Rule, Timer: x.Threshold != ""})
	}
	var states []string
	for s := Investigating; s <= Cleared; s++ {
		states = append(states, s.String())
	}
	start := []diagram.Edge{{To: Investigating.String(), Label: "open (PRV-8, PRV-14)"}}
	final := []string{Final.String(), Cancelled.String(), Cleared.String()}
	return diagram.Build("provider_case", states, start, rows, final)
}
