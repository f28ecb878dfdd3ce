package order

import "github.com/tradepolicy/tradepolicy/internal/enum"

// Every enumeration of this package is a uint8 whose zero value is
// invalid: no zero value stands for a real status, mode or party. Each has
// one text form, used in JSON, logs and diagrams.

// Status is where an order stands in its lifecycle (TR art.5).
type Status uint8

const (
	_                Status = iota // invalid
	PendingPayment                 // 待付款: created, not (fully) paid (ORD-5)
	Cancelled                      // 已取消: cancelled before payment (ORD-6, ORD-4)
	AwaitingShipment               // 待发货: paid, nothing shipped (ORD-7)
	PartiallyShipped               // 部分发货: some but not all lines shipped (ORD-12, ORD-11)
	Shipped                        // 已发货: every line shipped, escrow receipt not confirmed (ORD-8)
	Completed                      // 交易完成 (ORD-9)
	Closed                         // 已关闭: merchant cancelled or fully refunded (ORD-10)
)

var statusNames = enum.Names{"invalid", "pending_payment", "cancelled", "awaiting_shipment", "partially_shipped", "shipped", "completed", "closed"}

func (s Status) String() string { return enum.String(statusNames, s) }

// IsValid reports whether s is a Status other than the invalid zero.
func (s Status) IsValid() bool                { return enum.IsValid(statusNames, s) }
func (s Status) MarshalText() ([]byte, error) { return enum.Marshal(statusNames, s, "order: status") }
func (s *Status) UnmarshalText(b []byte) error {
	return enum.Unmarshal(statusNames, s, b, "order: status")
}

// Final reports whether s ends the lifecycle: Cancelled and Closed
// never change; Completed changes only to Closed, when a later refund
// covers every line (ORD-10).
func (s Status) Final() bool { return s == Cancelled || s == Completed || s == Closed }

// Mode is the payment mode of an order (ORD-13).
type Mode uint8

const (
	_      Mode = iota // invalid
	Escrow             // 担保支付: funds frozen until receipt is confirmed
	Direct             // 直接支付: funds settle to the merchant at once
)

var modeNames = enum.Names{"invalid", "escrow", "direct"}

func (m Mode) String() string { return enum.String(modeNames, m) }

// IsValid reports whether m is a Mode other than the invalid zero.
func (m Mode) IsValid() bool                 { return enum.IsValid(modeNames, m) }
func (m Mode) MarshalText() ([]byte, error)  { return enum.Marshal(modeNames, m, "order: mode") }
func (m *Mode) UnmarshalText(b []byte) error { return enum.Unmarshal(modeNames, m, b, "order: mode") }

// Kind is why an order was made as it was (ORD-2): a merged order of one
// store, or an order of its own for an item under special rules.
type Kind uint8

const (
	_           Kind = iota // invalid
	Ordinary                // the items of one store, merged
	Activity                // one marketing-activity item (ORD-2, ORD-4)
	Installment             // one credit-card-installment item (ORD-2)
	Presale                 // one presale item, paid in two stages (ORD-14)
)

var kindNames = enum.Names{"invalid", "ordinary", "activity", "installment", "presale"}

func (k Kind) String() string { return enum.String(kindNames, k) }

// IsValid reports whether k is a Kind other than the invalid zero.
func (k Kind) IsValid() bool                 { return enum.IsValid(kindNames, k) }
func (k Kind) MarshalText() ([]byte, error)  { return enum.Marshal(kindNames, k, "order: kind") }
func (k *Kind) UnmarshalText(b []byte) error { return enum.Unmarshal(kindNames, k, b, "order: kind") }

// InvoiceKind is the invoice an order asks for (ORD-3).
type InvoiceKind uint8

const (
	_           InvoiceKind = iota // invalid
	OrdinaryVAT                    // 增值税普通发票
	SpecialVAT                     // 增值税专用发票
)

var invoiceNames = enum.Names{"invalid", "ordinary_vat", "special_vat"}

func (k InvoiceKind) String() string { return enum.String(invoiceNames, k) }

// IsValid reports whether k is a InvoiceKind other than the invalid zero.
func (k InvoiceKind) IsValid() bool { return enum.IsValid(invoiceNames, k) }
func (k InvoiceKind) MarshalText() ([]byte, error) {
	return enum.Marshal(invoiceNames, k, "order: invoice kind")
}
func (k *InvoiceKind) UnmarshalText(b []byte) error {
	return enum.Unmarshal(invoiceNames, k, b, "order: invoice kind")
}

