package refund

import "errors"

// Sentinels for refused events. Every refusal is a *rules.RuleError that
// wraps one of them and names the rule; branch with errors.Is, show the
// rule with errors.As. Their text is stable.
var (
	ErrNotAllowed     = errors.New("refund: event not allowed in this status")
	ErrFinal          = errors.New("refund: request is final")
	ErrNoRequest      = errors.New("refund: no such request")
	ErrBadRequest     = errors.New("refund: request refused by its rule")
	ErrLineBusy       = errors.New("refund: line already in an open request")
	ErrExceedsPaid    = errors.New("refund: amount exceeds what was paid")
	ErrNotShipped     = errors.New("refund: goods not shipped")
	ErrNotEligible    = errors.New("refund: item does not support no-reason returns")
	ErrExcluded       = errors.New("refund: item excluded from no-reason returns")
	ErrNotSigned      = errors.New("refund: goods not signed for")
	ErrWindowClosed   = errors.New("refund: return window closed")
	ErrCannotRefuse   = errors.New("refund: merchant may not refuse")
	ErrVoucherTooLate = errors.New("refund: shipping voucher not dated before the request")
	ErrTimeAfterNow   = errors.New("refund: instant later than now")
)

// ErrInvalid is wrapped by every error for malformed or invalid input: a
// State that fails [State.Validate] (one this package could not have
// produced), an Order with bad money or contradictory facts, an event
// that is nil or has an invalid enumeration value, an unknown line or an
// amount that is not a valid amount of money, and every decoding error.
// It is a plain wrapped error, never a *rules.RuleError: no rule refused
// anything. The text says "refund: <what>: <problem>".
var ErrInvalid = errors.New("refund: invalid input")

// ErrClockBehind is wrapped by the error [Machine.ApplyAt] returns for an
// instant earlier than the state's last transition ([State.At]);
// [Machine.AdvanceAt] then changes nothing.
var ErrClockBehind = errors.New("refund: clock behind the state")

// ErrPolicy is wrapped by the error [Machine.ApplyAt] returns when the
// version a request is pinned to is no longer in the machine's policy set
// (the host dropped it: the request is never silently judged by another
// version), or a threshold cannot be evaluated. [Machine.AdvanceAt]
// returns such a state unchanged with a note.
var ErrPolicy = errors.New("refund: unusable policy")
