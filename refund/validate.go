package refund

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Validate returns nil if o is an order refunds can run on, and otherwise
// an error wrapping [ErrInvalid] naming the first fault: at least one
// line; a valid mode and route; a Loan payment names its bound account
// (RFD-4); every amount a valid amount of money (internal/money) and
// every line paid at least nothing (RFD-10); no shipping fee with free
// shipping; distinct non-empty line IDs; a line signed for only after it
// shipped; no line that supports no-reason returns and is custom-made or
// excluded (RFD-5).
func (o Order) Validate() error {
	var buf [8]FactLine
	_, err := o.factsInto(buf[:0])
	return err
}

// checkHead, checkID and checkLine are the checks of [Order.Validate]
// (and of [Facts]) that do not read money.
func (f *Facts) checkHead() error {
	if !f.Mode.IsValid() || !f.Payment.Route.IsValid() {
		return badOrder("mode %v, route %v", f.Mode, f.Payment.Route)
	}
	if f.Payment.Route == Loan && f.Payment.BoundAccount == "" {
		return badOrder("a loan payment needs the bank account bound to the loan (RFD-4)")
	}
	return nil
}

func (f *Facts) checkID(i int) error {
	l := &f.Lines[i]
	if l.ID == "" {
		return badOrder("line %d has no ID", i+1)
	}
	for j := range f.Lines[:i] {
		if f.Lines[j].ID == l.ID {
			return badOrder("line %s twice", l.ID)
		}
	}
	return nil
}

func (f *Facts) checkLine(i int) error {
	l := &f.Lines[i]
	if l.paid() < 0 {
		return badOrder("line %s: discounts, beans and points exceed the amount", l.ID)
	}
	if !l.SignedAt.IsZero() && (l.ShippedAt.IsZero() || l.SignedAt.Before(l.ShippedAt)) {
		return badOrder("line %s signed for before it shipped", l.ID)
	}
	if l.NoReason && (l.CustomMade || l.Excluded) {
		return badOrder("line %s supports no-reason returns and is custom-made or excluded (RFD-5)", l.ID)
	}
	return nil
}

// Validate returns nil if s is a State this package could have produced
// for order o, and otherwise an error wrapping [ErrInvalid] that names
// the first fault. Hosts keep States in their own storage and feed them
// back, so [Machine.ApplyAt] and [Machine.AdvanceAt] validate every State
// they are given; refundtest.Check is this same function, so the two
// cannot drift. Validate allocates nothing unless it fails.
//
// A valid State has a valid order ([Order.Validate]); instants in UTC;
// At not before any instant of its requests; requests whose IDs are their
// positions (1, 2, …), each of a valid kind, reason, status and stage, a
// version, a request instant not after Since, and at least one item, each
// naming a line of the order once, for a valid amount. A request has a
// Deadline (and DueRule) exactly when its status times out (Requested,
// AwaitingBuyer, Refused, AwaitingReturn, Returning, Received), never
// before Since; a Returning or Received request has its logistics and
// ReturnDue. Reasons fit kinds and lines (RFD-5, RFD-6, RFD-8); a return
// is of shipped lines; a revocation is a refund only of lines not shipped
// at its request, in status Requested, Refunded or Withdrawn, at stage
// BeforeShipment (RFD-9), and only a revocation lists Loss lines, each
// one of its lines once. A line is in at most one open request, which
// asks no more than is left of it, and in no request after one whose
// funds are Held.
//
// A request has a Settlement exactly when it is Refunded. A settlement
// names the request's lines in order, each for a valid amount that,
// added to what earlier settlements refunded for the line, never exceeds
// what was paid; a line is Done exactly on the settlement that brings it
// to what was paid, and no settlement follows for a done line. Its
// Shipping is zero or the order's fee, given back at most once; Money is
// the lines' money plus Shipping; Full is set on one settlement exactly
// when every line is done, the latest of those that finished a line.
func (s State) Validate(o Order) error {
	var buf [8]FactLine
	f, err := o.factsInto(buf[:0])
	if err != nil {
		return err
	}
	return s.validate(&f)
}

// ValidateFacts is [State.Validate] for an order given as [Facts].
func (s State) ValidateFacts(f Facts) error {
	if err := f.validate(); err != nil {
		return err
	}
	return s.validate(&f)
}

