package order

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies one event to the advanced state. Every handler checks
// everything first and changes the state only once the event is accepted.
func (t *tx) apply(e Event) error {
	name := e.Name()
	if t.s.Lock != nil {
		if _, ok := e.(Unlock); !ok {
			return rules.Refuse("ORD-19", ErrLocked, "case %s locked since %s: only unlock is accepted", t.s.Lock.Case, t.s.Lock.Since.Format(time.RFC3339))
		}
		return t.unlock(e.(Unlock))
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
	case Delete:
		if t.s.Recycled {
			return rules.Refuse("ORD-6", ErrNotAllowed, "already in the recycle bin")
		}
		t.s.Recycled = true
	case MerchantCancel:
		t.note("ORD-10", "cancelled by the merchant: closed, payments returned")
		t.returnAll(t.now, "ORD-10")
		t.move(Closed, name, t.now)
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
	case ClaimOpened:
		return t.claimOpened(e)
	case ClaimClosed:
		return t.claimClosed(e)
	case LinesRefunded:
		return t.linesRefunded(e)
	case Arbitrate:
		return t.lock(e)
	case Unlock:
		return rules.Refuse("ORD-19", ErrNotLocked, "the order is not locked")
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
func (t *tx) paid(number string, st Stage, amt Fen, at time.Time) {
	at = at.Round(0).UTC()
	t.s.Payments = append(t.s.Payments, Payment{Number: number, Stage: st, Amount: amt, At: at})
	t.s.Paid += amt
	if t.s.Mode == Escrow {
		t.s.Frozen += amt
		t.emit(t.now, "ORD-13", FreezeEscrow{Amount: amt})
	} else {
		t.s.Settled += amt
		t.emit(t.now, "ORD-13", SettleToMerchant{Amount: amt})
	}
}

func (t *tx) checkPayment(rule, number string, amt decimal.Decimal, due Fen, at time.Time) (Fen, error) {
	if number == "" {
		return 0, fmt.Errorf("%w: payment without a payment number (ORD-3)", ErrInvalid)
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
	amt, err := t.checkPayment("ORD-7", e.Number, e.Amount, t.s.Payable(), e.At)
	if err != nil {
		return err
	}
	t.paid(e.Number, Full, amt, e.At)
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
	amt, err := t.checkPayment("ORD-14", e.Number, e.Amount, deposit(p), e.At)
	if err != nil {
		return err
	}
	t.paid(e.Number, Deposit, amt, e.At)
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
	amt, err := t.checkPayment("ORD-14", e.Number, e.Amount, t.s.Payable()-deposit(p), e.At)
	if err != nil {
		return err
	}
	if e.At.Before(p.BalanceStart) {
		return rules.Refuse("ORD-14", ErrWindowNotOpen, "balance paid at %s, the window opens %s", e.At.UTC().Format(time.RFC3339), p.BalanceStart.Format(time.RFC3339))
	}
	t.paid(e.Number, Balance, amt, e.At)
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

// types counts the item types of the order.
func (s *State) types() int {
	var seen []string
	for _, l := range s.Lines {
		if !slices.Contains(seen, l.Type) {
			seen = append(seen, l.Type)
		}
	}
	return len(seen)
}

func (t *tx) ship(e Ship) error {
	if len(e.Lines) == 0 || e.Carrier == "" || e.Tracking == "" {
		return fmt.Errorf("%w: a parcel needs lines, a carrier and a tracking number (ORD-3)", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-12", "shipment"); err != nil {
		return err
	}
	if e.At.Before(t.s.PaidAt) {
		return rules.Refuse("ORD-12", ErrTime, "shipped at %s, before payment at %s", e.At.UTC().Format(time.RFC3339), t.s.PaidAt.Format(time.RFC3339))
	}
	for i, id := range e.Lines {
		j := t.s.line(id)
		switch {
		case j < 0:
			return fmt.Errorf("%w: no line %q", ErrInvalid, id)
		case slices.Index(e.Lines, id) != i:
			return fmt.Errorf("%w: line %q twice in one parcel", ErrInvalid, id)
		case t.s.Lines[j].Shipment != 0:
			return rules.Refuse("ORD-12", ErrShipped, "line %s shipped in parcel %d", id, t.s.Lines[j].Shipment)
		case t.s.Lines[j].Revoked:
			return rules.Refuse("ORD-17", ErrRefunded, "line %s: the trade was revoked for it before shipment", id)
		case t.s.Lines[j].Done:
			return rules.Refuse("ORD-11", ErrRefunded, "line %s is refunded", id)
		}
	}
	if t.s.types() == 1 {
		for _, l := range t.s.Lines {
			if l.Shipment == 0 && !l.Done && !slices.Contains(e.Lines, l.ID) {
				return rules.Refuse("ORD-12", ErrSplit, "line %s left out", l.ID)
			}
		}
	}
	at := e.At.Round(0).UTC()
	t.s.Shipments = append(t.s.Shipments, Shipment{Lines: slices.Clone(e.Lines), Carrier: e.Carrier, Tracking: e.Tracking, At: at})
	t.ownLines()
	for _, id := range e.Lines {
		t.s.Lines[t.s.line(id)].Shipment = len(t.s.Shipments)
	}
	t.follow(e.Name(), at)
	return nil
}

// follow sets the status the lines call for (ORD-10, ORD-11, ORD-12,
// ORD-9): every line refunded → Closed; every line not refunded shipped
// → Shipped (escrow, auto-confirm from `from`) or Completed (direct);
// some shipped → PartiallyShipped; none → AwaitingShipment. A Completed
// order stays Completed unless it closes.
func (t *tx) follow(on string, from time.Time) {
	remaining, unshipped, shipped := 0, 0, 0
	for _, l := range t.s.Lines {
		if l.Shipment != 0 {
			shipped++
		}
		if !l.Done {
			remaining++
			if l.Shipment == 0 {
				unshipped++
			}
		}
	}
	switch {
	case remaining == 0:
		t.note("ORD-10", "every line refunded: closed")
		t.release(t.now, "ORD-10")
		t.move(Closed, on, t.now)
	case t.s.Status == Completed || t.s.Status == Shipped:
		t.move(t.s.Status, on, t.now)
	case unshipped == 0 && t.s.Mode == Direct:
		t.note("ORD-9", "direct payment: completed when every line shipped")
		t.complete(t.now, on)
	case unshipped == 0:
		t.move(Shipped, on, t.now)
		t.startConfirm(from)
	case shipped > 0:
		t.move(PartiallyShipped, on, t.now)
	default:
		t.move(AwaitingShipment, on, t.now)
	}
}

// startConfirm starts the escrow auto-confirm countdown at from (ORD-9,
// ORD-12 reading): paused at once if a claim is open.
func (t *tx) startConfirm(from time.Time) {
	for _, sh := range t.s.Shipments {
		if sh.At.After(from) {
			from = sh.At // the last line's shipment, whatever the report order
		}
	}
	d, dec, err := span(t.v, keyAutoConfirm)
	if err != nil {
		t.fail(err)
		return
	}
	t.setTimer(AutoConfirm, from.Add(d))
	t.s.Original = t.s.Due
	if t.s.Open() {
		t.s.Left, t.s.Due = d, time.Time{}
	}
	t.decide(dec, "auto-confirm countdown started from the last shipment")
}

func (t *tx) undeliverable(e Undeliverable) error {
	if e.Shipment < 1 || e.Shipment > len(t.s.Shipments) || !e.Cause.IsValid() {
		return fmt.Errorf("%w: undeliverable: shipment %d, cause %v", ErrInvalid, e.Shipment, e.Cause)
	}
	if err := t.at(e.At, "ORD-8", "undeliverable parcel"); err != nil {
		return err
	}
	if t.s.Shipments[e.Shipment-1].Undelivered {
		return rules.Refuse("ORD-8", ErrNotAllowed, "parcel %d already reported undeliverable", e.Shipment)
	}
	t.ownShipments()
	sh := &t.s.Shipments[e.Shipment-1]
	payer := Merchant
	if e.Cause == WrongAddress || e.Cause == ChangedWithoutConsent {
		payer = Buyer
	}
	sh.Undelivered = true
	t.emit(t.now, "ORD-8", ShippingCost{Shipment: e.Shipment, Payer: payer})
	return nil
}

func (t *tx) claimIndex(id string) int {
	for i, c := range t.s.Claims {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func (t *tx) claimOpened(e ClaimOpened) error {
	if e.Claim == "" {
		return fmt.Errorf("%w: claim without an ID", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-9", "claim"); err != nil {
		return err
	}
	if t.claimIndex(e.Claim) >= 0 {
		return rules.Refuse("ORD-9", ErrNotAllowed, "claim %s is already open", e.Claim)
	}
	at := e.At.Round(0).UTC()
	if !t.s.Open() && t.s.Timer == AutoConfirm && !t.s.Due.IsZero() {
		p := at
		if p.Before(t.s.Last) {
			p = t.s.Last
		}
		t.s.Left, t.s.Due = t.s.Due.Sub(p), time.Time{}
		t.note("ORD-9", "auto-confirm paused: a claim opened")
	}
	t.s.Claims = append(t.s.Claims, Claim{ID: e.Claim, At: at})
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

func (t *tx) claimClosed(e ClaimClosed) error {
	if err := t.at(e.At, "ORD-9", "claim close"); err != nil {
		return err
	}
	i := t.claimIndex(e.Claim)
	if i < 0 {
		return rules.Refuse("ORD-9", ErrUnknownClaim, "claim %q", e.Claim)
	}
	at := e.At.Round(0).UTC()
	if at.Before(t.s.Claims[i].At) {
		return rules.Refuse("ORD-9", ErrTime, "claim %s closed at %s, before it opened", e.Claim, at.Format(time.RFC3339))
	}
	t.ownClaims()
	t.s.Claims = slices.Delete(t.s.Claims, i, i+1)
	if !t.s.Open() && t.s.Timer == AutoConfirm && t.s.Due.IsZero() {
		extends, err := value(t.v, keyExtends)
		if err != nil {
			t.fail(err)
			return nil
		}
		if at.Before(t.s.Last) {
			at = t.s.Last
		}
		if extends {
			t.s.Due = at.Add(t.s.Left)
		} else {
			t.s.Due = t.s.Original
			if at.After(t.s.Due) {
				t.s.Due = at
			}
		}
		t.s.Left = 0
		t.note("ORD-9", "auto-confirm resumed: the last claim closed")
	}
	t.move(t.s.Status, e.Name(), t.now)
	return nil
}

func (t *tx) linesRefunded(e LinesRefunded) error {
	if e.Refund == "" || len(e.Lines) == 0 {
		return fmt.Errorf("%w: a refund needs an ID and lines", ErrInvalid)
	}
	if err := t.at(e.At, "ORD-11", "refund"); err != nil {
		return err
	}
	if slices.Contains(t.s.Settlements, e.Refund) {
		return rules.Refuse("ORD-11", ErrDuplicate, "refund %s already applied", e.Refund)
	}
	var total Fen
	f, err := amountOf(e.Shipping, "refunded shipping")
	if err != nil {
		return err
	}
	ship := Fen(f)
	if left := t.s.ShippingFee - t.s.ShippingRefunded; ship > left {
		return rules.Refuse("ORD-11", ErrExceedsPaid, "shipping %s refunded, %s left", e.Shipping, left)
	}
	total += ship
	var money_ [8]Fen
	moneys := money_[:0]
	for i, rl := range e.Lines {
		j := t.s.line(rl.Line)
		if j < 0 || slices.IndexFunc(e.Lines, func(x RefundedLine) bool { return x.Line == rl.Line }) != i {
			return fmt.Errorf("%w: refund line %q unknown or repeated", ErrInvalid, rl.Line)
		}
		f, err := amountOf(rl.Money, "refund of line "+rl.Line)
		if err != nil {
			return err
		}
		l := t.s.Lines[j]
		if l.Done {
			return rules.Refuse("ORD-11", ErrRefunded, "line %s is already refunded in full", l.ID)
		}
		if e.Revocation && l.Shipment != 0 {
			return rules.Refuse("ORD-17", ErrShipped, "line %s shipped: not revoked", l.ID)
		}
		cash, so := l.Cash(), l.RefundedMoney
		switch {
		case so+Fen(f) > cash:
			return rules.Refuse("ORD-11", ErrExceedsPaid, "line %s: %s refunded of %s paid", l.ID, so+Fen(f), cash)
		case rl.Done && so+Fen(f) != cash:
			return rules.Refuse("ORD-11", ErrAmount, "line %s marked done with %s of %s refunded", l.ID, so+Fen(f), cash)
		}
		total += Fen(f)
		moneys = append(moneys, Fen(f))
	}
	t.ownLines()
	for i, rl := range e.Lines {
		l := &t.s.Lines[t.s.line(rl.Line)]
		l.RefundedMoney += moneys[i]
		if rl.Done || l.RefundedMoney == l.Cash() && l.Cash() > 0 {
			l.Done = true
			l.Revoked = e.Revocation
		}
	}
	t.s.Settlements = append(t.s.Settlements, e.Refund)
	t.s.ShippingRefunded += ship
	// Where the money comes from (ORD-13): frozen funds first.
	fromEscrow := min(t.s.Frozen, total)
	fromMerchant := total - fromEscrow
	t.s.Frozen -= fromEscrow
	t.s.Settled -= fromMerchant
	t.s.Refunded += total
	if total > 0 {
		t.emit(t.now, "ORD-13", FundRefund{Refund: e.Refund, FromEscrow: fromEscrow, FromMerchant: fromMerchant})
	}
	rule := "ORD-11"
	if e.Revocation {
		rule = "ORD-17"
	}
	t.note(rule, "refund applied")
	t.follow(e.Name(), e.At.Round(0).UTC())
	return nil
}

func (t *tx) lock(e Arbitrate) error {
	if e.Case == "" {
		return fmt.Errorf("%w: a lock needs a case", ErrInvalid)
	}
	if err := t.at(e.FiledAt, "ORD-19", "filing"); err != nil {
		return err
	}
	t.s.Lock = &Lock{Case: e.Case, FiledAt: e.FiledAt.Round(0).UTC(), Since: t.now}
	t.note("ORD-19", "locked: case "+e.Case)
	return nil
}

// unlock ends the lock; every pending deadline moves later by the time
// the order was locked (ORD-19), so nothing fires for the locked time.
func (t *tx) unlock(e Unlock) error {
	if err := t.at(e.At, "ORD-19", "unlock"); err != nil {
		return err
	}
	end := e.At.Round(0).UTC()
	if end.Before(t.s.Lock.Since) {
		end = t.s.Lock.Since
	}
	d := end.Sub(t.s.Lock.Since)
	if !t.s.Due.IsZero() {
		t.s.Due = t.s.Due.Add(d)
	}
	if !t.s.Original.IsZero() {
		t.s.Original = t.s.Original.Add(d)
	}
	t.note("ORD-19", fmt.Sprintf("unlocked: case %s; deadlines moved later by %s", t.s.Lock.Case, d))
	t.s.Lock = nil
	return nil
}

func (t *tx) hidden(text string) (bool, error) {
	words, err := value(t.v, keyProhibited)
	if err != nil {
		return false, err
	}
	low := strings.ToLower(text)
	for _, w := range words {
		if w != "" && strings.Contains(low, strings.ToLower(w)) {
			return true, nil
		}
	}
	return false, nil
}

func (t *tx) review(e Rate) error {
	for _, r := range []int{e.Ratings.Description, e.Ratings.Attitude, e.Ratings.ShippingSpeed, e.Ratings.LogisticsSpeed} {
		if r < 1 || r > 5 {
			return fmt.Errorf("%w: a rating is 1 to 5 stars, got %d (ORD-20)", ErrInvalid, r)
		}
	}
	if t.s.Review != nil {
		return rules.Refuse("ORD-20", ErrReviewed, "reviewed at %s; a review cannot be edited", t.s.Review.At.Format(time.RFC3339))
	}
	d, dec, err := span(t.v, keyReviewWindow)
	if err != nil {
		return err
	}
	if end := t.s.CompletedAt.Add(d); !t.now.Before(end) {
		return rules.Refuse("ORD-20", ErrWindowClosed, "the review window closed at %s", end.Format(time.RFC3339))
	}
	h, err := t.hidden(e.Text)
	if err != nil {
		return err
	}
	t.s.Review = &Review{Ratings: e.Ratings, Text: e.Text, At: t.now, Hidden: h}
	t.decide(dec, "reviewed within the window")
	return nil
}

func (t *tx) followUp(e FollowUpReview) error {
	r := t.s.Review
	if r == nil {
		return rules.Refuse("ORD-20", ErrNotEligible, "a follow-up needs a first review")
	}
	if r.FollowUp != nil {
		return rules.Refuse("ORD-20", ErrReviewed, "one follow-up review only")
	}
	opens, err := length(t.v, keyFollowOpens)
	if err != nil {
		return err
	}
	closes, err := length(t.v, keyFollowCloses)
	if err != nil {
		return err
	}
	if o := r.At.Add(opens); t.now.Before(o) {
		return rules.Refuse("ORD-20", ErrWindowNotOpen, "the follow-up opens at %s", o.Format(time.RFC3339))
	}
	if c := r.At.Add(closes); !t.now.Before(c) {
		return rules.Refuse("ORD-20", ErrWindowClosed, "the follow-up closed at %s", c.Format(time.RFC3339))
	}
	h, err := t.hidden(e.Text)
	if err != nil {
		return err
	}
	c := *r
	c.FollowUp = &FollowUp{Text: e.Text, At: t.now, Hidden: h}
	t.s.Review = &c
	return nil
}
