package refund

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/shopspring/decimal"
)

// Event is something that happens to an order's refunds: a buyer's,
// merchant's or platform's action, or a fulfilment fact. Name is stable,
// for logs and the "type" of the JSON form ([DecodeEvent]).
type Event interface {
	Name() string
	event()
}

// Open is the buyer's refund request (RFD-1). A RefundOnly request whose
// lines are all unshipped is a revocation (RFD-9).
type Open struct {
	Kind   Kind   `json:"kind"`
	Reason Reason `json:"reason"`
	Items  []Item `json:"items"`
}

// MerchantAgree: the merchant agrees. A refund-only request is refunded at
// once; a return sends the return address (RFD-2, RFD-3).
type MerchantAgree struct {
	Request int `json:"request"`
}

// MerchantRefuse: the merchant refuses, before the goods come back or
// after receiving them (buyer at fault) (RFD-2, RFD-3).
type MerchantRefuse struct {
	Request int    `json:"request"`
	Note    string `json:"note,omitempty"`
}

// Modify: the buyer changes the items of a request that waits on the
// merchant's first answer, or after a refusal or a direct merchant's
// silence; the merchant's response period starts again.
type Modify struct {
	Request int    `json:"request"`
	Items   []Item `json:"items"`
}

// Withdraw: the buyer withdraws a request before the goods are sent back.
type Withdraw struct {
	Request int `json:"request"`
}

// AskIntervention: the buyer asks the platform to step in (RFD-2, RFD-3, RFD-5).
type AskIntervention struct {
	Request int `json:"request"`
}

// SubmitLogistics: the buyer ships the goods back (RFD-3).
type SubmitLogistics struct {
	Request  int    `json:"request"`
	Carrier  string `json:"carrier"`
	Tracking string `json:"tracking"`
}

// MerchantReceive: the merchant confirms receipt of the returned goods
// without refunding yet (RFD-7 starts).
type MerchantReceive struct {
	Request int `json:"request"`
}

// MerchantRefund: the merchant confirms receipt and refunds (RFD-3, RFD-7).
type MerchantRefund struct {
	Request int `json:"request"`
}

// Outcome is a platform decision.
type Outcome uint8

const (
	_           Outcome = iota // invalid
	FullRefund                 // refund what the request asks
	PartRefund                 // refund PlatformDecide.Amount
	RejectClaim                // reject: the request closes
)

var outcomeNames = []string{"invalid", "full", "partial", "reject"}

func (o Outcome) String() string               { return enumString(outcomeNames, uint8(o)) }
func (o Outcome) MarshalText() ([]byte, error) { return enumMarshal(outcomeNames, uint8(o), "outcome") }
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := enumParse(outcomeNames, b, "outcome")
	*o = Outcome(v)
	return err
}

// PlatformDecide resolves an intervention. Amount is used for PartRefund
// only: more than zero and less than the request's total.
type PlatformDecide struct {
	Request int             `json:"request"`
	Outcome Outcome         `json:"outcome"`
	Amount  decimal.Decimal `json:"amount,omitzero"`
}

// ShippingVoucher: the merchant shows that it shipped the request's lines
// at ShippedAt. Dated before the request, it reverses a revocation (RFD-9);
// one without a date (zero ShippedAt) is refused.
type ShippingVoucher struct {
	Request   int       `json:"request"`
	ShippedAt time.Time `json:"shipped_at"`
}

// SuspectCrime: the platform suspects a crime in a prohibited-goods trade;
// it keeps the funds and reports (RFD-8).
type SuspectCrime struct {
	Request int `json:"request"`
}

// Ship records that lines shipped (a fact from the order).
type Ship struct {
	Lines []string `json:"lines"`
}

// Sign records that the buyer signed for lines: the no-reason window
// starts (RFD-5).
type Sign struct {
	Lines []string `json:"lines"`
}

// ConfirmReceipt records that the buyer confirmed receipt (PTS-2): a
// request made from then on on lines with comprehensive points is
// refunded only when the platform forces it.
type ConfirmReceipt struct{}

