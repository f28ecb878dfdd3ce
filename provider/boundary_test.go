package provider

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// The periods close at their end instant: open one second before, closed
// at it and one second after.
var offsets = []struct {
	name string
	d    time.Duration
	open bool
}{{"-1s", -time.Second, true}, {"exact", 0, false}, {"+1s", time.Second, false}}

func TestBoundaryResolution(t *testing.T) {
	m := New(Options{})
	s := must(t, m, start(t), Open{Origin: MerchantComplaint, OccurredAt: t0, Resolve: true}, t0).State
	by := t0.Add(7 * day)
	for _, o := range offsets {
		t.Run(o.name, func(t *testing.T) {
			now := by.Add(o.d)
			res := must(t, m, s, Resolve{Case: 1}, now)
			overdue := []string{"provider_resolution_overdue"}
			if o.open {
				overdue = []string{}
			}
			if diff := cmp.Diff(overdue, kinds(res.Effects)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			c, _ := res.State.Case(1)
			if c.Overdue == o.open || !res.Next.IsZero() {
				t.Errorf("overdue %t next %v", c.Overdue, res.Next)
			}
			adv := m.AdvanceAt(s, now)
			if got := len(adv.Effects); got != map[bool]int{true: 0, false: 1}[o.open] {
				t.Errorf("advance fired %d effects", got)
			}
		})
	}
	if _, err := m.ApplyAt(must(t, m, s, Resolve{Case: 1}, t0).State, Resolve{Case: 1}, t0); !errors.Is(err, ErrResolved) {
		t.Errorf("second resolution: %v", err)
	}
}

func TestBoundaryObjection(t *testing.T) {
	m := New(Options{})
	s := noticed(t, m, Finding{Clause: 28})
	closeAt := t0.Add(3*time.Hour + 7*day)
	for _, o := range offsets {
		t.Run(o.name, func(t *testing.T) {
			res, err := m.ApplyAt(s, Object{Case: 1, Proof: "p"}, closeAt.Add(o.d))
			if o.open != (err == nil) || (!o.open && !errors.Is(err, ErrObjectionLate)) {
				t.Errorf("objection: %v", err)
			}
			c, _ := res.State.Case(1)
			if want := map[bool]Status{true: Objected, false: Final}[o.open]; c.Status != want {
				t.Errorf("status %v, want %v", c.Status, want)
			}
			if !o.open && !c.ClosedAt.Equal(closeAt) {
				t.Errorf("closed at %v, want the period's end %v", c.ClosedAt, closeAt)
			}
		})
	}
}

func TestBoundaryRecordWindow(t *testing.T) {
	m := New(Options{})
	for _, o := range offsets {
		t.Run(o.name, func(t *testing.T) {
			s := noticed(t, m, Finding{Clause: 15})
			s = m.AdvanceAt(s, t0.Add(30*day)).State
			// The first violation took place at t0; the window is 8760h.
			at := t0.Add(8760 * time.Hour).Add(o.d)
			s = must(t, m, s, Open{Origin: Inspection, OccurredAt: at}, at).State
			res := must(t, m, s, Judge{Case: 2, Finding: Finding{Clause: 16}}, at)
			if c, _ := res.State.Case(2); c.Serious != o.open {
				t.Errorf("serious %t, want %t", c.Serious, o.open)
			}
		})
	}
}

func TestBoundaryInvalidMerchant(t *testing.T) {
	m := New(Options{})
	end := t0.Add(2160 * time.Hour)
	ms := []Merchant{{ID: "a", CooperationFrom: t0}}
	for _, o := range offsets {
		t.Run(o.name, func(t *testing.T) {
			// Asked at the instant: the period must have closed.
			got, err := m.InvalidMerchants(ms, nil, nil, end.Add(o.d))
			if err != nil || (len(got) == 0) != o.open {
				t.Errorf("no trades, asked at %s: %v, %v", o.name, got, err)
			}
			// A trade at the instant: real only inside the period.
			trades := []Trade{{ID: "t", Merchant: "a", Account: "u", At: end.Add(o.d), Amount: decimal.RequireFromString("20")}}
			got, err = m.InvalidMerchants(ms, trades, nil, end.Add(day))
			if err != nil || (len(got) == 0) != o.open {
				t.Errorf("trade at %s: %v, %v", o.name, got, err)
			}
		})
	}
	// A trade before cooperation began does not count.
	trades := []Trade{{ID: "t", Merchant: "a", Account: "u", At: t0.Add(-time.Second), Amount: decimal.RequireFromString("20")}}
	if got, _ := m.InvalidMerchants(ms, trades, nil, end); len(got) != 1 || got[0].Definition() != DefInvalid || got[0].Finding().Clause != FraudClause {
		t.Errorf("trade before cooperation: %v", got)
	}
}

func TestBoundaryDataDeletion(t *testing.T) {
	m := New(Options{})
	due := t0.Add(7 * day)
	for _, o := range offsets {
		t.Run(o.name, func(t *testing.T) {
			r := Records{EncryptsSensitive: true, Deletions: []Deletion{{User: "u", RequestedAt: t0, DeletedAt: due.Add(o.d)}}}
			got, err := m.CheckDuties(r, due.Add(day))
			if err != nil || (len(got) == 0) != o.open {
				t.Errorf("deleted at %s: %v, %v", o.name, got, err)
			}
			r.Deletions[0].DeletedAt = time.Time{}
			got, err = m.CheckDuties(r, due.Add(o.d))
			if err != nil || (len(got) == 0) != o.open {
				t.Errorf("pending, asked at %s: %v, %v", o.name, got, err)
			}
		})
	}
}

func TestBoundaryLowPrice(t *testing.T) {
	m := New(Options{})
	for _, tc := range []struct {
		amount string
		low    bool
	}{{"0.99", true}, {"1.00", false}, {"1.01", false}, {"0", true}} {
		sig, err := m.FalseTransactions([]Trade{{ID: "t", Merchant: "a", Account: "u", At: t0, Amount: decimal.RequireFromString(tc.amount)}}, nil)
		if err != nil || (len(sig) == 1) != tc.low {
			t.Errorf("amount %s: %v, %v", tc.amount, sig, err)
		}
	}
}

// TestPinnedVersion: a case is judged by the version in force at the
// violation, even after a reload inserts an earlier version or adds a
// later one (PRV-14).
func TestPinnedVersion(t *testing.T) {
	later := fstest.MapFS{"late.yaml": {Data: []byte(`policy: provider
version: 2024-06-01
zone: Asia/Shanghai
thresholds:
  objection_period: {rule: PRV-9, expr: 'duration("24h")'}
  significant_impact: {rule: PRV-5, expr: 'false'}
`)}}
	earlier := fstest.MapFS{"early.yaml": {Data: []byte(`policy: provider
version: 2022-01-01
zone: Asia/Shanghai
thresholds:
  objection_period: {rule: PRV-9, expr: 'duration("1h")'}
`)}}
	set, err := DefaultPolicy().Override(later, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set})
	s := must(t, m, start(t), Open{Origin: Inspection, OccurredAt: t0}, t0.Add(200*day)).State
	if c, _ := s.Case(1); c.Version != "2020-01-01" {
		t.Fatalf("pinned %q", c.Version)
	}
	reloaded, err := set.Override(earlier, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m2 := New(Options{Policy: reloaded})
	now := t0.Add(200 * day)
	res := must(t, m2, s, Judge{Case: 1, Finding: Finding{Clause: 17, AssetLoss: true}}, now)
	if c, _ := res.State.Case(1); c.Class != ClassI || c.Version != "2020-01-01" {
		t.Errorf("judged %v by %s; want class_i by 2020-01-01", c.Class, c.Version)
	}
	res = must(t, m2, res.State, NoticeSent{Case: 1, SentAt: now}, now)
	if res.Next != now.Add(7*day) {
		t.Errorf("objection period by the pinned version: next %v, want %v", res.Next, now.Add(7*day))
	}
	// A new case on a violation after the change is judged by it.
	s2 := must(t, m2, start(t), Open{Origin: Inspection, OccurredAt: now}, now).State
	res = must(t, m2, s2, Judge{Case: 1, Finding: Finding{Clause: 17, AssetLoss: true}}, now)
	if c, _ := res.State.Case(1); c.Class != ClassII || c.Version != "2024-06-01" {
		t.Errorf("new case: %v by %s", c.Class, c.Version)
	}
	// A set that no longer holds the pinned version refuses (ErrPolicy).
	data, err := policyFS.ReadFile("policy/provider.yaml")
	if err != nil {
		t.Fatal(err)
	}
	other := fstest.MapFS{"p.yaml": {Data: []byte(strings.Replace(string(data), "version: 2020-01-01", "version: 2021-01-01", 1))}}
	own, err := LoadPolicy(other, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Policy: own}).ApplyAt(s, Judge{Case: 1, Finding: Finding{Clause: 1}}, now); !errors.Is(err, ErrPolicy) {
		t.Errorf("missing version: %v", err)
	}
}

