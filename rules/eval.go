package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

// Key is a typed handle on one declared threshold, made once with
// [KeyFor] or [MustKey], so that [Get] reads a threshold by index with
// its Go result type: bool, int64, string, []string, decimal.Decimal or
// clock.Window. The zero Key names no threshold: Get and Explain refuse
// it with ErrInput.
type Key[T any] struct {
	schema *Schema
	i      int
}

// Name returns the threshold's name ("" for the zero Key).
func (k Key[T]) Name() string {
	if k.schema == nil {
		return ""
	}
	return k.schema.decls[k.i].Name
}

// Rule returns the rule ID the threshold implements ("" for the zero Key).
func (k Key[T]) Rule() string {
	if k.schema == nil {
		return ""
	}
	return k.schema.decls[k.i].Rule
}

// KeyFor returns the typed key of the named threshold. It fails when the
// schema declares no such threshold or T is not its result's Go type.
func KeyFor[T any](s *Schema, name string) (Key[T], error) {
	i, ok := s.index[name]
	if !ok {
		return Key[T]{}, fmt.Errorf("%w: policy %s declares no threshold %s", ErrUnknown, s.policy, quote(name))
	}
	var zero T
	if want := goTypeOf(s.decls[i].Type); fmt.Sprintf("%T", zero) != want {
		return Key[T]{}, fmt.Errorf("%w: threshold %s is %v (%s), not %T", ErrType, name, s.decls[i].Type, want, zero)
	}
	return Key[T]{schema: s, i: i}, nil
}

// MustKey is like [KeyFor] but panics; it is for package-level keys.
func MustKey[T any](s *Schema, name string) Key[T] {
	k, err := KeyFor[T](s, name)
	if err != nil {
		panic(err)
	}
	return k
}

func goTypeOf(t Type) string {
	switch t {
	case Bool:
		return "bool"
	case Int:
		return "int64"
	case String:
		return "string"
	case Strings:
		return "[]string"
	case Decimal:
		return "decimal.Decimal"
	case Window:
		return "clock.Window"
	}
	return "?"
}

// Get evaluates the threshold k in version v. args are the declared
// inputs' values, in declaration order, each of its type's Go type. A
// threshold that reads no input was folded to its value at load, and Get
// returns it without evaluating anything.
func Get[T any](v *Version, k Key[T], args ...any) (T, error) {
	var zero T
	if k.schema != v.schema {
		return zero, v.foreign(k.schema, k.Name())
	}
	p := v.progs[k.i]
	if p.folded && len(args) == len(p.decl.Inputs) {
		if l, ok := p.value.([]string); ok { // a copy: the caller may change it
			return any(slices.Clone(l)).(T), nil
		}
		return p.value.(T), nil
	}
	x, err := v.eval(k.i, args)
	if err != nil {
		return zero, err
	}
	return x.(T), nil
}

// Explain is like [Get] and also returns the decision: the rule, the
// policy version, the expression, its value and the inputs it read.
func Explain[T any](v *Version, k Key[T], args ...any) (T, Decision, error) {
	var zero T
	if k.schema != v.schema {
		return zero, Decision{}, v.foreign(k.schema, k.Name())
	}
	x, d, err := v.explain(k.i, args)
	if err != nil {
		return zero, d, err
	}
	return x.(T), d, nil
}

// Eval evaluates the named threshold; the result has the Go type of the
// threshold's declared type. See [Get] for args.
func (v *Version) Eval(name string, args ...any) (any, error) {
	i, ok := v.schema.index[name]
	if !ok {
		return nil, &EvalError{Policy: v.schema.policy, Version: v.dateStr, Threshold: name, Err: fmt.Errorf("%w: no threshold %s", ErrUnknown, quote(name))}
	}
	return v.eval(i, args)
}

// Explain evaluates the named threshold and says why: see [Decision].
func (v *Version) Explain(name string, args ...any) (any, Decision, error) {
	i, ok := v.schema.index[name]
	if !ok {
		_, err := v.Eval(name, args...) // the unknown-threshold error
		return nil, Decision{}, err
	}
	return v.explain(i, args)
}

