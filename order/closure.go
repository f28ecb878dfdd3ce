package order

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/enum"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Fund is one item of the payment account's closing list (ORD-15).
type Fund struct {
	Name   string          `json:"name"`
	Amount decimal.Decimal `json:"amount"`
	// Available marks the available own-funds balance (可用自有资金):
	// positive, it needs customer service rather than blocking outright.
	Available bool `json:"available,omitempty"`
}

// Block is one reason an account cannot be deregistered (ORD-15).
type Block struct {
	Order string `json:"order,omitempty"` // an unfinished order's number
	Fund  string `json:"fund,omitempty"`  // a fund item's name
	// CustomerService: a positive available balance; customer service
	// follows up (the only block a host routes rather than refuses).
	CustomerService bool   `json:"customer_service,omitempty"`
	Why             string `json:"why"`
}

// Deregistration is whether a member's payment account can be closed.
type Deregistration struct {
	Allowed bool    `json:"allowed"`
	Blocks  []Block `json:"blocks,omitempty"`
}

// Finished reports whether an order is settled for ORD-15: Cancelled,
// Closed, or Completed with no open refund request or complaint and no lock.
func (s State) Finished() bool {
	switch s.Status {
	case Cancelled, Closed:
		return !s.Locked()
	case Completed:
		return !s.Open() && !s.Locked()
	}
	return false
}

// Deregister decides whether a member's payment account can be
// deregistered (ORD-15): every order settled ([State.Finished]) and every
// fund item of the closing list zero; a positive available balance sends
// the member to customer service. It lists every block at once. A fund
// amount that is not a valid amount is an error wrapping [ErrInvalid].
func Deregister(orders []State, funds []Fund) (Deregistration, error) {
	var d Deregistration
	for _, s := range orders {
		if !s.Finished() {
			d.Blocks = append(d.Blocks, Block{Order: s.Number, Why: fmt.Sprintf("order %s is unfinished (%s)", s.Number, s.Status)})
		}
	}
	for _, f := range funds {
		fen, err := money.Amount(f.Amount)
		if err != nil {
			return Deregistration{}, fmt.Errorf("order.Deregister: %w: fund %s: %w", ErrInvalid, f.Name, err)
		}
		if fen == 0 {
			continue
		}
		b := Block{Fund: f.Name, Why: fmt.Sprintf("fund item %s is %s, not 0", f.Name, f.Amount)}
		if f.Available {
			b.CustomerService = true
			b.Why = fmt.Sprintf("available balance %s: customer service follows up", f.Amount)
		}
		d.Blocks = append(d.Blocks, b)
	}
	d.Allowed = len(d.Blocks) == 0
	return d, nil
}

// Method is how goods are delivered (ORD-16).
type Method uint8

const (
	_            Method = iota // invalid
	Courier                    // by courier: delivered at the consignee's signature
	Online                     // online: delivered when retrievable in the recipient's system
	AgreedReturn               // an agreed return: delivered when signed for at the merchant's return address
)

var methodNames = enum.Names{"invalid", "courier", "online", "agreed_return"}

func (m Method) String() string { return enum.String(methodNames, m) }

// IsValid reports whether m is a delivery method.
func (m Method) IsValid() bool                { return enum.IsValid(methodNames, m) }
func (m Method) MarshalText() ([]byte, error) { return enum.Marshal(methodNames, m, "order: method") }
func (m *Method) UnmarshalText(b []byte) error {
	return enum.Unmarshal(methodNames, m, b, "order: method")
}

// Handover is the facts of one delivery (ORD-16). For an agreed return the
// shipper is the buyer and the consignee the merchant.
type Handover struct {
	Method Method `json:"method"`
	// SignedAt: the consignee's signature (courier), or the signature at
	// the merchant's return address (agreed return).
	SignedAt time.Time `json:"signed_at,omitzero"`
	// RetrievableAt: the goods entered the recipient's designated system
	// and can be retrieved (online delivery).
	RetrievableAt time.Time `json:"retrievable_at,omitzero"`
	// AgreedAt: a delivery instant the parties agreed; it overrides the
	// method's rule.
	AgreedAt time.Time `json:"agreed_at,omitzero"`
}

// Bearer is who bears the risk of damage or loss.
type Bearer uint8

const (
	_         Bearer = iota // invalid
	Shipper                 // before delivery
	Consignee               // from delivery on
)

var bearerNames = enum.Names{"invalid", "shipper", "consignee"}

func (b Bearer) String() string { return enum.String(bearerNames, b) }

// IsValid reports whether b is a party that bears the risk.
func (b Bearer) IsValid() bool                { return enum.IsValid(bearerNames, b) }
func (b Bearer) MarshalText() ([]byte, error) { return enum.Marshal(bearerNames, b, "order: bearer") }
func (b *Bearer) UnmarshalText(t []byte) error {
	return enum.Unmarshal(bearerNames, b, t, "order: bearer")
}

// Delivered returns the delivery instant of h and whether it is known
// (ORD-16): the agreed instant if any, else the signature (courier,
// agreed return) or the instant the goods became retrievable (online).
func (h Handover) Delivered() (time.Time, bool) {
	switch {
	case !h.AgreedAt.IsZero():
		return h.AgreedAt, true
	case h.Method == Online:
		return h.RetrievableAt, !h.RetrievableAt.IsZero()
	case h.Method == Courier || h.Method == AgreedReturn:
		return h.SignedAt, !h.SignedAt.IsZero()
	}
	return time.Time{}, false
}

// RiskAt returns who bears the risk of damage or loss at instant at
// (ORD-16): the shipper until delivery, the consignee from the delivery
// instant on. An invalid method is an error wrapping [ErrInvalid].
func RiskAt(h Handover, at time.Time) (Bearer, rules.Decision, error) {
	if !h.Method.IsValid() {
		return 0, rules.Decision{}, fmt.Errorf("order.RiskAt: %w: delivery method %v", ErrInvalid, h.Method)
	}
	d, ok := h.Delivered()
	dec := rules.Decision{Rule: "ORD-16", Policy: schema.Policy()}
	if !ok || at.Before(d) {
		dec.Note = "not delivered at " + at.UTC().Format(time.RFC3339) + ": the shipper bears the risk"
		return Shipper, dec, nil
	}
	dec.Note = "delivered at " + d.UTC().Format(time.RFC3339) + ": the consignee bears the risk"
	return Consignee, dec, nil
}
