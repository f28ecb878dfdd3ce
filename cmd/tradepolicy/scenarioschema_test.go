package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tradepolicy/tradepolicy/scenario"
)

func TestScenarioSchemaCLI(t *testing.T) {
	runCases(t, []cliCase{
		{"schema-scenario", []string{"schema", "--scenario"}, exitOK},
		{"schema-scenario-with-policy", []string{"schema", "--scenario", "refund"}, exitUsage},
	})
}

// generatedScenarioSchema is what tradepolicy schema --scenario prints,
// decoded.
func generatedScenarioSchema(t *testing.T) map[string]any {
	t.Helper()
	code, out := runCLI(t, testFS, "schema", "--scenario")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// scenarioFiles is every scenario file the module ships or tests with.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, root := range []string{"../../scenarios", "../../scenario/testdata/run", "testdata/scenarios/ok", "testdata/scenarios/fail"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, scenario.Suffix) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// Every shipped scenario file validates against the generated schema.
func TestScenarioSchemaValidatesShippedFiles(t *testing.T) {
	s := generatedScenarioSchema(t)
	files := scenarioFiles(t)
	if len(files) < 30 {
		t.Fatalf("%d scenario files, want the shipped ones (30 or more)", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Parse(f, src); err != nil {
			t.Errorf("%s does not parse: %v", f, err)
			continue
		}
		for _, e := range validate(s, s, yamlValue(t, src), "") {
			t.Errorf("%s: %s", f, e)
		}
	}
}

// The schema refuses what the parser refuses, for the keys and names it
// knows.
func TestScenarioSchemaRefuses(t *testing.T) {
	s := generatedScenarioSchema(t)
	// The rule IDs are the machines' own (a refund rule R, a dispute rule
	// D), so that this test cites none.
	f := scenario.FileFormat()
	rulesOf := map[string][]string{}
	for _, m := range f.Machines {
		rulesOf[m.Name] = m.Rules
	}
	base := `machine: refund
rules: [R]
start: 2024-03-01T10:00:00+08:00
order: {mode: escrow}
steps:
  - at: +0s
    event: {type: open, kind: refund_only, reason: agreed, items: [{line: A}]}
    expect:
      effects: [{type: refund_money, at: +0s}]
      error: {rule: R, is: ErrWindowClosed}
      next: +48h
      pending: [{at: +48h, rule: R}]
      decisions: [{rule: R, note: x}]
  - at: 2024-03-03T10:00:00+08:00
    advance: true
  - at: +1d-1s
    ship: [A]
`
	ids := strings.NewReplacer("rule: R", "rule: "+rulesOf["refund"][0], "rules: [R]", "rules: ["+rulesOf["refund"][0]+"]",
		"rules: [D]", "rules: ["+rulesOf["dispute"][0]+"]", "rules: R99", "rules: "+rulesOf["refund"][0][:4]+"99")
	base = ids.Replace(base)
	if errs := validate(s, s, yamlValue(t, []byte(base)), ""); len(errs) > 0 {
		t.Fatalf("the base file is refused: %v", errs)
	}
	if _, err := scenario.Parse("base", []byte(base)); err != nil {
		t.Fatalf("the base file does not parse: %v", err)
	}
	for _, c := range []struct{ name, old, new string }{
		{"unknown top key", "order:", "colour: red\norder:"},
		{"another machine's start key", "order:", "trade: {}\norder:"},
		{"unknown machine", "machine: refund", "machine: shop"},
		{"missing start", "start: 2024-03-01T10:00:00+08:00\n", ""},
		{"start without offset", "start: 2024-03-01T10:00:00+08:00", "start: 2024-03-01T10:00:00"},
		{"rule of another machine", ids.Replace("rules: [R]"), ids.Replace("rules: [D]")},
		{"unknown rule", ids.Replace("rules: [R]"), ids.Replace("rules: R99")},
		{"bad at", "at: +0s", "at: tomorrow"},
		{"offset without unit", "at: +0s", "at: +10"},
		{"unknown event", "type: open", "type: opne"},
		{"event of another machine", "type: open", "type: complain"},
		{"unknown bare event", "event: {type: open, kind: refund_only, reason: agreed, items: [{line: A}]}", "event: opne"},
		{"unknown step key", "advance: true", "advance: true\n    wait: 1h"},
		{"event and advance", "advance: true", "advance: true\n    event: withdraw"},
		{"no action", "    advance: true\n", "    doc: nothing\n"},
		{"step without at", "  - at: 2024-03-03T10:00:00+08:00\n    advance", "  - advance"},
		{"advance false", "advance: true", "advance: false"},
		{"unknown expect key", "next: +48h", "nxt: +48h"},
		{"unknown effect type", "type: refund_money", "type: refund_cash"},
		{"effect without type", "{type: refund_money, at: +0s}", "{at: +0s}"},
		{"bad effect at", "refund_money, at: +0s", "refund_money, at: soon"},
		{"unknown sentinel", "is: ErrWindowClosed", "is: ErrNope"},
		{"unknown error key", "is: ErrWindowClosed}", "is: ErrWindowClosed, code: 3}"},
		{"bad next", "next: +48h", "next: never"},
		{"unknown pending key", ids.Replace("rule: R}]\n      decisions"), ids.Replace("rule: R, kind: x}]\n      decisions")},
		{"unknown decision key", "note: x}", "notes: x}"},
		{"empty skip", "order:", "skip: ''\norder:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.old) {
				t.Fatalf("base has no %q", c.old)
			}
			src := strings.Replace(base, c.old, c.new, 1)
			if errs := validate(s, s, yamlValue(t, []byte(src)), ""); len(errs) == 0 {
				t.Errorf("the schema accepts:\n%s", src)
			}
			if _, err := scenario.Parse("x", []byte(src)); err == nil {
				t.Errorf("the parser accepts (the case is no refusal):\n%s", src)
			}
		})
	}
}

