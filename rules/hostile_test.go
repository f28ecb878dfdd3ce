package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// hostileSchema is the schema of the tests of hostile rule files and
// inputs: decimals, windows, bounded and enumerated strings, bounds.
var hostileSchema = rules.MustSchema("shop",
	rules.Decl{Name: "cap", Rule: "PTS-2", Type: rules.Decimal,
		Inputs: []rules.Input{{Name: "order.payable", Type: rules.Decimal}}},
	rules.Decl{Name: "ok", Rule: "PTS-3", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "x", Type: rules.Decimal}, {Name: "wait", Type: rules.Duration}}},
	rules.Decl{Name: "ratio", Rule: "PTS-1", Type: rules.Decimal, Min: "0", Max: "1"},
	rules.Decl{Name: "text", Rule: "PAY-1", Type: rules.String,
		Inputs: []rules.Input{{Name: "s", Type: rules.String}}},
	rules.Decl{Name: "match", Rule: "PAY-2", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "s", Type: rules.String}, {Name: "pat", Type: rules.String}}},
	rules.Decl{Name: "loop", Rule: "CPN-1", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "tags", Type: rules.Strings, MaxItems: 100}}},
	rules.Decl{Name: "staged", Rule: "RFD-2", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "refund.stage", Type: rules.String, Values: []string{"before_shipment", "shipped", "received"}}}},
	rules.Decl{Name: "respond", Rule: "RFD-3", Type: rules.Window, Min: "1s", Max: "days(30)",
		Inputs: []rules.Input{{Name: "wait", Type: rules.Duration}}},
	rules.Decl{Name: "count", Rule: "ORD-1", Type: rules.Int, Min: "1", Max: "10"},
	rules.Decl{Name: "kinds", Rule: "CPN-2", Type: rules.Strings},
	rules.Decl{Name: "tagged", Rule: "RFD-5", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "item.tags", Type: rules.Strings, MaxItems: 20, Values: []string{"no_reason", "fresh"}}}},
	rules.Decl{Name: "picked", Rule: "CPN-3", Type: rules.Strings,
		Inputs: []rules.Input{{Name: "flag", Type: rules.Bool}}},
)

const hostileBase = `policy: shop
version: 2023-07-23
thresholds:
  cap: order.payable * decimal("0.99")
  ok: x < decimal("1")
  ratio: decimal("0.99")
  text: s
  match: s.matches(pat)
  loop: tags.exists(t, t == "a")
  staged: refund.stage == "received"
  respond: 'wait > duration("0s") ? wait : duration("48h")'
  count: '3'
  kinds: '["general", "shop"]'
  picked: 'flag ? ["a", "b"] : ["c"]'
  tagged: '"fresh" in item.tags'
tests:
  - name: received
    input: {refund: {stage: received}}
    want: {staged: true}
  - name: a stage left out is the first of its values
    want: {staged: false}
`

