package dispute

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func judgedAt(trade string, id int, typ string, o Outcome, at time.Time) Effect {
	return Effect{ID: 1, At: at, Rule: "DSP-5", Act: Judged{Trade: trade, Complaint: id, Respondent: "M1", Type: typ, Outcome: o, Version: "2023-07-23"}}
}

func penalties(effects []Effect) []string {
	var out []string
	for _, e := range effects {
		switch a := e.Act.(type) {
		case Penalty:
			s := a.Level.String()
			if a.New {
				s += "+"
			}
			out = append(out, s)
		case PenaltyLifted:
			out = append(out, a.Level.String()+"-")
		}
	}
	return out
}

// DSP-10: penalties in order of severity as valid complaints accumulate.
func TestRecordPenalties(t *testing.T) {
	m := testMachine()
	var r Record
	var got [][]string
	for i := 1; i <= 12; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		res, err := m.RecordAt(r, judgedAt("T1", i, "product", Valid, at), at)
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Record.Validate(); err != nil {
			t.Fatal(err)
		}
		r = res.Record
		got = append(got, penalties(res.Effects))
	}
	want := [][]string{
		{"search_demotion+"}, {"search_demotion"}, {"search_demotion", "no_activities+"}, {"search_demotion", "no_activities"},
		{"search_demotion", "no_activities", "no_ads+", "forced_delisting+"},
	}
	if diff := cmp.Diff(want, got[:5]); diff != "" {
		t.Errorf("penalties (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"search_demotion", "no_activities", "no_ads", "forced_delisting", "deregistration+"}, got[11]); diff != "" {
		t.Errorf("12th (-want +got):\n%s", diff)
	}
	res, _ := m.RecordAt(r, judgedAt("T1", 13, "product", Valid, t0.Add(13*time.Hour)), t0.Add(13*time.Hour))
	p := res.Effects[0].Act.(Penalty)
	if p.Total != 13 || len(p.Cites) != 13 || p.Cites[12].Complaint != 13 || p.Merchant != "M1" {
		t.Errorf("penalty %+v", p)
	}
}

// DSP-10: a complaint counts for days(90) counted from the day after it
// was judged; then the penalties are lifted.
func TestRecordWindow(t *testing.T) {
	m := testMachine()
	judged := time.Date(2024, 3, 1, 23, 0, 0, 0, shanghai).UTC()
	res, err := m.RecordAt(Record{}, judgedAt("T1", 1, "delivery", Valid, judged), judged)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2024, 5, 31, 0, 0, 0, 0, shanghai).UTC() // 2024-03-01 + 90 days + 1
	before, _ := m.EvaluateAt(res.Record, end.Add(-sec))
	if len(before.Effects) != 0 || len(before.Record.Totals) != 1 {
		t.Errorf("a second before the window ends: %v %v", penalties(before.Effects), before.Record.Totals)
	}
	after, _ := m.EvaluateAt(before.Record, end)
	if diff := cmp.Diff([]string{"search_demotion-"}, penalties(after.Effects)); diff != "" {
		t.Errorf("at the end of the window (-want +got):\n%s", diff)
	}
	if len(after.Record.Days) != 0 || len(after.Record.Totals) != 0 || len(after.Record.Warranted) != 0 {
		t.Errorf("record after the window: %+v", after.Record)
	}
	// A complaint judged before the window is not counted.
	res, err = m.RecordAt(after.Record, judgedAt("T2", 1, "delivery", Valid, judged), end)
	if err != nil || len(res.Record.Totals) != 0 || len(res.Effects) != 0 {
		t.Errorf("stale complaint: %v %+v", err, res.Record)
	}
}

// DSP-10: five of one type force delisting (record.worst).
func TestRecordByType(t *testing.T) {
	m := testMachine()
	var r Record
	var last []string
	for i := 1; i <= 5; i++ {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		res, err := m.RecordAt(r, judgedAt(fmt.Sprint("T", i), 1, "delivery", Valid, at), at)
		if err != nil {
			t.Fatal(err)
		}
		r, last = res.Record, penalties(res.Effects)
	}
	if diff := cmp.Diff([]string{"search_demotion", "no_activities", "no_ads+", "forced_delisting+"}, last); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(r.Days) != 5 {
		t.Errorf("days %d", len(r.Days))
	}
}

func TestRecordRefusals(t *testing.T) {
	m := testMachine()
	if _, err := m.RecordAt(Record{}, judgedAt("T1", 1, "product", Satisfied, t0), t0); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("satisfied: %v", err)
	}
	if _, err := m.RecordAt(Record{}, judgedAt("T1", 1, "product", Valid, t0.Add(sec)), t0); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("judged in the future: %v", err)
	}
	if _, err := m.RecordAt(Record{Merchant: "M2"}, judgedAt("T1", 1, "product", Valid, t0), t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("another merchant: %v", err)
	}
	if _, err := m.RecordAt(Record{}, Effect{Act: Notice{}}, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("not a judged effect: %v", err)
	}
	res, _ := m.RecordAt(Record{}, judgedAt("T1", 1, "product", Valid, t0), t0)
	if _, err := m.EvaluateAt(res.Record, t0.Add(-sec)); !errors.Is(err, ErrClockBehind) {
		t.Errorf("behind: %v", err)
	}
	bad := res.Record.Clone()
	bad.Totals[0].Count = 2
	if _, err := m.EvaluateAt(bad, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad totals: %v", err)
	}
}

// A host's severity rule by type: two valid delivery complaints in the
// window force delisting.
func TestRecordPolicyByType(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("penalty_forced_delisting", `record.latest == "delivery" && record.of_latest >= 2`)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set})
	var r Record
	var last []string
	for i, typ := range []string{"delivery", "price", "delivery"} {
		at := t0.Add(time.Duration(i) * time.Hour)
		res, err := m.RecordAt(r, judgedAt("T", i+1, typ, Valid, at), at)
		if err != nil {
			t.Fatal(err)
		}
		r, last = res.Record, penalties(res.Effects)
		if i == 1 && slices.Contains(r.Warranted, ForcedDelisting) {
			t.Errorf("delisting after one delivery complaint")
		}
	}
	if diff := cmp.Diff([]string{"search_demotion", "no_activities+", "forced_delisting+"}, last); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