// Timer is the deadline an order waits for; an order waits for at most
// one at a time.
type Timer uint8

const (
	_              Timer = iota // invalid (and "none" in a State: Due is zero)
	PaymentTimeout              // ORD-4: unpaid → Cancelled
	DepositTimeout              // ORD-14: deposit unpaid → Cancelled
	BalanceTimeout              // ORD-14: balance unpaid → deposit refunded, Closed
	PresaleShip                 // ORD-14: shipping past the agreed time → notice
	AutoConfirm                 // ORD-9: escrow receipt confirmed automatically
)

var timerNames = enum.Names{"invalid", "payment_timeout", "deposit_timeout", "balance_timeout", "presale_ship", "auto_confirm"}

func (t Timer) String() string { return enum.String(timerNames, t) }

// IsValid reports whether t is a Timer other than the invalid zero.
func (t Timer) IsValid() bool                { return enum.IsValid(timerNames, t) }
func (t Timer) MarshalText() ([]byte, error) { return enum.Marshal(timerNames, t, "order: timer") }
func (t *Timer) UnmarshalText(b []byte) error {
	return enum.Unmarshal(timerNames, t, b, "order: timer")
}

// Stage is what a payment paid for.
type Stage uint8

const (
	_       Stage = iota // invalid
	Full                 // the whole order
	Deposit              // a presale deposit (ORD-14)
	Balance              // a presale balance (ORD-14)
)

var stageNames = enum.Names{"invalid", "full", "deposit", "balance"}

func (s Stage) String() string { return enum.String(stageNames, s) }

// IsValid reports whether s is a Stage other than the invalid zero.
func (s Stage) IsValid() bool                { return enum.IsValid(stageNames, s) }
func (s Stage) MarshalText() ([]byte, error) { return enum.Marshal(stageNames, s, "order: stage") }
func (s *Stage) UnmarshalText(b []byte) error {
	return enum.Unmarshal(stageNames, s, b, "order: stage")
}

// Party is who acts, pays or bears something.
type Party uint8

const (
	_        Party = iota // invalid
	Buyer                 // the buyer (consignee of an outbound parcel)
	Merchant              // the merchant (shipper of an outbound parcel)
	Platform              // the platform's staff
)

var partyNames = enum.Names{"invalid", "buyer", "merchant", "platform"}

func (p Party) String() string { return enum.String(partyNames, p) }

// IsValid reports whether p is a Party other than the invalid zero.
func (p Party) IsValid() bool                { return enum.IsValid(partyNames, p) }
func (p Party) MarshalText() ([]byte, error) { return enum.Marshal(partyNames, p, "order: party") }
func (p *Party) UnmarshalText(b []byte) error {
	return enum.Unmarshal(partyNames, p, b, "order: party")
}

// Cause is why a parcel could not be delivered (ORD-8).
type Cause uint8

const (
	_                     Cause = iota // invalid
	WrongAddress                       // the buyer's address or recipient details were wrong
	ChangedWithoutConsent              // the buyer changed them without the merchant's consent
	OtherCause                         // anything else (carrier, merchant)
)

var causeNames = enum.Names{"invalid", "wrong_address", "changed_without_consent", "other"}

func (c Cause) String() string { return enum.String(causeNames, c) }

// IsValid reports whether c is a Cause other than the invalid zero.
func (c Cause) IsValid() bool                { return enum.IsValid(causeNames, c) }
func (c Cause) MarshalText() ([]byte, error) { return enum.Marshal(causeNames, c, "order: cause") }
func (c *Cause) UnmarshalText(b []byte) error {
	return enum.Unmarshal(causeNames, c, b, "order: cause")
}

// Source is where money for a refund or a returned payment comes from.
type Source uint8

const (
	_            Source = iota // invalid
	FromEscrow                 // the order's frozen escrow funds
	FromMerchant               // the merchant's settled funds
)

var sourceNames = enum.Names{"invalid", "escrow", "merchant"}

func (s Source) String() string { return enum.String(sourceNames, s) }

// IsValid reports whether s is a Source other than the invalid zero.
func (s Source) IsValid() bool                { return enum.IsValid(sourceNames, s) }
func (s Source) MarshalText() ([]byte, error) { return enum.Marshal(sourceNames, s, "order: source") }
func (s *Source) UnmarshalText(b []byte) error {
	return enum.Unmarshal(sourceNames, s, b, "order: source")
}
