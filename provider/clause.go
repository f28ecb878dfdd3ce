package provider

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tradepolicy/tradepolicy/internal/enum"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Class is the class of a violation (PRV-5 … PRV-7). The zero value is
// invalid; Class I is the gravest.
type Class uint8

// The violation classes.
const (
	ClassI   Class = 1 // PRV-5, SP §4.1–4.12
	ClassII  Class = 2 // PRV-6, SP §4.13–4.26
	ClassIII Class = 3 // PRV-7, SP §4.27–4.32
)

var classNames = enum.Names{"invalid", "class_i", "class_ii", "class_iii"}

func (c Class) String() string { return enum.String(classNames, c) }

// IsValid reports whether c is a Class other than the invalid zero value.
func (c Class) IsValid() bool                { return enum.IsValid(classNames, c) }
func (c Class) MarshalText() ([]byte, error) { return enum.Marshal(classNames, c, "provider: class") }
func (c *Class) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(classNames, c, b, "provider: class"))
}

// Rule returns the rule ID that lists the class's clauses.
func (c Class) Rule() string {
	switch c {
	case ClassI:
		return "PRV-5"
	case ClassII:
		return "PRV-6"
	case ClassIII:
		return "PRV-7"
	}
	return ""
}

// Clause is one clause of SP §4, "4.1" … "4.32": its value is the number
// after "4.". The source has no 4.23, so Clause(23) is invalid, like the
// zero value; every valid clause is listed by [Clauses].
type Clause uint8

// ClauseInfo describes one clause of SP §4 as the catalogue holds it.
type ClauseInfo struct {
	Clause Clause
	Class  Class  // the class the clause lists it under
	Title  string // a short title
	Source string // the reference to its source text, "SP §4.17"
	Rule   string // the rule ID of RULES.md that lists it
	// Kind says how the clause judges: a plain listing, an escalation
	// (4.11, 4.26), or a violation only on a further fact (4.31).
	Kind ClauseKind
}

// ClauseKind says how a clause judges.
type ClauseKind uint8

// The kinds of clauses.
const (
	Listed      ClauseKind = 1 // the act is a violation of the clause's class
	Escalation  ClauseKind = 2 // 4.11, 4.26: lifts a lower class with a significant adverse impact
	AfterNotice ClauseKind = 3 // 4.31: a violation only if the factor remained after the platform's notice
	Discretion  ClauseKind = 4 // 4.12, 4.25, 4.30: other cases the platform includes in the class
)

var clauseKindNames = enum.Names{"invalid", "listed", "escalation", "after_notice", "discretion"}

func (k ClauseKind) String() string { return enum.String(clauseKindNames, k) }

// IsValid reports whether k is a ClauseKind other than the invalid zero value.
func (k ClauseKind) IsValid() bool { return enum.IsValid(clauseKindNames, k) }
func (k ClauseKind) MarshalText() ([]byte, error) {
	return enum.Marshal(clauseKindNames, k, "provider: clause kind")
}
func (k *ClauseKind) UnmarshalText(b []byte) error {
	return wrapInvalid(enum.Unmarshal(clauseKindNames, k, b, "provider: clause kind"))
}

