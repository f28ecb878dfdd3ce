package money_test

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/money"
)

func TestAllocateFen(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"proportional, no remainder", 100, []int64{1, 3}, []int64{25, 75}},
		{"largest remainder wins", 10, []int64{3333, 3333, 3334}, []int64{3, 3, 4}},
		{"ties go to the lower index", 1, []int64{1, 1, 1}, []int64{1, 0, 0}},
		{"two ties", 2, []int64{1, 1, 1}, []int64{1, 1, 0}},
		{"tie after a larger remainder", 2, []int64{1, 2, 1, 2}, []int64{0, 1, 0, 1}},
		{"zero weight gets nothing", 100, []int64{0, 7, 0, 3}, []int64{0, 70, 0, 30}},
		{"all weights zero: even split", 10, []int64{0, 0, 0}, []int64{4, 3, 3}},
		{"zero total", 0, []int64{5, 6}, []int64{0, 0}},
		{"zero total, no weights", 0, nil, []int64{}},
		{"single weight takes all", 999, []int64{1}, []int64{999}},
		{"discount over line amounts", 1000, []int64{5990, 1990, 990}, []int64{668, 222, 110}},
		{"total larger than weights", 1000, []int64{1, 2}, []int64{333, 667}},
		{"huge values do not overflow", math.MaxInt64, []int64{math.MaxInt64, math.MaxInt64}, []int64{math.MaxInt64/2 + 1, math.MaxInt64 / 2}},
		{"weights summing past uint64", 3, []int64{math.MaxInt64, math.MaxInt64, math.MaxInt64, 0}, []int64{1, 1, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.weights)
			got := money.AllocateFen(tt.total, tt.weights)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("AllocateFen(%d, %v) (-want +got):\n%s", tt.total, tt.weights, diff)
			}
			if diff := cmp.Diff(in, tt.weights); diff != "" {
				t.Errorf("AllocateFen changed its weights (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAllocateFenPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"negative total", func() { money.AllocateFen(-1, []int64{1}) }},
		{"negative weight", func() { money.AllocateFen(1, []int64{1, -1}) }},
		{"no weights", func() { money.AllocateFen(1, nil) }},
		{"capped total over weights", func() { money.AllocateFenCapped(4, []int64{1, 2}) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

// genWeights draws weights that are mostly line-sized, sometimes zero and
// sometimes near the int64 limit, to reach the big-number path.
func genWeights() *rapid.Generator[[]int64] {
	w := rapid.OneOf(
		rapid.Int64Range(0, 100_000_00),
		rapid.Just(int64(0)),
		rapid.Int64Range(math.MaxInt64/4, math.MaxInt64),
	)
	return rapid.SliceOfN(w, 1, 60)
}

func genTotal() *rapid.Generator[int64] {
	return rapid.OneOf(rapid.Int64Range(0, 1_000_000_00), rapid.Int64Range(0, math.MaxInt64))
}

func sum(xs []int64) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, big.NewInt(x))
	}
	return s
}

func TestAllocateFenProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		weights := genWeights().Draw(t, "weights")
		total := genTotal().Draw(t, "total")
		parts := money.AllocateFen(total, weights)

		if len(parts) != len(weights) {
			t.Fatalf("%d parts for %d weights", len(parts), len(weights))
		}
		if got := sum(parts); got.Cmp(big.NewInt(total)) != 0 {
			t.Fatalf("parts %v sum to %v, want %d", parts, got, total)
		}
		if again := money.AllocateFen(total, weights); !slices.Equal(parts, again) {
			t.Fatalf("not deterministic: %v then %v", parts, again)
		}

		sw := sum(weights)
		allZero := sw.Sign() == 0
		for i, w := range weights {
			// Exact share total*w/sum as floor and ceiling.
			num, den := new(big.Int).Mul(big.NewInt(total), big.NewInt(w)), sw
			if allZero {
				num, den = big.NewInt(total), big.NewInt(int64(len(weights)))
			}
			floor, rem := new(big.Int).QuoRem(num, den, new(big.Int))
			ceil := new(big.Int).Set(floor)
			if rem.Sign() != 0 {
				ceil.Add(ceil, big.NewInt(1))
			}
			p := big.NewInt(parts[i])
			if p.Cmp(floor) < 0 || p.Cmp(ceil) > 0 {
				t.Fatalf("part %d = %d, outside [%v, %v] for weight %d", i, parts[i], floor, ceil, w)
			}
			if !allZero && w == 0 && parts[i] != 0 {
				t.Fatalf("zero weight %d got %d", i, parts[i])
			}
			if big.NewInt(total).Cmp(sw) <= 0 && parts[i] > w {
				t.Fatalf("part %d = %d exceeds its weight %d though total %d <= sum %v", i, parts[i], w, total, sw)
			}
		}
	})
}

func TestAllocateFenCappedProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		weights := genWeights().Draw(t, "weights")
		sw := sum(weights)
		limit := int64(math.MaxInt64)
		if sw.IsInt64() {
			limit = sw.Int64()
		}
		total := rapid.Int64Range(0, limit).Draw(t, "total")
		parts := money.AllocateFenCapped(total, weights)
		if want := money.AllocateFen(total, weights); !slices.Equal(want, parts) {
			t.Fatalf("AllocateFenCapped = %v, AllocateFen = %v", parts, want)
		}
		for i, w := range weights {
			if parts[i] > w {
				t.Fatalf("part %d = %d exceeds its weight %d", i, parts[i], w)
			}
		}
	})
}

// TestAllocateFenTieOrder checks that equal weights are filled from the
// front: the parts never increase along a run of equal weights.
func TestAllocateFenTieOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "n")
		w := rapid.Int64Range(0, 1000).Draw(t, "weight")
		total := rapid.Int64Range(0, 10_000).Draw(t, "total")
		parts := money.AllocateFen(total, slices.Repeat([]int64{w}, n))
		for i := 1; i < n; i++ {
			if parts[i] > parts[i-1] {
				t.Fatalf("equal weights got %v: a later index got more", parts)
			}
		}
	})
}

func BenchmarkAllocateFen(b *testing.B) {
	weights := make([]int64, 50)
	for i := range weights {
		weights[i] = int64(1990 + 1013*i%9973)
	}
	for _, total := range []int64{1000, 123_457} {
		b.Run(fmt.Sprint("total=", total), func(b *testing.B) {
			for b.Loop() {
				money.AllocateFen(total, weights)
			}
		})
	}
}
