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

// Budgets every expression is held to. They are one number: an
// expression whose estimated worst-case cost is within CostBudget cannot
// pass CostLimit for any inputs within their declared sizes, and inputs
// beyond those sizes are refused before evaluation, so a policy that
// loads never hits the limit at run time.
const (
	// CostLimit bounds the actual cost of every evaluation; an evaluation
	// that passes it stops with ErrCostLimit. It is also the limit under
	// which an input-free expression is evaluated once at load.
	CostLimit = 1_000_000
	// CostBudget bounds an expression's estimated worst-case cost at load:
	// an expression over it is an ErrCost load error. It equals CostLimit.
	CostBudget = CostLimit
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
	if len(s) > maxDecimalText {
		return types.NewErr("decimal(%s): longer than %d characters", quote(string(s)), maxDecimalText)
	}
	d, err := decimal.NewFromString(string(s))
	if err != nil {
		return types.NewErr("decimal(%s): not a decimal number", quote(string(s)))
	}
	if !decimalInRange(d) {
		return types.NewErr("decimal(%s): %s", quote(string(s)), decimalRangeProblem(d))
	}
	return decimalVal{d}
}

// maxDecimalText bounds the text decimal("…") parses: a number within
// MaxDecimalDigits and MaxDecimalExponent needs far fewer characters.
const maxDecimalText = 2*MaxDecimalDigits + 20

func decimalFromInt(v ref.Val) ref.Val {
	n, ok := v.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	return decimalVal{decimal.NewFromInt(int64(n))}
}

func daysFromInt(v ref.Val) ref.Val {
	n, ok := v.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(v)
	}
	if n < 1 || n > clock.MaxDays {
		return types.NewErr("days(%d): want 1 to %d", int64(n), clock.MaxDays)
	}
	return windowVal{clock.Days(int(n))}
}

// foldConstructors replaces decimal("…") and days(n) calls, and decimal
// and window operators, whose arguments are constants with their value,
// so that an input-reading expression does not parse the same literal on
// every evaluation and a constant out of range is found at load.
// cel.ConstantFoldingOptimizer does not fold custom types. A constant call
// that fails is a *constError: a mistake the load reports, rather than
// every evaluation.
func foldConstructors(i interpreter.Interpretable) (interpreter.Interpretable, error) {
	call, ok := i.(interpreter.InterpretableCall)
	if !ok {
		return i, nil
	}
	if !foldable(call) {
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

// foldable reports whether call is one of the library's functions or
// operators on decimals and windows, which foldConstructors evaluates at
// load when its arguments are constants.
func foldable(call interpreter.InterpretableCall) bool {
	switch call.Function() {
	case "decimal", "days":
		return true
	}
	_, ok := opCosts[call.OverloadID()]
	return ok
}

// constError is a decimal("…") or days(n) call, or a decimal operator,
// with constant arguments that fails.
type constError struct {
	id  int64
	msg string
}

func (e *constError) Error() string { return e.msg }
