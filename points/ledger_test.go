package points

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
)

func newLedger(p ...[2]string) (*LedgerMachine, *clock.Manual) {
	set := DefaultPolicy()
	for _, o := range p {
		set = must(set.OverrideExpr(o[0], o[1]))
	}
	c := clock.NewManual(start)
	return NewLedger(Options{Policy: set, Clock: c}), c
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

// PTS-3: uses count up to the cap; a use that would pass it is refused
// and leaves the ledger as it was.
func TestLedgerUse(t *testing.T) {
	m, _ := newLedger()
	l := Ledger{Customer: "c1"}
	res, err := m.Apply(l, Use{Order: "o1", Points: 13999000})
	if err != nil {
		t.Fatal(err)
	}
	want := Ledger{Customer: "c1", Year: 2024, Used: 13999000}
	if diff := cmp.Diff(want, res.State); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if wantNext := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai); !res.Next.Equal(wantNext) {
		t.Errorf("Next = %s, want %s", res.Next, wantNext)
	}
	_, err = m.Apply(res.State, Use{Order: "o2", Points: 1001})
	if !errors.Is(err, ErrAnnualCap) || ruleOf(err) != "PTS-3" {
		t.Fatalf("over the cap: err = %v, want ErrAnnualCap (PTS-3)", err)
	}
	if err := m.Allows(res.State, 1001); !errors.Is(err, ErrAnnualCap) {
		t.Errorf("Allows(1001) = %v, want ErrAnnualCap", err)
	}
	res, err = m.Apply(res.State, Use{Order: "o2", Points: 1000})
	if err != nil {
		t.Fatalf("exactly to the cap: %v", err)
	}
	a, err := m.Allowance(res.State)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Allowance{Year: 2024, Used: 14000000, Cap: 14000000, Remaining: 0}, a); diff != "" {
		t.Errorf("Allowance (-want +got):\n%s", diff)
	}
	for _, e := range []Event{Use{Points: 0}, Use{Points: -5}, Refund{ID: "r"}} {
		if _, err := m.Apply(l, e); !errors.Is(err, ErrInvalid) {
			t.Errorf("Apply(%+v) err = %v, want ErrInvalid", e, err)
		}
	}
}

// PTS-3: the year turns at midnight in Asia/Shanghai; tested at the exact
// instant and one second either side.
func TestLedgerYearBoundary(t *testing.T) {
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	full := Ledger{Customer: "c1", Year: 2024, Used: 14000000}
	tests := []struct {
		at     time.Time
		wantOK bool
		want   Ledger
	}{
		{boundary.Add(-time.Second), false, full},
		{boundary, true, Ledger{Customer: "c1", Year: 2025, Used: 500}},
		{boundary.Add(time.Second), true, Ledger{Customer: "c1", Year: 2025, Used: 500}},
	}
	for _, tt := range tests {
		m, c := newLedger()
		c.Set(tt.at.UTC())
		res, err := m.Apply(full, Use{Order: "o", Points: 500})
		if (err == nil) != tt.wantOK {
			t.Fatalf("at %s: err = %v, want ok %t", tt.at, err, tt.wantOK)
		}
		if diff := cmp.Diff(tt.want, res.State); diff != "" {
			t.Errorf("at %s (-want +got):\n%s", tt.at, diff)
		}
	}
}

// Advance rolls the ledger over at the boundary, once.
func TestLedgerAdvance(t *testing.T) {
	m, c := newLedger()
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	l := Ledger{Year: 2024, Used: 700}
	c.Set(boundary.Add(-time.Second))
	if res := m.Advance(l); res.State != l || len(res.Decisions) != 0 || !res.Next.Equal(boundary) {
		t.Errorf("before the boundary: %+v", res)
	}
	c.Set(boundary)
	res := m.Advance(l)
	if diff := cmp.Diff(Ledger{Year: 2025}, res.State); diff != "" {
		t.Errorf("at the boundary (-want +got):\n%s", diff)
	}
	if len(res.Decisions) != 1 || res.Decisions[0].Rule != "PTS-3" {
		t.Errorf("decisions = %v", res.Decisions)
	}
	if again := m.Advance(res.State); again.State != res.State || len(again.Decisions) != 0 {
		t.Errorf("second Advance changed something: %+v", again)
	}
	if !res.Next.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)) {
		t.Errorf("Next = %s", res.Next)
	}
	if r := m.Advance(Ledger{}); r.State != (Ledger{}) || !r.Next.IsZero() {
		t.Errorf("empty ledger: %+v", r)
	}
}

