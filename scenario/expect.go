package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/rules"
)

// expectation is the expect: of a step.
type expectation struct {
	node      *yaml.Node
	state     []stateCheck
	effects   []*yaml.Node
	decisions []*yaml.Node
	pending   []*yaml.Node
	next      *yaml.Node
	err       *errWant
	has       map[string]bool
}

type stateCheck struct {
	key  *yaml.Node
	path []pathElem
	want *yaml.Node
}

type pathElem struct {
	key   string
	index int
	isIdx bool
}

type errWant struct {
	node     *yaml.Node
	rule, is string
	sentinel error
	none     bool
}

var decisionKeys = []string{"rule", "policy", "version", "threshold", "expr", "value", "inputs", "source", "note"}
var pendingKeys = []string{"at", "rule", "status", "subject", "boundary"}

func parseExpect(p *problems, sc *Scenario, n *yaml.Node, num int) *expectation {
	if n.Kind != yaml.MappingNode {
		p.at(n, rules.ErrSyntax, "step %d: expect: want a mapping with %s", num, strings.Join(expectKeys, ", "))
		return nil
	}
	ex := &expectation{node: n, has: map[string]bool{}}
	keys := mapping(p, n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(expectKeys, k.Value) {
			p.at(k, rules.ErrUnknown, "step %d: expect: unknown key %q (want %s)", num, k.Value, strings.Join(expectKeys, ", "))
			continue
		}
		ex.has[k.Value] = true
	}
	if s := keys["state"]; s != nil {
		if s.Kind != yaml.MappingNode {
			p.at(s, rules.ErrValue, "step %d: expect: state: want a mapping of paths to values, e.g. requests[0].status: refunded", num)
		} else {
			for i := 0; i+1 < len(s.Content); i += 2 {
				k, v := s.Content[i], s.Content[i+1]
				path, err := parsePath(k.Value)
				if err != nil {
					p.at(k, rules.ErrValue, "step %d: expect: state: %v", num, err)
					continue
				}
				ex.state = append(ex.state, stateCheck{key: k, path: path, want: v})
			}
		}
	}
	var kinds []string
	if sc.m != nil {
		kinds = sc.m.EffectKinds()
	}
	if e := keys["effects"]; e != nil {
		ex.effects = seq(p, e, num, "effects")
		for _, c := range ex.effects {
			if c.Kind != yaml.MappingNode {
				p.at(c, rules.ErrValue, "step %d: expect: effects: each effect is a mapping with its type, e.g. {type: refund_money, amount: 10.00}", num)
				continue
			}
			t := valueOf(c, "type")
			switch {
			case t == nil:
				p.at(c, rules.ErrMissing, "step %d: expect: effects: an effect needs its type (%s)", num, strings.Join(kinds, ", "))
			case kinds != nil && !slices.Contains(kinds, t.Value):
				p.at(t, rules.ErrUnknown, "step %d: expect: effects: unknown effect type %q (%s)", num, t.Value, strings.Join(kinds, ", "))
			}
			checkTimes(p, c, num)
		}
	}
	if d := keys["decisions"]; d != nil {
		ex.decisions = seq(p, d, num, "decisions")
		for _, c := range ex.decisions {
			checkKeys(p, c, num, "decisions", decisionKeys)
		}
	}
	if d := keys["pending"]; d != nil {
		ex.pending = seq(p, d, num, "pending")
		for _, c := range ex.pending {
			checkKeys(p, c, num, "pending", pendingKeys)
			checkTimes(p, c, num)
		}
	}
	if x := keys["next"]; x != nil {
		if x.Kind != yaml.ScalarNode || (x.Value != "none" && !validWhen(x.Value)) {
			p.at(x, rules.ErrValue, "step %d: expect: next: want none, an instant or an offset from the step (%v)", num, errAt)
		} else {
			ex.next = x
		}
	}
	if x := keys["error"]; x != nil {
		ex.err = parseErrWant(p, sc, x, num)
	}
	return ex
}

