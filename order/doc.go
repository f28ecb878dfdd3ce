// Package order is the aggregate root of one trade: one value, a [State],
// holds an order's lines with what checkout allocated to them, its
// payments, money ledger, shipments, open claims, lock and review, and the
// one deadline it waits for, so a host stores a trade in one row, locks
// one row and wakes it at one instant.
//
// [Machine.CheckoutAt] turns a [Cart] into orders; [Machine.ApplyAt]
// applies an [Event] and [Machine.AdvanceAt] fires due deadlines; both
// return a [Result] with the new state, the [Effect]s to carry out, the
// [rules.Decision]s taken and the next deadline. Apply and Advance read
// the clock once and call them. States, events, effects, results and log
// [Entry] values encode to JSON and decode strictly ([DecodeEvent],
// [DecodeEffect]). The zero State is invalid; a stored State is input
// too, checked by [State.Validate]. Nothing panics on input; [New] panics
// only on a policy of another schema or one that fails [CheckPolicy].
//
// Money: a [Cart] and events carry decimal.Decimal amounts in yuan (the
// API edge, checked with money.Amount); the State holds whole fen as [Fen],
// which encodes as the same decimal text ("12.30") in JSON.
//
// # The host loop
//
// ApplyAt first fires every deadline due at now, then applies the event.
// A refused event returns its error together with a Result holding the
// advanced state and the fired deadlines' effects, so a host always saves:
//
//	res, err := m.ApplyAt(st, ev, now)
//	tx.Save(res.State); tx.Outbox(res.Effects...) // always, in one transaction
//	tx.Wake(res.Next)
//	if err != nil { return err } // refused: *rules.RuleError, errors.Is(err, order.ErrNotAllowed)
//
// An event at the very instant of a deadline finds it fired (one second
// earlier it does not). Effect IDs increase within the order
// ([State.Seq]); an outbox keyed by (order number, ID) carries each out
// once. An instant earlier than [State.Last] is refused with
// [ErrClockBehind] (AdvanceAt does nothing).
//
// # Policy and versions
//
// Thresholds live in policy/order.yaml ([DefaultPolicy]); a host overrides
// them with [rules.Set.Override] or [rules.Set.OverrideExpr]. An order is
// judged for its whole life by the version in force at its creation
// ([State.Version], pinned with [rules.Set.Pin]); a set that no longer
// holds that version makes ApplyAt fail with [ErrPolicy] and leaves the
// state unchanged. Periods are exact durations (N days = N×24h) and
// half-open: open from their start, closed from their end.
//
// # Checkout (ORD-1, ORD-2, ORD-3)
//
// Every item's stock must cover its quantity (ORD-1; every failing item is
// listed at once in an [*OutOfStock]). Ordinary items merge into one order
// per store; each marketing-activity, credit-card-installment or presale
// item gets an order of its own (ORD-2). Numbers come from
// Options.Numbers, refused if repeated within the checkout. Each line
// stores its [Alloc] — coupon discount, beans and points as units and
// money — decided by packages coupon and points before checkout; refunds
// read those records and never re-prorate.
//
// # Lifecycle (ORD-4 … ORD-10, ORD-13)
//
// See [Diagram] (generated from [Transitions], the one table that also
// decides which events each status accepts). A new order is
// [PendingPayment] (ORD-5) until [Pay]; unpaid at payment_timeout (24h,
// exact to the second; an activity order's own limit as input
// order.activity_limit) it is [Cancelled] (ORD-4). The buyer may [Cancel]
// (ORD-6) and [Delete] a cancelled order into the recycle bin. Paid, it
// awaits shipment (ORD-7): [UrgeShipment], and [ChangeDelivery] only with
// the merchant's consent and before the first parcel (ORD-8). An
// [Undeliverable] parcel costs the buyer when the address was wrong or
// changed without consent, else the merchant ([ShippingCost]).
//
// Money (ORD-13): escrow payments are frozen ([FreezeEscrow]), direct ones
// settle at once ([SettleToMerchant]); at completion the frozen funds are
// released net of refunds ([ReleaseEscrow]); a refund is funded from the
// frozen funds first, then the merchant ([FundRefund]); a merchant's
// cancellation returns what was paid ([ReturnPayment]) and closes the
// order (ORD-10). At every instant Paid = Frozen + Settled + Refunded.
//
// Completion (ORD-9): a direct order is [Completed] once every line has
// shipped; an escrow order on [ConfirmReceipt] or auto_confirm (10 days)
// after the last line shipped (ORD-12 reading). While a refund request or
// complaint is open the countdown pauses and resumes when the last closes
// (auto_confirm_extends = true); false fires at the later of the original
// deadline and the close. A fully refunded order is [Closed] whatever its
// mode, even after completion (ORD-10 reading).
//
// # Shipments (ORD-11, ORD-12)
//
// A [Ship] parcel holds lines and logistics. An order of a single item
// type ships at once; one of several types may split, and a shipped line
// cannot ship again. After a refund ([LinesRefunded]) the status follows
// the lines not refunded (ORD-11): any unshipped with some shipped is
// [PartiallyShipped], all shipped is [Shipped] (direct: Completed).
//
// # Presale (ORD-14)
//
// A presale item's [PresaleTerms] are the merchant's: [PayDeposit] before
// DepositEnd (else Cancelled), [PayBalance] in [BalanceStart, BalanceEnd)
// (else the deposit is returned and the order Closed); after full payment
// a shipment past ShipWithin emits a [Notice] once.
//
// # Reviews (ORD-20)
//
// Only a Completed order may be reviewed ([Rate]: four dimensions of one to
// five stars), within review_window (15 days) of completion, once, never
// edited; one [FollowUpReview] in [first + follow_up_opens, first +
// follow_up_closes) (day 15 to day 180). Content with a prohibited_words
// entry is kept but hidden. Nothing is reviewed automatically.
//
// # Arbitration lock (ORD-19)
//
// [Arbitrate] locks the order from the instant it is reported (deadlines
// already due have fired): nothing fires, [State.Next] is zero, and every
// event but [Unlock] is refused with [ErrLocked]. Unlocking moves every
// pending deadline later by the time locked.
//
// # Delivery, inspection, account closure (ORD-15, ORD-16, ORD-18)
//
// [RiskAt] says who bears the risk at an instant (ORD-16); [Machine.Inspect]
// whether an objection is admissible (ORD-18, inspection_window 3 days);
// [Deregister] whether a member's payment account can be closed (ORD-15).
//
// # Composition with refund, dispute, points and coupon
//
// This version runs the order's own rules. Refund requests and complaints
// reach it as facts the composer feeds: [ClaimOpened] and [ClaimClosed]
// (the ORD-9 pause), [LinesRefunded] (package refund's settled refund:
// ORD-10 full-refund close, ORD-11 status, ORD-17 revocation), [Arbitrate]
// and [Unlock] (package dispute, DSP-9). The order side of those rules is
// complete; running the sub-machines inside the State (planned fields
// Refunds and Complaints), and feeding refund facts to points and coupon
// for their give-backs, come when those packages' APIs are final.
package order
