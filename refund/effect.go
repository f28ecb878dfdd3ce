package refund

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Act is one thing the host carries out after a transition: move money,
// send the return address, revoke the trade, hold funds, tell a party,
// hand a completed refund to the owners of beans, points and coupons.
// Acts are data; nothing in this package performs I/O. Kind is a stable
// name, unique across the library. The set of acts is sealed.
type Act interface {
	Kind() string
	act()
}

// Effect is one act with the facts a host needs to carry it out exactly
// once: an ID unique within the state and increasing ([State.Seq] is the
// last issued), the UTC instant it took effect (a deadline's own instant
// when a deadline fired it) and the rule that requires it. Its JSON form
// is flat: {"id":1,"at":"…","rule":"RFD-4","type":"refund_money",…}.
type Effect struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Act  Act       `json:"-"`
}

// Kind returns the kind of the effect's act; "" if it has none.
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

// RefundMoney sends Amount back to Account by Route (RFD-4): the account
// that paid, or for a Loan payment the bank account bound to the loan.
type RefundMoney struct {
	Request int             `json:"request"`
	Amount  decimal.Decimal `json:"amount"`
	Route   Route           `json:"route"`
	Account string          `json:"account,omitempty"`
}

// ShippingCost says who bears the cost of one shipping leg of a request
// (RFD-6 for no-reason returns and refused parcels, RFD-8 for prohibited
// goods; the effect's Rule says which).
type ShippingCost struct {
	Request int   `json:"request"`
	Leg     Leg   `json:"leg"`
	Payer   Party `json:"payer"`
}

// SendReturnAddress sends the merchant's return address to the buyer (RFD-3).
type SendReturnAddress struct {
	Request int  `json:"request"`
	Deemed  bool `json:"deemed,omitempty"` // the merchant was silent: deemed agreed
}

// RevokeTrade revokes the trade for lines that had not shipped when the
// refund was requested (RFD-9, ORD-17).
type RevokeTrade struct {
	Request int      `json:"request"`
	Lines   []string `json:"lines"`
}

// MerchantBearsLoss: the merchant shipped lines after a request revoked
// the trade for them; it bears the shipping both ways and any loss, and
// the buyer may refuse the parcel (ORD-17, RFD-9).
type MerchantBearsLoss struct {
	Request int      `json:"request"`
	Lines   []string `json:"lines"`
}

// HoldFunds keeps the disputed funds and reports the trade to the police:
// prohibited goods with a suspected crime (RFD-8).
type HoldFunds struct {
	Request int             `json:"request"`
	Amount  decimal.Decimal `json:"amount"`
}

// Notice tells a party that a request needs it (e.g. RFD-2: a direct
// merchant stayed silent and the request is back with the buyer).
type Notice struct {
	Request int    `json:"request"`
	Party   Party  `json:"party"`
	Status  Status `json:"status"`
}

// Settled reports one completed refund (any path: merchant agreement or
// refund, a deadline, a platform decision, a revocation), exactly once per
// refunded request, with rule RFD-10. Refund decides money only: the
// points policy decides the beans and points that go back from Stage,
// Forced and each line's Refunded/Paid share (PTS-2), the coupon policy
// the coupons from Full (CPN-6/7).
type Settled struct {
	Request int           `json:"request"`
	Stage   Stage         `json:"stage"`            // where the order stood when the request was made
	Forced  bool          `json:"forced,omitempty"` // the platform decided the refund (PTS-2)
	Full    bool          `json:"full,omitempty"`   // with this refund every line of the order is refunded in full (CPN-6)
	Lines   []SettledLine `json:"lines"`
}

// SettledLine is one line of a [Settled] refund.
type SettledLine struct {
	Line     string          `json:"line"`
	Money    decimal.Decimal `json:"money"`          // money refunded for the line by this refund
	Refunded decimal.Decimal `json:"refunded"`       // money refunded for the line so far, this refund included
	Paid     decimal.Decimal `json:"paid"`           // money paid for the line (its allocations net)
	Done     bool            `json:"done,omitempty"` // the line's whole payment is now refunded (also a zero-paid line the request covered)
}

func (RefundMoney) Kind() string       { return "refund_money" }
func (ShippingCost) Kind() string      { return "shipping_cost" }
func (SendReturnAddress) Kind() string { return "send_return_address" }
func (RevokeTrade) Kind() string       { return "revoke_trade" }
func (MerchantBearsLoss) Kind() string { return "merchant_bears_loss" }
func (HoldFunds) Kind() string         { return "hold_funds" }
func (Notice) Kind() string            { return "refund_notice" }
func (Settled) Kind() string           { return "refund_settled" }

func (RefundMoney) act()       {}
func (ShippingCost) act()      {}
func (SendReturnAddress) act() {}
func (RevokeTrade) act()       {}
func (MerchantBearsLoss) act() {}
func (HoldFunds) act()         {}
func (Notice) act()            {}
func (Settled) act()           {}

var acts = wire.NewUnion[Act]("refund effect", Act.Kind,
	RefundMoney{}, ShippingCost{}, SendReturnAddress{}, RevokeTrade{}, MerchantBearsLoss{},
	HoldFunds{}, Notice{}, Settled{})

// EffectKinds returns the kinds of every effect's act, sorted.
func EffectKinds() []string { return acts.Names() }

// MarshalJSON implements json.Marshaler.
func (e Effect) MarshalJSON() ([]byte, error) {
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON implements json.Unmarshaler, strictly (see [DecodeEffect]).
func (e *Effect) UnmarshalJSON(data []byte) error {
	st, a, err := acts.DecodeStamped(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	*e = Effect{ID: st.ID, At: st.At, Rule: st.Rule, Act: a}
	return nil
}

// DecodeEffect decodes an effect from its JSON form, strictly: unknown or
// duplicate keys, wrong case, a missing id, at or rule, and trailing data
// are errors wrapping [ErrInvalid].
func DecodeEffect(data []byte) (Effect, error) {
	var e Effect
	err := e.UnmarshalJSON(data)
	return e, err
}

var _ json.Unmarshaler = (*Effect)(nil)
