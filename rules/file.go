package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// rawFile is one rule file as written, with the position of everything
// in it. Parsing checks the shape; Load checks it against the schema.
type rawFile struct {
	name     string
	lines    []string
	override bool // an override file, not one of the defaults

	policy     string
	policyNode *yaml.Node
	version    string // YYYY-MM-DD, or "" in an override file that applies to every version
	versionAt  civilDate
	versionNod *yaml.Node
	zone       *time.Location
	zoneNode   *yaml.Node
	root       *yaml.Node
	thrKey     *yaml.Node // the thresholds: key, where a missing threshold is reported
	thresholds []*rawThreshold
	tests      []*rawTest
}

type rawThreshold struct {
	file     *rawFile
	name     string
	nameNode *yaml.Node
	rule     string
	ruleNode *yaml.Node
	doc      string
	expr     string
	exprNode *yaml.Node
}

type rawTest struct {
	file  *rawFile
	name  string
	node  *yaml.Node
	at    time.Time // zero: the file's own version
	skip  string    // skip: why the case does not run; "" runs it
	input map[string]*yaml.Node
	want  []wantEntry
}

type wantEntry struct {
	name string
	key  *yaml.Node
	val  *yaml.Node
}

type civilDate struct {
	y int
	m time.Month
	d int
}

func (c civilDate) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, c.m, c.d) }

func (c civilDate) before(o civilDate) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

var datePattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

func parseDate(s string) (civilDate, bool) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return civilDate{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 12, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != time.Month(mo) || t.Day() != d {
		return civilDate{}, false
	}
	return civilDate{y, time.Month(mo), d}, true
}

// fileParser collects every problem of one file.
type fileParser struct {
	f      *rawFile
	errs   Errors
	inputs map[string]bool // declared input names and their prefixes; nil: any
	// expanded counts the bytes of aliased text resolved so far, against
	// aliasBudget; aliasRefused says the budget was passed.
	expanded, aliasBudget int
	aliasRefused          bool
}

func (p *fileParser) errorf(n *yaml.Node, sentinel error, text string, format string, args ...any) {
	e := &Error{File: p.f.name, Msg: fmt.Sprintf(format, args...), Text: text, Err: sentinel}
	e.Line, e.Col = 1, 1 // a problem of the whole file
	if n != nil && n.Line > 0 {
		e.Line, e.Col = n.Line, n.Column
	}
	e.Source = p.f.line(e.Line)
	p.errs = append(p.errs, e)
}

func (f *rawFile) line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return f.lines[n-1]
}

