package refund

import "github.com/tradepolicy/tradepolicy/internal/enum"

// The enumerations of this package share one text form (internal/enum):
// a fixed name per value, used in JSON, logs and scenario files. The
// zero value of every enumeration is invalid: it is never written and
// never read back, so no zero value stands for a real mode, route,
// status or outcome.

// Mode is how the order was paid (ORD-13). It decides what a merchant's
// silence on a refund-only request means (RFD-2).
type Mode uint8

const (
	_      Mode = iota // invalid
	Escrow             // funds frozen until the buyer confirms receipt
	Direct             // funds settle to the merchant at once
)

var modeNames = enum.Names{"invalid", "escrow", "direct"}

func (v Mode) String() string { return enum.String(modeNames, v) }

// IsValid reports whether v is one of the named modes.
func (v Mode) IsValid() bool                 { return enum.IsValid(modeNames, v) }
func (v Mode) MarshalText() ([]byte, error)  { return enum.Marshal(modeNames, v, "refund: mode") }
func (v *Mode) UnmarshalText(b []byte) error { return enum.Unmarshal(modeNames, v, b, "refund: mode") }

// Route is the account the order was paid from (RFD-4). A refund goes
// back the same way, except that a bank loan account refunds to the bank
// account bound to the loan.
type Route uint8

const (
	_                 Route = iota // invalid
	DebitCard                      // bank debit card
	Passbook                       // current-account passbook
	CreditCard                     // credit card
	SettlementAccount              // enterprise settlement account
	WalletBalance                  // third-party wallet balance
	Loan                           // bank loan account: refunds go to Payment.BoundAccount
)

var routeNames = enum.Names{"invalid", "debit_card", "passbook", "credit_card", "settlement", "wallet_balance", "loan"}

func (v Route) String() string { return enum.String(routeNames, v) }

// IsValid reports whether v is one of the named routes.
func (v Route) IsValid() bool                { return enum.IsValid(routeNames, v) }
func (v Route) MarshalText() ([]byte, error) { return enum.Marshal(routeNames, v, "refund: route") }
func (v *Route) UnmarshalText(b []byte) error {
	return enum.Unmarshal(routeNames, v, b, "refund: route")
}

// Kind is the type of a refund request (RFD-1).
type Kind uint8

const (
	_            Kind = iota // invalid
	RefundOnly               // refund only, no return (RFD-2; RFD-9 before shipment)
	ReturnRefund             // return then refund (RFD-3)
)

var kindNames = enum.Names{"invalid", "refund_only", "return_refund"}

func (v Kind) String() string { return enum.String(kindNames, v) }

// IsValid reports whether v is one of the named kinds.
func (v Kind) IsValid() bool                 { return enum.IsValid(kindNames, v) }
func (v Kind) MarshalText() ([]byte, error)  { return enum.Marshal(kindNames, v, "refund: kind") }
func (v *Kind) UnmarshalText(b []byte) error { return enum.Unmarshal(kindNames, v, b, "refund: kind") }

// Reason is why the buyer asks; it decides who pays shipping (RFD-6,
// RFD-8) and whether the merchant may refuse (RFD-5, RFD-8).
type Reason uint8

const (
	_             Reason = iota // invalid
	Agreed                      // negotiated with the merchant (quality, not received, …)
	NoReason                    // seven-day no-reason return (RFD-5)
	ParcelRefused               // the buyer refused the parcel of a labelled item (RFD-6)
	Prohibited                  // reported and verified prohibited goods (RFD-8)
)

var reasonNames = enum.Names{"invalid", "agreed", "no_reason", "parcel_refused", "prohibited"}

func (v Reason) String() string { return enum.String(reasonNames, v) }

// IsValid reports whether v is one of the named reasons.
func (v Reason) IsValid() bool                { return enum.IsValid(reasonNames, v) }
func (v Reason) MarshalText() ([]byte, error) { return enum.Marshal(reasonNames, v, "refund: reason") }
func (v *Reason) UnmarshalText(b []byte) error {
	return enum.Unmarshal(reasonNames, v, b, "refund: reason")
}

