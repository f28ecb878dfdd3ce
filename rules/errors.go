package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinels a caller can test with [errors.Is]. A load error wraps one of
// the first group; an evaluation error wraps one of the second.
var (
	ErrSyntax    = errors.New("rules: syntax error")        // YAML or CEL syntax
	ErrUnknown   = errors.New("rules: unknown name")        // policy, key, threshold or input the schema does not declare
	ErrDuplicate = errors.New("rules: duplicate")           // a key or version given twice
	ErrMissing   = errors.New("rules: missing")             // a required key or threshold absent
	ErrType      = errors.New("rules: type error")          // CEL type error or wrong result type
	ErrCost      = errors.New("rules: cost over budget")    // estimated cost above CostBudget, or a constant passing CostLimit when folded
	ErrValue     = errors.New("rules: invalid value")       // a malformed date, zone, rule ID or test value; a constant out of range; a file over a limit
	ErrInput     = errors.New("rules: bad input")           // evaluation given inputs that do not match the declaration, or beyond its sizes
	ErrCostLimit = errors.New("rules: cost limit exceeded") // evaluation passed CostLimit
	ErrEval      = errors.New("rules: evaluation failed")   // any other evaluation error (e.g. division by zero)
)

// Error is one problem in a rule file, at a position.
type Error struct {
	File string // file name as given to Load or Override; "<expr>" for OverrideExpr
	Line int    // 1-based; 0 if unknown
	Col  int    // 1-based, in characters; 0 if unknown
	Msg  string
	// Text is the offending text (the expression, key or value), and
	// Source the whole line of the file it is on.
	Text   string
	Source string
	Err    error // one of the sentinels above
}

// Error formats the problem as "file:line:col: message", followed by the
// source line and a caret under the column when the line is known. A
// long line is shown as a window of about 80 characters around the
// column, so that the text stays small whatever the file.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Position())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Source != "" && e.Col > 0 {
		src, col := sourceWindow(e.Source, e.Col)
		src = strings.Map(visible, src)
		fmt.Fprintf(&b, "\n | %s\n | %s^", src, caretPad(src, col))
	}
	return b.String()
}

// visible shows a control character or an invalid byte of a source line
// as U+FFFD, one character for one, so that the caret stays in place.
func visible(r rune) rune {
	if r == utf8.RuneError || r != '\t' && unicode.IsControl(r) {
		return '\uFFFD'
	}
	return r
}

// Sizes of the window of a source line an error shows.
const (
	windowWidth  = 80 // characters shown of a long line
	windowBefore = 40 // of them before the column
)

// sourceWindow returns the part of line an error shows, with "…" where
// it is cut, and the column of the same character in it.
func sourceWindow(line string, col int) (string, int) {
	if len(line) <= windowWidth {
		return line, col
	}
	start := max(col-1-windowBefore, 0) // in characters
	end := start + windowWidth
	i, from, to := 0, -1, len(line)
	for off := range line {
		if i == start {
			from = off
		}
		if i == end {
			to = off
			break
		}
		i++
	}
	if from < 0 { // the line is shorter than the window's start
		return line, col
	}
	if from == 0 && to == len(line) {
		return line, col
	}
	out := line[from:to]
	if from > 0 {
		out, col = "…"+out, col-start+1
	}
	if to < len(line) {
		out += "…"
	}
	return out, col
}

// Position returns "file:line:col", leaving out what is unknown.
func (e *Error) Position() string {
	switch {
	case e.Line == 0:
		return e.File
	case e.Col == 0:
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
}

func (e *Error) Unwrap() error { return e.Err }

// caretPad returns the blanks that put a caret under column col of line,
// keeping tabs so that the caret lines up.
func caretPad(line string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	return b.String()
}

// Errors is every problem a load found, in file order. A load that
// returns Errors returns no Set. errors.Is(errs, ErrType) is true when
// any of them wraps ErrType.
type Errors []*Error

// capErrors keeps the first MaxErrors of errs, which are in file order,
// and replaces the rest with one error that counts them, at the first
// one's place and wrapping the sentinels they wrapped.
func capErrors(errs Errors) Errors {
	if len(errs) <= MaxErrors {
		return errs
	}
	rest := errs[MaxErrors:]
	var sentinels []error
	for _, e := range rest {
		if !slices.Contains(sentinels, e.Err) {
			sentinels = append(sentinels, e.Err)
		}
	}
	first := rest[0]
	more := &Error{File: first.File, Line: first.Line, Col: first.Col, Source: first.Source,
		Msg: fmt.Sprintf("and %d more errors", len(rest)), Err: errors.Join(sentinels...)}
	return append(slices.Clip(errs[:MaxErrors]), more)
}

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// EvalError is a failed evaluation: which threshold, of which policy
// version, and why.
type EvalError struct {
	Policy    string
	Version   string
	Threshold string
	Rule      string
	Err       error // wraps ErrInput, ErrCostLimit or ErrEval
}

func (e *EvalError) Error() string {
	return fmt.Sprintf("rules: %s %s: %s (%s): %v", e.Policy, e.Version, e.Threshold, e.Rule, e.Err)
}

func (e *EvalError) Unwrap() error { return e.Err }

// MaxErrors bounds the errors one load reports: past it, a last error
// says how many more there were.
const MaxErrors = 100
