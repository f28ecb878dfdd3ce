package dispute

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/wire"
)

// State is every complaint and report of one trade, and the trade's
// lock. It is a plain value a host stores as JSON (package order keeps
// it inside its trade value); the trade's own facts are not in it (see
// [Trade]). The zero State is a trade with no dispute yet, and valid.
// Instants are UTC without a monotonic reading.
type State struct {
	Complaints []Complaint `json:"complaints,omitempty"` // by ID: Complaints[i].ID == i+1
	Reports    []Report    `json:"reports,omitempty"`    // by ID: Reports[i].ID == i+1
	// Lock is the trade's lock while the parties are at arbitration or
	// court (DSP-9, ORD-19); the zero Lock means unlocked.
	Lock Lock `json:"lock,omitzero"`
	// Seq is the ID of the last effect issued.
	Seq uint64 `json:"seq"`
	// At is the last instant the state was applied or advanced to.
	At time.Time `json:"at,omitzero"`
}

// Lock says which complaint locked the trade, where and since when.
type Lock struct {
	Complaint int       `json:"complaint"`
	Forum     Forum     `json:"forum"`
	Since     time.Time `json:"since"`
}

// Locked reports whether the trade is locked (DSP-9, ORD-19): while it
// is, no complaint deadline fires and only [Unlock] is accepted. Package
// order reads its lock from here rather than keeping a copy.
func (s State) Locked() bool {
	// s.Lock != Lock{}, field by field: the compiler compares these
	// inline, where the struct comparison calls a generated function (the
	// struct has padding), and this sits on every path of the machine and
	// of package order. (Written out here rather than through a Lock
	// method: the nested inlined call copied the State.)
	return s.Lock.Complaint != 0 || s.Lock.Forum != 0 || s.Lock.Since != (time.Time{})
}

// OpenComplaints returns how many complaints are not yet closed (every
// status but Done, a mediation plan included). Package order pauses its
// auto-confirmation while it is above zero (ORD-9).
func (s State) OpenComplaints() int {
	if len(s.Complaints) == 0 { // inlined: the common case costs one test
		return 0
	}
	return s.openComplaints()
}

func (s *State) openComplaints() int {
	n := 0
	for i := range s.Complaints {
		if s.Complaints[i].Status != Done {
			n++
		}
	}
	return n
}

// Complaint is one complaint of the trade.
type Complaint struct {
	ID   int    `json:"id"`
	Type string `json:"complaint_type"` // one of the version's complaint_types, or "other" (DSP-1)
	// Asked is the type as filed when it was not listed and filed as
	// "other"; empty otherwise.
	Asked       string    `json:"asked,omitempty"`
	Respondent  string    `json:"respondent"`
	NotReceived bool      `json:"not_received,omitempty"`
	Version     string    `json:"version"` // the policy version in force at filing, which judges it (DSP-12)
	FiledAt     time.Time `json:"filed_at"`
	Status      Status    `json:"status"`
	Since       time.Time `json:"since"` // when it entered Status
	// Round counts rounds of reply: 1 from filing, one more after each
	// "unsatisfied" (DSP-7); RoundAt is when the current one began.
	Round   int       `json:"round"`
	RoundAt time.Time `json:"round_at"`
	// Deadline is when the current status times out (AwaitingReply,
	// Overdue, Replied); zero otherwise. Day3End is the end of day 3
	// of the round while the complaint awaits a reply (DSP-5).
	Deadline time.Time `json:"deadline,omitzero"`
	Day3End  time.Time `json:"day3_end,omitzero"`
	// Held is the status the complaint was in when it went to court
	// (Arbitration only).
	Held     Status  `json:"held,omitzero"`
	Remedy   Remedy  `json:"remedy,omitzero"`    // the mediation plan of a platform decision
	Reminded bool    `json:"reminded,omitempty"` // a DSP-11 reminder was sent
	Outcome  Outcome `json:"outcome,omitzero"`   // set once, in Plan or Done
}

// Report is one report (DSP-8).
type Report struct {
	ID         int          `json:"id"`
	Kind       ReportKind   `json:"kind"`
	By         Role         `json:"by"`
	Respondent string       `json:"respondent"`
	Subject    string       `json:"subject"`
	Version    string       `json:"version"`
	FiledAt    time.Time    `json:"filed_at"`
	Status     ReportStatus `json:"status"`
	Since      time.Time    `json:"since"`
}

// Complaint returns the complaint with the given ID.
func (s State) Complaint(id int) (Complaint, bool) {
	if id < 1 || id > len(s.Complaints) {
		return Complaint{}, false
	}
	return s.Complaints[id-1], true
}

