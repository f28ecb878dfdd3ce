package main

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tradepolicy/tradepolicy/rules"
)

func TestCheck(t *testing.T) {
	runCases(t, []cliCase{
		{"check-scenarios", []string{"check", "scenarios/broken/bad.scenario.yaml", "scenarios/ok/escrow.scenario.yaml", "valid"}, exitLoad},
		{"check-scenario-ok", []string{"check", "scenarios/ok/escrow.scenario.yaml"}, exitOK},
		{"check-valid", []string{"check", "valid"}, exitOK},
		{"check-valid-json", []string{"check", "--format", "json", "valid/refund-flash.yaml"}, exitOK},
		{"check-broken", []string{"check", "broken"}, exitLoad},
		{"check-broken-json", []string{"check", "broken/type.yaml", "--format=json"}, exitLoad},
		{"check-broken-github", []string{"check", "--format", "github", "broken"}, exitLoad},
		{"check-lint", []string{"check", "lint"}, exitOK},
		{"check-lint-github", []string{"check", "lint", "--format", "github"}, exitOK},
		{"check-lint-strict", []string{"check", "--strict", "lint"}, exitFail},
		{"check-missing-file", []string{"check", "valid/nope.yaml"}, exitLoad},
		{"check-no-files", []string{"check"}, exitUsage},
		{"check-bad-format", []string{"check", "--format", "xml", "valid"}, exitUsage},
		{"check-help", []string{"check", "--help"}, exitOK},
	})
}

// The position of every load error is the rules package's; the tool
// adds the level and keeps the source line and caret.
func TestCheckTextForm(t *testing.T) {
	code, out := runCLI(t, testFS, "check", "broken/type.yaml")
	if code != exitLoad {
		t.Fatalf("exit %d", code)
	}
	want := "broken/type.yaml:3:23: error: threshold merchant_response: expression gives int, but merchant_response is declared as window\n" +
		" |   merchant_response: '24'\n" +
		" |                       ^\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks\n%s\ngot\n%s", want, out)
	}
}

func TestCheckNamesNeedNotBeFSPaths(t *testing.T) {
	// Names with glob metacharacters, as a shell passes them, are one file each.
	fsys := fstest.MapFS{"a[1].yaml": {Data: []byte("policy: coupon\nthresholds:\n  max_shop: '2'\n")}}
	if code, out := runCLI(t, fsys, "check", "a[1].yaml"); code != exitOK || !strings.Contains(out, "1 file: 0 errors") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// A registry entry with a catalogue lets check tell a threshold no rule reads.
func TestCheckUnreadThreshold(t *testing.T) {
	entry := knownPolicies[0] // coupon
	entry.Catalogue = func() []rules.RuleInfo {
		return []rules.RuleInfo{{ID: "CPN-3", Thresholds: []string{"max_general"}}}
	}
	var stdout, stderr strings.Builder
	tl := &tool{stdout: &stdout, stderr: &stderr, fsys: testFS, policies: []policyEntry{entry}}
	if code := tl.run([]string{"check", "lint/identical.yaml"}); code != exitOK {
		t.Fatalf("exit %d: %s%s", code, &stdout, &stderr)
	}
	out := stdout.String()
	for _, want := range []string{
		"lint/identical.yaml:4:13: info: threshold max_shop is read by no rule of policy coupon's catalogue",
		"lint/identical.yaml:5:22: info: threshold max_targeted_free is read by no rule",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "max_general is read by no rule") {
		t.Errorf("max_general is read by CPN-3:\n%s", out)
	}
}

// Every window pair names declared window thresholds of known policies;
// a pair of a policy not yet registered is pending, and is skipped.
func TestWindowPairsAreDeclared(t *testing.T) {
	tl := &tool{policies: knownPolicies}
	for _, pair := range knownWindowPairs {
		for _, ref := range []thresholdRef{pair.Inner, pair.Outer} {
			p, ok := tl.policy(ref.Policy)
			if !ok {
				t.Logf("pair %s in %s: policy %s not registered yet; skipped", pair.Inner, pair.Outer, ref.Policy)
				continue
			}
			if !constantWindow(p.Schema(), ref.Threshold) {
				t.Errorf("pair %s in %s: %s is not a window threshold without inputs of policy %s", pair.Inner, pair.Outer, ref.Threshold, ref.Policy)
			}
		}
	}
}

func TestWindowOrderAcrossPolicies(t *testing.T) {
	// A pair between two policies: refund's window checked against one of
	// another policy's, with a made-up pair over refund itself standing in.
	tl := &tool{policies: knownPolicies, pairs: []windowPair{{
		Inner: thresholdRef{"refund", "return_refund"}, Outer: thresholdRef{"refund", "no_reason_window"}, Why: "test"}}}
	fsys := fstest.MapFS{
		"ok.yaml":  {Data: []byte("policy: refund\nthresholds:\n  return_refund: duration(\"144h\")\n")},
		"bad.yaml": {Data: []byte("policy: refund\nthresholds:\n  return_refund: duration(\"169h\")\n")},
		"cal.yaml": {Data: []byte("policy: refund\nthresholds:\n  return_refund: days(6)\n")},
	}
	for name, want := range map[string]bool{"ok.yaml": false, "bad.yaml": true, "cal.yaml": false} {
		var stdout strings.Builder
		tl.stdout, tl.stderr, tl.fsys = &stdout, &stdout, fsys
		tl.run([]string{"check", name})
		if got := strings.Contains(stdout.String(), "window_order") || strings.Contains(stdout.String(), "can be longer"); got != want {
			t.Errorf("%s: warned %v, want %v:\n%s", name, got, want, &stdout)
		}
	}
}

func TestWindowBounds(t *testing.T) {
	for _, c := range []struct {
		in       string
		min, max string
	}{{"days(7)", "168h0m0s", "192h0m0s"}, {"48h", "48h0m0s", "48h0m0s"}} {
		w := mustWindow(t, c.in)
		lo, hi := windowBounds(w)
		if lo.String() != c.min || hi.String() != c.max {
			t.Errorf("%s: %v..%v, want %s..%s", c.in, lo, hi, c.min, c.max)
		}
	}
}

// A file whose threshold a later file of the same policy replaces still
// has its own problems reported.
func TestCheckEveryFileOfAPolicy(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("policy: refund\nthresholds:\n  merchant_response: '24'\n")},
		"b.yaml": {Data: []byte("policy: refund\nthresholds:\n  merchant_response: duration(\"24h\")\n")},
	}
	code, out := runCLI(t, fsys, "check", "a.yaml", "b.yaml")
	if code != exitLoad || !strings.Contains(out, "a.yaml:3:23: error: threshold merchant_response: expression gives int") || !strings.Contains(out, "2 files: 1 error,") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// Once a policy is registered, the pairs naming it apply, across
