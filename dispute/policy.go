package dispute

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policy/*.yaml
var policyFS embed.FS

// recordInputs are the inputs of the DSP-10 severity thresholds: the
// merchant's valid complaints within record_window.
var recordInputs = []rules.Input{
	{Name: "record.total", Type: rules.Int, Doc: "valid complaints within record_window"},
	{Name: "record.worst", Type: rules.Int, Doc: "valid complaints of the type that has most within record_window"},
	{Name: "record.types", Type: rules.Int, Doc: "how many complaint types have a valid complaint within record_window"},
	{Name: "record.latest", Type: rules.String, Doc: "the type of the complaint just recorded (\"\" when evaluating without one)"},
	{Name: "record.of_latest", Type: rules.Int, Doc: "valid complaints of that type within record_window"},
}

var schema = rules.MustSchema("dispute",
	rules.Decl{Name: "complaint_types", Rule: "DSP-1", Type: rules.Strings,
		Doc: "The complaint types; a filing of an unlisted type files as \"other\"."},
	rules.Decl{Name: "shipping_proof", Rule: "DSP-1", Type: rules.Bool,
		Doc: "Whether a complaint puts the burden of proving shipment on the merchant (DR art.5).",
		Inputs: []rules.Input{
			{Name: "complaint.type", Type: rules.String, Doc: "the complaint's type, after the DSP-1 list"},
			{Name: "complaint.not_received", Type: rules.Bool, Doc: "the buyer says the goods were not received"},
		}},
	rules.Decl{Name: "complaint_window", Rule: "DSP-3", Type: rules.Window,
		Doc: "A completed trade accepts complaints until this period after completion."},
	rules.Decl{Name: "reply_period", Rule: "DSP-4", Type: rules.Window,
		Doc: "The merchant replies within this period of the round's start (filing, or the buyer's \"unsatisfied\")."},
	rules.Decl{Name: "day3_end", Rule: "DSP-5", Type: rules.Window,
		Doc: "Day 3 ends this period after the round's start; with neither a reply nor an intervention request by then the complaint closes valid."},
	rules.Decl{Name: "feedback_period", Rule: "DSP-6", Type: rules.Window,
		Doc: "After a reply the buyer marks it unsatisfied within this period, else is deemed satisfied."},
	rules.Decl{Name: "unsatisfied_intervention", Rule: "DSP-7", Type: rules.Bool,
		Doc: "True: after \"unsatisfied\" the buyer may ask for intervention at once; false: only from day 3 of the new round."},
	rules.Decl{Name: "report_routed", Rule: "DSP-8", Type: rules.Strings,
		Doc: "Report kinds handed to the platform's separate rules, filed and routed, not judged."},
	rules.Decl{Name: "lock_shift", Rule: "DSP-9", Type: rules.Bool,
		Doc: "True: after a lock ends, complaint deadlines move later by the locked time; false: they keep their instants and any that passed fire at the unlock."},
	rules.Decl{Name: "record_window", Rule: "DSP-10", Type: rules.Window,
		Doc: "A valid complaint counts in the merchant's record for these calendar days, counted from the day after it was judged."},
	rules.Decl{Name: "penalty_search_demotion", Rule: "DSP-10", Type: rules.Bool, Inputs: recordInputs,
		Doc: "Whether the record warrants search demotion."},
	rules.Decl{Name: "penalty_no_activities", Rule: "DSP-10", Type: rules.Bool, Inputs: recordInputs,
		Doc: "Whether the record warrants the loss of activity eligibility."},
	rules.Decl{Name: "penalty_no_ads", Rule: "DSP-10", Type: rules.Bool, Inputs: recordInputs,
		Doc: "Whether the record warrants the loss of ad placements."},
	rules.Decl{Name: "penalty_forced_delisting", Rule: "DSP-10", Type: rules.Bool, Inputs: recordInputs,
		Doc: "Whether the record warrants forced delisting of goods."},
	rules.Decl{Name: "penalty_deregistration", Rule: "DSP-10", Type: rules.Bool, Inputs: recordInputs,
		Doc: "Whether the record warrants deregistration of the merchant."},
	rules.Decl{Name: "escalate_after_reminder", Rule: "DSP-11", Type: rules.Bool,
		Doc: "True: a buyer escalates by hotline or online service only after a reminder by messaging; false: at once."},
)

var (
	keyTypes          = rules.MustKey[[]string](schema, "complaint_types")
	keyShippingProof  = rules.MustKey[bool](schema, "shipping_proof")
	keyWindow         = rules.MustKey[clock.Window](schema, "complaint_window")
	keyReply          = rules.MustKey[clock.Window](schema, "reply_period")
	keyDay3End        = rules.MustKey[clock.Window](schema, "day3_end")
	keyFeedback       = rules.MustKey[clock.Window](schema, "feedback_period")
	keyUnsatisfiedInt = rules.MustKey[bool](schema, "unsatisfied_intervention")
	keyRouted         = rules.MustKey[[]string](schema, "report_routed")
	keyLockShift      = rules.MustKey[bool](schema, "lock_shift")
	keyRecordWindow   = rules.MustKey[clock.Window](schema, "record_window")
	keyEscalate       = rules.MustKey[bool](schema, "escalate_after_reminder")
	keyPenalty        = [...]rules.Key[bool]{
		SearchDemotion:  rules.MustKey[bool](schema, "penalty_search_demotion"),
		NoActivities:    rules.MustKey[bool](schema, "penalty_no_activities"),
		NoAds:           rules.MustKey[bool](schema, "penalty_no_ads"),
		ForcedDelisting: rules.MustKey[bool](schema, "penalty_forced_delisting"),
		Deregistration:  rules.MustKey[bool](schema, "penalty_deregistration"),
	}
)

var defaultPolicy = rules.Embedded(schema, policyFS, "policy/*.yaml")

// DefaultPolicy returns the embedded rule files policy/*.yaml (the
// versions of 2018-12-29 and 2023-07-23), loaded once. It is immutable
// and safe for concurrent use.
func DefaultPolicy() *rules.Set { return defaultPolicy() }

// Schema returns the declarations of the dispute policy, for loading or
// checking a host's own rule files with [rules.Load].
func Schema() *rules.Schema { return schema }

// LoadPolicy loads rule files of policy "dispute" from fsys, as
// [rules.Load] does, and checks their constant thresholds with
// [CheckPolicy].
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

// CheckPolicy reports, wrapping [ErrPolicy], the first threshold of any
// version of set that is out of range: a negative window; a day 3 that
// does not end after the reply deadline; a record_window that is not 1 to
// 3,660 calendar days; a complaint type or routed report kind that is not
// a lower_snake_case name (or not a report kind). A machine refuses to
// judge by such a version at run time too; a host that overrides
// thresholds calls CheckPolicy once after loading.
func CheckPolicy(set *rules.Set) error {
	if set == nil || set.Schema() != schema {
		return fmt.Errorf("%w: not a set loaded against dispute.Schema()", ErrPolicy)
	}
	for _, v := range set.Versions() {
		if err := checkVersion(v); err != nil {
			return err
		}
	}
	return nil
}

// ref is the instant CheckPolicy measures windows from.
var ref = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

func checkVersion(v *rules.Version) error {
	bad := func(name, format string, args ...any) error {
		return fmt.Errorf("%w: version %s: %s: %s", ErrPolicy, v.Date(), name, fmt.Sprintf(format, args...))
	}
	for _, k := range []rules.Key[clock.Window]{keyWindow, keyReply, keyDay3End, keyFeedback, keyRecordWindow} {
		w, err := rules.Get(v, k)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		if w.Duration < 0 {
			return bad(k.Name(), "negative window %v", w)
		}
	}
	reply, _ := rules.Get(v, keyReply)
	day3, _ := rules.Get(v, keyDay3End)
	if !day3.End(ref, v.Zone()).After(reply.End(ref, v.Zone())) {
		return bad(keyDay3End.Name(), "%v does not end after reply_period %v", day3, reply)
	}
	if rw, _ := rules.Get(v, keyRecordWindow); !rw.IsCalendar() || rw.Days > maxRecordDays {
		return bad(keyRecordWindow.Name(), "%v is not days(1) to days(%d)", rw, maxRecordDays)
	}
	types, err := rules.Get(v, keyTypes)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	for _, t := range types {
		if !validName(t) {
			return bad(keyTypes.Name(), "type %q is not lower_snake_case", t)
		}
	}
	routed, err := rules.Get(v, keyRouted)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	for _, k := range routed {
		var rk ReportKind
		if rk.UnmarshalText([]byte(k)) != nil {
			return bad(keyRouted.Name(), "%q is not a report kind", k)
		}
	}
	return nil
}

// maxRecordDays bounds record_window: a record keeps at most one bucket
// per day of the window.
const maxRecordDays = 3660

// windowKeys are the window thresholds of the complaint machine; their
// texts are cached per version by [New].
var windowKeys = [...]rules.Key[clock.Window]{keyWindow, keyReply, keyDay3End, keyFeedback}

// textKey names one window threshold of one version.
type textKey struct {
	v    *rules.Version
	name string
}

// windowTexts returns the text of every window threshold of every
// version of set, for decisions: a window that reads no input is a
// constant, so its text is written once, not at every transition.
func windowTexts(set *rules.Set) map[textKey]string {
	out := map[textKey]string{}
	for _, v := range set.Versions() {
		for _, k := range windowKeys {
			if w, err := rules.Get(v, k); err == nil {
				out[textKey{v, k.Name()}] = rules.FormatValue(w)
			}
		}
	}
	return out
}

// day3Notes are the notes of the two DSP-5 timeouts, naming
// reply_period and day3_end with the values of one version, so that a
// version that moves day 3 reads true.
type day3Notes struct{ overdue, closed string }

// newDay3Notes writes the notes from the texts of the two windows.
func newDay3Notes(reply, day3 string) day3Notes {
	return day3Notes{
		overdue: "no reply within " + reply + ": until " + day3 +
			" after the round began, the buyer may ask for intervention and a late reply is still accepted",
		closed: "neither a reply nor an intervention request within " + day3 + ": closed, valid",
	}
}

// noteTexts writes the DSP-5 notes of every version of set once, by
// version date, from the window texts.
func noteTexts(set *rules.Set, texts map[textKey]string) map[string]day3Notes {
	out := map[string]day3Notes{}
	for _, v := range set.Versions() {
		named := func(k rules.Key[clock.Window]) string {
			if text, ok := texts[textKey{v, k.Name()}]; ok {
				return k.Name() + " = " + text
			}
			return k.Name()
		}
		out[v.Date()] = newDay3Notes(named(keyReply), named(keyDay3End))
	}
	return out
}

// windowEnd evaluates window k of version v from instant from, with the
// decision that explains it (rule, policy, version, threshold, value).
// The window and its decision come from the pins when New could read
// them (a window reads no input: it is a constant of its version).
func (m *Machine) windowEnd(v *rules.Version, k rules.Key[clock.Window], from time.Time) (time.Time, rules.Decision, error) {
	var p *pinnedWindow
	if vp := m.pins[v]; vp != nil {
		for i := range windowKeys {
			if windowKeys[i] == k && vp.windows[i].ok {
				p = &vp.windows[i]
				break
			}
		}
	}
	var w clock.Window
	if p != nil {
		w = p.w
	} else {
		var err error
		if w, err = rules.Get(v, k); err != nil {
			return time.Time{}, rules.Decision{}, fmt.Errorf("%w: %w", ErrPolicy, err)
		}
	}
	if w.Duration < 0 {
		return time.Time{}, rules.Decision{}, fmt.Errorf("%w: version %s: %s = %v: negative window", ErrPolicy, v.Date(), k.Name(), w)
	}
	if p != nil {
		return w.End(from, v.Zone()), p.dec, nil
	}
	return w.End(from, v.Zone()), windowDecision(v, k, rules.FormatValue(w)), nil
}

// windowDecision is the decision that window k of v, whose value is
// written text, set a deadline.
func windowDecision(v *rules.Version, k rules.Key[clock.Window], text string) rules.Decision {
	return rules.Decision{Rule: k.Rule(), Policy: "dispute", Version: v.Date(), Threshold: k.Name(), Value: text}
}
