package provider

import (
	"fmt"
	"slices"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies e to st.s. Every handler makes all its checks before it
// changes anything, so that a refusal leaves st.s as it was (ApplyAt
// then drops the decisions it noted). Nested slices of a case (measures,
// staff) are replaced, never written in place: the state shares them
// with the caller's.
func (st *step) apply(e Event) error {
	switch e := e.(type) {
	case Open:
		return st.open(e)
	case Resolve:
		return st.resolve(e)
	case Temporary:
		return st.temporary(e)
	case Clear:
		return st.clear(e)
	case Judge:
		return st.judge(e)
	case NoticeSent:
		return st.noticeSent(e)
	case Object:
		return st.object(e)
	case RuleObjection:
		return st.ruleObjection(e)
	}
	return fmt.Errorf("%w: event %T", ErrInvalid, e)
}

// active refuses what needs a cooperating provider (PRV-10, PRV-11).
func (st *step) active() error {
	switch st.s.Standing {
	case Barred:
		return rules.Refuse("PRV-10", ErrTerminated, "provider %s: every agreement ended at %s; no future cooperation", st.s.Provider, stamp(st.s.EndedAt))
	case Terminated:
		return rules.Refuse("PRV-11", ErrTerminated, "provider %s: cooperation ended at %s", st.s.Provider, stamp(st.s.EndedAt))
	}
	return nil
}

// open opens a case (PRV-8) pinned to the version in force at the
// alleged violation (PRV-14).
func (st *step) open(e Open) error {
	if !e.Origin.IsValid() {
		return fmt.Errorf("%w: open: origin %v", ErrInvalid, e.Origin)
	}
	if e.OccurredAt.IsZero() || e.OccurredAt.After(st.now) {
		return rules.Refuse("PRV-8", ErrEventTime, "occurred_at %s, now %s", stamp(e.OccurredAt), stamp(st.now))
	}
	if err := st.active(); err != nil {
		return err
	}
	if e.Resolve && !e.Origin.Complaint() {
		return rules.Refuse("PRV-8", ErrNotAllowed, "a resolution period is set for complaints, not for an %v", e.Origin)
	}
	at := e.OccurredAt.Round(0).UTC()
	v := st.m.policy.In(at)
	st.own()
	c := Case{ID: len(st.s.Cases) + 1, Origin: e.Origin, Status: Investigating, Version: v.Date(), OccurredAt: at, OpenedAt: st.now}
	st.note("PRV-14", c.Version, c.ID, "pinned", "judged by the version in force at the violation")
	if e.Resolve {
		by, dec, err := window(v, complaintResolution, st.now)
		if err != nil {
			return rules.Refuse("PRV-8", ErrPolicy, "%v", err)
		}
		c.ResolveBy = by
		st.decs = append(st.decs, dec)
		st.s.Cases = append(st.s.Cases, c)
		st.emit(st.now, "PRV-8", RequireResolution{Case: c.ID, By: by})
	} else {
		st.s.Cases = append(st.s.Cases, c)
	}
	st.note("PRV-8", c.Version, c.ID, "opened", e.Origin.String())
	return nil
}

// getCase returns the case named by an event.
func (st *step) getCase(id int, rule string) (*Case, error) {
	if id < 1 || id > len(st.s.Cases) {
		return nil, rules.Refuse(rule, ErrNoCase, "case %d", id)
	}
	st.own()
	return &st.s.Cases[id-1], nil
}

func wrongStatus(rule string, c *Case, want string) error {
	return rules.Refuse(rule, ErrNotAllowed, "case %d is %v; want %s", c.ID, c.Status, want)
}

// resolve records the resolution of a complaint (PRV-8).
func (st *step) resolve(e Resolve) error {
	c, err := st.getCase(e.Case, "PRV-8")
	if err != nil {
		return err
	}
	if err := accept(c, e.Name(), "PRV-8"); err != nil { // every status
		return err
	}
	if c.ResolveBy.IsZero() {
		return rules.Refuse("PRV-8", ErrNotAllowed, "case %d required no resolution", c.ID)
	}
	if !c.ResolvedAt.IsZero() {
		return rules.Refuse("PRV-8", ErrResolved, "case %d resolved at %s", c.ID, stamp(c.ResolvedAt))
	}
	c.ResolvedAt = st.now
	if c.Overdue {
		st.note("PRV-8", c.Version, c.ID, "resolved_late", "complaint resolved after the deadline")
	} else {
		st.note("PRV-8", c.Version, c.ID, "resolved", "complaint resolved by the deadline")
	}
	return nil
}

// temporary takes temporary measures during the investigation (PRV-13).
func (st *step) temporary(e Temporary) error {
	c, err := st.getCase(e.Case, "PRV-13")
	if err != nil {
		return err
	}
	if len(e.Measures) == 0 {
		return fmt.Errorf("%w: temporary: no measures", ErrInvalid)
	}
	for _, m := range e.Measures {
		if !m.IsValid() {
			return fmt.Errorf("%w: temporary: measure %v", ErrInvalid, m)
		}
	}
	if err := accept(c, e.Name(), "PRV-13"); err != nil { // the table decides
		return err
	}
	if slices.Contains(e.Measures, Terminate) {
		return rules.Refuse("PRV-13", ErrTemporary, "termination is final, never temporary")
	}
	if err := st.active(); err != nil {
		return err
	}
	var added []Measure
	for _, m := range e.Measures {
		if !slices.Contains(c.Temporary, m) && !slices.Contains(added, m) {
			added = append(added, m)
		}
	}
	if len(added) == 0 {
		return nil
	}
	slices.Sort(added)
	c.Temporary = slices.Concat(c.Temporary, added) // never into the input's array
	slices.Sort(c.Temporary)
	st.emit(st.now, "PRV-13", ImposeMeasures{Case: c.ID, Measures: added, Temporary: true})
	st.note("PRV-13", c.Version, c.ID, "temporary", "temporary measures taken")
	return nil
}

// clear ends an investigation that found no violation (PRV-13).
func (st *step) clear(e Clear) error {
	c, err := st.getCase(e.Case, "PRV-13")
	if err != nil {
		return err
	}
	if err := accept(c, e.Name(), "PRV-13"); err != nil {
		return err
	}
	st.clearCase(c)
	return nil
}

func (st *step) clearCase(c *Case) {
	c.Status, c.ClosedAt = Cleared, st.now
	if len(c.Temporary) > 0 {
		st.emit(st.now, "PRV-13", LiftMeasures{Case: c.ID, Measures: slices.Clone(c.Temporary), Temporary: true})
		c.Temporary = nil
	}
	st.note("PRV-13", c.Version, c.ID, "no_violation", "no violation found; temporary measures lifted at once")
}

// pinned returns the case's pinned version (PRV-14).
func (st *step) pinned(c *Case) (*rules.Version, error) {
	v, err := st.m.policy.Pin(c.Version, c.OccurredAt)
	if err != nil {
		return nil, rules.Refuse("PRV-14", ErrPolicy, "case %d: %v", c.ID, err)
	}
	return v, nil
}

// judge classifies the finding and takes the measures (PRV-5 … PRV-11).
func (st *step) judge(e Judge) error {
	c, err := st.getCase(e.Case, "PRV-9")
	if err != nil {
		return err
	}
	if msg := validFinding(e.Finding); msg != "" && e.Finding.Clause.IsValid() {
		return fmt.Errorf("%w: judge: finding: %s", ErrInvalid, msg)
	}
	if err := accept(c, e.Name(), "PRV-9"); err != nil {
		return err
	}
	v, err := st.pinned(c)
	if err != nil {
		return err
	}
	st.decs = slices.Grow(st.decs, 8) // a judgment takes up to eight decisions
	cl, decs, err := classify(v, e.Finding, st.decs)
	if err != nil {
		return err
	}
	st.decs = decs
	if !cl.Violation {
		st.clearCase(c)
		return nil
	}
	rule := "PRV-11"
	serious := false
	if cl.Class == ClassI {
		rule = "PRV-10"
	} else {
		w, err := rules.Get(v, recordWindow)
		if err != nil || w.Duration < 0 {
			return rules.Refuse("PRV-11", ErrPolicy, "record_window = %v: %v", w, err)
		}
		dec := decision(v, recordWindow.Name(), recordWindow.Rule(), rules.FormatValue(w))
		st.decs = append(st.decs, dec)
		rec := append(st.s.Record[:len(st.s.Record):len(st.s.Record)], Violation{Case: c.ID, At: c.OccurredAt, Class: cl.Class})
		n := rec.Counts(c.OccurredAt, func(t time.Time) time.Time { return w.End(t, v.Zone()) })
		serious, dec, err = evalBool(v, seriousKey, n[ClassI], n[ClassII], n[ClassIII], int64(cl.Class))
		if err != nil {
			return rules.Refuse("PRV-11", ErrPolicy, "%v", err)
		}
		st.decs = append(st.decs, dec)
	}
	measures := judgmentMeasures(cl.Class, serious)
	terminates := slices.Contains(measures, Terminate)
	report, dec, err := evalBool(v, creditReport, int64(cl.Class), terminates)
	if err != nil {
		return rules.Refuse("PRV-12", ErrPolicy, "%v", err)
	}
	st.decs = append(st.decs, dec)
	publish, dec, err := evalBool(v, publishKey, int64(cl.Class), terminates)
	if err != nil {
		return rules.Refuse("PRV-12", ErrPolicy, "%v", err)
	}
	st.decs = append(st.decs, dec)

	// The judgment replaces the temporary measures: those it also takes
	// stay in force, the others are lifted (PRV-13).
	var lift, impose []Measure
	for _, m := range c.Temporary {
		if !slices.Contains(measures, m) {
			lift = append(lift, m)
		}
	}
	for _, m := range measures {
		if m != Terminate && !slices.Contains(c.Temporary, m) {
			impose = append(impose, m)
		}
	}
	if len(lift) > 0 {
		st.emit(st.now, "PRV-13", LiftMeasures{Case: c.ID, Measures: lift, Temporary: true})
	}
	if len(impose) > 0 {
		st.emit(st.now, rule, ImposeMeasures{Case: c.ID, Measures: impose})
	}
	c.Temporary = nil
	c.Status, c.JudgedAt = Judged, st.now
	c.Finding = e.Finding
	c.Finding.Staff = slices.Clone(e.Finding.Staff)
	c.Class, c.Lifted, c.Measures, c.Serious, c.Report, c.Publicised = cl.Class, cl.Lifted, measures, serious, report, publish
	st.s.Record = append(st.s.Record, Violation{Case: c.ID, At: c.OccurredAt, Class: cl.Class})
	st.emit(st.now, "PRV-9", Notice{Case: c.ID, Clause: cl.Clause, Class: cl.Class, Lifted: cl.Lifted, Measures: measures, Version: c.Version})
	st.note(rule, c.Version, c.ID, cl.Class.String(), "measures taken")
	return nil
}

// noticeSent records the notice email: a termination takes effect at its
// send instant (PRV-10) and the objection period starts (PRV-9).
func (st *step) noticeSent(e NoticeSent) error {
	c, err := st.getCase(e.Case, "PRV-9")
	if err != nil {
		return err
	}
	if err := accept(c, e.Name(), "PRV-9"); err != nil {
		return err
	}
	at := e.SentAt.Round(0).UTC()
	if at.IsZero() || at.After(st.now) {
		return rules.Refuse("PRV-9", ErrEventTime, "sent_at %s, now %s", stamp(at), stamp(st.now))
	}
	if at.Before(c.JudgedAt) {
		return rules.Refuse("PRV-9", ErrNotAllowed, "notice sent at %s, before the judgment at %s", stamp(at), stamp(c.JudgedAt))
	}
	v, err := st.pinned(c)
	if err != nil {
		return err
	}
	by, dec, err := window(v, objectionPeriod, at)
	if err != nil {
		return rules.Refuse("PRV-9", ErrPolicy, "%v", err)
	}
	st.decs = append(st.decs, dec)
	c.Status, c.NoticeAt, c.ObjectBy = Noticed, at, by
	if !slices.Contains(c.Measures, Terminate) {
		return nil
	}
	rule := "PRV-11"
	if c.Class == ClassI {
		rule = "PRV-10"
	}
	if st.s.Standing != Active {
		st.note(rule, c.Version, c.ID, "already_ended", "cooperation had already ended")
		return nil
	}
	st.s.Standing, st.s.EndedAt, st.s.EndedBy = Terminated, at, c.ID
	act := TerminateAgreements{Case: c.ID, Class: c.Class}
	if c.Class == ClassI {
		st.s.Standing = Barred
		act.AllAgreements, act.NoCompensation, act.NoFutureCooperation = true, true, true
	}
	st.emit(at, rule, act)
	st.note(rule, c.Version, c.ID, "terminated", "agreements terminated at the notice's send instant")
	return nil
}

// object records a written objection with proof within the period (PRV-9).
func (st *step) object(e Object) error {
	c, err := st.getCase(e.Case, "PRV-9")
	if err != nil {
		return err
	}
	if c.Status == Final && c.ObjectedAt.IsZero() {
		return rules.Refuse("PRV-9", ErrObjectionLate, "case %d: the objection period closed at %s", c.ID, stamp(c.ObjectBy))
	}
	if err := accept(c, e.Name(), "PRV-9"); err != nil {
		return err
	}
	switch {
	case e.Proof == "":
		return rules.Refuse("PRV-9", ErrNoProof, "case %d: an objection is written and comes with proof", c.ID)
	}
	c.Status, c.ObjectedAt, c.Proof = Objected, st.now, e.Proof
	st.note("PRV-9", c.Version, c.ID, "objected", "objection with proof received in the period")
	return nil
}

// ruleObjection rules on an objection (PRV-9).
func (st *step) ruleObjection(e RuleObjection) error {
	c, err := st.getCase(e.Case, "PRV-9")
	if err != nil {
		return err
	}
	if err := accept(c, e.Name(), "PRV-9"); err != nil {
		return err
	}
	if !e.Valid {
		st.note("PRV-9", c.Version, c.ID, "objection_invalid", "the objection's proof is not valid")
		st.finalize(c, st.now)
		return nil
	}
	c.Status, c.ClosedAt = Cancelled, st.now
	var lift []Measure
	for _, m := range c.Measures {
		if m != Terminate {
			lift = append(lift, m)
		}
	}
	if len(lift) > 0 {
		st.emit(st.now, "PRV-9", LiftMeasures{Case: c.ID, Measures: lift})
	}
	st.s.Record = slices.DeleteFunc(st.s.Record, func(v Violation) bool { return v.Case == c.ID })
	if slices.Contains(c.Measures, Terminate) {
		st.note("PRV-9", c.Version, c.ID, "objection_valid", "measures cancelled; the termination that took effect stands")
	} else {
		st.note("PRV-9", c.Version, c.ID, "objection_valid", "measures cancelled")
	}
	return nil
}
