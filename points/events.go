package points

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Event is something that happens to a [Spend] or a [Ledger]. Name is
// stable: it is the "type" of the event's JSON form (see [DecodeEvent]).
type Event interface {
	Name() string
}

// Use records that an order used Points comprehensive points (PTS-3): a
// cash deduction at checkout, or a redemption. It is a [Ledger] event;
// [DebitPoints.Use] makes one.
type Use struct {
	Order  string `json:"order"`
	Points int64  `json:"points"`
	// At is the instant of the use (the payment); it chooses the calendar
	// year the use counts in, so a use recorded after New Year for a
	// payment made before it counts in the year that has ended. Zero means
	// the instant the ledger records it.
	At time.Time `json:"at,omitzero"`
}

// Release records that Points comprehensive points used at UsedAt were
// given back on a refund (PTS-2); whether that restores the allowance of
// UsedAt's year is points_refund_restores (PTS-3). It is a [Ledger]
// event; [GiveBackPoints.Release] makes one.
type Release struct {
	Order  string    `json:"order"`
	Points int64     `json:"points"`
	UsedAt time.Time `json:"used_at"`
}

// Stage is where the order stood when the refund was requested (PTS-2).
type Stage string

// The stages of PTS-2.
const (
	BeforeShipment Stage = "before_shipment" // not shipped
	Shipped        Stage = "shipped"         // shipped, receipt not confirmed
	Received       Stage = "received"        // receipt confirmed
)

// Approver is who made the refund happen (PTS-2).
type Approver string

// The approvers of PTS-2. A refund that happens because the merchant let
// a deadline pass (RFD-2, RFD-3) is deemed agreed: use Merchant.
const (
	Merchant   Approver = "merchant"    // the merchant agreed
	BackOffice Approver = "back_office" // back-office staff forced the refund
)

// Refund is an approved refund of some units of an order's lines. It is a
// [Spend] event: it gives back the beans and points allocated to those
// units (PTS-2), once, when the stage and approver allow it.
type Refund struct {
	// ID identifies the refund; a refund ID is given back at most once.
	ID       string       `json:"id"`
	Stage    Stage        `json:"stage"`
	Approver Approver     `json:"approver"`
	Lines    []RefundLine `json:"lines"`
}

// RefundLine is the units of one line a [Refund] covers.
type RefundLine struct {
	Line     string `json:"line"`
	Quantity int64  `json:"quantity"`
}

func (Use) Name() string     { return "use" }
func (Release) Name() string { return "release" }
func (Refund) Name() string  { return "refund" }

// DecodeEvent reads an event from its JSON form, an object whose "type"
// is the event's Name and whose other fields are the event's:
//
//	{"type": "use", "order": "A1", "points": 5000, "at": "2024-03-01T10:00:00+08:00"}
//	{"type": "release", "order": "A1", "points": 5000, "used_at": "2024-03-01T10:00:00+08:00"}
//	{"type": "refund", "id": "R1", "stage": "shipped", "approver": "merchant",
//	 "lines": [{"line": "L1", "quantity": 1}]}
//
// Unknown fields and types are errors wrapping [ErrInvalid].
func DecodeEvent(data []byte) (Event, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: event: %v", ErrInvalid, err)
	}
	var (
		e   Event
		err error
	)
	switch head.Type {
	case "use":
		var x struct {
			Type string `json:"type"`
			Use
		}
		err = strict(data, &x)
		e = x.Use
	case "release":
		var x struct {
			Type string `json:"type"`
			Release
		}
		err = strict(data, &x)
		e = x.Release
	case "refund":
		var x struct {
			Type string `json:"type"`
			Refund
		}
		err = strict(data, &x)
		e = x.Refund
	default:
		return nil, fmt.Errorf("%w: unknown event type %q", ErrInvalid, head.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s event: %v", ErrInvalid, head.Type, err)
	}
	return e, nil
}

// EncodeEvent writes e in the form [DecodeEvent] reads.
func EncodeEvent(e Event) ([]byte, error) {
	var x any
	switch e := e.(type) {
	case Use:
		x = struct {
			Type string `json:"type"`
			Use
		}{e.Name(), e}
	case Release:
		x = struct {
			Type string `json:"type"`
			Release
		}{e.Name(), e}
	case Refund:
		x = struct {
			Type string `json:"type"`
			Refund
		}{e.Name(), e}
	default:
		return nil, fmt.Errorf("%w: unknown event %T", ErrInvalid, e)
	}
	return json.Marshal(x)
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the event")
	}
	return nil
}
