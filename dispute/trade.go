package dispute

import (
	"fmt"
	"time"
)

// Trade is what a complaint needs to know about the trade it is about
// (DSP-2, DSP-3). It belongs to whoever holds the trade — package order
// keeps it in its own trade value — and is passed to every call: this
// package never stores a copy and never changes it.
//
// The zero Trade is "no trade on the platform": a complaint filed with
// it is refused for the missing item [OnPlatform] (DSP-2). A host whose
// State holds only reports passes the zero Trade.
type Trade struct {
	// ID is the order number.
	ID string `json:"id"`
	// Status is where the order stands.
	Status TradeStatus `json:"status"`
	// PaidAt is the instant payment succeeded; required unless Unpaid
	// (a Cancelled or Closed order may have none).
	PaidAt time.Time `json:"paid_at,omitzero"`
	// CompletedAt is the instant the trade completed (交易完成);
	// required when Completed, kept when a completed trade was later
	// Closed, zero otherwise.
	CompletedAt time.Time `json:"completed_at,omitzero"`
}

// IsZero reports whether t is the zero Trade.
func (t Trade) IsZero() bool {
	// t == Trade{}, field by field (see State.Locked).
	return t.ID == "" && t.Status == 0 && t.PaidAt == (time.Time{}) && t.CompletedAt == (time.Time{})
}

// Validate returns nil if t is the zero Trade or its facts agree, and
// otherwise an error wrapping [ErrInvalid].
func (t Trade) Validate() error {
	if t.IsZero() {
		return nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: trade %q: %s", ErrInvalid, t.ID, fmt.Sprintf(format, args...))
	}
	switch {
	case t.ID == "":
		return bad("no order number")
	case !t.Status.IsValid():
		return bad("status %v", t.Status)
	case t.Status == Unpaid && !t.PaidAt.IsZero():
		return bad("unpaid with a payment instant")
	case (t.Status == InProgress || t.Status == Completed) && t.PaidAt.IsZero():
		return bad("%v without a payment instant", t.Status)
	case t.Status == Completed && t.CompletedAt.IsZero():
		return bad("completed without a completion instant")
	case !t.CompletedAt.IsZero() && t.Status != Completed && t.Status != Closed:
		return bad("%v with a completion instant", t.Status)
	case !t.CompletedAt.IsZero() && t.CompletedAt.Before(t.PaidAt):
		return bad("completed before it was paid")
	}
	return nil
}
