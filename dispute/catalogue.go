package dispute

import "github.com/tradepolicy/tradepolicy/rules"

// Catalogue returns the rules this package owns, DSP-1 to DSP-12, with
// the readings it adopts and the thresholds of its rule file that
// implement each. (ORD-19, the lock of an order, belongs to package
// order; this package emits the lock and keeps complaint deadlines still
// while it lasts.)
func Catalogue() []rules.RuleInfo {
	return []rules.RuleInfo{
		{ID: "DSP-1", Source: "DR art.3–9",
			Rule:       "A dispute is a complaint (buyer vs merchant over a trade) or a report (by a consumer or a merchant about suspected fraud or violations). Complaint types, \"including but not limited to\": product, delivery, after-sales, review, price, report. DR art.5: a delivery complaint where the buyer did not receive the goods puts the burden on the merchant to prove it shipped.",
			Reading:    "The type list is a policy list; an unlisted type files as \"other\". Reports are filed as reports (DSP-8), so a complaint of type \"report\" is refused. A complaint for which shipping_proof holds (default: delivery, goods not received) asks the merchant for proof of shipment, due with the reply.",
			Thresholds: []string{"complaint_types", "shipping_proof"}},
		{ID: "DSP-2", Source: "DR art.10",
			Rule:    "Acceptance: the filer gives real identity and contact; a specific respondent; specific claims, facts and reasons; necessary evidence; and the trade took place on the platform. A filing missing any of these is rejected with the missing items named.",
			Reading: "Every missing item is named at once, in one error. For a report the subject reported (listing or trade) stands for the trade on the platform; a complaint without a Trade lacks it."},
		{ID: "DSP-3", Source: "DR art.12, TR art.7 §1(1)",
			Rule:       "Complaint window: from payment success until 15 days after the trade completes. Not allowed on Cancelled or Closed orders. Orders in progress: any time. Completed orders: within 15 days, after which the entry closes. The buyer may withdraw a complaint.",
			Reading:    "15 days = exactly 360h from the completion instant: a filing at completion+360h is refused, one second earlier accepted. A complaint may be withdrawn until it has an outcome.",
			Thresholds: []string{"complaint_window"}},
		{ID: "DSP-4", Source: "DR art.12",
			Rule:       "The respondent must reply online with evidence within 48 hours of being notified.",
			Reading:    "The merchant is notified at filing (and at each new round), so the reply is due at the round's start + reply_period.",
			Thresholds: []string{"reply_period"}},
		{ID: "DSP-5", Source: "DR art.12(2), TR art.7 §1(2)",
			Rule:       "If the merchant has not replied within 2 days, the buyer may ask for platform intervention on day 3. If by the end of day 3 the buyer has not asked and the merchant has not replied, the complaint closes automatically and is judged valid (against the merchant).",
			Reading:    "Exact instants, N days = N×24h: the merchant is notified at filing, so the DSP-4 reply is due at filed+48h; \"day 3\" is [filed+48h, filed+72h): the buyer may ask for intervention in it, and a late merchant reply in it is still accepted (the complaint proceeds as replied); at filed+72h with neither, it closes valid. An intervention ends in a platform decision, valid or not valid, with a remedy.",
			Thresholds: []string{"day3_end"}},
		{ID: "DSP-6", Source: "DR art.12(3)",
			Rule:       "After the merchant replies, if the buyer gives no feedback within 2 days the buyer is deemed satisfied and the complaint closes.",
			Reading:    "2 days = feedback_period (48h) from the reply; \"unsatisfied\" at its end is too late.",
			Thresholds: []string{"feedback_period"}},
		{ID: "DSP-7", Source: "DR art.12(4)",
			Rule:       "A dissatisfied buyer marks the reply \"unsatisfied\" within 2 days, and may add a response and evidence.",
			Reading:    "The complaint then awaits a new merchant reply under DSP-4/5, and the buyer may ask for intervention: at once by default (unsatisfied_intervention), or only from day 3 of the new round.",
			Thresholds: []string{"unsatisfied_intervention"}},
		{ID: "DSP-8", Source: "DR art.12",
			Rule:       "Reports are not bound by the complaint window. Product reports: IP infringement, image infringement, prohibited goods, other listing violations. Trade reports: prohibited marketing, credit speculation, price gouging, card fraud or theft, other violations. IP-infringement reports follow a separate rule set of the platform (filed and routed, not judged).",
			Reading:    "A report is accepted, reviewed, and upheld or dismissed; a kind in report_routed is routed at filing instead. Reports have no deadlines (the sources give none).",
			Thresholds: []string{"report_routed"}},
		{ID: "DSP-9", Source: "DR art.11",
			Rule:       "If mediation fails the parties may go to arbitration or court; the order is locked (ORD-19) until the judgment is executed. Where safety of person or property is at stake, or consumers' lawful rights are otherwise infringed, the platform may take necessary measures. The parties may also settle by agreement, which ends the lock.",
			Reading:    "Mediation has failed while a complaint has no outcome yet. The lock runs from the instant the filing is reported; while it lasts no complaint deadline of the trade fires and only the unlock is accepted. The unlock (the judgment executed, with its verdict, or a settlement) gives the complaint its outcome; by default (lock_shift) the trade's other deadlines resume moved later by the locked time.",
			Thresholds: []string{"lock_shift"}},
		{ID: "DSP-10", Source: "TR art.7 §1(2)",
			Rule:       "A complaint judged valid leads to penalties on the merchant by severity: search demotion, loss of activity eligibility, loss of ad placements, forced delisting of goods, merchant deregistration.",
			Reading:    "Severity is a policy expression over the merchant's valid complaints (count in a window, type). Default: valid complaints count for days(90) from the day after they were judged; 1 → search demotion, 3 → no activities, 5 → no ads, 8 (or 5 of one type) → forced delisting, 12 → deregistration (the sources give no numbers).",
			Thresholds: []string{"record_window", "penalty_search_demotion", "penalty_no_activities", "penalty_no_ads", "penalty_forced_delisting", "penalty_deregistration"}},
		{ID: "DSP-11", Source: "DR art.18",
			Rule:       "A merchant that does not carry out the mediation plan: the buyer may press via messaging, or escalate by hotline or online service.",
			Reading:    "A platform decision of valid with a remedy is the mediation plan; until the merchant carries it out the buyer may press (a reminder by messaging, an escalation by hotline or online service, by default without a prior reminder).",
			Thresholds: []string{"escalate_after_reminder"}},
		{ID: "DSP-12", Source: "DR art.21–22",
			Rule:    "The rules took effect 2018-12-29 and were last revised 2023-07-23. A dispute that arose before a rule's effective or revision date is judged under the rules then in force; after it, under the new rules.",
			Reading: "A dispute arising on the revision date itself (from 00:00 in the business zone) is judged by the new version. A complaint or report arises at its filing and is judged by the version then in force for its whole life. The seed holds only the revised text and records no changed clause, so both versions hold the same thresholds. DR art.19–20 are recorded as facts, not judged."},
	}
}
