package order

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// Event is something that happens to an order: a buyer's, merchant's or
// platform's action, or a fact reported by the host or by a composing
// machine (a refund request, a complaint). Name is stable, for logs
// and the "type" of the JSON form ([DecodeEvent]). A pointer to an event
// is taken as the event.
type Event interface {
	Name() string
	event()
}

// Pay reports that the buyer paid the whole order (ORD-7): Amount must be
// [State.Payable]; Number is the payment number (ORD-3).
type Pay struct {
	Number string          `json:"number"`
	Amount decimal.Decimal `json:"amount"`
	At     time.Time       `json:"paid_at"`
	Via    Via             `json:"via"` // required: refunds go back by it (RFD-4)
	// Spend is the beans and points record package points made for the
	// order at payment (points.Machine.PayAt with the order's number):
	// its lines must carry the order lines' beans and points, units and
	// value. Nil: the order spent none, or its host gives them back
	// itself. Only the first payment of an order carries it.
	Spend *points.Spend `json:"spend,omitempty"`
}

// PayDeposit reports a presale deposit paid before the deposit window
// ends (ORD-14).
type PayDeposit struct {
	Number string          `json:"number"`
	Amount decimal.Decimal `json:"amount"`
	At     time.Time       `json:"paid_at"`
	Via    Via             `json:"via"` // required: refunds go back by it (RFD-4)
	// Spend is the beans and points record package points made for the
	// order at payment (points.Machine.PayAt with the order's number):
	// its lines must carry the order lines' beans and points, units and
	// value. Nil: the order spent none, or its host gives them back
	// itself. Only the first payment of an order carries it.
	Spend *points.Spend `json:"spend,omitempty"`
}

// PayBalance reports a presale balance paid within the balance window
// (ORD-14); Amount is the payable amount less the deposit.
type PayBalance struct {
	Number string          `json:"number"`
	Amount decimal.Decimal `json:"amount"`
	At     time.Time       `json:"paid_at"`
	Via    Via             `json:"via"` // required: refunds go back by it (RFD-4)
}

// Cancel: the buyer cancels an unpaid order, after confirming (ORD-6).
type Cancel struct{}

// Delete: the buyer deletes a cancelled order: it moves to the recycle
// bin, a flag, not a status (ORD-6).
type Delete struct{}

// MerchantCancel: the merchant cancels an order before anything shipped;
// the order is Closed and whatever was paid is returned (ORD-10).
type MerchantCancel struct {
	Reason string `json:"reason,omitempty"`
}

// UrgeShipment: the buyer urges the merchant to ship (ORD-7).
type UrgeShipment struct{}

