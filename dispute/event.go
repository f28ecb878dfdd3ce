package dispute

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Event is something that happens to a trade's complaints or reports: a
// buyer's, merchant's or platform's action. Name is stable, for logs and
// the "type" of the JSON form ([DecodeEvent]); "advance" is reserved for
// an [Entry] without an event. A pointer to an event is taken as the
// event it points to.
type Event interface {
	Name() string
	event()
}

// Filer is who files a complaint or report and how to reach them
// (DSP-2: real identity and contact).
type Filer struct {
	Identity string `json:"identity"`
	Contact  string `json:"contact"`
}

// Complain is a buyer's complaint about the trade (DSP-1, DSP-2, DSP-3). Type
// is one of the policy's complaint_types; any other files as "other"
// (the type as written is kept in Complaint.Asked). Claims, Facts and
// Reasons are the specific request, facts and reasons; Evidence names the
// material filed with it. NotReceived says the buyer did not receive the
// goods (DR art.5).
type Complain struct {
	Type        string   `json:"complaint_type"`
	Filer       Filer    `json:"filer"`
	Respondent  string   `json:"respondent"`
	Claims      string   `json:"claims"`
	Facts       string   `json:"facts"`
	Reasons     string   `json:"reasons"`
	Evidence    []string `json:"evidence,omitempty"`
	NotReceived bool     `json:"not_received,omitempty"`
}

// Withdraw is the buyer withdrawing a complaint (DSP-3).
type Withdraw struct {
	Complaint int `json:"complaint"`
}

// Reply is the merchant's reply with evidence (DSP-4); accepted on day 3
// too (DSP-5).
type Reply struct {
	Complaint int      `json:"complaint"`
	Text      string   `json:"text,omitempty"`
	Evidence  []string `json:"evidence,omitempty"`
}

// Unsatisfied is the buyer marking a reply "unsatisfied" within the
// feedback period, with an optional response and evidence (DSP-7): a new
// round of reply starts.
type Unsatisfied struct {
	Complaint int      `json:"complaint"`
	Response  string   `json:"response,omitempty"`
	Evidence  []string `json:"evidence,omitempty"`
}

// AskIntervention is the buyer asking the platform to step in: on day 3
// of a round (DSP-5), or after "unsatisfied" (DSP-7).
type AskIntervention struct {
	Complaint int `json:"complaint"`
}

// Decide is the platform's decision on an intervention: valid or not,
// and for a valid one the mediation plan the merchant must carry out
// (NoRemedy: none). A valid decision with a remedy leaves the complaint
// in [Plan] until [PlanDone] (DSP-11).
type Decide struct {
	Complaint int     `json:"complaint"`
	Verdict   Verdict `json:"verdict"`
	Remedy    Remedy  `json:"remedy"`
}

// PlanDone says the merchant carried out the mediation plan.
type PlanDone struct {
	Complaint int `json:"complaint"`
}

// Press is the buyer pressing a merchant that does not carry out the
// mediation plan: a reminder by messaging, or an escalation by hotline or
// online service (DSP-11).
type Press struct {
	Complaint int     `json:"complaint"`
	Channel   Channel `json:"channel"`
}

// GoToCourt is the parties taking a failed mediation to arbitration or
// court (DSP-9): the trade is locked from this instant (ORD-19).
type GoToCourt struct {
	Complaint int   `json:"complaint"`
	Forum     Forum `json:"forum"`
}

// Unlock ends the lock: the judgment took effect and was executed (its
// Verdict judges the complaint), or the parties settled (the complaint
// closes Settled; Verdict is left out) (DSP-9, ORD-19).
type Unlock struct {
	Complaint int       `json:"complaint"`
	How       Unlocking `json:"how"`
	Verdict   Verdict   `json:"verdict,omitzero"`
}

// TakeMeasures is the platform taking necessary measures on a complaint
// (DSP-9). Measure says what, for the record.
type TakeMeasures struct {
	Complaint int    `json:"complaint"`
	Ground    Ground `json:"ground"`
	Measure   string `json:"measure"`
}

// FileReport is a report by a consumer or a merchant (DSP-8), not bound by
// the complaint window. Subject names the listing (product reports) or
// the trade (trade reports) reported: it is the DSP-2 condition
// [OnPlatform].
type FileReport struct {
	Kind       ReportKind `json:"kind"`
	By         Role       `json:"by"`
	Filer      Filer      `json:"filer"`
	Respondent string     `json:"respondent"`
	Subject    string     `json:"subject"`
	Claims     string     `json:"claims"`
	Facts      string     `json:"facts"`
	Reasons    string     `json:"reasons"`
	Evidence   []string   `json:"evidence,omitempty"`
}

