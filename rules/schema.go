package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// Type is the type of a threshold's result or of an input it reads.
// The zero value, Invalid, is not a usable type.
type Type uint8

// The types a threshold may produce or read. Each has one Go type that
// [Get], [Version.Eval] and the inputs of an evaluation use:
//
//	Bool      bool
//	Int       int64 (an int is accepted as an input)
//	String    string
//	Strings   []string
//	Decimal   decimal.Decimal (exact; money and ratios)
//	Window    clock.Window (results only: calendar days or an exact duration)
//	Duration  time.Duration (inputs only; a Window threshold may be written as a duration)
//	Timestamp time.Time (inputs only)
const (
	Invalid Type = iota
	Bool
	Int
	String
	Strings
	Decimal
	Window
	Duration
	Timestamp
)

var typeNames = [...]string{"invalid", "bool", "int", "string", "list(string)", "decimal", "window", "duration", "timestamp"}

// String returns the type's name as rule-file errors spell it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// isResult reports whether t may be the result type of a threshold.
func (t Type) isResult() bool {
	switch t {
	case Bool, Int, String, Strings, Decimal, Window:
		return true
	}
	return false
}

// isInput reports whether t may be the type of an input. A window is not:
// an input period is a Duration.
func (t Type) isInput() bool {
	switch t {
	case Bool, Int, String, Strings, Decimal, Duration, Timestamp:
		return true
	}
	return false
}

// Input declares one value an expression may read. Its Name is what the
// expression writes, a dotted path such as "order.activity_limit".
type Input struct {
	Name string
	Type Type
	// MaxItems bounds the length of a Strings input. It is required for
	// Strings inputs: the estimated cost of an expression that iterates
	// over a list is only finite when the list's size is bounded.
	MaxItems int
	Doc      string
}

// Decl declares one threshold of a policy: its name in rule files, the
// rule of RULES.md it implements, its result type and the inputs its
// expression may read. The rule file supplies the expression.
type Decl struct {
	Name   string
	Rule   string
	Doc    string
	Type   Type
	Inputs []Input
}

// Schema is the Go side of a policy: its name and its declared
// thresholds. A domain package builds one with [NewSchema] or
// [MustSchema] and loads rule files against it with [Load]. A Schema is
// immutable. The zero Schema declares nothing and names no policy; use
// NewSchema.
type Schema struct {
	policy string
	decls  []Decl
	index  map[string]int
}

var (
	namePattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	inputPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	rulePattern  = regexp.MustCompile(`^[A-Z]+-[0-9]+$`)
)

// NewSchema checks the declarations and returns the schema of the named
// policy. Threshold names are lower_snake_case, rule IDs look like
// "ORD-4", input names are dotted lower_snake_case paths.
func NewSchema(policy string, decls ...Decl) (*Schema, error) {
	var errs []string
	if !namePattern.MatchString(policy) {
		errs = append(errs, fmt.Sprintf("policy name %q is not lower_snake_case", policy))
	}
	s := &Schema{policy: policy, index: make(map[string]int, len(decls))}
	for i, d := range decls {
		if !namePattern.MatchString(d.Name) {
			errs = append(errs, fmt.Sprintf("threshold name %q is not lower_snake_case", d.Name))
		}
		if _, dup := s.index[d.Name]; dup {
			errs = append(errs, fmt.Sprintf("threshold %q declared twice", d.Name))
		}
		if !rulePattern.MatchString(d.Rule) {
			errs = append(errs, fmt.Sprintf("threshold %q: rule %q is not a rule ID like ORD-4", d.Name, d.Rule))
		}
		if !d.Type.isResult() {
			errs = append(errs, fmt.Sprintf("threshold %q: %v is not a result type", d.Name, d.Type))
		}
		seen := map[string]bool{}
		for _, in := range d.Inputs {
			if !inputPattern.MatchString(in.Name) {
				errs = append(errs, fmt.Sprintf("threshold %q: input name %q is not a dotted lower_snake_case path", d.Name, in.Name))
			}
			if seen[in.Name] {
				errs = append(errs, fmt.Sprintf("threshold %q: input %q declared twice", d.Name, in.Name))
			}
			seen[in.Name] = true
			if !in.Type.isInput() {
				errs = append(errs, fmt.Sprintf("threshold %q: input %q: %v is not an input type", d.Name, in.Name, in.Type))
			}
			if in.Type == Strings && in.MaxItems <= 0 {
				errs = append(errs, fmt.Sprintf("threshold %q: list input %q needs MaxItems > 0", d.Name, in.Name))
			}
		}
		for a := range seen {
			for b := range seen {
				if strings.HasPrefix(b, a+".") {
					errs = append(errs, fmt.Sprintf("threshold %q: input %q is a prefix of input %q", d.Name, a, b))
				}
			}
		}
		s.index[d.Name] = i
		d.Inputs = append([]Input(nil), d.Inputs...)
		s.decls = append(s.decls, d)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("rules: schema %q: %s", policy, strings.Join(errs, "; "))
	}
	return s, nil
}

// MustSchema is like [NewSchema] but panics on a malformed declaration.
// It is meant for package-level declarations, like regexp.MustCompile.
func MustSchema(policy string, decls ...Decl) *Schema {
	s, err := NewSchema(policy, decls...)
	if err != nil {
		panic(err)
	}
	return s
}

// Policy returns the policy name rule files must carry.
func (s *Schema) Policy() string { return s.policy }

// Decls returns a copy of the declarations, in declaration order.
func (s *Schema) Decls() []Decl {
	out := make([]Decl, len(s.decls))
	for i, d := range s.decls {
		d.Inputs = append([]Input(nil), d.Inputs...)
		out[i] = d
	}
	return out
}

// Decl returns the declaration of the named threshold.
func (s *Schema) Decl(name string) (Decl, bool) {
	i, ok := s.index[name]
	if !ok {
		return Decl{}, false
	}
	d := s.decls[i]
	d.Inputs = append([]Input(nil), d.Inputs...)
	return d, true
}
