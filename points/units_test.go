package points

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// decimalGen draws decimals of every size and exponent the fast paths
// meet, and some beyond them (19 digits, exponents past ±18).
func decimalGen() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		c := rapid.OneOf(rapid.Int64Range(-1000, 100000), rapid.Int64(), rapid.Int64Range(math.MaxInt64/10, math.MaxInt64)).Draw(t, "coef")
		e := rapid.Int32Range(-22, 22).Draw(t, "exp")
		return decimal.New(c, e)
	})
}

// fenOf (money.Amount) and floorFenTimes count in int64 what money.ToFen and decimal
// count with math/big: they must agree on every input.
func TestFenFastPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := decimalGen().Draw(t, "d")
		want, werr := money.ToFen(d)
		got, err := fenOf(d, "d")
		switch {
		case werr != nil || want < 0 || want > money.MaxFen:
			if err == nil {
				t.Fatalf("fenOf(%s) = %d, want an error", d, got)
			}
		case err != nil || got != want:
			t.Fatalf("fenOf(%s) = %d, %v, want %d", d, got, err, want)
		}

		q := rapid.OneOf(rapid.Int64Range(1, 10), rapid.Int64Range(1, math.MaxInt64)).Draw(t, "q")
		ref := d.Mul(decimal.NewFromInt(q)).Shift(2).Floor()
		f, ok := floorFenTimes(d, q)
		switch {
		case d.Sign() <= 0:
			if f != 0 || !ok {
				t.Fatalf("floorFenTimes(%s, %d) = %d, %t, want 0", d, q, f, ok)
			}
		case !ref.BigInt().IsInt64():
			if ok {
				t.Fatalf("floorFenTimes(%s, %d) = %d, want overflow (%s)", d, q, f, ref)
			}
		case !ok || f != ref.IntPart():
			t.Fatalf("floorFenTimes(%s, %d) = %d, %t, want %s", d, q, f, ok, ref)
		}
	})
}
