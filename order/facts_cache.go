package order

import "github.com/tradepolicy/tradepolicy/refund"

// refundFacts derives refund's facts from the order with the money in
// fen ([refund.Facts]), without building a decimal, its lines in buf when
// it has room; [State.RefundOrder] is the same facts in decimals. Package
// refund judges them exactly as it judges that Order.
func (s *State) refundFacts(buf []refund.FactLine) refund.Facts {
	f := refund.Facts{Mode: refund.Escrow, ShippingFee: int64(s.ShippingFee), FreeShipping: s.ShippingFee == 0}
	if s.Mode == Direct {
		f.Mode = refund.Direct
	}
	if len(s.Payments) > 0 {
		v := s.Payments[0].Via
		f.Payment = refund.Payment{Route: v.Route, Account: v.Account, BoundAccount: v.BoundAccount}
	}
	if s.Mode == Escrow && !s.CompletedAt.IsZero() {
		f.ConfirmedAt = s.CompletedAt // receipt confirmed, by the buyer or automatically (ORD-9)
	}
	if cap(buf) >= len(s.Lines) {
		f.Lines = buf[:len(s.Lines)]
	} else {
		f.Lines = make([]refund.FactLine, len(s.Lines))
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		rl := refund.FactLine{ID: l.ID, Amount: int64(l.Amount), Discount: int64(l.Discount),
			BeanValue: int64(l.BeanValue), PointValue: int64(l.PointValue),
			NoReason: l.NoReason, CustomMade: l.CustomMade, Excluded: l.Excluded}
		if l.Shipment > 0 {
			sh := &s.Shipments[l.Shipment-1]
			rl.ShippedAt, rl.SignedAt = sh.At, sh.SignedAt
		}
		f.Lines[i] = rl
	}
	if s.depositOnly() {
		s.depositFacts(&f) // ORD-14: what was paid is the deposit
	}
	return f
}
