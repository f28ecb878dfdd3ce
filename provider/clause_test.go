package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/rules"
)

func TestClausesCatalogue(t *testing.T) {
	want := map[Class][]int{
		ClassI:   {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		ClassII:  {13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26},
		ClassIII: {27, 28, 29, 30, 31, 32},
	}
	got := map[Class][]int{}
	for _, c := range Clauses() {
		got[c.Class] = append(got[c.Class], int(c.Clause))
		if c.Title == "" || c.Source != "SP §"+c.Clause.String() || c.Rule != c.Class.Rule() || !c.Kind.IsValid() {
			t.Errorf("clause %v: %+v", c.Clause, c)
		}
		back, err := ParseClause(c.Clause.String())
		if err != nil || back != c.Clause {
			t.Errorf("ParseClause(%q) = %v, %v", c.Clause, back, err)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	kinds := map[Clause]ClauseKind{11: Escalation, 26: Escalation, 31: AfterNotice, 12: Discretion, 25: Discretion, 30: Discretion}
	for _, c := range Clauses() {
		k, ok := kinds[c.Clause]
		if !ok {
			k = Listed
		}
		if c.Kind != k {
			t.Errorf("clause %v kind %v, want %v", c.Clause, c.Kind, k)
		}
	}
}

func TestParseClauseUnknown(t *testing.T) {
	for _, tc := range []struct{ in, rule string }{
		{"4.23", "PRV-6"}, {"4.33", "PRV-7"}, {"4.0", "PRV-5"}, {"5.1", "PRV-5"}, {"4.017", "PRV-6"},
		{"", "PRV-5"}, {"4.", "PRV-5"}, {"4.-1", "PRV-5"}, {"4.99", "PRV-7"}, {"4.1 ", "PRV-5"},
	} {
		_, err := ParseClause(tc.in)
		var re *rules.RuleError
		if !errors.Is(err, ErrUnknownClause) || !errors.As(err, &re) || re.Rule != tc.rule || !strings.Contains(err.Error(), "\""+tc.in+"\"") {
			t.Errorf("ParseClause(%q) = %v, want ErrUnknownClause (%s) naming it", tc.in, err, tc.rule)
		}
	}
	if c, err := ParseClause("SP §4.31"); err != nil || c != 31 {
		t.Errorf(`ParseClause("SP §4.31") = %v, %v`, c, err)
	}
	var c Clause
	if err := c.UnmarshalText([]byte("4.23")); !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrUnknownClause) {
		t.Errorf("UnmarshalText(4.23) = %v", err)
	}
	if _, err := Clause(23).MarshalText(); !errors.Is(err, ErrInvalid) {
		t.Errorf("MarshalText(23) = %v", err)
	}
	if Clause(0).IsValid() || Clause(23).IsValid() || Clause(33).IsValid() || Clause(23).String() != "invalid(23)" {
		t.Error("invalid clauses reported valid")
	}
}
