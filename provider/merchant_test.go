package provider_test

import (
	stdcmp "cmp"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/provider/providertest"
	"github.com/tradepolicy/tradepolicy/rules"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Shop  X", "shopx"},
		{"ＳＨＯＰ　Ｘ", "shopx"}, // full-width letters and the ideographic space
		{" a\tb\nc ", "abc"},
		{"店铺 １号", "店铺1号"},
		{"", ""},
		{"   ", ""},
	} {
		if got := provider.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDuplicateMerchants(t *testing.T) {
	ms := []provider.Merchant{
		{ID: "a", Name: "Tea House", Address: "1 Road"},
		{ID: "b", Name: "ＴＥＡ　ＨＯＵＳＥ", Address: "2 Road"},
		{ID: "c", Name: "Noodles", Address: "2road"},
		{ID: "d", Name: "Solo", Address: "9 Road"},
		{ID: "e", Location: "30.1,120.2"},
		{ID: "f", Location: " 30.1,120.2 "},
		{ID: "g"}, {ID: "h"}, // empty fields are never shared
	}
	got, err := provider.DuplicateMerchants(ms)
	if err != nil {
		t.Fatal(err)
	}
	want := []provider.Duplicate{
		{Merchants: []string{"a", "b", "c"}, Shared: []provider.Shared{
			{Field: provider.NameField, Key: "teahouse", Merchants: []string{"a", "b"}},
			{Field: provider.AddressField, Key: "2road", Merchants: []string{"b", "c"}},
		}},
		{Merchants: []string{"e", "f"}, Shared: []provider.Shared{{Field: provider.LocationField, Key: "30.1,120.2", Merchants: []string{"e", "f"}}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got[0].Definition() != provider.DefDuplicate || got[0].Finding().Clause != provider.FraudClause {
		t.Errorf("definition %s, clause %v", got[0].Definition(), got[0].Finding().Clause)
	}
	for _, bad := range [][]provider.Merchant{{{ID: ""}}, {{ID: "a"}, {ID: "a"}}} {
		if _, err := provider.DuplicateMerchants(bad); !errors.Is(err, provider.ErrInvalid) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// bruteDuplicates compares every pair, then joins linked pairs by
// repeated relabelling: the definition, without the index.
func bruteDuplicates(ms []provider.Merchant) [][]string {
	label := make([]int, len(ms))
	for i := range label {
		label[i] = i
	}
	shares := func(a, b provider.Merchant) bool {
		for _, p := range [][2]string{{a.Name, b.Name}, {a.Address, b.Address}, {a.Location, b.Location}} {
			if x := provider.Normalize(p[0]); x != "" && x == provider.Normalize(p[1]) {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for i := range ms {
			for j := range ms {
				if i != j && shares(ms[i], ms[j]) && label[j] > label[i] {
					old := label[j]
					for k := range label {
						if label[k] == old {
							label[k] = label[i]
						}
					}
					changed = true
				}
			}
		}
	}
	groups := map[int][]string{}
	for i, l := range label {
		groups[l] = append(groups[l], ms[i].ID)
	}
	var out [][]string
	for _, g := range groups {
		if len(g) > 1 {
			slices.Sort(g)
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return stdcmp.Compare(a[0], b[0]) })
	return out
}

func TestDuplicatesMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ms := providertest.Merchants(12).Draw(t, "merchants")
		got, err := provider.DuplicateMerchants(ms)
		if err != nil {
			t.Fatal(err)
		}
		var groups [][]string
		for _, g := range got {
			groups = append(groups, g.Merchants)
			// Every shared key is shared by the merchants it lists.
			for _, sh := range g.Shared {
				if len(sh.Merchants) < 2 {
					t.Fatalf("shared %+v by fewer than two", sh)
				}
			}
		}
		if diff := cmp.Diff(bruteDuplicates(ms), groups); diff != "" {
			t.Fatalf("(-brute +got):\n%s", diff)
		}
	})
}

func TestFalseTransactions(t *testing.T) {
	m := provider.New(provider.Options{})
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	amt := decimal.RequireFromString
	trades := []provider.Trade{
		{ID: "t1", Merchant: "a", Account: "friend", At: at, Amount: amt("50")},
		{ID: "t2", Merchant: "a", Account: "puppet", At: at, Amount: amt("0.50")},
		{ID: "t3", Merchant: "b", Account: "friend", At: at, Amount: amt("50")},
	}
	rel := []provider.Relation{{Merchant: "a", Account: "friend", Kind: provider.Associated}, {Merchant: "a", Account: "puppet", Kind: provider.Controlled}}
	got, err := m.FalseTransactions(trades, rel)
	if err != nil {
		t.Fatal(err)
	}
	want := []provider.Signal{
		{Trade: "t1", Merchant: "a", Definition: provider.DefAssociatedParty},
		{Trade: "t2", Merchant: "a", Definition: provider.DefControlledAccount},
		{Trade: "t2", Merchant: "a", Definition: provider.DefAbnormalLowPrice},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got[0].Finding().Clause != provider.CashOutClause {
		t.Error("a false transaction does not feed 4.20")
	}
	// Only unflagged trades are real: merchant a has none, b has t3.
	ms := []provider.Merchant{{ID: "a", CooperationFrom: at}, {ID: "b", CooperationFrom: at}, {ID: "c"}}
	inv, err := m.InvalidMerchants(ms, trades, rel, at.Add(100*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]provider.Invalid{{Merchant: "a", Deadline: at.Add(2160 * time.Hour)}}, inv); diff != "" {
		t.Errorf("invalid (-want +got):\n%s", diff)
	}
	for _, bad := range []provider.Trade{{ID: "x", Merchant: "a", At: at, Amount: amt("0.001")}, {ID: "", Merchant: "a", At: at}, {ID: "y", Merchant: "a", At: at, Amount: amt("-1")}} {
		if _, err := m.FalseTransactions([]provider.Trade{bad}, nil); !errors.Is(err, provider.ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// TestAdmission: every unmet condition of SP §2 at once (PRV-2).
func TestAdmission(t *testing.T) {
	ok := provider.Applicant{LicenceComplete: true, GoodReputation: true, BusinessScale: true, SoundFinances: true,
		GoodCredit: true, SuppliesSystems: true, SystemsSafe: true, MerchantAgreements: true}
	if err := provider.CheckAdmission(ok); err != nil {
		t.Errorf("complete applicant: %v", err)
	}
	bad := provider.Applicant{SuppliesSystems: true, Listed: []string{"abnormal operation"}}
	want := []provider.Condition{provider.LicenceComplete, provider.GoodReputation, provider.BusinessScale, provider.SoundFinances,
		provider.GoodCredit, provider.NotListed, provider.SafeSystems, provider.MerchantAgreements}
	if diff := cmp.Diff(want, provider.Unmet(bad)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	err := provider.CheckAdmission(bad)
	if !errors.Is(err, provider.ErrNotAdmitted) {
		t.Fatal(err)
	}
	for _, c := range want {
		if !contains(err.Error(), c.String()) {
			t.Errorf("%v missing from %v", c, err)
		}
	}
	noSystems := ok
	noSystems.SuppliesSystems, noSystems.SystemsSafe = false, false
	if err := provider.CheckAdmission(noSystems); err != nil {
		t.Errorf("a provider that supplies no systems needs no safe systems: %v", err)
	}
}

func TestScope(t *testing.T) {
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	svc := []provider.Service{{Name: "data_analysis", Started: at}, {Name: "loan_brokering", Started: at}, {Name: "payroll", Started: at}}
	err := provider.CheckScope(svc, []provider.Consent{{Service: "payroll", At: at, Written: true}})
	var re *rules.RuleError
	if !errors.Is(err, provider.ErrOutOfScope) || !errors.As(err, &re) || re.Rule != "PRV-3" || !contains(err.Error(), "loan_brokering") || contains(err.Error(), "payroll") {
		t.Errorf("%v", err)
	}
	for _, c := range []provider.Consent{
		{Service: "loan_brokering", At: at.Add(time.Second), Written: true}, // after the start
		{Service: "loan_brokering", At: at, Written: false},                 // oral
	} {
		if err := provider.CheckScope(svc[1:2], []provider.Consent{c}); !errors.Is(err, provider.ErrOutOfScope) {
			t.Errorf("consent %+v: %v", c, err)
		}
	}
	if err := provider.CheckScope(svc[1:2], []provider.Consent{{Service: "loan_brokering", At: at, Written: true}}); err != nil {
		t.Errorf("prior written consent: %v", err)
	}
	if len(provider.Scope()) != 11 {
		t.Errorf("scope %v", provider.Scope())
	}
}

// TestDuties: the checkable duties of SP §3.2 (PRV-4).
func TestDuties(t *testing.T) {
	m := provider.New(provider.Options{})
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	r := provider.Records{Merchants: []string{"a", "b"}, Trainings: []string{"a", "b"}, ReturnVisits: []string{"b"}}
	got, err := m.CheckDuties(r, at)
	if err != nil {
		t.Fatal(err)
	}
	want := []provider.Breach{{Duty: provider.ReturnVisitRecord, Subject: "a"}, {Duty: provider.Encryption}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
