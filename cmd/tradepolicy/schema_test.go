package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tradepolicy/tradepolicy/rules"
)

func TestSchema(t *testing.T) {
	runCases(t, []cliCase{
		{"schema-refund", []string{"schema", "refund"}, exitOK},
		{"schema-unknown-policy", []string{"schema", "shop"}, exitUsage},
		{"schema-help", []string{"schema", "--help"}, exitOK},
	})
}

// The schema names every declared threshold of every policy, with the
// value type of its test expectations, and every input, nested.
func TestSchemaCoversEveryDeclaration(t *testing.T) {
	code, out := runCLI(t, testFS, "schema")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var s struct {
		Schema      string `json:"$schema"`
		Definitions map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Items      struct {
				Properties struct {
					Want  struct{ Properties map[string]struct{ Type any } } `json:"want"`
					Input map[string]any                                     `json:"input"`
				} `json:"properties"`
			} `json:"items"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal([]byte(out[strings.IndexByte(out, '\n')+1:]), &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("$schema %q", s.Schema)
	}
	for _, p := range knownPolicies {
		th := s.Definitions[p.Name+".thresholds"].Properties
		want := s.Definitions[p.Name+".tests"].Items.Properties.Want.Properties
		for _, d := range p.Schema().Decls() {
			if _, ok := th[d.Name]; !ok {
				t.Errorf("%s: threshold %s missing", p.Name, d.Name)
			}
			if _, ok := want[d.Name]; !ok {
				t.Errorf("%s: want %s missing", p.Name, d.Name)
			}
		}
		if len(th) != len(p.Schema().Decls()) {
			t.Errorf("%s: %d thresholds in the schema, %d declared", p.Name, len(th), len(p.Schema().Decls()))
		}
	}
}

// The value patterns accept the forms rule files write and refuse
// what is no value of the type.
func TestSchemaValuePatterns(t *testing.T) {
	for _, c := range []struct {
		typ  rules.Type
		ok   []string
		fail []string
	}{
		{rules.Window, []string{"days(7)", "7d", `duration("48h")`, "48h", "1h30m", "1.5h"}, []string{"seven days", "days()", "48"}},
		{rules.Decimal, []string{"0.99", "100", "-1.5"}, []string{"1e3", "1,5", ""}},
		{rules.Duration, []string{"15m", "1h30m"}, []string{"15", "15 m"}},
	} {
		re := regexp.MustCompile(valueSchema(c.typ)["pattern"].(string))
		for _, s := range c.ok {
			if !re.MatchString(s) {
				t.Errorf("%v: %q refused", c.typ, s)
			}
		}
		for _, s := range c.fail {
			if re.MatchString(s) {
				t.Errorf("%v: %q accepted", c.typ, s)
			}
		}
	}
}
