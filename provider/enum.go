package provider

import "github.com/tradepolicy/tradepolicy/internal/enum"

// Origin is what opened a case (PRV-8). The zero value is invalid.
type Origin uint8

// The origins of a case.
const (
	MerchantComplaint Origin = 1 // a merchant's complaint or dissatisfaction
	UserComplaint     Origin = 2 // a user's complaint or dissatisfaction
	Inspection        Origin = 3 // the platform's own inspection found it
)

var originNames = enum.Names{"invalid", "merchant_complaint", "user_complaint", "inspection"}

func (o Origin) String() string { return enum.String(originNames, o) }

// IsValid reports whether o is a Origin other than the invalid zero value.
func (o Origin) IsValid() bool { return enum.IsValid(originNames, o) }
func (o Origin) MarshalText() ([]byte, error) {
	return enum.Marshal(originNames, o, "provider: origin")
}
func (o *Origin) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(originNames, o, b, "provider: origin"))
}

// Complaint reports whether the case was opened by a complaint.
func (o Origin) Complaint() bool { return o == MerchantComplaint || o == UserComplaint }

// Status is where a case stands. The zero value is invalid.
type Status uint8

// The statuses of a case.
const (
	Investigating Status = 1 // opened, not judged; temporary measures may be in force (PRV-13)
	Judged        Status = 2 // a violation judged, measures taken, the notice email not yet sent (PRV-9)
	Noticed       Status = 3 // the notice was sent; the objection period runs (PRV-9)
	Objected      Status = 4 // the provider objected with proof; awaiting the platform's ruling (PRV-9)
	Final         Status = 5 // the violation stands: no objection in time, or the objection failed
	Cancelled     Status = 6 // the objection's proof was valid: the measures were cancelled (PRV-9)
	Cleared       Status = 7 // no violation found: temporary measures lifted at once (PRV-13)
)

var statusNames = enum.Names{"invalid", "investigating", "judged", "noticed", "objected", "final", "cancelled", "cleared"}

func (s Status) String() string { return enum.String(statusNames, s) }

// IsValid reports whether s is a Status other than the invalid zero value.
func (s Status) IsValid() bool { return enum.IsValid(statusNames, s) }
func (s Status) MarshalText() ([]byte, error) {
	return enum.Marshal(statusNames, s, "provider: status")
}
func (s *Status) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(statusNames, s, b, "provider: status"))
}

// Closed reports whether no further event changes the case's judgment.
func (s Status) Closed() bool { return s == Final || s == Cancelled || s == Cleared }

// Standing is the provider's standing with the platform. The zero value
// is invalid. Once a provider is not Active it never is again.
type Standing uint8

// The standings of a provider.
const (
	Active     Standing = 1 // cooperating
	Terminated Standing = 2 // cooperation ended early for a serious Class II or III violation (PRV-11)
	Barred     Standing = 3 // every agreement ended for a Class I violation; no future cooperation (PRV-10)
)

var standingNames = enum.Names{"invalid", "active", "terminated", "barred"}

func (s Standing) String() string { return enum.String(standingNames, s) }

// IsValid reports whether s is a Standing other than the invalid zero value.
func (s Standing) IsValid() bool { return enum.IsValid(standingNames, s) }
func (s Standing) MarshalText() ([]byte, error) {
	return enum.Marshal(standingNames, s, "provider: standing")
}
func (s *Standing) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(standingNames, s, b, "provider: standing"))
}

// Measure is one restrictive measure (SP §6). The zero value is invalid.
type Measure uint8

// The measures, in the order effects list them.
const (
	ExtendSettlement Measure = 1 // the settlement cycle is extended (PRV-11)
	StopResources    Measure = 2 // the platform's official operation resources are stopped (PRV-11)
	DeductFees       Measure = 3 // the current month's rewards or service fees are deducted (PRV-11)
	WithholdFees     Measure = 4 // unsettled fees are not paid (PRV-10)
	Terminate        Measure = 5 // the agreements are terminated (PRV-10, PRV-11 if serious)
)

var measureNames = enum.Names{"invalid", "extend_settlement", "stop_resources", "deduct_fees", "withhold_fees", "terminate"}

func (m Measure) String() string { return enum.String(measureNames, m) }

// IsValid reports whether m is a Measure other than the invalid zero value.
func (m Measure) IsValid() bool { return enum.IsValid(measureNames, m) }
func (m Measure) MarshalText() ([]byte, error) {
	return enum.Marshal(measureNames, m, "provider: measure")
}
func (m *Measure) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(measureNames, m, b, "provider: measure"))
}

// Subject is whom a credit report concerns (PRV-12). The zero value is
// invalid.
type Subject uint8

// The subjects of a credit report.
const (
	Company       Subject = 1 // the provider's company
	LegalPerson   Subject = 2 // its legal person
	KeyManagers   Subject = 3 // its key management personnel
	StaffInvolved Subject = 4 // the staff involved in the violation (named in the finding)
)

var subjectNames = enum.Names{"invalid", "company", "legal_person", "key_managers", "staff_involved"}

func (s Subject) String() string { return enum.String(subjectNames, s) }

// IsValid reports whether s is a Subject other than the invalid zero value.
func (s Subject) IsValid() bool { return enum.IsValid(subjectNames, s) }
func (s Subject) MarshalText() ([]byte, error) {
	return enum.Marshal(subjectNames, s, "provider: subject")
}
func (s *Subject) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(subjectNames, s, b, "provider: subject"))
}