// Every name of every machine's vocabulary is in the schema: event
// names, effect types, sentinels, start keys, fact keys and rule IDs.
func TestScenarioSchemaCoversEveryMachine(t *testing.T) {
	s := generatedScenarioSchema(t)
	defs := s["definitions"].(map[string]any)
	f := scenario.FileFormat()
	top := s["properties"].(map[string]any)
	for _, k := range f.TopKeys {
		if _, ok := top[k]; !ok {
			t.Errorf("top-level key %s missing", k)
		}
	}
	if got, want := len(s["allOf"].([]any)), len(f.Machines); got != want {
		t.Errorf("%d machine branches, want %d", got, want)
	}
	for i, m := range f.Machines {
		branch := s["allOf"].([]any)[i].(map[string]any)
		if got := dig(branch, "if", "properties", "machine", "const"); got != m.Name {
			t.Errorf("branch %d is for %v, want %s", i, got, m.Name)
		}
		then := branch["then"].(map[string]any)
		want := append(slices.Clone(f.TopKeys), m.StartKeys...)
		if got := strs(dig(then, "propertyNames", "enum")); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: top-level keys %v, want %v", m.Name, got, want)
		}
		if got := strs(dig(then, "properties", "rules", "anyOf", 0, "enum")); !reflect.DeepEqual(got, m.Rules) || len(got) == 0 {
			t.Errorf("%s: rules %v, want %v", m.Name, got, m.Rules)
		}
		if got := dig(then, "properties", "steps", "items", "$ref"); got != "#/definitions/"+m.Name+".step" {
			t.Errorf("%s: steps are %v", m.Name, got)
		}
		events := strs(dig(defs, m.Name+".event", "anyOf", 0, "enum"))
		if !reflect.DeepEqual(events, append(slices.Clone(m.Events), "advance")) || len(m.Events) == 0 {
			t.Errorf("%s: events %v, want %v and advance", m.Name, events, m.Events)
		}
		step := dig(defs, m.Name+".step", "properties").(map[string]any)
		for _, k := range append(slices.Clone(f.StepKeys), m.FactKeys...) {
			if _, ok := step[k]; !ok {
				t.Errorf("%s: step key %s missing", m.Name, k)
			}
		}
		if len(step) != len(f.StepKeys)+len(m.FactKeys) {
			t.Errorf("%s: %d step keys, want %d", m.Name, len(step), len(f.StepKeys)+len(m.FactKeys))
		}
		expect := dig(defs, m.Name+".expect", "properties").(map[string]any)
		if len(expect) != len(f.ExpectKeys) {
			t.Errorf("%s: %d expect keys, want %v", m.Name, len(expect), f.ExpectKeys)
		}
		if got := strs(dig(expect, "effects", "items", "properties", "type", "enum")); !reflect.DeepEqual(got, m.EffectKinds) || len(got) == 0 {
			t.Errorf("%s: effect types %v, want %v", m.Name, got, m.EffectKinds)
		}
		if got := strs(dig(expect, "error", "anyOf", 1, "properties", "is", "enum")); !reflect.DeepEqual(got, m.Sentinels) || len(got) == 0 {
			t.Errorf("%s: sentinels %v, want %v", m.Name, got, m.Sentinels)
		}
	}
}

// dig follows keys and indexes into decoded JSON; nil when absent.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func strs(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// yamlValue is a YAML document as a JSON Schema validator sees it: plain
// scalars resolved by the YAML 1.2 core schema, instants as strings.
func yamlValue(t *testing.T, src []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	return nodeValue(&doc)
}

func nodeValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return nodeValue(n.Content[0])
	case yaml.AliasNode:
		return nodeValue(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, nodeValue(c))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

