package provider

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// State is one provider's standing, record and violation cases: one value
// a host stores in one row. The zero State is invalid; [Start] makes the
// first one. States are plain values; the machine never changes the one
// it is given.
type State struct {
	Provider string   `json:"provider"`
	Standing Standing `json:"standing"`
	// EndedAt is when cooperation ended (the notice's send instant) and
	// EndedBy the case that ended it; zero while Active.
	EndedAt time.Time `json:"ended_at,omitzero"`
	EndedBy int       `json:"ended_by,omitempty"`
	// Record is the provider's violations that stand, earliest judged
	// first: the ledger "serious" is counted over (PRV-11).
	Record Record `json:"record,omitempty"`
	Cases  []Case `json:"cases,omitempty"` // Cases[i].ID == i+1
	Seq    uint64 `json:"seq"`             // the last effect ID issued
	// Last is the latest instant the machine has applied or advanced to.
	Last time.Time `json:"last,omitzero"`
}

// Case is one violation case (PRV-8, PRV-9, PRV-13).
type Case struct {
	ID     int    `json:"id"`
	Origin Origin `json:"origin"`
	Status Status `json:"status"`
	// Version is the date of the policy version in force when the
	// alleged violation took place; it judges the case for its life (PRV-14).
	Version    string    `json:"version"`
	OccurredAt time.Time `json:"occurred_at"`
	OpenedAt   time.Time `json:"opened_at"`
	// ResolveBy is the deadline for resolving the complaint (PRV-8), zero
	// if none was required; ResolvedAt when it was resolved; Overdue
	// whether the deadline passed first.
	ResolveBy  time.Time `json:"resolve_by,omitzero"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Overdue    bool      `json:"overdue,omitempty"`
	// Temporary is the temporary measures in force (PRV-13).
	Temporary []Measure `json:"temporary,omitempty"`
	// The judgment: the finding, its class, and the measures it took.
	JudgedAt   time.Time `json:"judged_at,omitzero"`
	Finding    Finding   `json:"finding,omitzero"`
	Class      Class     `json:"class,omitzero"`
	Lifted     Clause    `json:"lifted,omitzero"`
	Measures   []Measure `json:"measures,omitempty"` // in force (or, once Cancelled, as they were)
	Serious    bool      `json:"serious,omitempty"`  // Class II/III judged serious (PRV-11)
	Report     bool      `json:"report,omitempty"`   // to be reported once final (PRV-12)
	Publicised bool      `json:"publish,omitempty"`  // to be published once final (PRV-12)
	// The notice and the objection (PRV-9).
	NoticeAt   time.Time `json:"notice_at,omitzero"`
	ObjectBy   time.Time `json:"object_by,omitzero"`
	ObjectedAt time.Time `json:"objected_at,omitzero"`
	Proof      string    `json:"proof,omitempty"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
}

// Violation is one entry of a provider's record.
type Violation struct {
	Case  int       `json:"case"`
	At    time.Time `json:"at"` // when the violation took place
	Class Class     `json:"class"`
}

// Record is a provider's standing violations: a small ledger.
type Record []Violation

// Counts returns how many violations of each class (index 1 … 3) the
// record holds that took place in the window that ends just after at:
// those at or before at whose window from their instant, closing at
// end(v.At), is still open at at.
func (r Record) Counts(at time.Time, end func(time.Time) time.Time) [4]int64 {
	var n [4]int64
	for _, v := range r {
		if !v.At.After(at) && end(v.At).After(at) && v.Class.IsValid() {
			n[v.Class]++
		}
	}
	return n
}

// Start returns the State of a cooperating provider with no case yet.
func Start(provider string) (State, error) {
	if provider == "" {
		return State{}, fmt.Errorf("%w: provider: empty provider ID", ErrInvalid)
	}
	return State{Provider: provider, Standing: Active}, nil
}

// Clone returns a deep copy of s.
func (s State) Clone() State {
	s.Record = slices.Clone(s.Record)
	s.Cases = slices.Clone(s.Cases)
	for i := range s.Cases {
		c := &s.Cases[i]
		c.Temporary = slices.Clone(c.Temporary)
		c.Measures = slices.Clone(c.Measures)
		c.Finding.Staff = slices.Clone(c.Finding.Staff)
	}
	return s
}

// Case returns the case with the given ID.
func (s State) Case(id int) (Case, bool) {
	if id < 1 || id > len(s.Cases) {
		return Case{}, false
	}
	return s.Cases[id-1], true
}

// DecodeState decodes a State strictly and validates it; an error wraps
// [ErrInvalid].
func DecodeState(data []byte) (State, error) {
	var s State
	if err := wire.Decode(data, &s); err != nil {
		return State{}, fmt.Errorf("%w: state: %w", ErrInvalid, err)
	}
	if err := s.Validate(); err != nil {
		return State{}, err
	}
	return s, nil
}

