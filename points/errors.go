package points

import "errors"

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

	// ErrClockBehind is wrapped by the refusal of an instant earlier than
	// the state's last one (a Spend's Updated, a Ledger's Updated or the
	// year it counts), or than the event's own instant (a use dated after
	// now): a state never moves back in time, and a fact is never from the
	// future.
	ErrClockBehind = errors.New("points: clock behind the state")
)

// Errors that are not refusals by a rule: bad input or a bad policy.
var (
	// ErrInvalid is wrapped by every error about malformed input: bad
	// JSON, an invalid enum, a negative or sub-fen amount, a line without
	// an ID, and a stored [Spend] or [Ledger] this package could not have
	// produced (see [Spend.Validate], [Ledger.Validate]). Such an error is
	// a plain wrapped error, never a *rules.RuleError.
	ErrInvalid = errors.New("points: invalid input")
	// ErrPolicy is wrapped by errors for a policy threshold that fails to
	// evaluate or holds an unusable value (a rate of zero, say), and for a
	// Spend pinned to a policy version the set no longer holds.
	ErrPolicy = errors.New("points: unusable policy")
)
