package order

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

// Fen is an amount of money held by an order, in fen (0.01 yuan): exact,
// comparable with ==, and cheap to add. Its text and JSON form is the
// amount in yuan with two decimals ("12.30"), the same decimal the API
// takes in a [Cart] and in events; decoding accepts any decimal that is a
// valid amount (money.Amount: a non-negative whole number of fen no larger
// than money.MaxFen).
type Fen int64

// FenOf converts a valid amount to Fen; the error wraps [ErrInvalid].
func FenOf(d decimal.Decimal) (Fen, error) {
	f, err := money.Amount(d)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return Fen(f), nil
}

// Decimal returns f in yuan.
func (f Fen) Decimal() decimal.Decimal {
	if f == 0 {
		return zeroYuan // decimals are immutable: one zero serves every caller
	}
	return money.FromFen(int64(f))
}

// zeroYuan is money.FromFen(0), built once.
var zeroYuan = money.FromFen(0)

// String returns f in yuan with two decimals, e.g. "12.30".
func (f Fen) String() string { return string(f.append(nil)) }

func (f Fen) append(b []byte) []byte {
	n := int64(f)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	b = append(b, '.', byte('0'+n%100/10), byte('0'+n%10))
	return b
}

// valid reports whether f is a valid amount (0 to money.MaxFen).
func (f Fen) valid() bool { return f >= 0 && f <= money.MaxFen }

// MarshalText writes the String form; an invalid amount is an error.
func (f Fen) MarshalText() ([]byte, error) {
	if !f.valid() {
		return nil, fmt.Errorf("%w: amount %d fen out of range", ErrInvalid, int64(f))
	}
	return f.append(nil), nil
}

// UnmarshalText reads a decimal amount of yuan strictly.
func (f *Fen) UnmarshalText(b []byte) error {
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("%w: amount %q: %w", ErrInvalid, b, err)
	}
	v, err := FenOf(d)
	if err != nil {
		return err
	}
	*f = v
	return nil
}
