package money_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

func ExampleAllocateFen() {
	// A 10.00 yuan discount over three lines of 59.90, 19.90 and 9.90.
	lines := []int64{5990, 1990, 990}
	parts := money.AllocateFen(1000, lines)
	fmt.Println(parts)
	// Output:
	// [668 222 110]
}

func ExampleAllocate() {
	total := decimal.RequireFromString("0.10")
	weights := []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(1), decimal.NewFromInt(1)}
	parts, err := money.Allocate(total, weights)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		fmt.Println(p.StringFixed(2))
	}
	// Output:
	// 0.04
	// 0.03
	// 0.03
}

func ExampleToFen() {
	for _, s := range []string{"12.34", "12.345"} {
		fen, err := money.ToFen(decimal.RequireFromString(s))
		fmt.Println(fen, err)
	}
	// Output:
	// 1234 <nil>
	// 0 money: amount is not a whole number of fen: 12.345
}
