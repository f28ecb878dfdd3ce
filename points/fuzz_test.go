package points

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var at0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

// Every event kind, with every field set.
var allEvents = []Event{
	Use{ID: "A1", Points: 5000, UsedAt: at0},
	Release{ID: "A1/R1", Use: "A1", Points: 5000, UsedAt: at0},
	Refund{ID: "A1/1", Stage: Confirmed, Forced: true, Lines: []RefundLine{{Line: "L1", Refunded: yuan("10.5"), Paid: yuan("20"), Done: false},
		{Line: "L2", Refunded: yuan("3"), Paid: yuan("3"), Done: true}}},
}

// Every act kind, with every field set.
var allActs = []Act{
	DebitBeans{Order: "A1", Beans: 2000, Value: yuan("20")},
	DebitPoints{Order: "A1", Points: 1001, Value: yuan("10.01"), PaidAt: at0},
	GiveBackBeans{Order: "A1", Refund: "A1/1", Beans: 800, Value: yuan("8"), Lines: []LineGiveBack{{Line: "b", Units: 800, Value: yuan("8")}}},
	GiveBackPoints{Order: "A1", Refund: "A1/1", Points: 400, Value: yuan("4"), UsedAt: at0, Lines: []LineGiveBack{{Line: "b", Units: 400, Value: yuan("4")}}},
}

