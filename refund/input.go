package refund

import (
	"time"

	"github.com/shopspring/decimal"
)

// Mode is how the order was paid (ORD-13). It decides what a merchant's
// silence on a refund-only request means (RFD-2).
type Mode uint8

const (
	Escrow Mode = iota // funds frozen until the buyer confirms receipt; the zero Mode
	Direct             // funds settle to the merchant at once
)

var modeNames = []string{"escrow", "direct"}

func (m Mode) String() string               { return enumString(modeNames, uint8(m)) }
func (m Mode) MarshalText() ([]byte, error) { return enumMarshal(modeNames, uint8(m), "mode") }
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := enumParse(modeNames, b, "mode")
	*m = Mode(v)
	return err
}

// Route is the account the order was paid from (RFD-4). A refund goes back
// the same way, except that a bank loan account refunds to the bank
// account bound to the loan.
type Route uint8

const (
	DebitCard         Route = iota // bank debit card; the zero Route
	Passbook                       // current-account passbook
	CreditCard                     // credit card
	SettlementAccount              // enterprise settlement account
	Wallet                         // third-party wallet balance
	Loan                           // bank loan account: refunds go to Payment.BoundAccount
)

var routeNames = []string{"debit_card", "passbook", "credit_card", "settlement", "wallet", "loan"}

func (r Route) String() string               { return enumString(routeNames, uint8(r)) }
func (r Route) MarshalText() ([]byte, error) { return enumMarshal(routeNames, uint8(r), "route") }
func (r *Route) UnmarshalText(b []byte) error {
	v, err := enumParse(routeNames, b, "route")
	*r = Route(v)
	return err
}

// Payment is where the order's money came from.
type Payment struct {
	Route   Route  `json:"route"`
	Account string `json:"account,omitempty"` // the paying account, as the host names it
	// BoundAccount is the bank account bound to a Loan account; refunds of
	// a loan payment go there (RFD-4), so a Loan payment must name it.
	// Unused for other routes.
	BoundAccount string `json:"bound_account,omitempty"`
}

// Order is the facts of one paid order that refunds need. package refund
// does not import package order: the order package (or any host) fills
// this value at payment. The money fields are the allocations stored at
// payment and are never re-prorated (RFD-10); the fulfilment fields
// (Line.Shipped, Line.SignedAt, Confirmed) change through the events
// [Ship], [Sign] and [ConfirmReceipt].
type Order struct {
	Mode    Mode    `json:"mode"`
	Payment Payment `json:"payment"`
	Lines   []Line  `json:"lines"`
	// ShippingFee is what the buyer paid for the outbound leg; zero when
	// FreeShipping. It is refunded under RFD-6/RFD-8 (see [Settle]).
	ShippingFee  decimal.Decimal `json:"shipping_fee"`
	FreeShipping bool            `json:"free_shipping,omitempty"`
	// Coupons used on the order; they go back only on a full refund (CPN-6).
	Coupons []string `json:"coupons,omitempty"`
	// Confirmed reports that the buyer confirmed receipt: for a request
	// made from then on, comprehensive points go back only when the
	// platform forces the refund (PTS-2; see Request.Confirmed).
	Confirmed bool `json:"confirmed,omitempty"`
}

// Line is one order line with what was paid for it, as allocated at
// payment. Paid money is Amount - Discount - BeanValue - PointValue.
type Line struct {
	ID         string          `json:"id"`
	Amount     decimal.Decimal `json:"amount"`      // price × quantity
	Discount   decimal.Decimal `json:"discount"`    // coupon discounts allocated to the line
	BeanValue  decimal.Decimal `json:"bean_value"`  // money value of the beans allocated to the line
	PointValue decimal.Decimal `json:"point_value"` // money value of the points allocated to the line
	Beans      int64           `json:"beans,omitempty"`
	Points     int64           `json:"points,omitempty"`

	Shipped  bool      `json:"shipped,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"` // zero: not signed for

	NoReason   bool `json:"no_reason,omitempty"`   // supports seven-day no-reason returns (RFD-5)
	Labelled   bool `json:"labelled,omitempty"`    // carries the no-reason label: the merchant may not refuse
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
	for i, l := range o.Lines {
		if l.ID == id {
			return i
		}
	}
	return -1
}
