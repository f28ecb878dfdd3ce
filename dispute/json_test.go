package dispute

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func everyEvent() []Event {
	return []Event{filing(), Withdraw{Complaint: 1}, Reply{Complaint: 1, Text: "t", Evidence: []string{"e"}},
		Unsatisfied{Complaint: 1, Response: "r"}, AskIntervention{Complaint: 1},
		Decide{Complaint: 1, Verdict: VerdictValid, Remedy: Refund}, PlanDone{Complaint: 1},
		Press{Complaint: 1, Channel: Hotline}, GoToCourt{Complaint: 1, Forum: Court},
		Unlock{Complaint: 1, How: JudgmentExecuted, Verdict: VerdictReject}, Unlock{Complaint: 1, How: SettledByAgreement},
		TakeMeasures{Complaint: 1, Ground: Rights, Measure: "m"},
		FileReport{Kind: PriceGouging, By: Consumer, Respondent: "M1", Subject: "T1"},
		Review{Report: 1}, Conclude{Report: 1, Upheld: true}}
}

func everyAct() []Act {
	at := t0.Add(time.Hour)
	return []Act{Notice{Complaint: 1, Party: Merchant, Status: AwaitingReply, Due: at},
		ShippingProof{Complaint: 1, Respondent: "M1", Due: at},
		Judged{Trade: "T1", Complaint: 1, Respondent: "M1", Type: "product", Outcome: Valid, Remedy: Refund, Version: "2023-07-23"},
		LockOrder{Trade: "T1", Complaint: 1, Forum: Arbitral}, UnlockOrder{Trade: "T1", Complaint: 1, How: SettledByAgreement, Since: at},
		Measures{Complaint: 1, Ground: Safety, Measure: "m"}, RemindMerchant{Complaint: 1, Respondent: "M1", Remedy: Reship},
		Escalate{Complaint: 1, Respondent: "M1", Channel: OnlineService}, RouteReport{Report: 1, ReportKind: IPInfringement},
		ReportDecided{Report: 1, ReportKind: CardFraud, Respondent: "M1", Upheld: true, Version: "2018-12-29"},
		Penalty{Merchant: "M1", Level: NoAds, Total: 5, Cites: []Ref{{Trade: "T1", Complaint: 1, Type: "price", At: at}}, New: true, Version: "2023-07-23"},
		PenaltyLifted{Merchant: "M1", Level: NoAds, Total: 4, Version: "2023-07-23"}}
}