// Review is the platform starting to review a report (DSP-8).
type Review struct {
	Report int `json:"report"`
}

// Conclude ends the review of a report: upheld or dismissed (DSP-8).
type Conclude struct {
	Report int  `json:"report"`
	Upheld bool `json:"upheld"`
}

func (Complain) Name() string        { return "complain" }
func (Withdraw) Name() string        { return "withdraw" }
func (Reply) Name() string           { return "reply" }
func (Unsatisfied) Name() string     { return "unsatisfied" }
func (AskIntervention) Name() string { return "ask_intervention" }
func (Decide) Name() string          { return "decide" }
func (PlanDone) Name() string        { return "plan_done" }
func (Press) Name() string           { return "press" }
func (GoToCourt) Name() string       { return "go_to_court" }
func (Unlock) Name() string          { return "unlock" }
func (TakeMeasures) Name() string    { return "take_measures" }
func (FileReport) Name() string      { return "file_report" }
func (Review) Name() string          { return "review" }
func (Conclude) Name() string        { return "conclude" }

func (Complain) event()        {}
func (Withdraw) event()        {}
func (Reply) event()           {}
func (Unsatisfied) event()     {}
func (AskIntervention) event() {}
func (Decide) event()          {}
func (PlanDone) event()        {}
func (Press) event()           {}
func (GoToCourt) event()       {}
func (Unlock) event()          {}
func (TakeMeasures) event()    {}
func (FileReport) event()      {}
func (Review) event()          {}
func (Conclude) event()        {}

var events = wire.NewUnion[Event]("dispute event", Event.Name,
	Complain{}, Withdraw{}, Reply{}, Unsatisfied{}, AskIntervention{}, Decide{}, PlanDone{}, Press{},
	GoToCourt{}, Unlock{}, TakeMeasures{}, FileReport{}, Review{}, Conclude{})

// EventNames returns the names of every event, sorted: each is an event's
// Name and the "type" [DecodeEvent] reads. The slice is the caller's.
func EventNames() []string { return events.Names() }

// EncodeEvent writes e as {"type":name,fields…}.
func EncodeEvent(e Event) ([]byte, error) { return events.Encode(e) }

// DecodeEvent reads an event written by [EncodeEvent], strictly: unknown,
// duplicate or wrongly cased keys, unknown names, trailing data and
// invalid or missing enumeration values are errors wrapping [ErrInvalid].
func DecodeEvent(data []byte) (Event, error) {
	e, err := events.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := writable(e); err != nil {
		return nil, err
	}
	return e, nil
}

// writable refuses a decoded event that could not be written back: one
// whose enumerations were left out (zero, invalid).
func writable(e Event) error {
	if _, err := events.Encode(e); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// Entry is one entry of an event log: an event applied at At
// ([Machine.ApplyAt]), or with a nil Event an advance to At
// ([Machine.AdvanceAt]). Its JSON form is {"at":"…","type":name,fields…},
// with type "advance" for a nil Event. The trade's facts are not part of
// the entry: a replay passes the [Trade] as it stood at each entry, as
// the host's own log of the trade has it.
type Entry struct {
	At    time.Time
	Event Event
}

type advanceEntry struct {
	At   time.Time `json:"at"`
	Type string    `json:"type"`
}

// MarshalJSON writes the entry's JSON form.
func (en Entry) MarshalJSON() ([]byte, error) {
	if en.Event == nil {
		return json.Marshal(advanceEntry{At: en.At, Type: "advance"})
	}
	return events.Encode(en.Event, wire.Member{Key: "at", Value: en.At})
}

// UnmarshalJSON reads the form MarshalJSON writes, strictly.
func (en *Entry) UnmarshalJSON(data []byte) error {
	var adv advanceEntry
	if err := wire.Decode(data, &adv); err == nil && adv.Type == "advance" {
		*en = Entry{At: adv.At}
		return nil
	}
	at, e, err := events.DecodeAt(data)
	if err != nil {
		return fmt.Errorf("%w: entry: %w", ErrInvalid, err)
	}
	*en = Entry{At: at, Event: e}
	return nil
}
