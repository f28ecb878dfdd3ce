package points_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
)

// replayed is what one log entry gave: the result's JSON and the error.
type replayed struct {
	Result string
	Err    string
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// replaySpend runs log on s and returns what each entry gave.
func replaySpend(t *rapid.T, m *points.Machine, s points.Spend, log []points.Entry) []replayed {
	var out []replayed
	for _, e := range log {
		var res points.Result
		var err error
		if e.Event == nil {
			res = m.AdvanceAt(s, e.At)
		} else {
			res, err = m.ApplyAt(s, e.Event, e.At)
		}
		b, jerr := json.Marshal(res)
		if jerr != nil {
			t.Fatal(jerr)
		}
		out = append(out, replayed{string(b), errText(err)})
		s = res.State
	}
	return out
}

// A random event log of a Spend (refunds, redeliveries, malformed
// refunds, advances), written to JSON, decoded and replayed from the same
// payment, gives byte-identical states, effects and errors.
func TestReplaySpend(t *testing.T) {
	m := points.New(points.Options{})
	rapid.Check(t, func(t *rapid.T) {
		o, pay := paidSpend(t, m)
		lines := pointstest.PaidLines(o, pay.State)
		at := fuzzStart.UTC()
		var log []points.Entry
		for i := range rapid.IntRange(0, 12).Draw(t, "entries") {
			at = at.Add(time.Duration(rapid.Int64Range(0, 3600).Draw(t, "s")) * time.Second)
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 0:
				log = append(log, points.Entry{At: at})
			case 1:
				if len(log) > 0 && log[0].Event != nil {
					log = append(log, points.Entry{At: at, Event: log[0].Event})
					continue
				}
				fallthrough
			case 2:
				r := pointstest.Refund(fmt.Sprintf("r%d", i), lines).Draw(t, "refund")
				r.Lines = append(r.Lines, points.RefundLine{Line: "nope", Refunded: yuan("1"), Paid: yuan("1")})
				log = append(log, points.Entry{At: at, Event: r})
			default:
				r := pointstest.Refund(fmt.Sprintf("r%d", i), lines).Draw(t, "refund")
				lines = pointstest.After(lines, r)
				log = append(log, points.Entry{At: at, Event: r})
			}
		}
		want := replaySpend(t, m, pay.State, log)
		b, err := json.Marshal(log)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []points.Entry
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatalf("decoding the log %s: %v", b, err)
		}
		// The stored payment too goes through JSON.
		sb, _ := json.Marshal(pay.State)
		s, err := points.DecodeSpend(sb)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, replaySpend(t, m, s, decoded)); diff != "" {
			t.Fatalf("replay differs (-first +replay):\n%s", diff)
		}
	})
}

// replayLedger runs log on l and returns what each entry gave.
func replayLedger(t *rapid.T, m *points.LedgerMachine, l points.Ledger, log []points.Entry) []replayed {
	var out []replayed
	for _, e := range log {
		var res points.LedgerResult
		var err error
		if e.Event == nil {
			res = m.AdvanceAt(l, e.At)
		} else {
			res, err = m.ApplyAt(l, e.Event, e.At)
		}
		b, jerr := json.Marshal(res)
		if jerr != nil {
			t.Fatal(jerr)
		}
		out = append(out, replayed{string(b), errText(err)})
		l = res.State
	}
	return out
}

// A random event log of a Ledger (uses, redeliveries, releases, advances
// across a New Year), written to JSON, decoded and replayed, gives
// byte-identical states and errors.
func TestReplayLedger(t *testing.T) {
	m := points.NewLedger(points.Options{})
	rapid.Check(t, func(t *rapid.T) {
		at := pointstest.Instant(2025, shanghai).Draw(t, "start").UTC()
		var log []points.Entry
		var uses []points.Use
		for i := range rapid.IntRange(0, 16).Draw(t, "entries") {
			at = at.Add(time.Duration(rapid.Int64Range(0, 6*3600).Draw(t, "s")) * time.Second)
			switch k := rapid.IntRange(0, 3).Draw(t, "kind"); {
			case k == 0:
				log = append(log, points.Entry{At: at})
			case k == 1 && len(uses) > 0:
				u := rapid.SampledFrom(uses).Draw(t, "use")
				log = append(log, points.Entry{At: at, Event: points.Release{ID: fmt.Sprintf("rel%d", i), Use: u.ID,
					Points: rapid.Int64Range(1, u.Points).Draw(t, "points"), UsedAt: u.UsedAt}})
			case k == 2 && len(uses) > 0:
				log = append(log, points.Entry{At: at, Event: rapid.SampledFrom(uses).Draw(t, "again")})
			default:
				u := points.Use{ID: fmt.Sprintf("u%d", i), Points: rapid.Int64Range(1, 8_000_000).Draw(t, "points"), UsedAt: at}
				uses = append(uses, u)
				log = append(log, points.Entry{At: at, Event: u})
			}
		}
		want := replayLedger(t, m, points.Ledger{Customer: "c1"}, log)
		b, err := json.Marshal(log)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []points.Entry
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatalf("decoding the log %s: %v", b, err)
		}
		if diff := cmp.Diff(want, replayLedger(t, m, points.Ledger{Customer: "c1"}, decoded)); diff != "" {
			t.Fatalf("replay differs (-first +replay):\n%s", diff)
		}
	})
}
