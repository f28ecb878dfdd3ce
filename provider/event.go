package provider

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Event is something that happens to a provider's cases; a sealed
// interface over the structs below. A pointer to an event is taken as the
// event it points to.
type Event interface {
	Name() string
	event()
}

// Open opens a case (PRV-8): a merchant's or user's complaint, or a
// finding of the platform's inspection. OccurredAt is when the alleged violation
// took place; it picks the policy version that judges the case for its
// whole life (PRV-14) and must not be later than now. Resolve, for a
// complaint, requires the provider to resolve it within the policy's
// complaint_resolution period of the opening (PRV-8). A provider that is
// no longer Active gets no new case ([ErrTerminated], PRV-10, PRV-11).
type Open struct {
	Origin     Origin    `json:"origin"`
	OccurredAt time.Time `json:"occurred_at"`
	Resolve    bool      `json:"resolve,omitempty"`
}

// Resolve records that the provider resolved the complaint of a case that
// required it (PRV-8), at the instant the event is applied.
type Resolve struct {
	Case int `json:"case"`
}

// Temporary takes temporary measures in a case under investigation
// (PRV-13). Termination cannot be temporary ([ErrTemporary]); a provider
// that is no longer Active takes none ([ErrTerminated]). A measure already
// in force is not taken twice.
type Temporary struct {
	Case     int       `json:"case"`
	Measures []Measure `json:"measures"`
}

// Clear ends an investigation that found no violation: its temporary
// measures are lifted at once (PRV-13).
type Clear struct {
	Case int `json:"case"`
}

// Judge judges a case under investigation on the finding (PRV-9): it is
// classified (PRV-5 … PRV-7) by the case's pinned version and its
// measures are taken (PRV-10, PRV-11). A finding that is no violation
// (4.31 without its facts) clears the case as [Clear] does.
type Judge struct {
	Case    int     `json:"case"`
	Finding Finding `json:"finding"`
}

// NoticeSent reports that the notice email of a judged case was sent at
// SentAt (PRV-9): a termination takes effect then (PRV-10), and the objection
// period runs from it. SentAt must lie between the judgment and now.
type NoticeSent struct {
	Case   int       `json:"case"`
	SentAt time.Time `json:"sent_at"`
}

// Object is the provider's written objection with proof, received when
// the event is applied; it must come within the objection period (PRV-9).
type Object struct {
	Case  int    `json:"case"`
	Proof string `json:"proof"`
}

// RuleObjection is the platform's ruling on an objection: valid proof
// cancels the case's measures (PRV-9); otherwise the violation is final.
type RuleObjection struct {
	Case  int  `json:"case"`
	Valid bool `json:"valid"`
}

func (Open) Name() string          { return "open" }
func (Resolve) Name() string       { return "resolve" }
func (Temporary) Name() string     { return "temporary" }
func (Clear) Name() string         { return "clear" }
func (Judge) Name() string         { return "judge" }
func (NoticeSent) Name() string    { return "notice_sent" }
func (Object) Name() string        { return "object" }
func (RuleObjection) Name() string { return "rule_objection" }

func (Open) event()          {}
func (Resolve) event()       {}
func (Temporary) event()     {}
func (Clear) event()         {}
func (Judge) event()         {}
func (NoticeSent) event()    {}
func (Object) event()        {}
func (RuleObjection) event() {}

var events = wire.NewUnion[Event]("provider event", Event.Name,
	Open{}, Resolve{}, Temporary{}, Clear{}, Judge{}, NoticeSent{}, Object{}, RuleObjection{})

// EventNames returns the names of every event, sorted: each is an event's
// Name and the "type" [DecodeEvent] reads. The slice is the caller's.
func EventNames() []string { return events.Names() }

// DecodeEvent decodes an event written by [EncodeEvent], strictly. An
// error wraps [ErrInvalid].
func DecodeEvent(data []byte) (Event, error) {
	e, err := events.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return e, nil
}

// EncodeEvent writes e as {"type": name, fields…}.
func EncodeEvent(e Event) ([]byte, error) {
	b, err := events.Encode(e)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// Entry is one line of an event log: an event applied at At, or (Event
// nil) an advance at At. Its JSON is {"at": …, "type": name, fields…},
// with "type": "advance" for an advance.
type Entry struct {
	At    time.Time
	Event Event
}

type advance struct{}

func (advance) Name() string { return "advance" }
func (advance) event()       {}

var entries = wire.NewUnion[Event]("provider log entry", Event.Name,
	advance{}, Open{}, Resolve{}, Temporary{}, Clear{}, Judge{}, NoticeSent{}, Object{}, RuleObjection{})

// MarshalJSON writes the entry.
func (e Entry) MarshalJSON() ([]byte, error) {
	ev := e.Event
	if ev == nil {
		ev = advance{}
	}
	b, err := entries.Encode(ev, wire.Member{Key: "at", Value: e.At})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON reads an entry strictly; an error wraps [ErrInvalid].
func (e *Entry) UnmarshalJSON(data []byte) error {
	at, ev, err := entries.DecodeAt(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, ok := ev.(advance); ok {
		ev = nil
	}
	*e = Entry{At: at, Event: ev}
	return nil
}

var _ json.Marshaler = Entry{}