// validate is Validate for facts already checked.
func (s State) validate(o *Facts) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: state: "+format, append([]any{ErrInvalid}, args...)...)
	}
	if !utc(s.At) {
		return bad("at is not in UTC")
	}
	fee := o.ShippingFee
	shippingBack := false
	doneLines := 0
	var full *Request
	for i := range s.Requests {
		r := &s.Requests[i]
		if err := s.validRequest(o, i); err != nil {
			return bad("request %d: %v", i+1, err)
		}
		if s.At.Before(r.Since) {
			return bad("request %d: since %s, after the state's instant", r.ID, r.Since.Format(time.RFC3339))
		}
		if !r.Deadline.IsZero() && !r.Deadline.After(s.At) {
			return bad("request %d: deadline %s passed by the state's instant without firing", r.ID, r.Deadline.Format(time.RFC3339))
		}
		st := r.Settlement
		if st == nil {
			continue
		}
		var sum int64
		for j := range st.Lines {
			sl := &st.Lines[j]
			f, _ := money.Amount(sl.Money) // checked by validRequest
			sum += f
			paid := o.Lines[o.line(sl.Line)].paid()
			before, done := s.lineRefunded(sl.Line, i)
			switch {
			case done:
				return bad("request %d: line %s settled after it was refunded in full", r.ID, sl.Line)
			case before+f > paid:
				return bad("request %d: line %s refunded %s of %s paid", r.ID, sl.Line, money.FromFen(before+f), money.FromFen(paid))
			case sl.Done != (before+f == paid):
				return bad("request %d: line %s done %t at %s of %s paid", r.ID, sl.Line, sl.Done, money.FromFen(before+f), money.FromFen(paid))
			}
			if sl.Done {
				doneLines++
			}
		}
		ship, err := money.Amount(st.Shipping)
		if err != nil || (ship != 0 && ship != fee) || (ship != 0 && shippingBack) {
			return bad("request %d: shipping %s of a fee of %s (given back before: %t)", r.ID, show(st.Shipping), money.FromFen(fee), shippingBack)
		}
		shippingBack = shippingBack || ship != 0
		if total, err := money.Amount(st.Money); err != nil || total != sum+ship {
			return bad("request %d: settlement of %s whose parts add up to %s", r.ID, show(st.Money), money.FromFen(sum+ship))
		}
		if st.Full {
			if full != nil || !lastDone(st) {
				return bad("request %d: full, but not the settlement that finished the order", r.ID)
			}
			full = r
		}
	}
	// Requests on different lines complete in any order, so the full one
	// is the latest of those that finished a line, not the last by ID.
	if (full != nil) != (doneLines == len(o.Lines)) {
		return bad("full refund recorded %t with %d of %d lines refunded in full", full != nil, doneLines, len(o.Lines))
	}
	for i := range s.Requests {
		if q := &s.Requests[i]; full != nil && q.Settlement != nil && lastDone(q.Settlement) && q.Since.After(full.Since) {
			return bad("request %d: full, but request %d finished a line later", full.ID, q.ID)
		}
	}
	return nil
}

// lastDone reports whether st finished at least one line: only then can
// it be the settlement after which every line is done.
func lastDone(st *Settlement) bool {
	for i := range st.Lines {
		if st.Lines[i].Done {
			return true
		}
	}
	return false
}