// PTS-3 reading: points given back restore the allowance of the year they
// were used in, while it lasts; after the year ends nothing changes; with
// points_refund_restores false nothing changes either.
func TestLedgerRelease(t *testing.T) {
	usedAt := start
	tests := []struct {
		name   string
		policy [][2]string
		now    time.Time
		ledger Ledger
		rel    Release
		want   Ledger
	}{
		{"same year restores", nil, start.Add(time.Hour), Ledger{Year: 2024, Used: 14000000},
			Release{Order: "o", Points: 3000, UsedAt: usedAt}, Ledger{Year: 2024, Used: 13997000}},
		{"never below zero", nil, start.Add(time.Hour), Ledger{Year: 2024, Used: 100},
			Release{Order: "o", Points: 3000, UsedAt: usedAt}, Ledger{Year: 2024, Used: 0}},
		{"next year: the old year has ended", nil, time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai), Ledger{Year: 2024, Used: 14000000},
			Release{Order: "o", Points: 3000, UsedAt: usedAt}, Ledger{Year: 2025, Used: 0}},
		{"next year with uses: unchanged", nil, time.Date(2025, 2, 1, 0, 0, 0, 0, shanghai), Ledger{Year: 2025, Used: 800},
			Release{Order: "o", Points: 300, UsedAt: usedAt}, Ledger{Year: 2025, Used: 800}},
		{"restoring switched off", [][2]string{{"points_refund_restores", "false"}}, start.Add(time.Hour), Ledger{Year: 2024, Used: 14000000},
			Release{Order: "o", Points: 3000, UsedAt: usedAt}, Ledger{Year: 2024, Used: 14000000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, c := newLedger(tt.policy...)
			c.Set(tt.now)
			res, err := m.Apply(tt.ledger, tt.rel)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.State); diff != "" {
				t.Errorf("state (-want +got):\n%s", diff)
			}
		})
	}
	m, _ := newLedger()
	for _, r := range []Release{{Points: 0, UsedAt: usedAt}, {Points: 1}, {Points: 1, UsedAt: start.Add(time.Hour)}} {
		if _, err := m.Apply(Ledger{Year: 2024, Used: 5}, r); !errors.Is(err, ErrInvalid) {
			t.Errorf("Apply(%+v) err = %v, want ErrInvalid", r, err)
		}
	}
}

func TestLedgerClockBehind(t *testing.T) {
	m, _ := newLedger()
	l := Ledger{Year: 2025, Used: 1}
	res, err := m.Apply(l, Use{Points: 1})
	if !errors.Is(err, ErrClockBehind) || res.State != l {
		t.Errorf("err = %v, state %+v", err, res.State)
	}
	if res := m.Advance(l); res.State != l {
		t.Errorf("Advance moved a future ledger: %+v", res.State)
	}
}

// PTS-3: a use counts in the calendar year of the payment, not of the
// moment the host records it. A checkout paid one second before New Year
// in Asia/Shanghai and recorded after midnight counts in the year that
// has ended: it does not eat the new year's allowance, and its give-back
// (dated at the payment, like the use) changes nothing either.
func TestLedgerUseAtPayment(t *testing.T) {
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	paidAt := boundary.Add(-time.Second)
	pm, pc := newMachine(nil)
	pc.Set(paidAt)
	old := Ledger{Customer: "c1", Year: 2024, Used: 13999000}
	pay, err := pm.Pay(payOrder, Wallet{Points: 100000}, old, Choice{Points: 1000})
	if err != nil {
		t.Fatal(err)
	}
	use := pay.Effects[0].(DebitPoints).Use()
	if diff := cmp.Diff(Use{Order: "G1", Points: 1000, At: paidAt}, use); diff != "" {
		t.Fatalf("DebitPoints.Use (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		recorded time.Time
		want     Ledger
	}{
		{paidAt, Ledger{Customer: "c1", Year: 2024, Used: 14000000}},
		{boundary, Ledger{Customer: "c1", Year: 2025}},
		{boundary.Add(time.Second), Ledger{Customer: "c1", Year: 2025}},
	} {
		m, c := newLedger()
		c.Set(tt.recorded)
		res, err := m.Apply(old, use)
		if err != nil {
			t.Fatalf("recorded at %s: %v", tt.recorded, err)
		}
		if diff := cmp.Diff(tt.want, res.State); diff != "" {
			t.Errorf("recorded at %s (-want +got):\n%s", tt.recorded, diff)
		}
	}

	// Recorded late, a use of the ended year that passes that year's cap
	// is still refused: Apply checks the cap again, for the use's year.
	m, c := newLedger()
	c.Set(boundary.Add(time.Second))
	if _, err := m.Apply(old, Use{Order: "G2", Points: 1001, At: paidAt}); !errors.Is(err, ErrAnnualCap) || ruleOf(err) != "PTS-3" {
		t.Errorf("late use over 2024's cap: err = %v, want ErrAnnualCap (PTS-3)", err)
	}
	// A use dated after now is not a use yet.
	if _, err := m.Apply(old, Use{Order: "G3", Points: 1, At: boundary.Add(time.Hour)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("use dated in the future: err = %v, want ErrInvalid", err)
	}
}
