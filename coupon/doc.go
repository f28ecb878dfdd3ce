/*
Package coupon checks, chooses and allocates a buyer's coupons for a
checkout, and gives them back when an order is cancelled or refunded
(rules CPN-1 … CPN-7, TR art.3 §4; each with its reading and thresholds
in [Catalogue], from which the module's rule catalogue docs/RULES.md is
generated).

An [Engine] is built from [Options]: the coupon rule set (nil means
[DefaultPolicy], the embedded policy/coupon.yaml; a set of another
schema, or one [CheckPolicy] refuses, makes [New] panic) and a clock (nil
means clock.System{}). [Engine.BestAt], [Engine.CheckAt] and
[Engine.AllocateAt] take the checkout instant, which decides whether a
coupon has expired or is not yet valid and which policy version is in
force; Best, Check and Allocate read the clock once and call them.
Nothing is stored in the engine: the order that uses the coupons keeps
the [Allocation] (per line) and the [Redemption] (per coupon), and the
wallet keeps the coupons' statuses.

# Carts, orders and coupons

A [Cart] is one checkout: lines with a store, an item, a category and an
amount. Its orders are its stores (ORD-2): "in one order" below means
"among the lines of one store". A [Coupon] is one of four kinds:
[General] (any line of the one order it is used in), [Targeted] (the lines
of its store whose item or category it names; threshold-free or, with a
Threshold, a threshold targeted coupon), [Shop] (the lines of its store)
and [CrossStore] (the lines of its stores, all the cart's stores by
default). A [Use] puts a coupon into a combination; a general coupon names
its order when the cart has several.

# Checking a combination

[Engine.Check] lists every violation of a combination, each a
*rules.RuleError wrapping a sentinel and carrying the rule ID:

  - CPN-1: the coupon is not the buyer's ([ErrNotOwner]; a coupon with
    no Owner is no one's); it is frozen,
    voided or already used ([ErrNotAvailable]); it is not in the wallet.
  - CPN-7: it has expired ([ErrExpired]; valid while ValidFrom <= now <
    ValidUntil) or is not yet valid ([ErrNotYetValid]).
  - CPN-2: general and targeted coupons in one order
    (threshold general_with_targeted, default false); general + shop
    (general_with_shop) and targeted + shop (targeted_with_shop) are
    allowed ([ErrIncompatible]).
  - CPN-3: per order at most max_general (1) general, max_shop (1) shop,
    max_targeted_free (200) threshold-free targeted and
    max_targeted_threshold (1) threshold targeted coupons ([ErrTooMany]);
    threshold-free and threshold targeted coupons combine
    (targeted_free_with_threshold, a reading). A threshold not met is
    [ErrThresholdNotMet].
  - CPN-5: a cross-store coupon stacks with shop coupons
    (cross_store_with_shop) but not with general or targeted ones
    (cross_store_with_general, cross_store_with_targeted) in the orders
    it covers; at most max_cross_store (1, a reading) per checkout; its
    threshold is met by the eligible total across its stores.
  - CPN-4: a coupon is used once and in one order ([ErrDuplicate],
    [ErrWrongOrder]) and must cover some line ([ErrNoEligibleLine]).

A threshold is judged on the amount threshold_base names (CPN-4): "list"
(default), the eligible amount before any coupon; or "after_shop", the
eligible amount less the order's shop coupons, spread over its lines in
proportion, as if shop coupons were applied first. A shop coupon's own
threshold is always judged on the list amount.

# Discounts and allocation

A coupon gives no change (CPN-4): a face above what is left of its lines
is capped at it. [Engine.Allocate] spreads each coupon's discount over the
lines it covers, exactly to the fen, with the module's one
largest-remainder allocation (internal/money). The rounding is fixed,
not a threshold: the rules prescribe largest remainder to the fen, and
it is the one rounding whose parts always sum to the whole. Order of
application:

 1. targeted coupons, per order, by a maximum flow (source → coupon,
    capacity its face → its lines → sink, capacity the line's amount),
    which gives the largest total they can take together and an exact
    allocation in fen; a coupon whose lines no other one covers is then
    re-spread over them in proportion to their amounts;
 2. shop coupons, then general coupons, over what is left of the order's
    lines, in proportion;
 3. cross-store coupons (fewest stores first, then by ID): apportioned
    over their stores in proportion to the stores' eligible amounts
    (their lines' amounts before any coupon; CPN-5 reading), largest
    remainder to the fen; a store whose share would exceed what is left
    of it gets what is left, and the rest is apportioned over the other
    stores in the same proportion; then each store's part is spread over
    its lines in proportion to what is left of them.

Within an order, coupons of one step are applied soonest-expiring first,
then by ID, whatever order the combination lists them in: the allocation
of a combination does not depend on the order of its uses.

Each coupon of steps 2 and 3 covers every line of the orders it touches,
and for such a coupon u a cut argument gives maxflow(N+u) = min(maxflow(N)
+ face(u), Σ amounts): so this order reaches the largest total the
coupons could take in any allocation (tested as a property). The one
exception needs a policy allowing several cross-store coupons per
checkout: two of them over overlapping store sets, neither inside the
other, are each apportioned by the CPN-5 reading, which may leave less
for the second than a free split would; the reading, not the largest
split, defines their discount, and [Engine.Best] maximises that. The
[Allocation] is the value an order stores at payment. [Allocation.CouponBackBase]
is the base of a coupon-back (返券) activity: amounts less coupon
discounts when exclude_from_coupon_back (CPN-4, default true).

# Best combination

[Engine.Best] returns the valid combination with the largest total
discount, its allocation and, for every other wallet coupon, why it was
left out (a refusal, a threshold not met, a kind that does not combine, a
count reached, or [ErrNoGain]). It is exact: a property test compares it
with exhaustive search over every combination on small carts under the
default policy and under overrides. The search:

  - tries each allowed set of cross-store coupons (none, or one by
    default); in the orders it covers only the kinds that stack with it;
  - per order and per choice of shop coupons, takes all usable
    threshold-free targeted coupons (adding one never lowers a maximum
    flow) with each allowed set of threshold targeted coupons (one flow
    each), and each general coupon in closed form (it covers the order);
  - assigns general coupons to orders (each is used in one order, each
    order takes one) exactly, for any number of orders, as a
    maximum-weight bipartite matching solved by a minimum-cost flow
    (largest total gain, then fewest coupons).

Where the count of threshold-free targeted coupons is below what the
wallet holds, the best subset of that size is found by trying all when
there are at most 4096, else by a greedy on marginal gain which is
optimal when coupons cover identical or disjoint lines (separable concave
allocation). Choice.Exact is false only when a budget forced a fallback:
that greedy on overlapping coupons, more than 4096 shop, cross-store or
threshold targeted combinations (the last only when a policy allows
several threshold targeted coupons per order), or a policy allowing several
general coupons per order.

Ties: among combinations of the largest total that the search builds,
Best prefers fewer coupons, then coupons that expire sooner (compared as
sorted lists of expiry instants; never-expiring counts as latest), then
smaller IDs; coupons that carry no flow are dropped. The result is
deterministic. The total is maximal over all combinations; the tie-break
is applied to the candidates the search builds.

# Give-back

At payment the host makes the checkout's [Redemption] from its
allocation ([Allocation.Redemption]): the coupon policy version in force
at the checkout instant (Allocation.Version, At) and, per coupon, its
kind, expiry and orders. It stores it with the order and marks the
wallet's coupons used ([MarkUsed]). [Engine.GiveBack] then decides, at
the instant it is given, what a cancel or a completed refund of one order
gives back (CPN-6, CPN-7), judged by the pinned version
(rules.Set.Pin(Version, At)) whatever the host has loaded since:

  - a cancel (give_back_on_cancel, default true) or a full refund, the
    order's every line refunded in full (give_back_on_full_refund,
    true), releases the order; a partial refund
    (give_back_on_partial_refund, false) releases nothing;
  - a coupon goes back when every order it was used in is released
    (one order; all the orders a cross-store coupon was apportioned
    over: a coupon has no partial refund of its value, CPN-7), in one
    give_back_coupons effect listing each coupon as usable again
    (before its ValidUntil) or expired (at or after it), CPN-7;
  - an order is released once and a coupon given back once: the
    redemption records it, so a repeated or redelivered cancel or
    refund finds nothing to give back.

The host loop, in one transaction:

	res, err := e.GiveBack(red, order, coupon.FullRefund, at) // at: the refund's instant
	if err != nil { return err }                               // ErrInvalid, ErrPolicy: res.Redemption is red
	tx.Save(res.Redemption); tx.Outbox(res.Effects...)

The wallet's host carries out give_back_coupons with
[GiveBackCoupons.ApplyTo], which touches only coupons still used in that
order, so a redelivered act changes nothing.

# Zero values

The zero [Kind], [Status] and [Reason] are invalid: a wallet coupon
always names its status. A zero Threshold means none; a zero ValidFrom
or ValidUntil means no bound. A nil wallet or an empty combination is
valid and gives no discount.
*/
package coupon
