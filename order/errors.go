package order

import (
	"errors"
	"strings"
)

// Sentinels for refused events and checkouts. Every refusal is a
// *rules.RuleError that wraps one of them and names the rule; branch with
// errors.Is.
var (
	ErrNotAllowed    = errors.New("order: event not allowed in this status")
	ErrOutOfStock    = errors.New("order: out of stock")
	ErrDuplicate     = errors.New("order: order number repeated")
	ErrAmount        = errors.New("order: amount does not match what is due")
	ErrNoConsent     = errors.New("order: the merchant has not consented")
	ErrShipped       = errors.New("order: line already shipped")
	ErrSplit         = errors.New("order: an order of a single item type ships at once")
	ErrRefunded      = errors.New("order: line refunded")
	ErrExceedsPaid   = errors.New("order: refund exceeds what was paid")
	ErrWindowClosed  = errors.New("order: window closed")
	ErrWindowNotOpen = errors.New("order: window not open yet")
	ErrLocked        = errors.New("order: order is locked")
	ErrNotEligible   = errors.New("order: not eligible")
	ErrReviewed      = errors.New("order: already reviewed")
	ErrTime          = errors.New("order: event time missing, before the order or later than now")
)

// ErrInvalid is wrapped by the error for malformed or invalid input: bad
// JSON, a stored State that fails [State.Validate], a cart with bad money
// or an invalid enum, an event with a missing field. It is not a rule's
// refusal, so it is a plain wrapped error, never a *rules.RuleError.
var ErrInvalid = errors.New("order: invalid input")

// ErrClockBehind is wrapped by the error [Machine.ApplyAt] returns for an
// instant earlier than the state's last instant ([State.Last]).
var ErrClockBehind = errors.New("order: clock behind the state")

// ErrPolicy is wrapped by the error for a policy the machine cannot use: a
// threshold that does not evaluate or is out of range, or a pinned version
// ([State.Version]) the set no longer holds. The state is left unchanged.
var ErrPolicy = errors.New("order: unusable policy")

// OutOfStock lists every cart item whose stock does not cover its quantity
// (ORD-1). It is the Err of the *rules.RuleError a checkout returns, and
// errors.Is(err, ErrOutOfStock) holds for it.
type OutOfStock struct {
	Items []string // cart item IDs, in cart order
}

func (e *OutOfStock) Error() string {
	return ErrOutOfStock.Error() + ": " + strings.Join(e.Items, ", ")
}

// Is reports whether target is ErrOutOfStock.
func (e *OutOfStock) Is(target error) bool { return target == ErrOutOfStock }
