package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// program is one compiled threshold expression.
type program struct {
	decl   *Decl
	def    *rawThreshold
	expr   string
	source string // "file:line:col" of the expression

	folded bool
	value  any         // the Go value, when folded
	prg    cel.Program // under the runtime CostLimit, with the cost tracker
	// bounded is the same program without the cost tracker, which
	// evaluations run: the estimated worst-case cost is within CostLimit
	// and eval refuses inputs beyond the sizes the estimate assumed, so
	// the limit holds by the estimate and the tracker's work is saved.
	bounded cel.Program
	bounds  bounds // the declaration's Min and Max
	reads   []int  // indexes of the declared inputs the expression reads
	names   []string
	cost    uint64 // estimated worst-case cost
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
		line, col := pm.first()
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
	// An empty list literal is list(dyn); a constant one is checked when
	// it is folded below.
	emptyList := d.Type == Strings && out.IsExactType(cel.ListType(cel.DynType)) && len(checked.NativeRep().ReferenceMap()) == 0
	if !resultTypeOK(d.Type, out) && !emptyList {
		return nil, whole(ErrType, "expression gives %s, but %s is declared as %v", typeName(out), d.Name, d.Type)
	}
	var reads []int
	for _, r := range checked.NativeRep().ReferenceMap() {
		if r.Name == "" {
			continue
		}
		for k, in := range d.Inputs {
			if in.Name == r.Name && !slices.Contains(reads, k) {
				reads = append(reads, k)
			}
		}
	}
	slices.Sort(reads)
	p.reads = reads
	est, err := env.EstimateCost(checked, estimator{d})
	if err != nil {
		return nil, whole(ErrCost, "cost estimate failed: %v", err)
	}
	p.cost = est.Max
	if est.Max > CostBudget {
		advice := "simplify the expression"
		if len(reads) > 0 {
			advice = "simplify the expression; the estimate takes the inputs at their declared sizes (MaxItems, MaxLen)"
		}
		return nil, whole(ErrCost, "estimated cost %d is over the budget of %d; %s", est.Max, uint64(CostBudget), advice)
	}
	if errs := c.checkLiterals(d, checked.NativeRep(), pm, def); len(errs) > 0 {
		return nil, errs
	}
	p.names = make([]string, len(d.Inputs))
	for k, in := range d.Inputs {
		p.names[k] = in.Name
	}
	p.bounds = c.schema.bounds[i]
	p.prg, err = env.Program(checked,
		cel.CostLimit(CostLimit),
		cel.CostTracking(actualCost{}),
		cel.CustomDecorator(foldConstructors),
		cel.EvalOptions(cel.OptOptimize))
	var bad *constError
	if errors.As(err, &bad) {
		loc := checked.NativeRep().SourceInfo().GetStartLocation(bad.id)
		line, col := pm.callee(loc.Line(), loc.Column())
		return nil, Errors{{
			File: def.file.name, Line: line, Col: col,
			Msg:  fmt.Sprintf("threshold %s: %s", d.Name, bad.msg),
			Text: def.expr, Source: def.file.line(line), Err: ErrValue,
		}}
	}
	if err != nil {
		return nil, whole(ErrType, "%v", err)
	}
	// The estimate is within CostLimit and inputs beyond their declared
	// sizes are refused before evaluation, so evaluations need no tracker.
	if p.bounded, err = env.Program(checked,
		cel.CustomDecorator(foldConstructors),
		cel.EvalOptions(cel.OptOptimize)); err != nil {
		return nil, whole(ErrType, "%v", err)
	}
	if len(p.reads) == 0 {
		// Folded under the tracker: the limit holds even if the estimate
		// were wrong.
		v, err := p.exec(p.prg, &activation{names: p.names})
		switch {
		case errors.Is(err, ErrCostLimit):
			return nil, whole(ErrCost, "evaluating the expression passes the cost limit of %d; simplify the expression", uint64(CostLimit))
		case err != nil:
			return nil, whole(ErrValue, "evaluates to an error: %s", strings.TrimPrefix(err.Error(), ErrEval.Error()+": "))
		}
		if err := checkBounds(d, p.bounds, v); err != nil {
			return nil, whole(ErrValue, "%v", err)
		}
		p.value, p.folded = v, true
	}
	return p, nil
}

