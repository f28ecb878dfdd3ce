package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

// decimalCELType is CEL's view of an exact decimal. The built-in
// operators dispatch on these traits; the overloads declared in env.go
// have no bindings of their own.
var decimalCELType = cel.ObjectType("decimal",
	traits.ComparerType, traits.AdderType, traits.SubtractorType,
	traits.MultiplierType, traits.NegatorType)

// windowCELType is CEL's view of a calendar-day window, written days(n).
// An exact window is an ordinary CEL duration.
var windowCELType = cel.ObjectType("window", traits.ComparerType)

// decimalVal is an exact decimal inside CEL.
type decimalVal struct{ d decimal.Decimal }

var decimalGoType = reflect.TypeFor[decimal.Decimal]()

func (v decimalVal) ConvertToNative(t reflect.Type) (any, error) {
	switch t {
	case decimalGoType:
		return v.d, nil
	case reflect.TypeFor[string]():
		return v.d.String(), nil
	}
	return nil, fmt.Errorf("rules: decimal cannot convert to %v", t)
}

func (v decimalVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.StringType:
		return types.String(v.d.String())
	case decimalCELType:
		return v
	case types.TypeType:
		return decimalCELType
	}
	return types.NewErr("type conversion error from decimal to '%s'", t)
}

func (v decimalVal) Equal(other ref.Val) ref.Val {
	o, ok := other.(decimalVal)
	return types.Bool(ok && v.d.Equal(o.d))
}

func (v decimalVal) Type() ref.Type { return decimalCELType }
func (v decimalVal) Value() any     { return v.d }

func (v decimalVal) Compare(other ref.Val) ref.Val {
	o, ok := other.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return types.Int(v.d.Cmp(o.d))
}

func (v decimalVal) Add(other ref.Val) ref.Val {
	o, ok := other.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return decimalResult("+", v.d.Add(o.d))
}

func (v decimalVal) Subtract(other ref.Val) ref.Val {
	o, ok := other.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return decimalResult("-", v.d.Sub(o.d))
}

func (v decimalVal) Multiply(other ref.Val) ref.Val {
	o, ok := other.(decimalVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	return decimalResult("*", v.d.Mul(o.d))
}

func (v decimalVal) Negate() ref.Val { return decimalVal{v.d.Neg()} }

// Bounds of every decimal an expression reads or computes. Operands
// within them keep each operator's work small and fixed (a rescale by at
// most 10^(2*MaxDecimalExponent)), which is what lets the cost model give
// every decimal operator a constant cost.
const (
	// MaxDecimalDigits bounds the digits of a decimal's coefficient.
	MaxDecimalDigits = 40
	// MaxDecimalExponent bounds the magnitude of a decimal's exponent:
	// 1e-40 and 1e40 are within range, 1e-41 is not.
	MaxDecimalExponent = 40
)

// decimalInRange reports whether d is within MaxDecimalDigits and
// MaxDecimalExponent. It allocates nothing for a coefficient that fits an
// int64; a larger one costs about as much as it took to build.
func decimalInRange(d decimal.Decimal) bool {
	if e := d.Exponent(); e < -MaxDecimalExponent || e > MaxDecimalExponent {
		return false
	}
	return d.NumDigits() <= MaxDecimalDigits
}

// decimalRangeProblem says why d is out of range.
func decimalRangeProblem(d decimal.Decimal) string {
	return fmt.Sprintf("%s is out of range (at most %d digits, exponent within ±%d)", showDecimal(d), MaxDecimalDigits, MaxDecimalExponent)
}

// showDecimal formats d for a message in at most about 80 characters.
func showDecimal(d decimal.Decimal) string {
	c := d.Coefficient()
	e := d.Exponent()
	switch {
	case c.BitLen() > 256:
		return fmt.Sprintf("a decimal of about %d digits with exponent %d", c.BitLen()*3/10, e)
	case e >= -MaxDecimalExponent && e <= MaxDecimalExponent:
		return d.String()
	}
	return fmt.Sprintf("%se%d", c.String(), e)
}

// decimalResult is the result of a decimal operator, or an error when
// the result leaves the range.
func decimalResult(op string, d decimal.Decimal) ref.Val {
	if !decimalInRange(d) {
		return types.NewErr("decimal %s: result %s", op, decimalRangeProblem(d))
	}
	return decimalVal{d}
}

// windowVal is a calendar-day window inside CEL.
type windowVal struct{ w clock.Window }

var windowGoType = reflect.TypeFor[clock.Window]()

func (v windowVal) ConvertToNative(t reflect.Type) (any, error) {
	if t == windowGoType {
		return v.w, nil
	}
	return nil, fmt.Errorf("rules: window cannot convert to %v", t)
}

func (v windowVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.StringType:
		return types.String(v.w.String())
	case windowCELType:
		return v
	case types.TypeType:
		return windowCELType
	}
	return types.NewErr("type conversion error from window to '%s'", t)
}

