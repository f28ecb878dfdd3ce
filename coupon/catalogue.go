package coupon

import "github.com/tradepolicy/tradepolicy/rules"

// Catalogue returns the rules this package owns, each with the reading
// the code adopts and the thresholds of policy/coupon.yaml that implement
// it (every threshold whose rule is that ID, in declaration order).
func Catalogue() []rules.RuleInfo {
	return []rules.RuleInfo{
		{
			ID: "CPN-1", Source: "TR art.3 §4",
			Rule: "A coupon is usable by its owner only and cannot be exchanged for cash. On abnormal or cheating " +
				"trades the platform may freeze the order or void the coupons.",
			Reading: "A coupon is usable when its Owner is the cart's buyer (and the wallet's owner, if named); a " +
				"coupon with no owner is nobody's, so a cart with no buyer cannot use it. Frozen, voided and used " +
				"coupons are refused (ErrNotAvailable); a coupon not in the wallet is refused (ErrUnknownCoupon). " +
				"Freezing and voiding are the platform's acts on the wallet (Status), not thresholds.",
		},
		{
			ID: "CPN-2", Source: "TR art.3 §4",
			Rule:       "In one order: general and targeted coupons cannot be used together; general + shop is allowed; targeted + shop is allowed.",
			Reading:    "Each pair of the matrix is a threshold a host may change. An order is the lines of one store of the cart (ORD-2).",
			Thresholds: []string{"general_with_targeted", "general_with_shop", "targeted_with_shop"},
		},
		{
			ID: "CPN-3", Source: "TR art.3 §4",
			Rule: "In one order: at most 1 general coupon; at most 1 shop coupon; at most 200 threshold-free targeted " +
				"coupons; at most 1 threshold targeted coupon.",
			Reading: "Threshold-free and threshold targeted coupons may be combined within those counts " +
				"(targeted_free_with_threshold). A targeted coupon with a positive threshold is a threshold targeted " +
				"coupon; a threshold is met when the amount threshold_base names (CPN-4) reaches it. A policy allowing " +
				"more than one general coupon per order is accepted, but Best then searches one per order and says " +
				"Exact=false.",
			Thresholds: []string{"max_general", "max_shop", "max_targeted_free", "max_targeted_threshold", "targeted_free_with_threshold"},
		},
		{
			ID: "CPN-4", Source: "TR art.3 §4",
			Rule: "A coupon gives no change (a face value above the eligible amount is capped at it), cannot be split " +
				"across several orders, and its amount is excluded from the base of any coupon-back (返券) activity.",
			Reading: "Thresholds are judged on threshold_base: \"list\" (default), the eligible amount before any coupon, " +
				"or \"after_shop\", the eligible amount less the order's shop coupons (shop coupons first, then platform " +
				"coupons); a shop coupon's own threshold is always judged on the list amount. Order of application: " +
				"targeted coupons (a maximum flow over their lines), then shop, then general, then cross-store coupons, " +
				"each on what the earlier ones left; within a step soonest-expiring first, then by ID. Every discount is " +
				"allocated to lines by largest remainder to the fen (fixed: the coupon rules prescribe it, and no other " +
				"rounding keeps the parts summing to the whole, so it is not a threshold). A general coupon is used in " +
				"the one order its Use names; \"not split across orders\" does not forbid CPN-5's apportioning of a " +
				"cross-store coupon. Coupon-back bases exclude coupon amounts when exclude_from_coupon_back.",
			Thresholds: []string{"threshold_base", "exclude_from_coupon_back"},
		},
		{
			ID: "CPN-5", Source: "TR art.3 §4",
			Rule: "A cross-store threshold coupon stacks with shop coupons, and not with general or targeted coupons.",
			Reading: "Its threshold is met by the eligible total across the stores of one checkout, and its discount " +
				"is apportioned across the resulting orders in proportion to their eligible amounts (largest-remainder " +
				"rounding to the fen). Further readings: at most max_cross_store (default 1; the source sets no count) " +
				"per checkout; it covers the stores it names, all the cart's stores when it names none; the eligible " +
				"amount of a store is its lines' list amount; a store whose share would exceed what earlier coupons " +
				"left of it gets what is left and the rest is apportioned over the other stores in the same proportion; " +
				"the orders it touches cannot carry general or targeted coupons (cross_store_with_general, " +
				"cross_store_with_targeted) and may carry their shop coupon (cross_store_with_shop).",
			Thresholds: []string{"max_cross_store", "cross_store_with_shop", "cross_store_with_general", "cross_store_with_targeted"},
		},
		{
			ID: "CPN-6", Source: "TR art.3 §4",
			Rule: "Partial refund of an order returns no coupon; full refund of an order returns its coupons.",
			Reading: "A full refund is a completed refund after which every line of the order is refunded in full, " +
				"whatever refunds came before (refund reports it as Settled.Full); anything else is partial. The " +
				"coupons of an order go back when give_back_on_full_refund (default true); a partial refund gives " +
				"back when give_back_on_partial_refund (default false). Judged by the coupon policy version in force " +
				"at the checkout (recorded on the allocation and the redemption), never the version in force at the " +
				"refund. An order is released once; a coupon is given back once.",
			Thresholds: []string{"give_back_on_full_refund", "give_back_on_partial_refund"},
		},
		{
			ID: "CPN-7", Source: "TR art.3 §4",
			Rule: "A coupon has no partial refund of its value. When the order is cancelled, or the merchant's refund " +
				"completes, the coupon goes back to the buyer automatically; if it is still within validity it can be " +
				"used again, if it has expired it cannot.",
			Reading: "A cancel gives the order's coupons back when give_back_on_cancel (default true). A coupon is valid " +
				"at instants t with ValidFrom <= t < ValidUntil; given back before ValidUntil it is usable again " +
				"(Available), at or after it it is kept but never usable (Unusable), judged at the instant of the " +
				"cancel or of the refund's completion. Cross-store give-back condition: a coupon used over several " +
				"orders goes back only when every one of them is cancelled or fully refunded (no order keeps any of " +
				"its value), once.",
			Thresholds: []string{"give_back_on_cancel"},
		},
	}
}
