package rules

import "strings"

// VersionDiff is what one version of an effective set changes against a
// base set: its zone and the thresholds whose expressions differ. See
// [Diff].
type VersionDiff struct {
	// Version is the date of the effective version.
	Version string
	// Base is the date of the base version it is compared with: the base
	// version of the same date or, when Added, the base version in force
	// from Version's date.
	Base string
	// Added is true when the base set holds no version of that date.
	Added bool
	// FromZone and ToZone name the zones of the base and the effective
	// version; they are equal when the zone did not change.
	FromZone, ToZone string
	// Changes are the thresholds whose expressions differ, in the
	// schema's declaration order.
	Changes []Change
}

// ZoneChanged reports whether the effective version has another zone.
func (d VersionDiff) ZoneChanged() bool { return d.FromZone != d.ToZone }

// Change is one threshold whose expression differs between a base and an
// effective version.
type Change struct {
	Threshold string // the threshold's name
	Rule      string // the rule ID it serves
	From, To  Definition
}

// SameValue reports whether only the expression changed: a threshold that
// reads no input still evaluates to the base's value.
func (c Change) SameValue() bool { return c.From.Value != "" && c.From.Value == c.To.Value }

// Definition is a threshold as one version defines it.
type Definition struct {
	Expr   string // the CEL expression as written
	Value  string // [FormatValue] of its value; "" for a threshold that reads inputs
	Source string // "file:line:col" of the expression
}

// Diff compares every version of effective with base, earliest first: a
// version with the same date as one of base's against that one, an added
// version against the base version in force from its date. It returns
// only the versions that are added, change the zone or change a
// threshold; nil when effective changes nothing (or either set is nil).
//
// Two expressions that differ only in leading or trailing space are the
// same; an override that writes the default's expression again is no
// change. effective is meant to be base with overrides
// ([Set.Override], [Set.OverrideExpr]); the thresholds compared are those
// of effective's schema, and one that base does not declare has an empty
// From.
func Diff(base, effective *Set) []VersionDiff {
	if base == nil || effective == nil {
		return nil
	}
	decls := effective.Schema().Decls()
	var out []VersionDiff
	for _, ev := range effective.Versions() {
		bv, exists := base.Version(ev.Date())
		if !exists {
			bv = base.In(ev.Effective())
		}
		vd := VersionDiff{Version: ev.Date(), Base: bv.Date(), Added: !exists,
			FromZone: bv.Zone().String(), ToZone: ev.Zone().String()}
		for _, d := range decls {
			from, to := definition(bv, d), definition(ev, d)
			if strings.TrimSpace(from.Expr) == strings.TrimSpace(to.Expr) {
				continue
			}
			vd.Changes = append(vd.Changes, Change{Threshold: d.Name, Rule: d.Rule, From: from, To: to})
		}
		if vd.Added || vd.ZoneChanged() || len(vd.Changes) > 0 {
			out = append(out, vd)
		}
	}
	return out
}

// definition returns how v defines the threshold d.
func definition(v *Version, d Decl) Definition {
	var def Definition
	def.Expr, _ = v.Expr(d.Name)
	def.Source, _ = v.Source(d.Name)
	if len(d.Inputs) == 0 {
		if x, err := v.Eval(d.Name); err == nil {
			def.Value = FormatValue(x)
		}
	}
	return def
}
