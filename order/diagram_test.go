package order

import (
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/internal/diagram"
	"github.com/tradepolicy/tradepolicy/internal/goldentest"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDiagramGolden(t *testing.T) {
	got := Diagram()
	path := filepath.Join("testdata", "lifecycle.mmd")
	goldentest.Check(t, path, got, *update)
	for _, label := range []string{"payment_timeout = 24h", "auto_confirm = 240h"} {
		if !strings.Contains(got, label) {
			t.Errorf("no timer label %q", label)
		}
	}
}

// The table names only real events and timers, and every event is accepted
// somewhere.
func TestTableCoversEvents(t *testing.T) {
	names := EventNames()
	used := map[string]bool{}
	for _, x := range Transitions() {
		if x.Timer != 0 {
			if x.On != x.Timer.String() {
				t.Errorf("timer edge %+v", x)
			}
			continue
		}
		if !slices.Contains(names, x.On) {
			t.Errorf("unknown event %q in the table", x.On)
		}
		used[x.On] = true
		if !x.From.IsValid() || !x.To.IsValid() || x.Rule == "" {
			t.Errorf("edge %+v", x)
		}
	}
	for _, n := range names {
		if !used[n] {
			t.Errorf("event %s accepted nowhere", n)
		}
	}
}

func TestCatalogueThresholds(t *testing.T) {
	byRule := map[string][]string{}
	for _, d := range Schema().Decls() {
		byRule[d.Rule] = append(byRule[d.Rule], d.Name)
	}
	seen := map[string]bool{}
	for _, r := range Catalogue() {
		if seen[r.ID] {
			t.Errorf("%s twice", r.ID)
		}
		seen[r.ID] = true
		if diff := cmp.Diff(byRule[r.ID], r.Thresholds); diff != "" {
			t.Errorf("%s thresholds (-schema +catalogue):\n%s", r.ID, diff)
		}
	}
	for i := 1; i <= 20; i++ {
		id := "ORD-" + strconvI(i)
		if !seen[id] {
			t.Errorf("%s missing", id)
		}
	}
}

func strconvI(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return string(rune('0'+i/10)) + string(rune('0'+i%10))
}

// The table decides what each status accepts: every event a status lacks
// an edge for is refused with ErrNotAllowed, whatever its fields.
func TestTableDrivesApply(t *testing.T) {
	m := testMachine()
	base := open(t, m, item("a", "s1", "10", 1), item("b", "s1", "5", 1))
	states := map[Status]State{PendingPayment: base}
	states[Cancelled] = must(t, m, base, Cancel{}, t0).State
	aw := paid(t, m, base, t0)
	states[AwaitingShipment] = aw
	states[PartiallyShipped] = must(t, m, aw, Ship{Lines: []string{"a"}, Carrier: "c", Tracking: "1", At: t0}, t0).State
	sh := must(t, m, aw, Ship{Lines: []string{"a", "b"}, Carrier: "c", Tracking: "1", At: t0}, t0).State
	states[Shipped] = sh
	states[Completed] = must(t, m, sh, ConfirmReceipt{}, t0).State
	states[Closed] = must(t, m, aw, MerchantCancel{}, t0).State
	for st, s := range states {
		if s.Status != st {
			t.Fatalf("fixture %v is %v", st, s.Status)
		}
		for _, name := range EventNames() {
			if accepts(st, name) {
				continue
			}
			e, _ := events.New(name)
			_, err := m.ApplyAt(s, e, t0)
			if !errors.Is(err, ErrNotAllowed) {
				t.Errorf("%v accepts no %s, got %v", st, name, err)
			}
		}
	}
}

// DiagramFor labels deadline edges with their threshold and its value
// under the given set, as rule files write it; Diagram is the default.
func TestDiagramFor(t *testing.T) {
	def, err := DiagramFor(nil)
	if err != nil || def != Diagram() {
		t.Fatalf("DiagramFor(nil) differs from Diagram: %v", err)
	}
	p, err := DefaultPolicy().OverrideExpr("auto_confirm", `duration("48h")`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DiagramFor(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"shipped --> completed: after auto_confirm = 48h (ORD-9)", "after payment_timeout = 24h (ORD-4)",
		"after presale.balance_end (merchant's term) (ORD-14)"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "0m0s") {
		t.Errorf("an untrimmed duration in\n%s", got)
	}
	dot, err := DiagramDOTFor(p)
	if err != nil || !strings.Contains(dot, "auto_confirm = 48h") || !strings.HasPrefix(dot, "digraph") {
		t.Errorf("DOT: %v\n%s", err, dot)
	}
	if _, err := DiagramFor(refund.DefaultPolicy()); !errors.Is(err, ErrPolicy) {
		t.Errorf("a foreign set: %v", err)
	}
	// Every deadline edge names its threshold, or a merchant's term.
	for _, x := range Transitions() {
		switch {
		case x.Timer == 0 && x.Threshold != "":
			t.Errorf("event edge with a threshold: %+v", x)
		case x.Timer != 0 && x.Threshold == "" && terms[x.Timer] == "":
			t.Errorf("deadline edge without a threshold or term: %+v", x)
		case x.Threshold != "" && !hasDecl(x.Threshold):
			t.Errorf("unknown threshold %q", x.Threshold)
		}
	}
}

func hasDecl(name string) bool { _, ok := Schema().Decl(name); return ok }

// Decisions write durations as rule files do (Value and inputs), and the
// unlock note too.
func TestDecisionDurations(t *testing.T) {
	m := testMachine()
	rs, err := m.CheckoutAt(cart(item("a", "s1", "10", 1)), t0)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range rs[0].Decisions {
		if d.Threshold == "payment_timeout" {
			found = true
			if d.Value != "24h" {
				t.Errorf("payment_timeout value %q", d.Value)
			}
			for _, in := range d.Inputs {
				if strings.Contains(in.Value, "0m0s") {
					t.Errorf("input %s = %q", in.Name, in.Value)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no payment_timeout decision: %+v", rs[0].Decisions)
	}
	s := paid(t, m, rs[0].State, t0)
	r := must(t, m, s, Ship{Lines: []string{"a"}, Carrier: "SF", Tracking: "1", At: t0}, t0)
	for _, d := range r.Decisions {
		if d.Threshold == "auto_confirm" && d.Value != "240h" {
			t.Errorf("auto_confirm value %q", d.Value)
		}
	}
}

// A deadline edge's label writes its threshold as rule files do, and a
// threshold that cannot be read shows "?" with the reason.
func TestDiagramAfterLabel(t *testing.T) {
	v := DefaultPolicy().Latest()
	if got, err := diagram.After(v, "auto_confirm"); err != nil || got != "after auto_confirm = 240h" {
		t.Errorf("After(auto_confirm) = %q, %v", got, err)
	}
	if got, err := diagram.After(v, "payment_timeout", time.Duration(0)); err != nil || got != "after payment_timeout = 24h" {
		t.Errorf("After(payment_timeout, 0s) = %q, %v", got, err)
	}
	if got, err := diagram.After(v, "no_such_threshold"); got != "after no_such_threshold = ?" || !errors.Is(err, rules.ErrUnknown) {
		t.Errorf("After(no_such_threshold) = %q, %v; want \"?\" and rules.ErrUnknown", got, err)
	}
}
