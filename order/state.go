package order

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/coupon"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/refund"
)

// State is one order: the aggregate of one trade. It holds the order's
// lines with their allocations, its payments, shipments, money ledger,
// its refund requests (package refund's State, run inside the order),
// the coupons it used, open complaints, lock and review, and the one
// deadline it waits for. It is a plain value that serialises to JSON as
// it is; the zero State is invalid (a State comes from
// [Machine.CheckoutAt]).
type State struct {
	Number   string `json:"number"`   // unique order number (ORD-1)
	Checkout string `json:"checkout"` // the cart it came from
	Store    string `json:"store"`
	Buyer    string `json:"buyer,omitempty"`
	Kind     Kind   `json:"kind"`
	Mode     Mode   `json:"mode"`
	Status   Status `json:"status"`
	// Version is the date of the order policy version in force at
	// CreatedAt; the order is judged by it for its whole life.
	Version   string    `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	// ActivityLimit is the activity's own payment limit (ORD-4); 0 for
	// an ordinary order.
	ActivityLimit time.Duration `json:"activity_limit,omitempty"`
	Lines         []Line        `json:"lines"`
	ShippingFee   Fen           `json:"shipping_fee"`
	Delivery      Delivery      `json:"delivery"`
	Invoice       Invoice       `json:"invoice"`
	Presale       *PresaleTerms `json:"presale,omitempty"`

	Payments  []Payment  `json:"payments,omitempty"`
	Shipments []Shipment `json:"shipments,omitempty"`

	// The ledger (ORD-13), in fen: Paid = Frozen + Settled + Refunded
	// at every instant.
	Paid     Fen `json:"paid"`
	Frozen   Fen `json:"frozen"`   // escrow funds held
	Settled  Fen `json:"settled"`  // funds with the merchant
	Refunded Fen `json:"refunded"` // funds back with the buyer
	// ShippingRefunded is the part of Refunded that refunded the shipping fee.
	ShippingRefunded Fen `json:"shipping_refunded"`

	// Timer and Due are the deadline the order waits for (zero Due:
	// none). While an auto-confirm countdown is paused by an open refund
	// request or complaint, Due is zero and Left holds what remains;
	// Original is the deadline before any pause (auto_confirm_extends =
	// false). The refund requests' and complaints' deadlines are in their
	// own states; [State.Next] is the earliest of all.
	Timer    Timer         `json:"timer,omitempty"`
	Due      time.Time     `json:"due,omitzero"`
	Left     time.Duration `json:"left,omitempty"`
	Original time.Time     `json:"original,omitzero"`
	// Refunds are the order's refund requests, run by package refund
	// inside the order ([Refund]); refund's facts ([refund.Order]) are
	// derived from this value on every call, never stored twice.
	Refunds refund.State `json:"refunds,omitzero"`
	// Complaints are the order's complaints and reports, run by package
	// dispute inside the order ([Complaint]); dispute's facts
	// ([dispute.Trade]) are derived from this value on every call. Its
	// lock is the order's while a complaint is at court (ORD-19).
	Complaints dispute.State `json:"complaints,omitzero"`
	// Redemption is the record of the coupons the order's lines used
	// (package coupon), given back by coupon's policy (CPN-6, CPN-7);
	// nil: no coupon of the order's own.
	Redemption *coupon.Redemption `json:"redemption,omitempty"`
	// Spend is the beans and points record of package points ([Pay]),
	// which gives them back on refunds (PTS-2); nil: none.
	Spend *points.Spend `json:"spend,omitempty"`

	PaidAt      time.Time `json:"paid_at,omitzero"`      // fully paid
	CompletedAt time.Time `json:"completed_at,omitzero"` // became Completed
	EndedAt     time.Time `json:"ended_at,omitzero"`     // became Cancelled or Closed
	Recycled    bool      `json:"recycled,omitempty"`    // in the recycle bin (ORD-6)
	Urged       int       `json:"urged,omitempty"`       // urge-shipment count (ORD-7)
	ShipLate    bool      `json:"ship_late,omitempty"`   // presale shipping passed the agreed time (ORD-14)
	Confirmed   bool      `json:"confirmed,omitempty"`   // the buyer confirmed receipt (ORD-9)

	Review *Review `json:"review,omitempty"`

	// Seq is the ID of the last effect issued; Last the latest instant
	// the machine was called at.
	Seq  uint64    `json:"seq"`
	Last time.Time `json:"last"`
}

// Line is one item of an order with what was allocated to it at checkout
// (money and units), so a refund never re-prorates (DESIGN: Money).
type Line struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Link     string `json:"link,omitempty"`
	Type     string `json:"type"` // item type: split shipment needs several (ORD-12)
	Price    Fen    `json:"price"`
	Quantity int    `json:"quantity"`
	Amount   Fen    `json:"amount"` // Price × Quantity
	// What checkout decided for the line (see [Alloc]): the coupons'
	// money discount, and the beans and comprehensive points paying part
	// of it as units and money value.
	Discount   Fen      `json:"discount"`
	Coupons    []string `json:"coupons,omitempty"`
	Beans      int64    `json:"beans,omitempty"`
	BeanValue  Fen      `json:"bean_value"`
	Points     int64    `json:"points,omitempty"`
	PointValue Fen      `json:"point_value"`
	// Shipment is the parcel the line shipped in (1-based); 0: unshipped.
	Shipment int `json:"shipment,omitempty"`
	// RefundedMoney is the money refunded for the line so far; Done: its
	// whole payment is refunded (the line is out of the order).
	Returns
	RefundedMoney Fen  `json:"refunded_money"`
	Done          bool `json:"done,omitempty"`
	Revoked       bool `json:"revoked,omitempty"` // refunded by a revocation (ORD-17)
}

// Returns are a line's facts for seven-day no-reason returns (RFD-5),
// passed to package refund as they are.
type Returns struct {
	NoReason   bool `json:"no_reason,omitempty"`   // supports no-reason returns (carries the label)
	CustomMade bool `json:"custom_made,omitempty"` // custom-made: never a no-reason return
	Excluded   bool `json:"excluded,omitempty"`    // category or agreement outside no-reason returns
}

// Alloc is what checkout decided for a cart item: the money discount of
// its coupons, the beans and comprehensive points that pay part of it, as
// units and money value. Beans and points are decided by package points,
// coupons by package coupon; the order stores the result on the line.
type Alloc struct {
	Discount   decimal.Decimal `json:"discount"`
	Coupons    []string        `json:"coupons,omitempty"`
	Beans      int64           `json:"beans,omitempty"`
	BeanValue  decimal.Decimal `json:"bean_value"`
	Points     int64           `json:"points,omitempty"`
	PointValue decimal.Decimal `json:"point_value"`
}

// Cash returns the money the buyer pays for the line: its amount net of
// its allocated discount, beans and points.
func (l Line) Cash() Fen { return l.Amount - l.Discount - l.BeanValue - l.PointValue }

// Delivery is where and to whom the order goes (ORD-3, ORD-8).
type Delivery struct {
	Recipient string `json:"recipient"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	// Changed is the instant of the last agreed change (ORD-8).
	Changed time.Time `json:"changed,omitzero"`
}

