package points

import (
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Event is something that happens to a [Spend] ([Refund]) or to a
// [Ledger] ([Use], [Release]). Name is stable: it is the "type" of the
// event's JSON form (see [DecodeEvent]). A pointer to an event is taken
// as the event. The set of events is closed.
type Event interface {
	Name() string
	event()
}

// Use records that Points comprehensive points were used (PTS-3): a cash
// deduction at checkout or a redemption. It is a [Ledger] event;
// [DebitPoints.Use] makes the one of a checkout.
type Use struct {
	// ID identifies the use (a checkout's use is the order's ID): a use
	// redelivered with the same ID is recognised and counts once.
	ID     string `json:"id"`
	Points int64  `json:"points"`
	// UsedAt is the instant of the use (the payment); it chooses the
	// calendar year the use counts in and the policy version whose cap it
	// is judged by, so a use recorded after New Year for a payment made
	// before it counts in the year that has ended. Required, never after
	// the instant the ledger records it.
	UsedAt time.Time `json:"used_at"`
}

// Release records that Points comprehensive points of the use Use were
// given back on a refund (PTS-2); whether that restores the allowance of
// the use's year is points_refund_restores (PTS-3). It is a [Ledger]
// event; [GiveBackPoints.Release] makes one.
type Release struct {
	// ID identifies the give-back (a refund's is "<order>/<refund>"): a
	// release redelivered with the same ID is recognised and counts once.
	ID     string    `json:"id"`
	Use    string    `json:"use"`
	Points int64     `json:"points"`
	UsedAt time.Time `json:"used_at"`
}

// Refund reports the money facts of one completed refund of an order, as
// the refund rules decided them (package refund reports them in its
// refund_settled act). It is a [Spend] event: the Spend gives back the
// beans and points of the refunded share of each line when the points
// policy allows it (PTS-2, RFD-10); [RefundOf] builds one from plain
// values.
type Refund struct {
	// ID identifies the refund (a host uses "<order>/<request>"): a
	// refund is applied at most once; a redelivery changes nothing.
	ID string `json:"id"`
	// Stage is where the order stood when the refund was requested.
	Stage Stage `json:"stage"`
	// Forced reports that back-office staff forced the refund (PTS-2).
	Forced bool         `json:"forced,omitempty"`
	Lines  []RefundLine `json:"lines"`
}

// RefundLine is one line's money facts after a refund. Amounts are yuan,
// valid amounts (whole fen, non-negative).
type RefundLine struct {
	Line string `json:"line"`
	// Refunded is the money refunded for the line so far, this refund
	// included (cumulative), at most Paid.
	Refunded decimal.Decimal `json:"refunded"`
	// Paid is the money paid for the line (net of discounts, beans and
	// points).
	Paid decimal.Decimal `json:"paid"`
	// Done reports that the line's whole payment is now refunded (also a
	// zero-paid line the refund covered): everything left of its beans
	// and points goes back.
	Done bool `json:"done,omitempty"`
}

// RefundOf builds the [Refund] of request of order from plain values: its
// ID is "<order>/<request>", stage is a stage's name ("before_shipment",
// "shipped", "confirmed", as refund.Stage.String gives it). An unknown
// stage is an error wrapping [ErrInvalid].
func RefundOf(order string, request int, stage string, forced bool, lines ...RefundLine) (Refund, error) {
	st, err := ParseStage(stage)
	if err != nil {
		return Refund{}, err
	}
	return Refund{ID: order + "/" + strconv.Itoa(request), Stage: st, Forced: forced, Lines: lines}, nil
}

func (Use) Name() string     { return "use" }
func (Release) Name() string { return "release" }
func (Refund) Name() string  { return "refund" }
func (Use) event()           {}
func (Release) event()       {}
func (Refund) event()        {}

// advance is the log entry of an AdvanceAt; it is never an event a
// machine takes.
type advance struct{}

func (advance) Name() string { return "advance" }
func (advance) event()       {}

var (
	events  = wire.NewUnion[Event]("points event", Event.Name, Use{}, Release{}, Refund{})
	entries = wire.NewUnion[Event]("points log entry", Event.Name, Use{}, Release{}, Refund{}, advance{})
)

// EventNames returns the names of every event, sorted: each is an event's
// Name and the "type" [DecodeEvent] reads. [Machine] takes [Refund];
// [LedgerMachine] takes [Use] and [Release]. The slice is the caller's.
func EventNames() []string { return events.Names() }

// eventOf returns e itself when it is a pointer to an event.
func eventOf(e Event) (Event, bool) {
	v, ok := events.Value(e)
	return v, ok
}

// DecodeEvent reads an event from its JSON form, an object whose "type"
// is the event's Name and whose other fields are the event's:
//
//	{"type": "use", "id": "A1", "points": 5000, "used_at": "2024-03-01T02:00:00Z"}
//	{"type": "release", "id": "A1/1", "use": "A1", "points": 5000, "used_at": "2024-03-01T02:00:00Z"}
//	{"type": "refund", "id": "A1/1", "stage": "shipped", "forced": true,
//	 "lines": [{"line": "L1", "refunded": "10.00", "paid": "20.00"}]}
//
// Decoding is strict (unknown fields, duplicate keys, wrong case and
// trailing data are errors); every error wraps [ErrInvalid].
func DecodeEvent(data []byte) (Event, error) {
	e, err := events.Decode(data)
	if err != nil {
		return nil, invalid(err)
	}
	if err := complete(e); err != nil {
		return nil, err
	}
	return e, nil
}

// complete reports an event whose enumerations are missing: a decoded
// event is one that can be written back.
func complete(e Event) error {
	if r, ok := e.(Refund); ok && !r.Stage.IsValid() {
		return errorf("refund event %q: no stage", r.ID)
	}
	return nil
}

// EncodeEvent writes e in the form [DecodeEvent] reads.
func EncodeEvent(e Event) ([]byte, error) {
	b, err := events.Encode(e)
	if err != nil {
		return nil, invalid(err)
	}
	return b, nil
}

// Entry is one entry of an event log, for replay: the event applied with
// ApplyAt at At, or, when Event is nil, an AdvanceAt at At. Its JSON form
// is the event's with an "at" member: {"at": "…", "type": "refund", …};
// an advance is {"at": "…", "type": "advance"}.
type Entry struct {
	At    time.Time
	Event Event
}

// MarshalJSON writes e as {"at": …, "type": …, fields…}.
func (e Entry) MarshalJSON() ([]byte, error) {
	var ev Event = advance{}
	if e.Event != nil {
		v, ok := eventOf(e.Event)
		if !ok {
			return nil, fmt.Errorf("%w: log entry: %T is not an event", ErrInvalid, e.Event)
		}
		ev = v
	}
	b, err := entries.Encode(ev, wire.Member{Key: "at", Value: e.At})
	if err != nil {
		return nil, invalid(err)
	}
	return b, nil
}

// UnmarshalJSON reads an entry strictly; "at" is required.
func (e *Entry) UnmarshalJSON(data []byte) error {
	at, ev, err := entries.DecodeAt(data)
	if err != nil {
		return invalid(err)
	}
	if _, ok := ev.(advance); ok {
		ev = nil
	} else if err := complete(ev); err != nil {
		return err
	}
	*e = Entry{At: at, Event: ev}
	return nil
}

// invalid wraps err in ErrInvalid.
func invalid(err error) error { return fmt.Errorf("%w: %w", ErrInvalid, err) }