func (v windowVal) Equal(other ref.Val) ref.Val {
	o, ok := other.(windowVal)
	return types.Bool(ok && v.w == o.w)
}

func (v windowVal) Type() ref.Type { return windowCELType }
func (v windowVal) Value() any     { return v.w }

func (v windowVal) Compare(other ref.Val) ref.Val {
	o, ok := other.(windowVal)
	if !ok {
		return types.MaybeNoSuchOverloadErr(other)
	}
	switch {
	case v.w.Days < o.w.Days:
		return types.IntNegOne
	case v.w.Days > o.w.Days:
		return types.IntOne
	}
	return types.IntZero
}

// toCEL converts an input's Go value to its CEL value, checking it has
// the declared type and is within the declared sizes: a string within
// MaxLen (and one of Values, when declared), a list within MaxItems, a
// decimal within MaxDecimalDigits and MaxDecimalExponent. Refusing larger
// values here is what keeps every evaluation within the estimate.
func toCEL(in *Input, x any) (ref.Val, error) {
	switch in.Type {
	case Bool:
		if b, ok := x.(bool); ok {
			return types.Bool(b), nil
		}
	case Int:
		switch n := x.(type) {
		case int64:
			return types.Int(n), nil
		case int:
			return types.Int(n), nil
		}
	case String:
		if s, ok := x.(string); ok {
			if err := checkString(in, s); err != nil {
				return nil, err
			}
			return types.String(s), nil
		}
	case Strings:
		if s, ok := x.([]string); ok {
			if len(s) > in.MaxItems {
				return nil, fmt.Errorf("a list of %d strings, over the declared maximum of %d", len(s), in.MaxItems)
			}
			for i, e := range s {
				if err := checkString(in, e); err != nil {
					return nil, fmt.Errorf("element %d: %v", i, err)
				}
			}
			return types.NewStringList(types.DefaultTypeAdapter, s), nil
		}
	case Decimal:
		if d, ok := x.(decimal.Decimal); ok {
			if !decimalInRange(d) {
				return nil, errors.New(decimalRangeProblem(d))
			}
			return decimalVal{d}, nil
		}
	case Window:
		if w, ok := x.(clock.Window); ok {
			return windowToCEL(w), nil
		}
	case Duration:
		if d, ok := x.(time.Duration); ok {
			return types.Duration{Duration: d}, nil
		}
	case Timestamp:
		if ts, ok := x.(time.Time); ok {
			return types.Timestamp{Time: ts.UTC()}, nil
		}
	}
	return nil, fmt.Errorf("want %v, got %T", in.Type, x)
}

func windowToCEL(w clock.Window) ref.Val {
	if w.IsCalendar() {
		return windowVal{w}
	}
	return types.Duration{Duration: w.Duration}
}

// fromCEL converts a threshold's CEL result to the Go value of its
// declared result type.
func fromCEL(t Type, v ref.Val) (any, error) {
	switch t {
	case Bool:
		if b, ok := v.(types.Bool); ok {
			return bool(b), nil
		}
	case Int:
		if n, ok := v.(types.Int); ok {
			return int64(n), nil
		}
	case String:
		if s, ok := v.(types.String); ok {
			return string(s), nil
		}
	case Strings:
		if l, ok := v.(traits.Lister); ok {
			x, err := l.ConvertToNative(reflect.TypeFor[[]string]())
			if err != nil {
				return nil, err
			}
			// A copy: the list may be an input's own slice or a constant
			// of the program, which no caller may share.
			return slices.Clone(x.([]string)), nil
		}
	case Decimal:
		if d, ok := v.(decimalVal); ok {
			return d.d, nil
		}
	case Window:
		switch w := v.(type) {
		case windowVal:
			return w.w, nil
		case types.Duration:
			if w.Duration < 0 {
				return nil, fmt.Errorf("window %v is negative", w.Duration)
			}
			return clock.Exactly(w.Duration), nil
		}
	}
	return nil, fmt.Errorf("result is %s, want %v", v.Type().TypeName(), t)
}

// celType is the CEL type of a declared type.
func celType(t Type) *cel.Type {
	switch t {
	case Bool:
		return cel.BoolType
	case Int:
		return cel.IntType
	case String:
		return cel.StringType
	case Strings:
		return cel.ListType(cel.StringType)
	case Decimal:
		return decimalCELType
	case Window:
		return windowCELType
	case Duration:
		return cel.DurationType
	case Timestamp:
		return cel.TimestampType
	}
	return cel.DynType
}
