package scenario_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/scenario"
	"github.com/tradepolicy/tradepolicy/scenario/scenariotest"
)

// shipped is the module's scenarios/ folder.
var shipped = os.DirFS("../scenarios")

func TestShippedScenarios(t *testing.T) {
	scenariotest.Run(t, shipped, "*"+scenario.Suffix)
}

// runShipped runs every shipped scenario file.
func runShipped(t *testing.T) []scenario.Report {
	t.Helper()
	var reports []scenario.Report
	err := fs.WalkDir(shipped, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, scenario.Suffix) {
			return err
		}
		rep, err := scenario.RunFile(shipped, p)
		if err != nil {
			return err
		}
		reports = append(reports, rep)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return reports
}

// Every rule ID of every machine scenario files may name has a shipped
// scenario that names it, runs and passes. The list grows with the
// machines' catalogues.
func TestEveryRuleHasAScenario(t *testing.T) {
	reports := runShipped(t)
	passing := map[string]bool{}
	for _, r := range reports {
		passing[r.File] = r.Skip == "" && !r.Failed()
	}
	for _, m := range scenario.Cover(reports).Machines {
		for _, r := range m.Rules {
			ok := false
			for _, f := range r.Files {
				ok = ok || passing[f]
			}
			if !ok {
				t.Errorf("machine %s: rule %s has no passing scenario under scenarios/ (files naming it: %v)", m.Machine, r.ID, r.Files)
			}
		}
	}
}

// Every timer edge the shipped scenarios fire is one the machine's
// adapter lists, so that the list of timers does not drift from the
// machine.
func TestFiredTimersAreListed(t *testing.T) {
	for _, m := range scenario.Cover(runShipped(t)).Machines {
		for _, c := range m.Timers {
			if c.Extra {
				t.Errorf("machine %s: timer %s fired but is not in the adapter's list", m.Machine, c.Name)
			}
		}
	}
}

// The boundaries the rules name are stepped at -1s, the instant and +1s.
func TestShippedBoundaries(t *testing.T) {
	want := map[string][]string{
		"refund":   {"requested RFD-2", "requested RFD-3", "no_reason_window RFD-5", "requested RFD-9"},
		"dispute":  {"complaint_window DSP-3", "awaiting_reply DSP-4", "overdue DSP-5", "day3_end DSP-5", "replied DSP-6"},
		"provider": {"resolution_due PRV-8", "noticed PRV-9"},
		"order": {"pending_payment ORD-4", "pending_payment ORD-14", "awaiting_shipment ORD-14", "shipped ORD-9",
			"requested RFD-2", "review_window ORD-20", "follow_up_opens ORD-20", "follow_up_closes ORD-20",
			"balance_start ORD-14", "inspection_window ORD-18", "no_reason_window RFD-5", "requested RFD-9"},
		"coupon": {"valid_from CPN-7", "valid_until CPN-7"},
	}
	for _, m := range scenario.Cover(runShipped(t)).Machines {
		for _, b := range m.Boundaries {
			for _, w := range want[m.Machine] {
				if b.Boundary == w && !(b.Before && b.At && b.After) {
					t.Errorf("machine %s: boundary %s: -1s %t, at %t, +1s %t", m.Machine, w, b.Before, b.At, b.After)
				}
			}
		}
	}
}
