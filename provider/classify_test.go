package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClassifyEveryClause(t *testing.T) {
	v := DefaultPolicy().Latest()
	for _, info := range Clauses() {
		f := Finding{Clause: info.Clause, NoticeSent: true, FactorRemained: true}
		got, decs, err := Classify(v, f)
		if info.Kind == Escalation {
			if !errors.Is(err, ErrLiftClause) {
				t.Errorf("%v: err %v, want ErrLiftClause", info.Clause, err)
			}
			continue
		}
		want := Classification{Clause: info.Clause, Violation: true, Class: info.Class, Version: v.Date()}
		if err != nil {
			t.Fatalf("%v: %v", info.Clause, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", info.Clause, diff)
		}
		if len(decs) == 0 || decs[0].Rule != info.Rule || decs[0].Version != v.Date() || !strings.Contains(decs[0].Note, info.Source) {
			t.Errorf("%v: first decision %+v does not cite the clause and version", info.Clause, decs)
		}
	}
}

func TestClassifyEscalation(t *testing.T) {
	v := DefaultPolicy().Latest()
	type facts struct{ sig, goodwill, loss, notice, remained bool }
	tests := []struct {
		name   string
		clause Clause
		f      facts
		want   Classification
	}{
		{"II plain", 17, facts{}, Classification{Clause: 17, Violation: true, Class: ClassII}},
		{"II significant lifts to I by 4.11", 17, facts{sig: true}, Classification{Clause: 17, Violation: true, Class: ClassI, Lifted: 11}},
		{"II goodwill damage lifts", 13, facts{goodwill: true}, Classification{Clause: 13, Violation: true, Class: ClassI, Lifted: 11}},
		{"II asset loss lifts", 24, facts{loss: true}, Classification{Clause: 24, Violation: true, Class: ClassI, Lifted: 11}},
		{"II other (4.25) lifts", 25, facts{sig: true}, Classification{Clause: 25, Violation: true, Class: ClassI, Lifted: 11}},
		{"III plain", 27, facts{}, Classification{Clause: 27, Violation: true, Class: ClassIII}},
		{"III significant lifts to II by 4.26, one step", 27, facts{sig: true, goodwill: true, loss: true}, Classification{Clause: 27, Violation: true, Class: ClassII, Lifted: 26}},
		{"III asset loss lifts", 32, facts{loss: true}, Classification{Clause: 32, Violation: true, Class: ClassII, Lifted: 26}},
		{"I stays I", 7, facts{sig: true}, Classification{Clause: 7, Violation: true, Class: ClassI}},
		{"4.31 no notice", 31, facts{remained: true}, Classification{Clause: 31}},
		{"4.31 removed after notice", 31, facts{notice: true}, Classification{Clause: 31}},
		{"4.31 neither", 31, facts{}, Classification{Clause: 31}},
		{"4.31 remained after notice", 31, facts{notice: true, remained: true}, Classification{Clause: 31, Violation: true, Class: ClassIII}},
		{"4.31 remained, significant", 31, facts{notice: true, remained: true, loss: true}, Classification{Clause: 31, Violation: true, Class: ClassII, Lifted: 26}},
		{"4.31 without its facts is not lifted", 31, facts{sig: true}, Classification{Clause: 31}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Finding{Clause: tc.clause, Significant: tc.f.sig, GoodwillDamage: tc.f.goodwill, AssetLoss: tc.f.loss,
				NoticeSent: tc.f.notice, FactorRemained: tc.f.remained}
			got, decs, err := Classify(v, f)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Version = v.Date()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, d := range decs {
				if d.Version != v.Date() || d.Policy != "provider" {
					t.Errorf("decision %+v lacks the version", d)
				}
			}
			if got.Lifted != 0 {
				last := decs[len(decs)-1]
				if !strings.Contains(last.Note, "SP §"+got.Lifted.String()) || !strings.Contains(last.Note, "SP §"+tc.clause.String()) {
					t.Errorf("lift decision %+v does not cite both clauses", last)
				}
			}
		})
	}
}

func TestClassifyRefusals(t *testing.T) {
	v := DefaultPolicy().Latest()
	for _, c := range []Clause{0, 23, 33, 200} {
		if _, _, err := Classify(v, Finding{Clause: c}); !errors.Is(err, ErrUnknownClause) {
			t.Errorf("clause %d: %v, want ErrUnknownClause", c, err)
		}
	}
	for _, c := range []Clause{11, 26} {
		if _, _, err := Classify(v, Finding{Clause: c, Significant: true}); !errors.Is(err, ErrLiftClause) {
			t.Errorf("clause %v: %v, want ErrLiftClause", c, err)
		}
	}
}

func TestClassifyOverride(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("significant_impact", "finding.significant")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Classify(set.Latest(), Finding{Clause: 17, AssetLoss: true})
	if err != nil || got.Class != ClassII {
		t.Errorf("asset loss alone with an override that ignores it: %+v, %v", got, err)
	}
}