// validRequest checks request i on its own and against the requests
// before it.
func (s State) validRequest(o *Facts, i int) error {
	r := &s.Requests[i]
	switch {
	case r.ID != i+1:
		return fmt.Errorf("has ID %d", r.ID)
	case !r.Kind.IsValid() || !r.Reason.IsValid() || !r.Status.IsValid() || !r.Stage.IsValid():
		return fmt.Errorf("kind %v, reason %v, status %v, stage %v", r.Kind, r.Reason, r.Status, r.Stage)
	case r.Version == "":
		return fmt.Errorf("no policy version")
	case r.RequestedAt.IsZero() || r.Since.Before(r.RequestedAt):
		return fmt.Errorf("requested %v, since %v", r.RequestedAt, r.Since)
	case !utc(r.RequestedAt) || !utc(r.Since) || !utc(r.Deadline) || !utc(r.ReturnDue) || !utc(r.ReceivedAt) ||
		r.Logistics != nil && !utc(r.Logistics.At):
		return fmt.Errorf("an instant not in UTC")
	case r.Status.timed() == r.Deadline.IsZero() || r.Deadline.IsZero() != (r.DueRule == ""):
		return fmt.Errorf("status %v with deadline %v (%q)", r.Status, r.Deadline, r.DueRule)
	case !r.Deadline.IsZero() && r.Deadline.Before(r.Since):
		return fmt.Errorf("deadline before its status began")
	case (r.Status == Returning || r.Status == Received) && (r.ReturnDue.IsZero() || r.Logistics == nil):
		return fmt.Errorf("%v without logistics or a return deadline", r.Status)
	case r.Logistics != nil && (r.Kind != ReturnRefund || r.Logistics.Carrier == "" || r.Logistics.Tracking == ""):
		return fmt.Errorf("logistics of a %v request, carrier %q, tracking %q", r.Kind, r.Logistics.Carrier, r.Logistics.Tracking)
	case (r.Settlement != nil) != (r.Status == Refunded):
		return fmt.Errorf("status %v with settlement %t", r.Status, r.Settlement != nil)
	case len(r.Items) == 0:
		return fmt.Errorf("no items")
	case (r.Reason == NoReason || r.Reason == Prohibited) && r.Kind != ReturnRefund,
		r.Reason == ParcelRefused && r.Kind != RefundOnly:
		return fmt.Errorf("a %v request for reason %v", r.Kind, r.Reason)
	case r.Revocation && (r.Kind != RefundOnly || r.Reason != Agreed || r.Stage != BeforeShipment ||
		r.Status != Requested && r.Status != Refunded && r.Status != Withdrawn):
		return fmt.Errorf("a revocation of kind %v, reason %v, stage %v, status %v", r.Kind, r.Reason, r.Stage, r.Status)
	case !r.Revocation && r.Stage == BeforeShipment:
		return fmt.Errorf("stage %v without a revocation", r.Stage)
	case len(r.Loss) > 0 && !r.Revocation:
		return fmt.Errorf("loss lines of a request that revokes nothing")
	}
	for j, l := range r.Loss {
		if !r.has(l) || contains(r.Loss[:j], l) {
			return fmt.Errorf("loss line %q not in the request or twice", l)
		}
	}
	if st := r.Settlement; st != nil && len(st.Lines) != len(r.Items) {
		return fmt.Errorf("settlement of %d lines for %d items", len(st.Lines), len(r.Items))
	}
	for j := range r.Items {
		it := &r.Items[j]
		li := o.line(it.Line)
		if li < 0 {
			return fmt.Errorf("no line %q", it.Line)
		}
		for k := range r.Items[:j] {
			if r.Items[k].Line == it.Line {
				return fmt.Errorf("line %s twice", it.Line)
			}
		}
		ask, err := money.Amount(it.Amount)
		if err != nil {
			return fmt.Errorf("line %s: %v", it.Line, err)
		}
		if err := fits(r, &o.Lines[li]); err != nil {
			return err
		}
		if st := r.Settlement; st != nil {
			if st.Lines[j].Line != it.Line {
				return fmt.Errorf("settled line %q for item %q", st.Lines[j].Line, it.Line)
			}
			if _, err := money.Amount(st.Lines[j].Money); err != nil {
				return fmt.Errorf("settled line %s: %v", it.Line, err)
			}
		}
		for k := range s.Requests[:i] {
			if q := &s.Requests[k]; q.Status == Held && q.has(it.Line) {
				return fmt.Errorf("line %s: its funds are held by request %d", it.Line, q.ID)
			}
		}
		if r.Status.Final() {
			continue
		}
		for k := range s.Requests {
			if q := &s.Requests[k]; k != i && !q.Status.Final() && q.has(it.Line) {
				return fmt.Errorf("line %s is also in open request %d", it.Line, q.ID)
			}
		}
		paid := o.Lines[li].paid()
		refunded, done := s.lineRefunded(it.Line, len(s.Requests))
		if done || ask > paid-refunded {
			return fmt.Errorf("line %s asks %s, %s left", it.Line, show(it.Amount), money.FromFen(paid-refunded))
		}
	}
	return nil
}

// fits checks that line l can be in request r as its kind and reason say.
func fits(r *Request, l *FactLine) error {
	switch {
	case r.Kind == ReturnRefund && l.ShippedAt.IsZero():
		return fmt.Errorf("return of line %s, which has not shipped", l.ID)
	case r.Revocation && r.Status == Requested && l.shippedBefore(r.RequestedAt):
		return fmt.Errorf("revocation of line %s, which had shipped", l.ID)
	case r.Reason == NoReason && (!l.NoReason || l.SignedAt.IsZero()):
		return fmt.Errorf("no-reason return of line %s, which is not labelled or not signed for", l.ID)
	case r.Reason == ParcelRefused && (!l.NoReason || l.ShippedAt.IsZero()):
		return fmt.Errorf("refused parcel of line %s, which is not labelled or not shipped", l.ID)
	case r.Reason == Prohibited && !l.Prohibited:
		return fmt.Errorf("prohibited-goods return of line %s, which is not", l.ID)
	}
	return nil
}

// utc reports whether t is zero or in UTC.
func utc(t time.Time) bool { return t.IsZero() || t.Location() == time.UTC }

// show formats an amount that may be invalid, for an error message: in
// scientific notation when its exponent is absurd, where the plain form
// of 1e-9999 would run to ten thousand digits.
func show(d decimal.Decimal) string {
	if e := d.Exponent(); e < -18 || e > 18 {
		return fmt.Sprintf("%se%d", d.Coefficient(), e)
	}
	return d.String()
}
