package rules

import (
	"errors"
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"go.yaml.in/yaml/v3"
)

// program is one compiled threshold expression.
type program struct {
	decl   *Decl
	def    *rawThreshold
	expr   string
	source string // "file:line:col" of the expression

	folded bool
	value  any // the Go value, when folded
	prg    cel.Program
	reads  []int // indexes of the declared inputs the expression reads
	names  []string
	cost   uint64 // estimated worst-case cost
}

// compiler holds one CEL environment per declared threshold.
type compiler struct {
	schema *Schema
	envs   []*cel.Env
}

func newCompiler(s *Schema) (*compiler, error) {
	base, err := baseEnv()
	if err != nil {
		return nil, err
	}
	c := &compiler{schema: s, envs: make([]*cel.Env, len(s.decls))}
	for i, d := range s.decls {
		opts := make([]cel.EnvOption, 0, len(d.Inputs))
		for _, in := range d.Inputs {
			opts = append(opts, cel.Variable(in.Name, celType(in.Type)))
		}
		if c.envs[i], err = base.Extend(opts...); err != nil {
			return nil, fmt.Errorf("rules: schema %s: threshold %s: %v", s.policy, d.Name, err)
		}
	}
	return c, nil
}

// compile type-checks, cost-checks and plans the expression of def for
// the declaration at index i. Every problem is reported with its
// position in def's file.
func (c *compiler) compile(i int, def *rawThreshold) (*program, Errors) {
	d := &c.schema.decls[i]
	env := c.envs[i]
	pm := newPosMapper(def)
	p := &program{decl: d, def: def, expr: def.expr, source: pm.start()}
	report := func(errs Errors, sentinel error, iss *cel.Issues) Errors {
		for _, e := range iss.Errors() {
			line, col := pm.at(e.Location.Line(), e.Location.Column())
			errs = append(errs, &Error{
				File: def.file.name, Line: line, Col: col,
				Msg:  fmt.Sprintf("threshold %s: %s", d.Name, e.Message),
				Text: def.expr, Source: def.file.line(line), Err: sentinel,
			})
		}
		return errs
	}
	whole := func(sentinel error, format string, args ...any) Errors {
		line, col := pm.at(1, 0)
		return Errors{{
			File: def.file.name, Line: line, Col: col,
			Msg:  fmt.Sprintf("threshold %s: ", d.Name) + fmt.Sprintf(format, args...),
			Text: def.expr, Source: def.file.line(line), Err: sentinel,
		}}
	}
	if strings.TrimSpace(def.expr) == "" {
		return nil, whole(ErrSyntax, "empty expression")
	}
	parsed, iss := env.Parse(def.expr)
	if iss.Err() != nil {
		return nil, report(nil, ErrSyntax, iss)
	}
	checked, iss := env.Check(parsed)
	if iss.Err() != nil {
		return nil, report(nil, ErrType, iss)
	}
	out := checked.OutputType()
	if !resultTypeOK(d.Type, out) {
		return nil, whole(ErrType, "expression gives %s, but %s is declared as %v", typeName(out), d.Name, d.Type)
	}
	est, err := env.EstimateCost(checked, estimator{d})
	if err != nil {
		return nil, whole(ErrCost, "cost estimate failed: %v", err)
	}
	p.cost = est.Max
	if est.Max > CostBudget {
		return nil, whole(ErrCost, "estimated cost %d is over the budget of %d; bound the inputs or simplify", est.Max, uint64(CostBudget))
	}
	for id, r := range checked.NativeRep().ReferenceMap() {
		_ = id
		if r.Name == "" {
			continue
		}
		for k, in := range d.Inputs {
			if in.Name == r.Name && !containsInt(p.reads, k) {
				p.reads = append(p.reads, k)
			}
		}
	}
	sortInts(p.reads)
	p.names = make([]string, len(d.Inputs))
	for k, in := range d.Inputs {
		p.names[k] = in.Name
	}
	p.prg, err = env.Program(checked,
		cel.CostLimit(CostLimit),
		cel.CustomDecorator(foldConstructors),
		cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, whole(ErrType, "%v", err)
	}
	if len(p.reads) == 0 {
		v, err := p.run(nil)
		if err != nil {
			return nil, whole(ErrValue, "evaluates to an error: %v", err)
		}
		p.value, p.folded = v, true
	}
	return p, nil
}

func resultTypeOK(t Type, out *cel.Type) bool {
	if t == Window && out.IsExactType(cel.DurationType) {
		return true
	}
	return out.IsExactType(celType(t))
}

func typeName(t *cel.Type) string {
	switch {
	case t.IsExactType(decimalCELType):
		return "decimal"
	case t.IsExactType(windowCELType):
		return "window"
	}
	return t.String()
}

