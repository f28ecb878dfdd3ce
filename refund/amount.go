package refund

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Settlement is what one completed request gave back (RFD-10).
type Settlement struct {
	// Money is the total money refunded by the original route (RFD-4),
	// the lines' money plus Shipping.
	Money decimal.Decimal `json:"money"`
	// Shipping is the part of Money that is the order's outbound
	// shipping fee (RFD-6, RFD-8, RFD-9).
	Shipping decimal.Decimal `json:"shipping"`
	Lines    []SettledLine   `json:"lines"`
	// Coupons went back because the order is now refunded in full (CPN-6).
	Coupons []string `json:"coupons,omitempty"`
	// Forced reports a refund the platform decided: on a confirmed order
	// only such a refund gives points back (PTS-2).
	Forced bool `json:"forced,omitempty"`
}

// SettledLine is one line of a settlement. A line is Done when all its
// money has been refunded; only then do its beans and points go back.
type SettledLine struct {
	Line   string          `json:"line"`
	Money  decimal.Decimal `json:"money"`
	Done   bool            `json:"done,omitempty"`
	Beans  int64           `json:"beans,omitempty"`
	Points int64           `json:"points,omitempty"`
}

func (s Settlement) clone() Settlement {
	c := s
	c.Lines = append([]SettledLine(nil), s.Lines...)
	c.Coupons = append([]string(nil), s.Coupons...)
	if s.Coupons == nil {
		c.Coupons = nil
	}
	return c
}

// ledger is what the completed requests of a state have given back,
// derived from their settlements, line by line in Order.Lines order.
type ledger struct {
	refunded []decimal.Decimal
	done     []bool
	shipping bool // the shipping fee went back
	coupons  bool // the coupons went back
}

func (s State) ledger() ledger {
	l := ledger{refunded: make([]decimal.Decimal, len(s.Order.Lines)), done: make([]bool, len(s.Order.Lines))}
	for i := range l.refunded {
		l.refunded[i] = decimal.Zero
	}
	for _, r := range s.Requests {
		if r.Settlement == nil {
			continue
		}
		l.shipping = l.shipping || r.Settlement.Shipping.IsPositive()
		l.coupons = l.coupons || len(r.Settlement.Coupons) > 0
		for _, sl := range r.Settlement.Lines {
			if i := s.Order.line(sl.Line); i >= 0 {
				l.refunded[i] = l.refunded[i].Add(sl.Money)
				l.done[i] = l.done[i] || sl.Done
			}
		}
	}
	return l
}

// Refunded returns the money refunded so far over all requests; it never
// exceeds Order.Paid.
func (s State) Refunded() decimal.Decimal {
	sum := decimal.Zero
	for _, r := range s.Requests {
		if r.Settlement != nil {
			sum = sum.Add(r.Settlement.Money)
		}
	}
	return sum
}

// Remaining returns the money of a line not yet refunded.
func (s State) Remaining(line string) decimal.Decimal {
	i := s.Order.line(line)
	if i < 0 {
		return decimal.Zero
	}
	return s.Order.Lines[i].Paid().Sub(s.ledger().refunded[i])
}

// settle computes what completing req gives back when amounts[i] is paid
// for req.Items[i] (RFD-10): money per line, beans and points of the lines
// it finishes, the shipping fee (RFD-6, RFD-8, RFD-9) and the
// coupons on a full refund (CPN-6). partial is set for a platform decision
// of part of the amount, which gives back no shipping fee.
func settle(s State, req Request, amounts []decimal.Decimal, forced, partial bool) Settlement {
	l := s.ledger()
	out := Settlement{Money: decimal.Zero, Shipping: decimal.Zero, Forced: forced}
	for i, it := range req.Items {
		li := s.Order.line(it.Line)
		line := s.Order.Lines[li]
		sl := SettledLine{Line: it.Line, Money: amounts[i]}
		l.refunded[li] = l.refunded[li].Add(amounts[i])
		if l.refunded[li].Equal(line.Paid()) && !l.done[li] {
			sl.Done = true
			l.done[li] = true
			sl.Beans = line.Beans
			sl.Points = line.Points
		}
		out.Money = out.Money.Add(amounts[i])
		out.Lines = append(out.Lines, sl)
	}
	all := true
	for _, d := range l.done {
		all = all && d
	}
	fee := s.Order.ShippingFee
	if !l.shipping && fee.IsPositive() && !partial && shippingGoesBack(req, all) {
		out.Shipping = fee
		out.Money = out.Money.Add(fee)
	}
	if all && !l.coupons {
		out.Coupons = append(out.Coupons, s.Order.Coupons...)
	}
	return out
}

// shippingGoesBack says whether the order's outbound shipping fee is
// refunded with req. The buyer pays both legs of a no-reason return or a
// refused parcel (RFD-6), so the fee stays with the merchant. A
// revocation refunds everything (RFD-9) and the merchant bears shipping
// of prohibited goods (RFD-8). Reading: any other request refunds the fee
// with the request that completes the full refund of the order.
func shippingGoesBack(req Request, all bool) bool {
	switch {
	case req.Reason == NoReason || req.Reason == ParcelRefused:
		return false
	case req.Revocation || req.Reason == Prohibited:
		return true
	}
	return all
}

// full returns the amounts of a request's items.
func full(req Request) []decimal.Decimal {
	out := make([]decimal.Decimal, len(req.Items))
	for i, it := range req.Items {
		out[i] = it.Amount
	}
	return out
}

// split divides a partial amount over a request's items in proportion to
// their amounts (largest remainder to the fen, sums exact).
//
// The amount (checked by decide) and the items (by State.Validate) are
// whole fen, the amount below their total, so Allocate cannot fail; if it
// ever did, the refusal names the rule rather than guessing amounts.
func split(req Request, amount decimal.Decimal) ([]decimal.Decimal, error) {
	weights := make([]decimal.Decimal, len(req.Items))
	for i, it := range req.Items {
		weights[i] = it.Amount
	}
	parts, err := money.Allocate(amount, weights)
	if err != nil {
		return nil, rules.Refuse("RFD-10", ErrExceedsPaid, "partial refund %s: %v", amount, err)
	}
	return parts, nil
}

// maxExponent bounds the decimal exponent of an amount this package
// accepts. money.ToFen takes 0e-9999 for zero, and the arithmetic that
// follows would rescale its partners by 10^9999; no real amount is
// written with more than a few decimals.
const maxExponent = 18

// wholeFen reports whether d is a non-negative whole number of fen that
// fits in an int64 of fen (RFD-10), written with a sane exponent.
func wholeFen(d decimal.Decimal) bool {
	if e := d.Exponent(); e < -maxExponent || e > maxExponent {
		return false
	}
	_, err := money.ToFen(d)
	return err == nil && !d.IsNegative()
}

// show formats an amount that may not be valid for an error message: in
// scientific notation when its exponent is absurd, where the plain form
// of 1e-9999 would run to ten thousand digits.
func show(d decimal.Decimal) string {
	if e := d.Exponent(); e < -maxExponent || e > maxExponent {
		return fmt.Sprintf("%se%d", d.Coefficient(), e)
	}
	return d.String()
}
