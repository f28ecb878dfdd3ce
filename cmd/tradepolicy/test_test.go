package main

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

func TestTest(t *testing.T) {
	runCases(t, []cliCase{
		{"test-defaults", []string{"test"}, exitOK},
		{"test-valid", []string{"test", "valid"}, exitOK},
		{"test-failing", []string{"test", "failing", "valid"}, exitFail},
		{"test-failing-json", []string{"test", "--format", "json", "failing"}, exitFail},
		{"test-failing-junit", []string{"test", "failing", "--format", "junit"}, exitFail},
		{"test-run", []string{"test", "--run", "five|half", "failing", "valid"}, exitOK},
		{"test-run-none", []string{"test", "--run", "^nothing$"}, exitOK},
		{"test-broken", []string{"test", "broken/type.yaml"}, exitLoad},
		{"test-missing-file", []string{"test", "nope"}, exitLoad},
		{"test-bad-run", []string{"test", "--run", "("}, exitUsage},
		{"test-bad-flag", []string{"test", "--verbose"}, exitUsage},
		{"test-help", []string{"test", "-h"}, exitOK},
		{"test-eval-error", []string{"test", "evalfail", "lint"}, exitFail},
		{"test-skip-junit", []string{"test", "--format", "junit", "evalfail"}, exitFail},
		{"test-scenarios-ok", []string{"test", "scenarios/ok"}, exitOK},
		{"test-scenarios-cover", []string{"test", "--cover", "scenarios/ok"}, exitOK},
		{"test-scenarios-fail", []string{"test", "scenarios/fail", "scenarios/ok/escrow.scenario.yaml"}, exitFail},
		{"test-scenarios-fail-json", []string{"test", "--format", "json", "scenarios/fail"}, exitFail},
		{"test-scenarios-junit", []string{"test", "--format", "junit", "scenarios"}, exitLoad},
		{"test-scenarios-junit-ok", []string{"test", "--format", "junit", "scenarios/ok", "scenarios/fail"}, exitFail},
		{"test-scenarios-broken", []string{"test", "scenarios/broken", "broken/type.yaml"}, exitLoad},
		{"test-scenarios-run", []string{"test", "--run", "^escrow$", "scenarios/ok", "scenarios/fail"}, exitOK},
		{"test-scenarios-and-rules", []string{"test", "valid", "scenarios/ok"}, exitOK},
		{"test-skip-reason", []string{"test", "skip"}, exitOK},
		{"test-skip-reason-json", []string{"test", "--format", "json", "skip"}, exitOK},
		{"test-skip-reason-junit", []string{"test", "--format", "junit", "skip"}, exitOK},
		{"test-skip-reason-empty", []string{"test", "skipbroken"}, exitLoad},
	})
}

func TestTestJSONAndJUnitParse(t *testing.T) {
	_, out := runCLI(t, testFS, "test", "--format", "json", "failing")
	var got struct {
		Files []fileResult `json:"files"`
		tally
	}
	if err := json.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Failed != 1 || got.Passed != 3 {
		t.Errorf("tally %+v, want 3 passed (one embedded) 1 failed", got.tally)
	}
	_, out = runCLI(t, testFS, "test", "--format", "junit", "failing")
	var suites junitSuites
	if err := xml.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &suites); err != nil {
		t.Fatal(err)
	}
	if suites.Failures != 1 || suites.Tests != 4 {
		t.Errorf("junit: %d tests, %d failures; want 4, 1", suites.Tests, suites.Failures)
	}
}

// The module's shipped scenarios pass, and cover every rule ID of the
// machines' catalogues.
func TestShippedScenarios(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run([]string{"test", "--cover", "../../scenarios"}, &stdout, &stderr, osFS{}, nil)
	if code != exitOK || !strings.Contains(stdout.String(), "  rules       10/10\n") {
		t.Errorf("exit %d\n%s%s", code, &stdout, &stderr)
	}
}

// A case with skip: is not run (its wrong expectation does not fail),
// and is counted and reported with its reason in every format.
func TestTestSkipReason(t *testing.T) {
	const reason = "waits for the 2025 revision"
	code, out := runCLI(t, testFS, "test", "skip")
	if code != exitOK {
		t.Errorf("exit %d, want %d:\n%s", code, exitOK, out)
	}
	for _, want := range []string{`--- SKIP: skip/refund-skip.yaml:7: "four days after the revision": ` + reason + "\n", ", 1 skipped\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	_, out = runCLI(t, testFS, "test", "--format", "json", "skip")
	var got struct {
		Files []fileResult `json:"files"`
		tally
	}
	if err := json.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Skipped != 1 || got.Failed != 0 {
		t.Errorf("json tally %+v, want 1 skipped, 0 failed", got.tally)
	}
	var skipped []caseResult
	for _, f := range got.Files {
		for _, c := range f.Cases {
			if c.Status == "skip" {
				skipped = append(skipped, c)
			}
		}
	}
	if len(skipped) != 1 || skipped[0].Skip != reason || skipped[0].Name != "four days after the revision" {
		t.Errorf("json skipped cases %+v, want the one with reason %q", skipped, reason)
	}
	_, out = runCLI(t, testFS, "test", "--format", "junit", "skip")
	var suites junitSuites
	if err := xml.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &suites); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, s := range suites.Suites {
		for _, c := range s.Cases {
			if c.Skipped != nil {
				msgs = append(msgs, c.Skipped.Message)
			}
		}
	}
	if suites.Skipped != 1 || len(msgs) != 1 || msgs[0] != reason {
		t.Errorf("junit: %d skipped, messages %q; want 1, [%q]", suites.Skipped, msgs, reason)
	}
	code, out = runCLI(t, testFS, "test", "skipbroken")
	if code != exitLoad || !strings.Contains(out, "skipbroken/refund-skip.yaml:6:11: error: skip: give the reason") {
		t.Errorf("empty reason: exit %d, want %d with its position:\n%s", code, exitLoad, out)
	}
}
