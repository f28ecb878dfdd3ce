package rules

import (
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types/ref"
)

// The cost of the library's functions and operators. Every decimal an
// expression reads or computes is within MaxDecimalDigits and
// MaxDecimalExponent, so each operator does a small, fixed amount of
// work; the costs are in cel-go's units (about 50 ns each) and are the
// same in the load-time estimate and in the run-time tracker, so the
// estimate bounds what the tracker counts.
const (
	decimalOpCost    = 5  // + - * and comparisons of decimals: at most a rescale by 10^80
	decimalParseCost = 10 // decimal("…") of at most maxDecimalText characters
	smallOpCost      = 1  // decimal(int), days(n), comparisons of windows
)

// opCosts is the cost of each overload the library declares.
var opCosts = map[string]uint64{
	"decimal_string": decimalParseCost,
	"decimal_int":    smallOpCost,
	"days_int":       smallOpCost,

	"less_decimal":           decimalOpCost,
	"less_equals_decimal":    decimalOpCost,
	"greater_decimal":        decimalOpCost,
	"greater_equals_decimal": decimalOpCost,
	"add_decimal":            decimalOpCost,
	"subtract_decimal":       decimalOpCost,
	"multiply_decimal":       decimalOpCost,
	"negate_decimal":         decimalOpCost,

	"less_window":           smallOpCost,
	"less_equals_window":    smallOpCost,
	"greater_window":        smallOpCost,
	"greater_equals_window": smallOpCost,
}

// equalityCost is the cost of == and != when an operand is a decimal or
// a window; ok is false for other operands, which cel-go's own model
// prices.
func equalityCost(overloadID string, decimalArg, windowArg bool) (uint64, bool) {
	if overloadID != overloads.Equals && overloadID != overloads.NotEquals {
		return 0, false
	}
	switch {
	case decimalArg:
		return decimalOpCost, true
	case windowArg:
		return smallOpCost, true
	}
	return 0, false
}

// EstimateCallCost prices the library's overloads, and == and != on
// decimals and windows, at load.
func (e estimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	if c, ok := opCosts[overloadID]; ok {
		return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: c, Max: c}}
	}
	if len(args) == 2 {
		var dec, win bool
		for _, a := range args {
			if t := a.Type(); t != nil {
				dec = dec || t.IsExactType(decimalCELType)
				win = win || t.IsExactType(windowCELType)
			}
		}
		if c, ok := equalityCost(overloadID, dec, win); ok {
			return &cost.CallEstimate{CostEstimate: cost.Estimate{Min: c, Max: c}}
		}
	}
	return nil
}

// actualCost charges the same costs at run time.
type actualCost struct{}

func (actualCost) CallCost(function, overloadID string, args []ref.Val, result ref.Val) *uint64 {
	if c, ok := opCosts[overloadID]; ok {
		return &c
	}
	if len(args) == 2 {
		var dec, win bool
		for _, a := range args {
			switch a.(type) {
			case decimalVal:
				dec = true
			case windowVal:
				win = true
			}
		}
		if c, ok := equalityCost(overloadID, dec, win); ok {
			return &c
		}
	}
	return nil
}
