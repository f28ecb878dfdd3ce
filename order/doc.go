// Package order is the aggregate root of one trade: one value, a [State],
// holds an order's lines with what checkout allocated to them, its
// payments, money ledger, shipments, its refund requests (package
// refund) and complaints (package dispute) run inside it, the records of
// the coupons (package coupon) and beans and points (package points) it
// used, its review, and the one deadline it waits for, so a host stores a
// trade in one row, locks one row and wakes it at one instant.
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
// earlier it does not); this holds for the deadlines of the order's
// refund requests and complaints too, which the order fires with its own,
// earliest first, each at its own instant ([State.Next] is the earliest of
// all three; at one instant refunds fire first, then complaints, then the
// order's own). Effect IDs increase within the order
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
// decides which events each status accepts; [DiagramFor] draws it under a
// host's set, labelling each deadline edge with its Threshold's value). A new order is
// [PendingPayment] (ORD-5) until [Pay]; unpaid at payment_timeout (24h,
// exact to the second; an activity order's own limit as input
// order.activity_limit) it is [Cancelled] (ORD-4). The buyer may [Cancel]
// (ORD-6) and [Delete] a cancelled order into the recycle bin. A payment
// names how it was paid ([Via]): refunds go back by that route (RFD-4).
// Paid, it
// awaits shipment (ORD-7): [UrgeShipment], and [ChangeDelivery] only with
// the merchant's consent and before the first parcel (ORD-8). An
// [Undeliverable] parcel costs the buyer when the address was wrong or
// changed without consent, else the merchant ([ShippingCost]).
//
// Money (ORD-13): escrow payments are frozen ([FreezeEscrow]), direct ones
// settle at once ([SettleToMerchant]); at completion the frozen funds are
// released net of refunds ([ReleaseEscrow]); a refund is funded from the
// frozen funds first, then the merchant ([FundRefund]); a merchant's
// cancellation (refused while a refund request is open) returns what was
// paid ([ReturnPayment]) and closes the order (ORD-10). At every instant
// Paid = Frozen + Settled + Refunded.
//
// Completion (ORD-9): a direct order is [Completed] once every line has
// shipped; an escrow order on [ConfirmReceipt] or auto_confirm (10 days)
// after the last line shipped (ORD-12 reading). While a refund request or
// complaint is open the countdown pauses and resumes when the last closes
// (auto_confirm_extends = true); false fires at the later of the original
// deadline and the close. Whether one is open is read from the refund
// and dispute states themselves ([State.Open]). A fully refunded order is [Closed] whatever its
// mode, even after completion (ORD-10 reading).
//
// # Shipments (ORD-11, ORD-12)
//
// A [Ship] parcel holds lines and logistics. An order of a single item
// type ships at once; one of several types may split, and a shipped line
// cannot ship again. [Sign] records a parcel's signing. After a refund
// the status follows the lines not refunded (ORD-11): any unshipped with some shipped is
// [PartiallyShipped], all shipped is [Shipped] (direct: Completed).
//
// # Presale (ORD-14)
//
// A presale item's [PresaleTerms] are the merchant's: [PayDeposit] before
// DepositEnd (else Cancelled), [PayBalance] in [BalanceStart, BalanceEnd)
// (else the deposit is returned and the order Closed); after full payment
// a shipment past ShipWithin emits a [Notice] once. With only the deposit
// paid the buyer may open a refund-only request on every line (a
// revocation before shipment, RFD-9): refund is told the deposit is what
// was paid ([State.RefundOrder]), the balance timeout is held while the
// request is open (PayBalance is refused), and the deposit's full refund
// closes the order (ORD-10), so the balance is no longer due. A withdrawn
// request lets the timeout fire at the later of BalanceEnd and the
// withdrawal.
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
// The lock is package dispute's: a complaint taken to arbitration or court
// ([dispute.GoToCourt]) locks the order from that instant (deadlines
// already due have fired); [State.Locked] reads it from the order's
// dispute state. While locked nothing fires ([State.Next] is zero) and
// every event but the complaint's [dispute.Unlock] is refused with
// [ErrLocked]. The unlock moves the order's pending deadlines and its open
// refund requests' later by the time locked.
//
// # Delivery, inspection, account closure (ORD-15, ORD-16, ORD-18)
//
// [RiskAt] says who bears the risk at an instant (ORD-16); [Machine.Inspect]
// whether an objection is admissible (ORD-18, inspection_window 3 days);
// [Deregister] whether a member's payment account can be closed (ORD-15).
//
// Inside the trade ORD-18 is judged by the same decision: a [Refund] that
// opens or modifies a request, or a [Complaint] that files one, may carry the host's
// classification of what it objects to ([Objection]). After a valid
// signature ([Sign]; a third party's needs ThirdParty and Authorised) a
// surface-consistency objection is refused with ErrNotAllowed (ORD-18)
// unless with valid contrary evidence or a carrier-countersigned note; a
// latent matter is admitted in [signed, signed + inspection_window) and
// refused from its end. A request is judged line by line by the parcel
// each shipped in; a complaint, which names no lines, is refused only
// when every parcel shipped bars it. No Objection: not judged.
//
// # Refunds, complaints and give-backs inside the trade
//
// Each fact is held once: the order holds its lines, payments, parcels and
// confirmation; package refund's facts ([refund.Order], from
// [State.RefundOrder]; passed in fen as [refund.Facts]) and dispute's ([dispute.Trade], from [State.Trade])
// are derived from them on every call and never stored. The
// sub-machines' own states are fields of the State (Refunds, Complaints)
// and change only through the order's ApplyAt and AdvanceAt, at the
// order's instant:
//
//   - [Refund] wraps a refund event ({"type":"refund","event":{…}}); its
//     refusal is the order's (a *rules.RuleError of package refund).
//     Refund's effects are re-emitted in the order's outbox with the
//     order's effect IDs (the order's [Effect] holds acts of refund,
//     coupon, points and dispute, whose kinds are unique across the
//     library, [EffectKinds]). Each [refund.Settled] act moves the
//     order's books: line money, [FundRefund] from frozen funds first
//     (ORD-13), the status its lines call for (ORD-11), Closed when every
//     line is refunded (ORD-10, direct orders too), revoked lines closed
//     (ORD-17, RFD-9). Lines of an open revocation that ship anyway are
//     reported to refund at once, which emits merchant_bears_loss. A
//     request whose funds are held for a suspected crime (RFD-8) keeps
//     the auto-confirm countdown paused: the escrow is not released.
//   - On each settled refund the coupons ([State.Redemption], from the
//     cart's coupon record) go back as package coupon decides (CPN-6:
//     full_refund or partial_refund; CPN-7: cancel, also at the payment
//     timeout and a merchant's cancellation), and the beans and points
//     ([State.Spend], given with [Pay]) as package points decides
//     (PTS-2), in proportion to each line's refunded share. The order
//     never decides a give-back; the records make a second one give
//     nothing.
//   - A cross-store coupon (CPN-5) belongs to the checkout, not to one
//     order: its record stays with the host, and [CheckoutGiveBack],
//     given all orders of the checkout, gives it back once, when every
//     one of them is cancelled, closed by the merchant or fully refunded
//     (CPN-6, CPN-7), at the instant the last of them ended.
//   - [Complaint] wraps a dispute event; an open complaint pauses the
//     auto-confirm countdown, and its lock is the order's (ORD-19).
//
// Machines: Options.Refunds, Options.Disputes, Options.Coupons and
// Options.Points (nil: each package's default policy).
package order
