package rules

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

// Budgets every expression is held to.
const (
	// CostBudget bounds an expression's estimated worst-case cost at load.
	CostBudget = 10_000_000
	// CostLimit bounds the actual cost of every evaluation; an evaluation
	// that passes it stops with ErrCostLimit.
	CostLimit = 1_000_000
)

// baseEnv declares the library's functions: decimal("1.5") and
// decimal(int) build exact decimals; days(n) builds a calendar window;
// the comparison and arithmetic operators accept decimals.
func baseEnv() (*cel.Env, error) {
	d, w := decimalCELType, windowCELType
	two := []*cel.Type{d, d}
	return cel.NewEnv(
		cel.Function("decimal",
			cel.Overload("decimal_string", []*cel.Type{cel.StringType}, d, cel.UnaryBinding(decimalFromString)),
			cel.Overload("decimal_int", []*cel.Type{cel.IntType}, d, cel.UnaryBinding(decimalFromInt)),
		),
		cel.Function("days",
			cel.Overload("days_int", []*cel.Type{cel.IntType}, w, cel.UnaryBinding(daysFromInt)),
		),
		// The operators below have no bindings: the interpreter dispatches
		// them on the traits decimalVal and windowVal implement.
		cel.Function(operators.Less,
			cel.Overload("less_decimal", two, cel.BoolType),
			cel.Overload("less_window", []*cel.Type{w, w}, cel.BoolType)),
		cel.Function(operators.LessEquals,
			cel.Overload("less_equals_decimal", two, cel.BoolType),
			cel.Overload("less_equals_window", []*cel.Type{w, w}, cel.BoolType)),
		cel.Function(operators.Greater,
			cel.Overload("greater_decimal", two, cel.BoolType),
			cel.Overload("greater_window", []*cel.Type{w, w}, cel.BoolType)),
		cel.Function(operators.GreaterEquals,
			cel.Overload("greater_equals_decimal", two, cel.BoolType),
			cel.Overload("greater_equals_window", []*cel.Type{w, w}, cel.BoolType)),
		cel.Function(operators.Add, cel.Overload("add_decimal", two, d)),
		cel.Function(operators.Subtract, cel.Overload("subtract_decimal", two, d)),
		cel.Function(operators.Multiply, cel.Overload("multiply_decimal", two, d)),
		cel.Function(operators.Negate, cel.Overload("negate_decimal", []*cel.Type{d}, d)),
	)
}

func decimalFromString(v ref.Val) ref.Val {
	s, ok := v.(types.String)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	d, err := decimal.NewFromString(string(s))
	if err != nil {
		return types.NewErr("decimal(%q): not a decimal number", string(s))
	}
	return decimalVal{d}
}

func decimalFromInt(v ref.Val) ref.Val {
	n, ok := v.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	return decimalVal{decimal.NewFromInt(int64(n))}
}

// maxDays bounds days(n) so that deadlines stay far inside time.Time's range.
const maxDays = 100_000

func daysFromInt(v ref.Val) ref.Val {
	n, ok := v.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	if n < 1 || n > maxDays {
		return types.NewErr("days(%d): want 1 to %d", int64(n), maxDays)
	}
	return windowVal{clock.Days(int(n))}
}

// foldConstructors replaces decimal("…") and days(n) calls whose
// arguments are constants with their value, so that an input-reading
// expression does not parse the same literal on every evaluation.
// cel.ConstantFoldingOptimizer does not fold custom types. A constant call
// that fails is a *constError: a mistake the load reports, rather than
// every evaluation.
func foldConstructors(i interpreter.Interpretable) (interpreter.Interpretable, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok {
		return i, nil
	}
	switch call.Function() {
	case "decimal", "days":
	default:
		return i, nil
	}
	for _, a := range call.Args() {
		if _, isConst := a.(interpreter.InterpretableConst); !isConst {
			return i, nil
		}
	}
	v := call.Eval(interpreter.EmptyActivation())
	if types.IsError(v) {
		return nil, &constError{id: call.ID(), msg: fmt.Sprint(v)}
	}
	return interpreter.NewConstValue(call.ID(), v), nil
}

// constError is a decimal("…") or days(n) call with constant arguments
// that fails.
type constError struct {
	id  int64
	msg string
}

func (e *constError) Error() string { return e.msg }
