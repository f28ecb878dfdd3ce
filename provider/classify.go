package provider

import (
	"fmt"
	"slices"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Finding is what the platform found in a case: the clause of SP §4 the
// act falls under and the facts that classify it.
type Finding struct {
	Clause Clause `json:"clause"`
	// Significant, GoodwillDamage and AssetLoss are the facts of a
	// significant adverse impact (SP §4.11, §4.26); the policy's
	// significant_impact threshold reads them.
	Significant    bool `json:"significant,omitempty"`
	GoodwillDamage bool `json:"goodwill_damage,omitempty"`
	AssetLoss      bool `json:"asset_loss,omitempty"`
	// NoticeSent and FactorRemained are the facts of SP §4.31: the
	// platform notified the provider of an unsafe factor, and the factor
	// remained after the notice.
	NoticeSent     bool `json:"notice_sent,omitempty"`
	FactorRemained bool `json:"factor_remained,omitempty"`
	// Staff names the provider's staff involved, whom a credit report
	// concerns (PRV-12).
	Staff []string `json:"staff,omitempty"`
}

// Classification is the class a finding gives (PRV-5 … PRV-7).
type Classification struct {
	Clause    Clause `json:"clause"`
	Violation bool   `json:"violation"`       // false: 4.31 without the notice and the remaining factor
	Class     Class  `json:"class,omitzero"`  // zero when Violation is false
	Lifted    Clause `json:"lifted,omitzero"` // 4.11 or 4.26 when the impact lifted the class
	Version   string `json:"version"`         // the policy version that classified it
}

// Classify classifies f by version v of the provider policy:
//   - the class is the one SP §4 lists the clause under (PRV-5 … PRV-7);
//   - 4.31 is a violation only if the platform's notice was sent and the
//     unsafe factor remained after it (PRV-7);
//   - a Class II violation with a significant adverse impact is Class I
//     (4.11, PRV-5), a Class III one is Class II (4.26, PRV-6). Reading:
//     the lift is one step; one impact does not lift Class III to Class I.
//
// A finding naming 4.11 or 4.26 itself is refused with [ErrLiftClause]: it
// names the clause of the act, and the impact facts do the lifting. An
// invalid clause is refused with [ErrUnknownClause]. Every decision names
// the clause and v's date.
func Classify(v *rules.Version, f Finding) (Classification, []rules.Decision, error) {
	return classify(v, f, make([]rules.Decision, 0, 3))
}

// classify is Classify appending its decisions to decs.
func classify(v *rules.Version, f Finding, decs []rules.Decision) (Classification, []rules.Decision, error) {
	info, ok := f.Clause.Info()
	if !ok {
		return Classification{}, decs, refuseClause(f.Clause.String())
	}
	if info.Kind == Escalation {
		return Classification{}, decs, rules.Refuse(info.Rule, ErrLiftClause,
			"%s lifts a lower class; name the clause of the act and its impact", info.Source)
	}
	c := Classification{Clause: f.Clause, Version: v.Date()}
	if info.Kind == AfterNotice && !(f.NoticeSent && f.FactorRemained) {
		decs = append(decs, rules.Decision{Rule: info.Rule, Policy: v.Policy(), Version: v.Date(), Value: "no violation",
			Note: fmt.Sprintf("%s: notice sent %t, factor remained after it %t", info.Source, f.NoticeSent, f.FactorRemained)})
		return c, decs, nil
	}
	c.Violation, c.Class = true, info.Class
	decs = append(decs, rules.Decision{Rule: info.Rule, Policy: v.Policy(), Version: v.Date(), Value: info.Class.String(),
		Note: info.Source + " " + info.Title})
	if info.Class == ClassI {
		return c, decs, nil
	}
	sig, dec, err := evalBool(v, significantImpact, f.Significant, f.GoodwillDamage, f.AssetLoss)
	dec.Note = info.Source
	decs = append(decs, dec)
	if err != nil {
		return Classification{}, decs, err
	}
	if sig {
		lift := clauses[11]
		if info.Class == ClassIII {
			lift = clauses[26]
		}
		c.Class, c.Lifted = lift.Class, lift.Clause
		decs = append(decs, rules.Decision{Rule: lift.Rule, Policy: v.Policy(), Version: v.Date(), Value: lift.Class.String(),
			Note: lift.Source + ": " + info.Source + " with a significant adverse impact"})
	}
	return c, decs, nil
}

// validFinding reports what is wrong with a stored finding, or "".
func validFinding(f Finding) string {
	if !f.Clause.IsValid() {
		return fmt.Sprintf("clause %v", f.Clause)
	}
	if slices.Contains(f.Staff, "") {
		return "an empty staff name"
	}
	return ""
}
