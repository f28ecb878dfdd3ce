package coupon

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Act is one thing the host carries out; a sealed interface. The
// package's one act is [GiveBackCoupons].
type Act interface {
	Kind() string // stable, unique across the library: "give_back_coupons"
	act()
}

// Effect is an act with its envelope: what the host writes to its outbox
// with the state that produced it, and carries out exactly once.
type Effect struct {
	ID   uint64    `json:"id"`   // unique within the redemption, increasing (Redemption.Seq is the last issued)
	At   time.Time `json:"at"`   // UTC instant it took effect
	Rule string    `json:"rule"` // rule ID that requires it
	Act  Act       `json:"-"`    // JSON: flattened with "type"
}

// Kind returns the act's kind, "" for none.
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

var acts = wire.NewUnion[Act]("coupon effect", Act.Kind, GiveBackCoupons{})

// MarshalJSON writes {"id":1,"at":"…","rule":"CPN-6","type":"give_back_coupons",…}.
func (e Effect) MarshalJSON() ([]byte, error) {
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON reads what MarshalJSON writes, strictly; errors wrap
// [ErrInvalid].
func (e *Effect) UnmarshalJSON(data []byte) error {
	st, act, err := acts.DecodeStamped(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if v, ok := act.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return err
		}
	}
	*e = Effect{ID: st.ID, At: st.At, Rule: st.Rule, Act: act}
	return nil
}

// DecodeEffect decodes one stored effect strictly. Every error wraps
// [ErrInvalid].
func DecodeEffect(data []byte) (Effect, error) {
	var e Effect
	err := e.UnmarshalJSON(data)
	return e, err
}

// GiveBackCoupons (kind "give_back_coupons", rule CPN-6 for a refund,
// CPN-7 for a cancel) gives coupons back to the buyer: each usable again
// or kept unusable, as CPN-7 decided at the effect's instant.
type GiveBackCoupons struct {
	Order   string           `json:"order"`  // the order whose cancel or refund released the coupons
	Reason  Reason           `json:"reason"` // why
	Coupons []ReturnedCoupon `json:"coupons"`
}

// ReturnedCoupon is one coupon given back.
type ReturnedCoupon struct {
	Coupon string `json:"coupon"`
	// Usable: given back before its expiry, so [Available] again;
	// false: expired, so [Unusable] (kept, never usable again).
	Usable bool `json:"usable"`
}

func (a GiveBackCoupons) validate() error {
	if a.Order == "" || !a.Reason.IsValid() || len(a.Coupons) == 0 {
		return fmt.Errorf("%w: give_back_coupons: want an order, a valid reason and coupons", ErrInvalid)
	}
	for _, c := range a.Coupons {
		if c.Coupon == "" {
			return fmt.Errorf("%w: give_back_coupons: a coupon with no id", ErrInvalid)
		}
	}
	return nil
}

// Kind returns "give_back_coupons".
func (GiveBackCoupons) Kind() string { return "give_back_coupons" }
func (GiveBackCoupons) act()         {}

// ApplyTo returns the wallet with the act carried out: each listed coupon
// that is Used in the act's order becomes Available or Unusable. Other
// coupons, and a coupon that is no longer used in that order (already
// given back, or used again since), are left as they are, so applying a
// redelivered act changes nothing. w is not modified.
func (a GiveBackCoupons) ApplyTo(w Wallet) Wallet {
	w.Coupons = slices.Clone(w.Coupons)
	for i := range w.Coupons {
		c := &w.Coupons[i]
		if c.Status != Used || !slices.Contains(c.UsedIn, a.Order) {
			continue
		}
		for _, r := range a.Coupons {
			if r.Coupon != c.ID {
				continue
			}
			c.Status, c.UsedIn = Unusable, nil
			if r.Usable {
				c.Status = Available
			}
		}
	}
	return w
}
