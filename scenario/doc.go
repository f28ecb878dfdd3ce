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
//	machine: refund                    # which machine: refund, dispute, provider, points, order or coupon
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
// start from). The other machines' start keys are listed under Machines.
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
//     confirmation instants to the step's instant; see Machines for the
//     others), or a step kind of the machine's own (provider's check:,
//     points' pay:). A fact update may come with an event, applied
//     before it; alone, it is followed by an advance.
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
// Each machine is adapted by one file of this package (refund.go,
// dispute.go, provider.go, points.go, order.go, coupon.go): its events, effects,
// sentinels, timer edges, facts and start keys. Package order exports its
// transition table, from which its timer edges are read; the other
// packages export none, and their timer edges are listed in the adapters
// from the packages' documentation. A test checks that every edge the
// shipped scenarios fire is listed. An edge that leaves its subject's
// status as it was (order's presale shipping notice) counts as fired
// when its deadline is no longer pending after it.
//
// refund starts from order: and optionally state: (above).
//
// dispute starts from trade: (a dispute.Trade: {id, status, paid_at,
// completed_at}; absent, the zero Trade of a host that holds only
// reports), optionally state: (a stored dispute.State) and record: (the
// respondent's dispute.Record, {} for a clean one). With record:, every
// valid dispute_judged effect is recorded into it and every advance
// evaluates it, so its dispute_penalty and dispute_penalty_lifted effects
// (DSP-10) follow the machine's in the same step (their IDs are the
// record's own). Fact updates set the trade's facts at the step's
// instant: pay: true (in progress, paid then; a trade without an ID gets
// the ID trade), complete: true (completed then, from in progress),
// cancel: true, close: true.
// Pending deadlines are the complaints' (awaiting_reply DSP-4 at the
// round's start + reply_period, overdue DSP-5 at the end of day 3,
// replied DSP-6); none while the trade is locked. Other boundaries: the
// end of a completed trade's complaint window (complaint_window DSP-3)
// and the end of day 3 of a complaint awaiting a reply (day3_end DSP-5).
//
// provider starts from provider: (the provider's ID) or state: (a stored
// provider.State). Pending deadlines: a required resolution
// (resolution_due PRV-8, subject "case N resolution"; it fires to
// resolution_overdue without changing the case's status) and the
// objection period (noticed PRV-9). Its rules over plain records are
// steps of their own, check: with one of
//
//	check: {admission: {licence_complete: true, …}}              # PRV-2 CheckAdmission
//	check: {scope: {services: [{name, started}], consents: […]}} # PRV-3 CheckScope
//	check: {duties: {merchants: […], trainings: […], …}}         # PRV-4 CheckDuties at the step
//	check: {duplicates: [{id, name, address, location}, …]}      # PRV-1 DuplicateMerchants
//	check: {false_transactions: {trades: […], relations: […]}}   # PRV-1 FalseTransactions
//	check: {invalid_merchants: {merchants, trades, relations}}   # PRV-1 InvalidMerchants at the step
//	check: {classify: {clause: "4.13", goodwill_damage: true}}   # PRV-5…7 Classify, version at the step
//
// whose input is the package's own type in its JSON form, strictly
// decoded. A refusal is the step's error (expect: error: {rule: PRV-2,
// is: ErrNotAdmitted}); a result is the step's decisions, one per item
// found, each with rule: its rule ID, inputs: [{name: check, value: the
// check's name}], value: the item (admitted, in_scope, a duty, "m1,m2"
// for a duplicate group, a trade or merchant ID, a class or
// no_violation) and note: a sentence ("return_visit_record not met: m2",
// "clause 4.13 is class_i, lifted by 4.11"); {value: none} when nothing
// was found. Classify also gives the
// package's own decisions (e.g. significant_impact) before its result.
//
// points runs one order's Spend and the buyer's annual points Ledger
// (PTS-3) together: it starts from pay: {order, wallet, choice}
// (Machine.PayAt at the start instant) or spend: (a stored points.Spend),
// and optionally ledger: (a stored points.Ledger; the zero one without
// it). Every debit_points is recorded in the ledger as its use and every
// give_back_points as its release, as a host does. Its state for state:
// paths is {spend: …, ledger: …} (spend.lines[0].beans_back,
// ledger.used). Events: refund to the Spend; use and release to the
// ledger. The step kind pay: {order, wallet, choice} pays another order
// at the step's instant against the ledger: its Spend replaces the
// current one, its effects are the step's, and a refused choice is the
// step's error (so a scenario pays twice against one ledger to reach the
// annual cap). The effects of the start's payment are those of the first
// step. Neither a Spend nor a Ledger has deadlines.
//
// order runs one order, the trade aggregate, with its refund requests and
// complaints inside it. It starts from cart: (an order.Cart in its JSON
// form, strictly decoded) checked out at the start instant
// (Machine.CheckoutAt), or from state: (a stored order.State), not both.
// With cart:, order: N picks which of the checkout's orders the scenario
// follows (1-based, in the order CheckoutAt returns them; 1 without it),
// and numbers: [N-1, N-2] gives the order numbers the checkout takes in
// turn (without it, order's own: the cart's ID and -1, -2, …, so a cart C1
// makes C1-1, C1-2). An item's activity_limit and a presale's ship_within
// are durations in nanoseconds (order's JSON form); presale instants are
// UTC.
//
//	machine: order
//	start: 2024-03-01T10:00:00+08:00
//	order: 2                           # follow the second order: the activity item's
//	cart:
//	  id: C1
//	  stores: [{id: S1, mode: escrow}]
//	  items:
//	    - {id: A, store: S1, price: 10.00, quantity: 1, stock: 5}
//	    - {id: F, store: S1, price: 9.90, quantity: 1, stock: 1, activity: true, activity_limit: 900000000000}
//	  delivery: {recipient: Li Lei, phone: "13800000000", address: 1 Garden Road}
//	  invoice: {kind: ordinary_vat}
//
// The checkout's decisions are those of the first step, each order's
// followed by one of the adapter's own: {rule: ORD-2, value: the order's
// number, note: "order C1-1: store S1, ordinary, lines A"}. Events are
// order's (order.DecodeEvent), the wrapped ones included: {type: refund,
// event: {type: open, …}} and {type: complaint, event: {type: complain,
// …}}. An expected error's is: names order's sentinels as they are
// (ErrNotAllowed, ErrLocked, ErrWindowNotOpen, …) and those of the refund
// requests and complaints qualified: refund.ErrWindowClosed,
// dispute.ErrLocked. Two step kinds of its own:
//
//	checkout: {cart: {…}, order: 2, numbers: [N-1]}              # another cart checked out at the step
//	check: {deregister: {funds: [{name, amount, available}]}}    # ORD-15 Deregister([the order], funds)
//	check: {risk: {shipment: 1}}                                 # ORD-16 RiskAt, courier: the parcel's signing
//	check: {risk: {method: online, retrievable_at: …}}           # ORD-16 RiskAt of a handover
//	check: {inspect: {shipment: 1, surface: true, evidence: …}}  # ORD-18 Inspect, signed_at of the parcel
//
// checkout: replaces the order followed by the one it picks; a refusal
// (ORD-1: ErrOutOfStock, ErrDuplicate) is the step's error. A check's
// result is one decision per item, with rule: its rule ID, inputs:
// [{name: check, value: deregister}], value: (deregister: allowed, or per
// block the unfinished order's number or the fund item's name; risk:
// shipper or consignee; inspect: admissible or inadmissible) and note:
// the reason ("within the inspection window (until …)").
// Pending deadlines: the order's own (subject order, status the order's:
// pending_payment ORD-4 payment_timeout, pending_payment ORD-14 the
// presale deposit and balance windows, awaiting_shipment ORD-14 the
// presale shipping time, shipped ORD-9 auto_confirm; none while the
// countdown is paused), its refund requests' and its complaints' as under
// refund and dispute; none while the order is locked (ORD-19). Other
// boundaries: review_window, follow_up_opens and follow_up_closes ORD-20,
// balance_start ORD-14, inspection_window ORD-18 (per signed parcel),
// no_reason_window RFD-5, complaint_window DSP-3 and day3_end DSP-5.
//
// coupon runs package coupon, which has no deadlines and no events of its
// own: one checkout's cart and the buyer's wallet, the checkout's
// allocation and redemption, and the give-backs of its orders (CPN-6,
// CPN-7). It starts from cart: (a coupon.Cart, {buyer, lines: [{id,
// store, item, category, amount}]}) and wallet: (a coupon.Wallet, {owner,
// coupons: [{id, owner, kind, face, threshold, store, stores, items,
// categories, valid_from, valid_until, status}]}; an empty wallet without
// it), both in their JSON form, strictly decoded. Its state for state:
// paths is {cart, wallet, choice, allocation, redemption}: choice the last
// best's coupon.Choice (uses, allocation, left_out, exact), allocation
// and redemption the paid checkout's (absent before the first choose).
// Its events are the adapter's:
//
//	event: best                                              # Engine.BestAt(cart, wallet) at the step
//	event: {type: choose, uses: [{coupon: G1, store: S1}]}   # Engine.AllocateAt: the buyer's combination, paid
//	event: {type: give_back, order: S1, reason: cancel}      # Engine.GiveBack of one order: cancel, full_refund, partial_refund
//	freeze: [X1]                                             # the platform freezes wallet coupons (CPN-1); void: [X2] voids them
//
// best records the choice as the state's choice and gives the search's
// decisions, then one per chosen coupon ({rule: CPN-4, or CPN-5 for a
// cross-store coupon, value: its discount, inputs: [{name: coupon,
// value: G1}], note: "coupon G1 (general): 10.00 over S1 10.00"}), then
// one per coupon left out ({rule: the violation's, value: the coupon,
// inputs: [{name: left_out, value: its code, e.g. too_many}], note: the
// violation}). best and choose may give cart: {…}, which replaces the
// cart from the step on. choose checks the combination: a refused one is
// the step's error, its first violation's rule ID with every violation's
// sentinel ({rule: CPN-2, is: ErrIncompatible}); a valid one is paid, as
// a host pays: the allocation and its redemption (Allocation.Redemption)
// replace the state's, each coupon is marked used in its orders
// (coupon.MarkUsed), and the step gives a decision per coupon as best
// does. give_back judges the redemption at the step's instant and gives
// its give_back_coupons effect, carried out on the wallet
// (GiveBackCoupons.ApplyTo), with the package's decisions. Boundaries are
// the wallet coupons' validity bounds, valid_from CPN-7 and valid_until
// CPN-7 (a coupon is valid while valid_from <= t < valid_until).
package scenario
