package points

import "github.com/tradepolicy/tradepolicy/rules"

// Catalogue returns the rules this package owns, each with the reading
// the code adopts and the thresholds of policy/points.yaml that implement
// it (every threshold whose rule is that ID).
func Catalogue() []rules.RuleInfo {
	return []rules.RuleInfo{
		{
			ID: "PTS-1", Source: "FAQ: beans",
			Rule: "Beans: 100 beans = ¥1. Beans are used in multiples of 100. Beans may pay at most 99% of the " +
				"order's payable amount. Each item has its own maximum bean deduction (shown on the item page); at " +
				"checkout the buyer sees and chooses the amount the balance allows.",
			Reading: "The rate (beans_per_yuan), the step (bean_step) and the 99% share (bean_payable_cap) are " +
				"thresholds. An item's maximum deduction is per unit: a line's cap is the item's cap × its quantity, " +
				"at most the line's amount (fixed arithmetic of the item page's fact, not a threshold). The offer is " +
				"the least of the three limits and the balance, rounded down to the step (a multiple of the bean " +
				"granule when a bean is worth less than a fen); beans are allocated to lines in proportion to their " +
				"caps by largest remainder, and the Spend stores each line's beans with their money value.",
			Thresholds: []string{"beans_per_yuan", "bean_step", "bean_payable_cap"},
		},
		{
			ID: "PTS-2", Source: "TR art.4 §1(1)",
			Rule: "Comprehensive points pay for items that accept them, at the rate and within the limit shown at " +
				"checkout (policy; the rate may differ per item). Refund requested before shipment, or after shipment " +
				"but before receipt confirmation: once the merchant agrees, the points go back to the buyer's account " +
				"automatically. Refund after receipt confirmation: only after back-office staff force the refund, then " +
				"the points go back automatically.",
			Reading: "A point has one value in the buyer's account (points_per_yuan, default 100 = ¥1; the sources " +
				"name none); the item's own rate and limit is what points may pay of its line (points_item_cap, by " +
				"item, default all of it), and the order's limit is points_order_limit (default: the annual cap, as " +
				"the sources name no number) and points_payable_cap (default all of the eligible amount). Give-back " +
				"(with RFD-10): the refund reports each line's cumulative refunded money of its paid money, the stage " +
				"when it was requested and whether it was forced; give_back_allowed decides points (default: before " +
				"receipt confirmation, or forced), beans_give_back_allowed beans (default: as points). A line gives " +
				"back its allocation × refunded/paid, cumulative, in whole granules by largest remainder, all that is " +
				"left when the line is done, never more than it used; a refund the policy does not allow gives nothing " +
				"back and its share is kept for good (recorded with a decision, not an error). A deadline refund (the " +
				"merchant did not respond) counts as the merchant's agreement. The Spend is judged by the policy " +
				"version in force at payment for its whole life.",
			Thresholds: []string{"points_per_yuan", "points_order_limit", "points_item_cap", "points_payable_cap",
				"give_back_allowed", "beans_give_back_allowed"},
		},
		{
			ID: "PTS-3", Source: "TR art.4 §1(1)",
			Rule: "Annual cap: 14,000,000 comprehensive points per customer per year, counting all uses (cash " +
				"deduction and redemption) of valid points. An order whose points use would exceed the remaining " +
				"annual allowance cannot use points deduction.",
			Reading: "\"year\" is the calendar year in the business time zone; the checkout may offer at most the " +
				"remaining allowance of points_annual_cap (points_offer_remainder true; false is the literal reading: an order whose largest " +
				"possible use — no beans, the whole balance, every limit — would pass the allowance may use none). A " +
				"use counts in the year of its instant (the payment) under the cap in force then; a use or release " +
				"redelivered with the same ID counts once. \"Valid points\" are the points actually spent from the " +
				"available balance: expiry, earning and frozen points never count. Points given back restore the " +
				"allowance of the year they were used in, while it lasts (points_refund_restores true).",
			Thresholds: []string{"points_annual_cap", "points_offer_remainder", "points_refund_restores"},
		},
	}
}
