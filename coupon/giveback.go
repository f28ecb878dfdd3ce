package coupon

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/enum"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Reason is why an order's coupons may go back to the buyer. The zero
// value is not a valid reason.
type Reason uint8

const (
	ReasonInvalid Reason = iota // the zero Reason: not a valid reason
	Cancel                      // the order was cancelled (CPN-7; give_back_on_cancel)
	FullRefund                  // a refund completed and every line of the order is now refunded in full (CPN-6; give_back_on_full_refund)
	PartialRefund               // a refund completed that leaves part of the order paid (CPN-6; give_back_on_partial_refund)
)

var reasonNames = enum.Names{"invalid", "cancel", "full_refund", "partial_refund"}

// String returns the reason's JSON name ("invalid" for the zero Reason).
func (r Reason) String() string { return enum.String(reasonNames, r) }

// IsValid reports whether r is one of the three reasons.
func (r Reason) IsValid() bool { return enum.IsValid(reasonNames, r) }

// MarshalText encodes the reason by name; an invalid reason is an error.
func (r Reason) MarshalText() ([]byte, error) {
	return enum.Marshal(reasonNames, r, "coupon: reason")
}

// UnmarshalText decodes a reason name, spelled exactly.
func (r *Reason) UnmarshalText(b []byte) error {
	return enum.Unmarshal(reasonNames, r, b, "coupon: reason")
}

// Redemption is the record of the coupons one checkout used: the state
// that [Engine.GiveBack] reads and returns. The host makes it once at
// payment with [Allocation.Redemption], stores it with the checkout (on
// the order itself when the checkout has one order), and replaces it by
// every GiveBack's result in the same transaction as the result's
// effects. A coupon goes back when its last order is released and never
// again: the record says which orders are released, so a second
// cancel or refund of an order, or a redelivered one, finds nothing to
// give back.
type Redemption struct {
	// Version is the date of the coupon policy version in force at At,
	// the checkout instant (UTC): every give-back is judged by it
	// (rules.Set.Pin), whatever versions the host loads later.
	Version string    `json:"version"`
	At      time.Time `json:"at"`
	// Seq is the ID of the last effect issued; the next is Seq+1.
	Seq     uint64     `json:"seq"`
	Coupons []Redeemed `json:"coupons"`
}

// Redeemed is one coupon a checkout used.
type Redeemed struct {
	Coupon string `json:"coupon"`
	Kind   Kind   `json:"kind"`
	// ValidUntil is its expiry (UTC; zero: none): given back before it,
	// it can be used again; at or after it, it cannot (CPN-7).
	ValidUntil time.Time `json:"valid_until,omitzero"`
	// Orders are the orders (stores, ORD-2) it was used in: one, or the
	// orders a cross-store coupon was apportioned over (CPN-5).
	Orders []string `json:"orders"`
	// Released are the orders of Orders that were cancelled or fully
	// refunded, in that sequence. The coupon was given back when the
	// last of Orders was released (cross-store reading: a coupon has no
	// partial refund of its value, CPN-7, so it goes back only when no
	// order keeps any of it).
	Released []string `json:"released,omitempty"`
}

// Back reports whether the coupon has been given back: every order it
// was used in is released.
func (r *Redeemed) Back() bool { return len(r.Released) == len(r.Orders) }

// Redemption returns the record of the allocation's coupons for
// [Engine.GiveBack]: its pinned Version and At, and per coupon its kind,
// expiry and orders (its allocation's stores). A host whose order IDs
// differ from store names rewrites Orders before storing it.
func (a Allocation) Redemption() Redemption {
	r := Redemption{Version: a.Version, At: a.At, Coupons: []Redeemed{}}
	for _, cd := range a.Coupons {
		rd := Redeemed{Coupon: cd.Coupon, Kind: cd.Kind, ValidUntil: cd.ValidUntil}
		for _, s := range cd.Stores {
			rd.Orders = append(rd.Orders, s.Store)
		}
		r.Coupons = append(r.Coupons, rd)
	}
	return r
}