// Invoice is the invoice the order asks for (ORD-3).
type Invoice struct {
	Kind  InvoiceKind `json:"kind"`
	Title string      `json:"title,omitempty"`
	TaxID string      `json:"tax_id,omitempty"`
}

// Payment is one payment made for the order, with its payment number
// (ORD-3) and the way it was paid, by which refunds go back (RFD-4).
type Payment struct {
	Number string    `json:"number"`
	Stage  Stage     `json:"stage"`
	Amount Fen       `json:"amount"`
	At     time.Time `json:"at"`
	Via    Via       `json:"via"`
}

// Via is how a payment was made (RFD-4): the route and the paying
// account; a loan payment names the bank account bound to the loan.
type Via struct {
	Route        refund.Route `json:"route"`
	Account      string       `json:"account,omitempty"`
	BoundAccount string       `json:"bound_account,omitempty"`
}

// Shipment is one parcel: lines and logistics (ORD-3, ORD-12).
type Shipment struct {
	Lines    []string  `json:"lines"`
	Carrier  string    `json:"carrier"`
	Tracking string    `json:"tracking"`
	At       time.Time `json:"at"`
	// SignedAt is when the buyer signed for the parcel ([Sign]); zero:
	// not yet. Refund's no-reason window counts from it (RFD-5).
	SignedAt time.Time `json:"signed_at,omitzero"`
	// ThirdParty: a third party signed for the consignee; Authorised:
	// with the consignee's authorisation and both identities ([Sign],
	// ORD-18). A third party's signature without authorisation confirms
	// nothing.
	ThirdParty bool `json:"third_party,omitempty"`
	Authorised bool `json:"authorised,omitempty"`
	// Undelivered: the parcel was reported undeliverable (ORD-8).
	Undelivered bool `json:"undelivered,omitempty"`
}

// PresaleTerms are the merchant's terms of a presale item (ORD-14). The
// deposit is paid before DepositEnd, the balance in [BalanceStart,
// BalanceEnd), and the merchant ships within ShipWithin of full payment.
type PresaleTerms struct {
	Deposit      decimal.Decimal `json:"deposit"`
	DepositEnd   time.Time       `json:"deposit_end"`
	BalanceStart time.Time       `json:"balance_start"`
	BalanceEnd   time.Time       `json:"balance_end"`
	ShipWithin   time.Duration   `json:"ship_within"`
}

