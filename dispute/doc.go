// Package dispute runs a trade's complaints and reports, locks the trade
// while the parties are at arbitration or court, and keeps the record of
// valid complaints that decides the penalties on a merchant, as
// deterministic state machines over an injected clock (DSP-1 to DSP-12
// of RULES.md: the Dispute Mediation Rules and TR art.7).
//
// A [State] holds every complaint and report of one trade and its lock;
// the trade's own facts (status, payment and completion instants) come in
// as a [Trade] with every call and are never copied into the State, so a
// trade value such as package order's holds them once and the State
// beside them. [Machine.ApplyAt] applies an [Event]; [Machine.AdvanceAt]
// fires due deadlines; both return a [Result] with the new state, the
// [Effect]s to carry out, the [rules.Decision]s taken and the next
// deadline. The zero State is a trade with no dispute. Events, effects,
// states and log entries decode strictly from JSON ([DecodeEvent],
// [DecodeEffect], [DecodeState], [DecodeResult], [Entry]).
//
// # The host loop
//
// Store the state and the effects in one transaction, always, even when
// the event was refused: the deadlines that fell due before the event
// fired, and their effects are in the Result.
//
//	res, err := m.ApplyAt(trade, st, ev, now)
//	tx.Save(res.State); tx.Outbox(res.Effects...)   // always, in one transaction
//	tx.Wake(res.Next)
//	if err != nil { return err }                    // refused: *rules.RuleError, errors.Is(err, dispute.ErrX)
//
// A refusal is a *rules.RuleError naming the rule and wrapping a sentinel
// ([ErrNotAllowed], [ErrWindowClosed], [ErrIncomplete], [ErrLocked], …).
// Malformed input — an invalid stored state or trade, an invalid
// enumeration in an event — is a plain error wrapping [ErrInvalid], with
// the state unchanged. Nothing panics on input; [New] panics only on a
// policy loaded against another schema.
//
// # Policy and versions (DSP-12)
//
// Every period, list and severity rule is a threshold of the rule files
// policy/*.yaml ([DefaultPolicy]) that a host may override with
// [rules.Set.Override] or [rules.Set.OverrideExpr]; [CheckPolicy] checks
// the ranges ([LoadPolicy] does it on load). The files hold the version
// of 2018-12-29 and the revision of 2023-07-23. The seed holds only the
// revised text and names no clause that changed, so both versions judge
// alike; a host that knows the differences overrides either by date. A
// complaint or report is judged for its whole life by the version in
// force at its filing (Complaint.Version, pinned with [rules.Set.Pin]): a
// filing from 00:00 Asia/Shanghai on 2023-07-23 takes the revision. A
// pinned version the set no longer holds is refused with [ErrPolicy],
// never replaced by another. Decisions carry the version that judged.
//
// A period is half-open: it opens at its event and is closed from its
// deadline on. ApplyAt fires the deadlines due at its instant before it
// applies the event, so an event at the very instant of a deadline finds
// the period closed, one second earlier open.
//
// # Filing (DSP-1, DSP-2, DSP-3)
//
// [Complain] files a complaint of one of complaint_types (product,
// delivery, after_sales, review, price); an unlisted type files as
// "other" (DSP-1). A filing lacking any acceptance condition is refused
// with a [*MissingError] naming every missing item at once, each under
// DSP-2: identity and contact, respondent, claims/facts/reasons,
// evidence, a trade on the platform. A trade in progress accepts
// complaints at any time from payment; a completed one until
// complaint_window (360h, exact to the second) after completion; a
// cancelled or closed one never (DSP-3). [Withdraw] withdraws a
// complaint with no outcome yet. A complaint for which shipping_proof
// holds (a delivery complaint about goods not received, DR art.5) emits
// [ShippingProof]: the merchant must prove it shipped.
//
// # Complaints (DSP-4 to DSP-7)
//
// Filing notifies the merchant ([Notice]); its [Reply] is due at
// filed + reply_period (48h, DSP-4). Day 3 is [filed+48h, filed+day3_end)
// = [filed+48h, filed+72h) (DSP-5): the buyer may [AskIntervention] in
// it, and a late reply is still accepted; at filed+72h with neither the
// complaint closes judged [Valid]. After a reply the buyer has
// feedback_period (48h): silence closes it [Satisfied] (DSP-6);
// [Unsatisfied] (with an optional response and evidence) starts a new
// round under DSP-4/5, in which the buyer may ask for intervention at
// once (unsatisfied_intervention, DSP-7). An intervention ends in the
// platform's [Decide]: valid or not valid, with a [Remedy]. Every
// complaint gets exactly one [Outcome], announced once by a [Judged]
// effect; after it no event on the complaint is accepted.
//
// # Mediation plans (DSP-11)
//
// A valid decision with a remedy leaves the complaint in [Plan] until
// [PlanDone]. Meanwhile the buyer may [Press] the merchant: by messaging
// ([RemindMerchant]) or by hotline or online service ([Escalate]);
// escalate_after_reminder makes escalation wait for a reminder.
//
// # Arbitration and litigation (DSP-9, ORD-19)
//
// [GoToCourt] on a complaint without an outcome locks the trade from that
// instant: effect [LockOrder], [State.Locked] true. While it is locked no
// complaint deadline fires (Next is zero) and every event but [Unlock] is
// refused with [ErrLocked]. Unlock — the judgment executed, with its
// verdict, or a settlement — emits [UnlockOrder] and judges the complaint.
// With lock_shift (the default) the other complaints' deadlines resume
// moved later by the time the trade was locked; without it they keep
// their instants and those that passed fire at the unlock, in order.
// [TakeMeasures] emits the platform's necessary [Measures] for safety or
// infringed rights.
//
// # Reports (DSP-8)
//
// [FileReport], by a consumer or a merchant, is not bound by the
// complaint window. Product reports: IP infringement, image infringement,
// prohibited goods, listing violations; trade reports: prohibited
// marketing, credit speculation, price gouging, card fraud, other
// violations. Kinds in report_routed (IP infringement) are routed to the
// platform's separate rules ([RouteReport]) and not judged; the others
// are accepted, reviewed ([Review]) and upheld or dismissed ([Conclude],
// [ReportDecided]).
//
// # Penalties (DSP-10)
//
// A merchant's [Record] counts valid complaints per calendar day and type
// within record_window (days(90) from the day after judgment), with
// running totals: [Machine.RecordAt] adds a [Judged] effect's complaint
// and [Machine.EvaluateAt] moves the window, each in amortised constant
// time, however long the history. The severity thresholds
// penalty_search_demotion, penalty_no_activities, penalty_no_ads,
// penalty_forced_delisting and penalty_deregistration are CEL over the
// record (record.total, record.worst, record.types, record.latest,
// record.of_latest) and give [Penalty] effects least severe first, each
// citing the most recent complaints in the window. The default (the
// sources name no numbers): 1 valid complaint → search demotion, 3 → no
// activities, 5 → no ads, 8 or 5 of one type → forced delisting, 12 →
// deregistration.
//
// # State diagrams
//
// Complaints and reports each have one transition table, [Transitions]
// and [ReportTransitions]: the statuses, the events each accepts (any
// other is refused with [ErrNotAllowed]; while the trade is locked
// everything but unlock with [ErrLocked]) and the deadlines with the
// threshold that sets each. The machine consults them for every event.
// [ComplaintDiagram] and [ReportDiagram] draw them as Mermaid
// stateDiagram-v2 with the deadline values of a given policy (the DOT
// variants: Graphviz). The diagrams under the default policy are kept in
// testdata/complaint.mmd and testdata/report.mmd (also printed by
// "tradepolicy graph complaint" and "tradepolicy graph report").
package dispute