func loadHostile(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load(hostileSchema, fstest.MapFS{"shop.yaml": {Data: []byte(hostileBase)}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// loadErr replaces one threshold with expr and returns the single load
// error, which must wrap want.
func loadErr(t *testing.T, set *rules.Set, name, expr string, want error) *rules.Error {
	t.Helper()
	_, err := set.OverrideExpr(name, expr)
	var errs rules.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("OverrideExpr(%s, %.60q): err = %v, want rules.Errors", name, expr, err)
	}
	if !errors.Is(errs[0], want) {
		t.Fatalf("OverrideExpr(%s, %.60q): %v, want %v", name, expr, errs[0], want)
	}
	if errs[0].Line < 1 || errs[0].Col < 1 {
		t.Errorf("error without a position: %v", errs[0])
	}
	return errs[0]
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestDecimalBounds: decimals are bounded as MaxDecimalDigits and
// MaxDecimalExponent say, at the boundary, in literals, inputs and
// results; a constant out of range is a load error at its position.
func TestDecimalBounds(t *testing.T) {
	set := loadHostile(t)
	digits40 := strings.Repeat("9", rules.MaxDecimalDigits)
	for _, expr := range []string{`decimal("1e-40")`, `decimal("1e40")`, `decimal("` + digits40 + `")`, `decimal("-0.` + digits40 + `") * decimal("1e-0")`} {
		if _, err := set.OverrideExpr("cap", "order.payable + "+expr); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
	for _, tc := range []struct{ expr, col string }{
		{`order.payable + decimal("1e-41")`, ":1:17:"},
		{`order.payable + decimal("1e41")`, ":1:17:"},
		{`order.payable + decimal("` + digits40 + `9")`, ":1:17:"},
		{`order.payable + decimal("1e-40") * decimal("0.1")`, ":1:34:"}, // folded at load, at the operator
	} {
		e := loadErr(t, set, "cap", tc.expr, rules.ErrValue)
		if !strings.Contains(e.Error(), tc.col) || !strings.Contains(e.Msg, "out of range") {
			t.Errorf("%.50s: %v, want an out-of-range error at %s", tc.expr, e, tc.col)
		}
	}
	loadErr(t, set, "cap", `order.payable + decimal("1e-999999999")`, rules.ErrValue)
	v := set.Latest()
	// Inputs beyond the bounds are refused before evaluation.
	for _, x := range []decimal.Decimal{dec("1e-41"), decimal.New(1, -1_000_000_000), dec("1" + digits40)} {
		start := time.Now()
		if _, err := v.Eval("cap", x); !errors.Is(err, rules.ErrInput) || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("input %s: err = %v, want ErrInput", x.String()[:min(20, len(x.String()))], err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("refusing an input took %v", d)
		}
	}
	if _, err := v.Eval("cap", dec("1e-38")); err != nil {
		t.Errorf("input 1e-38: %v", err)
	}
	// A result beyond them fails the evaluation.
	over, err := set.OverrideExpr("cap", "order.payable * order.payable")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := over.Latest().Eval("cap", dec("1e-21")); !errors.Is(err, rules.ErrEval) || !strings.Contains(err.Error(), "decimal *: result 1e-42 is out of range") {
		t.Errorf("result 1e-42: %v", err)
	}
	if got, err := over.Latest().Eval("cap", dec("1e-20")); err != nil || !got.(decimal.Decimal).Equal(dec("1e-40")) {
		t.Errorf("result 1e-40: %v %v", got, err)
	}
}

// TestDecimalProbes: the expressions that once took seconds per
// evaluation are refused at load, fast.
func TestDecimalProbes(t *testing.T) {
	set := loadHostile(t)
	group := "(" + strings.TrimSuffix(strings.Repeat(`decimal("1e-9999") * `, 100), " * ") + ")"
	var long strings.Builder
	long.WriteString(`x < decimal("0")`)
	for long.Len() < 90_000 {
		long.WriteString(` || x < decimal("1e-99999")`)
	}
	konst := `decimal("0.99")`
	for len(konst) < 21_000 {
		konst += " + " + group
	}
	for _, tc := range []struct{ name, expr string }{
		{"cap", `order.payable * decimal("0.99") + ` + strings.TrimSuffix(strings.Repeat(group+" + ", 5), " + ")},
		{"ok", long.String()},
		{"ratio", konst},
	} {
		start := time.Now()
		e := loadErr(t, set, tc.name, tc.expr, rules.ErrValue)
		if d := time.Since(start); d > 10*time.Second { // about 0.3 s on an idle machine
			t.Errorf("%s: refused in %v", tc.name, d)
		}
		if n := len(e.Error()); n > 2000 {
			t.Errorf("%s: error text of %d bytes", tc.name, n)
		}
	}
}

// TestEveryOperator evaluates every operator the package doc promises
// on decimals and windows, == and != included.
func TestEveryOperator(t *testing.T) {
	set := loadHostile(t)
	tests := []struct {
		expr string
		want bool
	}{
		{`x == decimal("3.30")`, true},
		{`x != decimal("0")`, true},
		{`decimal("1") == decimal("1.0")`, true},
		{`decimal("1") != decimal("1.0")`, false},
		{`x < decimal("3.31") && x <= decimal("3.3") && x > decimal("3.29") && x >= decimal("3.3")`, true},
		{`x + decimal("0.7") == decimal(4)`, true},
		{`x - decimal("0.3") == decimal(3)`, true},
		{`x * decimal("2") == decimal("6.6")`, true},
		{`-x == decimal("-3.3")`, true},
		{`days(7) == days(7)`, true},
		{`days(7) != days(8)`, true},
		{`days(7) < days(8) && days(8) <= days(8) && days(9) > days(8) && days(8) >= days(8)`, true},
		{`wait == duration("1h") && wait != duration("2h") && wait < duration("2h")`, true},
	}
	for _, tt := range tests {
		over, err := set.OverrideExpr("ok", tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		got, err := over.Latest().Eval("ok", dec("3.3"), time.Hour)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.expr, got, err, tt.want)
		}
		if c, _ := over.Latest().Cost("ok"); c > 200 {
			t.Errorf("%s: estimated cost %d", tt.expr, c)
		}
	}
}

// TestBudgetIsTheLimit: an expression estimated over the run-time limit
// is refused at load with its position and ErrCost, with advice that
// fits whether it reads inputs; one within it runs at its inputs'
// declared sizes without reaching the limit.
func TestBudgetIsTheLimit(t *testing.T) {
	set := loadHostile(t)
	e := loadErr(t, set, "loop", `tags.exists(a, tags.exists(b, a + b + a == "x"))`, rules.ErrCost)
	if !strings.Contains(e.Msg, "over the budget of 1000000") || !strings.Contains(e.Msg, "declared sizes") {
		t.Errorf("input-reading over budget: %v", e)
	}
	list := "[" + strings.TrimSuffix(strings.Repeat("1, ", 100), ", ") + "]"
	e = loadErr(t, set, "count", fmt.Sprintf("%s.all(a, %s.all(b, %s.all(c, a + b + c > 0))) ? 1 : 2", list, list, list), rules.ErrCost)
	if !strings.Contains(e.Msg, "simplify the expression") || strings.Contains(e.Msg, "input") {
		t.Errorf("input-free over budget: %v", e)
	}
	within, err := set.OverrideExpr("loop", `tags.exists(a, tags.exists(b, a == b + "x"))`)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := within.Latest().Cost("loop"); c > rules.CostLimit {
		t.Fatalf("estimate %d", c)
	}
	tags := make([]string, 100)
	for i := range tags {
		tags[i] = strings.Repeat(string(rune('a'+i%26)), rules.DefaultMaxLen)
	}
	if got, err := within.Latest().Eval("loop", tags); err != nil || got != false {
		t.Errorf("at full size: %v %v", got, err)
	}
}

// TestStringSizes: string inputs beyond their declared MaxLen are
// refused at the evaluation boundary, at once; a larger MaxLen makes the
// estimate, and so the load, honest about what the expression costs.
func TestStringSizes(t *testing.T) {
	set := loadHostile(t)
	cat, err := set.OverrideExpr("text", strings.TrimSuffix(strings.Repeat("s + ", 9), " + "))
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 32<<20)
	start := time.Now()
	_, err = cat.Latest().Eval("text", big)
	if !errors.Is(err, rules.ErrInput) || !strings.Contains(err.Error(), "input s: a string of 33554432 bytes, over the declared maximum of 256") {
		t.Errorf("32 MB string: %v", err)
	}
	text, pat := strings.Repeat("a", 16<<10), strings.Repeat("(a|b)", (16<<10)/5)
	if _, err := set.Latest().Eval("match", text, pat); !errors.Is(err, rules.ErrInput) {
		t.Errorf("16 KB matches: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %v", d)
	}
	at := strings.Repeat("y", rules.DefaultMaxLen)
	if got, err := cat.Latest().Eval("text", at); err != nil || len(got.(string)) != 9*rules.DefaultMaxLen {
		t.Errorf("a string of DefaultMaxLen: %v", err)
	}

	wide := rules.MustSchema("shop", rules.Decl{Name: "match", Rule: "PAY-2", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "s", Type: rules.String, MaxLen: 16 << 10}, {Name: "pat", Type: rules.String, MaxLen: 16 << 10}}})
	_, err = rules.Load(wide, fstest.MapFS{"w.yaml": {Data: []byte("policy: shop\nversion: 2023-07-23\nthresholds:\n  match: s.matches(pat)\n")}})
	if !errors.Is(err, rules.ErrCost) || !strings.Contains(err.Error(), "w.yaml:4:10:") {
		t.Errorf("matches on 16 KB inputs: %v, want ErrCost at 4:10", err)
	}
}

