// Command tradepolicy is the tool of policy authors: it checks, tests,
// explains and compares the rule files of the tradepolicy library
// without any Go. Install it with
//
//	go install github.com/tradepolicy/tradepolicy/cmd/tradepolicy@latest
//
// or run it from a checkout with go run ./cmd/tradepolicy.
//
// A rule file names the policy it defines or overrides (policy: refund)
// and is loaded over that policy's embedded defaults, exactly as a host
// loads it with [rules.Set.Override]: with a version equal to a default
// version it replaces thresholds of that version, with a new date it
// adds a version, and with none it replaces thresholds in every version.
// Files of one policy are loaded together. The policies are coupon,
// points and refund. The rule-file format is that of package rules.
//
// Arguments that name a directory stand for every *.yaml and *.yml file
// under it, except scenario files (*.scenario.yaml) and hidden
// directories. Every command prints its flags and an example with
// --help.
//
// # check
//
//	tradepolicy check [--format text|json|github] [--strict] FILE|DIR...
//
// Check reports every problem of the files at once, each as
// file:line:col: level: message followed by the source line and a
// caret, the form editors and CI parse:
//
//	$ tradepolicy check broken.yaml policy/
//	broken.yaml:3:23: error: threshold merchant_response: expression gives int, but merchant_response is declared as window
//	 |   merchant_response: '24'
//	 |                       ^
//	2 files: 1 error, 0 warnings, 0 infos
//
// Scenario files named on the command line are checked as well, without
// running them (see test). Beyond load errors it reports lints: an override identical to the
// default it replaces (warning, code identical_override); a window that
// can be longer than a window it must fit inside, such as the RFD-9
// voucher period longer than the RFD-2 response period (warning,
// window_order); a threshold no rule of the policy's catalogue reads
// (info, unread_threshold). --format json prints one object with every
// problem (file, line, col, level, code, message, source); --format
// github prints workflow commands, which GitHub Actions shows as
// annotations on the lines, from a workflow step such as
//
//	go run ./cmd/tradepolicy check --format github policy/
//
// # test
//
//	tradepolicy test [--run PATTERN] [--format text|json|junit] [--cover] [FILE|DIR...]
//
// Test runs the tests: cases of the files and of the embedded defaults
// (all of them when no file is given), each against the version it
// names, and prints a line per file, the wanted and actual value of every
// failed expectation, and a closing count:
//
//	$ tradepolicy test policy/
//	ok    policy/refund.yaml (refund, embedded) 1 passed
//	    --- PART: policy/refund.yaml:62: "default periods": merchant_response, revocation_voucher skipped: replaced by an override file, whose own cases check it
//	ok    policy/flash.yaml (refund) 1 passed, 1 skipped
//	    --- SKIP: policy/flash.yaml:12: "presale limit": waits for the presale revision
//	2 passed, 0 failed, 1 skipped
//
// A case with skip: REASON is checked when its file loads but not run,
// and is reported as skipped with its reason (json: "skip": REASON;
// junit: <skipped message=REASON/>); an empty reason is a load error. A
// default case of a threshold that a file replaced is skipped with that
// reason; the file's own cases check it. --run keeps the cases whose name
// matches a regular expression; --format junit writes JUnit XML for CI.
//
// Scenario files (*.scenario.yaml, named or found under a directory) run
// too, one case each, in the format of package scenario: a trade told
// step by step through time, the deadlines between steps firing at their
// own instants. --cover then reports, per machine, the event types,
// timer edges and deadline boundaries (one second before, at, one second
// after) the scenarios exercised, the rule IDs they name, and what was
// never exercised:
//
//	tradepolicy test --cover scenarios/
//
// # explain
//
//	tradepolicy explain POLICY.THRESHOLD [--input JSON] [--at TIME] [--format text|json] [FILE|DIR...]
//	tradepolicy explain SCENARIO --step N [--format text|json]
//
// Explain evaluates one threshold at an instant, over the given files,
// and says why: the version in force and its effective date in its zone,
// the expression and where it is written, each input it read, the value
// and the rule ID. --at is an RFC 3339 instant and defaults to now.
//
//	$ tradepolicy explain points.bean_payable_cap --input '{"order":{"payable":"100.00"}}' --at 2024-03-01T12:00:00+08:00
//	points.bean_payable_cap = 99
//	  rule        PTS-1
//	  version     2023-07-23, in force at 2024-03-01T12:00:00+08:00
//	  why         effective from 2023-07-23 00:00 Asia/Shanghai (+08:00), the latest version not after that instant
//	  expression  order.payable * decimal("0.99")
//	  source      policy/points.yaml:18:12
//	  input       order.payable = 100
//
// explain SCENARIO --step N runs a scenario file and says why step N
// gave what it gave, one plain sentence per decision:
//
//	tradepolicy explain scenarios/refund/rfd2-escrow-silence.scenario.yaml --step 3
//
// # diff
//
//	tradepolicy diff [--format text|json] FILE|DIR...
//
// Diff shows what the files change in the embedded defaults, per
// version: each changed threshold from what expression and value to
// what, versions added, zones changed.
//
//	$ tradepolicy diff policy/flash.yaml
//	refund (policy/flash.yaml)
//	  version 2023-07-23
//	    merchant_response (RFD-2): duration("48h") = 48h -> duration("24h") = 24h  (policy/flash.yaml:7:12)
//	    revocation_voucher (RFD-9): duration("48h") = 48h -> duration("24h") = 24h  (policy/flash.yaml:8:24)
//	2 thresholds changed in 1 version
//
// # schema
//
//	tradepolicy schema [--scenario] [POLICY...]
//
// Schema prints a JSON Schema (draft-07) of rule files generated from the
// Go declarations: per policy each threshold with its rule, type, doc and
// inputs, and the shape of test cases. Save it and start rule files with
// the YAML language server's modeline, so that editors (VS Code's YAML
// extension and others built on yaml-language-server) complete and
// validate them:
//
//	$ tradepolicy schema > tradepolicy.schema.json
//
//	# yaml-language-server: $schema=./tradepolicy.schema.json
//	policy: refund
//	thresholds:
//	  merchant_response: 'duration("24h")'
//
// With --scenario it prints the JSON Schema of scenario files instead,
// generated from the vocabulary package scenario parses them with
// (scenario.FileFormat): the top-level keys and each machine's start
// keys, machine: one of the machines, rules: the rule IDs of the
// machine's catalogue, and per step at: (an RFC 3339 instant or an
// offset such as +2d3h), event: with its type one of the machine's event
// names, advance:, the machine's fact updates, and expect: with its keys,
// effect types and sentinel names:
//
//	$ tradepolicy schema --scenario > scenario.schema.json
//
//	# yaml-language-server: $schema=./scenario.schema.json
//	machine: refund
//
// # graph
//
//	tradepolicy graph MACHINE [--format mermaid|dot] [FILE|DIR...]
//
// prints the state diagram of a machine (order, refund_only,
// return_refund, complaint, report, provider_case), generated from the machine's own transition table,
// deadline edges labelled with their threshold and its value under the
// given rule files over the defaults:
//
//	$ tradepolicy graph refund_only policy/flash.yaml
//	stateDiagram-v2
//	    [*] --> requested: open (RFD-1)
//	    requested --> refunded: merchant_agree (RFD-2)
//	    requested --> refunded: merchant_agree (RFD-9)
//	    requested --> refused: merchant_refuse (RFD-2)
//	    requested --> withdrawn: withdraw (RFD-1)
//	    requested --> refunded: after merchant_response = 24h (RFD-2)
//	    requested --> awaiting_buyer: after merchant_response = 24h (RFD-2)
//	    requested --> refunded: after revocation_voucher = 24h (RFD-9)
//	    awaiting_buyer --> requested: modify (RFD-2)
//	    awaiting_buyer --> withdrawn: withdraw (RFD-1)
//	    awaiting_buyer --> intervention: ask_intervention (RFD-2)
//	    awaiting_buyer --> closed: after buyer_feedback = 168h (RFD-2)
//	    refused --> requested: modify (RFD-2)
//	    refused --> withdrawn: withdraw (RFD-1)
//	    refused --> intervention: ask_intervention (RFD-2)
//	    refused --> closed: after refusal_response = 168h (RFD-2)
//	    intervention --> withdrawn: withdraw (RFD-1)
//	    intervention --> refunded: platform_decide (RFD-2)
//	    intervention --> closed: platform_decide (RFD-2)
//	    refunded --> [*]
//	    closed --> [*]
//	    withdrawn --> [*]
//	    note right of requested: accepts modify, shipping_voucher, shipped_after_revocation
//	    note right of refunded: accepts shipped_after_revocation
//
// # Exit codes
//
//	0  success: no error, every case passed
//	1  internal error (reported on one line; never a stack trace)
//	2  usage: unknown command, flag, policy or threshold; bad --input JSON or --at
//	3  a file is missing or does not load (its problems are printed)
//	4  a test case failed, an evaluation failed, or check --strict found a warning
package main
