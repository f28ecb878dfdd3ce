package provider

import "errors"

// Sentinels for refused events and checks. Every refusal is a
// *rules.RuleError that wraps one of them and names the rule; branch with
// errors.Is.
var (
	ErrUnknownClause = errors.New("provider: no such clause")                        // PRV-5 … PRV-7
	ErrLiftClause    = errors.New("provider: an escalation clause is not a finding") // PRV-5, PRV-6
	ErrNoCase        = errors.New("provider: no such case")                          // PRV-8
	ErrNotAllowed    = errors.New("provider: event not allowed in this status")      // PRV-8, PRV-9, PRV-13
	ErrTerminated    = errors.New("provider: cooperation terminated")                // PRV-10
	ErrObjectionLate = errors.New("provider: objection period closed")               // PRV-9
	ErrNoProof       = errors.New("provider: objection without written proof")       // PRV-9
	ErrResolved      = errors.New("provider: complaint already resolved")            // PRV-8
	ErrEventTime     = errors.New("provider: event time missing or later than now")  // PRV-8, PRV-9
	ErrClockBehind   = errors.New("provider: now is before the state's last instant")
	ErrNotAdmitted   = errors.New("provider: admission conditions unmet")  // PRV-2
	ErrOutOfScope    = errors.New("provider: service outside the scope")   // PRV-3
	ErrDuty          = errors.New("provider: management duty not met")     // PRV-4
	ErrTemporary     = errors.New("provider: measure cannot be temporary") // PRV-13
)

// ErrInvalid is wrapped by the errors for malformed or invalid input: bad
// JSON, an invalid stored State, an invalid enumeration value, a record
// that cannot be checked. It is never a *rules.RuleError.
var ErrInvalid = errors.New("provider: invalid input")

// ErrPolicy is wrapped by the errors of a rule set whose thresholds cannot
// be used: a negative window, a low-price threshold that is not an amount,
// or an expression that fails to evaluate.
var ErrPolicy = errors.New("provider: unusable policy")
