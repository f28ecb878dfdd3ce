package providertest_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/provider"
	"github.com/tradepolicy/tradepolicy/provider/providertest"
)

var t0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

// TestCheckCatches: the checker rejects steps that break each invariant.
func TestCheckCatches(t *testing.T) {
	m := provider.New(provider.Options{})
	s, _ := provider.Start("sp")
	res, err := m.ApplyAt(s, provider.Open{Origin: provider.Inspection, OccurredAt: t0}, t0)
	if err != nil {
		t.Fatal(err)
	}
	res, err = m.ApplyAt(res.State, provider.Judge{Case: 1, Finding: provider.Finding{Clause: 1}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	judged := res.State
	res, err = m.ApplyAt(judged, provider.NoticeSent{Case: 1, SentAt: t0}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := providertest.Check(judged, res, t0); err != nil {
		t.Fatalf("a good step: %v", err)
	}
	barred := res.State

	restored := barred.Clone()
	restored.Standing, restored.EndedAt, restored.EndedBy = provider.Active, time.Time{}, 0
	restored.Cases[0].Measures = []provider.Measure{provider.ExtendSettlement, provider.StopResources, provider.DeductFees}
	restored.Cases[0].Class = provider.ClassII
	restored.Record[0].Class = provider.ClassII
	if err := providertest.Check(barred, provider.Result{State: restored}, t0); err == nil {
		t.Error("a barred provider regained its standing unnoticed")
	}
	gap := res
	gap.Effects = append([]provider.Effect(nil), res.Effects...)
	gap.Effects[0].ID += 5
	if err := providertest.Check(judged, gap, t0); err == nil {
		t.Error("an effect ID gap unnoticed")
	}
	lifted := provider.Result{State: barred, Effects: []provider.Effect{{ID: barred.Seq + 1, At: t0, Rule: "PRV-9",
		Act: provider.LiftMeasures{Case: 1, Measures: []provider.Measure{provider.WithholdFees}}}}}
	lifted.State.Seq++
	if err := providertest.Check(barred, lifted, t0); err == nil {
		t.Error("measures lifted without a valid objection unnoticed")
	}
	if err := providertest.Check(barred, provider.Result{State: provider.State{}}, t0); err == nil {
		t.Error("an invalid state unnoticed")
	}
}

func TestGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := providertest.Finding().Draw(t, "finding")
		if !f.Clause.IsValid() {
			t.Fatalf("clause %v", f.Clause)
		}
		s, _ := provider.Start("sp")
		e := providertest.Event(s, t0).Draw(t, "event")
		if _, err := provider.EncodeEvent(e); err != nil {
			t.Fatalf("%#v: %v", e, err)
		}
		for _, m := range providertest.Merchants(5).Draw(t, "merchants") {
			if m.ID == "" {
				t.Fatal("empty merchant ID")
			}
		}
	})
}
