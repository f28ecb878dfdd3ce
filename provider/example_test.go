package provider_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/provider"
)

// A merchant complains; the platform judges a Class II fraud whose asset
// loss lifts it to Class I (4.11), sends the notice, and the provider's
// objection comes too late.
func Example() {
	c := clock.NewManual(time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC))
	m := provider.New(provider.Options{Clock: c})
	s, _ := provider.Start("sp-1")

	apply := func(e provider.Event) error {
		res, err := m.Apply(s, e)
		s = res.State // always store the state and carry out the effects
		for _, ef := range res.Effects {
			fmt.Printf("%s %s %s\n", ef.At.Format(time.DateTime), ef.Rule, ef.Kind())
		}
		return err
	}
	apply(provider.Open{Origin: provider.MerchantComplaint, OccurredAt: c.Now().Add(-24 * time.Hour)})
	apply(provider.Judge{Case: 1, Finding: provider.Finding{Clause: 17, AssetLoss: true}})
	c.Advance(time.Hour)
	apply(provider.NoticeSent{Case: 1, SentAt: c.Now()})
	fmt.Println("standing:", s.Standing)

	c.Advance(8 * 24 * time.Hour)
	err := apply(provider.Object{Case: 1, Proof: "bank statements"})
	fmt.Println(errors.Is(err, provider.ErrObjectionLate), err)
	// Output:
	// 2024-03-01 02:00:00 PRV-10 provider_impose_measures
	// 2024-03-01 02:00:00 PRV-9 provider_notice
	// 2024-03-01 03:00:00 PRV-10 provider_terminate
	// standing: barred
	// 2024-03-08 03:00:00 PRV-12 provider_credit_report
	// 2024-03-08 03:00:00 PRV-12 provider_publish
	// true provider.Apply(object): provider: objection period closed (PRV-9): case 1: the objection period closed at 2024-03-08T03:00:00Z
}

func ExampleClassify() {
	v := provider.DefaultPolicy().Latest()
	for _, f := range []provider.Finding{
		{Clause: 27},
		{Clause: 27, GoodwillDamage: true},
		{Clause: 31, NoticeSent: true},
		{Clause: 31, NoticeSent: true, FactorRemained: true},
	} {
		c, _, _ := provider.Classify(v, f)
		fmt.Println(f.Clause, c.Violation, c.Class, c.Lifted.IsValid())
	}
	_, err := provider.ParseClause("4.23")
	fmt.Println(err)
	// Output:
	// 4.27 true class_iii false
	// 4.27 true class_ii true
	// 4.31 false invalid false
	// 4.31 true class_iii false
	// provider: no such clause (PRV-6): "4.23" is not a clause of SP §4 (4.1 … 4.32, no 4.23)
}

func ExampleDuplicateMerchants() {
	groups, _ := provider.DuplicateMerchants([]provider.Merchant{
		{ID: "m1", Name: "Tea House", Address: "1 Lake Rd"},
		{ID: "m2", Name: "ＴＥＡ　ＨＯＵＳＥ", Address: "9 Hill Rd"},
		{ID: "m3", Name: "Noodles", Address: "9 hill rd"},
		{ID: "m4", Name: "Bakery"},
	})
	for _, g := range groups {
		fmt.Println(g.Definition(), g.Merchants, "feeds", g.Finding().Clause)
		for _, sh := range g.Shared {
			fmt.Println(" ", sh.Field, sh.Key, sh.Merchants)
		}
	}
	// Output:
	// SP §1.7 [m1 m2 m3] feeds 4.17
	//   name teahouse [m1 m2]
	//   address 9hillrd [m2 m3]
}

func ExampleCheckAdmission() {
	err := provider.CheckAdmission(provider.Applicant{LicenceComplete: true, GoodReputation: true, BusinessScale: true,
		SoundFinances: true, MerchantAgreements: true, Listed: []string{"abnormal operation list"}})
	fmt.Println(err)
	// Output:
	// provider: admission conditions unmet (PRV-2): good_credit, not_listed (on abnormal operation list)
}
