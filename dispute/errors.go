package dispute

import (
	"errors"
	"strings"
)

// Sentinels for refused events. Every refusal is a *rules.RuleError that
// wraps one of them and names the rule; branch with errors.Is.
var (
	ErrNotAllowed   = errors.New("dispute: event not allowed in this status")
	ErrFinal        = errors.New("dispute: complaint or report is final")
	ErrNoComplaint  = errors.New("dispute: no such complaint")
	ErrNoReport     = errors.New("dispute: no such report")
	ErrIncomplete   = errors.New("dispute: filing not accepted")
	ErrWindowClosed = errors.New("dispute: complaint window closed")
	ErrNoComplaints = errors.New("dispute: trade does not accept complaints")
	ErrTooEarly     = errors.New("dispute: too early")
	ErrLocked       = errors.New("dispute: trade is locked")
	ErrNotLocked    = errors.New("dispute: complaint is not in arbitration")
)

// ErrInvalid is wrapped by every error for malformed or invalid input:
// JSON that does not decode, a stored [State] or [Record] this package
// could not have produced, a [Trade] whose facts contradict each other,
// an event with an invalid enumeration value. It is never a
// *rules.RuleError: no rule refused anything.
var ErrInvalid = errors.New("dispute: invalid input")

// ErrPolicy is wrapped by the error for a policy that cannot judge: a
// pinned version the set no longer holds (DSP-12), a threshold outside
// its range (a negative window, a day 3 that ends before it begins, a
// record window that is not calendar days), or an expression that fails
// to evaluate. [CheckPolicy] finds the constant ones at once.
var ErrPolicy = errors.New("dispute: unusable policy")

// ErrClockBehind is wrapped by the error of [Machine.ApplyAt] for an
// instant earlier than the state's last one.
var ErrClockBehind = errors.New("dispute: clock behind the state")

// MissingError is the error of a filing that lacks acceptance conditions
// (DSP-2): it names every missing item at once. It matches
// [ErrIncomplete] with errors.Is; errors.As gives the items. A refused
// filing returns it inside a *rules.RuleError of rule DSP-2.
type MissingError struct {
	Items []Missing
}

// Error lists the items, each with its rule: "dispute: filing not
// accepted: missing identity (DSP-2), evidence (DSP-2)".
func (e *MissingError) Error() string {
	var b strings.Builder
	b.WriteString(ErrIncomplete.Error())
	b.WriteString(": missing ")
	for i, m := range e.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.String())
		b.WriteString(" (DSP-2)")
	}
	return b.String()
}

// Is reports whether target is ErrIncomplete.
func (e *MissingError) Is(target error) bool { return target == ErrIncomplete }
