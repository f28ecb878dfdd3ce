package dispute

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// Act is one thing the host carries out: notify a party, ask the
// merchant for proof of shipment, record an outcome, lock or unlock the
// order, take necessary measures, press the merchant, route a report,
// impose a penalty. It is a sealed interface: the variants are this
// package's act types. Kind is a stable snake_case name, unique across
// the library.
type Act interface {
	Kind() string
	act()
}

// Effect is an [Act] with the instant it took effect, the rule that
// requires it, and an ID unique within its state and increasing
// ([State.Seq] or [Record.Seq] is the last one issued), so that a host
// writing effects to an outbox with the state carries each out once. Its
// JSON form is flat: {"id":1,"at":"…","rule":"DSP-4","type":"dispute_notice",…}.
type Effect struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Act  Act       `json:"-"`
}

// Kind returns the kind of the effect's act ("" without one).
func (e Effect) Kind() string {
	if e.Act == nil {
		return ""
	}
	return e.Act.Kind()
}

// Notice tells a party what a complaint now waits for and until when:
// the merchant at filing and at each new round (DSP-4) and at an
// intervention request, the buyer on day 3 (DSP-5), after a reply (DSP-6)
// and when the mediation plan was carried out (DSP-11, Status Done).
type Notice struct {
	Complaint int       `json:"complaint"`
	Party     Role      `json:"party"`
	Status    Status    `json:"status"`
	Due       time.Time `json:"due,omitzero"`
}

// ShippingProof asks the merchant to prove it shipped: a delivery
// complaint about goods not received puts the burden on it (DSP-1, DR
// art.5). Due is the complaint's reply deadline.
type ShippingProof struct {
	Complaint  int       `json:"complaint"`
	Respondent string    `json:"respondent"`
	Due        time.Time `json:"due"`
}

// Judged records a complaint's one outcome. A Valid outcome is what a
// host adds to the merchant's [Record] (DSP-10) with [Machine.RecordAt].
// Remedy is the mediation plan of a platform decision (NoRemedy or
// absent otherwise); Version is the policy version that judged (DSP-12).
type Judged struct {
	Trade      string  `json:"trade,omitempty"`
	Complaint  int     `json:"complaint"`
	Respondent string  `json:"respondent"`
	Type       string  `json:"complaint_type"`
	Outcome    Outcome `json:"outcome"`
	Remedy     Remedy  `json:"remedy,omitzero"`
	Version    string  `json:"version"`
}

// LockOrder locks the order from this instant: the parties went to
// arbitration or court (DSP-9, ORD-19). The holder of the order accepts
// no transition and fires no timer on it until [UnlockOrder].
type LockOrder struct {
	Trade     string `json:"trade,omitempty"`
	Complaint int    `json:"complaint"`
	Forum     Forum  `json:"forum"`
}

// UnlockOrder ends the lock of [LockOrder]: the judgment was executed or
// the parties settled (DSP-9, ORD-19). Since is when the lock began; the
// order was locked from Since to this effect's instant.
type UnlockOrder struct {
	Trade     string    `json:"trade,omitempty"`
	Complaint int       `json:"complaint"`
	How       Unlocking `json:"how"`
	Since     time.Time `json:"since"`
}

// Measures is a necessary measure the platform takes for the safety of
// the consumer's person or property or other infringed rights (DSP-9).
type Measures struct {
	Complaint int    `json:"complaint"`
	Ground    Ground `json:"ground"`
	Measure   string `json:"measure"`
}

// RemindMerchant sends the merchant a reminder by messaging to carry out
// the mediation plan (DSP-11).
type RemindMerchant struct {
	Complaint  int    `json:"complaint"`
	Respondent string `json:"respondent"`
	Remedy     Remedy `json:"remedy"`
}

// Escalate raises a merchant that ignores the mediation plan with
// customer service, by hotline or online service (DSP-11).
type Escalate struct {
	Complaint  int     `json:"complaint"`
	Respondent string  `json:"respondent"`
	Channel    Channel `json:"channel"`
}

// RouteReport hands a report to the platform's separate rules (DSP-8:
// IP infringement); this package does not judge it.
type RouteReport struct {
	Report     int        `json:"report"`
	ReportKind ReportKind `json:"kind"`
}

// ReportDecided records the end of a reviewed report (DSP-8).
type ReportDecided struct {
	Report     int        `json:"report"`
	ReportKind ReportKind `json:"kind"`
	Respondent string     `json:"respondent"`
	Upheld     bool       `json:"upheld"`
	Version    string     `json:"version"`
}

// Penalty is a penalty the merchant's record warrants (DSP-10): Total
// valid complaints within the record window, citing the most recent of
// them (at most [MaxCited]). New is true when the previous evaluation of
// the record did not warrant it.
type Penalty struct {
	Merchant string `json:"merchant"`
	Level    Level  `json:"level"`
	Total    int64  `json:"total"`
	Cites    []Ref  `json:"cites"`
	New      bool   `json:"new,omitempty"`
	Version  string `json:"version"`
}

func (Notice) Kind() string         { return "dispute_notice" }
func (ShippingProof) Kind() string  { return "dispute_shipping_proof" }
func (Judged) Kind() string         { return "dispute_judged" }
func (LockOrder) Kind() string      { return "dispute_lock_order" }
func (UnlockOrder) Kind() string    { return "dispute_unlock_order" }
func (Measures) Kind() string       { return "dispute_necessary_measures" }
func (RemindMerchant) Kind() string { return "dispute_remind_merchant" }
func (Escalate) Kind() string       { return "dispute_escalate" }
func (RouteReport) Kind() string    { return "dispute_route_report" }
func (ReportDecided) Kind() string  { return "dispute_report_decided" }
func (Penalty) Kind() string        { return "dispute_penalty" }

func (Notice) act()         {}
func (ShippingProof) act()  {}
func (Judged) act()         {}
func (LockOrder) act()      {}
func (UnlockOrder) act()    {}
func (Measures) act()       {}
func (RemindMerchant) act() {}
func (Escalate) act()       {}
func (RouteReport) act()    {}
func (ReportDecided) act()  {}
func (Penalty) act()        {}

var acts = wire.NewUnion[Act]("dispute effect", Act.Kind,
	Notice{}, ShippingProof{}, Judged{}, LockOrder{}, UnlockOrder{}, Measures{},
	RemindMerchant{}, Escalate{}, RouteReport{}, ReportDecided{}, Penalty{}, PenaltyLifted{})

// EffectKinds returns the kinds of every act, sorted: each is an act's
// Kind and the "type" [DecodeEffect] reads. The slice is the caller's.
func EffectKinds() []string { return acts.Names() }

// MarshalJSON writes {"id":…,"at":…,"rule":…,"type":kind,fields…}.
func (e Effect) MarshalJSON() ([]byte, error) {
	b, err := acts.EncodeStamped(wire.Stamp{ID: e.ID, At: e.At, Rule: e.Rule}, e.Act)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return b, nil
}

// UnmarshalJSON reads the form MarshalJSON writes, strictly: unknown,
// duplicate or wrongly cased keys and unknown kinds are errors wrapping
// [ErrInvalid].
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

var _ json.Marshaler = Effect{}
