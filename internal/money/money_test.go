package money_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

func TestToFen(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"0.01", 1},
		{"12.34", 1234},
		{"1.230", 123},
		{"-5.5", -550},
		{"100", 10000},
		{"0e100", 0},
		{"92233720368547758.07", math.MaxInt64},
		{"-92233720368547758.08", math.MinInt64},
	}
	for _, tt := range tests {
		got, err := money.ToFen(decimal.RequireFromString(tt.in))
		if err != nil {
			t.Errorf("ToFen(%s): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ToFen(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestToFenErrors(t *testing.T) {
	for _, in := range []decimal.Decimal{
		decimal.RequireFromString("0.001"),
		decimal.RequireFromString("12.345"),
		decimal.RequireFromString("-0.005"),
		decimal.RequireFromString("92233720368547758.08"),
		decimal.RequireFromString("1e100"),
		decimal.New(1, 1_000_000_000),
		decimal.New(1, -1_000_000_000),
	} {
		got, err := money.ToFen(in)
		if !errors.Is(err, money.ErrNotFen) {
			t.Errorf("ToFen(%se%d) = %d, %v; want an error wrapping ErrNotFen", in.Coefficient(), in.Exponent(), got, err)
		}
	}
}

func TestFromFen(t *testing.T) {
	for _, f := range []int64{0, 1, -1, 1234, math.MaxInt64, math.MinInt64} {
		d := money.FromFen(f)
		if d.Exponent() != -2 {
			t.Errorf("FromFen(%d) has exponent %d, want -2", f, d.Exponent())
		}
		back, err := money.ToFen(d)
		if err != nil || back != f {
			t.Errorf("ToFen(FromFen(%d)) = %d, %v", f, back, err)
		}
	}
	if got, want := money.FromFen(1250).StringFixed(2), "12.50"; got != want {
		t.Errorf("FromFen(1250) = %s, want %s", got, want)
	}
}

func TestAllocate(t *testing.T) {
	d := decimal.RequireFromString
	got, err := money.Allocate(d("10.00"), []decimal.Decimal{d("33.33"), d("33.33"), d("33.34")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"3.33", "3.33", "3.34"}
	var gotS []string
	for _, p := range got {
		gotS = append(gotS, p.StringFixed(2))
	}
	if diff := cmp.Diff(want, gotS); diff != "" {
		t.Errorf("Allocate(10.00, [33.33 33.33 33.34]) (-want +got):\n%s", diff)
	}
}

func TestAllocateErrors(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name    string
		total   decimal.Decimal
		weights []decimal.Decimal
		want    error
	}{
		{"total not fen", d("1.001"), []decimal.Decimal{d("1")}, money.ErrNotFen},
		{"weight not fen", d("1"), []decimal.Decimal{d("1"), d("0.125")}, money.ErrNotFen},
		{"negative total", d("-1"), []decimal.Decimal{d("1")}, money.ErrNegative},
		{"negative weight", d("1"), []decimal.Decimal{d("2"), d("-1")}, money.ErrNegative},
		{"no weights", d("1"), nil, money.ErrNoWeights},
	}
	for _, tt := range tests {
		got, err := money.Allocate(tt.total, tt.weights)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Allocate = %v, %v; want an error wrapping %v", tt.name, got, err, tt.want)
		}
	}
	if got, err := money.Allocate(decimal.Zero, nil); err != nil || len(got) != 0 {
		t.Errorf("Allocate(0, nil) = %v, %v; want empty", got, err)
	}
}

func TestAllocateErrorText(t *testing.T) {
	d := decimal.RequireFromString
	_, err := money.Allocate(d("1"), []decimal.Decimal{d("2"), d("0.125")})
	if got, want := fmt.Sprint(err), "money: amount is not a whole number of fen: 0.125 (weight 1)"; got != want {
		t.Errorf("Allocate error = %q, want %q", got, want)
	}
}

// TestToFenFastPathAgrees: the int64 path of ToFen gives exactly what the
// exact big-number computation gives, errors included, for coefficients
// and exponents around the fast path's limits.
func TestToFenFastPathAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.OneOf(rapid.Int64(), rapid.Int64Range(-1e6, 1e6), rapid.Int64Range(-1e18, 1e18)).Draw(t, "coef")
		e := int32(rapid.IntRange(-24, 20).Draw(t, "exp"))
		d := decimal.New(c, e)
		got, err := money.ToFen(d)
		want := d.Shift(2)
		switch {
		case want.IsZero():
			if err != nil || got != 0 {
				t.Fatalf("ToFen(%s) = %d, %v; want 0", d, got, err)
			}
		case !want.IsInteger():
			if err == nil {
				t.Fatalf("ToFen(%s) = %d, want an error (not whole fen)", d, got)
			}
		case want.Exponent() > 18 || !want.BigInt().IsInt64():
			if err == nil {
				t.Fatalf("ToFen(%s) = %d, want an error (out of range)", d, got)
			}
		default:
			if err != nil || got != want.BigInt().Int64() {
				t.Fatalf("ToFen(%s) = %d, %v; want %s", d, got, err, want.BigInt())
			}
		}
	})
}

func TestAmount(t *testing.T) {
	for s, want := range map[string]error{"0": nil, "12.30": nil, "45035996273704.96": nil,
		"45035996273704.97": money.ErrRange, "-0.01": money.ErrNegative, "0.001": money.ErrNotFen, "1e30": money.ErrNotFen} {
		_, err := money.Amount(decimal.RequireFromString(s))
		if !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Errorf("Amount(%s) error = %v, want %v", s, err, want)
		}
		if money.Valid(decimal.RequireFromString(s)) != (want == nil) {
			t.Errorf("Valid(%s) = %v", s, want != nil)
		}
	}
}