var yamlLinePattern = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFile parses one rule file. override reports whether it is an
// override file, in which version may be left out. inputs holds the
// schema's input names and their prefixes (nil: any name).
func parseFile(name string, src []byte, override bool, inputs map[string]bool) (*rawFile, Errors) {
	f := &rawFile{name: name, lines: splitLines(string(src)), override: override}
	p := &fileParser{f: f, inputs: inputs, aliasBudget: max(minAliasBudget, maxAliasRatio*len(src))}
	if line, col, msg, ok := checkEncoding(src); !ok {
		return nil, Errors{{File: name, Line: line, Col: col, Msg: msg, Source: f.line(line), Err: ErrSyntax}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := err.Error()
		e := &Error{File: name, Msg: strings.TrimPrefix(msg, "yaml: "), Err: ErrSyntax}
		if m := yamlLinePattern.FindStringSubmatch(msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		}
		if isYAMLParserProblem(e.Msg) {
			// yaml.v3 reports a parser error (unlike a scanner error) at
			// the 0-based line of the collection it was parsing.
			e.Line++
		}
		e.Line = min(max(e.Line, 1), len(f.lines)) // an error yaml.v3 does not place is at 1:1
		e.Line, e.Col = f.yamlErrorCol(e.Line, e.Msg)
		e.Col = max(e.Col, 1)
		e.Source = f.line(e.Line)
		e.Text = strings.TrimSpace(e.Source)
		return nil, Errors{e}
	}
	if len(doc.Content) == 0 {
		p.errorf(nil, ErrMissing, "", "empty rule file")
		return nil, p.errs
	}
	root := doc.Content[0]
	f.root = root
	if root.Kind != yaml.MappingNode {
		p.errorf(root, ErrSyntax, root.Value, "a rule file is a mapping with keys policy, version, zone, thresholds, tests")
		return nil, p.errs
	}
	var thresholds, tests *yaml.Node
	p.mapping(root, func(key, val *yaml.Node) {
		switch key.Value {
		case "policy":
			if s, ok := p.scalar(val, "policy"); ok {
				f.policy, f.policyNode = s, val
			}
		case "version":
			s, ok := p.scalar(val, "version")
			if !ok {
				return
			}
			d, ok := parseDate(s)
			if !ok {
				p.errorf(val, ErrValue, s, "version %s is not a date YYYY-MM-DD", quote(s))
				return
			}
			f.version, f.versionAt, f.versionNod = d.String(), d, val
		case "zone":
			s, ok := p.scalar(val, "zone")
			if !ok {
				return
			}
			loc, err := time.LoadLocation(s)
			if err != nil || s == "" || s == "Local" {
				p.errorf(val, ErrValue, s, "zone %s is not an IANA time zone name", quote(s))
				return
			}
			f.zone, f.zoneNode = loc, val
		case "thresholds":
			thresholds, f.thrKey = val, key
		case "tests":
			tests = val
		default:
			p.errorf(key, ErrUnknown, key.Value, "unknown key %s (want policy, version, zone, thresholds, tests)", quote(key.Value))
		}
	})
	if f.policyNode == nil && !hasKey(root, "policy") {
		p.errorf(root, ErrMissing, "", "missing key policy")
	}
	if !override && f.versionNod == nil && !hasKey(root, "version") {
		p.errorf(root, ErrMissing, "", "missing key version (the date this version takes effect)")
	}
	if thresholds != nil {
		p.thresholds(thresholds)
	}
	if tests != nil {
		p.tests(tests)
	}
	// Report in file order: the checks above run per section, not per line.
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return f, p.errs
}

var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

func isYAMLParserProblem(msg string) bool { return slices.Contains(yamlParserProblems, msg) }

// yamlErrorCol places a YAML syntax error, which yaml.v3 reports by line
// only: on a tab that breaks the indentation (often a line or more below
// the line reported), on a character that cannot start a token, or else
// on the line's first character.
func (f *rawFile) yamlErrorCol(line int, msg string) (int, int) {
	if strings.Contains(msg, "tab character") {
		for l := line; l <= len(f.lines); l++ {
			src := f.line(l)
			indent := src[:len(src)-len(strings.TrimLeft(src, " \t"))]
			if i := strings.IndexByte(indent, '\t'); i >= 0 {
				return l, i + 1
			}
		}
	}
	src := f.line(line)
	if strings.Contains(msg, "cannot start any token") {
		if i := strings.IndexAny(src, "\t@`"); i >= 0 {
			return line, utf8.RuneCountInString(src[:i]) + 1
		}
	}
	if strings.TrimSpace(src) == "" {
		return line, 0
	}
	return line, len(src) - len(strings.TrimLeft(src, " \t")) + 1
}

func hasKey(m *yaml.Node, k string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return true
		}
	}
	return false
}

// mapping calls fn for each key of m in order, reporting keys given twice
// and non-scalar keys.
func (p *fileParser) mapping(m *yaml.Node, fn func(key, val *yaml.Node)) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, ErrSyntax, "", "a key must be a plain name")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, ErrDuplicate, k.Value, "key %s given twice (first at line %d)", quote(k.Value), first.Line)
			continue
		}
		seen[k.Value] = k
		fn(k, v)
	}
}

func (p *fileParser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		if p.expanded += len(n.Alias.Value); p.expanded > p.aliasBudget {
			if !p.aliasRefused {
				p.aliasRefused = true
				p.errorf(n, ErrValue, "", "aliases expand to more than %d bytes (%d times the file's size); write the value out, or alias less", p.aliasBudget, maxAliasRatio)
			}
			return "", false
		}
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, ErrSyntax, "", "%s must be a single value", what)
		return "", false
	}
	return n.Value, true
}

