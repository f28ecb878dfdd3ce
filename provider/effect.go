package provider

import (
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Act is one thing the host carries out; a sealed interface over the
// structs below. Nothing in this package performs I/O.
type Act interface {
	Kind() string
	act()
}

// Effect is an act with its identity: ID is unique within the state and
// increasing (State.Seq is the last one issued), At the instant it took
// effect, Rule the rule that requires it. Its JSON is flattened:
// {"id":1,"at":"…","rule":"PRV-10","type":"provider_terminate",…}.
type Effect struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Act  Act       `json:"-"`
}

// Kind returns the kind of the effect's act ("" if it has none).
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

// RequireResolution asks the provider to resolve a complaint by By (PRV-8).
type RequireResolution struct {
	Case int       `json:"case"`
	By   time.Time `json:"by"`
}

// ResolutionOverdue reports that the provider did not resolve a complaint
// by the deadline (PRV-8).
type ResolutionOverdue struct {
	Case int       `json:"case"`
	By   time.Time `json:"by"`
}

// ImposeMeasures puts measures in force in a case: temporary ones while
// it is investigated (PRV-13), or those of its judgment (PRV-10, PRV-11).
type ImposeMeasures struct {
	Case      int       `json:"case"`
	Measures  []Measure `json:"measures"`
	Temporary bool      `json:"temporary,omitempty"`
}

// LiftMeasures lifts measures of a case: temporary ones when no violation
// is found or the judgment replaces them (PRV-13), or every measure in
// force when an objection's proof is found valid (PRV-9).
type LiftMeasures struct {
	Case      int       `json:"case"`
	Measures  []Measure `json:"measures"`
	Temporary bool      `json:"temporary,omitempty"`
}

// Notice asks the host to send the provider the notice email of a
// judgment (PRV-9) and to report its send instant with [NoticeSent].
type Notice struct {
	Case     int       `json:"case"`
	Clause   Clause    `json:"clause"`
	Class    Class     `json:"class"`
	Lifted   Clause    `json:"lifted,omitzero"`
	Measures []Measure `json:"measures"`
	Version  string    `json:"version"`
}

// TerminateAgreements ends cooperation at the notice's send instant: for
// Class I every agreement, no unsettled fees paid, no compensation and no
// future cooperation (PRV-10); for a serious Class II or III violation the
// cooperation ends early (PRV-11).
type TerminateAgreements struct {
	Case                int   `json:"case"`
	Class               Class `json:"class"`
	AllAgreements       bool  `json:"all_agreements,omitempty"`
	NoCompensation      bool  `json:"no_compensation,omitempty"`
	NoFutureCooperation bool  `json:"no_future_cooperation,omitempty"`
}

// CreditReport reports a final violation to the credit-reporting system
// (PRV-12), concerning the company, its legal person, its key managers
// and, when the finding names them, the staff involved.
type CreditReport struct {
	Case     int       `json:"case"`
	Clause   Clause    `json:"clause"`
	Class    Class     `json:"class"`
	Concerns []Subject `json:"concerns"`
	Staff    []string  `json:"staff,omitempty"`
}

// Publish publishes a final violation on the platform (PRV-12).
type Publish struct {
	Case   int    `json:"case"`
	Clause Clause `json:"clause"`
	Class  Class  `json:"class"`
}

func (RequireResolution) Kind() string   { return "provider_require_resolution" }
func (ResolutionOverdue) Kind() string   { return "provider_resolution_overdue" }
func (ImposeMeasures) Kind() string      { return "provider_impose_measures" }
func (LiftMeasures) Kind() string        { return "provider_lift_measures" }
func (Notice) Kind() string              { return "provider_notice" }
func (TerminateAgreements) Kind() string { return "provider_terminate" }
func (CreditReport) Kind() string        { return "provider_credit_report" }
func (Publish) Kind() string             { return "provider_publish" }

func (RequireResolution) act()   {}
func (ResolutionOverdue) act()   {}
func (ImposeMeasures) act()      {}
func (LiftMeasures) act()        {}
func (Notice) act()              {}
func (TerminateAgreements) act() {}
func (CreditReport) act()        {}
func (Publish) act()             {}

var acts = wire.NewUnion[Act]("provider effect", Act.Kind,
	RequireResolution{}, ResolutionOverdue{}, ImposeMeasures{}, LiftMeasures{}, Notice{},
	TerminateAgreements{}, CreditReport{}, Publish{})

// EffectKinds returns the kinds of every act, sorted: each is an act's
// Kind and the "type" [DecodeEffect] reads. The slice is the caller's.
func EffectKinds() []string { return acts.Names() }

// MarshalJSON writes the effect flattened with its act's "type".
func (e Effect) MarshalJSON() ([]byte, error) {
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON reads an effect strictly; an error wraps [ErrInvalid].
func (e *Effect) UnmarshalJSON(data []byte) error {
	st, a, err := acts.DecodeStamped(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	*e = Effect{ID: st.ID, At: st.At, Rule: st.Rule, Act: a}
	return nil
}

// DecodeEffect decodes one effect written by [Effect.MarshalJSON].
func DecodeEffect(data []byte) (Effect, error) {
	var e Effect
	err := e.UnmarshalJSON(data)
	return e, err
}