// Report returns the report with the given ID.
func (s State) Report(id int) (Report, bool) {
	if id < 1 || id > len(s.Reports) {
		return Report{}, false
	}
	return s.Reports[id-1], true
}

// Next returns the earliest complaint deadline, at which the host calls
// [Machine.AdvanceAt]; zero when there is none or the trade is locked
// (nothing fires until it is unlocked).
func (s State) Next() time.Time {
	// Small enough to be inlined: a host asks often, mostly of a trade
	// with no complaint, which then costs one test.
	if len(s.Complaints) == 0 {
		return time.Time{}
	}
	return s.next()
}

func (s *State) next() time.Time {
	if s.Locked() {
		return time.Time{}
	}
	var next time.Time
	for i := range s.Complaints {
		c := &s.Complaints[i]
		if c.Status.timed() && (next.IsZero() || c.Deadline.Before(next)) {
			next = c.Deadline
		}
	}
	return next
}

// Clone returns a deep copy of s.
func (s State) Clone() State {
	s.Complaints = slices.Clone(s.Complaints)
	s.Reports = slices.Clone(s.Reports)
	return s
}

// DecodeState decodes a stored State strictly and validates it; errors
// wrap [ErrInvalid].
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

// Validate returns nil if s is a State this package could have produced,
// and otherwise an error wrapping [ErrInvalid] naming the first fault.
// [Machine.ApplyAt] and [Machine.AdvanceAt] validate every State they are
// given; the disputetest checker uses the same function.
//
// In a valid State every instant is UTC and not after At; complaints and
// reports have IDs equal to their positions, valid enumerations, a
// version date and a respondent; a complaint has a Deadline exactly when
// its status times out, a Day3End exactly while it awaits a reply (at or
// after the deadline), an Outcome exactly in Plan and Done (Valid with a
// remedy in Plan), and is in Arbitration exactly when it holds the
// trade's Lock. While the trade is unlocked no deadline is at or before
// At (every due deadline has fired).
func (s State) Validate() error {
	// One pass over the complaints and reports; error texts are written
	// only on a fault (item names included), so that a valid state, the
	// state of every call, costs no allocation.
	if !s.At.IsZero() && s.At.Location() != time.UTC {
		return badState("at %v is not UTC", s.At)
	}
	if (len(s.Complaints) > 0 || len(s.Reports) > 0) && s.At.IsZero() {
		return badState("no instant")
	}
	if s.Seq > 0 && s.At.IsZero() {
		return badState("effects issued without an instant")
	}
	locked := s.Locked()
	arbitration := 0
	for i := range s.Complaints {
		c := &s.Complaints[i]
		what := func() string { return complaintName(i + 1) }
		if c.ID != i+1 {
			return badState("%s has ID %d", what(), c.ID)
		}
		switch {
		case !validName(c.Type):
			return badState("%s: type %q", what(), c.Type)
		case c.Asked != "" && c.Type != "other":
			return badState("%s: asked type %q kept on a listed type", what(), c.Asked)
		case c.Respondent == "":
			return badState("%s: no respondent", what())
		case !isDate(c.Version):
			return badState("%s: version %q", what(), c.Version)
		case !c.Status.IsValid():
			return badState("%s: status %v", what(), c.Status)
		case c.Round < 1:
			return badState("%s: round %d", what(), c.Round)
		}
		for _, t := range [...]time.Time{c.FiledAt, c.Since, c.RoundAt} {
			if f := instantFault(t, s.At); f != instantOK {
				return f.err(what(), t, s.At)
			}
		}
		if c.RoundAt.Before(c.FiledAt) || c.Since.Before(c.FiledAt) {
			return badState("%s: round or status before filing", what())
		}
		if c.Status.timed() != !c.Deadline.IsZero() {
			return badState("%s: %v with deadline %v", what(), c.Status, c.Deadline)
		}
		waiting := c.Status == AwaitingReply || c.Status == Overdue
		if waiting != !c.Day3End.IsZero() {
			return badState("%s: %v with day 3 ending %v", what(), c.Status, c.Day3End)
		}
		for _, t := range [...]time.Time{c.Deadline, c.Day3End} {
			if !t.IsZero() && t.Location() != time.UTC {
				return badState("%s: deadline %v is not UTC", what(), t)
			}
			if !t.IsZero() && !locked && !t.After(s.At) {
				return badState("%s: deadline %v passed at %v without firing", what(), t, s.At)
			}
		}
		switch {
		case c.Status == AwaitingReply && c.Day3End.Before(c.Deadline):
			return badState("%s: day 3 ends before the reply deadline", what())
		case c.Status == Overdue && !c.Day3End.Equal(c.Deadline):
			return badState("%s: overdue deadline is not the end of day 3", what())
		}
		decided := c.Status == Plan || c.Status == Done
		if decided != c.Outcome.IsValid() || (c.Outcome != 0 && !c.Outcome.IsValid()) {
			return badState("%s: %v with outcome %v", what(), c.Status, c.Outcome)
		}
		if c.Status == Plan && (c.Outcome != Valid || !c.Remedy.IsValid() || c.Remedy == NoRemedy) {
			return badState("%s: plan without a valid outcome and a remedy", what())
		}
		if c.Remedy != 0 && !c.Remedy.IsValid() {
			return badState("%s: remedy %v", what(), c.Remedy)
		}
		if c.Reminded && c.Status != Plan && c.Status != Done && c.Status != Arbitration {
			return badState("%s: reminded in %v", what(), c.Status)
		}
		if c.Status == Arbitration {
			arbitration++
			if !locked || s.Lock.Complaint != c.ID {
				return badState("%s: in arbitration without holding the lock", what())
			}
			if !c.Held.IsValid() || c.Held == Arbitration || c.Held == Done {
				return badState("%s: held status %v", what(), c.Held)
			}
		} else if c.Held != 0 {
			return badState("%s: held status %v outside arbitration", what(), c.Held)
		}
	}
	if locked {
		if arbitration != 1 || !s.Lock.Forum.IsValid() {
			return badState("lock %+v", s.Lock)
		}
		if f := instantFault(s.Lock.Since, s.At); f != instantOK {
			return f.err("lock", s.Lock.Since, s.At)
		}
	}
	for i := range s.Reports {
		r := &s.Reports[i]
		what := func() string { return reportName(i + 1) }
		switch {
		case r.ID != i+1:
			return badState("%s has ID %d", what(), r.ID)
		case !r.Kind.IsValid() || !r.By.IsValid() || !r.Status.IsValid():
			return badState("%s: kind %v, by %v, status %v", what(), r.Kind, r.By, r.Status)
		case r.Respondent == "" || r.Subject == "":
			return badState("%s: no respondent or subject", what())
		case !isDate(r.Version):
			return badState("%s: version %q", what(), r.Version)
		}
		for _, t := range [...]time.Time{r.FiledAt, r.Since} {
			if f := instantFault(t, s.At); f != instantOK {
				return f.err(what(), t, s.At)
			}
		}
		if r.Since.Before(r.FiledAt) {
			return badState("%s: status before filing", what())
		}
	}
	return nil
}

