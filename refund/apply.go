package refund

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies one event at t.now.
func (t *tx) apply(e Event) error {
	switch e := e.(type) {
	case Open:
		return t.open(e)
	case Ship, Sign, ConfirmReceipt:
		return t.fulfil(e)
	case nil:
		return rules.Refuse("RFD-1", ErrBadRequest, "nil event")
	}
	r, err := t.target(e)
	if err != nil {
		return err
	}
	notAllowed := func() error {
		return rules.Refuse(machineRule(r), ErrNotAllowed, "request %d is %v", r.ID, r.Status)
	}
	switch e := e.(type) {
	case MerchantAgree:
		if r.Status != Requested {
			return notAllowed()
		}
		switch {
		case r.Revocation:
			t.revoke(r, t.now)
		case r.Kind == RefundOnly:
			t.note(r, "RFD-2", "merchant agreed")
			t.complete(r, full(*r), t.now, false, false)
		default:
			t.note(r, "RFD-3", "merchant agreed to the return")
			t.sendAddress(r, t.now, false)
		}
	case MerchantRefuse:
		return t.refuse(r, e)
	case Modify:
		return t.modify(r, e)
	case Withdraw:
		switch r.Status {
		case Requested, AwaitingBuyer, Refused, AwaitingReturn, Intervention:
		default:
			return notAllowed() // the goods are on their way back or with the merchant
		}
		t.note(r, "RFD-1", "buyer withdrew the request")
		t.to(r, Withdrawn, t.now)
	case AskIntervention:
		if r.Status != AwaitingBuyer && r.Status != Refused {
			return notAllowed()
		}
		t.note(r, machineRule(r), "buyer asked for platform intervention")
		t.to(r, Intervention, t.now)
	case SubmitLogistics:
		if r.Status != AwaitingReturn {
			return notAllowed()
		}
		if e.Carrier == "" || e.Tracking == "" {
			return rules.Refuse("RFD-3", ErrBadRequest, "carrier and tracking number are required")
		}
		r.Logistics = &Logistics{Carrier: e.Carrier, Tracking: e.Tracking, At: t.now}
		t.to(r, Returning, t.now)
		t.due(r, returnRefund, t.now)
		r.ReturnDue = r.Deadline
	case MerchantReceive:
		if r.Status != Returning {
			return notAllowed()
		}
		t.receive(r)
	case MerchantRefund:
		if r.Status != Returning && r.Status != Received {
			return notAllowed()
		}
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = t.now
		}
		t.note(r, r.DueRule, "merchant confirmed receipt and refunded")
		t.complete(r, full(*r), t.now, false, false)
	case PlatformDecide:
		if r.Status != Intervention {
			return notAllowed()
		}
		return t.decide(r, e)
	case ShippingVoucher:
		return t.voucher(r, e)
	case SuspectCrime:
		if r.Reason != Prohibited {
			return rules.Refuse("RFD-8", ErrNotAllowed, "request %d is not about prohibited goods", r.ID)
		}
		t.note(r, "RFD-8", "suspected crime: funds held and reported to the police")
		t.to(r, Held, t.now)
		t.emit(HoldFunds{Request: r.ID, Amount: r.Total()})
	default:
		return rules.Refuse("RFD-1", ErrBadRequest, "unknown event %s", e.Name())
	}
	return nil
}

// machineRule is the rule of r's machine: RFD-2 or RFD-3.
func machineRule(r *Request) string {
	if r.Kind == ReturnRefund {
		return "RFD-3"
	}
	return "RFD-2"
}

// Target returns the ID of the request an event names, or 0 for the
// events that name none (Open and the order facts Ship, Sign,
// ConfirmReceipt). A host may use it to route or log events.
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
	return r, nil
}

// refuse: the merchant refuses (RFD-2, RFD-3), where allowed (RFD-5, RFD-8, RFD-9).
func (t *tx) refuse(r *Request, e MerchantRefuse) error {
	after := r.Status == Returning || r.Status == Received
	switch {
	case r.Status != Requested && !after:
		return rules.Refuse(machineRule(r), ErrNotAllowed, "request %d is %v", r.ID, r.Status)
	case r.Revocation:
		return rules.Refuse("RFD-9", ErrCannotRefuse, "request %d revokes the trade; show a shipping voucher instead", r.ID)
	case r.Reason == Prohibited:
		return rules.Refuse("RFD-8", ErrCannotRefuse, "request %d: prohibited goods must be taken back", r.ID)
	case r.Reason == NoReason && !after && t.labelled(r):
		return rules.Refuse("RFD-5", ErrCannotRefuse, "request %d: labelled no-reason item", r.ID)
	}
	if after && r.ReceivedAt.IsZero() {
		r.ReceivedAt = t.now
	}
	t.note(r, machineRule(r), "merchant refused: %s", e.Note)
	t.to(r, Refused, t.now)
	if r.Kind == ReturnRefund {
		t.due(r, returnRefusalResponse, t.now)
	} else {
		t.due(r, refusalResponse, t.now)
	}
	return nil
}

