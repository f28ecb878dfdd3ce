package refund

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Validate returns nil if s is a State this package could have produced,
// and otherwise an error wrapping [ErrInvalidState] that names the first
// fault. Hosts keep States in their own storage and feed them back, so
// [Machine.Apply] and [Machine.Advance] validate every State they are
// given; a host may call Validate itself after loading a row.
//
// A valid State has an order that [Machine.Start] accepts (RFD-10) and
// requests whose IDs are their positions (1, 2, …), each of a known kind,
// reason and status, with at least one item, each item naming a line of
// the order once, for a non-negative whole number of fen. A request has a
// Deadline exactly when its status times out (Requested, AwaitingBuyer,
// Refused, AwaitingReturn, Returning, Received); Intervention and the
// final statuses have none. A Returning request has its ReturnDue; only a
// refund-only request is a revocation; a request has a Settlement exactly
// when it is Refunded, whose lines name lines of the order and add up to
// its Money. A line is in at most one open request, which asks no more
// than is left of it, and in no request after one whose funds are Held;
// no line, nor the order, is refunded beyond what was paid. A request
// made after receipt confirmation (Request.Confirmed) is on a confirmed
// order; a Loan payment names its bound account (RFD-4).
func (s State) Validate() error {
	if err := checkOrder(s.Order); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidState, err)
	}
	lines := s.Order.Lines
	refunded := make([]decimal.Decimal, len(lines))
	for i := range refunded {
		refunded[i] = decimal.Zero
	}
	total := decimal.Zero
	for i, r := range s.Requests {
		if err := s.validRequest(i, r); err != nil {
			return fmt.Errorf("%w: request %d: %s", ErrInvalidState, i+1, err)
		}
		if st := r.Settlement; st != nil {
			for _, sl := range st.Lines {
				li := s.Order.line(sl.Line)
				refunded[li] = refunded[li].Add(sl.Money)
			}
			total = total.Add(st.Money)
		}
	}
	for i, l := range lines {
		if refunded[i].GreaterThan(l.Paid()) {
			return fmt.Errorf("%w: line %s: refunded %s of %s paid", ErrInvalidState, l.ID, refunded[i], l.Paid())
		}
	}
	if paid := s.Order.Paid(); total.GreaterThan(paid) {
		return fmt.Errorf("%w: refunded %s of %s paid", ErrInvalidState, total, paid)
	}
	for _, r := range s.Requests {
		if r.Status.Final() {
			continue
		}
		for _, it := range r.Items {
			li := s.Order.line(it.Line)
			if rest := lines[li].Paid().Sub(refunded[li]); it.Amount.GreaterThan(rest) {
				return fmt.Errorf("%w: request %d: line %s asks %s, %s left", ErrInvalidState, r.ID, it.Line, it.Amount, rest)
			}
		}
	}
	return nil
}

// validRequest checks the request at index i on its own and against the
// open requests before it.
func (s State) validRequest(i int, r Request) error {
	switch {
	case r.ID != i+1:
		return fmt.Errorf("has ID %d", r.ID)
	case r.Kind != RefundOnly && r.Kind != ReturnRefund:
		return fmt.Errorf("kind %v", r.Kind)
	case int(r.Reason) >= len(reasonNames):
		return fmt.Errorf("reason %v", r.Reason)
	case r.Status == 0 || int(r.Status) >= len(statusNames):
		return fmt.Errorf("status %v", r.Status)
	case r.Status.timed() == r.Deadline.IsZero():
		return fmt.Errorf("status %v with deadline %v", r.Status, r.Deadline)
	case r.Status == Returning && r.ReturnDue.IsZero():
		return fmt.Errorf("returning without a return deadline")
	case r.Revocation && r.Kind != RefundOnly:
		return fmt.Errorf("a %v request cannot revoke the trade", r.Kind)
	case r.Confirmed && !s.Order.Confirmed:
		return fmt.Errorf("made after a receipt confirmation the order does not have")
	case (r.Settlement != nil) != (r.Status == Refunded):
		return fmt.Errorf("status %v with settlement %t", r.Status, r.Settlement != nil)
	case len(r.Items) == 0:
		return fmt.Errorf("no items")
	}
	for j, it := range r.Items {
		if s.Order.line(it.Line) < 0 {
			return fmt.Errorf("no line %q", it.Line)
		}
		for _, p := range r.Items[:j] {
			if p.Line == it.Line {
				return fmt.Errorf("line %s twice", it.Line)
			}
		}
		if !wholeFen(it.Amount) {
			return fmt.Errorf("line %s: amount %s", it.Line, show(it.Amount))
		}
		for _, q := range s.Requests[:i] {
			if q.Status == Held && q.has(it.Line) {
				return fmt.Errorf("line %s: its funds are held by request %d", it.Line, q.ID)
			}
		}
		if r.Status.Final() {
			continue
		}
		for _, q := range s.Requests[:i] {
			if !q.Status.Final() && q.has(it.Line) {
				return fmt.Errorf("line %s is also in open request %d", it.Line, q.ID)
			}
		}
	}
	if st := r.Settlement; st != nil {
		if !wholeFen(st.Money) || !wholeFen(st.Shipping) || st.Shipping.GreaterThan(s.Order.ShippingFee) {
			return fmt.Errorf("settlement of %s with shipping %s", show(st.Money), show(st.Shipping))
		}
		sum := st.Shipping
		for _, sl := range st.Lines {
			if s.Order.line(sl.Line) < 0 || !wholeFen(sl.Money) || sl.Beans < 0 || sl.Points < 0 {
				return fmt.Errorf("settled line %q of %s, beans %d, points %d", sl.Line, show(sl.Money), sl.Beans, sl.Points)
			}
			sum = sum.Add(sl.Money)
		}
		if !sum.Equal(st.Money) {
			return fmt.Errorf("settlement of %s whose parts add up to %s", st.Money, sum)
		}
	}
	return nil
}
