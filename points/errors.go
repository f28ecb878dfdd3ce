package points

import (
	"errors"
	"fmt"
)

// Sentinels of refused choices and events. A refusal is a *rules.RuleError
// that wraps one of them and names the rule (PTS-1, PTS-2 or PTS-3);
// callers branch with errors.Is and show the rule with errors.As.
var (
	// PTS-1: beans.
	ErrBeanStep    = errors.New("points: beans not a multiple of the step")
	ErrBeanPayable = errors.New("points: beans above the share of the payable amount")
	ErrBeanItems   = errors.New("points: beans above the items' own caps")
	ErrBeanBalance = errors.New("points: beans above the balance")

	// PTS-2: comprehensive points at checkout.
	ErrPointsUnit    = errors.New("points: points not a whole number of fen")
	ErrPointsLimit   = errors.New("points: points above the per-order limit")
	ErrPointsPayable = errors.New("points: points above the share of the eligible amount")
	ErrPointsBalance = errors.New("points: points above the balance")

	// PTS-3: the annual cap.
	ErrAnnualCap = errors.New("points: annual points cap reached")
	// ErrClockBehind is wrapped by the refusal (PTS-3) of a ledger dated
	// in a year after the clock's: a ledger never moves back a year.
	ErrClockBehind = errors.New("points: clock behind the ledger's year")

	// PTS-2: give-back on refund.
	ErrForcedRefund   = errors.New("points: give-back after receipt needs a back-office forced refund")
	ErrRefundRepeated = errors.New("points: refund already given back")
	ErrRefundLine     = errors.New("points: refund names a line the order did not spend on")
	ErrRefundQuantity = errors.New("points: refund quantity above what is left of the line")
)

// Errors that are not refusals by a rule: bad input or a bad policy.
var (
	// ErrInvalid is wrapped by errors for malformed input: a negative or
	// sub-fen amount, a line without an ID, an empty event.
	ErrInvalid = errors.New("points: invalid input")
	// ErrPolicy is wrapped by errors for a policy threshold that fails to
	// evaluate or holds an unusable value (a rate of zero, say).
	ErrPolicy = errors.New("points: unusable policy")
)

// ErrInvalidState is wrapped by the error Apply returns for a [Spend] or
// a [Ledger] this package could not have produced (a corrupt or
// hand-edited row: negative counts, lines that do not add up to the
// order's totals, a line named twice); see [Spend.Validate] and
// [Ledger.Validate]. It wraps [ErrInvalid], so errors.Is(err, ErrInvalid)
// holds for it too. It is not a refusal by a rule: a plain wrapped error,
// not a *rules.RuleError.
var ErrInvalidState = fmt.Errorf("%w: malformed state", ErrInvalid)