// labelled reports whether any line of r carries the no-reason label and
// is not custom-made: the merchant may not refuse it (RFD-5).
func (t *tx) labelled(r *Request) bool {
	for _, it := range r.Items {
		if l := t.s.Order.Lines[t.s.Order.line(it.Line)]; l.Labelled && !l.CustomMade {
			return true
		}
	}
	return false
}

// modify: new items, and the merchant's response period starts again.
// Goods already back with the merchant (a refusal after receipt) go to
// Received with the merchant's return response period, silence meaning
// an automatic refund.
func (t *tx) modify(r *Request, e Modify) error {
	switch r.Status {
	case Requested, AwaitingBuyer, Refused:
	default:
		return rules.Refuse(machineRule(r), ErrNotAllowed, "request %d is %v", r.ID, r.Status)
	}
	items, revocation, err := t.check(r, e.Items)
	if err != nil {
		return err
	}
	r.Items, r.Revocation = items, revocation
	t.note(r, machineRule(r), "buyer modified the request")
	if !r.ReceivedAt.IsZero() {
		t.to(r, Received, t.now)
		t.due(r, returnMerchantResponse, t.now)
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
	all, err := rules.Get(t.version(r), receiptRefundAll)
	if err != nil {
		t.fail(fmt.Errorf("%w: %w", ErrPolicy, err))
		return
	}
	if r.Reason == NoReason || all {
		if end := t.window(r, noReasonRefund, t.now); end.Before(due) {
			due, rule = end, "RFD-7"
		}
	}
	t.to(r, Received, t.now)
	r.Deadline, r.DueRule = due, rule
}

// decide resolves an intervention.
func (t *tx) decide(r *Request, e PlatformDecide) error {
	switch e.Outcome {
	case FullRefund:
		t.note(r, machineRule(r), "platform decided a full refund")
		t.complete(r, full(*r), t.now, true, false)
	case PartRefund:
		if !wholeFen(e.Amount) || !e.Amount.IsPositive() || !e.Amount.LessThan(r.Total()) {
			return rules.Refuse("RFD-10", ErrExceedsPaid, "partial refund %s of %s asked", show(e.Amount), r.Total().StringFixed(2))
		}
		t.note(r, machineRule(r), "platform decided a partial refund of %s", e.Amount.StringFixed(2))
		parts, err := split(*r, e.Amount)
		if err != nil {
			return err
		}
		t.complete(r, parts, t.now, true, true)
	case RejectClaim:
		t.note(r, machineRule(r), "platform rejected the request")
		t.to(r, Closed, t.now)
	default:
		return rules.Refuse("RFD-1", ErrBadRequest, "outcome %v", e.Outcome)
	}
	return nil
}

// voucher: a shipping voucher dated before the request reverses a
// revocation (RFD-9, ORD-17); the request continues as refund only
// (RFD-2), the merchant's period counted from the request.
func (t *tx) voucher(r *Request, e ShippingVoucher) error {
	if !r.Revocation || r.Status != Requested {
		return rules.Refuse("RFD-9", ErrNotAllowed, "request %d is not a pending revocation", r.ID)
	}
	if e.ShippedAt.IsZero() {
		return rules.Refuse("RFD-9", ErrBadRequest, "request %d: a shipping voucher needs its shipping date", r.ID)
	}
	if !e.ShippedAt.Before(r.RequestedAt) {
		return rules.Refuse("RFD-9", ErrVoucherTooLate, "shipped %s, requested %s",
			e.ShippedAt.UTC().Format("2006-01-02T15:04:05Z07:00"), r.RequestedAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	for _, it := range r.Items {
		t.s.Order.Lines[t.s.Order.line(it.Line)].Shipped = true
	}
	r.Revocation = false
	t.note(r, "RFD-9", "shipping voucher predates the request: not revoked")
	t.due(r, merchantResponse, r.RequestedAt)
	if r.Deadline.Before(t.now) {
		// The merchant's period ended while the request was a revocation
		// (a policy whose revocation_voucher outlasts merchant_response):
		// its silence takes effect now, not before the voucher was shown.
		t.note(r, "RFD-2", "merchant's period ended %s, before the voucher: silence takes effect now", r.Deadline.Format(time.RFC3339))
		r.Deadline = t.now
	}
	return nil
}
