package refund

import (
	"time"

	"github.com/shopspring/decimal"
)

// complete refunds amounts for r's items at instant at and gives back
// what goes with them (RFD-10). For a request made after the buyer
// confirmed receipt whose lines carry comprehensive points, only the
// platform can force the refund (PTS-2): a merchant's agreement or a
// timeout sends the request to intervention instead.
func (t *tx) complete(r *Request, amounts []decimal.Decimal, at time.Time, forced, partial bool) {
	if !forced && t.needsForce(r) {
		t.note(r, "PTS-2", "requested after receipt confirmation on lines with points: back-office must force the refund")
		t.to(r, Intervention, at)
		return
	}
	st := settle(t.s, *r, amounts, forced, partial)
	r.Settlement = &st
	t.to(r, Refunded, at)
	if st.Money.IsPositive() {
		p := t.s.Order.Payment
		account := p.Account
		if p.Route == Loan {
			account = p.BoundAccount
			t.note(r, "RFD-4", "loan payment: refund to the bound bank account")
		}
		t.emit(RefundMoney{Request: r.ID, Amount: st.Money, Route: p.Route, Account: account})
	}
	var beans, points int64
	for _, sl := range st.Lines {
		beans += sl.Beans
		points += sl.Points
	}
	if beans > 0 {
		t.emit(ReturnBeans{Request: r.ID, Beans: beans})
	}
	if points > 0 {
		t.emit(ReturnPoints{Request: r.ID, Points: points})
	}
	if len(st.Coupons) > 0 {
		t.note(r, "CPN-6", "order refunded in full: coupons go back")
		t.emit(ReturnCoupons{Request: r.ID, Coupons: append([]string(nil), st.Coupons...)})
	}
	t.note(r, "RFD-10", "refunded %s (shipping %s)", st.Money.StringFixed(2), st.Shipping.StringFixed(2))
}

func (t *tx) needsForce(r *Request) bool {
	if !r.Confirmed {
		return false
	}
	for _, it := range r.Items {
		if t.s.Order.Lines[t.s.Order.line(it.Line)].Points > 0 {
			return true
		}
	}
	return false
}
