package provider

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/internal/enum"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Applicant is what the platform knows of a company applying to be a
// service provider (PRV-2, SP §2).
type Applicant struct {
	LicenceComplete    bool     `json:"licence_complete"`    // (1) business licence and main qualifications complete
	GoodReputation     bool     `json:"good_reputation"`     // (1) good business reputation
	BusinessScale      bool     `json:"business_scale"`      // (2) a certain business scale
	SoundFinances      bool     `json:"sound_finances"`      // (2) sound financial system, stable finances
	GoodCredit         bool     `json:"good_credit"`         // (3) good business credit
	Listed             []string `json:"listed,omitempty"`    // (3) abnormal-operation, prohibited or prudent-development lists it is on
	SuppliesSystems    bool     `json:"supplies_systems"`    // (4) it supplies systems to merchants
	SystemsSafe        bool     `json:"systems_safe"`        // (4) its software and hardware are safe and stable
	MerchantAgreements bool     `json:"merchant_agreements"` // (5) signed agreements with its merchants
}

// Condition is one admission condition of SP §2. The zero value is invalid.
type Condition uint8

// The admission conditions, in the order of SP §2.
const (
	LicenceComplete    Condition = 1 // (1)
	GoodReputation     Condition = 2 // (1)
	BusinessScale      Condition = 3 // (2)
	SoundFinances      Condition = 4 // (2)
	GoodCredit         Condition = 5 // (3)
	NotListed          Condition = 6 // (3)
	SafeSystems        Condition = 7 // (4), only for a provider that supplies systems
	MerchantAgreements Condition = 8 // (5)
)

var conditionNames = enum.Names{"invalid", "licence_complete", "good_reputation", "business_scale",
	"sound_finances", "good_credit", "not_listed", "safe_systems", "merchant_agreements"}

func (c Condition) String() string { return enum.String(conditionNames, c) }

// IsValid reports whether c is a Condition other than the invalid zero value.
func (c Condition) IsValid() bool { return enum.IsValid(conditionNames, c) }
func (c Condition) MarshalText() ([]byte, error) {
	return enum.Marshal(conditionNames, c, "provider: condition")
}
func (c *Condition) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(conditionNames, c, b, "provider: condition"))
}

// Unmet returns every admission condition a does not meet, in the order
// of SP §2 (PRV-2); none means a may be admitted.
func Unmet(a Applicant) []Condition {
	var out []Condition
	for _, c := range []struct {
		ok   bool
		cond Condition
	}{
		{a.LicenceComplete, LicenceComplete}, {a.GoodReputation, GoodReputation},
		{a.BusinessScale, BusinessScale}, {a.SoundFinances, SoundFinances},
		{a.GoodCredit, GoodCredit}, {len(a.Listed) == 0, NotListed},
		{!a.SuppliesSystems || a.SystemsSafe, SafeSystems}, {a.MerchantAgreements, MerchantAgreements},
	} {
		if !c.ok {
			out = append(out, c.cond)
		}
	}
	return out
}

// CheckAdmission refuses an applicant that misses any condition of SP §2
// with a *rules.RuleError wrapping [ErrNotAdmitted] (PRV-2) whose detail
// lists every unmet condition at once; [Unmet] gives them as values.
func CheckAdmission(a Applicant) error {
	unmet := Unmet(a)
	if len(unmet) == 0 {
		return nil
	}
	names := make([]string, len(unmet))
	for i, c := range unmet {
		names[i] = c.String()
		if c == NotListed {
			names[i] += " (on " + strings.Join(a.Listed, ", ") + ")"
		}
	}
	return rules.Refuse("PRV-2", ErrNotAdmitted, "%s", strings.Join(names, ", "))
}

// Scope is the business scope of SP §3.1: the services a provider may
// offer without the platform's prior written consent (PRV-3).
var scope = []string{
	// technical services
	"access_technical_services", // 1.1
	"install_designated_tools",  // 1.2, with explaining their use
	"upload_licence_data",       // 1.3
	// promotion and operation support
	"image_design",         // 2.1
	"activity_planning",    // 2.2
	"offline_promotion",    // 2.3
	"data_analysis",        // 2.4
	"brand_marketing",      // 2.5
	"online_store",         // 2.6
	"product_training",     // 2.7
	"designated_materials", // 2.7 (the source numbers it 2.7 twice)
}

// Scope returns the names of the services within SP §3.1's scope (PRV-3).
func Scope() []string { return slices.Clone(scope) }

// InScope reports whether the named service is within SP §3.1's scope.
func InScope(service string) bool { return slices.Contains(scope, service) }

// Service is a service a provider offers, from Started on.
type Service struct {
	Name    string    `json:"name"`
	Started time.Time `json:"started"`
}

// Consent is the platform's recorded consent to a service outside the
// scope (SP §3.1 1.4, 2.8).
type Consent struct {
	Service string    `json:"service"`
	At      time.Time `json:"at"`
	Written bool      `json:"written"`
}

