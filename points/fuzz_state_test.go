package points_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var fuzzStart = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)

// FuzzSpendState decodes an arbitrary Spend, as a host would load it
// from its database, and an arbitrary event, and runs ApplyAt and
// AdvanceAt. Neither panics nor changes its input; a Spend that fails
// Validate is refused with ErrInvalid and returned unchanged; from a valid
// Spend an accepted refund gives a valid Spend whose effects match its
// counters, and a redelivery changes nothing.
func FuzzSpendState(f *testing.F) {
	m := points.New(points.Options{})
	now := fuzzStart.Add(time.Hour)
	for i := range 16 {
		o := pointstest.Order(4).Example(i)
		w := pointstest.Wallet().Example(i)
		bo, err := m.OfferBeansAt(o, w, fuzzStart)
		if err != nil {
			f.Fatal(err)
		}
		beans := bo.Max / 2 / bo.Step * bo.Step
		po, err := m.OfferPointsAt(o, w, points.Ledger{}, beans, fuzzStart)
		if err != nil {
			f.Fatal(err)
		}
		res, err := m.PayAt(o, w, points.Ledger{}, points.Choice{Beans: beans, Points: po.Max / 2 / po.Unit * po.Unit}, fuzzStart)
		if err != nil {
			f.Fatal(err)
		}
		s, lines := res.State, pointstest.PaidLines(o, res.State)
		for k := range 3 {
			r := pointstest.Refund(fmt.Sprintf("r%d", k), lines).Example(i*10 + k)
			sj, _ := json.Marshal(s)
			ej, _ := points.EncodeEvent(r)
			f.Add(sj, ej)
			if res, err := m.ApplyAt(s, r, now); err == nil {
				s, lines = res.State, pointstest.After(lines, r)
			}
		}
	}
	f.Add([]byte(`{"order":"X","beans":2,"lines":[{"line":"a","beans":9223372036854775807},{"line":"b","beans":9223372036854775807,"beans_back":-1}]}`),
		[]byte(`{"type":"refund","id":"R","stage":"shipped","lines":[{"line":"a","refunded":"1","paid":"1"}]}`))
	f.Add([]byte(`{}`), []byte(`{"type":"use","id":"A1","points":5000,"used_at":"2024-03-01T02:00:00Z"}`))
	f.Fuzz(func(t *testing.T, stateJSON, eventJSON []byte) {
		var s points.Spend
		if err := json.Unmarshal(stateJSON, &s); err != nil {
			return
		}
		before := s.Clone()
		unchanged := func(op string) {
			t.Helper()
			if diff := cmp.Diff(before, s); diff != "" {
				t.Fatalf("%s changed its input (-before +after):\n%s", op, diff)
			}
		}
		invalid := s.Validate()
		if e, err := points.DecodeEvent(eventJSON); err == nil {
			res, err := m.ApplyAt(s, e, now)
			unchanged("ApplyAt")
			var re *rules.RuleError
			switch {
			case invalid != nil:
				if !errors.Is(err, points.ErrInvalid) || !cmp.Equal(res.State, before) {
					t.Fatalf("ApplyAt on an invalid spend (%v): %v", invalid, err)
				}
			case errors.As(err, &re):
				if re.Rule != "PTS-2" || !cmp.Equal(res.State, before) {
					t.Fatalf("refusal %v cites %q", err, re.Rule)
				}
			case err != nil:
				if !errors.Is(err, points.ErrInvalid) && !errors.Is(err, points.ErrPolicy) {
					t.Fatalf("ApplyAt(%s) on a valid spend: %v", e.Name(), err)
				}
			default:
				if err := pointstest.CheckStep(s, res); err != nil {
					t.Fatalf("ApplyAt(%s): %v", e.Name(), err)
				}
				again, err := m.ApplyAt(res.State, e, now)
				if err != nil || len(again.Effects) != 0 || !cmp.Equal(again.State, res.State) {
					t.Fatalf("redelivered refund: %v, %v", err, again.Effects)
				}
			}
		}
		res := m.AdvanceAt(s, now)
		unchanged("AdvanceAt")
		if diff := cmp.Diff(before, res.State); diff != "" || len(res.Effects) != 0 || (invalid != nil) != (len(res.Decisions) == 1) {
			t.Fatalf("AdvanceAt: effects %v, decisions %v (-before +after):\n%s", res.Effects, res.Decisions, diff)
		}
	})
}

