package coupon

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/enum"
)

// Kind is the kind of a coupon (TR art.3 §4). The zero value is not a
// valid kind.
type Kind uint8

const (
	KindInvalid Kind = iota // the zero Kind: not a valid kind
	General                 // 通用券: any line of one order
	Targeted                // 定向券: the lines of the items or categories it names; threshold or threshold-free
	Shop                    // 商铺券: the lines of its store
	CrossStore              // 跨店满减券: the lines of several stores of one checkout
)

var kindNames = enum.Names{"invalid", "general", "targeted", "shop", "cross_store"}

// String returns the kind's JSON name ("invalid" for the zero Kind).
func (k Kind) String() string { return enum.String(kindNames, k) }

// IsValid reports whether k is one of the four kinds.
func (k Kind) IsValid() bool { return enum.IsValid(kindNames, k) }

// MarshalText encodes the kind by name; an invalid kind is an error.
func (k Kind) MarshalText() ([]byte, error) { return enum.Marshal(kindNames, k, "coupon: kind") }

// UnmarshalText decodes a kind name, spelled exactly.
func (k *Kind) UnmarshalText(b []byte) error {
	return enum.Unmarshal(kindNames, k, b, "coupon: kind")
}

// Status is where a coupon is in its life. The zero value is not a
// valid status: a wallet coupon always says which it is in.
type Status uint8

const (
	StatusInvalid Status = iota // the zero Status: not a valid status
	Available                   // may be used
	Used                        // used in an order (UsedIn names it); given back per CPN-6/7
	Frozen                      // frozen by the platform (CPN-1)
	Voided                      // voided by the platform (CPN-1)
	Unusable                    // given back after its expiry (CPN-7): kept, never usable again
)

var statusNames = enum.Names{"invalid", "available", "used", "frozen", "voided", "unusable"}

// String returns the status's JSON name ("invalid" for the zero Status).
func (s Status) String() string { return enum.String(statusNames, s) }

// IsValid reports whether s is one of the five statuses.
func (s Status) IsValid() bool { return enum.IsValid(statusNames, s) }

// MarshalText encodes the status by name; an invalid status is an error.
func (s Status) MarshalText() ([]byte, error) {
	return enum.Marshal(statusNames, s, "coupon: status")
}

// UnmarshalText decodes a status name, spelled exactly.
func (s *Status) UnmarshalText(b []byte) error {
	return enum.Unmarshal(statusNames, s, b, "coupon: status")
}

// Line is one line of a cart: an item of a store and its amount (price ×
// quantity, before coupons), in yuan with at most two decimal places.
// The cart's orders are its stores: the lines of one store form one
// order (ORD-2; an order package that splits a store further calls this
// package once per order).
type Line struct {
	ID       string          `json:"id"`
	Store    string          `json:"store"`
	Item     string          `json:"item"`
	Category string          `json:"category,omitempty"`
	Amount   decimal.Decimal `json:"amount"`
}

// Cart is one checkout: the buyer and the lines of every store.
type Cart struct {
	Buyer string `json:"buyer"`
	Lines []Line `json:"lines"`
}

// Coupon is one coupon of a buyer's wallet.
//
// What it covers depends on its kind: a General coupon covers every line
// of the order it is used in; a Shop coupon every line of Store; a
// Targeted coupon the lines of Store whose item is in Items or whose
// category is in Categories; a CrossStore coupon every line of the stores
// in Stores (all the cart's stores when Stores is empty).
//
// A zero Threshold means none. A zero ValidFrom means valid from the
// start; a zero ValidUntil means it never expires. The coupon is valid
// at instants t with ValidFrom <= t < ValidUntil.
type Coupon struct {
	ID         string          `json:"id"`
	Owner      string          `json:"owner"`
	Kind       Kind            `json:"kind"`
	Face       decimal.Decimal `json:"face"`
	Threshold  decimal.Decimal `json:"threshold"`
	Store      string          `json:"store,omitempty"`
	Stores     []string        `json:"stores,omitempty"`
	Items      []string        `json:"items,omitempty"`
	Categories []string        `json:"categories,omitempty"`
	ValidFrom  time.Time       `json:"valid_from,omitzero"`
	ValidUntil time.Time       `json:"valid_until,omitzero"`
	Status     Status          `json:"status"`
	// UsedIn names the orders a Used coupon was used in (one; several
	// for a cross-store coupon), as [MarkUsed] set it. A give-back
	// ([GiveBackCoupons.Apply]) names one of them, so an act about an
	// earlier use never releases the coupon from a later one.
	UsedIn []string `json:"used_in,omitempty"`
}

// HasThreshold reports whether the coupon has a threshold (满减).
func (c *Coupon) HasThreshold() bool { return c.Threshold.IsPositive() }

// Wallet is a buyer's coupons.
type Wallet struct {
	Owner   string   `json:"owner"`
	Coupons []Coupon `json:"coupons"`
}

// Use is one coupon of a combination. Store names the order (store) a
// General coupon is used in; it may be left empty when the cart has one
// store. For the other kinds it must be empty or equal to the coupon's
// own store.
type Use struct {
	Coupon string `json:"coupon"`
	Store  string `json:"store,omitempty"`
}

// Sentinels of refused coupons and combinations. A *rules.RuleError wraps
// one of them and carries the rule ID.
var (
	ErrNotOwner        = errors.New("coupon: not the owner's coupon")              // CPN-1
	ErrNotAvailable    = errors.New("coupon: coupon frozen, voided or used")       // CPN-1
	ErrExpired         = errors.New("coupon: coupon expired")                      // CPN-7
	ErrNotYetValid     = errors.New("coupon: coupon not yet valid")                // CPN-7
	ErrUnknownCoupon   = errors.New("coupon: no such coupon in the wallet")        // CPN-1
	ErrDuplicate       = errors.New("coupon: coupon used twice")                   // CPN-4
	ErrWrongOrder      = errors.New("coupon: coupon cannot be used in that order") // CPN-4
	ErrNoEligibleLine  = errors.New("coupon: coupon covers no line of the cart")   // CPN-4
	ErrThresholdNotMet = errors.New("coupon: threshold not met")                   // CPN-3, CPN-5
	ErrIncompatible    = errors.New("coupon: coupons cannot be combined")          // CPN-2, CPN-3, CPN-5
	ErrTooMany         = errors.New("coupon: too many coupons of a kind")          // CPN-3, CPN-5
	ErrNoGain          = errors.New("coupon: coupon adds no discount")             // CPN-4
	// ErrInvalid is wrapped by every error about malformed input: bad
	// JSON, a malformed cart, wallet or stored record, an invalid enum
	// value. Such an error is never a *rules.RuleError.
	ErrInvalid = errors.New("coupon: invalid input")
)