func (p *fileParser) thresholds(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, ErrSyntax, n.Value, "thresholds must be a mapping from threshold name to {rule, doc, expr}")
		return
	}
	if len(n.Content) > 2*MaxEntries {
		p.errorf(n.Content[2*MaxEntries], ErrValue, "", "more than %d thresholds in one file", MaxEntries)
		return
	}
	p.mapping(n, func(key, val *yaml.Node) {
		th := &rawThreshold{file: p.f, name: key.Value, nameNode: key}
		switch val.Kind {
		case yaml.ScalarNode: // the short form: name: 'expression'
			th.expr, th.exprNode = val.Value, val
		case yaml.MappingNode:
			p.mapping(val, func(k, v *yaml.Node) {
				switch k.Value {
				case "rule":
					if s, ok := p.scalar(v, "rule"); ok {
						th.rule, th.ruleNode = s, v
					}
				case "doc":
					if s, ok := p.scalar(v, "doc"); ok {
						th.doc = s
					}
				case "expr":
					if s, ok := p.scalar(v, "expr"); ok {
						th.expr, th.exprNode = s, v
					}
				default:
					p.errorf(k, ErrUnknown, k.Value, "unknown key %s in threshold %s (want rule, doc, expr)", quote(k.Value), clip(key.Value))
				}
			})
			if th.exprNode == nil && !hasKey(val, "expr") {
				p.errorf(key, ErrMissing, key.Value, "threshold %s has no expr", clip(key.Value))
				return
			}
		default:
			p.errorf(val, ErrSyntax, key.Value, "threshold %s must be an expression or a mapping {rule, doc, expr}", clip(key.Value))
			return
		}
		if th.exprNode == nil {
			return
		}
		if th.ruleNode != nil && !rulePattern.MatchString(th.rule) {
			p.errorf(th.ruleNode, ErrValue, th.rule, "rule %s is not a rule ID like ORD-4", quote(th.rule))
			return
		}
		p.f.thresholds = append(p.f.thresholds, th)
	})
}

func (p *fileParser) tests(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, ErrSyntax, n.Value, "tests must be a list of cases {name, at, input, want}")
		return
	}
	if len(n.Content) > MaxEntries {
		p.errorf(n.Content[MaxEntries], ErrValue, "", "more than %d test cases in one file", MaxEntries)
		return
	}
	for _, c := range n.Content {
		if c.Kind != yaml.MappingNode {
			p.errorf(c, ErrSyntax, c.Value, "a test case must be a mapping {name, at, input, want}")
			continue
		}
		tc := &rawTest{file: p.f, node: c, input: map[string]*yaml.Node{}}
		p.mapping(c, func(k, v *yaml.Node) {
			switch k.Value {
			case "name":
				if s, ok := p.scalar(v, "name"); ok {
					tc.name = s
				}
			case "at":
				s, ok := p.scalar(v, "at")
				if !ok {
					return
				}
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					p.errorf(v, ErrValue, s, "at %s is not an RFC 3339 instant like 2023-07-23T00:00:00+08:00", quote(s))
					return
				}
				tc.at = t
			case "skip":
				s, ok := p.scalar(v, "skip")
				if !ok {
					return
				}
				if strings.TrimSpace(s) == "" {
					p.errorf(v, ErrValue, "", "skip: give the reason the case does not run, e.g. skip: waits for the 2024 revision")
					return
				}
				tc.skip = s
			case "input":
				p.flatten(v, "", tc.input)
			case "want":
				if v.Kind != yaml.MappingNode {
					p.errorf(v, ErrSyntax, v.Value, "want must be a mapping from threshold name to value")
					return
				}
				p.mapping(v, func(wk, wv *yaml.Node) {
					tc.want = append(tc.want, wantEntry{name: wk.Value, key: wk, val: wv})
				})
			default:
				p.errorf(k, ErrUnknown, k.Value, "unknown key %s in test case (want name, at, skip, input, want)", quote(k.Value))
			}
		})
		if tc.name == "" {
			p.errorf(c, ErrMissing, "", "test case has no name")
			continue
		}
		if len(tc.want) == 0 {
			p.errorf(c, ErrMissing, tc.name, "test case %s has no want", quote(tc.name))
			continue
		}
		p.f.tests = append(p.f.tests, tc)
	}
}

// flatten turns nested input mappings into dotted names:
// {order: {activity_limit: 15m}} gives "order.activity_limit".
func (p *fileParser) flatten(n *yaml.Node, prefix string, out map[string]*yaml.Node) {
	if n.Kind != yaml.MappingNode {
		if prefix == "" {
			p.errorf(n, ErrSyntax, n.Value, "input must be a mapping from input name to value")
			return
		}
		out[prefix] = n
		return
	}
	p.mapping(n, func(k, v *yaml.Node) {
		name := k.Value
		if prefix != "" {
			name = prefix + "." + name
		}
		if p.inputs != nil && !p.inputs[name] {
			// No declared input is name or below it: stop here, so that the
			// work stays linear in the file however deep it nests.
			p.errorf(k, ErrUnknown, clip(name), "unknown input %s: no threshold declares it", quote(name))
			return
		}
		if v.Kind == yaml.MappingNode {
			p.flatten(v, name, out)
			return
		}
		out[name] = v
	})
}