func validWhen(s string) bool { _, err := parseWhen(s); return err == nil }

// checkTimes reports an at: of an expected effect or deadline that is
// neither an instant nor an offset.
func checkTimes(p *problems, n *yaml.Node, num int) {
	if a := findKeyTop(n, "at"); a != nil {
		if v := valueOf(n, "at"); v != nil && (v.Kind != yaml.ScalarNode || !validWhen(v.Value)) {
			p.at(v, rules.ErrValue, "step %d: expect: at: %v", num, errAt)
		}
	}
}

func seq(p *problems, n *yaml.Node, num int, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.at(n, rules.ErrValue, "step %d: expect: %s: want a list ([] for none)", num, what)
		return nil
	}
	return n.Content
}

func checkKeys(p *problems, n *yaml.Node, num int, what string, allowed []string) {
	if n.Kind != yaml.MappingNode {
		p.at(n, rules.ErrValue, "step %d: expect: %s: want a mapping with %s", num, what, strings.Join(allowed, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(allowed, k.Value) {
			p.at(k, rules.ErrUnknown, "step %d: expect: %s: unknown key %q (want %s)", num, what, k.Value, strings.Join(allowed, ", "))
		}
	}
}

func findKeyTop(n *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i]
		}
	}
	return nil
}

func valueOf(n *yaml.Node, name string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i+1]
		}
	}
	return nil
}

func parseErrWant(p *problems, sc *Scenario, n *yaml.Node, num int) *errWant {
	w := &errWant{node: n}
	if n.Kind == yaml.ScalarNode && n.Value == "none" {
		w.none = true
		return w
	}
	if n.Kind != yaml.MappingNode {
		p.at(n, rules.ErrValue, "step %d: expect: error: want none or {rule: RFD-5, is: ErrWindowClosed}", num)
		return nil
	}
	checkKeys(p, n, num, "error", []string{"rule", "is"})
	if r := valueOf(n, "rule"); r != nil {
		w.rule = r.Value
		if !ruleID.MatchString(w.rule) {
			p.at(r, rules.ErrValue, "step %d: expect: error: rule: %q is not a rule ID like RFD-5", num, w.rule)
		}
	}
	if s := valueOf(n, "is"); s != nil {
		w.is = s.Value
		if sc.m != nil {
			sentinels := sc.m.Sentinels()
			if w.sentinel = sentinels[w.is]; w.sentinel == nil {
				var names []string
				for k := range sentinels {
					names = append(names, k)
				}
				slices.Sort(names)
				p.at(s, rules.ErrUnknown, "step %d: expect: error: machine %s has no error %q (%s)", num, sc.Machine, w.is, strings.Join(names, ", "))
			}
		}
	}
	if w.rule == "" && w.is == "" {
		p.at(n, rules.ErrMissing, "step %d: expect: error: give its rule, its sentinel (is:) or both", num)
	}
	return w
}

// parsePath parses a path over a state's JSON: names and indexes, as in
// requests[0].status or requests[-1].settlement.money (a negative index
// counts from the end).
func parsePath(s string) ([]pathElem, error) {
	var out []pathElem
	rest := s
	if rest == "" {
		return nil, errors.New("empty path")
	}
	for rest != "" {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: [ without ]", s)
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil || len(rest[1:end]) > 6 {
				return nil, fmt.Errorf("path %q: %q is not an index", s, rest[1:end])
			}
			out = append(out, pathElem{index: i, isIdx: true})
			rest = rest[end+1:]
			if rest != "" && rest[0] == '.' {
				rest = rest[1:]
				if rest == "" || rest[0] == '[' || rest[0] == '.' {
					return nil, fmt.Errorf("path %q: a name must follow a dot", s)
				}
			} else if rest != "" && rest[0] != '[' {
				return nil, fmt.Errorf("path %q: a dot or [ must follow ]", s)
			}
		default:
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			if name == "" {
				return nil, fmt.Errorf("path %q: empty name", s)
			}
			out = append(out, pathElem{key: name})
			rest = rest[end:]
			if rest != "" && rest[0] == '.' {
				rest = rest[1:]
				if rest == "" || rest[0] == '[' || rest[0] == '.' {
					return nil, fmt.Errorf("path %q: a name must follow a dot", s)
				}
			}
		}
	}
	return out, nil
}

