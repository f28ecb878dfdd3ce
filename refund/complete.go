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

// complete refunds amounts (fen, one per item of r) at instant at
// (RFD-10): r becomes Refunded with its Settlement, and the machine emits
// RefundMoney by the original route (RFD-4) and one Settled act for the
// owners of beans, points and coupons. forced is set for a platform
// decision.
func (t *tx) complete(r *Request, amounts []int64, at time.Time, forced bool) {
	st := &Settlement{Forced: forced, Lines: make([]LineMoney, len(r.Items))}
	settled := Settled{Request: r.ID, Stage: r.Stage, Forced: forced, Lines: make([]SettledLine, len(r.Items))}
	var sum int64
	var ds decimals
	yuan := ds.yuan
	for i, it := range r.Items {
		li := t.o.line(it.Line)
		paid := t.o.Lines[li].paid()
		before, _ := t.s.lineRefunded(it.Line, len(t.s.Requests))
		cum := before + amounts[i]
		done := cum == paid
		st.Lines[i] = LineMoney{Line: it.Line, Money: yuan(amounts[i]), Done: done}
		settled.Lines[i] = SettledLine{Line: it.Line, Money: st.Lines[i].Money, Refunded: yuan(cum),
			Paid: yuan(paid), Done: done}
		sum += amounts[i]
	}
	r.Settlement = st // the ledger below counts this settlement too
	full := t.allDone()
	fee := t.shippingBack(r, full)
	st.Money, st.Shipping, st.Full = yuan(sum+fee), yuan(fee), full
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
