package order

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/refund"
)

// Validate reports whether s is a state this package could have produced:
// known enums, valid money that adds up (Paid = Frozen + Settled +
// Refunded, Paid = the payments' sum, no line refunded beyond its cash),
// shipments and lines that point at each other, a status the lines agree
// with (ORD-11, ORD-12), a timer the status allows, UTC instants. The
// error wraps [ErrInvalid] and names the first fault. Apply and Advance
// call it on every input; package ordertest's checker calls it too.
func (s State) Validate() error {
	if err := s.validate(); err != nil {
		return fmt.Errorf("%w: state %q: %w", ErrInvalid, s.Number, err)
	}
	return nil
}

// utc reports whether t is in UTC. (It used to add t.Equal(t.Round(0)),
// which holds for every t: an instant equals itself without its
// monotonic reading.)
func utc(t time.Time) bool { return t.Location() == time.UTC }

// utcOrZero reports whether t is zero or in UTC.
func utcOrZero(t time.Time) bool { return t.IsZero() || utc(t) }

// repeated reports whether a line of ls has the given ID.
func repeated(ls []Line, id string) bool {
	for j := range ls {
		if ls[j].ID == id {
			return true
		}
	}
	return false
}

// timersOf lists the timers each status allows (index: Status).
var timersOf = [...][]Timer{
	PendingPayment:   {PaymentTimeout, DepositTimeout, BalanceTimeout},
	Cancelled:        {0},
	AwaitingShipment: {0, PresaleShip},
	PartiallyShipped: {0, PresaleShip},
	Shipped:          {AutoConfirm},
	Completed:        {0},
	Closed:           {0},
}