// TestBoundaryVersionChoice: a violation at the effective instant of a
// version (the start of its date in the policy zone) is judged by it; one
// a second earlier by the version before (PRV-14).
func TestBoundaryVersionChoice(t *testing.T) {
	later := fstest.MapFS{"late.yaml": {Data: []byte("policy: provider\nversion: 2024-06-01\nzone: Asia/Shanghai\nthresholds:\n  objection_period: {rule: PRV-9, expr: 'duration(\"24h\")'}\n")}}
	set, err := DefaultPolicy().Override(later, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set})
	effective := time.Date(2024, 5, 31, 16, 0, 0, 0, time.UTC) // 2024-06-01 00:00 +08:00
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{-time.Second, "2020-01-01"}, {0, "2024-06-01"}, {time.Second, "2024-06-01"}} {
		at := effective.Add(tc.d)
		s := must(t, m, start(t), Open{Origin: Inspection, OccurredAt: at}, effective.Add(day)).State
		if c, _ := s.Case(1); c.Version != tc.want {
			t.Errorf("violation at %v: version %s, want %s", at, c.Version, tc.want)
		}
	}
}

// TestBoundaryCalendarObjection: an objection period of calendar days
// counts from the day after the notice in the policy's zone and closes at
// the start of the following day.
func TestBoundaryCalendarObjection(t *testing.T) {
	set, err := DefaultPolicy().OverrideExpr("objection_period", "days(3)")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Policy: set})
	s := judged(t, m, Finding{Clause: 28})
	sent := t0.Add(3 * time.Hour) // 2024-03-01 13:00 +08:00
	s = must(t, m, s, NoticeSent{Case: 1, SentAt: sent}, sent).State
	closeAt := time.Date(2024, 3, 4, 16, 0, 0, 0, time.UTC) // 2024-03-05 00:00 +08:00
	if c, _ := s.Case(1); !c.ObjectBy.Equal(closeAt) {
		t.Fatalf("object by %v, want %v", c.ObjectBy, closeAt)
	}
	for _, o := range offsets {
		_, err := m.ApplyAt(s, Object{Case: 1, Proof: "p"}, closeAt.Add(o.d))
		if o.open != (err == nil) {
			t.Errorf("%s: %v", o.name, err)
		}
	}
}
