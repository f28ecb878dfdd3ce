package refund_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/refund"
	"github.com/tradepolicy/tradepolicy/refund/refundtest"
	"github.com/tradepolicy/tradepolicy/rules"
)

// FuzzApplyState decodes an arbitrary State, as a host would load it from
// its database, and an arbitrary event, and runs Apply and Advance at an
// arbitrary instant. Neither panics nor changes its input; a State that
// fails Validate is refused with ErrInvalidState by Apply and returned
// unchanged by Advance; from a valid State both give a valid State
// (refundtest.Check), the right Next, and Advance is idempotent.
func FuzzApplyState(f *testing.F) {
	for _, seed := range stateSeeds(f) {
		f.Add(seed.state, seed.event, seed.offset)
	}
	for _, s := range []string{
		`{"order":{"mode":"escrow","payment":{"route":"debit_card"},"lines":[{"id":"A","amount":"1","discount":"0","bean_value":"0","point_value":"0"}],"shipping_fee":"0"},` +
			`"requests":[{"id":1,"kind":"refund_only","reason":"agreed","items":[{"line":"Z","amount":"1"}],"status":"requested","deadline":"2024-03-01T00:00:00Z"}]}`,
		`{"order":{"lines":[{"id":"A","amount":"1","discount":"0","bean_value":"0","point_value":"0"}],"shipping_fee":"0"},` +
			`"requests":[{"id":1,"kind":"refund_only","items":[{"line":"A","amount":"1"}],"status":"intervention","deadline":"2024-03-01T00:00:00Z"}]}`,
		`{"order":{"lines":[{"id":"A","amount":"1","discount":"0","bean_value":"0","point_value":"0"}],"shipping_fee":"0"},` +
			`"requests":[{"id":1,"kind":"invalid","items":[{"line":"A","amount":"-1"}],"status":"invalid","deadline":"2024-03-01T00:00:00Z"}]}`,
		`{"order":{"lines":[{"id":"A","amount":"1","discount":"0","bean_value":"0","point_value":"0"}],"shipping_fee":"0"},` +
			`"requests":[{"id":1,"kind":"return_refund","items":[],"status":"refunded","deadline":"2024-03-01T00:00:00Z"}]}`,
		`{}`, `null`, `{"requests":[{}]}`,
	} {
		f.Add([]byte(s), []byte(`{"type":"merchant_agree","request":1}`), int64(3600))
	}
	start := time.Date(2024, 3, 1, 15, 4, 5, 0, clock.MustZone("Asia/Shanghai"))
	f.Fuzz(func(t *testing.T, stateJSON, eventJSON []byte, offset int64) {
		var s refund.State
		if err := json.Unmarshal(stateJSON, &s); err != nil {
			return
		}
		clk := clock.NewManual(start.Add(time.Duration(offset) * time.Second))
		m := refund.New(refund.Options{Clock: clk})
		before := s.Clone()
		unchanged := func(op string) {
			t.Helper()
			if diff := cmp.Diff(before, s, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s changed its input (-before +after):\n%s", op, diff)
			}
		}
		invalid := s.Validate()
		if invalid != nil && !errors.Is(invalid, refund.ErrInvalidState) {
			t.Fatalf("Validate: %v does not wrap ErrInvalidState", invalid)
		}

		if e, err := refund.DecodeEvent(eventJSON); err == nil {
			res, err := m.Apply(s, e)
			unchanged("Apply")
			switch {
			case invalid != nil:
				if !errors.Is(err, refund.ErrInvalidState) {
					t.Fatalf("Apply on an invalid state (%v): %v", invalid, err)
				}
			case err != nil:
				var re *rules.RuleError
				if !errors.As(err, &re) || re.Rule == "" {
					t.Fatalf("Apply(%s): %v is not a refusal citing a rule", e.Name(), err)
				}
			default:
				checkResult(t, "Apply", res)
			}
		}

		res := m.Advance(s)
		unchanged("Advance")
		if invalid != nil {
			if diff := cmp.Diff(before, res.State, cmpopts.EquateEmpty()); diff != "" || len(res.Effects) != 0 || !res.Next.IsZero() {
				t.Fatalf("Advance of an invalid state: effects %v, next %v, state (-before +after):\n%s", res.Effects, res.Next, diff)
			}
			return
		}
		checkResult(t, "Advance", res)
		again := m.Advance(res.State)
		if diff := cmp.Diff(res.State, again.State, cmpopts.EquateEmpty()); diff != "" || len(again.Effects) != 0 {
			t.Fatalf("Advance twice at the same instant: effects %v (-first +second):\n%s", again.Effects, diff)
		}
	})
}

func checkResult(t *testing.T, op string, res refund.Result) {
	t.Helper()
	if err := refundtest.Check(res.State); err != nil {
		t.Fatalf("%s gave an invalid state: %v", op, err)
	}
	if !res.Next.Equal(res.State.Next()) {
		t.Fatalf("%s: Next %v, state's next %v", op, res.Next, res.State.Next())
	}
}

type stateSeed struct {
	state, event []byte
	offset       int64
}

// stateSeeds are valid states reached by the refundtest generators, each
// with an event the generators drew for it and a clock offset.
func stateSeeds(f *testing.F) []stateSeed {
	var seeds []stateSeed
	start := time.Date(2024, 3, 1, 15, 4, 5, 0, clock.MustZone("Asia/Shanghai"))
	for i := range 12 {
		clk := clock.NewManual(start)
		m := refund.New(refund.Options{Clock: clk})
		s, err := m.Start(refundtest.Order().Example(i))
		if err != nil {
			f.Fatal(err)
		}
		for k := range 8 {
			e := refundtest.Event(s).Example(i*100 + k)
			b, err := json.Marshal(s)
			if err != nil {
				f.Fatal(err)
			}
			ev, err := refund.EncodeEvent(e)
			if err != nil {
				f.Fatal(err)
			}
			offset := int64(clk.Now().Sub(start)/time.Second) + int64(k%3)*86400
			seeds = append(seeds, stateSeed{b, ev, offset})
			clk.Advance(time.Duration(k%4) * 20 * time.Hour)
			if res, err := m.Apply(s, e); err == nil {
				s = res.State
			}
		}
	}
	return seeds
}
