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

// floorFenTimes counts in int64 what decimal counts with math/big: they
// must agree on every input.
func TestFenFastPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := decimalGen().Draw(t, "d")
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

// half is the first part of internal/money's largest remainder split of
// g over {r, p-r}, for every input (RFD-10: whole units by largest
// remainder).
func TestHalfIsLargestRemainder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := rapid.OneOf(rapid.Int64Range(0, 10000), rapid.Int64Range(0, math.MaxInt64)).Draw(t, "g")
		p := rapid.OneOf(rapid.Int64Range(1, 10000), rapid.Int64Range(1, 1<<52)).Draw(t, "p")
		r := rapid.Int64Range(0, p).Draw(t, "r")
		if got, want := half(g, r, p), money.AllocateFen(g, []int64{r, p - r})[0]; got != want {
			t.Fatalf("half(%d, %d, %d) = %d, AllocateFen %d", g, r, p, got, want)
		}
	})
}