// ChangeDelivery: the buyer's new delivery details, with the merchant's
// consent, before anything shipped (ORD-8).
type ChangeDelivery struct {
	Recipient string `json:"recipient"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	Consent   bool   `json:"consent"`
}

// Ship reports a parcel: lines with logistics (ORD-8, ORD-12).
type Ship struct {
	Lines    []string  `json:"lines"`
	Carrier  string    `json:"carrier"`
	Tracking string    `json:"tracking"`
	At       time.Time `json:"shipped_at"`
}

// Undeliverable reports that a parcel could not be delivered and why; the
// cause decides who bears the shipping cost (ORD-8).
type Undeliverable struct {
	Shipment int       `json:"shipment"`
	Cause    Cause     `json:"cause"`
	At       time.Time `json:"reported_at"`
}

// Sign reports that the buyer signed for a parcel at At (ORD-16; the
// no-reason return window counts from it, RFD-5).
type Sign struct {
	Shipment int       `json:"shipment"`
	At       time.Time `json:"signed_at"`
	// ThirdParty: someone other than the consignee signed; Authorised:
	// they showed the consignee's authorisation and both identities
	// (ORD-18; only with ThirdParty). A third party's signature without
	// authorisation confirms nothing: objections stay admissible.
	ThirdParty bool `json:"third_party,omitempty"`
	Authorised bool `json:"authorised,omitempty"`
}

// ConfirmReceipt: the buyer confirms receipt after the security check
// (ORD-9, escrow).
type ConfirmReceipt struct{}

// Refund is an event of the order's refund requests (package refund:
// open, merchant_agree, …), applied by refund's machine inside the order
// at the order's instant, with refund's facts derived from the order.
// Its JSON form nests the refund event:
// {"type":"refund","event":{"type":"open","kind":"refund_only",…}}.
// A completed refund ([refund.Settled]) moves the order's money
// (ORD-13), closes a fully refunded order (ORD-10) or sets the status
// its remaining lines call for (ORD-11); a revocation closes unshipped
// lines (ORD-17).
type Refund struct {
	Event refund.Event `json:"event"`
	// Objection classifies what a [refund.Open] or [refund.Modify] objects to, for ORD-18
	// (JSON "objection", omitted when nil): a surface-consistency
	// objection on a line validly signed for is refused without evidence
	// or a carrier's note, a latent one after inspection_window. Nil: not
	// classified, not judged. Only an open or a modify may carry one.
	Objection *Objection `json:"objection,omitempty"`
}

// MarshalJSON writes {"event":{…}} (and "objection" when set); inside an
// order event or log entry it gets the "type":"refund".
func (e Refund) MarshalJSON() ([]byte, error) {
	if e.Event == nil {
		return nil, fmt.Errorf("%w: refund event: none", ErrInvalid)
	}
	b, err := refund.EncodeEvent(e.Event)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return wrapped(b, e.Objection)
}

// wrapped writes a wrapper event's members: the nested event and, when
// set, the objection.
func wrapped(event []byte, o *Objection) ([]byte, error) {
	out := append([]byte(`{"event":`), event...)
	if o != nil {
		b, err := json.Marshal(o)
		if err != nil {
			return nil, fmt.Errorf("%w: objection: %w", ErrInvalid, err)
		}
		out = append(append(out, `,"objection":`...), b...)
	}
	return append(out, '}'), nil
}

// UnmarshalJSON reads {"event":{…},"objection":{…}} strictly
// (refund.DecodeEvent).
func (e *Refund) UnmarshalJSON(data []byte) error {
	var raw struct {
		Event     json.RawMessage `json:"event"`
		Objection *Objection      `json:"objection"`
	}
	if err := wire.Decode(data, &raw); err != nil {
		return fmt.Errorf("%w: refund: %w", ErrInvalid, err)
	}
	if raw.Event == nil {
		return fmt.Errorf("%w: refund: no \"event\"", ErrInvalid)
	}
	ev, err := refund.DecodeEvent(raw.Event)
	if err != nil {
		return fmt.Errorf("%w: refund: %w", ErrInvalid, err)
	}
	*e = Refund{Event: ev, Objection: raw.Objection}
	return nil
}

// Rate is the buyer's review (ORD-20).
type Rate struct {
	Ratings Ratings `json:"ratings"`
	Text    string  `json:"text,omitempty"`
}

// FollowUpReview is the buyer's one follow-up review (ORD-20).
type FollowUpReview struct {
	Text string `json:"text"`
}

func (Pay) Name() string            { return "pay" }
func (PayDeposit) Name() string     { return "pay_deposit" }
func (PayBalance) Name() string     { return "pay_balance" }
func (Cancel) Name() string         { return "cancel" }
func (Delete) Name() string         { return "delete" }
func (MerchantCancel) Name() string { return "merchant_cancel" }
func (UrgeShipment) Name() string   { return "urge_shipment" }
func (ChangeDelivery) Name() string { return "change_delivery" }
func (Ship) Name() string           { return "ship" }
func (Undeliverable) Name() string  { return "undeliverable" }
func (ConfirmReceipt) Name() string { return "confirm_receipt" }
func (Sign) Name() string           { return "sign" }
func (Refund) Name() string         { return "refund" }
func (Rate) Name() string           { return "review" }
func (FollowUpReview) Name() string { return "follow_up" }

func (Pay) event()            {}
func (PayDeposit) event()     {}
func (PayBalance) event()     {}
func (Cancel) event()         {}
func (Delete) event()         {}
func (MerchantCancel) event() {}
func (UrgeShipment) event()   {}
func (ChangeDelivery) event() {}
func (Ship) event()           {}
func (Undeliverable) event()  {}
func (ConfirmReceipt) event() {}
func (Sign) event()           {}
func (Refund) event()         {}
func (Rate) event()           {}
func (FollowUpReview) event() {}

var events = wire.NewUnion[Event]("order event", Event.Name,
	Pay{}, PayDeposit{}, PayBalance{}, Cancel{}, Delete{}, MerchantCancel{}, UrgeShipment{},
	ChangeDelivery{}, Ship{}, Undeliverable{}, ConfirmReceipt{}, Sign{},
	Refund{}, Complaint{}, Rate{}, FollowUpReview{})

// EventNames returns the names of every event, sorted.
func EventNames() []string { return events.Names() }

// DecodeEvent decodes an event from its JSON form: an object whose "type"
// is the event's Name and whose other members are its fields, e.g.
// {"type":"ship","lines":["a"],"carrier":"SF","tracking":"1","shipped_at":"…"}.
// A fact's own time is never named "at", which a log [Entry] uses.
// Decoding is strict (internal/wire); errors wrap [ErrInvalid].
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

// EncodeEvent returns the JSON form of e that [DecodeEvent] reads.
func EncodeEvent(e Event) ([]byte, error) {
	b, err := events.Encode(e)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// Entry is one entry of an order's event log: an event applied at At
// ([Machine.ApplyAt]), or with a nil Event an [Machine.AdvanceAt] at At.
// Its JSON form is {"at":"…","type":"ship",…fields}, and
// {"at":"…","type":"advance"} for an advance.
type Entry struct {
	At    time.Time
	Event Event
}

type advanceEntry struct{}

func (advanceEntry) Name() string { return "advance" }
func (advanceEntry) event()       {}

var entries = wire.NewUnion[Event]("order log entry", Event.Name,
	advanceEntry{}, Pay{}, PayDeposit{}, PayBalance{}, Cancel{}, Delete{}, MerchantCancel{}, UrgeShipment{},
	ChangeDelivery{}, Ship{}, Undeliverable{}, ConfirmReceipt{}, Sign{},
	Refund{}, Complaint{}, Rate{}, FollowUpReview{})

// MarshalJSON writes the entry's JSON form.
func (e Entry) MarshalJSON() ([]byte, error) {
	var ev Event = advanceEntry{}
	if e.Event != nil {
		v, ok := events.Value(e.Event)
		if !ok {
			return nil, fmt.Errorf("%w: entry: %T is not an order event", ErrInvalid, e.Event)
		}
		ev = v
	}
	return entries.Encode(ev, wire.Member{Key: "at", Value: e.At})
}

// UnmarshalJSON reads the entry's JSON form strictly.
func (e *Entry) UnmarshalJSON(data []byte) error {
	at, ev, err := entries.DecodeAt(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, adv := ev.(advanceEntry); adv {
		ev = nil
	}
	*e = Entry{At: at, Event: ev}
	return nil
}

var _ json.Marshaler = Entry{}

// writable refuses a decoded event that could not be written back: a
// member left out whose zero value is invalid (a payment's route).
func writable(e Event) error {
	if _, err := events.Encode(e); err != nil {
		return fmt.Errorf("%w: a required member is missing or invalid: %w", ErrInvalid, err)
	}
	return nil
}
