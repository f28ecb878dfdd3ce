package rules

import "fmt"

// RuleError is an event, request or choice that a rule refused. The
// domain packages return it, wrapping one of their sentinels, so that a
// caller can branch with errors.Is on the sentinel and show the rule ID:
//
//	var re *rules.RuleError
//	if errors.As(err, &re) { log.Print(re.Rule) }
type RuleError struct {
	Op     string // what was refused, e.g. "refund.Apply(MerchantRefuse)"; may be empty
	Rule   string // the rule ID of RULES.md, e.g. "RFD-5"
	Err    error  // the package's sentinel, e.g. refund.ErrWindowClosed
	Detail string // the facts that decided it, e.g. "requested 2024-03-09T00:00:01+08:00, window closed 2024-03-09T00:00:00+08:00"
}

// Error reads as one line: "refund: return window closed (RFD-5): detail".
func (e *RuleError) Error() string {
	s := fmt.Sprintf("%v (%s)", e.Err, e.Rule)
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *RuleError) Unwrap() error { return e.Err }

// Refuse returns a *RuleError; detail is formatted with fmt.Sprintf.
func Refuse(rule string, err error, detail string, args ...any) *RuleError {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &RuleError{Rule: rule, Err: err, Detail: detail}
}