// Validate reports whether s is a state this package could have produced;
// the error wraps [ErrInvalid] and names the fault. providertest's checker
// calls it too, so the two cannot drift.
func (s State) Validate() error {
	if msg := validate(s); msg != "" {
		return fmt.Errorf("%w: state: %s", ErrInvalid, msg)
	}
	return nil
}

func canonical(t time.Time) bool { return t.Equal(t.Round(0).UTC()) && t == t.Round(0).UTC() }

func validate(s State) string {
	if s.Provider == "" {
		return "empty provider ID"
	}
	if !s.Standing.IsValid() {
		return fmt.Sprintf("standing %v", s.Standing)
	}
	if !canonical(s.Last) || !canonical(s.EndedAt) {
		return "an instant not in UTC or with a monotonic reading"
	}
	if (s.Standing == Active) != (s.EndedBy == 0) || (s.Standing == Active) != s.EndedAt.IsZero() {
		return "ended fields do not match the standing"
	}
	if s.EndedAt.After(s.Last) {
		return "cooperation ended after the last instant"
	}
	// standing[i]: case i+1 holds a violation that stands; seen[i]: the
	// record has its entry.
	var buf [64]bool
	flags := buf[:0]
	if 2*len(s.Cases) > len(buf) {
		flags = make([]bool, 0, 2*len(s.Cases))
	}
	flags = flags[:2*len(s.Cases)]
	standing, seen := flags[:len(s.Cases)], flags[len(s.Cases):]
	nStanding := 0
	for i, c := range s.Cases {
		if msg := validCase(s, i, c); msg != "" {
			return fmt.Sprintf("case %d: %s", i+1, msg)
		}
		if c.Status == Judged || c.Status == Noticed || c.Status == Objected || c.Status == Final {
			standing[i] = true
			nStanding++
		}
		if !c.NoticeAt.IsZero() && slices.Contains(c.Measures, Terminate) && s.Standing == Active {
			return fmt.Sprintf("case %d terminated cooperation, yet the provider is active", c.ID)
		}
	}
	if s.EndedBy != 0 {
		c, ok := s.Case(s.EndedBy)
		if !ok || !slices.Contains(c.Measures, Terminate) || c.NoticeAt.IsZero() || !c.NoticeAt.Equal(s.EndedAt) {
			return fmt.Sprintf("ended by case %d, which terminated nothing then", s.EndedBy)
		}
		if (s.Standing == Barred) != (c.Class == ClassI) {
			return fmt.Sprintf("standing %v after a %v violation", s.Standing, c.Class)
		}
	}
	for _, v := range s.Record {
		c, ok := s.Case(v.Case)
		if !ok || seen[v.Case-1] || !standing[v.Case-1] || c.Class != v.Class || !c.OccurredAt.Equal(v.At) || !canonical(v.At) {
			return fmt.Sprintf("record entry for case %d does not match it", v.Case)
		}
		seen[v.Case-1] = true
	}
	if len(s.Record) != nStanding {
		return "a judged violation is missing from the record"
	}
	return ""
}

