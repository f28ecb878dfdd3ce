package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/order"
	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

const graphHelp = `
Graph prints the state diagram of a machine, generated from the
machine's own transition table: every status, every event that moves it
(the events a status accepts without moving in a note), and every
deadline, labelled with the threshold that sets it and its value under
the latest version of the given rule files loaded over the embedded
defaults (the defaults alone when no file is given). Each edge names its
rule ID. Mermaid output pastes into Markdown (a "mermaid" code block);
DOT output renders with Graphviz (dot -Tsvg); deadline edges are dashed.

Machines: ` + "%s" + `.

Flags:
  --format mermaid|dot  mermaid stateDiagram-v2 (default) or Graphviz DOT

Exit codes: 0 shown, 2 usage or an unknown machine, 3 a file is missing or
does not load.

Example:

  tradepolicy graph refund_only policy/flash.yaml
  stateDiagram-v2
      [*] --> requested: open (RFD-1)
      requested --> refunded: merchant_agree (RFD-2)
      requested --> refunded: merchant_agree (RFD-9)
      requested --> refused: merchant_refuse (RFD-2)
      requested --> withdrawn: withdraw (RFD-1)
      requested --> refunded: after merchant_response = 24h (RFD-2)
      requested --> awaiting_buyer: after merchant_response = 24h (RFD-2)
      requested --> refunded: after revocation_voucher = 24h (RFD-9)
      awaiting_buyer --> requested: modify (RFD-2)
      awaiting_buyer --> withdrawn: withdraw (RFD-1)
      awaiting_buyer --> intervention: ask_intervention (RFD-2)
      awaiting_buyer --> closed: after buyer_feedback = 168h (RFD-2)
      refused --> requested: modify (RFD-2)
      refused --> withdrawn: withdraw (RFD-1)
      refused --> intervention: ask_intervention (RFD-2)
      refused --> closed: after refusal_response = 168h (RFD-2)
      intervention --> withdrawn: withdraw (RFD-1)
      intervention --> refunded: platform_decide (RFD-2)
      intervention --> closed: platform_decide (RFD-2)
      refunded --> [*]
      closed --> [*]
      withdrawn --> [*]
      note right of requested: accepts modify, shipping_voucher, shipped_after_revocation
      note right of refunded: accepts shipped_after_revocation
`

// machineEntry is one machine graph can draw: the policy whose files set
// its deadlines, and its drawing under a set of that policy.
type machineEntry struct {
	Name, Policy string
	Draw         func(set *rules.Set, dot bool) (string, error)
}

// knownMachines is every machine of the module, by name. Adding one is
// one line.
var knownMachines = []machineEntry{
	{"order", "order", orderGraph},
	{"refund_only", "refund", refundGraph(refund.RefundOnly)},
	{"return_refund", "refund", refundGraph(refund.ReturnRefund)},
	{"complaint", "dispute", pick(dispute.ComplaintDiagram, dispute.ComplaintDiagramDOT)},
	{"report", "dispute", pick(dispute.ReportDiagram, dispute.ReportDiagramDOT)},
	{"provider_case", "provider", pick(provider.Diagram, provider.DiagramDOT)},
}

func machineNames() []string {
	var out []string
	for _, m := range knownMachines {
		out = append(out, m.Name)
	}
	return out
}

// pick draws with mermaid, or dot when asked.
func pick(mermaid, dot func(*rules.Set) string) func(*rules.Set, bool) (string, error) {
	return func(set *rules.Set, asDot bool) (string, error) {
		if asDot {
			return dot(set), nil
		}
		return mermaid(set), nil
	}
}

func refundGraph(k refund.Kind) func(*rules.Set, bool) (string, error) {
	return func(set *rules.Set, dot bool) (string, error) {
		if dot {
			return refund.DiagramDOT(set, k), nil
		}
		return refund.Diagram(set, k), nil
	}
}

func (t *tool) graph(args []string) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	format := formatFlag(fs, "mermaid", "dot")
	pos, ok := t.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(pos) == 0 {
		return t.usageError("graph", "no machine given (want one of %s)", strings.Join(machineNames(), ", "))
	}
	var m machineEntry
	for _, x := range knownMachines {
		if x.Name == pos[0] {
			m = x
		}
	}
	if m.Draw == nil {
		return t.usageError("graph", "unknown machine %q (want one of %s)", pos[0], strings.Join(machineNames(), ", "))
	}
	p, ok := t.policy(m.Policy)
	if !ok {
		return t.usageError("graph", "machine %s: unknown policy %q", m.Name, m.Policy)
	}
	set := p.Defaults()
	if names := pos[1:]; len(names) > 0 {
		l, code := t.loadOrReport("graph", names)
		if l == nil {
			return code
		}
		set = l.effective(p)
		if _, ok := l.sets[p.Name]; !ok {
			fmt.Fprintf(t.stderr, "tradepolicy graph: no file overrides policy %s; its defaults are shown\n", p.Name)
		}
	}
	out, err := m.Draw(set, format.value == "dot")
	if err != nil {
		fmt.Fprintf(t.stderr, "tradepolicy graph: %s: %v\n", m.Name, err)
		return exitLoad
	}
	fmt.Fprint(t.stdout, out)
	return exitOK
}

// orderGraph draws order's lifecycle with order's own drawing
// ([order.DiagramFor]), with the deadline values of set.
func orderGraph(set *rules.Set, dot bool) (string, error) {
	if dot {
		return order.DiagramDOTFor(set)
	}
	return order.DiagramFor(set)
}

var graphHelpText = fmt.Sprintf(graphHelp, strings.Join(machineNames(), ", "))