func TestEventJSON(t *testing.T) {
	names := map[string]bool{}
	for _, e := range everyEvent() {
		names[e.Name()] = true
		data, err := EncodeEvent(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		back, err := DecodeEvent(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", e.Name(), err, data)
		}
		if diff := cmp.Diff(e, back); diff != "" {
			t.Errorf("%s round trip (-want +got):\n%s", e.Name(), diff)
		}
		en := Entry{At: t0, Event: e}
		data, _ = json.Marshal(en)
		var got Entry
		if err := json.Unmarshal(data, &got); err != nil || !cmp.Equal(en, got) {
			t.Errorf("entry %s: %v %+v", data, err, got)
		}
	}
	if len(names) != len(events.Names()) {
		t.Errorf("events tested %d of %d", len(names), len(events.Names()))
	}
	data, _ := json.Marshal(Entry{At: t0})
	if string(data) != `{"at":"2024-03-01T02:00:00Z","type":"advance"}` {
		t.Errorf("advance entry %s", data)
	}
	for _, bad := range []string{
		`{"type":"withdraw","complaint":1,"extra":2}`, `{"type":"withdraw","Complaint":1}`,
		`{"type":"withdraw","complaint":1,"complaint":2}`, `{"type":"withdraw","complaint":1} {}`,
		`{"type":"advance"}`, `{"type":"decide","complaint":1,"verdict":"maybe","remedy":"none"}`,
		`{"type":"decide","complaint":1,"verdict":"invalid","remedy":"none"}`, `[]`, ``,
	} {
		if _, err := DecodeEvent([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEvent(%s) = %v, want ErrInvalid", bad, err)
		}
	}
	var en Entry
	for _, bad := range []string{`{"type":"withdraw","complaint":1}`, `{"at":"2024-03-01T02:00:00Z","type":"advance","x":1}`} {
		if err := json.Unmarshal([]byte(bad), &en); err == nil {
			t.Errorf("entry %s decoded", bad)
		}
	}
}

func TestEffectJSON(t *testing.T) {
	if len(everyAct()) != len(acts.Names()) {
		t.Errorf("acts tested %d of %d", len(everyAct()), len(acts.Names()))
	}
	for i, a := range everyAct() {
		e := Effect{ID: uint64(i + 1), At: t0, Rule: "DSP-9", Act: a}
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("%s: %v", a.Kind(), err)
		}
		back, err := DecodeEffect(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", a.Kind(), err, data)
		}
		if diff := cmp.Diff(e, back); diff != "" {
			t.Errorf("%s round trip (-want +got):\n%s", a.Kind(), diff)
		}
	}
	data, _ := json.Marshal(Effect{ID: 3, At: t0, Rule: "DSP-9", Act: LockOrder{Trade: "T1", Complaint: 2, Forum: Court}})
	if want := `{"id":3,"at":"2024-03-01T02:00:00Z","rule":"DSP-9","type":"dispute_lock_order","trade":"T1","complaint":2,"forum":"litigation"}`; string(data) != want {
		t.Errorf("effect JSON\n got %s\nwant %s", data, want)
	}
	for _, bad := range []string{`{"at":"2024-03-01T02:00:00Z","rule":"DSP-9","type":"dispute_lock_order","complaint":2,"forum":"litigation"}`,
		`{"id":1,"at":"2024-03-01T02:00:00Z","rule":"DSP-9","type":"notify"}`, `{"id":-1,"at":"x","rule":"DSP-9","type":"dispute_notice"}`} {
		if _, err := DecodeEffect([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeEffect(%s) = %v", bad, err)
		}
	}
}

func TestStateJSON(t *testing.T) {
	m := testMachine()
	res := apply(t, m, inTrade, filed(t, m), GoToCourt{Complaint: 1, Forum: Court}, t0.Add(time.Hour))
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeResult(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if diff := cmp.Diff(res, back); diff != "" {
		t.Errorf("result round trip (-want +got):\n%s", diff)
	}
	sd, _ := json.Marshal(res.State)
	if s, err := DecodeState(sd); err != nil || !cmp.Equal(s, res.State) {
		t.Errorf("state round trip: %v", err)
	}
	if _, err := DecodeState([]byte(`{"seq":0,"Complaints":[]}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("wrong case: %v", err)
	}
	if _, err := DecodeState([]byte(`{"seq":1}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("effects without an instant: %v", err)
	}
}

func TestValidateFaults(t *testing.T) {
	m := testMachine()
	good := apply(t, m, inTrade, filed(t, m), filing(), t0.Add(time.Hour)).State
	faults := map[string]func(*State){
		"id":            func(s *State) { s.Complaints[1].ID = 1 },
		"type":          func(s *State) { s.Complaints[0].Type = "" },
		"asked":         func(s *State) { s.Complaints[0].Asked = "x" },
		"respondent":    func(s *State) { s.Complaints[0].Respondent = "" },
		"version":       func(s *State) { s.Complaints[0].Version = "2023-13-01" },
		"deadline":      func(s *State) { s.Complaints[0].Deadline = time.Time{} },
		"day3":          func(s *State) { s.Complaints[0].Day3End = s.Complaints[0].Deadline.Add(-time.Second) },
		"passed":        func(s *State) { s.At = s.Complaints[0].Deadline },
		"outcome":       func(s *State) { s.Complaints[0].Outcome = Valid },
		"future filing": func(s *State) { s.Complaints[1].FiledAt = s.At.Add(time.Second) },
		"not utc":       func(s *State) { s.Complaints[0].FiledAt = s.Complaints[0].FiledAt.In(shanghai) },
		"lock":          func(s *State) { s.Lock = Lock{Complaint: 1, Forum: Court, Since: s.At} },
		"arbitration":   func(s *State) { s.Complaints[0].Status = Arbitration; s.Complaints[0].Deadline = time.Time{} },
		"round":         func(s *State) { s.Complaints[0].Round = 0 },
		"report":        func(s *State) { s.Reports = []Report{{ID: 1}} },
		"no instant":    func(s *State) { s.At = time.Time{} },
	}
	for name, f := range faults {
		s := good.Clone()
		f(&s)
		if err := s.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
}