// validate checks v against schema s (root holds the definitions) with
// the draft-07 keywords the generated schemas use, and refuses a keyword
// it does not implement, so that the schema cannot outgrow the check.
func validate(root, s map[string]any, v any, path string) []string {
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s: ", orRoot(path))+fmt.Sprintf(format, args...))
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := s[k]
		switch k {
		case "$schema", "title", "description", "definitions", "format", "then":
		case "$ref":
			name, ok := strings.CutPrefix(x.(string), "#/definitions/")
			def, _ := dig(root, "definitions", name).(map[string]any)
			if !ok || def == nil {
				bad("unresolved $ref %v", x)
				continue
			}
			errs = append(errs, validate(root, def, v, path)...)
		case "type":
			types, ok := x.([]any)
			if !ok {
				types = []any{x}
			}
			if !slices.ContainsFunc(types, func(t any) bool { return hasType(v, t.(string)) }) {
				bad("%v is not of type %v", v, x)
			}
		case "enum":
			if !slices.ContainsFunc(x.([]any), func(e any) bool { return reflect.DeepEqual(e, v) }) {
				bad("%v is not one of %v", v, x)
			}
		case "const":
			if !reflect.DeepEqual(x, v) {
				bad("%v is not %v", v, x)
			}
		case "pattern":
			if str, ok := v.(string); ok && !regexp.MustCompile(x.(string)).MatchString(str) {
				bad("%q does not match %s", str, x)
			}
		case "minLength":
			if str, ok := v.(string); ok && float64(len([]rune(str))) < x.(float64) {
				bad("%q is shorter than %v", str, x)
			}
		case "minProperties":
			if m, ok := v.(map[string]any); ok && float64(len(m)) < x.(float64) {
				bad("fewer than %v keys", x)
			}
		case "required":
			if m, ok := v.(map[string]any); ok {
				for _, r := range x.([]any) {
					if _, has := m[r.(string)]; !has {
						bad("missing key %v", r)
					}
				}
			}
		case "properties":
			if m, ok := v.(map[string]any); ok {
				for name, sub := range x.(map[string]any) {
					if val, has := m[name]; has {
						errs = append(errs, validate(root, sub.(map[string]any), val, path+"."+name)...)
					}
				}
			}
		case "additionalProperties":
			if m, ok := v.(map[string]any); ok && x == false {
				props, _ := s["properties"].(map[string]any)
				for name := range m {
					if _, known := props[name]; !known {
						bad("key %q is not allowed", name)
					}
				}
			} else if x != false {
				bad("additionalProperties %v: only false is implemented", x)
			}
		case "propertyNames":
			if m, ok := v.(map[string]any); ok {
				for name := range m {
					errs = append(errs, validate(root, x.(map[string]any), name, path+" key "+name)...)
				}
			}
		case "items":
			if l, ok := v.([]any); ok {
				for i, item := range l {
					errs = append(errs, validate(root, x.(map[string]any), item, fmt.Sprintf("%s[%d]", path, i))...)
				}
			}
		case "anyOf":
			var all []string
			for _, sub := range x.([]any) {
				e := validate(root, sub.(map[string]any), v, path)
				if len(e) == 0 {
					all = nil
					break
				}
				all = append(all, e...)
			}
			if all != nil {
				bad("matches none of anyOf: %s", strings.Join(all, "; "))
			}
		case "allOf":
			for _, sub := range x.([]any) {
				errs = append(errs, validate(root, sub.(map[string]any), v, path)...)
			}
		case "not":
			if len(validate(root, x.(map[string]any), v, path)) == 0 {
				bad("matches what it must not: %v", x)
			}
		case "if":
			if len(validate(root, x.(map[string]any), v, path)) == 0 {
				if then, ok := s["then"].(map[string]any); ok {
					errs = append(errs, validate(root, then, v, path)...)
				}
			}
		default:
			bad("keyword %s is not implemented by this check", k)
		}
	}
	return errs
}

func orRoot(path string) string {
	if path == "" {
		return "(file)"
	}
	return strings.TrimPrefix(path, ".")
}

func hasType(v any, t string) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return false
}

// The rule-file schema accepts the test cases the rules package loads,
// skip: with its reason among them, and refuses an empty reason.
func TestRuleFileSchemaValidatesTestCases(t *testing.T) {
	code, out := runCLI(t, testFS, "schema")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &s); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		ok   bool
	}{
		{"testdata/skip/refund-skip.yaml", true},
		{"testdata/example/policy/flash.yaml", true},
		{"testdata/valid/refund-flash.yaml", true},
		{"testdata/failing/refund-fail.yaml", true},
		{"testdata/skipbroken/refund-skip.yaml", false},
	} {
		src, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		errs := validate(s, s, yamlValue(t, src), "")
		if (len(errs) == 0) != c.ok {
			t.Errorf("%s: errors %q, want valid %v", c.file, errs, c.ok)
		}
	}
}
