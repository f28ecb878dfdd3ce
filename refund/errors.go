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
