package refund

import "github.com/shopspring/decimal"

// Effect is something the host must carry out after a transition: move
// money, give back beans, points or coupons, send the return address,
// revoke the trade, hold funds. Effects are data; nothing in this package
// performs I/O. Kind is a stable name for logs; Rule is the rule that
// requires the effect.
type Effect interface {
	Kind() string
	Rule() string
}

// RefundMoney sends Amount back to Account by Route (RFD-4): the account
// that paid, or for a Loan payment the bank account bound to the loan.
type RefundMoney struct {
	Request int             `json:"request"`
	Amount  decimal.Decimal `json:"amount"`
	Route   Route           `json:"route"`
	Account string          `json:"account,omitempty"`
}

// ReturnBeans credits beans back to the buyer (RFD-10).
type ReturnBeans struct {
	Request int   `json:"request"`
	Beans   int64 `json:"beans"`
}

// ReturnPoints credits comprehensive points back to the buyer (PTS-2).
type ReturnPoints struct {
	Request int   `json:"request"`
	Points  int64 `json:"points"`
}

// ReturnCoupons gives the order's coupons back on a full refund (CPN-6);
// an expired one cannot be used again (CPN-7).
type ReturnCoupons struct {
	Request int      `json:"request"`
	Coupons []string `json:"coupons"`
}

// SendReturnAddress sends the merchant's return address to the buyer (RFD-3).
type SendReturnAddress struct {
	Request int  `json:"request"`
	Deemed  bool `json:"deemed,omitempty"` // the merchant was silent: deemed agreed
}

// Leg is one direction of shipping.
type Leg string

const (
	Outbound Leg = "outbound" // merchant to buyer
	Back     Leg = "return"   // buyer to merchant
)

// Party is who acts or pays.
type Party string

const (
	Buyer    Party = "buyer"    // the buyer
	Merchant Party = "merchant" // the merchant (the store)
)

// ShippingCost says who bears the cost of one shipping leg of a request
// (RFD-6 for no-reason returns and refused parcels, RFD-8 for prohibited
// goods).
type ShippingCost struct {
	Request int    `json:"request"`
	Leg     Leg    `json:"leg"`
	Payer   Party  `json:"payer"`
	Why     string `json:"rule"`
}

// RevokeTrade revokes the trade for lines that had not shipped when the
// refund was requested (RFD-9, ORD-17).
type RevokeTrade struct {
	Request int      `json:"request"`
	Lines   []string `json:"lines"`
}

// HoldFunds keeps the disputed funds and reports the trade to the police:
// prohibited goods with a suspected crime (RFD-8).
type HoldFunds struct {
	Request int             `json:"request"`
	Amount  decimal.Decimal `json:"amount"`
}

// Notify tells a party that a request needs it (e.g. RFD-2: a direct
// merchant stayed silent and the request is back with the buyer).
type Notify struct {
	Request int    `json:"request"`
	Party   Party  `json:"party"`
	Status  Status `json:"status"`
	Why     string `json:"rule"`
}

func (RefundMoney) Kind() string       { return "refund_money" }
func (ReturnBeans) Kind() string       { return "return_beans" }
func (ReturnPoints) Kind() string      { return "return_points" }
func (ReturnCoupons) Kind() string     { return "return_coupons" }
func (SendReturnAddress) Kind() string { return "send_return_address" }
func (ShippingCost) Kind() string      { return "shipping_cost" }
func (RevokeTrade) Kind() string       { return "revoke_trade" }
func (HoldFunds) Kind() string         { return "hold_funds" }
func (Notify) Kind() string            { return "notify" }

func (RefundMoney) Rule() string       { return "RFD-4" }
func (ReturnBeans) Rule() string       { return "RFD-10" }
func (ReturnPoints) Rule() string      { return "PTS-2" }
func (ReturnCoupons) Rule() string     { return "CPN-6" }
func (SendReturnAddress) Rule() string { return "RFD-3" }
func (e ShippingCost) Rule() string    { return e.Why }
func (RevokeTrade) Rule() string       { return "RFD-9" }
func (HoldFunds) Rule() string         { return "RFD-8" }
func (e Notify) Rule() string          { return e.Why }
