package main

import "testing"

func TestDiff(t *testing.T) {
	runCases(t, []cliCase{
		{"diff-valid", []string{"diff", "valid"}, exitOK},
		{"diff-json", []string{"diff", "--format", "json", "valid", "diff"}, exitOK},
		{"diff-added-version-zone", []string{"diff", "diff", "valid/refund-flash.yaml"}, exitOK},
		{"diff-no-change", []string{"diff", "lint/identical.yaml"}, exitOK},
		{"diff-no-files", []string{"diff"}, exitUsage},
		{"diff-broken", []string{"diff", "broken/unknown-policy.yaml"}, exitLoad},
		{"diff-missing", []string{"diff", "nope.yaml"}, exitLoad},
		{"diff-help", []string{"diff", "--help"}, exitOK},
	})
}
