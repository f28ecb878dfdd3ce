package scenario

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Suffix is the file-name suffix of scenario files.
const Suffix = ".scenario.yaml"

// Scenario is one parsed scenario file.
type Scenario struct {
	File    string    // the name it was parsed under
	Machine string    // machine: refund
	Start   time.Time // start:, with the offset it was written with
	Policy  []string  // policy: rule files, as written (relative to the file)
	Rules   []string  // rules: the rule IDs the scenario covers
	Skip    string    // skip: why it does not run; "" runs it
	Doc     string    // doc: free text
	Steps   []Step

	m         machine
	set       *rules.Set // the policy, once loaded
	start     map[string][]byte
	startNode map[string]*yaml.Node
	policyPos []*yaml.Node
	lines     []string
	root      *yaml.Node
}

// Step is one step of a scenario.
type Step struct {
	N      int    // 1-based
	Line   int    // of the step in the file
	At     string // as written
	Action string // the event's name, "advance", or the fact keys ("ship")
	Doc    string

	at      when
	event   any
	advance bool
	facts   []stepFact
	expect  *expectation
}

type stepFact struct {
	key   string
	value any
}

// problems collects positioned problems of one file.
type problems struct {
	file  string
	lines []string
	errs  rules.Errors
}

func (p *problems) at(n *yaml.Node, sentinel error, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	p.atPos(line, col, sentinel, fmt.Sprintf(format, args...))
}

func (p *problems) atPos(line, col int, sentinel error, msg string) {
	src := ""
	if line >= 1 && line <= len(p.lines) {
		src = strings.TrimRight(p.lines[line-1], "\r")
	}
	p.errs = append(p.errs, &rules.Error{File: p.file, Line: line, Col: col, Msg: msg, Source: src, Err: sentinel})
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return p.errs
}

var topKeys = []string{"machine", "start", "policy", "rules", "skip", "doc", "steps"}
var stepKeys = []string{"at", "event", "advance", "expect", "doc"}
var expectKeys = []string{"state", "effects", "decisions", "next", "pending", "error"}

var ruleID = regexp.MustCompile(`^[A-Z]{2,4}-[0-9]{1,3}$`)

// Parse parses a scenario file. Every problem is reported at once, as
// [rules.Errors] with file:line:col positions (the same form as rule
// files); it does not load the policy files (see [RunFile]).
func Parse(name string, src []byte) (*Scenario, error) {
	p := &problems{file: name, lines: strings.Split(string(src), "\n")}
	sc := &Scenario{File: name, lines: p.lines, start: map[string][]byte{}, startNode: map[string]*yaml.Node{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line := 0
		msg := err.Error()
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			if m := regexp.MustCompile(`^yaml: line (\d+): (.*)$`).FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
			}
		}
		p.atPos(line, 0, rules.ErrSyntax, msg)
		return nil, p.err()
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		n := &doc
		if len(doc.Content) > 0 {
			n = doc.Content[0]
		}
		p.at(n, rules.ErrSyntax, "a scenario file is a mapping with keys machine, start, steps, …")
		return nil, p.err()
	}
	root := doc.Content[0]
	sc.root = root
	keys := mapping(p, root)
	if n := keys["machine"]; n != nil {
		sc.Machine = scalar(p, n, "machine")
		m, ok := findMachine(sc.Machine)
		if !ok && sc.Machine != "" {
			p.at(n, rules.ErrUnknown, "unknown machine %q (known: %s)", sc.Machine, strings.Join(machineNames(), ", "))
		}
		sc.m = m
	} else {
		p.at(root, rules.ErrMissing, "missing key machine: which machine runs the scenario (%s)", strings.Join(machineNames(), ", "))
	}
	allowed := slices.Clone(topKeys)
	if sc.m != nil {
		allowed = append(allowed, sc.m.StartKeys()...)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if !slices.Contains(allowed, k.Value) && (sc.m != nil || sc.Machine == "") {
			p.at(k, rules.ErrUnknown, "unknown key %q (want %s)", k.Value, strings.Join(allowed, ", "))
		}
	}
	if n := keys["start"]; n != nil {
		s := scalar(p, n, "start")
		if t, err := parseInstant(s); err == nil {
			sc.Start = t
		} else if s != "" {
			p.at(n, rules.ErrValue, "start: %q is not an RFC 3339 instant with its offset, e.g. 2024-03-01T10:00:00+08:00", s)
		}
	} else {
		p.at(root, rules.ErrMissing, "missing key start: the instant the scenario starts at, with its offset (no scenario reads the clock)")
	}
	if n := keys["policy"]; n != nil {
		for _, c := range list(p, n, "policy") {
			if s := scalar(p, c, "policy file"); s != "" {
				sc.Policy = append(sc.Policy, s)
				sc.policyPos = append(sc.policyPos, c)
			}
		}
	}
	if n := keys["rules"]; n != nil {
		for _, c := range list(p, n, "rules") {
			s := scalar(p, c, "rule ID")
			switch {
			case s == "":
			case !ruleID.MatchString(s):
				p.at(c, rules.ErrValue, "rules: %q is not a rule ID like RFD-2", s)
			case sc.m != nil && !slices.ContainsFunc(sc.m.Catalogue(), func(r rules.RuleInfo) bool { return r.ID == s }):
				p.at(c, rules.ErrUnknown, "rules: machine %s has no rule %s", sc.Machine, s)
			default:
				sc.Rules = append(sc.Rules, s)
			}
		}
	}
	if n := keys["skip"]; n != nil {
		if sc.Skip = scalar(p, n, "skip"); sc.Skip == "" {
			p.at(n, rules.ErrValue, "skip: give the reason")
		}
	}
	if n := keys["doc"]; n != nil {
		sc.Doc = scalar(p, n, "doc")
	}
	if sc.m != nil {
		for _, k := range sc.m.StartKeys() {
			if n := keys[k]; n != nil {
				b, err := toJSON(n)
				if err != nil {
					p.at(err.node, rules.ErrValue, "%s", err.msg)
					continue
				}
				sc.start[k], sc.startNode[k] = b, n
			}
		}
	}
	if n := keys["steps"]; n != nil {
		for i, c := range list(p, n, "steps") {
			if st := parseStep(p, sc, c, i+1); st != nil {
				sc.Steps = append(sc.Steps, *st)
			}
		}
	} else {
		p.at(root, rules.ErrMissing, "missing key steps: what happens, step by step")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// mapping returns the keys of a mapping node, reporting duplicates.
func mapping(p *problems, n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := out[k.Value]; dup {
			p.at(k, rules.ErrDuplicate, "duplicate key %q", k.Value)
			continue
		}
		out[k.Value] = n.Content[i+1]
	}
	return out
}