// CheckScope refuses, with a *rules.RuleError wrapping [ErrOutOfScope]
// (PRV-3) that names every one of them, the services outside SP §3.1's
// scope that have no written consent recorded at or before they started.
// A service with an empty name or no start is invalid input ([ErrInvalid]).
func CheckScope(services []Service, consents []Consent) error {
	var bad []string
	for _, s := range services {
		if s.Name == "" || s.Started.IsZero() {
			return fmt.Errorf("%w: scope: service %q without a name or start", ErrInvalid, s.Name)
		}
		if InScope(s.Name) {
			continue
		}
		ok := slices.ContainsFunc(consents, func(c Consent) bool {
			return c.Service == s.Name && c.Written && !c.At.IsZero() && !c.At.After(s.Started)
		})
		if !ok {
			bad = append(bad, s.Name)
		}
	}
	if len(bad) > 0 {
		return rules.Refuse("PRV-3", ErrOutOfScope, "no prior written consent for %s", strings.Join(bad, ", "))
	}
	return nil
}

// Duty is one management duty of SP §3.2 that can be checked over a
// provider's records (PRV-4). The zero value is invalid.
type Duty uint8

// The checkable duties.
const (
	TrainingRecord    Duty = 1 // (2) a training record per merchant
	ReturnVisitRecord Duty = 2 // (2) a return-visit record per merchant
	Encryption        Duty = 3 // (3) sensitive information is encrypted
	DataDeletion      Duty = 4 // (4) a user's data deleted on request, within data_deletion_period
)

var dutyNames = enum.Names{"invalid", "training_record", "return_visit_record", "encryption", "data_deletion"}

func (d Duty) String() string { return enum.String(dutyNames, d) }

// IsValid reports whether d is a Duty other than the invalid zero value.
func (d Duty) IsValid() bool                { return enum.IsValid(dutyNames, d) }
func (d Duty) MarshalText() ([]byte, error) { return enum.Marshal(dutyNames, d, "provider: duty") }
func (d *Duty) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(dutyNames, d, b, "provider: duty"))
}

// Records is what a provider keeps for the duties of SP §3.2.
type Records struct {
	Merchants         []string   `json:"merchants"`
	Trainings         []string   `json:"trainings,omitempty"`     // merchants with a training record
	ReturnVisits      []string   `json:"return_visits,omitempty"` // merchants with a return-visit record
	EncryptsSensitive bool       `json:"encrypts_sensitive"`
	Deletions         []Deletion `json:"deletions,omitempty"`
}

// Deletion is a user's request to delete its data, and when (if yet) it
// was deleted.
type Deletion struct {
	User        string    `json:"user"`
	RequestedAt time.Time `json:"requested_at"`
	DeletedAt   time.Time `json:"deleted_at,omitzero"`
}

// Breach is one duty not met, and whom it concerns (a merchant or a user).
type Breach struct {
	Duty    Duty      `json:"duty"`
	Subject string    `json:"subject,omitempty"`
	Due     time.Time `json:"due,omitzero"` // data deletion: when it was due
}

// CheckDuties returns every breach of the checkable duties of SP §3.2
// (PRV-4) in r at now, in the order merchants, encryption, deletions. A
// deletion is due within data_deletion_period of the request, by the
// version in force at the request: one deleted at or after the due
// instant, or not deleted by now when now is at or after it, is a breach.
func (m *Machine) CheckDuties(r Records, now time.Time) ([]Breach, error) {
	var out []Breach
	trained, visited := set(r.Trainings), set(r.ReturnVisits)
	for _, mc := range r.Merchants {
		if mc == "" {
			return nil, fmt.Errorf("%w: duties: empty merchant ID", ErrInvalid)
		}
		if _, ok := trained[mc]; !ok {
			out = append(out, Breach{Duty: TrainingRecord, Subject: mc})
		}
		if _, ok := visited[mc]; !ok {
			out = append(out, Breach{Duty: ReturnVisitRecord, Subject: mc})
		}
	}
	if !r.EncryptsSensitive {
		out = append(out, Breach{Duty: Encryption})
	}
	for _, d := range r.Deletions {
		if d.User == "" || d.RequestedAt.IsZero() || (!d.DeletedAt.IsZero() && d.DeletedAt.Before(d.RequestedAt)) {
			return nil, fmt.Errorf("%w: duties: deletion request %q malformed", ErrInvalid, d.User)
		}
		due, _, err := window(m.policy.In(d.RequestedAt), dataDeletionPeriod, d.RequestedAt)
		if err != nil {
			return nil, err
		}
		late := !d.DeletedAt.IsZero() && !d.DeletedAt.Before(due)
		pending := d.DeletedAt.IsZero() && !now.Before(due)
		if late || pending {
			out = append(out, Breach{Duty: DataDeletion, Subject: d.User, Due: due})
		}
	}
	return out, nil
}

func set(xs []string) map[string]struct{} {
	m := make(map[string]struct{}, len(xs))
	for _, x := range xs {
		m[x] = struct{}{}
	}
	return m
}