// TestSchemaStringDecls: MaxLen, Values, Min and Max are checked when
// the schema is built.
func TestSchemaStringDecls(t *testing.T) {
	for _, d := range []rules.Decl{
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Inputs: []rules.Input{{Name: "n", Type: rules.Int, MaxLen: 3}}},
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Inputs: []rules.Input{{Name: "s", Type: rules.String, MaxLen: -1}}},
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Inputs: []rules.Input{{Name: "n", Type: rules.Int, Values: []string{"1"}}}},
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Inputs: []rules.Input{{Name: "s", Type: rules.String, Values: []string{"x", "x"}}}},
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Inputs: []rules.Input{{Name: "s", Type: rules.String, MaxLen: 2, Values: []string{"xyz"}}}},
		{Name: "a", Rule: "ORD-1", Type: rules.Bool, Min: "1"},
		{Name: "a", Rule: "ORD-1", Type: rules.Int, Min: "x"},
		{Name: "a", Rule: "ORD-1", Type: rules.Int, Min: "5", Max: "4"},
		{Name: "a", Rule: "ORD-1", Type: rules.Decimal, Max: "1e-41"},
		{Name: "a", Rule: "ORD-1", Type: rules.Window, Min: "days(0)"},
	} {
		if _, err := rules.NewSchema("shop", d); err == nil {
			t.Errorf("NewSchema(%+v) succeeded", d)
		}
	}
	d, _ := hostileSchema.Decl("respond")
	if got := d.Bounds(); got != "at least 1s, at most days(30)" {
		t.Errorf("Bounds() = %q", got)
	}
}

