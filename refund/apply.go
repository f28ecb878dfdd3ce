package refund

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies one event at t.now. Every check comes before the first
// change of t.s, so a refused event leaves the (advanced) state as it was.
func (t *tx) apply(e Event) error {
	switch e := e.(type) {
	case Open:
		return t.open(e)
	case ShippedAfterRevocation:
		return t.shippedAfter(e)
	case nil:
		return fmt.Errorf("%w: nil event or a value of no event type", ErrInvalid)
	}
	r, err := t.target(e)
	if err != nil {
		return err
	}
	if !accepts(r.Kind, r.Status, e.Name()) { // the table decides
		return notAccepted(r, e.Name())
	}
	switch e := e.(type) {
	case MerchantAgree:
		switch {
		case r.Revocation:
			t.note(r, "RFD-9", "merchant agreed: the trade is revoked")
			t.revoke(r, t.now)
		case r.Kind == RefundOnly:
			t.note(r, "RFD-2", "merchant agreed")
			t.complete(r, nil, t.now, false)
		default:
			t.note(r, "RFD-3", "merchant agreed to the return")
			t.sendAddress(r, t.now, false)
		}
	case MerchantRefuse:
		return t.refuse(r, e)
	case Modify:
		return t.modify(r, e)
	case Withdraw:
		t.note(r, "RFD-1", "buyer withdrew the request")
		t.to(r, Withdrawn, t.now)
	case AskIntervention:
		t.note(r, machineRule(r), "buyer asked for platform intervention")
		t.to(r, Intervention, t.now)
	case SubmitLogistics:
		if e.Carrier == "" || e.Tracking == "" {
			return rules.Refuse("RFD-3", ErrBadRequest, "carrier and tracking number are required")
		}
		r.Logistics = &Logistics{Carrier: e.Carrier, Tracking: e.Tracking, At: t.now}
		t.to(r, Returning, t.now)
		t.due(r, wReturnRefund, t.now)
		r.ReturnDue = r.Deadline
	case MerchantReceive:
		t.receive(r)
	case MerchantRefund:
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = t.now
		}
		t.note(r, r.DueRule, "merchant confirmed receipt and refunded")
		t.complete(r, nil, t.now, false)
	case PlatformDecide:
		return t.decidePlatform(r, e)
	case ShippingVoucher:
		return t.voucher(r, e)
	case SuspectCrime:
		if r.Reason != Prohibited {
			return rules.Refuse("RFD-8", ErrNotAllowed, "request %d is not about prohibited goods", r.ID)
		}
		t.note(r, "RFD-8", "suspected crime: funds held and reported to the police")
		t.to(r, Held, t.now)
		t.emit("RFD-8", t.now, HoldFunds{Request: r.ID, Amount: r.Total()})
	default:
		return fmt.Errorf("%w: unknown event %s", ErrInvalid, e.Name())
	}
	return nil
}

// emits reports whether e mostly emits effects as well as decisions: the
// events that refund, hold funds or report a loss, and an open that says
// who pays the shipping. It sizes a call's room for them, nothing else.
func emits(e Event) bool {
	switch e := e.(type) {
	case MerchantAgree, MerchantRefund, PlatformDecide, SuspectCrime, ShippedAfterRevocation:
		return true
	case Open:
		return e.Reason != Agreed
	}
	return false
}

// machineRule is the rule of r's machine: RFD-2, RFD-3, or RFD-9 for a
// pending revocation.
func machineRule(r *Request) string {
	switch {
	case r.Kind == ReturnRefund:
		return "RFD-3"
	case r.Revocation:
		return "RFD-9"
	}
	return "RFD-2"
}

// Target returns the ID of the request an event names, or 0 for the
// events that name none (Open, ShippedAfterRevocation). A host may use it
// to route or log events.
func Target(e Event) int {
	switch e := eventValue(e).(type) {
	case MerchantAgree:
		return e.Request
	case MerchantRefuse:
		return e.Request
	case Modify:
		return e.Request
	case Withdraw:
		return e.Request
	case AskIntervention:
		return e.Request
	case SubmitLogistics:
		return e.Request
	case MerchantReceive:
		return e.Request
	case MerchantRefund:
		return e.Request
	case PlatformDecide:
		return e.Request
	case ShippingVoucher:
		return e.Request
	case SuspectCrime:
		return e.Request
	}
	return 0
}