// lookup follows path in v; ok is false if it leads nowhere.
func lookup(v any, path []pathElem) (any, bool) {
	for _, e := range path {
		if e.isIdx {
			a, ok := v.([]any)
			if !ok {
				return nil, false
			}
			i := e.index
			if i < 0 {
				i += len(a)
			}
			if i < 0 || i >= len(a) {
				return nil, false
			}
			v = a[i]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[e.key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// decodeAny decodes JSON keeping numbers as written.
func decodeAny(b []byte) any {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil
	}
	return v
}

// match compares the wanted value (a subset: keys it leaves out are not
// compared) with got, and returns one line per difference.
func match(want *yaml.Node, got any, at time.Time, path string) []string {
	switch want.Kind {
	case yaml.MappingNode:
		m, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a mapping, got %s", path, show(got))}
		}
		var out []string
		for i := 0; i+1 < len(want.Content); i += 2 {
			k, v := want.Content[i].Value, want.Content[i+1]
			g, ok := m[k]
			if !ok {
				if v.ShortTag() == "!!null" {
					continue
				}
				out = append(out, fmt.Sprintf("%s: want %s, got nothing", join(path, k), showNode(v)))
				continue
			}
			out = append(out, match(v, g, at, join(path, k))...)
		}
		return out
	case yaml.SequenceNode:
		a, ok := got.([]any)
		if got == nil && len(want.Content) == 0 {
			return nil
		}
		if !ok {
			return []string{fmt.Sprintf("%s: want a list, got %s", path, show(got))}
		}
		if len(a) != len(want.Content) {
			return []string{fmt.Sprintf("%s: want %d items %s, got %d %s", path, len(want.Content), showNode(want), len(a), show(got))}
		}
		var out []string
		for i, w := range want.Content {
			out = append(out, match(w, a[i], at, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	if scalarEqual(want, got, at) {
		return nil
	}
	return []string{fmt.Sprintf("%s: want %s, got %s", path, showNode(want), show(got))}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// scalarEqual compares a wanted scalar with a JSON value: as text, as
// decimals (10.00 equals "10"), as instants (an offset is from the
// step's instant), as booleans, or null.
func scalarEqual(want *yaml.Node, got any, at time.Time) bool {
	w := want.Value
	switch g := got.(type) {
	case nil:
		return want.ShortTag() == "!!null"
	case bool:
		return want.ShortTag() == "!!bool" && strings.EqualFold(w, strconv.FormatBool(g))
	case json.Number:
		return decimalEqual(w, string(g))
	case string:
		if w == g {
			return true
		}
		if decimalEqual(w, g) {
			return true
		}
		if gt, err := time.Parse(time.RFC3339, g); err == nil {
			if ww, err := parseWhen(w); err == nil {
				return ww.resolve(at).Equal(gt)
			}
		}
	}
	return false
}

func decimalEqual(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

func show(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// showNode renders a wanted value in flow YAML, on one line.
func showNode(n *yaml.Node) string {
	c := *n
	c.Style |= yaml.FlowStyle
	setFlow(&c)
	b, err := yaml.Marshal(&c)
	if err != nil {
		return n.Value
	}
	return strings.TrimSpace(string(b))
}

func setFlow(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	n.Content = slices.Clone(n.Content)
	for i, c := range n.Content {
		cc := *c
		cc.HeadComment, cc.LineComment, cc.FootComment = "", "", ""
		setFlow(&cc)
		n.Content[i] = &cc
	}
}