func scalar(p *problems, n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.at(n, rules.ErrValue, "%s: want a single value", what)
		return ""
	}
	return n.Value
}

// list returns the items of a sequence; a single scalar is a list of one.
func list(p *problems, n *yaml.Node, what string) []*yaml.Node {
	switch n.Kind {
	case yaml.SequenceNode:
		return n.Content
	case yaml.ScalarNode:
		if n.ShortTag() != "!!null" {
			return []*yaml.Node{n}
		}
	}
	p.at(n, rules.ErrValue, "%s: want a list", what)
	return nil
}

func parseStep(p *problems, sc *Scenario, n *yaml.Node, num int) *Step {
	if n.Kind != yaml.MappingNode {
		p.at(n, rules.ErrSyntax, "step %d: a step is a mapping with at: and event:, advance: or a fact update", num)
		return nil
	}
	st := &Step{N: num, Line: n.Line}
	keys := mapping(p, n)
	allowed := slices.Clone(stepKeys)
	var factKeys []string
	if sc.m != nil {
		factKeys = sc.m.FactKeys()
		allowed = append(allowed, factKeys...)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(allowed, k.Value) {
			p.at(k, rules.ErrUnknown, "step %d: unknown key %q (want %s)", num, k.Value, strings.Join(allowed, ", "))
		}
	}
	if a := keys["at"]; a != nil {
		st.At = scalar(p, a, "at")
		if st.At != "" {
			w, err := parseWhen(st.At)
			if err != nil {
				p.at(a, rules.ErrValue, "step %d: at: %v", num, err)
			}
			st.at = w
		}
	} else {
		p.at(n, rules.ErrMissing, "step %d: missing at: an instant or an offset such as +2d3h", num)
	}
	if d := keys["doc"]; d != nil {
		st.Doc = scalar(p, d, "doc")
	}
	var actions []string
	for _, k := range factKeys {
		v := keys[k]
		if v == nil {
			continue
		}
		b, jerr := toJSON(v)
		if jerr != nil {
			p.at(jerr.node, rules.ErrValue, "step %d: %s", num, jerr.msg)
			continue
		}
		f, err := sc.m.DecodeFact(k, b)
		if err != nil {
			p.at(v, rules.ErrValue, "step %d: %v", num, err)
			continue
		}
		st.facts = append(st.facts, stepFact{key: k, value: f})
		actions = append(actions, k)
	}
	ev, adv := keys["event"], keys["advance"]
	switch {
	case ev != nil && adv != nil:
		p.at(adv, rules.ErrValue, "step %d: a step has an event or advance, not both", num)
	case ev != nil && sc.m != nil:
		name := eventName(ev)
		if name == "advance" {
			st.advance = true
			actions = append(actions, "advance")
			break
		}
		b, jerr := toJSON(ev)
		if jerr != nil {
			p.at(jerr.node, rules.ErrValue, "step %d: event: %s", num, jerr.msg)
			break
		}
		if ev.Kind == yaml.ScalarNode {
			b = []byte(`{"type":` + string(b) + `}`)
		}
		e, err := sc.m.DecodeEvent(b)
		if err != nil {
			msg := err.Error()
			if name != "" && !slices.Contains(sc.m.EventNames(), name) {
				msg = fmt.Sprintf("unknown event %q (events of %s: %s)", name, sc.Machine, strings.Join(sc.m.EventNames(), ", "))
			}
			p.at(placeError(ev, msg), rules.ErrValue, "step %d: event: %s", num, msg)
			break
		}
		st.event = e
		actions = append(actions, name)
	case adv != nil:
		if adv.Kind != yaml.ScalarNode || (adv.Value != "true" && adv.ShortTag() != "!!null") {
			p.at(adv, rules.ErrValue, "step %d: advance: want true", num)
		}
		st.advance = true
		actions = append(actions, "advance")
	case len(st.facts) == 0 && sc.m != nil:
		p.at(n, rules.ErrMissing, "step %d: want event:, advance: true or a fact update (%s)", num, strings.Join(factKeys, ", "))
	}
	if len(st.facts) > 0 && st.event == nil && !st.advance {
		st.advance = true // a fact update alone is followed by an advance
	}
	st.Action = strings.Join(actions, "+")
	if e := keys["expect"]; e != nil {
		st.expect = parseExpect(p, sc, e, num)
	}
	return st
}

// eventName is the type of an event node: "open" for {type: open, …} or
// for the bare name.
func eventName(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "type" {
				return n.Content[i+1].Value
			}
		}
	}
	return ""
}