// clauses is the catalogue of SP §4, by clause number (index 0 and 23 empty).
var clauses = func() [33]ClauseInfo {
	var t [33]ClauseInfo
	add := func(n int, class Class, kind ClauseKind, title string) {
		t[n] = ClauseInfo{Clause: Clause(n), Class: class, Kind: kind, Title: title,
			Source: "SP §4." + strconv.Itoa(n), Rule: class.Rule()}
	}
	add(1, ClassI, Listed, "violation of national laws and regulations")
	add(2, ClassI, Listed, "violation of regulatory documents of regulators or industry associations")
	add(3, ClassI, Listed, "damage to the platform's credit brand and image")
	add(4, ClassI, Listed, "unfair profiteering")
	add(5, ClassI, Listed, "unauthorized subcontracting, abuse or sale of the interface, or interface-configuration breach")
	add(6, ClassI, Listed, "stealing resources or information, misappropriating merchant funds")
	add(7, ClassI, Listed, "disclosing or reselling user information")
	add(8, ClassI, Listed, "breach of confidentiality")
	add(9, ClassI, Listed, "merchants querying without users' legal and effective authorization")
	add(10, ClassI, Listed, "failing information-feedback and objection-handling duties")
	add(11, ClassI, Escalation, "a Class II violation with a significant adverse impact")
	add(12, ClassI, Discretion, "other infringement the platform includes in Class I")
	add(13, ClassII, Listed, "counterfeiting, or unauthorized use of marks, logos and slogans")
	add(14, ClassII, Listed, "defamation of the platform, its products or staff")
	add(15, ClassII, Listed, "improper, exaggerated or false publicity")
	add(16, ClassII, Listed, "improper use of others' rights")
	add(17, ClassII, Listed, "fraud, incl. forged materials or recommending false, invalid or duplicate merchants")
	add(18, ClassII, Listed, "market disturbance and improper operation")
	add(19, ClassII, Listed, "spamming information")
	add(20, ClassII, Listed, "cash-out or marketing-resource fraud (order brushing, order splitting)")
	add(21, ClassII, Listed, "improper management: a number of violating merchants")
	add(22, ClassII, Listed, "asking for merchants' accounts and passwords")
	add(24, ClassII, Listed, "abuse, intimidation, threats or harassment of merchants")
	add(25, ClassII, Discretion, "other infringement the platform includes in Class II")
	add(26, ClassII, Escalation, "a Class III violation with a significant adverse impact")
	add(27, ClassIII, Listed, "lack of service")
	add(28, ClassIII, Listed, "not returning true and complete transaction or service information")
	add(29, ClassIII, Listed, "letting a third party use its account")
	add(30, ClassIII, Discretion, "other infringement the platform includes in Class III")
	add(31, ClassIII, AfterNotice, "unsafe factors not eliminated after the platform's notice")
	add(32, ClassIII, Listed, "other breach of the service contract")
	return t
}()

// Clauses returns every clause of SP §4 in order: 4.1 … 4.32 without 4.23.
func Clauses() []ClauseInfo {
	out := make([]ClauseInfo, 0, 31)
	for _, c := range clauses {
		if c.Clause != 0 {
			out = append(out, c)
		}
	}
	return out
}

// Info returns the catalogue entry of c and whether c is a clause.
func (c Clause) Info() (ClauseInfo, bool) {
	if int(c) >= len(clauses) || clauses[c].Clause == 0 {
		return ClauseInfo{}, false
	}
	return clauses[c], true
}

// IsValid reports whether c is a clause of SP §4.
// IsValid reports whether c is a Clause other than the invalid zero value.
func (c Clause) IsValid() bool { _, ok := c.Info(); return ok }

// String returns "4.N", or "invalid(N)" for a value that is no clause.
func (c Clause) String() string {
	if !c.IsValid() {
		return fmt.Sprintf("invalid(%d)", uint8(c))
	}
	return "4." + strconv.Itoa(int(c))
}

// MarshalText writes "4.N"; an invalid clause is an error wrapping ErrInvalid.
func (c Clause) MarshalText() ([]byte, error) {
	if !c.IsValid() {
		return nil, fmt.Errorf("%w: clause %d", ErrInvalid, uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText reads "4.N", refusing anything that is not a clause.
func (c *Clause) UnmarshalText(b []byte) error {
	v, err := ParseClause(string(b))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	*c = v
	return nil
}

// ParseClause returns the clause named s ("4.17", or "SP §4.17"). A name
// that is no clause — 4.23, 4.33, "5.1" — is refused with a
// *rules.RuleError wrapping [ErrUnknownClause] that names it.
func ParseClause(s string) (Clause, error) {
	t := strings.TrimPrefix(s, "SP §")
	if rest, ok := strings.CutPrefix(t, "4."); ok && len(rest) > 0 && len(rest) <= 2 && rest[0] != '0' {
		if n, err := strconv.Atoi(rest); err == nil && n > 0 {
			if c := Clause(n); c.IsValid() {
				return c, nil
			}
		}
	}
	return 0, refuseClause(s)
}

// refuseClause names the clause refused, under the rule whose range of
// SP §4 it falls in (4.23, which the source skips, under PRV-6).
func refuseClause(s string) error {
	rule := "PRV-5"
	if rest, ok := strings.CutPrefix(strings.TrimPrefix(s, "SP §"), "4."); ok {
		if n, err := strconv.Atoi(rest); err == nil {
			switch {
			case n >= 27:
				rule = "PRV-7"
			case n >= 13:
				rule = "PRV-6"
			}
		}
	}
	return rules.Refuse(rule, ErrUnknownClause, "%q is not a clause of SP §4 (4.1 … 4.32, no 4.23)", s)
}

func wrapInvalid(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, err)
}
