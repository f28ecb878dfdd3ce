package refund

import "github.com/tradepolicy/tradepolicy/rules"

// Catalogue returns the rules this package owns, each with the reading
// it adopts and the thresholds of policy/refund.yaml that implement it.
func Catalogue() []rules.RuleInfo {
	return []rules.RuleInfo{
		{ID: "RFD-1", Source: "TR art.6 §1",
			Rule: "Two request types: refund only, no return, and return then refund. Partial (some lines / some amount) and full refunds are both supported (TR art.3 §4(6)).",
			Reading: "A line is in at most one open request; requests over time never refund more than was paid. A zero amount asks for all that is left of the line. " +
				"The buyer may modify a request while it waits on the merchant's first answer, after a refusal or after a direct merchant's silence, and withdraw it until the goods are sent back."},
		{ID: "RFD-2", Source: "TR art.6 §1(1)",
			Rule:       "Refund only: the merchant must act within 2 days of the request. Escrow: no action in 2 days means an automatic refund. Direct: no action in 2 days sends the request back to the buyer, who may ask for platform intervention; if the buyer does nothing within 7 days the request closes. If the merchant refuses, the buyer must modify the request or ask for intervention within 7 days, else it closes.",
			Reading:    "For lines that had not actually shipped when the request was made, DR art.14 (RFD-9) takes precedence over this rule, in both payment modes.",
			Thresholds: []string{"merchant_response", "buyer_feedback", "refusal_response"}},
		{ID: "RFD-3", Source: "TR art.6 §1(2)",
			Rule:       "Return then refund: the merchant must act within 2 days; no action means deemed agreed, and the return address is sent. The buyer submits return logistics within 7 days, else the request closes. The merchant confirms receipt and refunds within 10 days of the logistics, else the refund is automatic. A refusal after receipt gives the buyer 7 days to ask for intervention or modify, else it closes.",
			Thresholds: []string{"return_merchant_response", "return_logistics", "return_refund", "return_refusal_response"}},
		{ID: "RFD-4", Source: "TR art.6 §3",
			Rule:    "Refunds go back the way they were paid; a payment from a bank loan account refunds to the bank account bound to that loan.",
			Reading: "Fixed by the source: a loan payment must name its bound account."},
		{ID: "RFD-5", Source: "TR art.6 §4, DR art.17",
			Rule: "Seven-day no-reason return for items that support it and are intact, requested within 7 days counting from the day after signing; custom-made and excluded goods are not covered; a merchant may not refuse it for a labelled item.",
			Reading: "An item that supports no-reason returns is labelled (one flag, Line.NoReason; a custom-made or excluded line cannot carry it), so the merchant cannot refuse its no-reason return before receipt; " +
				"after receipt it may refuse only because the item is not intact (no_reason_refuse_after_receipt). The window counts from the signing instant the order records. " +
				"A refused labelled parcel cannot be refused by the merchant either.",
			Thresholds: []string{"no_reason_window", "no_reason_refuse_after_receipt"}},
		{ID: "RFD-6", Source: "DR art.17 §2(3)",
			Rule:       "Shipping cost of a no-reason return or refusal of a labelled item: the buyer pays both ways; if the item shipped free, only the return leg.",
			Reading:    "A refused parcel of an item without the label is not covered here (refused: the merchant pays unless the buyer caused it, ORD-8). The buyer's outbound leg is never refunded (no_reason_buyer_pays_shipping).",
			Thresholds: []string{"no_reason_buyer_pays_shipping"}},
		{ID: "RFD-7", Source: "DR art.17 §3(3)",
			Rule:       "The merchant refunds within 7 days of receiving the returned goods.",
			Reading:    "It binds a no-reason return once the merchant confirms receipt, beside RFD-3's deadline, whichever ends first; other returns follow RFD-3 alone unless receipt_refund_all is true.",
			Thresholds: []string{"no_reason_refund", "receipt_refund_all"}},
		{ID: "RFD-8", Source: "DR art.16",
			Rule:    "Prohibited goods reported and verified: the merchant must accept the return and bear shipping; with a suspected crime the platform keeps the funds and reports to the police.",
			Reading: "Fixed by the source: the merchant cannot refuse, pays both legs, the outbound fee goes back with the return; held lines take no later request."},
		{ID: "RFD-9", Source: "DR art.14",
			Rule: "(= ORD-17) A refund request before actual shipment revokes the trade.",
			Reading: "(1) It applies to refund-only requests, in both payment modes, and takes precedence over RFD-2 for the lines that had not shipped; the merchant cannot refuse it. " +
				"(2) The merchant may, within revocation_voucher (default 2 days, the RFD-2 response period), show a shipping voucher dated before the request; the request then proceeds under RFD-2. " +
				"(3) A revocation refunds each revoked line's whole remaining payment, whatever amount the buyer typed; the outbound shipping fee only when every line of the order is revoked or refunded; beans, points and coupons by their owners. " +
				"(4) A request on shipped and unshipped lines together revokes the unshipped ones (a request of its own) and handles the shipped ones under RFD-2. " +
				"A merchant that ships after the revocation bears the shipping both ways and any loss (merchant_bears_loss).",
			Thresholds: []string{"revocation_voucher"}},
		{ID: "RFD-10", Source: "TR art.3 §4(6-7), TR art.4 §1(1)",
			Rule: "What a completed refund gives back: money for the refunded lines net of their allocated discounts and points; coupons only on full refund; beans/points per PTS-2.",
			Reading: "Each has one owner: refund decides money and reports every completed refund once (refund_settled: lines, amounts, each line's refunded and paid money, stage, forced, full); points and coupon decide the rest. " +
				"The outbound fee goes back with the request that leaves every line refunded in full (shipping_fee_with_full_refund).",
			Thresholds: []string{"shipping_fee_with_full_refund"}},
	}
}
