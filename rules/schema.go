package rules

import (
	"fmt"
	"regexp"
	"slices"
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
	// over a list is only finite when the list's size is bounded. An
	// evaluation given a longer list is refused with ErrInput.
	MaxItems int
	Doc      string
	// MaxLen bounds the length in bytes of a String input, and of each
	// element of a Strings input; 0 means DefaultMaxLen. The cost
	// estimate assumes it, and an evaluation given a longer string is
	// refused with ErrInput before anything runs.
	MaxLen int
	// Values, when not empty, is every value a String input (or each
	// element of a Strings input) can take, such as a stage's names. An
	// expression that compares the input with a literal outside Values
	// (stage == "recieved") is an ErrValue load error with a suggestion,
	// and an evaluation given another value is refused with ErrInput.
	Values []string
}

// DefaultMaxLen is the length in bytes a String input, or an element of
// a Strings input, may have when its Input declares no MaxLen.
const DefaultMaxLen = 256

// maxLen is the declared bound of a string input's length.
func (in *Input) maxLen() int {
	if in.MaxLen > 0 {
		return in.MaxLen
	}
	return DefaultMaxLen
}

// clone copies in, so that no caller shares its Values.
func (in Input) clone() Input {
	in.Values = slices.Clone(in.Values)
	return in
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
	// Min and Max, when not empty, bound an Int, Decimal or Window
	// threshold's value, written as a rule file writes a value: "1",
	// "0.01", "1s", "days(1)". A rule file whose constant expression gives
	// a value out of bounds is an ErrValue load error at the expression;
	// an input-reading expression is checked at each evaluation, which
	// fails with ErrEval. Windows compare by nominal length (a calendar
	// day counts as 24h). The package's Doc should say the bounds; see
	// [Decl.Bounds].
	Min, Max string
}

// Bounds describes Min and Max in words, "at least 1s, at most days(30)",
// or "" when neither is declared.
func (d Decl) Bounds() string {
	var parts []string
	if d.Min != "" {
		parts = append(parts, "at least "+d.Min)
	}
	if d.Max != "" {
		parts = append(parts, "at most "+d.Max)
	}
	return strings.Join(parts, ", ")
}

// Schema is the Go side of a policy: its name and its declared
// thresholds. A domain package builds one with [NewSchema] or
// [MustSchema] and loads rule files against it with [Load]. A Schema is
// immutable. The zero Schema declares nothing and names no policy; use
// NewSchema.
type Schema struct {
	policy string
	decls  []Decl
	bounds []bounds // by declaration index
	index  map[string]int
	inputs map[string]bool // every declared input name and each of its dotted prefixes
}

// bounds is a declaration's Min and Max, parsed; nil where not declared.
type bounds struct{ min, max any }

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
	s := &Schema{policy: policy, index: make(map[string]int, len(decls)), inputs: map[string]bool{}}
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
			errs = append(errs, checkStringDecl(d.Name, in)...)
			for p := in.Name; ; {
				s.inputs[p] = true
				i := strings.LastIndexByte(p, '.')
				if i < 0 {
					break
				}
				p = p[:i]
			}
		}
		b, berrs := parseBounds(d)
		errs = append(errs, berrs...)
		s.bounds = append(s.bounds, b)
		for a := range seen {
			for b := range seen {
				if strings.HasPrefix(b, a+".") {
					errs = append(errs, fmt.Sprintf("threshold %q: input %q is a prefix of input %q", d.Name, a, b))
				}
			}
		}
		s.index[d.Name] = i
		d.Inputs = cloneInputs(d.Inputs)
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
		d.Inputs = cloneInputs(d.Inputs)
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
	d.Inputs = cloneInputs(d.Inputs)
	return d, true
}

func cloneInputs(ins []Input) []Input {
	if ins == nil {
		return nil
	}
	out := make([]Input, len(ins))
	for i, in := range ins {
		out[i] = in.clone()
	}
	return out
}

// checkStringDecl checks an input's MaxLen and Values.
func checkStringDecl(decl string, in Input) []string {
	var errs []string
	stringy := in.Type == String || in.Type == Strings
	if in.MaxLen < 0 || in.MaxLen > 0 && !stringy {
		errs = append(errs, fmt.Sprintf("threshold %q: input %q: MaxLen %d is for string inputs, and not negative", decl, in.Name, in.MaxLen))
	}
	if len(in.Values) > 0 && !stringy {
		errs = append(errs, fmt.Sprintf("threshold %q: input %q: Values are for string inputs", decl, in.Name))
	}
	seen := map[string]bool{}
	for _, v := range in.Values {
		if seen[v] {
			errs = append(errs, fmt.Sprintf("threshold %q: input %q: value %q listed twice", decl, in.Name, v))
		}
		seen[v] = true
		if len(v) > in.maxLen() {
			errs = append(errs, fmt.Sprintf("threshold %q: input %q: value %q is longer than MaxLen %d", decl, in.Name, v, in.maxLen()))
		}
	}
	return errs
}

// parseBounds parses a declaration's Min and Max.
func parseBounds(d Decl) (bounds, []string) {
	var b bounds
	var errs []string
	if d.Min == "" && d.Max == "" {
		return b, nil
	}
	if d.Type != Int && d.Type != Decimal && d.Type != Window {
		return b, []string{fmt.Sprintf("threshold %q: Min and Max are for int, decimal and window thresholds, not %v", d.Name, d.Type)}
	}
	parse := func(what, text string) any {
		if text == "" {
			return nil
		}
		x, err := parseBound(d.Type, text)
		if err != nil {
			errs = append(errs, fmt.Sprintf("threshold %q: %s %q: %v", d.Name, what, text, err))
			return nil
		}
		return x
	}
	b.min, b.max = parse("Min", d.Min), parse("Max", d.Max)
	if b.min != nil && b.max != nil && compareValues(b.min, b.max) > 0 {
		errs = append(errs, fmt.Sprintf("threshold %q: Min %s is above Max %s", d.Name, d.Min, d.Max))
	}
	return b, errs
}
