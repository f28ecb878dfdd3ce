package main

import (
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/order"
)

func TestGraph(t *testing.T) {
	runCases(t, []cliCase{
		{"graph-help", []string{"graph", "--help"}, exitOK},
		{"graph-order", []string{"graph", "order"}, exitOK},
		{"graph-order-policy", []string{"graph", "order", "graph/order-week.yaml"}, exitOK},
		{"graph-refund-only", []string{"graph", "refund_only"}, exitOK},
		{"graph-refund-only-policy", []string{"graph", "refund_only", "valid/refund-flash.yaml"}, exitOK},
		{"graph-return-refund-dot", []string{"graph", "--format", "dot", "return_refund"}, exitOK},
		{"graph-complaint", []string{"graph", "complaint"}, exitOK},
		{"graph-report", []string{"graph", "report"}, exitOK},
		{"graph-provider-case", []string{"graph", "provider_case"}, exitOK},
		{"graph-other-policy", []string{"graph", "order", "valid/refund-flash.yaml"}, exitOK},
		{"graph-unknown", []string{"graph", "checkout"}, exitUsage},
		{"graph-no-machine", []string{"graph"}, exitUsage},
		{"graph-bad-format", []string{"graph", "order", "--format", "svg"}, exitUsage},
		{"graph-missing-file", []string{"graph", "refund_only", "nowhere.yaml"}, exitLoad},
		{"graph-broken-file", []string{"graph", "refund_only", "broken/type.yaml"}, exitLoad},
	})
}

// The tool draws order's lifecycle from its table exactly as order does
// under the defaults, and with a policy's values otherwise.
func TestGraphOrderMatchesPackage(t *testing.T) {
	_, out := runCLI(t, testFS, "graph", "order")
	if got := strings.SplitN(out, "\n", 2)[1]; got != order.Diagram() {
		t.Errorf("graph order differs from order.Diagram():\n%s", got)
	}
	_, out = runCLI(t, testFS, "graph", "order", "graph/order-week.yaml")
	for _, want := range []string{"after auto_confirm = 168h (ORD-9)", "after payment_timeout = 12h (ORD-4)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// Every machine draws, in both formats.
func TestGraphEveryMachine(t *testing.T) {
	for _, m := range knownMachines {
		for f, head := range map[string]string{"mermaid": "stateDiagram-v2\n", "dot": "digraph "} {
			code, out := runCLI(t, testFS, "graph", m.Name, "--format", f)
			if code != exitOK || !strings.HasPrefix(strings.SplitN(out, "\n", 2)[1], head) {
				t.Errorf("graph %s --format %s: exit %d\n%s", m.Name, f, code, out)
			}
		}
	}
}
