package rules

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestEstimateBoundsActualCost is the property the untracked fast path
// relies on: for inputs within the sizes the estimate assumed, the
// actual cost of an evaluation never exceeds the estimated maximum. The
// expressions exercise every input type and the list and string
// operations whose cost depends on size.
func TestEstimateBoundsActualCost(t *testing.T) {
	exprs := []string{
		`tags.exists(t, t == name)`,
		`tags.all(t, t.startsWith("a") || t.contains(name))`,
		`tags.filter(t, t.size() > 2).size() > n`,
		`tags.map(t, t + name).exists(t, t.endsWith("zz"))`,
		`name in tags && flag`,
		`(name + name).size() > n && tags.size() < n`,
		`amount * decimal("0.99") >= decimal(n) || amount < decimal("0")`,
		`wait > duration("1h") && at > timestamp("2023-07-23T00:00:00Z")`,
		`tags.exists(a, tags.exists(b, a == b + name))`,
		`amount == decimal("3.30") || amount != decimal("0") && -amount < amount * amount - amount + decimal(n)`,
		`wait == duration("1h") || days(7) == days(7) && days(3) != days(4) && days(2) <= days(9)`,
		`[amount, decimal("1")].exists(d, d * d >= decimal("0.5") * d)`,
		`name.matches("^a+b?z*$") || name.matches(name)`,
		`name.contains(name) && name.startsWith(name + "a") || name.endsWith("z")`,
		`(tags + tags + [name]).size() > n || name in tags + tags`,
		`tags.map(t, t.size()).exists(x, x > n) && tags.all(t, t < name || t == name)`,
	}
	inputs := []Input{
		{Name: "tags", Type: Strings, MaxItems: 40},
		{Name: "name", Type: String},
		{Name: "n", Type: Int},
		{Name: "flag", Type: Bool},
		{Name: "amount", Type: Decimal},
		{Name: "wait", Type: Duration},
		{Name: "at", Type: Timestamp},
	}
	var decls []Decl
	var file strings.Builder
	file.WriteString("policy: bound\nversion: 2023-07-23\nthresholds:\n")
	for i, e := range exprs {
		name := fmt.Sprintf("t%d", i)
		decls = append(decls, Decl{Name: name, Rule: "ORD-1", Type: Bool, Inputs: inputs})
		fmt.Fprintf(&file, "  %s: '%s'\n", name, e)
	}
	s := MustSchema("bound", decls...)
	set, err := Load(s, fstest.MapFS{"b.yaml": {Data: []byte(file.String())}})
	if err != nil {
		t.Fatal(err)
	}
	v := set.Latest()
	rapid.Check(t, func(t *rapid.T) {
		// At most 85 characters of up to 3 bytes each: within DefaultMaxLen bytes.
		str := rapid.StringOfN(rapid.RuneFrom([]rune("abz中")), 0, DefaultMaxLen/3, DefaultMaxLen)
		args := []any{
			rapid.SliceOfN(str, 0, 40).Draw(t, "tags"),
			str.Draw(t, "name"),
			rapid.Int64().Draw(t, "n"),
			rapid.Bool().Draw(t, "flag"),
			decimal.New(rapid.Int64().Draw(t, "coef"), int32(rapid.IntRange(-MaxDecimalExponent, MaxDecimalExponent).Draw(t, "exp"))),
			time.Duration(rapid.Int64().Draw(t, "wait")),
			time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "at"), 0),
		}
		i := rapid.IntRange(0, len(exprs)-1).Draw(t, "expr")
		p := v.progs[i]
		act := &activation{names: p.names}
		for k, a := range args {
			cv, err := toCEL(&inputs[k], a)
			if err != nil {
				t.Fatalf("generated inputs outside the declared sizes: %v", err)
			}
			act.vals = append(act.vals, cv)
		}
		_, det, err := p.prg.Eval(act)
		if err != nil && !strings.Contains(err.Error(), "out of range") {
			t.Fatalf("%s: %v", exprs[i], err)
		}
		if det == nil || det.ActualCost() == nil {
			t.Fatalf("%s: no cost tracked", exprs[i])
		}
		if p.bounded == nil {
			t.Fatalf("%s: estimate %d over CostLimit; pick expressions the fast path serves", exprs[i], p.cost)
		}
		if got := *det.ActualCost(); got > p.cost {
			t.Fatalf("%s: actual cost %d > estimated %d", exprs[i], got, p.cost)
		}
	})
}
