/*
Package points encodes the two loyalty currencies of the mall: beans (金豆)
and comprehensive points (综合积分) — what a checkout may offer of each,
the annual cap on points, and what goes back on a refund.

Every number below is a threshold of the rule file policy/points.yaml
(see [DefaultPolicy] and [Schema]); a host overrides any of them with
[rules.Set.Override] or [rules.Set.OverrideExpr] and passes the set in
[Options]. [Catalogue] lists the rules (PTS-1, PTS-2, PTS-3) with the
readings this package adopts and the thresholds that implement them.

# Beans (PTS-1)

[Machine.OfferBeans] turns an [Order] (its payable amount and its lines,
each with the item's own maximum bean deduction) and the buyer's [Wallet]
into a [BeanOffer]: any multiple of bean_step (100) up to Max, where Max
is the least of

  - bean_payable_cap of the payable amount (99% of it), at beans_per_yuan
    (100 beans = ¥1),
  - the sum of the lines' own caps (item cap × quantity, at most the
    line's amount: fixed arithmetic of the item page's fact, see
    [Line.BeanCap]), and
  - the balance,

rounded down to the step. [BeanOffer.Check] says why an amount is refused
([ErrBeanStep], [ErrBeanPayable], [ErrBeanItems], [ErrBeanBalance]), and
[BeanOffer.Allocate] splits the beans over the lines in proportion to
their caps (largest remainder, never above a line's cap).

# Comprehensive points (PTS-2, PTS-3)

[Machine.OfferPoints] returns a [PointsOffer] for the lines that accept
points, after beans: each line at most points_item_cap (by item: the
item's own rate and limit; default all of the line), at most
points_order_limit, at most points_payable_cap of their sum, at most the
balance, at points_per_yuan. The sources leave the rate and the limits to
the checkout page; the defaults are 100 points = ¥1, every item in full,
and no order limit beyond the annual cap.

The annual cap, points_annual_cap (14,000,000), counts every use of
valid points by one customer in a calendar year of the policy's business
time zone: the year turns at midnight of 1 January in that zone
(Asia/Shanghai by default), not in UTC. "Valid points" means the points
actually spent from the available, unexpired balance: every deduction and
redemption counts; expiry, earning and frozen points never do. A [Ledger]
keeps the year's uses and their running total; [LedgerMachine] records a
[Use] and refuses one that would pass the cap ([ErrAnnualCap]). A use
counts in the year of its instant ([Use.UsedAt], the payment, as
[DebitPoints.Use] sets it) under the cap of the version in force then. A
use or a [Release] redelivered with the same ID counts once. With
points_offer_remainder true (the reading) the checkout offers at most
what remains of the allowance; with it false (the source's literal
reading) an order whose largest possible use (no beans, the whole
balance, every limit) would pass the allowance is offered none
([PointsOffer.Blocked]), whatever the buyer chooses.

Points given back on a refund ([Release]) restore the allowance of the
year they were used in, while that year lasts, when
points_refund_restores holds (the default). A ledger has no deadline:
the year's turn is applied by the next call, so [LedgerResult.Next] is
always zero and no host wakes its customers at New Year.

# Give-back on refund (PTS-2, RFD-10)

[Machine.Pay] checks the buyer's [Choice] and records the order's
[Spend]: beans and points allocated to the lines, in units and in money
value, pinned to the policy version in force at payment.
[Machine.QuoteAt] makes the same checks and the same allocation before
the order has a number (a cart carries each line's beans and points into
checkout, which numbers the orders), with no effect. A [Refund]
(build one with [RefundOf]) reports the money facts of a completed
refund, as the refund rules decided them: per line the money refunded so
far and the money paid, whether the line is done, the stage when the
refund was requested and whether it was forced. Points decides the rest:
give_back_allowed (points) and beans_give_back_allowed (beans; by default
they follow points) say whether anything goes back. By default a refund
requested before shipment, or after shipment but before receipt was
confirmed, gives back (a refund the merchant agreed to, or let a deadline
agree to); after receipt was confirmed only a refund the back office
forced. A refund that may not give back is no error — the money is gone
— its share stays spent ([SpendLine.BeansKept]) and a Decision citing
PTS-2 says so. A line gives back its beans and points in proportion to
the refunded share, cumulatively, in whole units, never more than it
used, everything left when it is done. The effects [GiveBackBeans] and
[GiveBackPoints] tell the host what to credit, in units and in yuan.

A host that runs package refund wires it in a few lines:

	for _, e := range refundRes.Effects {
		s, ok := e.Act.(refund.Settled)
		if !ok {
			continue
		}
		lines := make([]points.RefundLine, len(s.Lines))
		for i, l := range s.Lines {
			lines[i] = points.RefundLine{Line: l.Line, Refunded: l.Refunded, Paid: l.Paid, Done: l.Done}
		}
		r, err := points.RefundOf(orderID, s.Request, s.Stage.String(), s.Forced, lines...)
		...
		res, err := pointsMachine.ApplyAt(spend, r, e.At)
	}

# The host loop

Every machine of the package has the same shape: ApplyAt(state, event,
now) and AdvanceAt(state, now), with Apply and Advance reading the clock
once. A Result always holds a state the host may store, also when the
event is refused (the input state, unchanged), with the effects to carry
out, each with an ID unique and increasing within the state ([Effect]),
so that an outbox written in the same transaction carries each out once:

	res, err := m.ApplyAt(spend, ev, now)
	tx.Save(res.State); tx.Outbox(res.Effects...) // always, in one transaction
	tx.Wake(res.Next)                              // always zero here: nothing is due
	if err != nil { return err }                   // *rules.RuleError, or errors.Is(err, points.ErrInvalid)

States, events, effects and results encode to JSON and decode strictly
([DecodeEvent], [DecodeEffect], [DecodeResult], [DecodeSpend],
[DecodeLedger]); an [Entry] is one line of an event log, for replay.

# Versions

A Spend records the date of the policy version in force at its payment
([Spend.Version]) and is judged by it for its whole life, even after the
host loads a set with other versions; a set that no longer holds it is
an error wrapping [ErrPolicy]. Offers and payments are judged by the
version in force at their instant; a ledger use by the version in force
at the use's instant.

# Units

A bean or point amount is always worth a whole number of fen. At the
default rates one bean and one point are one fen each; a host that sets
1000 points per yuan gets points in multiples of 10 ([PointsOffer.Unit]),
and the bean step grows to a multiple of the bean granule likewise.

# Zero values and stored states

A zero [Options] uses [DefaultPolicy] and the system clock. A zero
[Ledger] is a customer with no use yet. A zero [Spend] is an order that
spent nothing. A zero [Order] has nothing payable: every offer is 0. The
zero [Stage] is invalid.

A host stores a [Spend] and a [Ledger] and feeds them back, so they are
input too: ApplyAt checks them with [Spend.Validate] and [Ledger.Validate]
(the same functions pointstest's checkers are) and refuses one this
package could not have produced with an error wrapping [ErrInvalid];
AdvanceAt, which has no error result, returns it unchanged with a note.
The ledger's queries ([LedgerMachine.Allows], [LedgerMachine.Allowance],
and the ledger read of Pay and OfferPoints) check, in constant time, the
year and running total they read.
Instants in states are UTC. Nothing in the package panics on any state or
event; [New] and [NewLedger] panic only on a policy loaded against
another schema.
*/
package points