func (s *State) validate() error {
	switch {
	case s.Number == "" || s.Checkout == "" || s.Store == "":
		return errors.New("number, checkout and store are required")
	case !s.Kind.IsValid() || !s.Mode.IsValid() || !s.Status.IsValid():
		return fmt.Errorf("kind %v, mode %v, status %v", s.Kind, s.Mode, s.Status)
	case s.Version == "":
		return errors.New("no policy version")
	case s.CreatedAt.IsZero() || s.Last.Before(s.CreatedAt):
		return errors.New("created_at missing or after last")
	case len(s.Lines) == 0:
		return errors.New("no lines")
	case s.ActivityLimit < 0 || (s.ActivityLimit > 0 && s.Kind != Activity):
		return fmt.Errorf("activity limit %v on a %v order", s.ActivityLimit, s.Kind)
	case (s.Kind == Presale) != (s.Presale != nil):
		return errors.New("presale terms and kind disagree")
	case !s.Invoice.Kind.IsValid():
		return fmt.Errorf("invoice kind %v", s.Invoice.Kind)
	}
	if !utcOrZero(s.CreatedAt) || !utcOrZero(s.Last) || !utcOrZero(s.Due) || !utcOrZero(s.Original) ||
		!utcOrZero(s.PaidAt) || !utcOrZero(s.CompletedAt) || !utcOrZero(s.EndedAt) || !utcOrZero(s.Delivery.Changed) {
		for _, t := range [...]time.Time{s.CreatedAt, s.Last, s.Due, s.Original, s.PaidAt, s.CompletedAt, s.EndedAt, s.Delivery.Changed} {
			if !utcOrZero(t) {
				return fmt.Errorf("instant %v is not UTC", t)
			}
		}
	}
	fee, shipBack := s.ShippingFee, s.ShippingRefunded
	if !fee.valid() || !shipBack.valid() || shipBack > fee {
		return fmt.Errorf("shipping fee %d, refunded %d fen", int64(fee), int64(shipBack))
	}
	payable, lineRefunds := fee, Fen(0)
	shipped := 0
	remaining, unshipped := 0, 0
	var paidFor []Fen // a deposit-only order's lines were paid their share of the deposit (ORD-14)
	if s.depositOnly() {
		paidFor, _ = s.linesPaid()
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.ID == "" || repeated(s.Lines[:i], l.ID) {
			return fmt.Errorf("line %q empty or repeated", l.ID)
		}
		if l.Quantity < 1 || l.Beans < 0 || l.Points < 0 {
			return fmt.Errorf("line %s: quantity %d, beans %d, points %d", l.ID, l.Quantity, l.Beans, l.Points)
		}
		for _, f := range [6]Fen{l.Price, l.Amount, l.Discount, l.BeanValue, l.PointValue, l.RefundedMoney} {
			if !f.valid() {
				return fmt.Errorf("line %s: amount %d fen out of range", l.ID, int64(f))
			}
		}
		if (l.Price == 0 && l.Amount != 0) || (l.Price != 0 && (l.Amount%l.Price != 0 || l.Amount/l.Price != Fen(l.Quantity))) {
			return fmt.Errorf("line %s: amount %s is not price × quantity", l.ID, l.Amount)
		}
		cash := l.Amount - l.Discount - l.BeanValue - l.PointValue
		if cash < 0 {
			return fmt.Errorf("line %s: allocations exceed the amount", l.ID)
		}
		paid := cash
		if paidFor != nil {
			paid = paidFor[i]
		}
		if r := l.RefundedMoney; r > cash || (l.Done && r != paid) || (l.Revoked && !l.Done) {
			return fmt.Errorf("line %s: refunded %s of %s (done %v)", l.ID, r, cash, l.Done)
		}
		if payable += cash; payable > money.MaxFen {
			return errors.New("payable amount out of range")
		}
		lineRefunds += l.RefundedMoney
		if l.Shipment < 0 || l.Shipment > len(s.Shipments) {
			return fmt.Errorf("line %s: parcel %d", l.ID, l.Shipment)
		}
		if l.Shipment > 0 {
			shipped++
			if !slices.Contains(s.Shipments[l.Shipment-1].Lines, l.ID) {
				return fmt.Errorf("line %s is not in parcel %d", l.ID, l.Shipment)
			}
		}
		if !l.Done {
			remaining++
			if l.Shipment == 0 {
				unshipped++
			}
		}
	}
	n := 0
	for i := range s.Shipments {
		sh := &s.Shipments[i]
		if len(sh.Lines) == 0 || sh.Carrier == "" || sh.Tracking == "" || !utc(sh.At) || sh.At.IsZero() {
			return fmt.Errorf("parcel %d incomplete", i+1)
		}
		for _, id := range sh.Lines {
			j := s.line(id)
			if j < 0 || s.Lines[j].Shipment != i+1 {
				return fmt.Errorf("parcel %d: line %q", i+1, id)
			}
			n++
		}
	}
	if n != shipped {
		return errors.New("parcels and lines disagree")
	}
	// The ledger.
	l := [4]Fen{s.Paid, s.Frozen, s.Settled, s.Refunded}
	for _, f := range l {
		if !f.valid() {
			return fmt.Errorf("ledger amount %d fen out of range", int64(f))
		}
	}
	if l[0] != l[1]+l[2]+l[3] {
		return fmt.Errorf("paid %s != frozen %s + settled %s + refunded %s", s.Paid, s.Frozen, s.Settled, s.Refunded)
	}
	if s.Mode == Direct && l[1] != 0 {
		return errors.New("frozen funds under direct payment")
	}
	var sum Fen
	for i := range s.Payments {
		p := &s.Payments[i]
		if !p.Amount.valid() || p.Number == "" || !p.Stage.IsValid() || p.At.IsZero() || !utc(p.At) {
			return errors.New("payment incomplete")
		}
		if sum += p.Amount; sum > money.MaxFen {
			return errors.New("payments out of range")
		}
	}
	if sum != l[0] || l[0] > payable {
		return fmt.Errorf("payments %s, paid %s, payable %s", sum, s.Paid, payable)
	}
	if lineRefunds+shipBack > l[3] {
		return errors.New("lines refunded beyond the ledger")
	}
	if s.Presale != nil {
		p := s.Presale
		if d, err := money.Amount(p.Deposit); err != nil || Fen(d) > payable {
			return errors.New("presale deposit invalid or above the payable amount")
		}
		if !p.CreatedBefore(s.CreatedAt) || p.ShipWithin < 0 {
			return errors.New("presale terms out of order")
		}
	}
	// Timer and status.
	if s.balanceHeld() && !s.refundOpen() {
		return errors.New("the balance timeout held with no refund request open")
	}
	if (s.Timer == 0) != (s.Due.IsZero() && s.Left == 0 && !s.balanceHeld()) || (s.Timer != 0 && !s.Timer.IsValid()) || s.Left < 0 {
		return fmt.Errorf("timer %v due %v left %v", s.Timer, s.Due, s.Left)
	}
	if s.Left > 0 && (!s.Due.IsZero() || !s.open()) {
		return errors.New("a paused countdown with a deadline or nothing open")
	}
	if !slices.Contains(timersOf[s.Status], s.Timer) {
		return fmt.Errorf("timer %v in status %v", s.Timer, s.Status)
	}
	switch s.Status {
	case PendingPayment, Cancelled:
		if len(s.Shipments) > 0 || (s.Kind != Presale && l[0] != 0) {
			return fmt.Errorf("%v with payments or parcels", s.Status)
		}
	case AwaitingShipment:
		if shipped > 0 {
			return errors.New("awaiting shipment with parcels")
		}
	case PartiallyShipped:
		if shipped == 0 || unshipped == 0 {
			return errors.New("partially shipped, but not some lines shipped and some not")
		}
	case Shipped:
		if unshipped != 0 || s.Mode != Escrow || remaining == 0 {
			return errors.New("shipped with unshipped lines or under direct payment")
		}
	case Completed:
		if s.CompletedAt.IsZero() || l[1] != 0 || remaining == 0 {
			return errors.New("completed without a completion time, with frozen funds or nothing left")
		}
	case Closed:
		if l[1] != 0 || s.EndedAt.IsZero() {
			return errors.New("closed with frozen funds or no end time")
		}
	}
	if s.Status != PendingPayment && s.Status != Cancelled && s.Status != Closed && l[0] != payable {
		return fmt.Errorf("status %v with %s paid of %s", s.Status, s.Paid, payable)
	}
	if s.Recycled && s.Status != Cancelled {
		return errors.New("recycled but not cancelled")
	}
	if s.Review != nil && (s.CompletedAt.IsZero() || s.Review.At.IsZero()) {
		return errors.New("review without completion")
	}
	for i := range s.Payments {
		if !s.Payments[i].Via.Route.IsValid() {
			return errors.New("payment without a route")
		}
	}
	for i := range s.Shipments {
		sh := &s.Shipments[i]
		if !sh.SignedAt.IsZero() && (!utc(sh.SignedAt) || sh.SignedAt.Before(sh.At)) {
			return fmt.Errorf("parcel %d signed for before it shipped", i+1)
		}
		if (sh.ThirdParty && sh.SignedAt.IsZero()) || (sh.Authorised && !sh.ThirdParty) {
			return fmt.Errorf("parcel %d: a third party's signature without a signing, or an authorisation without a third party", i+1)
		}
	}
	if s.Redemption != nil {
		if err := s.Redemption.Validate(); err != nil {
			return err
		}
	}
	if s.Spend != nil {
		if err := checkSpend(s, s.Spend); err != nil {
			return err
		}
	}
	if err := s.Complaints.Validate(); err != nil {
		return err
	}
	if s.Complaints.At.After(s.Last) {
		return errors.New("complaints later than the order")
	}
	if len(s.Complaints.Complaints) > 0 && len(s.Payments) == 0 {
		return errors.New("complaints on an unpaid order")
	}
	return s.validateRefunds(lineRefunds)
}

