package refund

import "errors"

// Sentinels for refused events. Every refusal is a *rules.RuleError that
// wraps one of them and names the rule; branch with errors.Is.
var (
	ErrNotAllowed     = errors.New("refund: event not allowed in this status")
	ErrFinal          = errors.New("refund: request is final")
	ErrNoRequest      = errors.New("refund: no such request")
	ErrBadRequest     = errors.New("refund: malformed request")
	ErrLineBusy       = errors.New("refund: line already in an open request")
	ErrExceedsPaid    = errors.New("refund: amount exceeds what was paid")
	ErrNotShipped     = errors.New("refund: goods not shipped")
	ErrNotEligible    = errors.New("refund: item does not support no-reason returns")
	ErrExcluded       = errors.New("refund: item excluded from no-reason returns")
	ErrNotSigned      = errors.New("refund: goods not signed for")
	ErrWindowClosed   = errors.New("refund: return window closed")
	ErrCannotRefuse   = errors.New("refund: merchant may not refuse")
	ErrVoucherTooLate = errors.New("refund: shipping voucher not dated before the request")
	ErrBadOrder       = errors.New("refund: malformed order")
)

// ErrInvalidState is wrapped by the error [Machine.Apply] returns for a
// State that fails [State.Validate]: one this package could not have
// produced (a corrupt or hand-edited row, an unknown status, a deadline
// on a final request, an item naming a missing line, money that does not
// add up). It is not a refusal by a rule, so it is a plain wrapped error,
// not a *rules.RuleError; the detail names the request and the fault.
var ErrInvalidState = errors.New("refund: invalid state")

// ErrPolicy is wrapped by the error [Machine.Apply] returns when a
// threshold of the policy cannot be evaluated or gives a window that is
// not a period: a negative duration, which package rules accepts in an
// expression such as duration("-1h"). [Machine.Advance] returns such a
// state unchanged with a note. A set loaded against [Schema] holds only
// constant thresholds, folded at load, so evaluation itself does not
// fail; it is reported rather than assumed away.
var ErrPolicy = errors.New("refund: unusable policy")
