package main

import (
	"slices"
	"testing"
)

// Each entry of the registry is the policy it names: its schema, its
// defaults and its name agree, and names are sorted and unique.
func TestRegistry(t *testing.T) {
	var names []string
	for _, p := range knownPolicies {
		names = append(names, p.Name)
		if got := p.Schema().Policy(); got != p.Name {
			t.Errorf("%s: schema of policy %s", p.Name, got)
		}
		if p.Defaults().Schema() != p.Schema() {
			t.Errorf("%s: defaults not loaded against the schema", p.Name)
		}
		if p.Catalogue != nil {
			for _, r := range p.Catalogue() {
				for _, th := range r.Thresholds {
					if _, ok := p.Schema().Decl(th); !ok {
						t.Errorf("%s: catalogue rule %s names undeclared threshold %s", p.Name, r.ID, th)
					}
				}
			}
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("names %v are not sorted and unique", names)
	}
}
