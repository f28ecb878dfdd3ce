package points

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// unit converts between a currency counted in whole units (beans,
// points) at perYuan units per yuan and fen. A granule is the smallest
// number of units worth a whole number of fen: one unit at 100 per yuan,
// ten units at 1000 per yuan, one unit (worth 2 fen) at 50 per yuan.
// Every amount the package charges or allocates is a whole number of
// granules, so that its money value is exact to the fen.
type unit struct {
	perYuan int64
	granule int64 // units per granule
	fen     int64 // fen per granule
}

func newUnit(perYuan int64) unit {
	g := gcd(perYuan, 100)
	return unit{perYuan: perYuan, granule: perYuan / g, fen: 100 / g}
}

// fits reports whether n units can be split over lines that take at most
// caps granules each: u is a real unit (an offer decoded from JSON or
// built by hand has none) and n is within their sum. An offer's exported
// limits are what its Check reads; this guards Allocate against an offer
// whose limits were edited apart from its unexported caps.
func (u unit) fits(n int64, caps []int64) bool {
	if u.granule <= 0 {
		return false
	}
	left := n / u.granule
	for _, c := range caps {
		if left <= c {
			return true
		}
		left -= c
	}
	return left == 0
}

// allocate splits n units (a whole number of granules) over lines that
// take at most caps granules each, by the largest remainder method
// (internal/money): the parts sum to n, none exceeds its cap, and each is
// a whole number of granules. what names the currency and maker the
// function that made the offer, for the error on an offer that does not
// fit its caps (see fits).
func (u unit) allocate(n int64, caps []int64, what, maker string) ([]int64, error) {
	if !u.fits(n, caps) {
		return nil, fmt.Errorf("%w: %d %s: the offer was not made by %s, or was changed since", ErrInvalid, n, what, maker)
	}
	parts := money.AllocateFenCapped(n/u.granule, caps)
	for i := range parts {
		parts[i] *= u.granule
	}
	return parts, nil
}

// fenToGranules returns the whole granules that fen fen can pay for.
func (u unit) fenToGranules(fen int64) int64 { return fen / u.fen }

// units returns n granules in units, saturating at the largest whole
// number of granules an int64 holds.
func (u unit) units(n int64) int64 {
	if n > math.MaxInt64/u.granule {
		n = math.MaxInt64 / u.granule
	}
	return n * u.granule
}

// value returns n units (a whole number of granules) in yuan.
func (u unit) value(n int64) decimal.Decimal {
	return money.FromFen(n / u.granule * u.fen)
}

// valueFen returns n units (a whole number of granules) in fen.
func (u unit) valueFen(n int64) int64 { return n / u.granule * u.fen }

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b int64) (int64, bool) {
	g := gcd(a, b)
	if a/g > math.MaxInt64/b {
		return 0, false
	}
	return a / g * b, true
}

// floorFen returns d in fen, rounded down, and 0 for a negative d.
func floorFen(d decimal.Decimal) (int64, error) {
	f, ok := floorFenTimes(d, 1)
	if !ok {
		return 0, fmt.Errorf("%w: %s is out of range", ErrInvalid, d)
	}
	return f, nil
}

// pow10 holds the powers of ten that fit in an int64.
var pow10 = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// small returns d as c × 10^e fen, when c fits in 18 digits and e in
// -18..18: the form of every amount a checkout sends. Those are counted in
// int64 without math/big; the rest take decimal's exact path.
func small(d decimal.Decimal) (c int64, e int, ok bool) {
	e = int(d.Exponent()) + 2
	if e < -18 || e > 18 || d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), e, true
}

// floorFenTimes returns d × q in fen, rounded down, for q >= 1, and 0
// for a negative d; ok is false when the result does not fit an int64.
func floorFenTimes(d decimal.Decimal, q int64) (fen int64, ok bool) {
	if d.Sign() <= 0 {
		return 0, true
	}
	if c, e, fast := small(d); fast {
		hi, lo := bits.Mul64(uint64(c), uint64(q)) // c × q, exact
		if e >= 0 {
			if hi != 0 || lo > math.MaxInt64/uint64(pow10[e]) {
				return 0, false
			}
			return int64(lo) * pow10[e], true
		}
		div := uint64(pow10[-e])
		if hi >= div {
			return 0, false // the quotient needs more than 64 bits
		}
		f, _ := bits.Div64(hi, lo, div)
		return int64(f), f <= math.MaxInt64
	}
	f := d.Mul(decimal.NewFromInt(q)).Shift(2).Floor()
	if f.Exponent() > 18 || !f.BigInt().IsInt64() {
		return 0, false
	}
	return f.IntPart(), true
}
