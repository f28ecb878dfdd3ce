/*
Package points encodes the two loyalty currencies of the mall: beans (金豆)
and comprehensive points (综合积分) — what a checkout may offer of each,
the annual cap on points, and what goes back on a refund.

Every number below is a threshold of the rule file policy/points.yaml
(see [DefaultPolicy] and [Schema]); a host overrides any of them with
[rules.Set.Override] or [rules.Set.OverrideExpr] and passes the set in
[Options]. Rule IDs refer to RULES.md.

# Beans (PTS-1)

[Machine.OfferBeans] turns an [Order] (its payable amount and its lines,
each with the item's own maximum bean deduction) and the buyer's [Wallet]
into a [BeanOffer]: any multiple of bean_step (100) up to Max, where Max
is the least of

  - bean_payable_cap of the payable amount (99% of it), at beans_per_yuan
    (100 beans = ¥1),
  - the sum of the lines' own caps (item cap × quantity, at most the
    line's amount), and
  - the balance,

rounded down to the step. [BeanOffer.Check] says why an amount is refused
([ErrBeanStep], [ErrBeanPayable], [ErrBeanItems], [ErrBeanBalance]), and
[BeanOffer.Allocate] splits the beans over the lines in proportion to
their caps (largest remainder, never above a line's cap).

# Comprehensive points (PTS-2, PTS-3)

[Machine.OfferPoints] returns a [PointsOffer] for the lines that accept
points, after beans: at most points_order_limit, at most
points_payable_cap of their amount, at most the balance, at
points_per_yuan. The sources leave the rate and the per-order limit to the
checkout page; the defaults are 100 points = ¥1 and no limit beyond the
annual cap.

The annual cap, points_annual_cap (14,000,000), counts every use of
valid points by one customer in a calendar year of the policy's business
time zone: the year turns at midnight of 1 January in that zone
(Asia/Shanghai by default), not in UTC. "Valid points" (the source's note 仅针对处于有效期内的可用积分) means the
points actually spent from the available, unexpired balance: every deduction
and redemption counts; expiry, earning and frozen points never do. A [Ledger] keeps the year's
running total; [LedgerMachine] records a [Use] and refuses one that would
pass the cap ([ErrAnnualCap]). A use counts in the year of its instant
([Use.At], the payment, as [DebitPoints.Use] sets it), so a payment made
before New Year and recorded after it does not take from the new year's
allowance. With points_offer_remainder true (RULES.md's
reading) the checkout offers at most what remains of the allowance; with
it false (the source's literal reading) an order whose full points use
would pass the allowance is offered none ([PointsOffer.Blocked]).

Points given back on a refund ([Release]) restore the allowance of the
year they were used in, while that year lasts, when
points_refund_restores holds (the default): a refunded deduction is not a
completed use. A give-back after that year has ended changes nothing.

The ledger is a running total so that the cap check costs the same after
ten uses as after ten thousand; the price is that it cannot recognise an
event applied twice. A host applies each [Use] once per order and each
[Release] once per refund (the [Spend] already refuses a refund applied
twice, so carrying out its effects once is enough), under its lock on the
ledger's row.

# Give-back on refund (PTS-2)

[Machine.Pay] checks the buyer's [Choice] and records the order's [Spend]:
beans and points allocated to the lines. [Machine.Apply] with a [Refund]
gives back the refunded units' share of each line's allocation, exactly,
never more than was spent, never twice, when give_back_allowed holds for
the refund's [Stage] and [Approver]: before shipment, or after shipment
before receipt was confirmed, on the merchant's agreement; after receipt
was confirmed, only on a back-office forced refund ([ErrForcedRefund]).
The same rule governs beans (RFD-10). The effects [GiveBackBeans] and
[GiveBackPoints] tell the host what to credit.

# Units

A bean or point amount is always worth a whole number of fen. At the
default rates one bean and one point are one fen each; a host that sets
1000 points per yuan gets points in multiples of 10 ([PointsOffer.Unit]),
and the bean step grows to a multiple of the bean granule likewise.

# Zero values

A zero [Options] uses [DefaultPolicy] and the system clock. A zero
[Ledger] is a customer with no use yet. A zero [Spend] is an order that
spent nothing. A zero [Order] has nothing payable: every offer is 0.

# Stored states

A host stores a [Spend] and a [Ledger] (as JSON) and feeds them back, so
they are input too: Apply checks them with [Spend.Validate] and
[Ledger.Validate] and refuses one this package could not have produced
with an error wrapping [ErrInvalidState]; Advance, which has no error
result, returns it unchanged with a note. Nothing in the package panics
on any state or event; [New] and [NewLedger] panic only on a policy
loaded against another schema.
*/
package points