func validCase(s State, i int, c Case) string {
	if c.ID != i+1 {
		return fmt.Sprintf("id %d at position %d", c.ID, i+1)
	}
	if !c.Origin.IsValid() || !c.Status.IsValid() {
		return fmt.Sprintf("origin %v, status %v", c.Origin, c.Status)
	}
	if c.Version == "" {
		return "no pinned version"
	}
	for _, t := range []time.Time{c.OccurredAt, c.OpenedAt, c.ResolveBy, c.ResolvedAt, c.JudgedAt, c.NoticeAt, c.ObjectBy, c.ObjectedAt, c.ClosedAt} {
		if !canonical(t) {
			return "an instant not in UTC or with a monotonic reading"
		}
	}
	if c.OpenedAt.IsZero() || c.OccurredAt.IsZero() || c.OccurredAt.After(c.OpenedAt) || c.OpenedAt.After(s.Last) {
		return "occurred, opened and last instants out of order"
	}
	if !c.ResolveBy.IsZero() && !c.Origin.Complaint() {
		return "a resolution deadline on an inspection"
	}
	if c.ResolveBy.IsZero() && (c.Overdue || !c.ResolvedAt.IsZero()) {
		return "resolved or overdue without a deadline"
	}
	if c.Overdue && c.ResolveBy.After(s.Last) {
		return "overdue before its deadline"
	}
	if !c.ResolveBy.IsZero() && c.ResolvedAt.IsZero() && !c.Overdue && !c.ResolveBy.After(s.Last) {
		return "resolution deadline passed without firing"
	}
	if !c.ResolvedAt.IsZero() && c.Overdue == c.ResolvedAt.Before(c.ResolveBy) {
		return "resolved and overdue disagree"
	}
	if !c.ResolvedAt.IsZero() && (c.ResolvedAt.Before(c.OpenedAt) || c.ResolvedAt.After(s.Last)) {
		return "resolved out of order"
	}
	if !validMeasures(c.Temporary) || slices.Contains(c.Temporary, Terminate) {
		return "temporary measures invalid"
	}
	if c.Status != Investigating && len(c.Temporary) > 0 {
		return "temporary measures after the investigation"
	}
	judged := c.Status != Investigating && c.Status != Cleared
	if judged != !c.JudgedAt.IsZero() || judged != c.Class.IsValid() {
		return "judgment fields do not match the status"
	}
	if !judged {
		if !c.Finding.Clause.IsValid() && c.Finding.Clause != 0 || len(c.Measures) > 0 || !c.NoticeAt.IsZero() || c.Serious || c.Report || c.Publicised {
			return "judgment fields without a judgment"
		}
		if (c.Status == Cleared) == c.ClosedAt.IsZero() {
			return "closed instant does not match the status"
		}
		return ""
	}
	if msg := validFinding(c.Finding); msg != "" {
		return "finding: " + msg
	}
	if msg := validClass(c); msg != "" {
		return msg
	}
	if c.JudgedAt.Before(c.OpenedAt) {
		return "judged before it opened"
	}
	if !validMeasures(c.Measures) || len(c.Measures) == 0 {
		return "measures invalid"
	}
	if want := judgmentMeasures(c.Class, c.Serious); !slices.Equal(c.Measures, want) {
		return fmt.Sprintf("measures %v, want %v for a %v violation", c.Measures, want, c.Class)
	}
	noticed := c.Status != Judged
	if noticed != !c.NoticeAt.IsZero() || noticed != !c.ObjectBy.IsZero() {
		return "notice fields do not match the status"
	}
	if noticed && (c.NoticeAt.Before(c.JudgedAt) || c.ObjectBy.Before(c.NoticeAt)) {
		return "notice out of order"
	}
	objected := c.Status == Objected || c.Status == Cancelled || (c.Status == Final && !c.ObjectedAt.IsZero())
	if objected != !c.ObjectedAt.IsZero() || objected != (c.Proof != "") {
		return "objection fields do not match the status"
	}
	if objected && (c.ObjectedAt.Before(c.NoticeAt) || !c.ObjectedAt.Before(c.ObjectBy)) {
		return "objection outside its period"
	}
	if c.Status.Closed() == c.ClosedAt.IsZero() {
		return "closed instant does not match the status"
	}
	if c.Status == Noticed && !c.ObjectBy.After(s.Last) {
		return "objection period passed without closing"
	}
	return ""
}

// validClass checks a judged case's class against its finding, as far as
// it can without the policy: the clause's class, or the one its lift gives.
func validClass(c Case) string {
	info, _ := c.Finding.Clause.Info()
	switch {
	case info.Kind == Escalation:
		return "a finding naming an escalation clause"
	case info.Kind == AfterNotice && !(c.Finding.NoticeSent && c.Finding.FactorRemained):
		return "4.31 judged without its facts"
	case c.Lifted == 0 && c.Class != info.Class,
		c.Lifted == 11 && (info.Class != ClassII || c.Class != ClassI),
		c.Lifted == 26 && (info.Class != ClassIII || c.Class != ClassII),
		c.Lifted != 0 && c.Lifted != 11 && c.Lifted != 26:
		return fmt.Sprintf("class %v (lifted by %v) for a finding of %v", c.Class, c.Lifted, c.Finding.Clause)
	case c.Serious && c.Class == ClassI:
		return "a Class I violation judged serious"
	}
	return ""
}

func validMeasures(ms []Measure) bool {
	for i, m := range ms {
		if !m.IsValid() || (i > 0 && ms[i-1] >= m) {
			return false
		}
	}
	return true
}

// judgmentMeasures returns the measures of a judgment, sorted: Class I
// ends every agreement and withholds unsettled fees (PRV-10); Class II
// and III extend the settlement cycle, stop official resources and deduct
// the month's fees, and a serious one also ends cooperation (PRV-11).
func judgmentMeasures(c Class, serious bool) []Measure {
	if c == ClassI {
		return []Measure{WithholdFees, Terminate}
	}
	if serious {
		return []Measure{ExtendSettlement, StopResources, DeductFees, Terminate}
	}
	return []Measure{ExtendSettlement, StopResources, DeductFees}
}
