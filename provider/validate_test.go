package provider

import (
	"errors"
	"testing"
	"time"
)

// TestValidate: each corruption of a good state is refused.
func TestValidate(t *testing.T) {
	m := New(Options{})
	good := must(t, m, start(t), Open{Origin: Inspection, OccurredAt: t0}, t0).State
	good = must(t, m, good, Open{Origin: UserComplaint, OccurredAt: t0, Resolve: true}, t0).State
	good = must(t, m, good, Judge{Case: 1, Finding: Finding{Clause: 1}}, t0).State
	good = must(t, m, good, NoticeSent{Case: 1, SentAt: t0}, t0.Add(time.Hour)).State
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	local := time.FixedZone("x", 3600)
	for name, bad := range map[string]func(s *State){
		"zero state":             func(s *State) { *s = State{} },
		"no provider":            func(s *State) { s.Provider = "" },
		"standing restored":      func(s *State) { s.Standing, s.EndedAt, s.EndedBy = Active, time.Time{}, 0 },
		"barred by nothing":      func(s *State) { s.EndedBy = 2 },
		"terminated for class I": func(s *State) { s.Standing = Terminated },
		"case id":                func(s *State) { s.Cases[1].ID = 7 },
		"no version":             func(s *State) { s.Cases[0].Version = "" },
		"local instant":          func(s *State) { s.Cases[0].JudgedAt = s.Cases[0].JudgedAt.In(local) },
		"opened after last":      func(s *State) { s.Cases[1].OpenedAt = s.Last.Add(time.Second) },
		"record missing":         func(s *State) { s.Record = nil },
		"record twice":           func(s *State) { s.Record = append(s.Record, s.Record[0]) },
		"record class":           func(s *State) { s.Record[0].Class = ClassII },
		"class of the clause":    func(s *State) { s.Cases[0].Class, s.Record[0].Class = ClassII, ClassII },
		"lifted wrongly":         func(s *State) { s.Cases[0].Lifted = 26 },
		"measures":               func(s *State) { s.Cases[0].Measures = []Measure{StopResources} },
		"temporary when judged":  func(s *State) { s.Cases[0].Temporary = []Measure{StopResources} },
		"objection period past":  func(s *State) { s.Cases[0].ObjectBy = s.Last },
		"proof without objection": func(s *State) {
			s.Cases[0].Proof = "p"
		},
		"resolution deadline passed": func(s *State) { s.Cases[1].ResolveBy = s.Last },
		"overdue early":              func(s *State) { s.Cases[1].Overdue = true },
		"resolution on inspection":   func(s *State) { s.Cases[0].ResolveBy = s.Last.Add(day) },
		"status":                     func(s *State) { s.Cases[1].Status = 0 },
		"cleared without closing":    func(s *State) { s.Cases[1].Status = Cleared },
		"finding clause":             func(s *State) { s.Cases[0].Finding.Clause = 23 },
		"escalation clause":          func(s *State) { s.Cases[0].Finding.Clause = 11 },
	} {
		s := good.Clone()
		bad(&s)
		if err := s.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate() = %v", name, err)
		}
		if _, err := m.ApplyAt(s, Clear{Case: 2}, s.Last); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: ApplyAt = %v", name, err)
		}
	}
}