// TestEnumeratedStrings: a literal compared with an enumerated input it
// can never equal is a load error with a suggestion; an evaluation given
// a value outside the enumeration is refused.
func TestEnumeratedStrings(t *testing.T) {
	set := loadHostile(t)
	for _, tc := range []struct{ expr, want string }{
		{`refund.stage != "recieved"`, `<expr>:1:17: threshold staged: refund.stage is never "recieved" (it is one of before_shipment, shipped, received); did you mean "received"?`},
		{`"shiped" == refund.stage`, `<expr>:1:1: threshold staged: refund.stage is never "shiped" (it is one of before_shipment, shipped, received); did you mean "shipped"?`},
		{`refund.stage in ["shipped", "before shipment"]`, `<expr>:1:29: threshold staged: refund.stage is never "before shipment" (it is one of before_shipment, shipped, received); did you mean "before_shipment"?`},
		{`refund.stage == "cancelled"`, `<expr>:1:17: threshold staged: refund.stage is never "cancelled" (it is one of before_shipment, shipped, received)`},
	} {
		e := loadErr(t, set, "staged", tc.expr, rules.ErrValue)
		if got, _, _ := strings.Cut(e.Error(), "\n"); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.expr, got, tc.want)
		}
	}
	e := loadErr(t, set, "tagged", `"no-reason" in item.tags`, rules.ErrValue)
	if !strings.Contains(e.Msg, `item.tags is never "no-reason" (it is one of no_reason, fresh); did you mean "no_reason"?`) {
		t.Errorf("a literal in a list input: %v", e)
	}
	if _, err := set.Latest().Eval("tagged", []string{"fresh", "stale"}); !errors.Is(err, rules.ErrInput) || !strings.Contains(err.Error(), `element 1: "stale" is not one of no_reason, fresh`) {
		t.Errorf("a list element outside Values: %v", err)
	}
	for _, expr := range []string{`refund.stage != "shipped"`, `refund.stage in ["shipped", "received"]`, `refund.stage.startsWith("x")`} {
		if _, err := set.OverrideExpr("staged", expr); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
	v := set.Latest()
	if got, err := v.Eval("staged", "received"); err != nil || got != true {
		t.Errorf("received: %v %v", got, err)
	}
	if _, err := v.Eval("staged", "recieved"); !errors.Is(err, rules.ErrInput) || !strings.Contains(err.Error(), `"recieved" is not one of before_shipment, shipped, received`) {
		t.Errorf("recieved: %v", err)
	}
	if _, err := rules.Load(hostileSchema, fstest.MapFS{"shop.yaml": {Data: []byte(strings.Replace(hostileBase, "stage: received}", "stage: recieved}", 1))}}); !errors.Is(err, rules.ErrValue) {
		t.Errorf("a test case with an input outside the enumeration: %v", err)
	}
}

