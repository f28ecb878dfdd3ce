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

// held returns a ledger of year that holds one earlier use of used points.
func held(year int, used int64) Ledger {
	return Ledger{Customer: "c1", Year: year, Used: used, Uses: []LedgerUse{{ID: "prior", Points: used}}}
}

// PTS-3: uses count up to the cap; a use that would pass it is refused
// and leaves the ledger as it was; nothing is ever due (Next is zero).
func TestLedgerUse(t *testing.T) {
	m, _ := newLedger()
	at := start.UTC()
	l := Ledger{Customer: "c1"}
	res, err := m.Apply(l, Use{ID: "o1", Points: 13999000, UsedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	want := Ledger{Customer: "c1", Year: 2024, Used: 13999000, Uses: []LedgerUse{{ID: "o1", Points: 13999000}}, Updated: at}
	if diff := cmp.Diff(want, res.State); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if !res.Next.IsZero() {
		t.Errorf("Next = %s, want zero: nothing is due", res.Next)
	}
	before := res.State.Clone()
	over, err := m.Apply(res.State, Use{ID: "o2", Points: 1001, UsedAt: at})
	if !errors.Is(err, ErrAnnualCap) || ruleOf(err) != "PTS-3" {
		t.Fatalf("over the cap: err = %v, want ErrAnnualCap (PTS-3)", err)
	}
	if diff := cmp.Diff(before, over.State); diff != "" {
		t.Errorf("refused use changed the ledger (-want +got):\n%s", diff)
	}
	if err := m.Allows(res.State, 1001); !errors.Is(err, ErrAnnualCap) {
		t.Errorf("Allows(1001) = %v, want ErrAnnualCap", err)
	}
	res, err = m.Apply(res.State, Use{ID: "o2", Points: 1000, UsedAt: at})
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
	for _, e := range []Event{Use{ID: "x", Points: 0, UsedAt: at}, Use{ID: "x", Points: -5, UsedAt: at}, Use{Points: 5, UsedAt: at},
		Use{ID: "x", Points: 5}, Refund{ID: "r"}} {
		if _, err := m.Apply(l, e); !errors.Is(err, ErrInvalid) {
			t.Errorf("Apply(%+v) err = %v, want ErrInvalid", e, err)
		}
	}
}

// PTS-3: a redelivered use (same ID) counts once, also at the cap; the
// same ID with other points is malformed.
func TestLedgerUseRedelivered(t *testing.T) {
	m, _ := newLedger()
	at := start.UTC()
	use := Use{ID: "o1", Points: 7_000_000, UsedAt: at}
	res, err := m.Apply(Ledger{}, use)
	if err != nil {
		t.Fatal(err)
	}
	res, err = m.Apply(res.State, Use{ID: "o2", Points: 7_000_000, UsedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	full := res.State
	again, err := m.Apply(full, use)
	if err != nil {
		t.Fatalf("redelivery at the cap: %v", err)
	}
	if diff := cmp.Diff(full, again.State); diff != "" {
		t.Errorf("redelivery changed the ledger (-want +got):\n%s", diff)
	}
	if _, err := m.Apply(full, Use{ID: "o1", Points: 5, UsedAt: at}); !errors.Is(err, ErrInvalid) {
		t.Errorf("same ID, other points: %v", err)
	}
}

// PTS-3: the year turns at midnight in Asia/Shanghai; tested at the exact
// instant and one second either side.
func TestLedgerYearBoundary(t *testing.T) {
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	full := held(2024, 14000000)
	tests := []struct {
		at     time.Time
		wantOK bool
		want   Ledger
	}{
		{boundary.Add(-time.Second), false, full},
		{boundary, true, Ledger{Customer: "c1", Year: 2025, Used: 500, Uses: []LedgerUse{{ID: "o", Points: 500}}, Updated: boundary.UTC()}},
		{boundary.Add(time.Second), true, Ledger{Customer: "c1", Year: 2025, Used: 500, Uses: []LedgerUse{{ID: "o", Points: 500}}, Updated: boundary.Add(time.Second).UTC()}},
	}
	for _, tt := range tests {
		m, c := newLedger()
		c.Set(tt.at.UTC())
		res, err := m.Apply(full, Use{ID: "o", Points: 500, UsedAt: tt.at})
		if (err == nil) != tt.wantOK {
			t.Fatalf("at %s: err = %v, want ok %t", tt.at, err, tt.wantOK)
		}
		if diff := cmp.Diff(tt.want, res.State); diff != "" {
			t.Errorf("at %s (-want +got):\n%s", tt.at, diff)
		}
		if !res.Next.IsZero() {
			t.Errorf("at %s: Next = %s", tt.at, res.Next)
		}
	}
}

// AdvanceAt rolls the ledger over at the boundary, once, and never asks
// to be woken.
func TestLedgerAdvance(t *testing.T) {
	m, _ := newLedger()
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	l := held(2024, 700)
	if res := m.AdvanceAt(l, boundary.Add(-time.Second)); !cmp.Equal(res.State, l) || len(res.Decisions) != 0 || !res.Next.IsZero() {
		t.Errorf("before the boundary: %+v", res)
	}
	res := m.AdvanceAt(l, boundary)
	if diff := cmp.Diff(Ledger{Customer: "c1", Year: 2025, Updated: boundary.UTC()}, res.State); diff != "" {
		t.Errorf("at the boundary (-want +got):\n%s", diff)
	}
	if len(res.Decisions) != 1 || res.Decisions[0].Rule != "PTS-3" || !res.Next.IsZero() {
		t.Errorf("decisions = %v, next %s", res.Decisions, res.Next)
	}
	if again := m.AdvanceAt(res.State, boundary); !cmp.Equal(again.State, res.State) || len(again.Decisions) != 0 {
		t.Errorf("second AdvanceAt changed something: %+v", again)
	}
	if r := m.AdvanceAt(Ledger{}, boundary); !cmp.Equal(r.State, Ledger{}) || !r.Next.IsZero() {
		t.Errorf("empty ledger: %+v", r)
	}
}

// PTS-3 reading: points given back restore the allowance of the year they
// were used in, while it lasts, at most what the use still counts; after
// the year ends nothing changes; with points_refund_restores false nothing
// changes either. A redelivered release counts once.
func TestLedgerRelease(t *testing.T) {
	usedAt := start
	now := start.Add(time.Hour).UTC()
	tests := []struct {
		name   string
		policy [][2]string
		now    time.Time
		ledger Ledger
		rel    Release
		want   Ledger
	}{
		{"same year restores", nil, now, held(2024, 14000000),
			Release{ID: "r1", Use: "prior", Points: 3000, UsedAt: usedAt},
			Ledger{Customer: "c1", Year: 2024, Used: 13997000, Uses: []LedgerUse{{ID: "prior", Points: 14000000, Back: 3000}}, Releases: []string{"r1"}, Updated: now}},
		{"never more than the use", nil, now, held(2024, 100),
			Release{ID: "r1", Use: "prior", Points: 3000, UsedAt: usedAt},
			Ledger{Customer: "c1", Year: 2024, Used: 0, Uses: []LedgerUse{{ID: "prior", Points: 100, Back: 100}}, Releases: []string{"r1"}, Updated: now}},
		{"unknown use restores nothing", nil, now, held(2024, 100),
			Release{ID: "r1", Use: "other", Points: 30, UsedAt: usedAt},
			Ledger{Customer: "c1", Year: 2024, Used: 100, Uses: []LedgerUse{{ID: "prior", Points: 100}}, Releases: []string{"r1"}, Updated: now}},
		{"next year: the old year has ended", nil, time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai), held(2024, 14000000),
			Release{ID: "r1", Use: "prior", Points: 3000, UsedAt: usedAt},
			Ledger{Customer: "c1", Year: 2025, Updated: time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai).UTC()}},
		{"restoring switched off", [][2]string{{"points_refund_restores", "false"}}, now, held(2024, 14000000),
			Release{ID: "r1", Use: "prior", Points: 3000, UsedAt: usedAt},
			Ledger{Customer: "c1", Year: 2024, Used: 14000000, Uses: []LedgerUse{{ID: "prior", Points: 14000000}}, Releases: []string{"r1"}, Updated: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newLedger(tt.policy...)
			res, err := m.ApplyAt(tt.ledger, tt.rel, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.State); diff != "" {
				t.Errorf("state (-want +got):\n%s", diff)
			}
			again, err := m.ApplyAt(res.State, tt.rel, tt.now)
			if err != nil || !cmp.Equal(again.State, res.State) {
				t.Errorf("redelivered release: %v, %+v", err, again.State)
			}
		})
	}
	m, _ := newLedger()
	for _, r := range []Release{{ID: "r", Use: "prior", Points: 0, UsedAt: usedAt}, {ID: "r", Use: "prior", Points: 1},
		{Use: "prior", Points: 1, UsedAt: usedAt},
		{ID: "r", Points: 1, UsedAt: usedAt}} {
		if _, err := m.ApplyAt(held(2024, 5), r, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("Apply(%+v) err = %v, want ErrInvalid", r, err)
		}
	}
}

// An instant before the ledger's year or its last change is refused with
// ErrClockBehind (PTS-3); AdvanceAt then does nothing.
func TestLedgerClockBehind(t *testing.T) {
	m, _ := newLedger()
	for _, l := range []Ledger{held(2025, 1), {Customer: "c1", Updated: start.Add(time.Second).UTC()}} {
		res, err := m.ApplyAt(l, Use{ID: "x", Points: 1, UsedAt: start}, start)
		if !errors.Is(err, ErrClockBehind) || ruleOf(err) != "PTS-3" || !cmp.Equal(res.State, l) {
			t.Errorf("err = %v, state %+v", err, res.State)
		}
		if res := m.AdvanceAt(l, start); !cmp.Equal(res.State, l) || len(res.Decisions) != 0 {
			t.Errorf("AdvanceAt moved a ledger from the future: %+v", res)
		}
	}
}

// PTS-3: a use counts in the calendar year of the payment, not of the
// moment the host records it. A checkout paid one second before New Year
// in Asia/Shanghai and recorded after midnight counts in the year that
// has ended: it does not eat the new year's allowance.
func TestLedgerUseAtPayment(t *testing.T) {
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	paidAt := boundary.Add(-time.Second).UTC()
	pm, _ := newMachine(nil)
	old := held(2024, 13999000)
	pay, err := pm.PayAt(payOrder, Wallet{Points: 100000}, old, Choice{Points: 1000}, paidAt)
	if err != nil {
		t.Fatal(err)
	}
	use := pay.Effects[0].Act.(DebitPoints).Use()
	if diff := cmp.Diff(Use{ID: "G1", Points: 1000, UsedAt: paidAt}, use); diff != "" {
		t.Fatalf("DebitPoints.Use (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		recorded time.Time
		want     Ledger
	}{
		{paidAt, Ledger{Customer: "c1", Year: 2024, Used: 14000000, Uses: []LedgerUse{{ID: "G1", Points: 1000}, {ID: "prior", Points: 13999000}}, Updated: paidAt}},
		{boundary, Ledger{Customer: "c1", Year: 2025, Updated: boundary.UTC()}},
		{boundary.Add(time.Second), Ledger{Customer: "c1", Year: 2025, Updated: boundary.Add(time.Second).UTC()}},
	} {
		m, _ := newLedger()
		res, err := m.ApplyAt(old, use, tt.recorded)
		if err != nil {
			t.Fatalf("recorded at %s: %v", tt.recorded, err)
		}
		if diff := cmp.Diff(tt.want, res.State); diff != "" {
			t.Errorf("recorded at %s (-want +got):\n%s", tt.recorded, diff)
		}
	}

	// Recorded late, a use of the ended year that passes that year's cap
	// is still refused: ApplyAt checks the cap again, for the use's year.
	m, _ := newLedger()
	late := boundary.Add(time.Second)
	if _, err := m.ApplyAt(old, Use{ID: "G2", Points: 1001, UsedAt: paidAt}, late); !errors.Is(err, ErrAnnualCap) || ruleOf(err) != "PTS-3" {
		t.Errorf("late use over 2024's cap: err = %v, want ErrAnnualCap (PTS-3)", err)
	}
	// A use dated after now is not a use yet.
	if _, err := m.ApplyAt(old, Use{ID: "G3", Points: 1, UsedAt: late.Add(time.Second)}, late); !errors.Is(err, ErrClockBehind) || ruleOf(err) != "PTS-3" {
		t.Errorf("use dated a second after now: err = %v, want ErrClockBehind (PTS-3)", err)
	}
	if _, err := m.ApplyAt(Ledger{}, Use{ID: "G3", Points: 1, UsedAt: late}, late); err != nil {
		t.Errorf("use dated exactly now: %v", err)
	}
	if _, err := m.ApplyAt(held(2025, 1), Release{ID: "r", Use: "prior", Points: 1, UsedAt: late.Add(time.Second)}, late); !errors.Is(err, ErrClockBehind) {
		t.Errorf("release of a use dated after now: %v", err)
	}
}

// Nothing lost on refusal: a use refused at New Year still returns the
// ledger rolled into the new year, a state the host stores.
func TestLedgerRefusalKeepsRoll(t *testing.T) {
	m, _ := newLedger()
	boundary := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai)
	res, err := m.ApplyAt(held(2024, 14000000), Use{ID: "big", Points: 14000001, UsedAt: boundary}, boundary)
	if !errors.Is(err, ErrAnnualCap) {
		t.Fatalf("err = %v", err)
	}
	if diff := cmp.Diff(Ledger{Customer: "c1", Year: 2025, Updated: boundary.UTC()}, res.State); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if len(res.Decisions) == 0 || res.Decisions[0].Rule != "PTS-3" {
		t.Errorf("the roll's decision is lost: %v", res.Decisions)
	}
}