func (Open) Name() string            { return "open" }
func (MerchantAgree) Name() string   { return "merchant_agree" }
func (MerchantRefuse) Name() string  { return "merchant_refuse" }
func (Modify) Name() string          { return "modify" }
func (Withdraw) Name() string        { return "withdraw" }
func (AskIntervention) Name() string { return "ask_intervention" }
func (SubmitLogistics) Name() string { return "submit_logistics" }
func (MerchantReceive) Name() string { return "merchant_receive" }
func (MerchantRefund) Name() string  { return "merchant_refund" }
func (PlatformDecide) Name() string  { return "platform_decide" }
func (ShippingVoucher) Name() string { return "shipping_voucher" }
func (SuspectCrime) Name() string    { return "suspect_crime" }
func (Ship) Name() string            { return "ship" }
func (Sign) Name() string            { return "sign" }
func (ConfirmReceipt) Name() string  { return "confirm_receipt" }

func (Open) event()            {}
func (MerchantAgree) event()   {}
func (MerchantRefuse) event()  {}
func (Modify) event()          {}
func (Withdraw) event()        {}
func (AskIntervention) event() {}
func (SubmitLogistics) event() {}
func (MerchantReceive) event() {}
func (MerchantRefund) event()  {}
func (PlatformDecide) event()  {}
func (ShippingVoucher) event() {}
func (SuspectCrime) event()    {}
func (Ship) event()            {}
func (Sign) event()            {}
func (ConfirmReceipt) event()  {}

var decoders = map[string]func([]byte) (Event, error){
	"open":             decodeAs[Open],
	"merchant_agree":   decodeAs[MerchantAgree],
	"merchant_refuse":  decodeAs[MerchantRefuse],
	"modify":           decodeAs[Modify],
	"withdraw":         decodeAs[Withdraw],
	"ask_intervention": decodeAs[AskIntervention],
	"submit_logistics": decodeAs[SubmitLogistics],
	"merchant_receive": decodeAs[MerchantReceive],
	"merchant_refund":  decodeAs[MerchantRefund],
	"platform_decide":  decodeAs[PlatformDecide],
	"shipping_voucher": decodeAs[ShippingVoucher],
	"suspect_crime":    decodeAs[SuspectCrime],
	"ship":             decodeAs[Ship],
	"sign":             decodeAs[Sign],
	"confirm_receipt":  decodeAs[ConfirmReceipt],
}

// DecodeEvent decodes an event from its JSON form: an object whose "type"
// is the event's Name and whose other members are its fields, e.g.
// {"type":"merchant_refuse","request":1,"note":"worn"}. Unknown types
// and unknown fields are errors.
func DecodeEvent(data []byte) (Event, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("refund: decode event: %w", err)
	}
	var typ string
	if err := json.Unmarshal(raw["type"], &typ); err != nil || raw["type"] == nil {
		return nil, fmt.Errorf("refund: decode event: missing or bad \"type\"")
	}
	dec, ok := decoders[typ]
	if !ok {
		return nil, fmt.Errorf("refund: decode event: unknown type %q", typ)
	}
	delete(raw, "type")
	rest, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("refund: decode event %s: %w", typ, err)
	}
	e, err := dec(rest)
	if err != nil {
		return nil, fmt.Errorf("refund: decode event %s: %w", typ, err)
	}
	return e, nil
}

func decodeAs[T Event](data []byte) (Event, error) {
	var e T
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		return nil, err
	}
	return e, nil
}

// eventValue returns e as a value: a pointer to an event (which has the
// event's methods too) is the event it points to, a nil pointer is nil.
func eventValue(e Event) Event {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer {
		return e
	}
	if v.IsNil() {
		return nil
	}
	ev, _ := v.Elem().Interface().(Event)
	return ev
}

// EncodeEvent returns the JSON form of e that [DecodeEvent] reads.
func EncodeEvent(e Event) ([]byte, error) {
	e = eventValue(e)
	if e == nil {
		return nil, fmt.Errorf("refund: encode event: nil event")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		raw = map[string]json.RawMessage{}
	}
	name, _ := json.Marshal(e.Name())
	raw["type"] = name
	return json.Marshal(raw)
}