// target returns the open request an event names.
func (t *tx) target(e Event) (*Request, error) {
	id := Target(e)
	if id < 1 || id > len(t.s.Requests) {
		return nil, rules.Refuse("RFD-1", ErrNoRequest, "request %d", id)
	}
	r := &t.s.Requests[id-1]
	if r.Status.Final() {
		return nil, rules.Refuse("RFD-1", ErrFinal, "request %d is %v", id, r.Status)
	}
	if t.table(r) == nil {
		return nil, t.err // judged by its pinned version or not at all
	}
	return r, nil
}

// refuse: the merchant refuses (RFD-2, RFD-3), where allowed (RFD-5, RFD-8, RFD-9).
func (t *tx) refuse(r *Request, e MerchantRefuse) error {
	after := r.Status == Returning || r.Status == Received
	switch {
	case r.Revocation:
		return rules.Refuse("RFD-9", ErrCannotRefuse, "request %d revokes the trade; show a shipping voucher instead", r.ID)
	case r.Reason == Prohibited:
		return rules.Refuse("RFD-8", ErrCannotRefuse, "request %d: prohibited goods must be taken back", r.ID)
	case r.Reason == ParcelRefused:
		return rules.Refuse("RFD-5", ErrCannotRefuse, "request %d: refused parcel of a labelled item", r.ID)
	case r.Reason == NoReason && !after:
		return rules.Refuse("RFD-5", ErrCannotRefuse, "request %d: labelled no-reason item, before receipt", r.ID)
	}
	if r.Reason == NoReason {
		// After receipt only because the item is not intact (RFD-5
		// Reading; threshold no_reason_refuse_after_receipt).
		n := len(t.decisions)
		if !t.flag(r, fRefuseAfterReceipt, "may the merchant refuse a no-reason return after receipt") {
			t.decisions = t.decisions[:n]
			if t.err != nil {
				return t.err
			}
			return rules.Refuse("RFD-5", ErrCannotRefuse, "request %d: labelled no-reason item (policy: no refusal after receipt)", r.ID)
		}
	}
	if after && r.ReceivedAt.IsZero() {
		r.ReceivedAt = t.now
	}
	t.note(r, machineRule(r), "merchant refused")
	t.to(r, Refused, t.now)
	if r.Kind == ReturnRefund {
		t.due(r, wReturnRefusalResponse, t.now)
	} else {
		t.due(r, wRefusalResponse, t.now)
	}
	return nil
}

// modify: new items, and the merchant's response period starts again.
// Goods already back with the merchant (a refusal after receipt) go to
// Received with the merchant's return response period, silence meaning
// an automatic refund.
func (t *tx) modify(r *Request, e Modify) error {
	if r.Revocation {
		return rules.Refuse("RFD-9", ErrNotAllowed, "request %d revokes whole lines: withdraw it and ask again", r.ID)
	}
	items, err := t.items(r, e.Items, nil)
	if err != nil {
		return err
	}
	r.Items = items
	t.note(r, machineRule(r), "buyer modified the request")
	if !r.ReceivedAt.IsZero() {
		t.to(r, Received, t.now)
		t.due(r, wReturnMerchantResponse, t.now)
		return nil
	}
	t.request(r)
	return nil
}

// receive: the merchant confirms receipt. The RFD-3 deadline still
// binds; for a no-reason return (or every return if the policy says so)
// the RFD-7 period from receipt binds too, whichever ends first.
func (t *tx) receive(r *Request) {
	r.ReceivedAt = t.now
	due, rule := r.ReturnDue, "RFD-3"
	if r.Reason == NoReason || t.flag(r, fReceiptRefundAll, "RFD-7 binds every return") {
		if end := t.window(r, wNoReasonRefund, t.now); end.Before(due) {
			due, rule = end, "RFD-7"
		}
	}
	t.to(r, Received, t.now)
	r.Deadline, r.DueRule = due, rule
}

// decidePlatform resolves an intervention.
func (t *tx) decidePlatform(r *Request, e PlatformDecide) error {
	switch e.Outcome {
	case RefundAll:
		t.note(r, machineRule(r), "platform decided a full refund")
		if r.Revocation {
			t.revoke(r, t.now)
			return nil
		}
		t.complete(r, nil, t.now, true)
	case RefundPart:
		part, err := money.Amount(e.Amount)
		if err != nil {
			return fmt.Errorf("%w: platform_decide: amount: %w", ErrInvalid, err)
		}
		total, _ := money.Amount(r.Total())
		if part <= 0 || part >= total {
			return rules.Refuse("RFD-10", ErrExceedsPaid, "partial refund %s of %s asked", e.Amount.StringFixed(2), r.Total().StringFixed(2))
		}
		t.note(r, machineRule(r), "platform decided a partial refund")
		t.complete(r, money.AllocateFen(part, t.asked(r)), t.now, true)
	case Reject:
		t.note(r, machineRule(r), "platform rejected the request")
		t.to(r, Closed, t.now)
	default:
		return fmt.Errorf("%w: platform_decide: outcome %v", ErrInvalid, e.Outcome)
	}
	return nil
}

