package main

import (
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/rules"
)

func TestExplain(t *testing.T) {
	const payable = `{"order":{"payable":"100.00"}}`
	runCases(t, []cliCase{
		{"explain-scenario", []string{"explain", "scenarios/ok/escrow.scenario.yaml", "--step", "2"}, exitOK},
		{"explain-scenario-json", []string{"explain", "--step", "1", "--format", "json", "scenarios/ok/escrow.scenario.yaml"}, exitOK},
		{"explain-scenario-no-step", []string{"explain", "scenarios/ok/escrow.scenario.yaml"}, exitUsage},
		{"explain-scenario-step-range", []string{"explain", "scenarios/ok/escrow.scenario.yaml", "--step", "3"}, exitUsage},
		{"explain-scenario-skipped", []string{"explain", "scenarios/ok/later.scenario.yaml", "--step", "1"}, exitUsage},
		{"explain-scenario-failing", []string{"explain", "scenarios/fail/wrong.scenario.yaml", "--step", "2"}, exitFail},
		{"explain-scenario-broken", []string{"explain", "scenarios/broken/bad.scenario.yaml", "--step", "1"}, exitLoad},
		{"explain-scenario-missing", []string{"explain", "scenarios/nope.scenario.yaml", "--step", "1"}, exitLoad},
		{"explain-default", []string{"explain", "points.bean_payable_cap", "--input", payable, "--at", "2024-03-01T12:00:00+08:00"}, exitOK},
		{"explain-override-version", []string{"explain", "points.bean_payable_cap", "valid", "--input", `{"order.payable": 100}`, "--at", "2024-01-01T00:00:00+08:00"}, exitOK},
		{"explain-before-override-version", []string{"explain", "points.bean_payable_cap", "valid", "--input", payable, "--at", "2023-12-31T23:59:59+08:00"}, exitOK},
		{"explain-before-earliest", []string{"explain", "refund.merchant_response", "--at", "2020-01-01T00:00:00Z"}, exitOK},
		{"explain-now", []string{"explain", "refund.merchant_response", "valid/refund-flash.yaml"}, exitOK},
		{"explain-defaulted-input", []string{"explain", "points.give_back_allowed", "--input", `{"refund":{"stage":"received"}}`, "--format", "json"}, exitOK},
		{"explain-both-inputs", []string{"explain", "points.give_back_allowed", "--input", `{"refund":{"stage":"shipped","forced":true}}`}, exitOK},
		{"explain-unread-input", []string{"explain", "points.points_payable_cap", "explain/cap.yaml", "--input", `{"order":{"eligible":"88.80"}}`}, exitOK},
		{"explain-typo-policy", []string{"explain", "refnd.merchant_response"}, exitUsage},
		{"explain-unknown-policy", []string{"explain", "shop.payment_timeout"}, exitUsage},
		{"explain-unknown-threshold", []string{"explain", "refund.merchant_respons"}, exitUsage},
		{"explain-no-threshold", []string{"explain"}, exitUsage},
		{"explain-bad-json", []string{"explain", "points.bean_payable_cap", "--input", `{"order":`}, exitUsage},
		{"explain-duplicate-key", []string{"explain", "points.bean_payable_cap", "--input", `{"order.payable":"1","order.payable":"2"}`}, exitUsage},
		{"explain-bad-value", []string{"explain", "points.bean_payable_cap", "--input", `{"order":{"payable":true}}`}, exitUsage},
		{"explain-unknown-input", []string{"explain", "points.bean_payable_cap", "--input", `{"order":{"total":"1"}}`}, exitUsage},
		{"explain-bad-at", []string{"explain", "refund.merchant_response", "--at", "2024-03-01"}, exitUsage},
		{"explain-broken-file", []string{"explain", "refund.merchant_response", "broken/type.yaml"}, exitLoad},
		{"explain-help", []string{"explain", "--help"}, exitOK},
		{"explain-eval-error", []string{"explain", "points.give_back_allowed", "evalfail", "--input", `{"refund":{"stage":"shipped"}}`}, exitFail},
	})
}

// Without a clock (and so without a current instant) --at is required.
func TestExplainNeedsAtWithoutClock(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run([]string{"explain", "refund.merchant_response"}, &stdout, &stderr, testFS, nil)
	if code != exitUsage || !strings.Contains(stderr.String(), "--at is required") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// The explained value is the one the package's own policy gives.
func TestExplainAgreesWithThePolicy(t *testing.T) {
	v := points.DefaultPolicy().Latest()
	want, err := v.Eval("bean_payable_cap", mustDecimal(t, "1.01"))
	if err != nil {
		t.Fatal(err)
	}
	_, out := runCLI(t, testFS, "explain", "points.bean_payable_cap", "--input", `{"order":{"payable":"1.01"}}`)
	if !strings.Contains(out, "points.bean_payable_cap = "+rules.FormatValue(want)+"\n") {
		t.Errorf("want value %v in\n%s", want, out)
	}
}