// checkLiterals refuses a comparison of an input that declares Values
// with a literal outside them (==, !=, in a list literal, or a literal in
// a list input), which is always false (or true): a misspelt name.
func (c *compiler) checkLiterals(d *Decl, a *ast.AST, pm posMapper, def *rawThreshold) Errors {
	var errs Errors
	values := func(e ast.Expr, t Type) *Input {
		if e.Kind() != ast.IdentKind {
			return nil
		}
		for k := range d.Inputs {
			if in := &d.Inputs[k]; in.Name == e.AsIdent() && in.Type == t && len(in.Values) > 0 {
				return in
			}
		}
		return nil
	}
	check := func(in *Input, lit ast.Expr) {
		if lit.Kind() != ast.LiteralKind {
			return
		}
		s, ok := lit.AsLiteral().(types.String)
		if !ok || slices.Contains(in.Values, string(s)) || len(errs) >= MaxErrors {
			return
		}
		loc := a.SourceInfo().GetStartLocation(lit.ID())
		line, col := pm.at(loc.Line(), loc.Column())
		msg := fmt.Sprintf("threshold %s: %s is never %s (it is one of %s)", d.Name, in.Name, quote(string(s)), strings.Join(in.Values, ", "))
		if g := suggest(string(s), in.Values); g != "" {
			msg += fmt.Sprintf("; did you mean %q?", g)
		}
		errs = append(errs, &Error{File: def.file.name, Line: line, Col: col, Msg: msg,
			Text: def.expr, Source: def.file.line(line), Err: ErrValue})
	}
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		args := call.Args()
		if len(args) != 2 {
			return
		}
		switch call.FunctionName() {
		case operators.Equals, operators.NotEquals:
			if in := values(args[0], String); in != nil {
				check(in, args[1])
			}
			if in := values(args[1], String); in != nil {
				check(in, args[0])
			}
		case operators.In:
			if in := values(args[0], String); in != nil && args[1].Kind() == ast.ListKind {
				for _, el := range args[1].AsList().Elements() {
					check(in, el)
				}
			}
			if in := values(args[1], Strings); in != nil { // "x" in tags
				check(in, args[0])
			}
		}
	}))
	return errs
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

// exec evaluates prg, p's program with or without the cost tracker, with
// the activation's inputs.
func (p *program) exec(prg cel.Program, act *activation) (any, error) {
	out, _, err := prg.Eval(act)
	if err != nil {
		return nil, evalFailure(err)
	}
	v, err := fromCEL(p.decl.Type, out)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEval, err)
	}
	return v, nil
}

// evalFailure classifies an evaluation error. It is a function of its
// own so that the variables errors.As needs are not allocated on the
// success path.
func evalFailure(err error) error {
	var cancelled interpreter.EvalCancelledError
	var limit cost.LimitExceededError
	if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded || errors.As(err, &limit) {
		return fmt.Errorf("%w (limit %d)", ErrCostLimit, uint64(CostLimit))
	}
	return fmt.Errorf("%w: %v", ErrEval, err)
}

// activation resolves the declared inputs by name, without building a map.
// Evaluations take one from activations, so that an evaluation allocates
// neither the activation nor the slice of inputs.
type activation struct {
	names []string
	vals  []ref.Val
	buf   [8]ref.Val
}

var activations = sync.Pool{New: func() any { return new(activation) }}

// release clears the activation, so that the pool holds no input, and
// returns it to the pool.
func (a *activation) release() {
	clear(a.vals)
	a.names, a.vals = nil, nil
	activations.Put(a)
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
// their declared MaxLen, so that every expression's estimated cost is
// finite; decimals and windows have size 1.
type estimator struct{ d *Decl }

func (e estimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if t := n.Type(); t != nil && (t.IsExactType(decimalCELType) || t.IsExactType(windowCELType)) {
		return &cost.SizeEstimate{Min: 1, Max: 1}
	}
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
			return &cost.SizeEstimate{Min: 0, Max: uint64(in.maxLen())}
		}
	}
	return nil
}
