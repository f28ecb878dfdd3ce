package dispute_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/dispute/disputetest"
)

// The machine shares unchanged lists of its input state with the result
// and copies one only before changing it. TestInputsNeverChange branches
// from random earlier states (some given spare capacity, so that an
// append in place would be seen), and after every call checks that no
// state given to the machine and no result it returned has changed.
func TestInputsNeverChange(t *testing.T) {
	m := dispute.New(dispute.Options{})
	rapid.Check(t, func(rt *rapid.T) {
		trade := disputetest.Trade(t0).Draw(rt, "trade")
		type kept struct {
			s     dispute.State // as the machine was given it or returned it
			copy  dispute.State // a deep copy taken then
			res   []byte        // the JSON of the result that returned s
			resOf *dispute.Result
		}
		var all []kept
		keep := func(s dispute.State, res *dispute.Result) {
			k := kept{s: s, copy: s.Clone(), resOf: res}
			if res != nil {
				k.res, _ = json.Marshal(*res)
			}
			all = append(all, k)
		}
		keep(dispute.State{}, nil)
		check := func(what string) {
			for i, k := range all {
				if !cmp.Equal(k.copy, k.s) {
					rt.Fatalf("%s changed state %d:\n%s", what, i, cmp.Diff(k.copy, k.s))
				}
				if k.resOf != nil {
					if b, _ := json.Marshal(*k.resOf); string(b) != string(k.res) {
						rt.Fatalf("%s changed result %d:\n%s\n%s", what, i, k.res, b)
					}
				}
			}
		}
		steps := rapid.IntRange(1, 30).Draw(rt, "steps")
		for range steps {
			from := all[rapid.IntRange(0, len(all)-1).Draw(rt, "from")].s
			if rapid.Bool().Draw(rt, "spare") {
				// The same state with room after its lists.
				from.Complaints = slices.Grow(slices.Clone(from.Complaints), 3)
				from.Reports = slices.Grow(slices.Clone(from.Reports), 3)
				keep(from, nil)
			}
			at := disputetest.Instant(from, from.At.Add(1)).Draw(rt, "at")
			if at.Before(t0) {
				at = t0
			}
			var res dispute.Result
			if rapid.IntRange(0, 3).Draw(rt, "advance") == 0 {
				res = m.AdvanceAt(trade, from, at)
				check("AdvanceAt")
			} else {
				e := disputetest.Event(from).Draw(rt, "event")
				res, _ = m.ApplyAt(trade, from, e, at)
				check("ApplyAt(" + e.Name() + ")")
			}
			keep(res.State, &res)
		}
	})
}
