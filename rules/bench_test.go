package rules

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

// The benchmarks of the "Benchmarks" section; BENCH.md has the
// figures and the command.

var benchSchema = MustSchema("bench",
	Decl{Name: "auto_confirm", Rule: "ORD-9", Type: Window},
	Decl{Name: "bulk", Rule: "ORD-12", Type: Bool,
		Inputs: []Input{{Name: "order.count", Type: Int}, {Name: "limit", Type: Int}}},
	Decl{Name: "cap_ok", Rule: "PTS-1", Type: Bool,
		Inputs: []Input{{Name: "amount", Type: Decimal}, {Name: "limit", Type: Decimal}}},
)

const (
	benchIntExpr = `order.count > 3 && order.count < limit`
	benchDecExpr = `amount * decimal("0.99") >= limit`
)

var benchFile = fmt.Sprintf(`policy: bench
version: 2023-07-23
thresholds:
  auto_confirm: days(7)
  bulk: '%s'
  cap_ok: '%s'
`, benchIntExpr, benchDecExpr)

var (
	benchSinkWindow clock.Window
	benchSinkBool   bool
	benchSinkAny    any
	benchSinkDec    Decision
)

func benchVersion(b *testing.B) *Version {
	b.Helper()
	set, err := Load(benchSchema, fstest.MapFS{"bench.yaml": {Data: []byte(benchFile)}})
	if err != nil {
		b.Fatal(err)
	}
	return set.Latest()
}

// BenchmarkFolded reads a threshold folded at load (days(7)), beside a
// plain struct field read.
func BenchmarkFolded(b *testing.B) {
	b.Run("Get", func(b *testing.B) {
		v := benchVersion(b)
		k := MustKey[clock.Window](benchSchema, "auto_confirm")
		for b.Loop() {
			w, err := Get(v, k)
			if err != nil {
				b.Fatal(err)
			}
			benchSinkWindow = w
		}
	})
	b.Run("StructField", func(b *testing.B) {
		p := &struct{ AutoConfirm clock.Window }{clock.Days(7)}
		for b.Loop() {
			benchSinkWindow = p.AutoConfirm
		}
	})
}

// BenchmarkInputs evaluates input-reading thresholds with Get, and the
// same expressions through raw cel-go in the same run.
func BenchmarkInputs(b *testing.B) {
	v := benchVersion(b)
	bulk := MustKey[bool](benchSchema, "bulk")
	capOK := MustKey[bool](benchSchema, "cap_ok")
	amount, limit := decimal.RequireFromString("200.00"), decimal.RequireFromString("100")

	b.Run("int/Get", func(b *testing.B) {
		for b.Loop() {
			ok, err := Get(v, bulk, int64(5), int64(10))
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			benchSinkBool = ok
		}
	})
	b.Run("decimal/Get", func(b *testing.B) {
		for b.Loop() {
			ok, err := Get(v, capOK, amount, limit)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			benchSinkBool = ok
		}
	})

	// Raw cel-go: an environment with the same declarations (and, for the
	// decimal expression, the library's decimal type and functions).
	intEnv, err := cel.NewEnv(cel.Variable("order.count", cel.IntType), cel.Variable("limit", cel.IntType))
	if err != nil {
		b.Fatal(err)
	}
	base, err := baseEnv()
	if err != nil {
		b.Fatal(err)
	}
	decEnv, err := base.Extend(cel.Variable("amount", decimalCELType), cel.Variable("limit", decimalCELType))
	if err != nil {
		b.Fatal(err)
	}
	program := func(b *testing.B, env *cel.Env, expr string, opts ...cel.ProgramOption) cel.Program {
		b.Helper()
		ast, iss := env.Compile(expr)
		if iss.Err() != nil {
			b.Fatal(iss.Err())
		}
		prg, err := env.Program(ast, append(opts, cel.EvalOptions(cel.OptOptimize))...)
		if err != nil {
			b.Fatal(err)
		}
		return prg
	}
	eval := func(b *testing.B, prg cel.Program, act func() any) {
		for b.Loop() {
			out, _, err := prg.Eval(act())
			if err != nil || out != types.True {
				b.Fatal(out, err)
			}
			benchSinkAny = out
		}
	}
	limited := cel.CostLimit(CostLimit)
	fold := cel.CustomDecorator(foldConstructors)
	count, lim := int64(5), int64(10)

	b.Run("int/CELActivation", func(b *testing.B) {
		prg := program(b, intEnv, benchIntExpr)
		eval(b, prg, func() any { return &benchIntActivation{count: count, limit: lim} })
	})
	b.Run("int/CELActivationCostLimit", func(b *testing.B) {
		prg := program(b, intEnv, benchIntExpr, limited)
		eval(b, prg, func() any { return &benchIntActivation{count: count, limit: lim} })
	})
	b.Run("int/CELMap", func(b *testing.B) {
		prg := program(b, intEnv, benchIntExpr)
		eval(b, prg, func() any { return map[string]any{"order.count": count, "limit": lim} })
	})
	b.Run("decimal/CELActivation", func(b *testing.B) {
		prg := program(b, decEnv, benchDecExpr, fold)
		eval(b, prg, func() any { return &benchDecActivation{amount: amount, limit: limit} })
	})
	b.Run("decimal/CELActivationCostLimit", func(b *testing.B) {
		prg := program(b, decEnv, benchDecExpr, fold, limited)
		eval(b, prg, func() any { return &benchDecActivation{amount: amount, limit: limit} })
	})
	b.Run("decimal/CELMap", func(b *testing.B) {
		prg := program(b, decEnv, benchDecExpr, fold)
		eval(b, prg, func() any { return map[string]any{"amount": decimalVal{amount}, "limit": decimalVal{limit}} })
	})
}

