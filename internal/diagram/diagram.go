// Package diagram renders the state diagrams of the module's machines,
// drawn from each machine's own transition table, as Mermaid
// stateDiagram-v2 or Graphviz DOT text. It knows nothing of any machine:
// a package turns its table into [Row]s and calls [Build].
package diagram

import (
	"fmt"
	"strings"
)

// Row is one edge of a transition table, as text: in status From, event
// (or deadline) Label moves to To under Rule. A non-timer row with From ==
// To is an event the status accepts without moving; it is listed in a
// note on the status rather than drawn.
type Row struct {
	From, To string
	Label    string // the event's name, or a deadline's label ("after x = 48h")
	Rule     string
	Timer    bool
}

// Edge is one drawn arrow.
type Edge struct {
	From, To, Label string
	Timer           bool
}

// Note is the text attached to a status.
type Note struct{ State, Text string }

// Graph is a diagram ready to render.
type Graph struct {
	Name   string   // the machine's name (DOT's graph name)
	States []string // every status, in the order notes are listed
	Start  []Edge   // arrows from the initial pseudo-state (From ignored)
	Edges  []Edge
	Final  []string // statuses drawn with an arrow to the final pseudo-state
	Notes  []Note
}

// Build turns table rows into a Graph: every row that moves, or any timer
// row, becomes an edge labelled "label (rule)" (identical edges drawn
// once); the events a status accepts without moving become a note
// "accepts a, b" on it, in table order, in the order of states.
func Build(name string, states []string, start []Edge, rows []Row, final []string) Graph {
	g := Graph{Name: name, States: states, Start: start, Final: final}
	seen := map[Edge]bool{}
	stay := map[string][]string{}
	stayed := map[[2]string]bool{}
	for _, r := range rows {
		if r.From == r.To && !r.Timer {
			if k := [2]string{r.From, r.Label}; !stayed[k] {
				stayed[k] = true
				stay[r.From] = append(stay[r.From], r.Label)
			}
			continue
		}
		e := Edge{From: r.From, To: r.To, Label: fmt.Sprintf("%s (%s)", r.Label, r.Rule), Timer: r.Timer}
		if !seen[e] {
			seen[e] = true
			g.Edges = append(g.Edges, e)
		}
	}
	for _, s := range states {
		if len(stay[s]) > 0 {
			g.Notes = append(g.Notes, Note{State: s, Text: "accepts " + strings.Join(stay[s], ", ")})
		}
	}
	return g
}

// Mermaid renders g as a Mermaid stateDiagram-v2.
func Mermaid(g Graph) string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, e := range g.Start {
		fmt.Fprintf(&b, "    [*] --> %s: %s\n", e.To, e.Label)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "    %s --> %s: %s\n", e.From, e.To, e.Label)
	}
	for _, s := range g.Final {
		fmt.Fprintf(&b, "    %s --> [*]\n", s)
	}
	for _, n := range g.Notes {
		fmt.Fprintf(&b, "    note right of %s: %s\n", n.State, n.Text)
	}
	return b.String()
}

// DOT renders g as a Graphviz digraph: deadline edges dashed, final
// statuses double-bordered, notes as note-shaped nodes.
func DOT(g Graph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", quote(g.Name))
	b.WriteString("    rankdir=LR;\n    node [shape=box, style=rounded];\n")
	final := map[string]bool{}
	for _, s := range g.Final {
		final[s] = true
	}
	for _, s := range g.States {
		if final[s] {
			fmt.Fprintf(&b, "    %s [peripheries=2];\n", quote(s))
		} else {
			fmt.Fprintf(&b, "    %s;\n", quote(s))
		}
	}
	if len(g.Start) > 0 {
		b.WriteString("    \"[*]\" [shape=point];\n")
	}
	for _, e := range g.Start {
		fmt.Fprintf(&b, "    \"[*]\" -> %s [label=%s];\n", quote(e.To), quote(e.Label))
	}
	for _, e := range g.Edges {
		style := ""
		if e.Timer {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "    %s -> %s [label=%s%s];\n", quote(e.From), quote(e.To), quote(e.Label), style)
	}
	for i, n := range g.Notes {
		id := fmt.Sprintf("\"note %d\"", i+1)
		fmt.Fprintf(&b, "    %s [shape=note, style=\"\", label=%s];\n", id, quote(n.Text))
		fmt.Fprintf(&b, "    %s -> %s [style=dotted, arrowhead=none];\n", quote(n.State), id)
	}
	b.WriteString("}\n")
	return b.String()
}

// quote returns s as a DOT double-quoted ID.
func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