// Review is the buyer's review (ORD-20).
type Review struct {
	Ratings  Ratings   `json:"ratings"`
	Text     string    `json:"text,omitempty"`
	At       time.Time `json:"at"`
	Hidden   bool      `json:"hidden,omitempty"` // prohibited words: not displayed
	FollowUp *FollowUp `json:"follow_up,omitempty"`
}

// FollowUp is the one follow-up review (ORD-20).
type FollowUp struct {
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	Hidden bool      `json:"hidden,omitempty"`
}

// Ratings are the four five-star dimensions of a review, each 1 (very
// dissatisfied) to 5 (very satisfied) (ORD-20).
type Ratings struct {
	Description    int `json:"description"`
	Attitude       int `json:"attitude"`
	ShippingSpeed  int `json:"shipping_speed"`
	LogisticsSpeed int `json:"logistics_speed"`
}

// PaymentNumber returns the number of the last payment ("" before payment) (ORD-3).
func (s State) PaymentNumber() string {
	if len(s.Payments) == 0 {
		return ""
	}
	return s.Payments[len(s.Payments)-1].Number
}

// Payable returns what the buyer pays in cash for the whole order: the
// lines' cash plus the shipping fee.
func (s State) Payable() Fen {
	t := s.ShippingFee
	for _, l := range s.Lines {
		t += l.Cash()
	}
	return t
}

// Next returns the instant the host should wake the order at (zero:
// nothing to wake for): the earlier of the order's own deadline and its
// refund requests' earliest. A locked order has none (ORD-19).
func (s State) Next() time.Time { return s.next() }

func (s *State) next() time.Time {
	if s.Complaints.Locked() {
		return time.Time{}
	}
	next := s.Due
	for _, r := range [2]time.Time{s.Refunds.Next(), s.Complaints.Next()} {
		if !r.IsZero() && (next.IsZero() || r.Before(next)) {
			next = r
		}
	}
	return next
}

// Open reports whether a refund request or complaint is open (ORD-9).
func (s State) Open() bool { return s.open() }

func (s *State) open() bool {
	return s.refundOpen() || s.Complaints.OpenComplaints() > 0
}

// RefundOpen reports whether a refund request of the order is open, or
// holds the funds for a suspected crime (RFD-8: the platform keeps them,
// so the escrow is not released while it does).
func (s State) RefundOpen() bool { return s.refundOpen() }

func (s *State) refundOpen() bool {
	for i := range s.Refunds.Requests {
		if st := s.Refunds.Requests[i].Status; !st.Final() || st == refund.Held {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of s: nothing it holds is shared with s.
func (s State) Clone() State {
	c := s
	c.Lines = slices.Clone(s.Lines)
	for i := range c.Lines {
		c.Lines[i].Coupons = slices.Clone(c.Lines[i].Coupons)
	}
	c.Payments = slices.Clone(s.Payments)
	c.Shipments = slices.Clone(s.Shipments)
	for i := range c.Shipments {
		c.Shipments[i].Lines = slices.Clone(c.Shipments[i].Lines)
	}
	c.Refunds = s.Refunds.Clone()
	c.Complaints = s.Complaints.Clone()
	if s.Redemption != nil {
		r := cloneRedemption(*s.Redemption)
		c.Redemption = &r
	}
	if s.Spend != nil {
		sp := s.Spend.Clone()
		c.Spend = &sp
	}
	if s.Presale != nil {
		p := *s.Presale
		c.Presale = &p
	}
	if s.Review != nil {
		r := *s.Review
		if r.FollowUp != nil {
			f := *r.FollowUp
			r.FollowUp = &f
		}
		c.Review = &r
	}
	return c
}

// clip makes s, a copy of a caller's State, share its slices' elements
// with the original without being able to append into its arrays (every
// slice is clipped). A transaction works on it and copies a slice before
// it changes an element in place ([tx.ownLines], [tx.ownShipments]).
func (s *State) clip() {
	s.Lines = slices.Clip(s.Lines)
	s.Payments = slices.Clip(s.Payments)
	s.Shipments = slices.Clip(s.Shipments)
}

// line returns the index of the line with the given ID, or -1.
func (s *State) line(id string) int {
	for i := range s.Lines {
		if s.Lines[i].ID == id {
			return i
		}
	}
	return -1
}

func cloneRedemption(r coupon.Redemption) coupon.Redemption {
	r.Coupons = slices.Clone(r.Coupons)
	for i := range r.Coupons {
		c := &r.Coupons[i]
		c.Orders, c.Released = slices.Clone(c.Orders), slices.Clone(c.Released)
	}
	return r
}
