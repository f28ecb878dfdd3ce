package points

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradepolicy/tradepolicy/clock"
)

// FuzzDecodeEvent: DecodeEvent never panics, what it accepts encodes and
// decodes back to itself, and a decoded event applied to a machine either
// is refused or keeps the PTS-2 and PTS-3 invariants.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"use","order":"A1","points":5000}`,
		`{"type":"use","order":"A1","points":5000,"at":"2023-12-31T23:59:59+08:00"}`,
		`{"type":"release","order":"A1","points":5000,"used_at":"2024-03-01T10:00:00+08:00"}`,
		`{"type":"refund","id":"R1","stage":"shipped","approver":"merchant","lines":[{"line":"a","quantity":1}]}`,
		`{"type":"refund","id":"R2","stage":"received","approver":"back_office","lines":[{"line":"b","quantity":1},{"line":"a","quantity":2}]}`,
		`{"type":"use","order":"A1","points":-1}`,
		`{"type":"nope"}`,
		`{"type":"use","extra":1}`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		b, err := EncodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(e, e2); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		c := clock.NewManual(start.Add(1e12))
		m := New(Options{Clock: c})
		s := Spend{Order: "G1", PaidAt: start, Beans: 2000, Points: 1001, Lines: []SpendLine{
			{Line: "a", Quantity: 3, Beans: 1200, Points: 601},
			{Line: "b", Quantity: 1, Beans: 800, Points: 400},
		}}
		if res, err := m.Apply(s, e); err == nil {
			for _, l := range res.State.Lines {
				if l.BeansBack > l.Beans || l.PointsBack > l.Points || l.Refunded > l.Quantity {
					t.Fatalf("line %+v gave back too much", l)
				}
			}
		}
		lm := NewLedger(Options{Clock: c})
		if res, err := lm.Apply(Ledger{Year: 2024, Used: 13_000_000}, e); err == nil && res.State.Used > 14_000_000 {
			t.Fatalf("ledger passed the cap: %+v", res.State)
		}
	})
}