// voucher: a shipping voucher dated before the request reverses a
// revocation (RFD-9 (2), ORD-17); the request continues as refund only
// under RFD-2, the merchant's period counted from the request.
func (t *tx) voucher(r *Request, e ShippingVoucher) error {
	switch {
	case !r.Revocation:
		return rules.Refuse("RFD-9", ErrNotAllowed, "request %d is not a pending revocation", r.ID)
	case len(r.Loss) > 0:
		return rules.Refuse("RFD-9", ErrNotAllowed, "request %d: the merchant shipped after the request (%s)", r.ID, r.Loss[0])
	case e.ShippedAt.IsZero():
		return rules.Refuse("RFD-9", ErrBadRequest, "request %d: a shipping voucher needs its shipping date", r.ID)
	case e.ShippedAt.After(t.now):
		return rules.Refuse("RFD-9", ErrTimeAfterNow, "shipped %s, now %s", e.ShippedAt.UTC().Format(time.RFC3339), t.now.Format(time.RFC3339))
	case !e.ShippedAt.Before(r.RequestedAt):
		return rules.Refuse("RFD-9", ErrVoucherTooLate, "shipped %s, requested %s",
			e.ShippedAt.UTC().Format(time.RFC3339), r.RequestedAt.Format(time.RFC3339))
	}
	r.Revocation = false
	r.Stage = Shipped
	if t.confirmedBy(r.RequestedAt) {
		r.Stage = Confirmed
	}
	t.note(r, "RFD-9", "shipping voucher predates the request: not revoked, RFD-2 applies")
	t.due(r, wMerchantResponse, r.RequestedAt)
	if r.Deadline.Before(t.now) {
		// The merchant's period ended while the request was a revocation
		// (a policy whose revocation_voucher outlasts merchant_response):
		// its silence takes effect now, not before the voucher was shown.
		t.note(r, "RFD-2", "merchant's period ended before the voucher: silence takes effect now")
		r.Deadline = t.now
	}
	return nil
}

// shippedAfter: the merchant shipped lines of a revocation after the
// request (ORD-17): it bears the shipping and any loss.
func (t *tx) shippedAfter(e ShippedAfterRevocation) error {
	if len(e.Lines) == 0 {
		return fmt.Errorf("%w: shipped_after_revocation: no lines", ErrInvalid)
	}
	reqs := make([]int, len(e.Lines))
	for i, id := range e.Lines {
		li := t.o.line(id)
		if li < 0 {
			return fmt.Errorf("%w: shipped_after_revocation: no line %q", ErrInvalid, id)
		}
		for _, p := range e.Lines[:i] {
			if p == id {
				return fmt.Errorf("%w: shipped_after_revocation: line %s twice", ErrInvalid, id)
			}
		}
		q := t.revocationOf(id)
		switch {
		case q == nil:
			return rules.Refuse("RFD-9", ErrNotAllowed, "line %s is in no revocation", id)
		case !t.o.Lines[li].shipped() || t.o.Lines[li].ShippedAt.Before(q.RequestedAt):
			return rules.Refuse("RFD-9", ErrNotAllowed, "line %s: the order records no shipment after request %d", id, q.ID)
		case contains(q.Loss, id):
			return rules.Refuse("RFD-9", ErrNotAllowed, "line %s: already reported", id)
		}
		reqs[i] = q.ID
	}
	for i := range e.Lines {
		if reqs[i] == 0 {
			continue
		}
		q := &t.s.Requests[reqs[i]-1]
		var lines []string
		for j := i; j < len(e.Lines); j++ {
			if reqs[j] == q.ID {
				lines = append(lines, e.Lines[j])
				reqs[j] = 0
			}
		}
		q.Loss = append(q.Loss, lines...)
		t.note(q, "RFD-9", "shipped after the revocation: the merchant bears shipping both ways and any loss")
		t.emit("RFD-9", t.now, MerchantBearsLoss{Request: q.ID, Lines: lines})
	}
	return nil
}

// revocationOf returns the latest pending or completed revocation of line.
func (t *tx) revocationOf(line string) *Request {
	for i := len(t.s.Requests) - 1; i >= 0; i-- {
		q := &t.s.Requests[i]
		if q.Revocation && accepts(q.Kind, q.Status, "shipped_after_revocation") && q.has(line) {
			return q
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