// TestThresholdBounds: a declared Min or Max is enforced at load for a
// constant and at evaluation otherwise.
func TestThresholdBounds(t *testing.T) {
	set := loadHostile(t)
	for _, tc := range []struct{ name, expr, want string }{
		{"respond", `duration("0s")`, `value 0s is below the minimum 1s that respond declares`},
		{"respond", `days(31)`, `value days(31) is above the maximum days(30) that respond declares`},
		{"count", `0`, `value 0 is below the minimum 1 that count declares`},
		{"count", `11`, `value 11 is above the maximum 10 that count declares`},
		{"ratio", `decimal("1.01")`, `value 1.01 is above the maximum 1 that ratio declares`},
		{"ratio", `-decimal("0.01")`, `value -0.01 is below the minimum 0 that ratio declares`},
	} {
		e := loadErr(t, set, tc.name, tc.expr, rules.ErrValue)
		if !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%s: %s: %v, want %q", tc.name, tc.expr, e, tc.want)
		}
	}
	for _, tc := range []struct{ name, expr string }{
		{"respond", `duration("1s")`}, {"respond", `days(30)`}, {"respond", `duration("720h")`},
		{"count", `1`}, {"count", `10`}, {"ratio", `decimal("0")`}, {"ratio", `decimal("1.000")`},
	} {
		if _, err := set.OverrideExpr(tc.name, tc.expr); err != nil {
			t.Errorf("%s: %s at the boundary: %v", tc.name, tc.expr, err)
		}
	}
	v := set.Latest()
	if _, err := v.Eval("respond", time.Nanosecond); !errors.Is(err, rules.ErrEval) || !strings.Contains(err.Error(), "value 1ns is below the minimum 1s") {
		t.Errorf("respond(1ns): %v", err)
	}
	if got, err := v.Eval("respond", time.Second); err != nil || got != clock.Exactly(time.Second) {
		t.Errorf("respond(1s): %v %v", got, err)
	}
	if _, err := v.Eval("respond", 721*time.Hour); !errors.Is(err, rules.ErrEval) {
		t.Errorf("respond(721h): %v", err)
	}
}

// TestDaysBound: rule files and clock share one bound on days(n).
func TestDaysBound(t *testing.T) {
	set := loadHostile(t)
	if _, err := set.OverrideExpr("respond", fmt.Sprintf("wait > duration(\"0s\") ? days(%d) : days(1)", clock.MaxDays)); err != nil {
		t.Errorf("days(MaxDays): %v", err)
	}
	if _, err := clock.ParseWindow(fmt.Sprintf("days(%d)", clock.MaxDays)); err != nil {
		t.Errorf("clock: days(MaxDays): %v", err)
	}
	e := loadErr(t, set, "respond", fmt.Sprintf("wait > duration(\"0s\") ? days(%d) : days(1)", clock.MaxDays+1), rules.ErrValue)
	if !strings.Contains(e.Msg, fmt.Sprintf("want 1 to %d", clock.MaxDays)) {
		t.Errorf("days(MaxDays+1): %v", e)
	}
}

// TestNothingAliasesTheSet: values a caller receives are its own.
func TestNothingAliasesTheSet(t *testing.T) {
	set := loadHostile(t)
	v := set.Latest()
	kinds := rules.MustKey[[]string](hostileSchema, "kinds")
	picked := rules.MustKey[[]string](hostileSchema, "picked")
	mutate := func(x any) {
		if l, ok := x.([]string); ok && len(l) > 0 {
			l[0] = "MUTATED"
		}
	}
	a, _ := rules.Get(v, kinds)
	mutate(a)
	x, _ := v.Eval("kinds")
	mutate(x)
	y, _, _ := v.Explain("kinds")
	mutate(y)
	z, _, _ := rules.Explain(v, kinds)
	mutate(z)
	b, _ := rules.Get(v, picked, true)
	mutate(b)
	got, _ := rules.Get(v, kinds)
	if diff := cmp.Diff([]string{"general", "shop"}, got); diff != "" {
		t.Errorf("kinds after mutating what Get, Eval and Explain returned (-want +got):\n%s", diff)
	}
	got, _ = rules.Get(v, picked, true)
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("picked (-want +got):\n%s", diff)
	}
	for _, r := range set.RunTests() {
		if !r.Passed() {
			t.Errorf("the file's own case fails after mutation: %+v", r)
		}
	}
	vs := set.Versions()
	vs[0] = nil
	if set.Versions()[0] == nil {
		t.Error("Versions aliases the set")
	}
	decls := hostileSchema.Decls()
	decls[6].Inputs[0].Values[0] = "MUTATED"
	d, _ := hostileSchema.Decl("staged")
	d.Inputs[0].Values[1] = "MUTATED"
	if again, _ := hostileSchema.Decl("staged"); again.Inputs[0].Values[0] != "before_shipment" || again.Inputs[0].Values[1] != "shipped" {
		t.Errorf("Decls/Decl alias the schema: %v", again.Inputs[0].Values)
	}
	// A constant list inside an input-reading expression is not shared.
	echo, err := set.OverrideExpr("picked", `flag ? ["x"] : ["y"]`)
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := rules.Get(echo.Latest(), picked, true)
	mutate(r1)
	if r2, _ := rules.Get(echo.Latest(), picked, true); r2[0] != "x" {
		t.Errorf("a constant list of a program is shared: %v", r2)
	}
}
