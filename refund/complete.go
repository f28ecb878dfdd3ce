package refund

import (
	"time"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// asked returns the amounts r's items ask for, in fen.
func (t *tx) asked(r *Request) []int64 {
	out := make([]int64, len(r.Items))
	for i, it := range r.Items {
		out[i], _ = money.Amount(it.Amount)
	}
	return out
}

// complete refunds amounts (fen, one per item of r; nil: what the items
// ask) at instant at (RFD-10): r becomes Refunded with its Settlement, and
// the machine emits RefundMoney by the original route (RFD-4) and one
// Settled act for the owners of beans, points and coupons. forced is set
// for a platform decision.
func (t *tx) complete(r *Request, amounts []int64, at time.Time, forced bool) {
	st, lines := newSettlement(len(r.Items))
	st.Forced = forced
	settled := Settled{Request: r.ID, Stage: r.Stage, Forced: forced, Lines: lines}
	var sum int64
	var ds decimals
	for i, it := range r.Items {
		ask, _ := money.Amount(it.Amount)
		amount := ask
		if amounts != nil {
			amount = amounts[i]
		}
		if amount == ask {
			ds.share(ask, it.Amount) // the item's own decimal, rather than a new one
		}
		li := t.o.line(it.Line)
		paid := t.o.Lines[li].paid()
		before, _ := t.s.lineRefunded(it.Line, len(t.s.Requests))
		cum := before + amount
		done := cum == paid
		st.Lines[i] = LineMoney{Line: it.Line, Money: ds.yuan(amount), Done: done}
		settled.Lines[i] = SettledLine{Line: it.Line, Money: st.Lines[i].Money, Refunded: ds.yuan(cum),
			Paid: ds.yuan(paid), Done: done}
		sum += amount
	}
	r.Settlement = st // the ledger below counts this settlement too
	full := t.allDone()
	fee := t.shippingBack(r, full)
	st.Money, st.Shipping, st.Full = ds.yuan(sum+fee), yuan(fee), full
	settled.Full = full
	t.to(r, Refunded, at)
	if sum+fee > 0 {
		p := t.o.Payment
		account := p.Account
		if p.Route == Loan {
			account = p.BoundAccount
			t.note(r, "RFD-4", "loan payment: refund to the bound bank account")
		}
		t.emit("RFD-4", at, RefundMoney{Request: r.ID, Amount: st.Money, Route: p.Route, Account: account})
	}
	t.emit("RFD-10", at, settled)
}

// newSettlement returns a Settlement with n lines and the n lines of its
// Settled act. The commonest settlement, of one line, is one allocation:
// the settlement and both lines live in one block (a state that keeps the
// settlement keeps the act's line with it, a few dozen bytes).
func newSettlement(n int) (*Settlement, []SettledLine) {
	if n == 1 {
		b := new(struct {
			st      Settlement
			line    [1]LineMoney
			settled [1]SettledLine
		})
		b.st.Lines = b.line[:]
		return &b.st, b.settled[:]
	}
	return &Settlement{Lines: make([]LineMoney, n)}, make([]SettledLine, n)
}

// allDone reports whether every line of the order is refunded in full.
func (t *tx) allDone() bool {
	for i := range t.o.Lines {
		if _, done := t.s.lineRefunded(t.o.Lines[i].ID, len(t.s.Requests)); !done {
			return false
		}
	}
	return true
}

// shippingBack returns the outbound shipping fee (fen) refunded with r:
// at most once per order. The merchant bears shipping of prohibited goods
// (RFD-8: fixed by the source). Otherwise the fee goes back with the
// request that leaves every line refunded in full, revocations included
// (RFD-9 Reading; threshold shipping_fee_with_full_refund), unless the
// buyer pays the outbound leg of that request: a no-reason return or a
// refused labelled parcel (RFD-6; threshold no_reason_buyer_pays_shipping).
func (t *tx) shippingBack(r *Request, full bool) int64 {
	fee := t.o.ShippingFee
	if fee == 0 {
		return 0
	}
	for i := range t.s.Requests {
		if q := &t.s.Requests[i]; q != r && q.Settlement != nil && q.Settlement.Shipping.Sign() > 0 {
			return 0
		}
	}
	if r.Reason == Prohibited {
		t.note(r, "RFD-8", "prohibited goods: the merchant bears shipping, the outbound fee goes back")
		return fee
	}
	if !full || !t.flag(r, fShippingWithFull, "every line refunded: the outbound fee goes back") {
		return 0
	}
	if (r.Reason == NoReason || r.Reason == ParcelRefused) && t.flag(r, fBuyerPaysShipping, "the buyer pays the outbound leg") {
		return 0
	}
	return fee
}