// Status is where a request stands. Statuses from Refunded on are final:
// no event is accepted and no deadline fires. (A completed revocation
// still records the lines the merchant shipped after it, Request.Loss.)
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

var statusNames = enum.Names{"invalid", "requested", "awaiting_buyer", "refused", "awaiting_return",
	"returning", "received", "intervention", "refunded", "closed", "withdrawn", "held"}

func (v Status) String() string { return enum.String(statusNames, v) }

// IsValid reports whether v is one of the named statuses.
func (v Status) IsValid() bool                { return enum.IsValid(statusNames, v) }
func (v Status) MarshalText() ([]byte, error) { return enum.Marshal(statusNames, v, "refund: status") }
func (v *Status) UnmarshalText(b []byte) error {
	return enum.Unmarshal(statusNames, v, b, "refund: status")
}

// Final reports whether s accepts no more events.
func (v Status) Final() bool { return v >= Refunded }

// timed reports whether s has a timeout: a request in it always has a
// Deadline, and one in any other status never has one (State.Validate).
func (v Status) timed() bool { return v >= Requested && v <= Received }

// Outcome is a platform decision on an intervention.
type Outcome uint8

const (
	_          Outcome = iota // invalid
	RefundAll                 // refund what the request asks
	RefundPart                // refund PlatformDecide.Amount
	Reject                    // reject: the request closes
)

var outcomeNames = enum.Names{"invalid", "refund_all", "refund_part", "reject"}

func (v Outcome) String() string { return enum.String(outcomeNames, v) }

// IsValid reports whether v is one of the named outcomes.
func (v Outcome) IsValid() bool { return enum.IsValid(outcomeNames, v) }
func (v Outcome) MarshalText() ([]byte, error) {
	return enum.Marshal(outcomeNames, v, "refund: outcome")
}
func (v *Outcome) UnmarshalText(b []byte) error {
	return enum.Unmarshal(outcomeNames, v, b, "refund: outcome")
}

// Stage is where the order stood, for the lines of a request, when the
// request was made. The points policy decides from it which beans and
// points go back (PTS-2); refund only reports it ([Settled]).
type Stage uint8

const (
	_              Stage = iota // invalid
	BeforeShipment              // the request's lines had not shipped
	Shipped                     // shipped, receipt not confirmed
	Confirmed                   // the buyer had confirmed receipt
)

var stageNames = enum.Names{"invalid", "before_shipment", "shipped", "confirmed"}

func (v Stage) String() string { return enum.String(stageNames, v) }

// IsValid reports whether v is one of the named stages.
func (v Stage) IsValid() bool                { return enum.IsValid(stageNames, v) }
func (v Stage) MarshalText() ([]byte, error) { return enum.Marshal(stageNames, v, "refund: stage") }
func (v *Stage) UnmarshalText(b []byte) error {
	return enum.Unmarshal(stageNames, v, b, "refund: stage")
}

// Leg is one direction of shipping.
type Leg uint8

const (
	_        Leg = iota // invalid
	Outbound            // merchant to buyer
	Back                // buyer to merchant
)

var legNames = enum.Names{"invalid", "outbound", "return"}

func (v Leg) String() string { return enum.String(legNames, v) }

// IsValid reports whether v is one of the named legs.
func (v Leg) IsValid() bool                 { return enum.IsValid(legNames, v) }
func (v Leg) MarshalText() ([]byte, error)  { return enum.Marshal(legNames, v, "refund: leg") }
func (v *Leg) UnmarshalText(b []byte) error { return enum.Unmarshal(legNames, v, b, "refund: leg") }

// Party is who acts, pays or is told.
type Party uint8

const (
	_        Party = iota // invalid
	Buyer                 // the buyer
	Merchant              // the merchant (the store)
)

var partyNames = enum.Names{"invalid", "buyer", "merchant"}

func (v Party) String() string { return enum.String(partyNames, v) }

// IsValid reports whether v is one of the named parties.
func (v Party) IsValid() bool                { return enum.IsValid(partyNames, v) }
func (v Party) MarshalText() ([]byte, error) { return enum.Marshal(partyNames, v, "refund: party") }
func (v *Party) UnmarshalText(b []byte) error {
	return enum.Unmarshal(partyNames, v, b, "refund: party")
}
