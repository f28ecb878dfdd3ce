package points_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
	"github.com/tradepolicy/tradepolicy/rules"
)

var fuzzStart = time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)

// FuzzSpendState decodes an arbitrary Spend, as a host would load it
// from its database, and an arbitrary event, and runs Apply and Advance.
// Neither panics nor changes its input; a Spend that fails Validate is
// refused with ErrInvalidState; from a valid Spend an accepted refund
// gives a valid Spend whose give-back effects match its counters, and
// does not apply twice.
func FuzzSpendState(f *testing.F) {
	m := points.New(points.Options{Clock: clock.NewManual(fuzzStart)})
	for i := range 16 {
		o := pointstest.Order(4).Example(i)
		w := pointstest.Wallet().Example(i)
		bo, err := m.OfferBeans(o, w)
		if err != nil {
			f.Fatal(err)
		}
		beans := bo.Max / 2 / bo.Step * bo.Step
		po, err := m.OfferPoints(o, w, points.Ledger{}, beans)
		if err != nil {
			f.Fatal(err)
		}
		res, err := m.Pay(o, w, points.Ledger{}, points.Choice{Beans: beans, Points: po.Max / 2 / po.Unit * po.Unit})
		if err != nil {
			f.Fatal(err)
		}
		s := res.State
		for k := range 3 {
			r := pointstest.Refund(s, fmt.Sprintf("r%d", k)).Example(i*10 + k)
			sj, _ := json.Marshal(s)
			ej, _ := points.EncodeEvent(r)
			f.Add(sj, ej)
			if res, err := m.Apply(s, r); err == nil {
				s = res.State
			}
		}
	}
	f.Add([]byte(`{"order":"X","beans":2,"lines":[{"line":"a","quantity":1,"beans":9223372036854775807},{"line":"b","quantity":1,"beans":9223372036854775807,"beans_back":-1}]}`),
		[]byte(`{"type":"refund","id":"R","stage":"shipped","approver":"merchant","lines":[{"line":"a","quantity":1}]}`))
	f.Add([]byte(`{}`), []byte(`{"type":"use","order":"A1","points":5000}`))
	f.Fuzz(func(t *testing.T, stateJSON, eventJSON []byte) {
		var s points.Spend
		if err := json.Unmarshal(stateJSON, &s); err != nil {
			return
		}
		before := s
		before.Lines, before.Refunds = slices.Clone(s.Lines), slices.Clone(s.Refunds)
		unchanged := func(op string) {
			t.Helper()
			if diff := cmp.Diff(before, s); diff != "" {
				t.Fatalf("%s changed its input (-before +after):\n%s", op, diff)
			}
		}
		invalid := s.Validate()
		if e, err := points.DecodeEvent(eventJSON); err == nil {
			res, err := m.Apply(s, e)
			unchanged("Apply")
			var re *rules.RuleError
			switch {
			case invalid != nil:
				if !errors.Is(err, points.ErrInvalidState) && !errors.Is(err, points.ErrInvalid) {
					t.Fatalf("Apply on an invalid spend (%v): %v", invalid, err)
				}
			case errors.As(err, &re):
				if re.Rule != "PTS-2" {
					t.Fatalf("refusal %v cites %q", err, re.Rule)
				}
			case err != nil:
				if !errors.Is(err, points.ErrInvalid) || errors.Is(err, points.ErrInvalidState) {
					t.Fatalf("Apply(%s) on a valid spend: %v", e.Name(), err)
				}
			default:
				checkGiveBack(t, m, s, e.(points.Refund), res)
			}
		}
		res := m.Advance(s)
		unchanged("Advance")
		if diff := cmp.Diff(before, res.State); diff != "" || len(res.Effects) != 0 || (invalid != nil) != (len(res.Decisions) == 1) {
			t.Fatalf("Advance: effects %v, decisions %v (-before +after):\n%s", res.Effects, res.Decisions, diff)
		}
	})
}

func checkGiveBack(t *testing.T, m *points.Machine, s points.Spend, r points.Refund, res points.Result) {
	t.Helper()
	next := res.State
	if err := next.Validate(); err != nil {
		t.Fatalf("Apply gave an invalid spend: %v", err)
	}
	if pointstest.CheckSpend(s) == nil {
		if err := pointstest.CheckSpend(next); err != nil {
			t.Fatalf("Apply broke an invariant: %v", err)
		}
	}
	beans, pts := givenBack(res.Effects)
	if beans != next.BeansBack()-s.BeansBack() || pts != next.PointsBack()-s.PointsBack() || beans < 0 || pts < 0 {
		t.Fatalf("effects give back %d beans and %d points; counters moved %d and %d", beans, pts,
			next.BeansBack()-s.BeansBack(), next.PointsBack()-s.PointsBack())
	}
	if _, err := m.Apply(next, r); !errors.Is(err, points.ErrRefundRepeated) {
		t.Fatalf("refund %q applied twice: %v", r.ID, err)
	}
}

// FuzzLedgerState decodes an arbitrary Ledger and event and runs Apply
// and Advance at an arbitrary instant. Neither panics; a Ledger that fails
// Validate is refused with ErrInvalidState and left unchanged by Advance;
// from a valid Ledger within the cap both give a valid Ledger within the
// cap, and Advance is idempotent.
func FuzzLedgerState(f *testing.F) {
	for i, l := range []points.Ledger{{}, {Customer: "c", Year: 2024, Used: 13_000_000}, {Year: 2023, Used: 14_000_000}, {Year: 2025, Used: 1}, {Year: 2024, Used: -5}} {
		for _, e := range []string{
			`{"type":"use","order":"A1","points":5000}`,
			`{"type":"release","order":"A1","points":5000,"used_at":"2024-03-01T10:00:00+08:00"}`,
		} {
			lj, _ := json.Marshal(l)
			f.Add(lj, []byte(e), int64(i)*40*86400)
		}
	}
	const annualCap = 14_000_000
	f.Fuzz(func(t *testing.T, ledgerJSON, eventJSON []byte, offset int64) {
		var l points.Ledger
		if err := json.Unmarshal(ledgerJSON, &l); err != nil {
			return
		}
		lm := points.NewLedger(points.Options{Clock: clock.NewManual(fuzzStart.Add(time.Duration(offset) * time.Second))})
		invalid := l.Validate()
		within := invalid == nil && l.Used <= annualCap
		if e, err := points.DecodeEvent(eventJSON); err == nil {
			res, err := lm.Apply(l, e)
			switch {
			case invalid != nil:
				if !errors.Is(err, points.ErrInvalidState) || res.State != l {
					t.Fatalf("Apply on an invalid ledger (%v): %+v, %v", invalid, res.State, err)
				}
			case err != nil:
				if res.State != l {
					t.Fatalf("refused %s changed the ledger: %+v", e.Name(), res.State)
				}
			default:
				if err := res.State.Validate(); err != nil {
					t.Fatalf("Apply gave an invalid ledger: %v", err)
				}
				if within && pointstest.CheckLedger(res.State, annualCap) != nil {
					t.Fatalf("Apply(%s) passed the cap: %+v", e.Name(), res.State)
				}
			}
		}
		res := lm.Advance(l)
		if invalid != nil {
			if res.State != l || !res.Next.IsZero() {
				t.Fatalf("Advance of an invalid ledger: %+v", res)
			}
			return
		}
		if err := res.State.Validate(); err != nil || within && res.State.Used > annualCap {
			t.Fatalf("Advance gave %+v: %v", res.State, err)
		}
		if again := lm.Advance(res.State); again.State != res.State {
			t.Fatalf("Advance twice: %+v then %+v", res.State, again.State)
		}
	})
}
