package money

import (
	"errors"
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

var (
	// ErrNotFen is wrapped by errors for amounts that are not a whole
	// number of fen, or too large to count in an int64 of fen.
	ErrNotFen = errors.New("money: amount is not a whole number of fen")
	// ErrNegative is wrapped by [Allocate]'s errors for a negative total
	// or weight.
	ErrNegative = errors.New("money: negative amount")
	// ErrNoWeights is wrapped by [Allocate]'s error for a non-zero total
	// with nothing to allocate it over.
	ErrNoWeights = errors.New("money: nothing to allocate over")
)

// ToFen returns d as a whole number of fen: ToFen(12.34) is 1234. It fails
// with an error wrapping [ErrNotFen] if d has a non-zero digit beyond the
// second decimal place (trailing zeros are fine: 1.230 is 123 fen) or if
// the number of fen does not fit in an int64. It never rounds.
func ToFen(d decimal.Decimal) (int64, error) {
	if f, ok := smallFen(d); ok {
		return f, nil
	}
	fen := d.Shift(2)
	if !fen.IsInteger() {
		return 0, fmt.Errorf("%w: %s", ErrNotFen, show(d))
	}
	if fen.IsZero() {
		return 0, nil
	}
	// Beyond 10^18 the value cannot fit; checking first keeps BigInt from
	// building a huge number for an input like 1e1000000000.
	if fen.Exponent() > 18 {
		return 0, fmt.Errorf("%w: %s is out of range", ErrNotFen, show(d))
	}
	n := fen.BigInt()
	if !n.IsInt64() {
		return 0, fmt.Errorf("%w: %s is out of range", ErrNotFen, show(d))
	}
	return n.Int64(), nil
}

// pow10 holds the powers of ten that fit in an int64.
var pow10 = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// smallFen converts the amounts a checkout sends — a coefficient of at
// most 18 digits, an exponent near -2 — with int64 arithmetic, without
// math/big. ok is false when d is not such an amount, is not a whole
// number of fen, or overflows; ToFen's exact path then decides.
func smallFen(d decimal.Decimal) (fen int64, ok bool) {
	e := int(d.Exponent()) + 2
	if e < -18 || e > 18 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	if e < 0 {
		if c%pow10[-e] != 0 {
			return 0, false
		}
		return c / pow10[-e], true
	}
	if c > math.MaxInt64/pow10[e] || c < math.MinInt64/pow10[e] {
		return 0, false
	}
	return c * pow10[e], true
}

// show formats d for an error message, in scientific notation when its
// plain form would be absurdly long (1e1000000000 has a billion digits).
func show(d decimal.Decimal) string {
	if e := d.Exponent(); e < -40 || e > 40 {
		return fmt.Sprintf("%se%d", d.Coefficient(), e)
	}
	return d.String()
}

// FromFen returns f fen as a decimal amount of yuan with exponent -2:
// FromFen(1234) is 12.34. It is exact for every int64.
func FromFen(f int64) decimal.Decimal {
	return decimal.New(f, -2)
}

// Allocate is [AllocateFen] for decimal amounts of yuan. The total and every
// weight must be a non-negative whole number of fen; otherwise Allocate
// returns an error wrapping [ErrNotFen] or [ErrNegative] naming the
// offending value. A positive total needs at least one weight
// ([ErrNoWeights]). The parts have exponent -2 and sum exactly to total.
func Allocate(total decimal.Decimal, weights []decimal.Decimal) ([]decimal.Decimal, error) {
	t, err := ToFen(total)
	if err != nil {
		return nil, fmt.Errorf("%w (total)", err)
	}
	if t < 0 {
		return nil, fmt.Errorf("%w: %s (total)", ErrNegative, show(total))
	}
	if t > 0 && len(weights) == 0 {
		return nil, fmt.Errorf("%w: total %s", ErrNoWeights, show(total))
	}
	w := make([]int64, len(weights))
	for i, d := range weights {
		if w[i], err = ToFen(d); err != nil {
			return nil, fmt.Errorf("%w (weight %d)", err, i)
		}
		if w[i] < 0 {
			return nil, fmt.Errorf("%w: %s (weight %d)", ErrNegative, show(d), i)
		}
	}
	parts := AllocateFen(t, w)
	out := make([]decimal.Decimal, len(parts))
	for i, p := range parts {
		out[i] = FromFen(p)
	}
	return out, nil
}

// MaxFen is the largest amount the library accepts anywhere, in fen
// (¥45,035,996,273,704.96): a sum of up to 2,048 such amounts fits in an
// int64, and a sum of valid amounts that is itself checked against MaxFen
// step by step never overflows.
const MaxFen = 1 << 52

// ErrRange is wrapped by [Amount]'s error for an amount above [MaxFen].
var ErrRange = errors.New("money: amount out of range")

// Amount is the library's one definition of a valid amount of money: a
// non-negative whole number of fen no larger than [MaxFen]. It returns d
// in fen, or an error wrapping [ErrNotFen], [ErrNegative] or [ErrRange].
func Amount(d decimal.Decimal) (int64, error) {
	f, err := ToFen(d)
	switch {
	case err != nil:
		return 0, err
	case f < 0:
		return 0, fmt.Errorf("%w: %s", ErrNegative, show(d))
	case f > MaxFen:
		return 0, fmt.Errorf("%w: %s", ErrRange, show(d))
	}
	return f, nil
}

// Valid reports whether d is a valid amount (see [Amount]).
func Valid(d decimal.Decimal) bool {
	_, err := Amount(d)
	return err == nil
}
