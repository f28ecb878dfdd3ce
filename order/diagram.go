package order

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/diagram"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Diagram is [DiagramFor] under [DefaultPolicy].
func Diagram() string {
	s, _ := DiagramFor(nil) // the embedded default always evaluates (tested)
	return s
}

// DiagramFor returns a Mermaid stateDiagram-v2 of the lifecycle, drawn
// from [Transitions]: every edge that changes the status, labelled with
// its event or, for a deadline, its threshold and value under the latest
// version of set ("after auto_confirm = 240h", an ordinary order's
// payment_timeout), or the merchant's presale term it follows; events a
// status accepts without changing are listed in a note. Each edge names
// its rule ID. A nil set is [DefaultPolicy]; a set of another schema, or
// one whose threshold does not evaluate, is an error wrapping
// [ErrPolicy].
func DiagramFor(set *rules.Set) (string, error) {
	g, err := graphFor(set)
	if err != nil {
		return "", err
	}
	return diagram.Mermaid(g), nil
}

// DiagramDOTFor is [DiagramFor] as a Graphviz digraph (deadline edges
// dashed).
func DiagramDOTFor(set *rules.Set) (string, error) {
	g, err := graphFor(set)
	if err != nil {
		return "", err
	}
	return diagram.DOT(g), nil
}

// terms names the merchant's presale term behind a deadline that no
// threshold sets (ORD-14).
var terms = map[Timer]string{
	DepositTimeout: "presale.deposit_end",
	BalanceTimeout: "presale.balance_end",
	PresaleShip:    "presale.ship_within",
}

// diagramArgs are the inputs a threshold is drawn with: an ordinary
// order's payment limit (no activity limit).
var diagramArgs = map[string][]any{
	"payment_timeout": {time.Duration(0)},
}

func graphFor(set *rules.Set) (diagram.Graph, error) {
	if set == nil {
		set = DefaultPolicy()
	}
	if set.Schema() != Schema() {
		return diagram.Graph{}, fmt.Errorf("order.DiagramFor: %w: a set of policy %q, not loaded against order.Schema()", ErrPolicy, set.Policy())
	}
	v := set.Latest()
	var rows []diagram.Row
	for _, x := range table {
		label := x.On
		switch {
		case x.Threshold != "":
			var err error
			if label, err = diagram.After(v, x.Threshold, diagramArgs[x.Threshold]...); err != nil {
				return diagram.Graph{}, fmt.Errorf("order.DiagramFor: %w: %w", ErrPolicy, err)
			}
		case x.Timer != 0:
			label = "after " + terms[x.Timer] + " (merchant's term)"
		}
		rows = append(rows, diagram.Row{From: x.From.String(), To: x.To.String(), Label: label, Rule: x.Rule, Timer: x.Timer != 0})
	}
	var states []string
	for s := PendingPayment; s <= Closed; s++ {
		states = append(states, s.String())
	}
	start := []diagram.Edge{{To: PendingPayment.String(), Label: "checkout (ORD-1, ORD-2)"}}
	final := []string{Cancelled.String(), Completed.String(), Closed.String()}
	return diagram.Build("order", states, start, rows, final), nil
}
