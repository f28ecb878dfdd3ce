package points

import (
	"fmt"
	"math"

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
	if d.Sign() <= 0 {
		return 0, nil
	}
	f := d.Shift(2).Floor()
	if f.Exponent() > 18 || !f.BigInt().IsInt64() {
		return 0, fmt.Errorf("%w: %s is out of range", ErrInvalid, d)
	}
	return f.IntPart(), nil
}

// fenOf returns a non-negative whole-fen amount in fen.
func fenOf(what string, d decimal.Decimal) (int64, error) {
	f, err := money.ToFen(d)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrInvalid, what, err)
	}
	if f < 0 {
		return 0, fmt.Errorf("%w: %s is negative: %s", ErrInvalid, what, d)
	}
	return f, nil
}
