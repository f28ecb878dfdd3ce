package rules

import (
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"
)

// costInputs are the inputs of the threshold FuzzCostBound replaces.
var costInputs = []Input{
	{Name: "tags", Type: Strings, MaxItems: 40},
	{Name: "name", Type: String},
	{Name: "n", Type: Int},
	{Name: "flag", Type: Bool},
	{Name: "amount", Type: Decimal},
	{Name: "wait", Type: Duration},
	{Name: "at", Type: Timestamp},
}

// costArgs are inputs at the largest sizes the declarations allow, and
// small ones.
func costArgs() [][]any {
	full := make([]string, 40)
	for i := range full {
		full[i] = strings.Repeat(string(rune('a'+i%3)), DefaultMaxLen)
	}
	big := decimal.RequireFromString(strings.Repeat("9", MaxDecimalDigits)).Shift(-MaxDecimalExponent)
	return [][]any{
		{full, strings.Repeat("a", DefaultMaxLen), int64(math.MaxInt64), true, big, time.Duration(math.MaxInt64), time.Unix(1<<33, 0)},
		{full, strings.Repeat("中", DefaultMaxLen/3), int64(-1), false, decimal.New(1, MaxDecimalExponent), time.Duration(-1), time.Unix(0, 0)},
		{[]string{}, "", int64(0), false, decimal.Zero, time.Duration(0), time.Time{}},
	}
}

// FuzzCostBound is the property a loaded policy relies on, for arbitrary
// expressions: if the expression loads, an evaluation with inputs at
// their declared sizes never costs more than the load-time estimate, so
// the untracked evaluation cannot pass CostLimit.
func FuzzCostBound(f *testing.F) {
	base := costBase(f)
	for _, e := range costSeeds {
		f.Add(e)
	}
	args := costArgs()
	f.Fuzz(func(t *testing.T, expr string) { checkCostBound(t, base, args, expr, false) })
}

// costSeeds are expressions within the budget that read inputs.
var costSeeds = []string{
	`tags.exists(t, t == name)`,
	`tags.map(t, t + name).exists(t, t.endsWith("zz"))`,
	`(name + name).size() > n && tags.size() < n`,
	`amount * amount >= decimal(n) || -amount < amount - amount`,
	`amount == decimal("3.30") || days(7) != days(8)`,
	`wait > duration("1h") && at > timestamp("2023-07-23T00:00:00Z")`,
	`name.matches(name) || name.contains(tags[0])`,
	`tags.all(a, tags.all(b, a + b != name))`,
	`(tags + tags).filter(t, t in tags).size() > 3`,
	`[name, name + name].exists(x, x.size() > n)`,
}

func costBase(tb testing.TB) *Set {
	s := MustSchema("bound", Decl{Name: "t", Rule: "ORD-1", Type: Bool, Inputs: costInputs})
	base, err := Load(s, fstest.MapFS{"b.yaml": {Data: []byte("policy: bound\nversion: 2023-07-23\nthresholds:\n  t: flag\n")}})
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

// TestCostSeedsLoad: the seeds load and read inputs, so that
// FuzzCostBound checks them.
func TestCostSeedsLoad(t *testing.T) {
	base, args := costBase(t), costArgs()
	for _, e := range costSeeds {
		checkCostBound(t, base, args, e, true)
	}
}

// checkCostBound replaces the threshold with expr and, if it loads (it
// must when mustLoad), evaluates it under the tracker with every args.
func checkCostBound(t *testing.T, base *Set, args [][]any, expr string, mustLoad bool) {
	t.Helper()
	{
		set, err := base.OverrideExpr("t", expr)
		if err != nil {
			if mustLoad {
				t.Fatalf("%s: %v", expr, err)
			}
			return
		}
		p := set.Latest().progs[0]
		if p.folded {
			if mustLoad {
				t.Fatalf("%s: folded", expr)
			}
			return // evaluated at load, under the tracker
		}
		for _, a := range args {
			act := &activation{names: p.names}
			for k, x := range a {
				cv, err := toCEL(&costInputs[k], x)
				if err != nil {
					t.Fatalf("input %s: %v", costInputs[k].Name, err)
				}
				act.vals = append(act.vals, cv)
			}
			_, det, err := p.prg.Eval(act)
			if err != nil && errors.Is(evalFailure(err), ErrCostLimit) {
				t.Fatalf("%s: estimated %d, yet the evaluation passed CostLimit", expr, p.cost)
			}
			if det != nil && det.ActualCost() != nil && *det.ActualCost() > p.cost {
				t.Fatalf("%s: actual cost %d > estimated %d", expr, *det.ActualCost(), p.cost)
			}
		}
	}
}
