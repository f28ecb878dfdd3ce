package refund

import (
	"time"

	"github.com/shopspring/decimal"
)

// Kind is the type of a refund request (RFD-1).
type Kind uint8

const (
	_            Kind = iota // invalid
	RefundOnly               // refund only, no return (RFD-2)
	ReturnRefund             // return then refund (RFD-3)
)

var kindNames = []string{"invalid", "refund_only", "return_refund"}

func (k Kind) String() string               { return enumString(kindNames, uint8(k)) }
func (k Kind) MarshalText() ([]byte, error) { return enumMarshal(kindNames, uint8(k), "kind") }
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := enumParse(kindNames, b, "kind")
	*k = Kind(v)
	return err
}

// Reason is why the buyer asks; it decides who pays shipping (RFD-6,
// RFD-8) and whether the merchant may refuse (RFD-5, RFD-8).
type Reason uint8

const (
	Agreed        Reason = iota // negotiated with the merchant (quality, not received, …); the zero Reason
	NoReason                    // seven-day no-reason return (RFD-5)
	ParcelRefused               // the buyer refused the parcel without reason (RFD-6)
	Prohibited                  // reported and verified prohibited goods (RFD-8)
)

var reasonNames = []string{"agreed", "no_reason", "parcel_refused", "prohibited"}

func (r Reason) String() string               { return enumString(reasonNames, uint8(r)) }
func (r Reason) MarshalText() ([]byte, error) { return enumMarshal(reasonNames, uint8(r), "reason") }
func (r *Reason) UnmarshalText(b []byte) error {
	v, err := enumParse(reasonNames, b, "reason")
	*r = Reason(v)
	return err
}

// Status is where a request stands. Statuses from Refunded on are final:
// no event is accepted and no deadline fires.
type Status uint8

const (
	_              Status = iota // invalid
	Requested                    // the merchant must act (RFD-2, RFD-3; RFD-9 for a revocation)
	AwaitingBuyer                // direct payment, merchant silent: back to the buyer (RFD-2)
	Refused                      // the merchant refused: the buyer modifies or asks for intervention
	AwaitingReturn               // return address sent: the buyer submits logistics (RFD-3)
	Returning                    // logistics submitted: the merchant confirms receipt and refunds (RFD-3)
	Received                     // the merchant confirmed receipt: it refunds (RFD-3, RFD-7)
	Intervention                 // the platform decides (no deadline)
	Refunded                     // final: money went back (see Request.Settlement)
	Closed                       // final: a deadline passed with the buyer silent, or the platform rejected
	Withdrawn                    // final: the buyer withdrew the request
	Held                         // final: suspected crime, the platform keeps the funds (RFD-8)
)

var statusNames = []string{"invalid", "requested", "awaiting_buyer", "refused", "awaiting_return",
	"returning", "received", "intervention", "refunded", "closed", "withdrawn", "held"}

func (s Status) String() string               { return enumString(statusNames, uint8(s)) }
func (s Status) MarshalText() ([]byte, error) { return enumMarshal(statusNames, uint8(s), "status") }
func (s *Status) UnmarshalText(b []byte) error {
	v, err := enumParse(statusNames, b, "status")
	*s = Status(v)
	return err
}

// Final reports whether s accepts no more events.
func (s Status) Final() bool { return s >= Refunded }

// timed reports whether s has a timeout: a request in it always has a
// Deadline, and one in any other status never has one (State.Validate).
func (s Status) timed() bool { return s >= Requested && s <= Received }

// Item is one line of a request and the money asked back for it. In an
// [Open] or [Modify] event a zero Amount means all the line's money not
// yet refunded; in a Request it is always resolved.
type Item struct {
	Line   string          `json:"line"`
	Amount decimal.Decimal `json:"amount"`
}

// State is every refund request of one order, with the order's facts.
// The zero State is invalid: build one with [Machine.Start]. A State is a
// plain value that serialises to JSON and back without loss; [Machine.Apply]
// never changes the State it is given.
type State struct {
	Order    Order     `json:"order"`
	Requests []Request `json:"requests,omitempty"` // oldest first; Request.ID is index+1
}

// Request is one refund request. A line is in at most one open request.
type Request struct {
	ID          int       `json:"id"`
	Kind        Kind      `json:"kind"`
	Reason      Reason    `json:"reason"`
	Items       []Item    `json:"items"`
	Status      Status    `json:"status"`
	RequestedAt time.Time `json:"requested_at"`
	Since       time.Time `json:"since"`   // when Status began
	Version     string    `json:"version"` // policy version in force at RequestedAt
	// Revocation marks a refund-only request on unshipped lines: it revokes
	// the trade (RFD-9, ORD-17) unless a shipping voucher predates it.
	Revocation bool `json:"revocation,omitempty"`
	// Confirmed records that the buyer had confirmed receipt when the
	// request was made: then, if its lines carry comprehensive points,
	// only the platform can force its refund (PTS-2).
	Confirmed bool `json:"confirmed,omitempty"`
	// ReturnDue is the RFD-3 refund deadline set when the buyer submitted
	// logistics; it still bounds the Received status.
	ReturnDue  time.Time  `json:"return_due,omitzero"`
	Logistics  *Logistics `json:"logistics,omitempty"`
	ReceivedAt time.Time  `json:"received_at,omitzero"` // the merchant confirmed receipt of the goods
	// Deadline is when the current status times out; zero: none. DueRule
	// names the rule whose threshold set it.
	Deadline time.Time `json:"deadline,omitzero"`
	DueRule  string    `json:"due_rule,omitempty"`
	// Settlement is what went back, set when Status becomes Refunded.
	Settlement *Settlement `json:"settlement,omitempty"`
}

// Logistics is the buyer's return shipment (RFD-3).
type Logistics struct {
	Carrier  string    `json:"carrier"`
	Tracking string    `json:"tracking"`
	At       time.Time `json:"at"`
}

// Total is the money the request asks for.
func (r Request) Total() decimal.Decimal {
	sum := decimal.Zero
	for _, it := range r.Items {
		sum = sum.Add(it.Amount)
	}
	return sum
}

func (r Request) has(line string) bool {
	for _, it := range r.Items {
		if it.Line == line {
			return true
		}
	}
	return false
}

// Request returns the request with the given ID.
func (s State) Request(id int) (Request, bool) {
	if id < 1 || id > len(s.Requests) {
		return Request{}, false
	}
	return s.Requests[id-1], true
}

// Next returns the earliest deadline of the open requests; zero if none.
func (s State) Next() time.Time {
	var next time.Time
	for _, r := range s.Requests {
		if r.Status.timed() && !r.Deadline.IsZero() && (next.IsZero() || r.Deadline.Before(next)) {
			next = r.Deadline
		}
	}
	return next
}

// Clone returns a deep copy of s.
func (s State) Clone() State {
	c := s
	c.Order.Lines = append([]Line(nil), s.Order.Lines...)
	c.Order.Coupons = append([]string(nil), s.Order.Coupons...)
	c.Requests = make([]Request, len(s.Requests))
	for i, r := range s.Requests {
		c.Requests[i] = r.clone()
	}
	if s.Requests == nil {
		c.Requests = nil
	}
	if s.Order.Coupons == nil {
		c.Order.Coupons = nil
	}
	return c
}

func (r Request) clone() Request {
	c := r
	c.Items = append([]Item(nil), r.Items...)
	if r.Logistics != nil {
		l := *r.Logistics
		c.Logistics = &l
	}
	if r.Settlement != nil {
		st := r.Settlement.clone()
		c.Settlement = &st
	}
	return c
}
