package scenario

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/rules"
)

// loadProblems loads src as one scenario file and returns its problems'
// messages ("" when it loads).
func loadProblems(t *testing.T, src string) string {
	t.Helper()
	fsys := fstest.MapFS{"x.scenario.yaml": {Data: []byte(src)}}
	_, err := Load(fsys, "x.scenario.yaml")
	if err == nil {
		return ""
	}
	var es rules.Errors
	if !errors.As(err, &es) {
		t.Fatalf("not rules.Errors: %v", err)
	}
	var msgs []string
	for _, e := range es {
		msgs = append(msgs, e.Msg)
	}
	return strings.Join(msgs, "\n")
}

// Malformed start keys, fact updates and checks of the new machines are
// load problems, each naming what is wrong.
func TestAdapterLoadProblems(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"dispute bad trade", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\ntrade: {id: T1, status: completed}\nsteps: [{at: +0s, advance: true}]\n",
			"trade: dispute: invalid input"},
		{"dispute fact not true", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, complete: false}]\n",
			"complete: want true"},
		{"dispute bad record", "machine: dispute\nstart: 2024-03-01T10:00:00+08:00\nrecord: {merchant: m, nope: 1}\nsteps: [{at: +0s, advance: true}]\n",
			"record:"},
		{"provider missing start", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, advance: true}]\n",
			"provider: missing"},
		{"provider both starts", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nstate: {provider: sp, standing: active, seq: 0}\nsteps: [{at: +0s, advance: true}]\n",
			"not both"},
		{"provider unknown check", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nsteps: [{at: +0s, check: {nope: {}}}]\n",
			`unknown check "nope"`},
		{"provider bad check input", "machine: provider\nstart: 2024-03-01T10:00:00+08:00\nprovider: sp\nsteps: [{at: +0s, check: {classify: {clause: \"4.23\"}}}]\n",
			"check: classify:"},
		{"points missing start", "machine: points\nstart: 2024-03-01T10:00:00+08:00\nsteps: [{at: +0s, advance: true}]\n",
			"pay: missing"},
		{"points bad pay", "machine: points\nstart: 2024-03-01T10:00:00+08:00\npay: {order: {id: O, payable: 1.00, lines: []}, wallet: {beans: 0, points: 0}, choice: {beans: 0, points: 0}, extra: 1}\nsteps: [{at: +0s, advance: true}]\n",
			"pay:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := loadProblems(t, tc.src)
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// A fact update the trade's facts refuse is the step's error; a refused
// check is the step's error with its rule; a check's result is matched
// as decisions, and one that fails to match fails the step.
func TestAdapterSteps(t *testing.T) {
	src := `machine: dispute
start: 2024-03-01T10:00:00+08:00
trade: {id: T1, status: unpaid}
steps:
  - at: +0s
    complete: true
    expect:
      error: {is: ErrInvalid}
`
	rep := runSrc(t, src)
	if rep.Failed() {
		t.Errorf("dispute: %s", failures(rep))
	}
	src = `machine: provider
start: 2024-03-01T10:00:00+08:00
provider: sp
steps:
  - at: +0s
    check: {classify: {clause: "4.13"}}
    expect:
      decisions: [{rule: PRV-5, value: class_i}]
`
	rep = runSrc(t, src)
	if !rep.Failed() || !strings.Contains(failures(rep), "PRV-6") {
		t.Errorf("provider: a wrong class passes: %s", failures(rep))
	}
}

func runSrc(t *testing.T, src string) Report {
	t.Helper()
	fsys := fstest.MapFS{"x.scenario.yaml": {Data: []byte(src)}}
	rep, err := RunFile(fsys, "x.scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
