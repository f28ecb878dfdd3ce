package dispute

import (
	"fmt"
	"slices"

	"github.com/tradepolicy/tradepolicy/rules"
)

// fileReport files a report (DSP-8): not bound by the complaint window;
// accepted on the DSP-2 conditions, the subject reported standing for the
// trade or listing on the platform. A kind in report_routed is routed at
// once, not judged.
func (x *tx) fileReport(e FileReport) error {
	if !e.Kind.IsValid() || !e.By.IsValid() {
		return fmt.Errorf("%w: file_report: kind %v, by %v", ErrInvalid, e.Kind, e.By)
	}
	if items := missing(e.Filer, e.Respondent, e.Claims, e.Facts, e.Reasons, e.Evidence, !blank(e.Subject)); len(items) > 0 {
		return &rules.RuleError{Rule: "DSP-2", Err: &MissingError{Items: items}}
	}
	v := x.m.policy.In(x.now) // DSP-12
	routed, err := rules.Get(v, keyRouted)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	routedKind := slices.Contains(routed, e.Kind.String())
	if routedKind {
		x.reserve(2, 1)
	} else {
		x.reserve(1, 0)
	}
	r := Report{ID: len(x.s.Reports) + 1, Kind: e.Kind, By: e.By, Respondent: e.Respondent, Subject: e.Subject,
		Version: v.Date(), FiledAt: x.now, Status: Accepted, Since: x.now}
	x.decide(rules.Decision{Rule: "DSP-12", Policy: "dispute", Version: v.Date(),
		Note: "judged for its whole life by the version in force at filing"}, "report", r.ID)
	if routedKind {
		r.Status = Routed
		x.decide(rules.Decision{Rule: "DSP-8", Policy: "dispute", Version: v.Date(), Threshold: keyRouted.Name(),
			Value: rules.FormatValue(routed), Note: "routed to the platform's separate rules, not judged here"}, "report", r.ID)
		x.emit(x.now, "DSP-8", RouteReport{Report: r.ID, ReportKind: r.Kind})
	}
	x.writeReports(1)
	x.s.Reports = append(x.s.Reports, r)
	return nil
}

// openReport returns the report id that is not final, if its status
// accepts event on ([ReportTransitions]), ready to be changed (the call's
// own copy, see tx).
func (x *tx) openReport(id int, on string) (*Report, error) {
	if id < 1 || id > len(x.s.Reports) {
		return nil, rules.Refuse("DSP-8", ErrNoReport, "report %d of %d", id, len(x.s.Reports))
	}
	r := &x.s.Reports[id-1]
	if r.Status.Final() {
		return nil, rules.Refuse("DSP-8", ErrFinal, "report %d is %v", id, r.Status)
	}
	if err := acceptReport(r, on); err != nil { // the table decides
		return nil, err
	}
	x.writeReports(0)
	return &x.s.Reports[id-1], nil
}

// review starts the review of an accepted report (DSP-8).
func (x *tx) review(e Review) error {
	r, err := x.openReport(e.Report, e.Name())
	if err != nil {
		return err
	}
	r.Status, r.Since = Reviewing, x.now
	return nil
}

// conclude upholds or dismisses a report under review (DSP-8).
func (x *tx) conclude(e Conclude) error {
	r, err := x.openReport(e.Report, e.Name())
	if err != nil {
		return err
	}
	x.reserve(0, 1)
	r.Status, r.Since = Dismissed, x.now
	if e.Upheld {
		r.Status = Upheld
	}
	x.emit(x.now, "DSP-8", ReportDecided{Report: r.ID, ReportKind: r.Kind, Respondent: r.Respondent, Upheld: e.Upheld, Version: r.Version})
	return nil
}
