package diagram

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildAndRender(t *testing.T) {
	rows := []Row{
		{From: "a", To: "b", Label: "go", Rule: "R-1"},
		{From: "a", To: "b", Label: "go", Rule: "R-1"}, // drawn once
		{From: "a", To: "a", Label: "poke", Rule: "R-2"},
		{From: "a", To: "a", Label: "poke", Rule: "R-3"}, // listed once
		{From: "b", To: "b", Label: "after t = 1h", Rule: "R-4", Timer: true},
		{From: "b", To: "c", Label: `say "hi"`, Rule: "R-5"},
	}
	g := Build("m", []string{"a", "b", "c"}, []Edge{{To: "a", Label: "open (R-0)"}}, rows, []string{"c"})
	want := `stateDiagram-v2
    [*] --> a: open (R-0)
    a --> b: go (R-1)
    b --> b: after t = 1h (R-4)
    b --> c: say "hi" (R-5)
    c --> [*]
    note right of a: accepts poke
`
	if diff := cmp.Diff(want, Mermaid(g)); diff != "" {
		t.Errorf("mermaid (-want +got):\n%s", diff)
	}
	wantDOT := `digraph "m" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "a";
    "b";
    "c" [peripheries=2];
    "[*]" [shape=point];
    "[*]" -> "a" [label="open (R-0)"];
    "a" -> "b" [label="go (R-1)"];
    "b" -> "b" [label="after t = 1h (R-4)", style=dashed];
    "b" -> "c" [label="say \"hi\" (R-5)"];
    "note 1" [shape=note, style="", label="accepts poke"];
    "a" -> "note 1" [style=dotted, arrowhead=none];
}
`
	if diff := cmp.Diff(wantDOT, DOT(g)); diff != "" {
		t.Errorf("dot (-want +got):\n%s", diff)
	}
}