// Validate reports whether r is a redemption GiveBack accepts (the error
// wraps [ErrInvalid]): a version, an instant, and per coupon a unique
// non-empty ID, a valid kind, at least one order, orders unique, released
// orders among them and unique; every instant UTC with no monotonic
// reading.
func (r *Redemption) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: redemption: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if r.Version == "" {
		return bad("no policy version")
	}
	if r.At.IsZero() || !isUTC(r.At) {
		return bad("checkout instant %v is zero or not UTC", r.At)
	}
	seen := map[string]bool{}
	for i := range r.Coupons {
		c := &r.Coupons[i]
		switch {
		case c.Coupon == "" || seen[c.Coupon]:
			return bad("coupon %d: empty or duplicate id %q", i, c.Coupon)
		case !c.Kind.IsValid():
			return bad("coupon %s: invalid kind %d", c.Coupon, uint8(c.Kind))
		case !c.ValidUntil.IsZero() && !isUTC(c.ValidUntil):
			return bad("coupon %s: expiry %v not UTC", c.Coupon, c.ValidUntil)
		case len(c.Orders) == 0:
			return bad("coupon %s: used in no order", c.Coupon)
		case len(c.Released) > len(c.Orders):
			return bad("coupon %s: more orders released than used", c.Coupon)
		}
		seen[c.Coupon] = true
		for j, o := range c.Orders {
			if o == "" || slices.Contains(c.Orders[:j], o) {
				return bad("coupon %s: empty or duplicate order %q", c.Coupon, o)
			}
		}
		for j, o := range c.Released {
			if !slices.Contains(c.Orders, o) || slices.Contains(c.Released[:j], o) {
				return bad("coupon %s: released order %q not among its orders, or twice", c.Coupon, o)
			}
		}
	}
	return nil
}

func isUTC(t time.Time) bool { return t.Location() == time.UTC && t == t.Round(0) }

// DecodeRedemption decodes a stored redemption strictly and validates it.
// Every error wraps [ErrInvalid].
func DecodeRedemption(data []byte) (Redemption, error) {
	var r Redemption
	if err := decode(data, &r, "redemption"); err != nil {
		return Redemption{}, err
	}
	if err := r.Validate(); err != nil {
		return Redemption{}, err
	}
	return r, nil
}

// GiveBackResult is what a give-back decided. It round-trips through
// JSON; store Redemption and carry out Effects in one transaction.
type GiveBackResult struct {
	// Redemption is the input, updated: the order released where the
	// policy gives coupons back for the reason. Always a value the host
	// may store.
	Redemption Redemption `json:"redemption"`
	// Effects holds at most one give_back_coupons effect.
	Effects []Effect `json:"effects,omitempty"`
	// Decisions say why, with the rule IDs and the pinned version.
	Decisions []rules.Decision `json:"decisions,omitempty"`
}

