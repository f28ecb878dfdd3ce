package money

import (
	"cmp"
	"math/big"
	"math/bits"
	"slices"
)

// AllocateFen splits total fen over weights in proportion to the weights,
// by the largest remainder method, and returns one part per weight.
//
// Each part is its exact proportional share total*w/sum(weights) rounded
// down, and the fen left over are handed out one each to the parts with
// the largest fractional remainders; on equal remainders the lower index
// goes first. So the parts sum exactly to total, each part is its exact
// share rounded down or up, a zero weight gets zero, and the same inputs
// always give the same parts. When total <= sum(weights), no part exceeds
// its weight (see [AllocateFenCapped]).
//
// If every weight is zero, total is split as if all weights were equal:
// evenly, with the remainder to the lowest indices. With no weights and a
// zero total the result is empty.
//
// Products and sums are computed without overflow for any int64 inputs.
// AllocateFen panics if total or a weight is negative, or if total is
// positive and weights is empty; [Allocate] reports these as errors.
func AllocateFen(total int64, weights []int64) []int64 {
	if total < 0 {
		panic("money: AllocateFen: negative total")
	}
	for _, w := range weights {
		if w < 0 {
			panic("money: AllocateFen: negative weight")
		}
	}
	parts := make([]int64, len(weights))
	if total == 0 {
		return parts
	}
	if len(weights) == 0 {
		panic("money: AllocateFen: positive total and no weights")
	}

	var sum uint64
	overflow := false
	for _, w := range weights {
		var carry uint64
		sum, carry = bits.Add64(sum, uint64(w), 0)
		overflow = overflow || carry != 0
	}
	if overflow {
		return allocateBig(total, weights, parts)
	}
	even := sum == 0 // all weights zero: weigh them equally
	if even {
		sum = uint64(len(weights))
	}

	// share_i = total*w_i/sum = q_i + r_i/sum. Since w_i <= sum, q_i <=
	// total fits in 64 bits, which is what bits.Div64 needs (hi < sum).
	left := total
	ranked := make([]remainder, 0, len(weights))
	for i, w := range weights {
		if even {
			w = 1
		}
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum)
		parts[i] = int64(q)
		left -= int64(q)
		if r != 0 {
			ranked = append(ranked, remainder{r, i})
		}
	}
	if left == 0 {
		return parts
	}
	// Only parts with a non-zero remainder can be due a fen: the
	// remainders sum to left*sum, each is below sum, so at least left of
	// them are non-zero.
	slices.SortFunc(ranked, func(a, b remainder) int {
		if c := cmp.Compare(b.r, a.r); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for _, x := range ranked[:left] {
		parts[x.i]++
	}
	return parts
}

type remainder struct {
	r uint64
	i int
}

// allocateBig is AllocateFen for weights whose sum overflows uint64.
func allocateBig(total int64, weights []int64, parts []int64) []int64 {
	sum := new(big.Int)
	for _, w := range weights {
		sum.Add(sum, big.NewInt(w))
	}
	t := big.NewInt(total)
	rems := make([]*big.Int, len(weights))
	left := total
	for i, w := range weights {
		q, r := new(big.Int), new(big.Int)
		q.QuoRem(new(big.Int).Mul(t, big.NewInt(w)), sum, r)
		parts[i], rems[i] = q.Int64(), r
		left -= parts[i]
	}
	distribute(parts, left, func(i, j int) int { return rems[i].Cmp(rems[j]) })
	return parts
}

// distribute adds one fen to each of the left parts with the largest
// remainders, compared by cmpRem, lower index first on ties. left is less
// than len(parts), because the remainders sum to left whole fen.
func distribute(parts []int64, left int64, cmpRem func(i, j int) int) {
	if left == 0 {
		return
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := cmpRem(j, i); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	for _, i := range order[:left] {
		parts[i]++
	}
}

// AllocateFenCapped is [AllocateFen] for a total that must not give any
// part more than its weight, such as a discount spread over order lines
// that may not exceed any line's amount. It requires total <=
// sum(weights) and panics otherwise.
//
// Under that condition the largest remainder split already respects the
// caps: a part is its exact share rounded down, or rounded up only when the
// share is not whole, and a share total*w/sum <= w with w whole rounds up
// to at most w. So AllocateFenCapped returns exactly what AllocateFen
// returns; it exists to state and check the precondition at the call site.
func AllocateFenCapped(total int64, weights []int64) []int64 {
	var sum big.Int
	for _, w := range weights {
		sum.Add(&sum, big.NewInt(w))
	}
	if big.NewInt(total).Cmp(&sum) > 0 {
		panic("money: AllocateFenCapped: total exceeds the sum of the weights")
	}
	return AllocateFen(total, weights)
}