// benchIntActivation is the best activation cel-go offers: a custom
// interpreter.Activation resolving the two names without a map.
type benchIntActivation struct{ count, limit int64 }

func (a *benchIntActivation) ResolveName(name string) (any, bool) {
	switch name {
	case "order.count":
		return types.Int(a.count), true
	case "limit":
		return types.Int(a.limit), true
	}
	return nil, false
}

func (a *benchIntActivation) Parent() interpreter.Activation { return nil }

type benchDecActivation struct{ amount, limit decimal.Decimal }

func (a *benchDecActivation) ResolveName(name string) (any, bool) {
	switch name {
	case "amount":
		return decimalVal{a.amount}, true
	case "limit":
		return decimalVal{a.limit}, true
	}
	return nil, false
}

func (a *benchDecActivation) Parent() interpreter.Activation { return nil }

// BenchmarkExplain is Get of the input-reading thresholds plus the decision.
func BenchmarkExplain(b *testing.B) {
	v := benchVersion(b)
	b.Run("int", func(b *testing.B) {
		k := MustKey[bool](benchSchema, "bulk")
		for b.Loop() {
			ok, d, err := Explain(v, k, int64(5), int64(10))
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			benchSinkDec = d
		}
	})
	b.Run("decimal", func(b *testing.B) {
		k := MustKey[bool](benchSchema, "cap_ok")
		amount, limit := decimal.RequireFromString("200.00"), decimal.RequireFromString("100")
		for b.Loop() {
			ok, d, err := Explain(v, k, amount, limit)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			benchSinkDec = d
		}
	})
}

// BenchmarkLoad50 loads and compiles a rule file of 50 thresholds, of
// every result type, half of them reading inputs.
func BenchmarkLoad50(b *testing.B) {
	schema, file := bench50()
	fsys := fstest.MapFS{"p.yaml": {Data: []byte(file)}}
	for b.Loop() {
		if _, err := Load(schema, fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func bench50() (*Schema, string) {
	kinds := []struct {
		t      Type
		inputs []Input
		expr   string
	}{
		{Window, nil, `days(%d)`},
		{Window, []Input{{Name: "order.limit", Type: Duration}}, `order.limit > duration("0s") ? order.limit : duration("%dh")`},
		{Decimal, nil, `decimal("0.%02d")`},
		{Decimal, []Input{{Name: "amount", Type: Decimal}}, `amount * decimal("0.%02d")`},
		{Int, nil, `%d`},
		{Bool, []Input{{Name: "order.count", Type: Int}, {Name: "limit", Type: Int}}, `order.count > %d && order.count < limit`},
		{String, []Input{{Name: "region", Type: String}}, `region == "HK" ? "HKD" : "CNY%d"`},
		{Strings, []Input{{Name: "tags", Type: Strings, MaxItems: 20}}, `tags.filter(t, t.startsWith("vip%d"))`},
		{Bool, []Input{{Name: "at", Type: Timestamp}}, `at >= timestamp("2023-01-01T00:00:00Z") && %d > 0`},
		{Strings, nil, `["a%d", "b"]`},
	}
	var decls []Decl
	var file strings.Builder
	file.WriteString("policy: fifty\nversion: 2023-07-23\nzone: Asia/Shanghai\nthresholds:\n")
	for i := range 50 {
		k := kinds[i%len(kinds)]
		name := fmt.Sprintf("t%02d", i)
		decls = append(decls, Decl{Name: name, Rule: fmt.Sprintf("BEN-%d", i), Type: k.t, Inputs: k.inputs})
		fmt.Fprintf(&file, "  %s:\n    rule: BEN-%d\n    doc: Threshold number %d.\n    expr: '%s'\n", name, i, i, fmt.Sprintf(k.expr, i+1))
	}
	return MustSchema("fifty", decls...), file.String()
}

func TestBench50Loads(t *testing.T) {
	schema, file := bench50()
	set, err := Load(schema, fstest.MapFS{"p.yaml": {Data: []byte(file)}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(set.Schema().Decls()); n != 50 {
		t.Fatalf("%d thresholds, want 50", n)
	}
}