// GiveBack decides, at instant now, what the cancel or a completed
// refund of order gives back of the coupons of redemption r (CPN-6,
// CPN-7), under the policy version r pins (rules.Set.Pin(r.Version,
// r.At)), never the version in force at now:
//
//   - Cancel gives back when give_back_on_cancel (default true);
//     FullRefund (the order's every line now refunded in full, as a
//     refund reports it) when give_back_on_full_refund (true);
//     PartialRefund when give_back_on_partial_refund (false: a coupon
//     has no partial refund of its value).
//   - Where it gives back, order is released for every coupon used in
//     it; a coupon whose every order is now released goes back, in one
//     give_back_coupons effect at now: usable again if now is before its
//     ValidUntil, kept unusable (expired) otherwise (CPN-7).
//   - A coupon already given back, or an order already released, gives
//     nothing again; an order that used no coupon gives nothing.
//
// The input is not modified. Errors: r invalid, r not a valid reason, a
// zero now or one before r.At wrap [ErrInvalid]; a pinned version the
// policy set no longer holds wraps [ErrPolicy] (and rules.ErrUnknown). On
// an error the result holds r unchanged.
func (e *Engine) GiveBack(r Redemption, order string, why Reason, now time.Time) (GiveBackResult, error) {
	res := GiveBackResult{Redemption: r.clone()}
	if err := r.Validate(); err != nil {
		return res, err
	}
	if !why.IsValid() {
		return res, fmt.Errorf("%w: give-back reason %d: want cancel, full_refund or partial_refund", ErrInvalid, uint8(why))
	}
	if now.IsZero() || now.Before(r.At) {
		return res, fmt.Errorf("%w: give-back at %v, before the checkout at %v", ErrInvalid, now, r.At)
	}
	now = now.Round(0).UTC()
	v, err := e.set.Pin(r.Version, r.At)
	if err != nil {
		return res, fmt.Errorf("%w: give-back: %w", ErrPolicy, err)
	}
	key, rule := keyBackOnCancel, "CPN-7"
	switch why {
	case FullRefund:
		key, rule = keyBackOnFull, "CPN-6"
	case PartialRefund:
		key, rule = keyBackOnPartial, "CPN-6"
	}
	back, dec, err := rules.Explain(v, key)
	if err != nil { // cannot happen: New checked every version
		return res, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	var act GiveBackCoupons
	red := &res.Redemption
	for i := range red.Coupons {
		c := &red.Coupons[i]
		if !slices.Contains(c.Orders, order) || slices.Contains(c.Released, order) {
			continue
		}
		if len(res.Decisions) == 0 {
			res.Decisions = append(res.Decisions, dec)
		}
		if !back {
			continue
		}
		c.Released = append(c.Released, order)
		if !c.Back() {
			res.Decisions = append(res.Decisions, rules.Decision{Rule: "CPN-7", Policy: v.Policy(), Version: v.Date(),
				Note: "coupon " + c.Coupon + " stays used: other orders it was used in are not released"})
			continue
		}
		usable := c.ValidUntil.IsZero() || now.Before(c.ValidUntil)
		act.Coupons = append(act.Coupons, ReturnedCoupon{Coupon: c.Coupon, Usable: usable})
		note := " given back within its validity: it can be used again"
		if !usable {
			note = " given back at or after its expiry: it cannot be used again"
		}
		res.Decisions = append(res.Decisions, rules.Decision{Rule: "CPN-7", Policy: v.Policy(), Version: v.Date(), Note: "coupon " + c.Coupon + note})
	}
	if len(act.Coupons) > 0 {
		act.Order, act.Reason = order, why
		red.Seq++
		res.Effects = []Effect{{ID: red.Seq, At: now, Rule: rule, Act: act}}
	}
	return res, nil
}

func (r Redemption) clone() Redemption {
	r.Coupons = slices.Clone(r.Coupons)
	for i := range r.Coupons {
		c := &r.Coupons[i]
		c.Orders, c.Released = slices.Clone(c.Orders), slices.Clone(c.Released)
	}
	return r
}

// MarkUsed returns c as used in the given orders (one order; the orders
// of the checkout a cross-store coupon was apportioned over): what the
// wallet's host does at payment. Only an Available coupon can be used
// (CPN-1).
func MarkUsed(c Coupon, orders ...string) (Coupon, error) {
	if c.Status != Available {
		return c, rules.Refuse("CPN-1", ErrNotAvailable, "coupon %s is %s", c.ID, c.Status)
	}
	if len(orders) == 0 {
		return c, fmt.Errorf("%w: MarkUsed: coupon %s: no order given", ErrInvalid, c.ID)
	}
	c.Status = Used
	c.UsedIn = slices.Clone(orders)
	return c, nil
}

// DecodeGiveBackResult decodes a stored GiveBackResult strictly: its
// redemption must be valid and its effects well formed. Every error
// wraps [ErrInvalid].
func DecodeGiveBackResult(data []byte) (GiveBackResult, error) {
	var r GiveBackResult
	if err := decode(data, &r, "give-back result"); err != nil {
		return GiveBackResult{}, err
	}
	if err := r.Redemption.Validate(); err != nil {
		return GiveBackResult{}, err
	}
	return r, nil
}
