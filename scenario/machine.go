package scenario

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// machine adapts one state machine of the library to scenario files. Each
// machine is one adapter file of this package; adding a machine is that
// file and one line in [machines].
type machine interface {
	// Name is the machine's name in scenario files (machine: refund).
	Name() string
	// Policy returns the embedded default rule set; policy: files are
	// loaded over it.
	Policy() *rules.Set
	// Catalogue is the machine's rule catalogue: the rule IDs scenarios
	// must cover.
	Catalogue() []rules.RuleInfo
	// EventNames are the stable names of the machine's events.
	EventNames() []string
	// EffectKinds are the kinds of the machine's effects.
	EffectKinds() []string
	// Timers are every timer edge of the machine: what a deadline of a
	// status can do when it fires.
	Timers() []Timer
	// Boundaries are the names of every boundary a step can be judged
	// against (see [Deadline]): pending deadlines and other instants.
	Boundaries() []string
	// Sentinels maps the names an expected error may give (is:) to the
	// machine's sentinel errors.
	Sentinels() map[string]error
	// StartKeys are the top-level keys that give the facts or state the
	// machine starts from; FactKeys the step keys that update facts.
	StartKeys() []string
	FactKeys() []string
	// DecodeEvent decodes an event from its JSON form (the machine's own
	// strict decoder); DecodeFact a fact update of a step.
	DecodeEvent(data []byte) (any, error)
	DecodeFact(key string, data []byte) (any, error)
	// Begin starts a run from the start keys' JSON (absent keys are
	// missing from the map) at instant at. An error may be a *keyError
	// naming the key it is about.
	Begin(policy *rules.Set, start map[string][]byte, at time.Time) (instance, error)
}

// instance is one run of a machine: its facts and state.
type instance interface {
	// Update applies a fact update at instant at.
	Update(fact any, at time.Time) error
	// Apply applies an event at instant at (the machine's ApplyAt);
	// Advance fires due deadlines (AdvanceAt). The instance keeps the
	// result's state, also with an error.
	Apply(event any, at time.Time) (outcome, error)
	Advance(at time.Time) outcome
	// Fork returns an independent copy.
	Fork() instance
	// State is the machine's state, for its JSON form.
	State() any
	// Deadlines are the pending deadlines of the state, earliest first.
	Deadlines() []Deadline
	// Instants are the other threshold instants a step may be judged
	// against (e.g. the end of a no-reason window), at instant at.
	Instants(at time.Time) []Deadline
	// StatusOf is the status of the subject of a deadline.
	StatusOf(subject string) string
}

// outcome is what one call of the machine gave.
type outcome struct {
	Effects   []Effect
	Decisions []rules.Decision
	Next      time.Time
}

// keyError is an error about one start key of a scenario.
type keyError struct {
	Key string
	Err error
}

func (e *keyError) Error() string { return e.Key + ": " + e.Err.Error() }
func (e *keyError) Unwrap() error { return e.Err }

// Timer is one timer edge of a machine: a deadline of status From, set
// by rule Rule (the threshold Threshold), that moves its subject to To.
type Timer struct {
	From      string `json:"from"`
	Rule      string `json:"rule"`
	To        string `json:"to"`
	Threshold string `json:"threshold,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Key is the timer's name in reports: "requested -RFD-2-> refunded".
func (t Timer) Key() string { return t.From + " -" + t.Rule + "-> " + t.To }

// Deadline is one instant a rule makes a boundary of: a pending deadline
// (its subject's status and the rule that set it) or another threshold
// instant, such as the end of a window.
type Deadline struct {
	At      time.Time `json:"at"`
	Rule    string    `json:"rule"`
	Status  string    `json:"status,omitempty"` // the subject's status, for a pending deadline
	Subject string    `json:"subject"`          // e.g. "request 1", "line A"
	// Boundary names the boundary in coverage reports: a pending
	// deadline's "status RULE", or e.g. "no_reason_window RFD-5".
	Boundary string `json:"boundary"`
}

// Effect is one effect a machine emitted, in the machine-independent
// form the runner compares: its ID, instant, rule, kind and JSON form.
type Effect struct {
	ID   uint64          `json:"id"`
	At   time.Time       `json:"at"`
	Rule string          `json:"rule"`
	Kind string          `json:"type"`
	JSON json.RawMessage `json:"json"`
}

// MarshalJSON writes the effect's own JSON form.
func (e Effect) MarshalJSON() ([]byte, error) {
	if len(e.JSON) == 0 {
		return []byte("{}"), nil
	}
	return e.JSON, nil
}

// timerBoundaries are the boundaries of the pending deadlines of the
// timers: "status RULE".
func timerBoundaries(ts []Timer) []string {
	var out []string
	for _, t := range ts {
		if b := t.From + " " + t.Rule; !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// machines is every machine scenario files may name, by name.
var machines = []machine{refundMachine{}, disputeMachine{}, providerMachine{}, pointsMachine{}, orderMachine{}, couponMachine{}}

func findMachine(name string) (machine, bool) {
	for _, m := range machines {
		if m.Name() == name {
			return m, true
		}
	}
	return nil, false
}

// MachineInfo describes one machine scenario files may name.
type MachineInfo struct {
	Name       string
	Catalogue  []rules.RuleInfo
	EventNames []string
	Timers     []Timer
}

// Machines returns every machine scenario files may name.
func Machines() []MachineInfo {
	out := make([]MachineInfo, 0, len(machines))
	for _, m := range machines {
		out = append(out, MachineInfo{Name: m.Name(), Catalogue: m.Catalogue(), EventNames: m.EventNames(), Timers: m.Timers()})
	}
	return out
}

func machineNames() []string {
	out := make([]string, 0, len(machines))
	for _, m := range machines {
		out = append(out, m.Name())
	}
	return out
}
