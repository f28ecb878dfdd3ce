package dispute

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range everyEvent() {
		data, _ := EncodeEvent(e)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			return
		}
		again, err := EncodeEvent(e)
		if err != nil {
			t.Fatalf("decoded %#v does not encode: %v", e, err)
		}
		e2, err := DecodeEvent(again)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", again, err)
		}
		if third, _ := EncodeEvent(e2); !bytes.Equal(third, again) {
			t.Fatalf("unstable encoding %s vs %s", again, third)
		}
		// Any decoded event applies without panicking.
		m := New(Options{})
		s := State{}
		_, _ = m.ApplyAt(inTrade, s, e, t0)
	})
}

func FuzzDecodeEffect(f *testing.F) {
	for i, a := range everyAct() {
		data, _ := json.Marshal(Effect{ID: uint64(i + 1), At: t0, Rule: "DSP-1", Act: a})
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEffect(data)
		if err != nil {
			return
		}
		again, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("decoded effect does not encode: %v", err)
		}
		e2, err := DecodeEffect(again)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", again, err)
		}
		if third, _ := json.Marshal(e2); !bytes.Equal(third, again) {
			t.Fatalf("unstable encoding %s vs %s", again, third)
		}
	})
}

func seedStates(f *testing.F) {
	m := New(Options{})
	s := State{}
	for i, e := range []Event{filing(), filing(), Reply{Complaint: 1}, GoToCourt{Complaint: 2, Forum: Court},
		Unlock{Complaint: 2, How: SettledByAgreement}, FileReport{Kind: CardFraud, By: Merchant, Filer: Filer{Identity: "a", Contact: "b"},
			Respondent: "M1", Subject: "T1", Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"e"}}} {
		res, _ := m.ApplyAt(inTrade, s, e, t0.Add(time.Duration(i)*time.Hour))
		s = res.State
		data, _ := json.Marshal(s)
		f.Add(data)
		data, _ = json.Marshal(res)
		f.Add(data)
	}
}

func FuzzDecodeState(f *testing.F) {
	seedStates(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeState(data)
		if err != nil {
			return
		}
		again, _ := json.Marshal(s)
		s2, err := DecodeState(again)
		if err != nil {
			t.Fatalf("re-encoded state does not decode: %v\n%s", err, again)
		}
		if third, _ := json.Marshal(s2); !bytes.Equal(third, again) {
			t.Fatalf("unstable encoding")
		}
		m := New(Options{})
		at := s.At.Add(100 * time.Hour)
		res := m.AdvanceAt(inTrade, s, at)
		if err := res.State.Validate(); err != nil {
			t.Fatalf("advance of a valid state gave an invalid one: %v", err)
		}
		for _, e := range everyEvent() {
			res, _ := m.ApplyAt(inTrade, s, e, at)
			if err := res.State.Validate(); err != nil {
				t.Fatalf("%s on a valid state gave an invalid one: %v", e.Name(), err)
			}
		}
	})
}

func FuzzDecodeResult(f *testing.F) {
	seedStates(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeResult(data)
		if err != nil {
			return
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("decoded result does not encode: %v", err)
		}
		if _, err := DecodeResult(again); err != nil {
			t.Fatalf("re-encoded result does not decode: %v\n%s", err, again)
		}
	})
}

func FuzzEntry(f *testing.F) {
	for _, e := range everyEvent() {
		data, _ := json.Marshal(Entry{At: t0, Event: e})
		f.Add(data)
	}
	f.Add([]byte(`{"at":"2024-03-01T02:00:00Z","type":"advance"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var en Entry
		if err := json.Unmarshal(data, &en); err != nil {
			return
		}
		again, err := json.Marshal(en)
		if err != nil {
			t.Fatalf("decoded entry does not encode: %v", err)
		}
		var en2 Entry
		if err := json.Unmarshal(again, &en2); err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", again, err)
		}
	})
}

func FuzzDecodeRecord(f *testing.F) {
	m := New(Options{})
	var r Record
	for i := 1; i <= 4; i++ {
		at := t0.Add(time.Duration(i) * 30 * time.Hour)
		res, _ := m.RecordAt(r, Effect{At: at, Act: Judged{Trade: "T", Complaint: i, Respondent: "M1", Type: "price", Outcome: Valid, Version: "2023-07-23"}}, at)
		r = res.Record
		data, _ := json.Marshal(r)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRecord(data)
		if err != nil {
			return
		}
		res, err := m.EvaluateAt(r, r.At.Add(24*time.Hour))
		if err == nil {
			if err := res.Record.Validate(); err != nil {
				t.Fatalf("evaluation of a valid record gave an invalid one: %v", err)
			}
		}
		res, err = m.RecordAt(r, Effect{At: r.At, Act: Judged{Trade: "T", Complaint: 1, Respondent: r.Merchant + "x", Type: "price", Outcome: Valid}}, r.At)
		if err == nil {
			if err := res.Record.Validate(); err != nil {
				t.Fatalf("recording on a valid record gave an invalid one: %v", err)
			}
		}
	})
}