// explain evaluates the threshold at index i and builds its Decision.
func (v *Version) explain(i int, args []any) (any, Decision, error) {
	x, err := v.eval(i, args)
	if err != nil {
		return nil, Decision{}, err
	}
	p := v.progs[i]
	d := Decision{
		Rule: p.decl.Rule, Policy: v.schema.policy, Version: v.dateStr,
		Threshold: p.decl.Name, Expr: p.expr, Value: FormatValue(x), Source: p.source,
	}
	if len(p.reads) > 0 {
		d.Inputs = make([]Used, len(p.reads))
		for j, k := range p.reads {
			d.Inputs[j] = Used{Name: p.decl.Inputs[k].Name, Value: FormatValue(args[k])}
		}
	}
	return x, d, nil
}

func (v *Version) eval(i int, args []any) (any, error) {
	p := v.progs[i]
	if len(args) != len(p.decl.Inputs) {
		return nil, v.evalErr(i, fmt.Errorf("%w: %d inputs given, %d declared (%s)", ErrInput, len(args), len(p.decl.Inputs), strings.Join(p.names, ", ")))
	}
	if p.folded {
		if l, ok := p.value.([]string); ok { // a copy: the caller may change it
			return slices.Clone(l), nil
		}
		return p.value, nil
	}
	act := activations.Get().(*activation)
	act.names, act.vals = p.names, act.buf[:0]
	for k, a := range args {
		cv, err := toCEL(&p.decl.Inputs[k], a)
		if err != nil {
			act.release()
			return nil, v.evalErr(i, fmt.Errorf("%w: input %s: %v", ErrInput, p.decl.Inputs[k].Name, err))
		}
		act.vals = append(act.vals, cv)
	}
	x, err := p.exec(p.bounded, act)
	act.release()
	if err != nil {
		return nil, v.evalErr(i, err)
	}
	if p.bounds.min != nil || p.bounds.max != nil {
		if err := checkBounds(p.decl, p.bounds, x); err != nil {
			return nil, v.evalErr(i, fmt.Errorf("%w: %v", ErrEval, err))
		}
	}
	return x, nil
}

// foreign is the error for a key that is not of v's schema: the zero Key,
// or one made from another schema.
func (v *Version) foreign(s *Schema, name string) error {
	why := "the zero Key names no threshold"
	if s != nil {
		why = fmt.Sprintf("key of policy %s used on policy %s", s.policy, v.schema.policy)
	}
	return &EvalError{Policy: v.schema.policy, Version: v.dateStr, Threshold: name, Err: fmt.Errorf("%w: %s", ErrInput, why)}
}

func (v *Version) evalErr(i int, err error) error {
	d := &v.schema.decls[i]
	return &EvalError{Policy: v.schema.policy, Version: v.dateStr, Threshold: d.Name, Rule: d.Rule, Err: err}
}

// Decision says why something happened: the rule of RULES.md, the policy
// version in force, and the threshold values used. Evaluations fill it
// through Explain; machines add decisions of their own with a Note.
// Decisions are plain values that serialise to stable JSON.
type Decision struct {
	Rule      string `json:"rule"`
	Policy    string `json:"policy,omitempty"`
	Version   string `json:"version,omitempty"`
	Threshold string `json:"threshold,omitempty"`
	Expr      string `json:"expr,omitempty"`
	Value     string `json:"value,omitempty"`
	Inputs    []Used `json:"inputs,omitempty"`
	Source    string `json:"source,omitempty"` // file:line:col of the expression
	Note      string `json:"note,omitempty"`
}

// Used is one input value a decision read.
type Used struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// String renders the decision on one line, for logs.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.Rule)
	if d.Policy != "" {
		fmt.Fprintf(&b, " %s@%s", d.Policy, d.Version)
	}
	if d.Threshold != "" {
		fmt.Fprintf(&b, " %s=%s", d.Threshold, d.Value)
	}
	for i, u := range d.Inputs {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%s", u.Name, u.Value)
		if i == len(d.Inputs)-1 {
			b.WriteString(")")
		}
	}
	if d.Note != "" {
		b.WriteString(": ")
		b.WriteString(d.Note)
	}
	return b.String()
}

// FormatValue renders a threshold or input value as rule files write it:
// decimals exactly, windows as days(n) or a duration, instants in RFC 3339.
func FormatValue(x any) string {
	switch v := x.(type) {
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	case decimal.Decimal:
		return v.String()
	case clock.Window:
		if v.IsCalendar() {
			return v.String()
		}
		return clock.FormatDuration(v.Duration)
	case time.Duration:
		return clock.FormatDuration(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(x)
}
