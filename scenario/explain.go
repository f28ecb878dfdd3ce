package scenario

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// Explain writes why step n (1-based) of the run gave what it gave: the
// deadlines that fired before it, one plain sentence per decision, the
// effects, the refusal and what is pending next.
func (r Report) Explain(w io.Writer, n int) error {
	if r.Skip != "" {
		return fmt.Errorf("%s is skipped: %s", r.File, r.Skip)
	}
	if n < 1 || n > len(r.Steps) {
		return fmt.Errorf("%s has %d steps; there is no step %d", r.File, len(r.Steps), n)
	}
	st := r.Steps[n-1]
	zone := r.zone
	if zone == nil {
		zone = time.UTC
	}
	ts := func(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04:05 -07:00") }
	fmt.Fprintf(w, "%s step %d (line %d): %s at %s\n", r.File, st.N, st.Line, st.Action, ts(st.At))
	for _, t := range st.Wakes {
		fmt.Fprintf(w, "  A deadline was due at %s, before the step: the machine fired it at that instant.\n", ts(t))
	}
	for _, f := range st.Fired {
		fmt.Fprintf(w, "  Timer %s fired.\n", f)
	}
	for _, d := range st.Decisions {
		fmt.Fprintf(w, "  %s\n", r.sentence(d))
	}
	for _, e := range st.Effects {
		fmt.Fprintf(w, "  Effect %s.\n", effectText(e, zone))
	}
	if st.Error != "" {
		fmt.Fprintf(w, "  The event was refused: %s.\n", st.Error)
	}
	if len(st.Pending) == 0 {
		fmt.Fprintf(w, "  Nothing is pending: no deadline is left.\n")
	}
	for _, d := range st.Pending {
		fmt.Fprintf(w, "  Pending: %s (%s) must be acted on before %s (%s).\n", d.Subject, d.Status, ts(d.At), d.Rule)
	}
	for _, f := range st.Failures {
		fmt.Fprintf(w, "  FAIL: %s\n", f)
	}
	return nil
}

// sentence renders one decision as a plain sentence.
func (r Report) sentence(d rules.Decision) string {
	where := ""
	if d.Version != "" {
		where = fmt.Sprintf(" (%s policy, version %s)", d.Policy, d.Version)
	}
	if d.Threshold == "" {
		if d.Rule == "" {
			return "Note: " + d.Note + "."
		}
		return fmt.Sprintf("By %s%s: %s.", d.Rule, where, d.Note)
	}
	doc := ""
	if r.m != nil {
		if decl, ok := r.m.Policy().Schema().Decl(d.Threshold); ok {
			doc = strings.TrimSuffix(decl.Doc, ".")
		}
	}
	val := plainValue(d.Value)
	if d.Note == "deadline" {
		return fmt.Sprintf("By %s%s, %s is %s: %s; the deadline is set from it.", d.Rule, where, d.Threshold, val, doc)
	}
	if d.Note != "" {
		return fmt.Sprintf("By %s%s, %s is %s: %s (%s).", d.Rule, where, d.Threshold, val, d.Note, doc)
	}
	return fmt.Sprintf("By %s%s, %s is %s: %s.", d.Rule, where, d.Threshold, val, doc)
}

// plainValue renders a duration as rule files write it, with whole days
// spelled out: "48h" as "48h (2 days)".
func plainValue(v string) string {
	d, err := time.ParseDuration(v)
	if err != nil {
		return v
	}
	s := rules.FormatValue(d)
	if d > 0 && d%(24*time.Hour) == 0 {
		days := int(d / (24 * time.Hour))
		unit := "days"
		if days == 1 {
			unit = "day"
		}
		return fmt.Sprintf("%s (%d %s)", s, days, unit)
	}
	return s
}
