// Package refund runs an order's refund requests — refund only and
// return then refund — as deterministic state machines, and decides the
// money each completed refund gives back.
//
// A [State] holds every request of one paid order; the facts of the
// order itself ([Order]: lines and what was paid for them, shipment and
// signing instants, receipt confirmation, payment mode and route) belong
// to the composing value (package order, or any host) and are passed to
// every call: refund never stores or changes them. A composer that holds
// money in whole fen passes them as [Facts] ([Machine.ApplyFactsAt],
// [Machine.AdvanceFactsAt], [State.ValidateFacts]), judged exactly as the
// Order with those amounts. [Machine.ApplyAt]
// applies an [Event] at an instant; [Machine.AdvanceAt] fires due
// deadlines; [Machine.Apply] and [Machine.Advance] read the clock once
// and call them. Each returns a [Result]: the new state, the [Effect]s to
// carry out (each an [Act] with an ID, the instant it took effect and its
// rule), the [rules.Decision]s taken and the next deadline. The zero
// State is a paid order with no request. Events, effects, states and
// results decode from JSON strictly ([DecodeEvent], [DecodeEffect],
// [DecodeState], [DecodeResult]); an [Entry] is one line of an event log
// for replay.
//
// # The host loop
//
// Store the state and the effects in one transaction, whatever the call
// returned, then wake at Next:
//
//	res, err := m.ApplyAt(order, st, ev, now)
//	tx.Save(res.State); tx.Outbox(res.Effects...) // always, in one transaction
//	tx.Wake(res.Next)
//	if err != nil { return err } // refused: *rules.RuleError, errors.Is(err, refund.ErrFinal)
//
// ApplyAt first fires every deadline due at now, exactly as AdvanceAt
// does, so an event at the very instant a period closes finds it closed
// (one second earlier it is still open). A refused event changes nothing,
// but the deadlines fired before it did: the Result returned with the
// refusal holds them, so nothing is lost. Result.State is always a state
// the host may store. A refusal by a rule is a *rules.RuleError wrapping
// a sentinel of this package (ErrNotAllowed, ErrWindowClosed, …) and
// naming the rule; malformed or invalid input (bad JSON, an invalid
// stored state or order, an invalid enumeration, a bad amount) wraps
// [ErrInvalid]; an instant before the state's last transition wraps
// [ErrClockBehind].
//
// States are input too: ApplyAt and AdvanceAt check every state with
// [State.Validate] against the order (refundtest.Check is the same
// function). Nothing in the package panics on any input; [New] panics
// only on a policy loaded against another schema.
//
// # Policy and versions
//
// Every period below is a threshold of the rule file policy/refund.yaml
// ([DefaultPolicy]) that a host may override with [rules.Set.Override] or
// [rules.Set.OverrideExpr]. The version in force at the request's instant
// judges the whole request: it is pinned in Request.Version and looked up
// by its date ([rules.Set.Pin]) for the request's whole life, also after
// the host reloads policies; a request whose version the set no longer
// holds is refused with [ErrPolicy], never judged by another version. A
// period is half-open: it opens at its event and is closed from its
// deadline on. The rule catalogue is [Catalogue].
//
// # Requests (RFD-1)
//
// An [Open] event asks for some lines, each for all its remaining money
// (zero Amount) or part of it. A line is in at most one open request;
// requests over time never refund more than was paid (RFD-10). The buyer
// may [Modify] a request while it waits on the merchant's first answer,
// after a refusal, or after a direct merchant's silence, and [Withdraw]
// it until the goods are sent back. A modified request keeps its request
// instant: the no-reason window (RFD-5) and whether its lines had
// shipped (RFD-9) are judged then, for the lines it already had.
//
// # Refund only (RFD-2)
//
// The merchant acts within merchant_response (2 days) of the request.
// [MerchantAgree] refunds at once. Silence: under [Escrow] the refund is
// automatic when the period ends; under [Direct] the request goes back to
// the buyer ([AwaitingBuyer], a [Notice]), who may ask for intervention
// within buyer_feedback (7 days), else it closes. [MerchantRefuse]: the
// buyer modifies or asks for intervention within refusal_response (7
// days), else it closes.
//
// # Return then refund (RFD-3, RFD-7)
//
// The merchant acts within return_merchant_response (2 days); silence is
// deemed agreement and, like an agreement, emits [SendReturnAddress]. The
// buyer submits logistics within return_logistics (7 days), else the
// request closes. The merchant then confirms receipt and refunds within
// return_refund (10 days) of the logistics, else the refund is automatic.
// A refusal after receipt (the buyer at fault) gives the buyer
// return_refusal_response (7 days) to ask for intervention or modify.
// RFD-7 (7 days from receipt, no_reason_refund) binds a no-reason return
// once the merchant confirms receipt ([MerchantReceive]), and the earlier
// deadline fires; other returns follow RFD-3 alone unless
// receipt_refund_all is true.
//
// # Platform intervention
//
// [AskIntervention] moves a request to [Intervention], which has no
// deadline; [PlatformDecide] refunds in full ([RefundAll]), in part
// ([RefundPart]) or rejects ([Reject]). Such a refund is Forced.
//
// # Seven-day no-reason returns (RFD-5) and shipping cost (RFD-6)
//
// A [NoReason] return needs lines that support it (Line.NoReason: such an
// item carries the label) and were signed for, requested before
// no_reason_window (days(7): calendar days in the policy's zone, counted
// from the day after the signing instant Line.SignedAt) closes.
// Custom-made and excluded lines are refused with [ErrExcluded]. The
// merchant cannot refuse a labelled item before receipt
// ([ErrCannotRefuse]); after receipt it may (the item is not intact;
// no_reason_refuse_after_receipt). A [ParcelRefused] request is a refund
// only of shipped, unsigned, labelled lines, which the merchant cannot
// refuse either; an unlabelled refused parcel is not covered (RFD-6
// Reading: the merchant pays unless the buyer caused it, ORD-8). The buyer pays both legs of a no-reason
// return or a refused parcel, only the return leg with free shipping, so
// the outbound fee is never refunded with it ([ShippingCost] effects say
// who pays; no_reason_buyer_pays_shipping).
//
// # Prohibited goods (RFD-8)
//
// A [Prohibited] return must be accepted (the merchant cannot refuse) and
// the merchant bears shipping both ways; the outbound fee is refunded.
// [SuspectCrime] holds the funds and reports ([HoldFunds]); no later
// request on the held lines is accepted. These are fixed by the source.
//
// # Revocation before shipment (RFD-9, ORD-17)
//
// A refund-only request on lines that had not shipped before its instant
// (Line.ShippedAt zero, or not before the request: a shipment recorded at
// the request's very instant counts as after it, as a voucher must be
// dated before the request) revokes the trade for them, in both
// payment modes, taking precedence over RFD-2; one on shipped and
// unshipped lines becomes two requests, the revocation of the unshipped
// lines and an ordinary RFD-2 request of the shipped ones. The merchant
// cannot refuse a revocation; unless it shows a [ShippingVoucher] dated
// before the request within revocation_voucher (2 days, in both modes),
// the request is completed with [RevokeTrade] when that period ends (or
// at once if the merchant agrees). A revocation refunds each revoked
// line's whole remaining payment, whatever the buyer typed. After a
// voucher the request is an ordinary refund only of the amounts asked,
// whose merchant_response is counted from the request; if that period
// has already ended the merchant's silence takes effect at the voucher's
// instant. A merchant that ships lines after their revocation bears the
// shipping both ways and any loss: the composer records the shipment in
// the order and applies [ShippedAfterRevocation], and the machine emits
// [MerchantBearsLoss].
//
// # Money (RFD-4, RFD-10) and one owner per rule
//
// A line's money is what was paid for it net of the discounts, beans and
// points allocated at payment ([Line.Paid]); nothing is re-prorated. A
// refund goes back by the original route ([RefundMoney]; a loan payment
// to the bound bank account). The outbound shipping fee goes back once:
// with the request that leaves every line refunded in full, revocations
// included, unless the buyer pays that outbound leg (RFD-6), and with a
// prohibited-goods return (shipping_fee_with_full_refund).
//
// Refund decides money only. After every completed refund it emits one
// [Settled] act (rule RFD-10) saying what was refunded: each line's money,
// its cumulative refunded and its paid money, whether it is done, the
// [Stage] at the request, whether the platform forced it, and whether
// the order is now refunded in full. The points policy decides beans and
// points from it (PTS-2), the coupon policy coupons (CPN-6/7):
//
//	for _, e := range res.Effects {
//		if s, ok := e.Act.(refund.Settled); ok {
//			// points: Refund{ID: order+"/"+strconv.Itoa(s.Request), Stage, Forced, Lines}
//			// coupon: if s.Full { GiveBack(...) }
//		}
//	}
//
// # State diagrams
//
// Each kind of request has one transition table, [Transitions]: the
// statuses, the events each accepts (any other is refused with
// [ErrNotAllowed]), and the deadlines with the threshold that sets each.
// The machine consults it for every event, and [Diagram] draws it as a
// Mermaid stateDiagram-v2 with the deadline values of a given policy
// ([DiagramDOT]: Graphviz). The diagrams under the default policy are
// kept in testdata/refund_only.mmd and testdata/return_refund.mmd (also
// printed by "tradepolicy graph refund_only" and "... return_refund").
package refund
