package refund

import (
	"time"

	"github.com/shopspring/decimal"
)

// Payment is where the order's money came from.
type Payment struct {
	Route   Route  `json:"route"`
	Account string `json:"account,omitempty"` // the paying account, as the host names it
	// BoundAccount is the bank account bound to a Loan account; refunds of
	// a loan payment go there (RFD-4), so a Loan payment must name it.
	// Unused for other routes.
	BoundAccount string `json:"bound_account,omitempty"`
}

// Order is the facts of one paid order that refunds read. It belongs to
// the composing value (package order, or any host): refund does not
// import order, never stores a copy of these facts and never changes
// them. Every call of [Machine.ApplyAt] and [Machine.AdvanceAt] takes the
// order as it stands at that instant. The money fields are the
// allocations stored at payment and are never re-prorated (RFD-10); the
// fulfilment instants (Line.ShippedAt, Line.SignedAt, ConfirmedAt) are
// set by the composer when they happen, never later than the instant it
// passes to the machine, and never cleared.
type Order struct {
	Mode    Mode    `json:"mode"`
	Payment Payment `json:"payment"`
	Lines   []Line  `json:"lines"`
	// ShippingFee is what the buyer paid for the outbound leg; zero when
	// FreeShipping. It is refunded as [Settlement.Shipping] explains.
	ShippingFee  decimal.Decimal `json:"shipping_fee"`
	FreeShipping bool            `json:"free_shipping,omitempty"`
	// ConfirmedAt is when the buyer confirmed receipt; zero: not yet. A
	// request made from then on is at [Confirmed] stage (PTS-2).
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}

// Line is one order line with what was paid for it, as allocated at
// payment. Paid money is Amount - Discount - BeanValue - PointValue.
type Line struct {
	ID         string          `json:"id"`
	Amount     decimal.Decimal `json:"amount"`      // price × quantity
	Discount   decimal.Decimal `json:"discount"`    // coupon discounts allocated to the line
	BeanValue  decimal.Decimal `json:"bean_value"`  // money value of the beans allocated to the line
	PointValue decimal.Decimal `json:"point_value"` // money value of the points allocated to the line

	// ShippedAt is when the line actually shipped; zero: not shipped. A
	// refund-only request on a line not shipped before the request's
	// instant revokes the trade for it (RFD-9); a shipment at the very
	// instant of the request counts as after it.
	ShippedAt time.Time `json:"shipped_at,omitzero"`
	// SignedAt is when the buyer signed for the line; zero: not signed
	// for. The no-reason window counts from it (RFD-5).
	SignedAt time.Time `json:"signed_at,omitzero"`

	// NoReason reports that the item supports seven-day no-reason returns,
	// which means it carries the label (RFD-5 Reading): the merchant may
	// not refuse its no-reason return before receipt, and its refused
	// parcel is covered by RFD-6. A custom-made or excluded line cannot
	// support it (State.Validate refuses the pair).
	NoReason   bool `json:"no_reason,omitempty"`
	CustomMade bool `json:"custom_made,omitempty"` // custom-made: never a no-reason return
	Excluded   bool `json:"excluded,omitempty"`    // category or agreement outside no-reason returns
	Prohibited bool `json:"prohibited,omitempty"`  // reported and verified prohibited goods (RFD-8)
}

// Paid returns the money paid for the line: its amount net of its
// allocated discount, beans and points (RFD-10).
func (l Line) Paid() decimal.Decimal {
	return l.Amount.Sub(l.Discount).Sub(l.BeanValue).Sub(l.PointValue)
}

// Paid returns all money paid for the order: every line's Paid and the
// shipping fee. Refunds never exceed it.
func (o Order) Paid() decimal.Decimal {
	sum := o.ShippingFee
	for _, l := range o.Lines {
		sum = sum.Add(l.Paid())
	}
	return sum
}

func (o Order) line(id string) int {
	for i := range o.Lines {
		if o.Lines[i].ID == id {
			return i
		}
	}
	return -1
}