// validateRefunds checks the refund requests against the order's own
// facts (refund.State.Validate with the derived refund.Order) and that
// the order's books agree with refund's settlements, line by line.
func (s *State) validateRefunds(lineRefunds Fen) error {
	if len(s.Refunds.Requests) == 0 {
		if s.Refunds.Seq != 0 || lineRefunds != 0 || s.ShippingRefunded != 0 {
			return errors.New("refunds recorded without refund requests")
		}
		return nil
	}
	if len(s.Payments) == 0 {
		return errors.New("refund requests on an unpaid order")
	}
	var buf [8]refund.FactLine
	if err := s.Refunds.ValidateFacts(s.refundFacts(buf[:0])); err != nil {
		return err
	}
	if s.Refunds.At.After(s.Last) {
		return errors.New("refund requests later than the order")
	}
	// Each settlement's money once into its line's sum (a settlement line
	// naming no line of the order is refund's to refuse, in ValidateFacts).
	var sumBuf [8]Fen
	var doneBuf [8]bool
	var sums []Fen
	var dones []bool
	if n := len(s.Lines); n <= len(sumBuf) {
		sums, dones = sumBuf[:n], doneBuf[:n]
	} else {
		sums, dones = make([]Fen, n), make([]bool, n)
	}
	var ship Fen
	for j := range s.Refunds.Requests {
		r := &s.Refunds.Requests[j]
		if r.Settlement == nil {
			continue
		}
		for _, lm := range r.Settlement.Lines {
			if i := s.line(lm.Line); i >= 0 {
				f, _ := money.Amount(lm.Money)
				sums[i] += Fen(f)
				dones[i] = dones[i] || lm.Done
			}
		}
		f, _ := money.Amount(r.Settlement.Shipping)
		ship += Fen(f)
	}
	for i := range s.Lines {
		if l := &s.Lines[i]; sums[i] != l.RefundedMoney || dones[i] != l.Done {
			return fmt.Errorf("line %s: refunded %s (done %v), refund requests say %s (done %v)", l.ID, l.RefundedMoney, l.Done, sums[i], dones[i])
		}
	}
	if ship != s.ShippingRefunded {
		return fmt.Errorf("shipping refunded %s, refund requests say %s", s.ShippingRefunded, ship)
	}
	return nil
}

// CreatedBefore reports whether the terms are in order for an order
// created at t: t before DepositEnd, DepositEnd ≤ BalanceStart <
// BalanceEnd, all UTC.
func (p PresaleTerms) CreatedBefore(t time.Time) bool {
	return utc(p.DepositEnd) && utc(p.BalanceStart) && utc(p.BalanceEnd) &&
		t.Before(p.DepositEnd) && !p.BalanceStart.Before(p.DepositEnd) && p.BalanceStart.Before(p.BalanceEnd)
}

// DecodeState decodes a stored State strictly (internal/wire: unknown
// fields, duplicate keys, wrong case and trailing data are errors) and
// checks it with [State.Validate]. Errors wrap [ErrInvalid].
func DecodeState(data []byte) (State, error) {
	var s State
	if err := wire.Decode(data, &s); err != nil {
		return State{}, fmt.Errorf("%w: state: %w", ErrInvalid, err)
	}
	if err := s.Validate(); err != nil {
		return State{}, err
	}
	return s, nil
}

// DecodeResult decodes a Result strictly; its state must be valid.
func DecodeResult(data []byte) (Result, error) {
	var r Result
	if err := wire.Decode(data, &r); err != nil {
		return Result{}, fmt.Errorf("%w: result: %w", ErrInvalid, err)
	}
	if err := r.State.Validate(); err != nil {
		return Result{}, err
	}
	return r, nil
}