// policies and versions, reported in whichever checked file sets one
// side.
func TestWindowOrderOnceAPolicyIsRegistered(t *testing.T) {
	fsys := fstest.MapFS{
		"refund-long.yaml":  {Data: []byte("policy: refund\nthresholds:\n  merchant_response: days(20)\n")},
		"dispute-2025.yaml": {Data: []byte("policy: dispute\nversion: 2025-01-01\nthresholds:\n  complaint_window: duration(\"36h\")\n")},
	}
	tl := &tool{fsys: fsys, policies: knownPolicies, pairs: knownWindowPairs}
	for _, c := range []struct {
		file string
		want []string
	}{
		{"refund-long.yaml", []string{
			"refund-long.yaml:3:22: warning: window refund.merchant_response = days(20) (version 2023-07-23) can be longer than dispute.complaint_window = 360h (version 2018-12-29)",
			"refund-long.yaml:3:22: warning: window refund.merchant_response = days(20) (version 2023-07-23) can be longer than dispute.complaint_window = 360h (version 2023-07-23)",
		}},
		{"dispute-2025.yaml", []string{
			"dispute-2025.yaml:4:21: warning: window refund.merchant_response = 48h (version 2023-07-23) can be longer than dispute.complaint_window = 36h (version 2025-01-01)",
			"dispute-2025.yaml:4:21: warning: window refund.return_refund = 240h (version 2023-07-23) can be longer than dispute.complaint_window = 36h (version 2025-01-01)",
		}},
	} {
		var stdout strings.Builder
		tl.stdout, tl.stderr = &stdout, &stdout
		if code := tl.run([]string{"check", c.file}); code != exitOK {
			t.Errorf("%s: exit %d", c.file, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%s: output lacks\n%s\ngot\n%s", c.file, w, &stdout)
			}
		}
		if n := strings.Count(stdout.String(), "window_order") + strings.Count(stdout.String(), ": warning: window"); n != len(c.want) {
			t.Errorf("%s: %d window warnings, want %d:\n%s", c.file, n, len(c.want), &stdout)
		}
	}
}