// run evaluates the program with the inputs already converted to CEL.
func (p *program) run(vals []ref.Val) (any, error) {
	out, _, err := p.prg.Eval(&activation{names: p.names, vals: vals})
	if err != nil {
		var cancelled interpreter.EvalCancelledError
		var limit cost.LimitExceededError
		if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded || errors.As(err, &limit) {
			return nil, fmt.Errorf("%w (limit %d)", ErrCostLimit, uint64(CostLimit))
		}
		return nil, fmt.Errorf("%w: %v", ErrEval, err)
	}
	v, err := fromCEL(p.decl.Type, out)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEval, err)
	}
	return v, nil
}

// activation resolves the declared inputs by name, without building a map.
type activation struct {
	names []string
	vals  []ref.Val
}

func (a *activation) ResolveName(name string) (any, bool) {
	for i, n := range a.names {
		if n == name && i < len(a.vals) {
			return a.vals[i], true
		}
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// estimator bounds list inputs by their declared MaxItems and strings by
// maxStringLen, so that every expression's estimated cost is finite.
type estimator struct{ d *Decl }

// maxStringLen is the length the cost estimate assumes for a string input
// or list element. The runtime CostLimit still holds for longer strings.
const maxStringLen = 256

func (e estimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	path := n.Path()
	if len(path) == 0 {
		return nil
	}
	for _, in := range e.d.Inputs {
		if in.Name != path[0] {
			continue
		}
		switch {
		case in.Type == Strings && len(path) == 1:
			return &cost.SizeEstimate{Min: 0, Max: uint64(in.MaxItems)}
		case in.Type == Strings && len(path) == 2, in.Type == String && len(path) == 1:
			return &cost.SizeEstimate{Min: 0, Max: maxStringLen}
		}
	}
	return nil
}

func (e estimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// posMapper maps a position inside an expression (CEL's 1-based line,
// 0-based column) to a position in the rule file that holds it.
type posMapper struct {
	def  *rawThreshold
	segs []segment // where each piece of the expression's text sits in the file
	lit  bool      // literal block: expression line k is segment k
}

type segment struct{ line, col, n int }

func newPosMapper(def *rawThreshold) posMapper {
	pm := posMapper{def: def}
	n := def.exprNode
	if n == nil || n.Line == 0 { // a single expression given in Go
		for i, l := range strings.Split(def.expr, "\n") {
			pm.segs = append(pm.segs, segment{line: i + 1, col: 1, n: len([]rune(l))})
		}
		pm.lit = true
		return pm
	}
	f := def.file
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		pm.lit = n.Style&yaml.LiteralStyle != 0
		indent := -1
		for l := n.Line + 1; l <= len(f.lines); l++ {
			src := f.line(l)
			trimmed := strings.TrimLeft(src, " ")
			if trimmed == "" {
				pm.segs = append(pm.segs, segment{line: l, col: 1, n: 0})
				continue
			}
			ind := len(src) - len(trimmed)
			if indent < 0 {
				indent = ind
			}
			if ind < indent {
				break
			}
			pm.segs = append(pm.segs, segment{line: l, col: indent + 1, n: len([]rune(src[indent:]))})
		}
	default:
		quote := 0
		if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
			quote = 1
		}
		first := []rune(f.line(n.Line))
		start := n.Column + quote
		pm.segs = append(pm.segs, segment{line: n.Line, col: start, n: max(0, len(first)-start+1)})
		for l := n.Line + 1; l <= len(f.lines) && strings.Contains(def.expr, " "); l++ {
			src := f.line(l)
			trimmed := strings.TrimLeft(src, " \t")
			if len(src)-len(trimmed) <= n.Column-1-quote || trimmed == "" {
				break
			}
			pm.segs = append(pm.segs, segment{line: l, col: len(src) - len(trimmed) + 1, n: len([]rune(trimmed))})
		}
	}
	if len(pm.segs) == 0 {
		pm.segs = []segment{{line: n.Line, col: n.Column}}
	}
	return pm
}

// at maps CEL's (line, 0-based column) to the file's (line, 1-based column).
func (pm posMapper) at(line, col int) (int, int) {
	if pm.lit {
		if line >= 1 && line <= len(pm.segs) {
			s := pm.segs[line-1]
			return s.line, s.col + col
		}
		return pm.segs[0].line, pm.segs[0].col
	}
	// Folded text: the expression is one line made of the segments joined by spaces.
	for _, s := range pm.segs {
		if col <= s.n {
			return s.line, s.col + col
		}
		col -= s.n + 1
	}
	last := pm.segs[len(pm.segs)-1]
	return last.line, last.col + last.n
}

func (pm posMapper) start() string {
	line, col := pm.at(1, 0)
	return fmt.Sprintf("%s:%d:%d", pm.def.file.name, line, col)
}
