package refund

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Event is a buyer's, merchant's or platform's action on an order's
// refunds. Name is stable, for logs and the "type" of the JSON form
// ([DecodeEvent]); "advance" is reserved for [Entry]. A pointer to an
// event is taken as the event it points to. Order facts (shipment,
// signing, receipt confirmation) are not events: they are in the [Order]
// the composer passes to every call.
type Event interface {
	Name() string
	event()
}

// Open is the buyer's refund request (RFD-1). A refund-only request on
// lines that had not shipped revokes the trade for them (RFD-9); one on
// shipped and unshipped lines together becomes two requests, the
// revocation of the unshipped lines first, then the refund only of the
// shipped ones (RFD-2).
type Open struct {
	Kind   Kind   `json:"kind"`
	Reason Reason `json:"reason"`
	Items  []Item `json:"items"`
}

// MerchantAgree: the merchant agrees. A refund-only request is refunded at
// once; a return sends the return address (RFD-2, RFD-3); a revocation is
// completed (RFD-9).
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
// silence; the merchant's response period starts again. A revocation is
// not modified: it refunds whole lines whatever was asked (RFD-9).
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

// SubmitLogistics: the buyer ships the goods back (RFD-3), at the
// instant the event is applied.
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

// PlatformDecide resolves an intervention. Amount is used for RefundPart
// only: more than zero and less than the request's total.
type PlatformDecide struct {
	Request int             `json:"request"`
	Outcome Outcome         `json:"outcome"`
	Amount  decimal.Decimal `json:"amount,omitzero"`
}

// ShippingVoucher: the merchant shows that it shipped the request's lines
// at ShippedAt. Dated before the request, within revocation_voucher, it
// reverses a revocation (RFD-9). ShippedAt is required and never later
// than the instant the event is applied.
type ShippingVoucher struct {
	Request   int       `json:"request"`
	ShippedAt time.Time `json:"shipped_at"`
}

// SuspectCrime: the platform suspects a crime in a prohibited-goods trade;
// it keeps the funds and reports (RFD-8).
type SuspectCrime struct {
	Request int `json:"request"`
}

// ShippedAfterRevocation: the composer recorded (in Line.ShippedAt) that
// the merchant shipped lines after a refund-only request had revoked the
// trade for them. The merchant bears the shipping both ways and any loss,
// and the buyer may refuse the parcel (ORD-17, RFD-9): the machine emits
// [MerchantBearsLoss].
type ShippedAfterRevocation struct {
	Lines []string `json:"lines"`
}

func (Open) Name() string                   { return "open" }
func (MerchantAgree) Name() string          { return "merchant_agree" }
func (MerchantRefuse) Name() string         { return "merchant_refuse" }
func (Modify) Name() string                 { return "modify" }
func (Withdraw) Name() string               { return "withdraw" }
func (AskIntervention) Name() string        { return "ask_intervention" }
func (SubmitLogistics) Name() string        { return "submit_logistics" }
func (MerchantReceive) Name() string        { return "merchant_receive" }
func (MerchantRefund) Name() string         { return "merchant_refund" }
func (PlatformDecide) Name() string         { return "platform_decide" }
func (ShippingVoucher) Name() string        { return "shipping_voucher" }
func (SuspectCrime) Name() string           { return "suspect_crime" }
func (ShippedAfterRevocation) Name() string { return "shipped_after_revocation" }

func (Open) event()                   {}
func (MerchantAgree) event()          {}
func (MerchantRefuse) event()         {}
func (Modify) event()                 {}
func (Withdraw) event()               {}
func (AskIntervention) event()        {}
func (SubmitLogistics) event()        {}
func (MerchantReceive) event()        {}
func (MerchantRefund) event()         {}
func (PlatformDecide) event()         {}
func (ShippingVoucher) event()        {}
func (SuspectCrime) event()           {}
func (ShippedAfterRevocation) event() {}

var events = wire.NewUnion[Event]("refund event", Event.Name,
	Open{}, MerchantAgree{}, MerchantRefuse{}, Modify{}, Withdraw{}, AskIntervention{},
	SubmitLogistics{}, MerchantReceive{}, MerchantRefund{}, PlatformDecide{}, ShippingVoucher{},
	SuspectCrime{}, ShippedAfterRevocation{})

// EventNames returns the names of every event, sorted.
func EventNames() []string { return events.Names() }

// DecodeEvent decodes an event from its JSON form: an object whose "type"
// is the event's Name and whose other members are its fields, e.g.
// {"type":"merchant_refuse","request":1,"note":"worn"}. It is strict
// (unknown or duplicate keys, wrong case, trailing data are errors);
// every error wraps [ErrInvalid].
func DecodeEvent(data []byte) (Event, error) {
	e, err := events.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := writable(e); err != nil {
		return nil, err
	}
	return e, nil
}

// writable reports a decoded value that could not be written back: a
// member left out whose zero value is invalid (an enumeration).
func writable(v any) error {
	if _, err := json.Marshal(v); err != nil {
		return fmt.Errorf("%w: a required member is missing or invalid: %w", ErrInvalid, err)
	}
	return nil
}

// EncodeEvent returns the JSON form of e that [DecodeEvent] reads.
func EncodeEvent(e Event) ([]byte, error) {
	b, err := events.Encode(e)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// eventValue returns e as a value: a pointer to an event is the event it
// points to; nil, a nil pointer or a value of no variant is nil.
func eventValue(e Event) Event {
	switch e.(type) {
	case nil:
		return nil
	case Open, MerchantAgree, MerchantRefuse, Modify, Withdraw, AskIntervention, SubmitLogistics,
		MerchantReceive, MerchantRefund, PlatformDecide, ShippingVoucher, SuspectCrime, ShippedAfterRevocation:
		return e // a variant itself, as events come mostly: no reflection needed
	}
	v, ok := events.Value(e)
	if !ok {
		return nil
	}
	return v
}

// Entry is one entry of an event log, for replay: the instant and the
// event applied with [Machine.ApplyAt], or a nil Event for a call of
// [Machine.AdvanceAt]. Its JSON form is the event's with an "at" member
// first: {"at":"…","type":"open",…}, and {"at":"…","type":"advance"}.
type Entry struct {
	At    time.Time
	Event Event
}

// advanceName is the type of an Entry with no event.
const advanceName = "advance"

// MarshalJSON implements json.Marshaler.
func (en Entry) MarshalJSON() ([]byte, error) {
	at := en.At.Round(0).UTC()
	if en.Event == nil {
		b, err := json.Marshal(at)
		if err != nil {
			return nil, err
		}
		return []byte(`{"at":` + string(b) + `,"type":"advance"}`), nil
	}
	return events.Encode(en.Event, wire.Member{Key: "at", Value: at})
}

// UnmarshalJSON implements json.Unmarshaler, strictly; errors wrap
// [ErrInvalid].
func (en *Entry) UnmarshalJSON(data []byte) error {
	var adv struct {
		At   time.Time `json:"at"`
		Type string    `json:"type"`
	}
	if err := wire.Decode(data, &adv); err == nil && adv.Type == advanceName {
		if adv.At.IsZero() {
			return fmt.Errorf("%w: entry: advance without its instant", ErrInvalid)
		}
		*en = Entry{At: adv.At}
		return nil
	}
	at, e, err := events.DecodeAt(data)
	if err != nil {
		return fmt.Errorf("%w: entry: %w", ErrInvalid, err)
	}
	*en = Entry{At: at, Event: e}
	return nil
}
