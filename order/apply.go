package order

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies one event to the advanced state. Every handler checks
// everything first and changes the state only once the event is accepted.
func (t *tx) apply(e Event) error {
	name := e.Name()
	if l := t.s.Complaints.Lock; t.s.Complaints.Locked() {
		// Locked by a complaint at court (DSP-9): dispute accepts only its
		// unlock and refuses everything else itself.
		if c, ok := e.(Complaint); ok {
			return t.complaintEvent(c)
		}
		return rules.Refuse("ORD-19", ErrLocked, "complaint %d at %v since %s: only the complaint's unlock is accepted", l.Complaint, l.Forum, l.Since.Format(time.RFC3339))
	}
	if !accepts(t.s.Status, name) {
		return rules.Refuse(eventRule[name], ErrNotAllowed, "%s in status %s", name, t.s.Status)
	}
	switch e := e.(type) {
	case Pay:
		return t.pay(e)
	case PayDeposit:
		return t.payDeposit(e)
	case PayBalance:
		return t.payBalance(e)
	case Cancel:
		if t.s.Kind == Presale && len(t.s.Payments) > 0 {
			return rules.Refuse("ORD-6", ErrNotAllowed, "the presale deposit is paid: the buyer's way out is a refund request")
		}
		t.move(Cancelled, name, t.now)
		t.note("ORD-6", "cancelled by the buyer")
		t.giveBackCoupons(coupon.Cancel, t.now)
	case Delete:
		if t.s.Recycled {
			return rules.Refuse("ORD-6", ErrNotAllowed, "already in the recycle bin")
		}
		t.s.Recycled = true
	case MerchantCancel:
		if t.s.refundOpen() {
			return rules.Refuse("ORD-10", ErrNotAllowed, "a refund request is open")
		}
		t.note("ORD-10", "cancelled by the merchant: closed, payments returned")
		t.returnAll(t.now, "ORD-10")
		t.move(Closed, name, t.now)
		t.giveBackCoupons(coupon.Cancel, t.now)
	case UrgeShipment:
		t.s.Urged++
		t.emit(t.now, "ORD-7", Notice{Party: Merchant, Subject: "the buyer urges shipment"})
	case ChangeDelivery:
		return t.changeDelivery(e)
	case Ship:
		return t.ship(e)
	case Undeliverable:
		return t.undeliverable(e)
	case ConfirmReceipt:
		t.s.Confirmed = true
		t.note("ORD-9", "the buyer confirmed receipt")
		t.complete(t.now, name)
	case Refund:
		return t.refundEvent(e)
	case Complaint:
		return t.complaintEvent(e)
	case Sign:
		return t.sign(e)
	case Rate:
		return t.review(e)
	case FollowUpReview:
		return t.followUp(e)
	default:
		return fmt.Errorf("%w: event %T", ErrInvalid, e)
	}
	return nil
}

// at checks the time of a reported fact: present, not before the order,
// not after now.
func (t *tx) at(at time.Time, rule, what string) error {
	switch {
	case at.IsZero():
		return rules.Refuse(rule, ErrTime, "%s: no time", what)
	case at.After(t.now):
		return rules.Refuse(rule, ErrTime, "%s at %s, after now (%s)", what, at.UTC().Format(time.RFC3339), t.now.Format(time.RFC3339))
	case at.Before(t.s.CreatedAt):
		return rules.Refuse(rule, ErrTime, "%s at %s, before the order was created", what, at.UTC().Format(time.RFC3339))
	}
	return nil
}

func amountOf(d decimal.Decimal, what string) (int64, error) {
	f, err := money.Amount(d)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrInvalid, what, err)
	}
	return f, nil
}

// paid records a payment and moves its money: frozen under escrow,
// settled to the merchant under direct payment (ORD-13).
func (t *tx) paid(number string, via Via, st Stage, amt Fen, at time.Time) {
	at = at.Round(0).UTC()
	t.s.Payments = append(t.s.Payments, Payment{Number: number, Via: via, Stage: st, Amount: amt, At: at})
	t.s.Paid += amt
	if t.s.Mode == Escrow {
		t.s.Frozen += amt
		t.emit(t.now, "ORD-13", FreezeEscrow{Amount: amt})
	} else {
		t.s.Settled += amt
		t.emit(t.now, "ORD-13", SettleToMerchant{Amount: amt})
	}
}

func (t *tx) checkPayment(rule, number string, via Via, amt decimal.Decimal, due Fen, at time.Time) (Fen, error) {
	if number == "" {
		return 0, fmt.Errorf("%w: payment without a payment number (ORD-3)", ErrInvalid)
	}
	if !via.Route.IsValid() || (via.Route == refund.Loan) != (via.BoundAccount != "") {
		return 0, fmt.Errorf("%w: payment route %v (bound account %q): a valid route, and a bound account for a loan only (RFD-4)", ErrInvalid, via.Route, via.BoundAccount)
	}
	f, err := amountOf(amt, "payment amount")
	if err != nil {
		return 0, err
	}
	if err := t.at(at, rule, "payment"); err != nil {
		return 0, err
	}
	if Fen(f) != due {
		return 0, rules.Refuse(rule, ErrAmount, "paid %s, due %s", amt, due)
	}
	return Fen(f), nil
}

