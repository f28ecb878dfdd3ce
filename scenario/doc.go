// Package scenario runs scenario files: a trade or case told step by
// step through time, with what each step must give, run on the
// library's state machines exactly as a host runs them. Policy authors
// write them in YAML, without Go; a host runs its own from a Go test
// with one call ([scenariotest.Run]):
//
//	func TestScenarios(t *testing.T) {
//		scenariotest.Run(t, os.DirFS("scenarios"), "*.scenario.yaml")
//	}
//
// and the command tradepolicy runs them with test (and --cover) and
// explains a step with explain FILE --step N. [RunFile] loads and runs
// one file and returns its [Report]; [Cover] sums what reports
// exercised.
//
// # A scenario file
//
//	machine: refund                    # which machine: refund (later order, dispute, provider, points)
//	rules: [RFD-2, RFD-4, RFD-10]      # the rule IDs the scenario covers
//	start: 2024-03-01T10:00:00+08:00   # required, with its offset: no scenario reads the clock
//	policy: [flash.yaml]               # rule files over the defaults, relative to this file (optional)
//	order:                             # what the machine starts from (refund: the order's facts)
//	  mode: escrow
//	  payment: {route: wallet_balance, account: buyer-wallet}
//	  shipping_fee: 0
//	  free_shipping: true
//	  lines:
//	    - {id: A, amount: 30.00, discount: 5.00, shipped_at: 2024-02-28T09:00:00+08:00}
//	steps:
//	  - at: +0s                        # an offset from the previous step (from start: for the first)
//	    event: {type: open, kind: refund_only, reason: agreed, items: [{line: A}]}
//	    expect:
//	      state:
//	        requests[0].status: requested
//	        requests[0].deadline: +48h # an offset from the step's instant
//	      next: +48h
//	      effects: []
//	  - at: +47h59m59s
//	    advance: true
//	    expect:
//	      state:
//	        requests[0].status: requested
//	  - at: 2024-03-03T10:00:00+08:00  # or an absolute instant
//	    advance: true
//	    expect:
//	      effects:
//	        - {type: refund_money, rule: RFD-4, amount: 25.00, route: wallet_balance, at: +0s}
//	        - {type: refund_settled, lines: [{line: A, money: 25, done: true}]}
//	      decisions:
//	        - {rule: RFD-2, note: "escrow merchant silent: automatic refund"}
//	      next: none
//
// The top-level keys are machine:, start: (both required), policy:,
// rules:, skip: (a reason: the file is parsed but not run), doc: (free
// text), steps:, and the machine's start keys. For refund they are
// order: (a refund.Order in its JSON form, decoded strictly: unknown
// keys are errors) and, optionally, state: (a stored refund.State to
// start from).
//
// # Steps
//
// Every step has at: and one action:
//
//   - event: an event by its stable name with its fields, decoded by the
//     machine's own DecodeEvent ({type: merchant_agree, request: 1}; a
//     bare name for an event without fields);
//   - advance: true, the machine's AdvanceAt at the step's instant;
//   - a fact update of the machine's facts (refund: ship: [A], sign:
//     [A], confirm: true set the order's shipping, signing and
//     confirmation instants to the step's instant). A fact update may
//     come with an event, applied before it; alone, it is followed by an
//     advance.
//
// at: is an RFC 3339 instant with its offset, or an offset from the
// previous step: a '+' and terms of a whole number and a unit d (24
// hours), h, m or s, later terms optionally signed: +2d3h, +48h, +1s,
// +2d-1s. A step is never earlier than the one before it.
//
// Deadlines due between two steps fire on their own, in order, each at
// its own instant, exactly as a host that wakes at Next sees them: the
// runner calls AdvanceAt at every pending deadline before the step's
// instant. A deadline due at the step's very instant is fired by the
// step's own call (ApplyAt fires due deadlines first), so an event at the
// instant a period closes finds it closed. The machine's Result.State is
// kept also when a step is refused.
//
// # Expectations
//
// expect: after any step checks what the step gave, since the previous
// step (the deadlines fired before it included):
//
//   - state: paths over the state's JSON form and their values: names
//     and indexes, requests[0].status, requests[-1].settlement.money (a
//     negative index counts from the end). A value compares as text, as
//     a decimal (10.00 equals "10"), as an instant (an offset is from the
//     step's instant), as a boolean; null also matches a member that is
//     absent. A mapping or list compares member by member: a mapping
//     checks only the keys it names.
//   - effects: every effect emitted, in order, each by its type and any
//     of its fields (id, at, rule and the act's fields); [] for none.
//   - decisions: decisions taken, in this order among others, by any of
//     rule, policy, version, threshold, expr, value, inputs, source, note.
//   - next: the state's next deadline (none, an instant or an offset),
//     and pending: every pending deadline, earliest first, each by at,
//     rule, status, subject ("request 1") or boundary.
//   - error: the refusal, by its rule ID and its sentinel's name,
//     {rule: RFD-5, is: ErrWindowClosed}; or none. Without error:, a
//     step that is refused fails.
//
// Write paths with brackets in block style (a flow mapping treats [ as
// YAML syntax) or quote them.
//
// # Problems and failures
//
// A file that does not load reports every problem at once, each as
// file:line:col with its source line, like a rule file ([rules.Errors]):
// YAML syntax, unknown or duplicate keys, bad instants and offsets,
// events and facts that do not decode, unknown effect types, rule IDs
// and sentinel names, policy files that do not load, a start the machine
// refuses, a step earlier than the one before it. A step whose
// expectations fail gets one readable text each; effects are shown as
// a -want +got list.
//
// # Coverage
//
// [Cover] reports, per machine, which event types and which timer edges
// (a status's deadline firing, e.g. requested -RFD-2-> refunded) the
// runs exercised; which boundaries (each pending deadline, by status and
// rule, and other threshold instants such as the end of refund's
// no-reason window) had a step one second before, at, and one second
// after; which rule IDs files name; and everything never exercised.
//
// # Machines
//
// Each machine is adapted by one file of this package (refund.go): its
// events, effects, sentinels, timer edges, facts and start keys. Refund
// exports no transition table: its timer edges are listed in the
// adapter from its documentation, and a test checks that every edge the
// shipped scenarios fire is listed.
package scenario
