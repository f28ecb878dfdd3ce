package scenario

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// failures renders a report's failures as the tool and scenariotest
// show them.
func failures(rep Report) string {
	var b strings.Builder
	for _, st := range rep.Steps {
		for _, f := range st.Failures {
			fmt.Fprintf(&b, "%s:%d: step %d (%s): %s\n", rep.File, st.Line, st.N, st.Action, f)
		}
	}
	return b.String()
}

func TestRunPasses(t *testing.T) {
	rep, err := RunFile(testFS, "testdata/run/pass.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() || len(rep.Steps) != 2 {
		t.Fatalf("%d steps, failures:\n%s", len(rep.Steps), failures(rep))
	}
	// The deadline fired at its own instant, before the step, at the
	// instant the overriding policy file sets.
	st := rep.Steps[1]
	if len(st.Wakes) != 1 || !st.Wakes[0].Equal(rep.Steps[0].At.Add(24*60*60e9)) {
		t.Errorf("wakes %v", st.Wakes)
	}
	if len(st.Fired) != 1 || st.Fired[0] != "requested -RFD-2-> refunded" {
		t.Errorf("fired %v", st.Fired)
	}
	if st.ErrorRule != "RFD-1" {
		t.Errorf("error rule %q (%s)", st.ErrorRule, st.Error)
	}
}

// A failing file reports each unmet expectation readably: state paths,
// effects as -want +got, decisions not taken, unexpected and missing
// errors, next and pending.
func TestRunFails(t *testing.T) {
	rep, err := RunFile(testFS, "testdata/run/fail.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Failed() {
		t.Fatal("passes")
	}
	golden(t, "testdata/run/fail.golden", failures(rep))
}

func TestRunSkips(t *testing.T) {
	rep, err := RunFile(testFS, "testdata/run/skip.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skip != "waits for the order machine" || len(rep.Steps) != 0 || rep.Failed() {
		t.Errorf("%+v", rep)
	}
}

// An expected error is matched by its rule and by errors.Is on the
// adapter's sentinel, never by text; a wrong rule or sentinel fails.
func TestExpectedError(t *testing.T) {
	base := `machine: refund
start: 2024-03-01T10:00:00+08:00
order: {mode: escrow, payment: {route: wallet_balance}, shipping_fee: 0, free_shipping: true, lines: [{id: A, amount: 5, shipped_at: 2024-02-01T00:00:00Z}]}
steps:
  - at: +0s
    event: {type: merchant_agree, request: 1}
    expect:
      error: %s
`
	tests := []struct {
		want string
		pass bool
	}{
		{"{rule: RFD-1, is: ErrNoRequest}", true},
		{"{is: ErrNoRequest}", true},
		{"{rule: RFD-1}", true},
		{"{rule: RFD-2, is: ErrNoRequest}", false},
		{"{rule: RFD-1, is: ErrFinal}", false},
		{"none", false},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"x.scenario.yaml": {Data: []byte(fmt.Sprintf(base, tt.want))}}
		rep, err := RunFile(fsys, "x.scenario.yaml")
		if err != nil {
			t.Fatalf("%s: %v", tt.want, err)
		}
		if rep.Failed() == tt.pass {
			t.Errorf("error: %s: failed %t, want %t\n%s", tt.want, rep.Failed(), !tt.pass, failures(rep))
		}
	}
	if s := (refundMachine{}).Sentinels(); !errors.Is(rules.Refuse("RFD-5", refund.ErrWindowClosed, ""), s["ErrWindowClosed"]) {
		t.Error("ErrWindowClosed does not map to refund.ErrWindowClosed")
	}
}

// Deadlines between two steps fire in order, each at its own instant, as
// a host that wakes at Next sees them.
func TestWakesAtEveryDeadline(t *testing.T) {
	rep, err := RunFile(os.DirFS("../scenarios/refund"), "rfd3-timeouts.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	last := rep.Steps[len(rep.Steps)-1]
	var got []string
	for _, w := range last.Wakes {
		got = append(got, w.In(rep.zone).Format("01-02 15:04"))
	}
	if want := "03-08 11:00 03-09 12:00 03-11 12:00"; strings.Join(got, " ") != want {
		t.Errorf("wakes %v, want %s", got, want)
	}
	for _, e := range last.Effects {
		if e.At.After(last.At) || e.At.Before(rep.Steps[len(rep.Steps)-2].At) {
			t.Errorf("effect %d at %v", e.ID, e.At)
		}
	}
}

// The coverage of the shipped scenarios, as test --cover prints it.
func TestCoverageGolden(t *testing.T) {
	var reports []Report
	files, _ := fsGlob("../scenarios/refund")
	for _, f := range files {
		rep, err := RunFile(os.DirFS("../scenarios/refund"), f)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, rep)
	}
	var b strings.Builder
	Cover(reports).WriteText(&b)
	golden(t, "testdata/cover.golden", b.String())
	// Without runs, everything is missing.
	c := Cover(nil)
	if len(c.Machines) != len(machines) || c.Machines[0].Files != 0 ||
		len(c.Machines[0].Missing) != len(refund.EventNames())+len(refundMachine{}.Timers())+3*len(refundMachine{}.Boundaries())+len(refund.Catalogue()) {
		t.Errorf("empty coverage: %+v", c)
	}
}

func fsGlob(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), Suffix) {
			out = append(out, e.Name())
		}
	}
	return out, err
}

func TestExplain(t *testing.T) {
	rep, err := RunFile(testFS, "testdata/run/pass.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range rep.Steps {
		if err := rep.Explain(&b, i+1); err != nil {
			t.Fatal(err)
		}
	}
	if err := rep.Explain(&b, 3); err == nil {
		t.Error("step 3 of 2 explained")
	}
	golden(t, "testdata/run/pass.explain", b.String())
}

// A run may start from a stored state: effect IDs go on from its Seq.
func TestStartFromState(t *testing.T) {
	src := `machine: refund
start: 2024-03-01T10:00:00+08:00
order: {mode: escrow, payment: {route: wallet_balance, account: w}, shipping_fee: 0, free_shipping: true, lines: [{id: A, amount: 5, shipped_at: 2024-02-01T00:00:00Z}]}
state: {seq: 41}
steps:
  - at: +0s
    event: {type: open, kind: refund_only, reason: agreed, items: [{line: A}]}
  - at: +1s
    event: merchant_agree
    expect:
      error: {rule: RFD-1, is: ErrNoRequest}
  - at: +1s
    event: {type: merchant_agree, request: 1}
    expect:
      effects:
        - {type: refund_money, id: 42}
        - {type: refund_settled, id: 43}
      state:
        seq: 43
`
	rep, err := RunFile(fstest.MapFS{"s.scenario.yaml": {Data: []byte(src)}}, "s.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Error(failures(rep))
	}
}