// deposit returns the presale deposit in fen (checked at checkout).
func deposit(p *PresaleTerms) Fen {
	f, _ := money.ToFen(p.Deposit)
	return Fen(f)
}

func (t *tx) pay(e Pay) error {
	if t.s.Kind == Presale {
		return rules.Refuse("ORD-14", ErrNotAllowed, "a presale order pays a deposit and a balance")
	}
	amt, err := t.checkPayment("ORD-7", e.Number, e.Via, e.Amount, t.s.Payable(), e.At)
	if err != nil {
		return err
	}
	if err := t.spend(e.Spend); err != nil {
		return err
	}
	t.paid(e.Number, e.Via, Full, amt, e.At)
	t.s.PaidAt = e.At.Round(0).UTC()
	t.clearTimer()
	t.move(AwaitingShipment, e.Name(), t.now)
	return nil
}

func (t *tx) payDeposit(e PayDeposit) error {
	p := t.s.Presale
	if p == nil || len(t.s.Payments) > 0 {
		return rules.Refuse("ORD-14", ErrNotAllowed, "no presale deposit due")
	}
	amt, err := t.checkPayment("ORD-14", e.Number, e.Via, e.Amount, deposit(p), e.At)
	if err != nil {
		return err
	}
	if err := t.spend(e.Spend); err != nil {
		return err
	}
	t.paid(e.Number, e.Via, Deposit, amt, e.At)
	t.setTimer(BalanceTimeout, p.BalanceEnd)
	t.move(PendingPayment, e.Name(), t.now)
	t.note("ORD-14", "deposit paid; the balance is due by the end of the balance window")
	return nil
}

func (t *tx) payBalance(e PayBalance) error {
	p := t.s.Presale
	if p == nil || len(t.s.Payments) != 1 {
		return rules.Refuse("ORD-14", ErrNotAllowed, "no presale balance due")
	}
	if t.s.refundOpen() {
		return rules.Refuse("ORD-14", ErrNotAllowed, "a refund request of the deposit is open")
	}
	amt, err := t.checkPayment("ORD-14", e.Number, e.Via, e.Amount, t.s.Payable()-deposit(p), e.At)
	if err != nil {
		return err
	}
	if e.At.Before(p.BalanceStart) {
		return rules.Refuse("ORD-14", ErrWindowNotOpen, "balance paid at %s, the window opens %s", e.At.UTC().Format(time.RFC3339), p.BalanceStart.Format(time.RFC3339))
	}
	t.paid(e.Number, e.Via, Balance, amt, e.At)
	t.s.PaidAt = e.At.Round(0).UTC()
	t.clearTimer()
	if p.ShipWithin > 0 {
		t.setTimer(PresaleShip, t.s.PaidAt.Add(p.ShipWithin))
	}
	t.move(AwaitingShipment, e.Name(), t.now)
	return nil
}

func (t *tx) changeDelivery(e ChangeDelivery) error {
	if e.Recipient == "" || e.Phone == "" || e.Address == "" {
		return fmt.Errorf("%w: delivery needs a recipient, a phone and an address", ErrInvalid)
	}
	if !e.Consent {
		return rules.Refuse("ORD-8", ErrNoConsent, "a change of delivery details needs the merchant's consent")
	}
	t.s.Delivery = Delivery{Recipient: e.Recipient, Phone: e.Phone, Address: e.Address, Changed: t.now}
	t.note("ORD-8", "delivery details changed with the merchant's consent")
	return nil
}

// spend checks and stores the beans and points record of package points
// given with the first payment: its order is this one and its lines
// carry exactly the order lines' beans and points, units and value.
func (t *tx) spend(sp *points.Spend) error {
	if sp == nil {
		return nil
	}
	if err := checkSpend(&t.s, sp); err != nil {
		return err
	}
	if sp.Updated.After(t.now) {
		return rules.Refuse("PTS-2", ErrTime, "spend updated at %s, after now", sp.Updated.Format(time.RFC3339))
	}
	c := sp.Clone()
	t.s.Spend = &c
	return nil
}

func checkSpend(s *State, sp *points.Spend) error {
	if err := sp.Validate(); err != nil {
		return fmt.Errorf("%w: spend: %w", ErrInvalid, err)
	}
	if sp.Order != s.Number {
		return fmt.Errorf("%w: spend of order %q, not %q", ErrInvalid, sp.Order, s.Number)
	}
	n := 0
	for _, l := range s.Lines {
		sl, ok := sp.Line(l.ID)
		if !ok {
			if l.Beans != 0 || l.Points != 0 {
				return fmt.Errorf("%w: spend: no line %s", ErrInvalid, l.ID)
			}
			continue
		}
		n++
		bv, _ := money.Amount(sl.BeanValue)
		pv, _ := money.Amount(sl.PointValue)
		if sl.Beans != l.Beans || sl.Points != l.Points || Fen(bv) != l.BeanValue || Fen(pv) != l.PointValue {
			return fmt.Errorf("%w: spend: line %s holds %d beans (%s), %d points (%s); the order %d (%s), %d (%s)",
				ErrInvalid, l.ID, sl.Beans, sl.BeanValue, sl.Points, sl.PointValue, l.Beans, l.BeanValue, l.Points, l.PointValue)
		}
	}
	if n != len(sp.Lines) {
		return fmt.Errorf("%w: spend: lines the order does not have", ErrInvalid)
	}
	return nil
}