// Every event, effect and log entry kind round-trips through JSON, each
// kind name is the library-wide one, and a pointer encodes as its event.
func TestJSONRoundTrip(t *testing.T) {
	wantKinds := []string{"debit_beans", "debit_points", "give_back_beans", "give_back_points"}
	for i, a := range allActs {
		if a.Kind() != wantKinds[i] {
			t.Errorf("kind %q, want %q", a.Kind(), wantKinds[i])
		}
		e := Effect{ID: uint64(i + 1), At: at0, Rule: "PTS-2", Act: a}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeEffect(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if diff := cmp.Diff(e, got); diff != "" {
			t.Errorf("effect %s (-want +got):\n%s", b, diff)
		}
	}
	for _, ev := range append(allEvents, nil) {
		b, err := json.Marshal(Entry{At: at0, Event: ev})
		if err != nil {
			t.Fatal(err)
		}
		var got Entry
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if diff := cmp.Diff(Entry{At: at0, Event: ev}, got); diff != "" {
			t.Errorf("entry %s (-want +got):\n%s", b, diff)
		}
		if ev == nil {
			if string(b) != `{"at":"2024-03-01T02:00:00Z","type":"advance"}` {
				t.Errorf("advance entry %s", b)
			}
			continue
		}
		eb, err := EncodeEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		got2, err := DecodeEvent(eb)
		if err != nil {
			t.Fatalf("%s: %v", eb, err)
		}
		if diff := cmp.Diff(ev, got2); diff != "" {
			t.Errorf("event %s (-want +got):\n%s", eb, diff)
		}
	}
	r := allEvents[2].(Refund)
	if b, err := EncodeEvent(&r); err != nil || string(b) != `{"type":"refund","id":"A1/1","stage":"confirmed","forced":true,"lines":[{"line":"L1","refunded":"10.5","paid":"20"},{"line":"L2","refunded":"3","paid":"3","done":true}]}` {
		t.Errorf("pointer event: %s, %v", b, err)
	}
}

// The decoders are strict: unknown fields, duplicate keys, wrong case,
// trailing data, unknown kinds, the invalid stage and missing envelope
// members are errors wrapping ErrInvalid.
func TestDecodeStrict(t *testing.T) {
	for _, s := range []string{
		`{"type":"use","id":"A","points":1,"used_at":"2024-03-01T02:00:00Z","extra":1}`,
		`{"type":"use","id":"A","id":"B","points":1,"used_at":"2024-03-01T02:00:00Z"}`,
		`{"type":"use","ID":"A","points":1,"used_at":"2024-03-01T02:00:00Z"}`,
		`{"type":"use","id":"A","points":1,"used_at":"2024-03-01T02:00:00Z"} {}`,
		`{"type":"refund","id":"R","stage":"received","lines":[]}`,
		`{"type":"refund","id":"R","stage":"invalid","lines":[]}`,
		`{"type":"refund","id":"R","lines":[]}`,
		`{"type":"advance"}`,
		`{"type":"nope"}`,
		`[]`,
	} {
		if _, err := DecodeEvent([]byte(s)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEvent(%s) = %v, want ErrInvalid", s, err)
		}
	}
	for _, s := range []string{
		`{"at":"2024-03-01T02:00:00Z","rule":"PTS-1","type":"debit_beans","order":"A","beans":1,"value":"0.01"}`,
		`{"id":1,"rule":"PTS-1","type":"debit_beans","order":"A","beans":1,"value":"0.01"}`,
		`{"id":1,"at":"2024-03-01T02:00:00Z","type":"debit_beans","order":"A","beans":1,"value":"0.01"}`,
		`{"id":1,"at":"2024-03-01T02:00:00Z","rule":"PTS-1","type":"debit_beans","order":"A","beans":1,"value":"0.01","x":0}`,
		`{"id":1,"at":"2024-03-01T02:00:00Z","rule":"PTS-1","type":"refund_money"}`,
		`{"id":-1,"at":"2024-03-01T02:00:00Z","rule":"PTS-1","type":"debit_beans","order":"A","beans":1,"value":"0.01"}`,
	} {
		if _, err := DecodeEffect([]byte(s)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEffect(%s) = %v, want ErrInvalid", s, err)
		}
	}
	var e Entry
	if err := json.Unmarshal([]byte(`{"type":"advance"}`), &e); !errors.Is(err, ErrInvalid) {
		t.Errorf("entry without at: %v", err)
	}
	if _, err := DecodeResult([]byte(`{"state":{"order":"A","Seq":1}}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("result with a wrong-case field: %v", err)
	}
}

// FuzzDecodeEvent: DecodeEvent never panics, every error wraps
// ErrInvalid, what it accepts encodes and decodes back to itself, and a
// decoded event applied to the machines is refused or keeps the invariants.
func FuzzDecodeEvent(f *testing.F) {
	for _, e := range allEvents {
		b, _ := EncodeEvent(e)
		f.Add(b)
	}
	for _, s := range []string{`{"type":"use","id":"A1","points":-1,"used_at":"2024-03-01T02:00:00Z"}`, `{"type":"nope"}`, `[]`} {
		f.Add([]byte(s))
	}
	m := New(Options{})
	lm := NewLedger(Options{})
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
		now := at0.Add(24 * time.Hour)
		if res, err := m.ApplyAt(paidSpend, e, now); err == nil {
			if err := res.State.Validate(); err != nil {
				t.Fatalf("Apply gave an invalid spend: %v", err)
			}
		}
		if res, err := lm.ApplyAt(held(2024, 13_000_000), e, now); err == nil {
			if err := ValidateLedger(res.State, 14_000_000); err != nil {
				t.Fatalf("Apply gave an invalid ledger: %v", err)
			}
		}
	})
}

// FuzzDecodeEffect: DecodeEffect never panics, errors wrap ErrInvalid,
// and what it accepts round-trips.
func FuzzDecodeEffect(f *testing.F) {
	for i, a := range allActs {
		b, _ := json.Marshal(Effect{ID: uint64(i), At: at0, Rule: "PTS-1", Act: a})
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEffect(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		e2, err := DecodeEffect(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(e, e2); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzDecodeEntry: log entries decode strictly and round-trip.
func FuzzDecodeEntry(f *testing.F) {
	for _, e := range append(allEvents, nil) {
		b, _ := json.Marshal(Entry{At: at0, Event: e})
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Entry
		if err := json.Unmarshal(data, &e); err != nil {
			return
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var e2 Entry
		if err := json.Unmarshal(b, &e2); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(e, e2); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzDecodeResult: results decode strictly and what decodes round-trips.
func FuzzDecodeResult(f *testing.F) {
	m := New(Options{})
	pay, _ := m.PayAt(payOrder, Wallet{Beans: 100000, Points: 100000}, Ledger{}, Choice{Beans: 2000, Points: 1001}, start)
	// Seeds are kept small: the state, and the effects without decisions.
	// (With the whole 1.8 KB result as a seed the fuzzer ran a few
	// executions per second.)
	b, _ := json.Marshal(Result{State: pay.State})
	f.Add(b)
	b, _ = json.Marshal(Result{Effects: pay.Effects, Decisions: pay.Decisions[:1]})
	f.Add(b)
	lb, _ := json.Marshal(LedgerResult{State: held(2024, 5)})
	f.Add(lb)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeResult(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
		} else {
			b, err := json.Marshal(r)
			if err != nil {
				return // e.g. an effect decoded with an invalid stage cannot be written
			}
			r2, err := DecodeResult(b)
			if err != nil {
				t.Fatalf("re-decoding %s: %v", b, err)
			}
			// An empty list and none encode alike (omitempty).
			if diff := cmp.Diff(r, r2, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("round trip (-first +second):\n%s", diff)
			}
		}
		if _, err := DecodeLedgerResult(data); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}

// LedgerResult and Ledger round-trip through JSON (json.Unmarshal and
// the strict decoders alike), instants in UTC.
func TestLedgerJSON(t *testing.T) {
	m := NewLedger(Options{})
	res, err := m.ApplyAt(held(2024, 5), Use{ID: "u", Points: 7, UsedAt: start}, start)
	if err != nil {
		t.Fatal(err)
	}
	res, err = m.ApplyAt(res.State, Release{ID: "r", Use: "u", Points: 2, UsedAt: start}, start)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var std LedgerResult
	if err := json.Unmarshal(b, &std); err != nil {
		t.Fatal(err)
	}
	strict, err := DecodeLedgerResult(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []LedgerResult{std, strict} {
		if diff := cmp.Diff(res, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	lb, _ := json.Marshal(res.State)
	if l, err := DecodeLedger(lb); err != nil || !cmp.Equal(l, res.State) {
		t.Errorf("DecodeLedger: %v", err)
	}
	if want := `"updated":"2024-03-01T02:00:00Z"`; !strings.Contains(string(lb), want) {
		t.Errorf("ledger JSON %s lacks %s", lb, want)
	}
	if _, err := DecodeLedger([]byte(`{"year":2024,"used":5}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("DecodeLedger of an invalid ledger: %v", err)
	}
}