// FuzzLedgerState decodes an arbitrary Ledger and event and runs ApplyAt
// and AdvanceAt at an arbitrary instant. Neither panics; a Ledger that
// fails Validate is refused with ErrInvalid and left unchanged by
// AdvanceAt; from a valid Ledger within the cap both give a valid Ledger
// within the cap, AdvanceAt is idempotent and Next is always zero.
func FuzzLedgerState(f *testing.F) {
	at := fuzzStart.UTC().Format(time.RFC3339)
	for i, l := range []points.Ledger{{}, {Customer: "c", Year: 2024, Used: 13_000_000, Uses: []points.LedgerUse{{ID: "A1", Points: 13_000_000}}},
		{Year: 2023, Used: 14_000_000, Uses: []points.LedgerUse{{ID: "x", Points: 14_000_000}}}, {Year: 2025, Used: 1}, {Year: 2024, Used: -5}} {
		for _, e := range []string{
			`{"type":"use","id":"A1","points":5000,"used_at":"` + at + `"}`,
			`{"type":"release","id":"A1/1","use":"A1","points":5000,"used_at":"` + at + `"}`,
		} {
			lj, _ := json.Marshal(l)
			f.Add(lj, []byte(e), int64(i)*40*86400)
		}
	}
	const annualCap = 14_000_000
	lm := points.NewLedger(points.Options{})
	f.Fuzz(func(t *testing.T, ledgerJSON, eventJSON []byte, offset int64) {
		var l points.Ledger
		if err := json.Unmarshal(ledgerJSON, &l); err != nil {
			return
		}
		now := fuzzStart.Add(time.Duration(offset%(1<<40)) * time.Second)
		invalid := l.Validate()
		within := invalid == nil && l.Used <= annualCap
		if e, err := points.DecodeEvent(eventJSON); err == nil {
			res, err := lm.ApplyAt(l, e, now)
			switch {
			case invalid != nil:
				if !errors.Is(err, points.ErrInvalid) || !cmp.Equal(res.State, l) {
					t.Fatalf("ApplyAt on an invalid ledger (%v): %+v, %v", invalid, res.State, err)
				}
			case err != nil:
				if err := res.State.Validate(); err != nil {
					t.Fatalf("refused %s left an invalid ledger: %v", e.Name(), err)
				}
			default:
				if err := res.State.Validate(); err != nil {
					t.Fatalf("ApplyAt gave an invalid ledger: %v", err)
				}
				if within && pointstest.CheckLedger(res.State, annualCap) != nil {
					t.Fatalf("ApplyAt(%s) passed the cap: %+v", e.Name(), res.State)
				}
			}
			if !res.Next.IsZero() {
				t.Fatalf("Next %s", res.Next)
			}
		}
		res := lm.AdvanceAt(l, now)
		if invalid != nil {
			if !cmp.Equal(res.State, l) || !res.Next.IsZero() {
				t.Fatalf("AdvanceAt of an invalid ledger: %+v", res)
			}
			return
		}
		if err := res.State.Validate(); err != nil || within && res.State.Used > annualCap {
			t.Fatalf("AdvanceAt gave %+v: %v", res.State, err)
		}
		if again := lm.AdvanceAt(res.State, now); !cmp.Equal(again.State, res.State) {
			t.Fatalf("AdvanceAt twice: %+v then %+v", res.State, again.State)
		}
	})
}
