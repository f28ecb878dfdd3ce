package order

import (
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/rules"
)

// A presale order with only its deposit paid (ORD-14) takes a refund
// request like any paid order before shipment: refund-only, on every
// line not yet refunded (before shipment it revokes the trade, RFD-9).
// What refund is told was paid is the deposit ([State.RefundOrder]); a
// full refund of it closes the order (ORD-10), which ends the balance
// timeout. While a request is open the balance timeout is held (its due
// instant kept in Original): the deposit is already on its way back, and
// [PayBalance] is refused. A request that closes without refunding the
// deposit (withdrawn) lets it fire at the later of the balance window's
// end and the close.

// depositOnly reports whether s is a presale order whose deposit, and
// nothing more, was paid.
func (s *State) depositOnly() bool {
	return s.Presale != nil && len(s.Payments) == 1 && s.Payments[0].Stage == Deposit
}

// linesPaid returns what was paid in money for each line: its cash, or
// on a deposit-only order its share of the deposit, spread over the lines
// in proportion to their cash and never above a line's cash (largest
// remainder). A deposit above the lines' cash pays shipping with the rest.
func (s *State) linesPaid() (lines []Fen, shipping Fen) {
	cash := make([]int64, len(s.Lines))
	var total int64
	for i, l := range s.Lines {
		cash[i] = max(int64(l.Cash()), 0)
		total += cash[i]
	}
	lines = make([]Fen, len(s.Lines))
	if !s.depositOnly() {
		for i := range cash {
			lines[i] = Fen(cash[i])
		}
		return lines, 0
	}
	paid := max(int64(s.Payments[0].Amount), 0)
	onLines := min(paid, total)
	for i, f := range money.AllocateFenCapped(onLines, cash) {
		lines[i] = Fen(f)
	}
	return lines, Fen(paid - onLines)
}

// depositFacts makes f, built from the order's terms, say what a
// deposit-only order paid ([State.linesPaid]). Each line's allocated
// discount, beans and points stay as they are (they were spent at the
// deposit), so its paid money is its share of the deposit.
func (s *State) depositFacts(f *refund.Facts) {
	lines, shipping := s.linesPaid()
	for i, l := range s.Lines {
		f.Lines[i].Amount = int64(lines[i] + l.Discount + l.BeanValue + l.PointValue)
	}
	f.ShippingFee = int64(shipping)
	f.FreeShipping = shipping == 0
}

// checkDepositRefund refuses, on a deposit-only order, a request that is
// not refund-only or leaves a line out (ORD-14): the deposit goes back
// whole or not at all. A shipping voucher is refused too: an order
// before its balance cannot have shipped, so its revocation stands.
func (t *tx) checkDepositRefund(e refund.Event) error {
	if !t.s.depositOnly() {
		return nil
	}
	var open refund.Open
	switch v := e.(type) {
	case refund.ShippingVoucher, *refund.ShippingVoucher:
		return rules.Refuse("ORD-14", ErrNotAllowed, "only the presale deposit is paid: nothing can have shipped")
	case refund.Open:
		open = v
	case *refund.Open:
		if v == nil {
			return nil // refund refuses it
		}
		open = *v
	default:
		return nil
	}
	if open.Kind != refund.RefundOnly {
		return rules.Refuse("ORD-14", ErrNotAllowed, "only the presale deposit is paid: a refund-only request, not %s", open.Kind)
	}
	for _, l := range t.s.Lines {
		if l.Done {
			continue
		}
		found := false
		for _, it := range open.Items {
			found = found || it.Line == l.ID
		}
		if !found {
			return rules.Refuse("ORD-14", ErrNotAllowed, "only the presale deposit is paid: the request must cover every line (line %s left out)", l.ID)
		}
	}
	return nil
}

// holdBalance holds the balance timeout while a refund request of a
// deposit-only order is open and lets it fire again when the last closes
// (at the later of its due instant and the close).
func (t *tx) holdBalance(was bool, at time.Time) {
	if t.s.Timer != BalanceTimeout {
		return
	}
	if at.Before(t.s.Last) {
		at = t.s.Last
	}
	switch open := t.s.refundOpen(); {
	case !was && open && !t.s.Due.IsZero():
		t.s.Original, t.s.Due = t.s.Due, time.Time{}
		t.note("ORD-14", "balance timeout held: a refund request of the deposit is open")
	case was && !open && t.s.Due.IsZero():
		due := t.s.Original
		if at.After(due) {
			due = at
		}
		t.s.Due, t.s.Original = due, time.Time{}
		t.note("ORD-14", "balance timeout resumed: the refund request closed without refunding the deposit")
	}
}

// balanceHeld reports whether s's balance timeout is held by an open
// refund request (see holdBalance).
func (s *State) balanceHeld() bool {
	return s.Timer == BalanceTimeout && s.Due.IsZero() && s.Left == 0 && !s.Original.IsZero()
}