// badState is the error of an invalid State.
func badState(format string, args ...any) error {
	return fmt.Errorf("%w: state: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// fault is what is wrong with an instant of a State.
type fault uint8

const (
	instantOK fault = iota
	instantMissing
	instantNotUTC
	instantAfter
)

// instantFault checks a required instant t of a state at at: present,
// UTC, and not after at.
func instantFault(t, at time.Time) fault {
	switch {
	case t.IsZero():
		return instantMissing
	case t.Location() != time.UTC:
		return instantNotUTC
	case t.After(at):
		return instantAfter
	}
	return instantOK
}

// err is the error of fault f of instant t of the item what, in a state
// at at.
func (f fault) err(what string, t, at time.Time) error {
	switch f {
	case instantMissing:
		return badState("%s: missing instant", what)
	case instantNotUTC:
		return badState("%s: instant %v is not UTC", what, t)
	}
	return badState("%s: instant %v is after the state's %v", what, t, at)
}

// isDate reports whether s is a date YYYY-MM-DD (a version date). Every
// Validate reads one per complaint and report, so it reads the digits in
// place.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	digit := func(i int) int { return int(s[i] - '0') }
	y := digit(0)*1000 + digit(1)*100 + digit(2)*10 + digit(3)
	m := digit(5)*10 + digit(6)
	d := digit(8)*10 + digit(9)
	// The day exists: time.Date would normalise any other to another date.
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// validName reports whether s is a lower_snake_case name: a complaint
// type (DSP-1).
func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// complaintName and reportName name an item in errors; they allocate
// only past the first few IDs.
func complaintName(id int) string {
	if id < len(smallComplaintNames) {
		return smallComplaintNames[id]
	}
	return "complaint " + strconv.Itoa(id)
}

func reportName(id int) string { return "report " + strconv.Itoa(id) }

var smallComplaintNames = func() []string {
	out := make([]string, 16)
	for i := range out {
		out[i] = "complaint " + strconv.Itoa(i)
	}
	return out
}()
