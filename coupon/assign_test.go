package coupon

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestAssignGeneralsIsOptimal checks the assignment of general coupons to
// orders against exhaustive search on up to 6 orders and 6 coupons, with
// some orders fixed: the largest total gain, then the fewest coupons, with
// each coupon in at most one order and each order holding at most one.
func TestAssignGeneralsIsOptimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		no := rapid.IntRange(1, 6).Draw(t, "orders")
		ng := rapid.IntRange(0, 6).Draw(t, "coupons")
		s := &searcher{}
		for g := range ng {
			s.generals = append(s.generals, 100+g)
		}
		opts := make([]orderOpts, no)
		for o := range opts {
			base := rapid.Int64Range(0, 50).Draw(t, "base")
			opts[o] = orderOpts{noGen: cand{value: base, coupons: make([]int, rapid.IntRange(0, 3).Draw(t, "n"))}, withGen: map[int]cand{}}
			for _, g := range s.generals {
				if rapid.IntRange(0, 3).Draw(t, "usable") > 0 {
					// Gains with many ties, some none, some worse.
					opts[o].withGen[g] = cand{value: base + rapid.Int64Range(-2, 6).Draw(t, "gain"), coupons: make([]int, rapid.IntRange(0, 4).Draw(t, "k"))}
				}
			}
		}
		fixed := map[int]int{}
		for o := range no {
			if rapid.IntRange(0, 4).Draw(t, "fix") == 0 {
				g := -1
				if ng > 0 && rapid.Bool().Draw(t, "fix to a coupon") {
					g = s.generals[rapid.IntRange(0, ng-1).Draw(t, "fixed coupon")]
				}
				dup := false
				for _, h := range fixed {
					dup = dup || (h == g && g >= 0)
				}
				if !dup {
					fixed[o] = g
				}
			}
		}
		got := s.assignGenerals(opts, fixed)
		var gv, gn int64
		used := map[int]bool{}
		for _, g := range fixed {
			used[g] = true
		}
		for o, g := range got {
			dv, dn, ok := gainOf(opts, o, g)
			if _, isFixed := fixed[o]; !ok || isFixed || used[g] {
				t.Fatalf("order %d given coupon %d: gain ok %v, fixed %v, used %v", o, g, ok, isFixed, used[g])
			}
			used[g] = true
			gv, gn = gv+dv, gn+int64(dn)
		}
		// Exhaustive: each free order takes nothing or a free coupon.
		bv, bn := int64(0), int64(0)
		taken := map[int]bool{}
		for _, g := range fixed {
			taken[g] = true
		}
		var rec func(o int, v, n int64)
		rec = func(o int, v, n int64) {
			if o == no {
				if v > bv || (v == bv && n < bn) {
					bv, bn = v, n
				}
				return
			}
			rec(o+1, v, n)
			if _, ok := fixed[o]; ok {
				return
			}
			for _, g := range s.generals {
				if dv, dn, ok := gainOf(opts, o, g); ok && !taken[g] {
					taken[g] = true
					rec(o+1, v+dv, n+int64(dn))
					taken[g] = false
				}
			}
		}
		rec(0, 0, 0)
		if gv != bv || gn != bn {
			t.Fatalf("assignment %v gains %d fen with %+d coupons; exhaustive search %d fen with %+d", got, gv, gn, bv, bn)
		}
	})
}

// benchAssign builds n orders and n general coupons with random gains.
func benchAssign(n int) (*searcher, []orderOpts) {
	s := &searcher{}
	opts := make([]orderOpts, n)
	for o := range opts {
		opts[o] = orderOpts{noGen: cand{}, withGen: map[int]cand{}}
	}
	for g := range n {
		s.generals = append(s.generals, g)
		for o := range opts {
			opts[o].withGen[g] = cand{value: int64((g*7919+o*104729)%1000 + 1), coupons: []int{g}}
		}
	}
	return s, opts
}

func BenchmarkAssignGenerals(b *testing.B) {
	for _, n := range []int{12, 50, 200} {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			s, opts := benchAssign(n)
			for b.Loop() {
				s.assignGenerals(opts, nil)
			}
		})
	}
}
