// Package provider encodes the platform's rules for its service providers
// (RULES.md PRV-1 … PRV-14, from the Service Provider Management System,
// cited SP §n): the clauses of violation and their classes, escalation,
// the violation case from complaint to objection, the measures of each
// class, admission, business scope and duties, and the merchant checks
// whose findings feed the fraud clauses.
//
// Every threshold named below is a CEL expression of the embedded rule
// file policy/provider.yaml ([DefaultPolicy]); a host overrides any of
// them with its own files ([LoadPolicy], [rules.Set.Override]).
//
// # Clauses and classes (PRV-5, PRV-6, PRV-7)
//
// [Clauses] lists SP §4.1 … §4.32 (the source has no 4.23) as [ClauseInfo]
// values: class, title, source reference. [ParseClause] refuses any other
// name with [ErrUnknownClause], naming it. [Classify] gives a [Finding]'s
// class: 4.11 lifts a Class II violation with a significant adverse
// impact to Class I, 4.26 lifts Class III to Class II (one step; the
// threshold significant_impact decides what is significant), and 4.31 is
// a violation only if the platform's notice was sent and the unsafe
// factor remained after it. Every decision names the clause and the
// policy version.
//
// # Cases (PRV-8, PRV-9, PRV-13)
//
// A [State] is one provider: its [Standing], its [Record] of violations
// and its cases. [Open] starts a case on a merchant's or user's complaint
// or an inspection finding; a complaint may require the provider to
// resolve it within complaint_resolution ([RequireResolution], and
// [ResolutionOverdue] once, at the deadline). While investigating, the
// platform may take [Temporary] measures (never termination); [Clear], or
// a judgment that finds no violation, lifts them at once. [Judge]
// classifies the finding, takes the measures and asks for the notice
// email ([Notice]); [NoticeSent] reports its send instant, from which the
// objection_period runs. An [Object] (written, with proof) in the period
// awaits [RuleObjection]: valid proof cancels the measures
// ([LiftMeasures]), otherwise, as when the period closes without an
// objection, the violation is final. An objection at or after the close
// is refused with [ErrObjectionLate] (PRV-9).
//
// # Measures (PRV-10, PRV-11, PRV-12)
//
// Class I: unsettled fees withheld from the judgment, and every agreement
// terminated at the notice's send instant with no compensation and no
// future cooperation ([TerminateAgreements]; the standing becomes
// [Barred]). Class II and III: extended settlement cycle, official
// operation resources stopped, the month's rewards or fees deducted, and
// termination when serious: the threshold serious, over the provider's
// record within record_window ([Terminated]). Nothing restores a provider
// that is not [Active]: a valid objection cancels the other measures of
// its case, not a termination that has taken effect. Once final, a
// violation is reported to the credit-reporting system ([CreditReport],
// naming the company, legal person, key managers and staff involved) and
// published ([Publish]) as the thresholds credit_report and publish say.
//
// # Admission, scope and duties (PRV-2, PRV-3, PRV-4)
//
// [CheckAdmission] lists every unmet condition of SP §2 at once
// ([Unmet]). [CheckScope] refuses a service outside SP §3.1 ([Scope])
// without a written consent recorded before it started.
// [Machine.CheckDuties] checks training and return-visit records,
// encryption, and data deletion within data_deletion_period.
//
// # Merchant checks (PRV-1)
//
// [DuplicateMerchants] groups merchants sharing a normalised name,
// address or location ([Normalize]) in near-linear time.
// [Machine.FalseTransactions] flags trades with associated or controlled
// accounts and trades below low_price. [Machine.InvalidMerchants] finds
// merchants with no real trade within invalid_merchant_period after
// cooperation began. Each result names the definition it matches and
// gives the [Finding] it feeds (4.17 or 4.20).
//
// # Versions (PRV-14)
//
// A case records the version in force when the alleged violation took
// place ([Open].OccurredAt) and is judged by it for its whole life through
// [rules.Set.Pin], even after the host loads new versions; a set that no
// longer holds it refuses the case's events with [ErrPolicy].
//
// # The host loop
//
// ApplyAt first fires every deadline due at now, then applies the event;
// a refused event still returns the advanced state and the fired effects:
//
//	res, err := m.ApplyAt(st, ev, now)
//	tx.Save(res.State); tx.Outbox(res.Effects...) // always, in one transaction
//	tx.Wake(res.Next)
//	if err != nil { return err } // refused: *rules.RuleError, errors.Is(err, provider.ErrX)
//
// Effect IDs are unique and increasing within a State (State.Seq is the
// last one issued), so an outbox carries each out once.
//
// # State diagram
//
// A case has one transition table, [Transitions]: the statuses, the
// events each accepts (any other is refused with [ErrNotAllowed]) and the
// deadlines with the threshold that sets each (a complaint's resolution
// deadline runs whatever the status). The machine consults it for every
// event on a case, and [Diagram] draws it as a Mermaid stateDiagram-v2
// with the deadline values of a given policy ([DiagramDOT]: Graphviz).
// The diagram under the default policy is kept in testdata/case.mmd
// (also printed by "tradepolicy graph provider_case").
package provider
