package provider

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/internal/money"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

var schema = rules.MustSchema("provider",
	rules.Decl{Name: "complaint_resolution", Rule: "PRV-8", Type: rules.Window,
		Doc: "When required, the provider resolves a complaint within this period of the case opening."},
	rules.Decl{Name: "objection_period", Rule: "PRV-9", Type: rules.Window,
		Doc: "The provider may object in writing with proof within this period of the notice being sent."},
	rules.Decl{Name: "significant_impact", Rule: "PRV-5", Type: rules.Bool,
		Doc: "Whether a finding has a significant adverse impact (SP §4.11, §4.26).",
		Inputs: []rules.Input{
			{Name: "finding.significant", Type: rules.Bool, Doc: "the platform judged the impact significant"},
			{Name: "finding.goodwill_damage", Type: rules.Bool, Doc: "goodwill was damaged"},
			{Name: "finding.asset_loss", Type: rules.Bool, Doc: "there was an actual asset loss"},
		}},
	rules.Decl{Name: "record_window", Rule: "PRV-11", Type: rules.Window,
		Doc: "The rolling window, ending at a violation, over which the record is counted."},
	rules.Decl{Name: "serious", Rule: "PRV-11", Type: rules.Bool,
		Doc: "Whether a Class II or III violation is serious enough to end cooperation (SP §6.2).",
		Inputs: []rules.Input{
			{Name: "record.class_i", Type: rules.Int, Doc: "Class I violations in the window"},
			{Name: "record.class_ii", Type: rules.Int, Doc: "Class II violations in the window, this one included"},
			{Name: "record.class_iii", Type: rules.Int, Doc: "Class III violations in the window, this one included"},
			{Name: "case.class", Type: rules.Int, Doc: "this violation's class: 1, 2 or 3"},
		}},
	rules.Decl{Name: "credit_report", Rule: "PRV-12", Type: rules.Bool,
		Doc: "Whether a final violation is reported to the credit-reporting system.",
		Inputs: []rules.Input{
			{Name: "case.class", Type: rules.Int, Doc: "the violation's class: 1, 2 or 3"},
			{Name: "case.terminated", Type: rules.Bool, Doc: "the violation ended cooperation"},
		}},
	rules.Decl{Name: "publish", Rule: "PRV-12", Type: rules.Bool,
		Doc: "Whether a final violation is published on the platform.",
		Inputs: []rules.Input{
			{Name: "case.class", Type: rules.Int, Doc: "the violation's class: 1, 2 or 3"},
			{Name: "case.terminated", Type: rules.Bool, Doc: "the violation ended cooperation"},
		}},
	rules.Decl{Name: "invalid_merchant_period", Rule: "PRV-1", Type: rules.Window,
		Doc: "A merchant with no real trade within this period after cooperation began is invalid."},
	rules.Decl{Name: "low_price", Rule: "PRV-1", Type: rules.Decimal,
		Doc: "A trade below this amount (yuan) is a low-price false-transaction signal."},
	rules.Decl{Name: "data_deletion_period", Rule: "PRV-4", Type: rules.Window,
		Doc: "A user's data is deleted within this period of the user's request."},
)

var (
	complaintResolution   = rules.MustKey[clock.Window](schema, "complaint_resolution")
	objectionPeriod       = rules.MustKey[clock.Window](schema, "objection_period")
	significantImpact     = rules.MustKey[bool](schema, "significant_impact")
	recordWindow          = rules.MustKey[clock.Window](schema, "record_window")
	seriousKey            = rules.MustKey[bool](schema, "serious")
	creditReport          = rules.MustKey[bool](schema, "credit_report")
	publishKey            = rules.MustKey[bool](schema, "publish")
	invalidMerchantPeriod = rules.MustKey[clock.Window](schema, "invalid_merchant_period")
	lowPrice              = rules.MustKey[decimal.Decimal](schema, "low_price")
	dataDeletionPeriod    = rules.MustKey[clock.Window](schema, "data_deletion_period")
)

var windowKeys = []rules.Key[clock.Window]{complaintResolution, objectionPeriod, recordWindow, invalidMerchantPeriod, dataDeletionPeriod}

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule file policy/provider.yaml,
// loaded once. It is immutable and safe for concurrent use.
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations of the provider policy, for loading or
// checking a host's own rule files with [rules.Load] or [LoadPolicy].
func Schema() *rules.Schema { return schema }

// LoadPolicy loads rule files against [Schema] with [rules.Load] and then
// checks what the rules package cannot know: every window of every
// version is non-negative and the low-price threshold is a valid amount.
// A host that loads with rules.Load directly should call [CheckPolicy].
func LoadPolicy(fsys fs.FS, patterns ...string) (*rules.Set, error) {
	set, err := rules.Load(schema, fsys, patterns...)
	if err != nil {
		return nil, err
	}
	if err := CheckPolicy(set); err != nil {
		return nil, err
	}
	return set, nil
}

// CheckPolicy reports every threshold of every version of set that this
// package cannot use, each wrapping [ErrPolicy]. [New] panics on a set
// that fails it, as on a set of another schema.
func CheckPolicy(set *rules.Set) error {
	if set.Schema() != schema {
		return fmt.Errorf("%w: a set of policy %q, not loaded against provider.Schema()", ErrPolicy, set.Policy())
	}
	var errs []error
	for _, v := range set.Versions() {
		for _, k := range windowKeys {
			if _, _, err := window(v, k, time.Time{}); err != nil {
				errs = append(errs, err)
			}
		}
		if _, err := lowPriceFen(v); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// window evaluates the window threshold k in v and returns the instant a
// period opened at from closes, with the decision that explains it.
func window(v *rules.Version, k rules.Key[clock.Window], from time.Time) (time.Time, rules.Decision, error) {
	w, err := rules.Get(v, k)
	dec := decision(v, k.Name(), k.Rule(), rules.FormatValue(w))
	if err != nil {
		return time.Time{}, dec, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if w.Duration < 0 {
		return time.Time{}, dec, fmt.Errorf("%w: %s = %v (version %s): negative window", ErrPolicy, k.Name(), w, v.Date())
	}
	return w.End(from, v.Zone()), dec, nil
}

// decision is the structured decision of a threshold: rule, version,
// threshold, expression, its source and value. Hot paths evaluate with
// rules.Get and record this; [rules.Version.Explain] gives the inputs too.
func decision(v *rules.Version, name, rule, value string) rules.Decision {
	expr, _ := v.Expr(name)
	src, _ := v.Source(name)
	return rules.Decision{Rule: rule, Policy: v.Policy(), Version: v.Date(), Threshold: name, Expr: expr, Value: value, Source: src}
}

// lowPriceFen returns the low-price threshold in fen.
func lowPriceFen(v *rules.Version) (int64, error) {
	d, err := rules.Get(v, lowPrice)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	fen, err := money.Amount(d)
	if err != nil {
		return 0, fmt.Errorf("%w: low_price = %s (version %s): %w", ErrPolicy, d, v.Date(), err)
	}
	return fen, nil
}

// evalBool evaluates a bool threshold with its decision.
func evalBool(v *rules.Version, k rules.Key[bool], args ...any) (bool, rules.Decision, error) {
	b, err := rules.Get(v, k, args...)
	dec := decision(v, k.Name(), k.Rule(), rules.FormatValue(b))
	if err != nil {
		return false, dec, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return b, dec, nil
}
