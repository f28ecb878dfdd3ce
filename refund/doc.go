// Package refund runs an order's refund requests — refund only and
// return then refund — as deterministic state machines over an injected
// clock, and computes what each completed refund gives back.
//
// A [State] holds the facts of one paid order ([Order], filled by the
// order package or any host at payment; refund does not import order)
// and every request on it. [Machine.Apply] applies an [Event];
// [Machine.Advance] fires due deadlines; both return a [Result] with the
// new state, the [Effect]s to carry out, the [rules.Decision]s taken and
// the next deadline. The zero State is invalid: start with [Machine.Start].
// Events decode from JSON with [DecodeEvent].
//
// A host stores the State (as JSON) and feeds it back, so a State is input
// too: Apply and Advance check it with [State.Validate]. Apply refuses a
// State this package could not have produced with an error wrapping
// [ErrInvalidState]; Advance, which has no error result, returns it
// unchanged with a note. Nothing in the package panics on any State or
// event; [New] panics only on a policy loaded against another schema.
//
// Every period below is a threshold of the rule file policy/refund.yaml
// ([DefaultPolicy]) that a host may override with [rules.Set.Override] or
// [rules.Set.OverrideExpr]; the version in force at the request's instant
// judges the whole request (Request.Version). A period is half-open: it
// opens at its event and is closed from its deadline on. Apply fires the
// deadlines due at its instant before it applies the event, so an event
// at the very instant of a deadline finds the period closed (one second
// earlier it is still open), as the no-reason window and a shipping
// voucher dated at the request instant do. A window threshold evaluating
// to a negative duration is refused with [ErrPolicy].
//
// # Requests (RFD-1)
//
// An [Open] event asks for some lines, each for all its remaining money
// (zero Amount) or part of it. A line is in at most one open request;
// several requests over time never refund more than was paid (RFD-10).
// The buyer may [Modify] a request while it waits on the merchant's first
// answer, after a refusal, or after a direct merchant's silence, and
// [Withdraw] it until the goods are sent back. A modified request keeps
// its request instant: the no-reason window (RFD-5) and whether its
// lines had shipped (RFD-9) are judged then, for the lines it already
// had.
//
// # Refund only (RFD-2)
//
// The merchant acts within merchant_response (2 days) of the request.
// [MerchantAgree] refunds at once. Silence: under [Escrow] the refund is
// automatic when the period ends; under [Direct] the request goes back to
// the buyer ([AwaitingBuyer]), who may ask for intervention within
// buyer_feedback (7 days), else it closes. [MerchantRefuse]: the buyer
// modifies or asks for intervention within refusal_response (7 days),
// else it closes.
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
//
// RFD-7 (DR art.17, the no-reason rules) says the merchant refunds within
// 7 days of receiving the goods, RFD-3 (TR art.6) 10 days from the
// logistics. Reading: both bind a no-reason return once the merchant
// confirms receipt ([MerchantReceive]), and the earlier deadline fires;
// other returns follow RFD-3 alone unless receipt_refund_all is true.
// Thresholds no_reason_refund and return_refund.
//
// # Platform intervention
//
// [AskIntervention] moves a request to [Intervention], which has no
// deadline; [PlatformDecide] refunds in full, in part, or rejects.
//
// # Seven-day no-reason returns (RFD-5) and shipping cost (RFD-6)
//
// A [NoReason] return needs lines that support it and were signed for,
// requested before no_reason_window (days(7): calendar days in the
// policy's zone, counted from the day after signing) closes. Custom-made
// and excluded lines are refused with [ErrExcluded]. The merchant cannot
// refuse a labelled line before receipt ([ErrCannotRefuse]); after
// receipt it may (the item is not intact). The buyer pays both legs of a
// no-reason return or a refused parcel ([ParcelRefused]); with free
// shipping only the return leg, so the outbound fee is never refunded
// ([ShippingCost] effects say who pays).
//
// # Prohibited goods (RFD-8)
//
// A [Prohibited] return must be accepted (the merchant cannot refuse) and
// the merchant bears shipping both ways; the outbound fee is refunded.
// [SuspectCrime] holds the funds and reports ([HoldFunds]); no later
// request on the held lines is accepted.
//
// # Revocation before shipment (RFD-9, ORD-17)
//
// A refund-only request whose lines had not shipped revokes the trade
// for them: unless the merchant shows a [ShippingVoucher] dated before
// the request within revocation_voucher (2 days), the request is refunded
// in full with [RevokeTrade]. The merchant cannot refuse it. A voucher
// must carry its date. After a voucher the request is an ordinary refund
// only whose merchant_response is counted from the request; if that
// period has already ended (a policy with a longer revocation_voucher)
// the merchant's silence takes effect at the voucher's instant.
//
// # Amounts (RFD-4, RFD-10, CPN-6, PTS-2)
//
// A line's money is what was paid for it net of the discounts, beans and
// points allocated at payment ([Line.Paid]); nothing is re-prorated. A
// refund goes back by the original route ([RefundMoney]; a loan payment
// to the bound bank account, which a Loan [Payment] must name). A line's
// beans and points go back once, when its money is refunded in full;
// coupons go back only when the whole order is refunded. For a request
// made after the buyer confirmed receipt (Request.Confirmed) whose lines
// carry comprehensive points, only the platform can force the refund: the
// merchant's agreement or a timeout sends the request to intervention
// (PTS-2). A request made before confirmation is refunded, points
// included, once the merchant agrees, even if the buyer confirms
// meanwhile.
package refund
