package dispute

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// apply applies one event (not nil) to the advanced state. Every
// handler checks everything before it changes anything, so a refusal
// leaves the state as advance left it.
func (x *tx) apply(e Event) error {
	if x.s.Locked() {
		if u, ok := e.(Unlock); ok {
			return x.unlock(u)
		}
		return rules.Refuse("ORD-19", ErrLocked, "complaint %d is at %v since %s; only unlock is accepted",
			x.s.Lock.Complaint, x.s.Lock.Forum, x.s.Lock.Since.Format(time.RFC3339))
	}
	switch e := e.(type) {
	case Complain:
		return x.complain(e)
	case Withdraw:
		return x.withdraw(e)
	case Reply:
		return x.reply(e)
	case Unsatisfied:
		return x.unsatisfied(e)
	case AskIntervention:
		return x.askIntervention(e)
	case Decide:
		return x.decidePlatform(e)
	case PlanDone:
		return x.planDone(e)
	case Press:
		return x.press(e)
	case GoToCourt:
		return x.goToCourt(e)
	case Unlock:
		return x.unlock(e)
	case TakeMeasures:
		return x.takeMeasures(e)
	case FileReport:
		return x.fileReport(e)
	case Review:
		return x.review(e)
	case Conclude:
		return x.conclude(e)
	}
	return fmt.Errorf("%w: event %T", ErrInvalid, e)
}

// complaint returns the open complaint id for event on of rule rule, if
// its status accepts on ([Transitions]), ready to be changed (the
// call's own copy, see tx).
func (x *tx) complaint(id int, rule, on string) (*Complaint, error) {
	if id < 1 || id > len(x.s.Complaints) {
		return nil, rules.Refuse(rule, ErrNoComplaint, "complaint %d of %d", id, len(x.s.Complaints))
	}
	c := &x.s.Complaints[id-1]
	if c.Status == Done {
		return nil, rules.Refuse(rule, ErrFinal, "complaint %d closed %v", id, c.Outcome)
	}
	if err := accept(c, on); err != nil { // the table decides
		return nil, err
	}
	return x.writeComplaint(id), nil
}

func notAllowed(c *Complaint, rule, why string) error {
	return rules.Refuse(rule, ErrNotAllowed, "complaint %d is %v: %s", c.ID, c.Status, why)
}

// missing returns the DSP-2 acceptance conditions a filing lacks.
func missing(f Filer, respondent, claims, facts, reasons string, evidence []string, onPlatform bool) []Missing {
	var out []Missing
	if blank(f.Identity) || blank(f.Contact) {
		out = append(out, Identity)
	}
	if blank(respondent) {
		out = append(out, Respondent)
	}
	if blank(claims) || blank(facts) || blank(reasons) {
		out = append(out, Claims)
	}
	if !slices.ContainsFunc(evidence, func(s string) bool { return !blank(s) }) {
		out = append(out, Evidence)
	}
	if !onPlatform {
		out = append(out, OnPlatform)
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// complain files a complaint (DSP-1, DSP-2, DSP-3).
func (x *tx) complain(e Complain) error {
	if items := missing(e.Filer, e.Respondent, e.Claims, e.Facts, e.Reasons, e.Evidence, !x.trade.IsZero()); len(items) > 0 {
		return &rules.RuleError{Rule: "DSP-2", Err: &MissingError{Items: items}}
	}
	v := x.m.policy.In(x.now) // DSP-12: the version in force at filing judges the complaint
	t := x.trade
	switch t.Status {
	case Unpaid:
		return rules.Refuse("DSP-3", ErrNoComplaints, "trade %s is not paid", t.ID)
	case Cancelled, Closed:
		return rules.Refuse("DSP-3", ErrNoComplaints, "trade %s is %v", t.ID, t.Status)
	}
	if x.now.Before(t.PaidAt) {
		return rules.Refuse("DSP-3", ErrNoComplaints, "trade %s is paid at %s, after %s", t.ID,
			t.PaidAt.Format(time.RFC3339), x.now.Format(time.RFC3339))
	}
	var windowDec rules.Decision
	if t.Status == Completed {
		end, dec, err := x.m.windowEnd(v, keyWindow, t.CompletedAt)
		if err != nil {
			return err
		}
		if !x.now.Before(end) {
			return rules.Refuse("DSP-3", ErrWindowClosed, "trade %s completed %s; complaints closed %s", t.ID,
				t.CompletedAt.Format(time.RFC3339), end.Format(time.RFC3339))
		}
		windowDec = dec
	}
	types, err := x.m.complaintTypes(v)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	typ, asked := e.Type, ""
	if typ == "report" {
		return rules.Refuse("DSP-1", ErrNotAllowed, "a report is filed as a report (DSP-8), not as a complaint")
	}
	if !slices.Contains(types, typ) || !validName(typ) {
		typ, asked = "other", e.Type
		if asked == "other" {
			asked = ""
		}
	}
	proof, err := x.m.shippingProof(v, typ, e.NotReceived)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	// The two windows and DSP-12, DSP-3 when the trade completed and
	// DSP-1 with its effect when the merchant must prove shipment.
	nd, ne := 3, 1
	if t.Status == Completed {
		nd++
	}
	if proof {
		nd, ne = nd+1, ne+1
	}
	x.reserve(nd, ne)
	c := Complaint{ID: len(x.s.Complaints) + 1, Type: typ, Asked: asked, Respondent: e.Respondent,
		NotReceived: e.NotReceived, Version: v.Date(), FiledAt: x.now, Status: AwaitingReply, Since: x.now}
	r, err := x.m.newRound(v, x.now)
	if err != nil {
		return err
	}
	x.round(&c, r, 1)
	x.writeComplaints(1)
	x.s.Complaints = append(x.s.Complaints, c)
	cp := &x.s.Complaints[len(x.s.Complaints)-1]
	x.note(cp, "DSP-12", "judged for its whole life by the version in force at filing")
	if t.Status == Completed {
		x.decide(windowDec, "complaint", c.ID)
	}
	x.emit(x.now, "DSP-4", Notice{Complaint: c.ID, Party: Merchant, Status: AwaitingReply, Due: c.Deadline})
	if proof {
		// DSP-1, DR art.5: the merchant must prove it shipped.
		x.note(cp, "DSP-1", "goods not received: the merchant bears the burden of proving shipment")
		x.emit(x.now, "DSP-1", ShippingProof{Complaint: c.ID, Respondent: c.Respondent, Due: c.Deadline})
	}
	return nil
}

// roundEnds are the deadlines of a round of reply begun at one instant,
// with the decisions that explain them.
type roundEnds struct {
	due, end      time.Time
	dReply, dDay3 rules.Decision
}

// newRound works out a round of reply begun at from under v: the reply is
// due after reply_period (DSP-4) and day 3 ends after day3_end (DSP-5).
func (m *Machine) newRound(v *rules.Version, from time.Time) (roundEnds, error) {
	due, dReply, err := m.windowEnd(v, keyReply, from)
	if err != nil {
		return roundEnds{}, err
	}
	end, dDay3, err := m.windowEnd(v, keyDay3End, from)
	if err != nil {
		return roundEnds{}, err
	}
	if end.Before(due) {
		return roundEnds{}, fmt.Errorf("%w: version %s: day3_end ends before reply_period", ErrPolicy, v.Date())
	}
	return roundEnds{due, end, dReply, dDay3}, nil
}

// round starts round n of reply r at now and records its two decisions;
// the caller worked r out (newRound) before changing anything, so that a
// policy that cannot judge changes nothing.
func (x *tx) round(c *Complaint, r roundEnds, n int) {
	c.Status, c.Since, c.Round, c.RoundAt, c.Deadline, c.Day3End = AwaitingReply, x.now, n, x.now, r.due, r.end
	x.decide(r.dReply, "complaint", c.ID)
	x.decide(r.dDay3, "complaint", c.ID)
}

// withdraw: the buyer withdraws a complaint that has no outcome yet (DSP-3).
func (x *tx) withdraw(e Withdraw) error {
	c, err := x.complaint(e.Complaint, "DSP-3", e.Name())
	if err != nil {
		return err
	}
	x.reserve(1, 1)
	x.note(c, "DSP-3", "withdrawn by the buyer")
	x.judge(c, x.now, "DSP-3", Withdrawn, 0)
	return nil
}

// reply: the merchant replies, on time (DSP-4) or on day 3 (DSP-5).
func (x *tx) reply(e Reply) error {
	c, err := x.complaint(e.Complaint, "DSP-4", e.Name())
	if err != nil {
		return err
	}
	rule := "DSP-4"
	if c.Status == Overdue {
		rule = "DSP-5" // a late reply on day 3 is still accepted
	}
	v, err := x.version(c.Version)
	if err != nil {
		return err
	}
	due, dec, err := x.m.windowEnd(v, keyFeedback, x.now)
	if err != nil {
		return err
	}
	x.reserve(1, 1)
	c.Status, c.Since, c.Deadline, c.Day3End = Replied, x.now, due, time.Time{}
	x.decide(dec, "complaint", c.ID)
	x.emit(x.now, rule, Notice{Complaint: c.ID, Party: Consumer, Status: Replied, Due: due})
	return nil
}

// unsatisfied: the buyer marks the reply unsatisfied; a new round of
// reply begins (DSP-7).
func (x *tx) unsatisfied(e Unsatisfied) error {
	c, err := x.complaint(e.Complaint, "DSP-7", e.Name())
	if err != nil {
		return err
	}
	v, err := x.version(c.Version)
	if err != nil {
		return err
	}
	r, err := x.m.newRound(v, x.now)
	if err != nil {
		return err
	}
	x.reserve(3, 1)
	x.round(c, r, c.Round+1)
	x.note(c, "DSP-7", "reply marked unsatisfied: a new round of reply")
	x.emit(x.now, "DSP-7", Notice{Complaint: c.ID, Party: Merchant, Status: AwaitingReply, Due: c.Deadline})
	return nil
}

// askIntervention: on day 3 (DSP-5), or after "unsatisfied" (DSP-7).
func (x *tx) askIntervention(e AskIntervention) error {
	c, err := x.complaint(e.Complaint, "DSP-5", e.Name())
	if err != nil {
		return err
	}
	rule := "DSP-5" // from Overdue
	if c.Status == AwaitingReply {
		if c.Round == 1 {
			return rules.Refuse("DSP-5", ErrTooEarly, "complaint %d: intervention from %s, when reply_period ends", c.ID,
				c.Deadline.Format(time.RFC3339))
		}
		v, err := x.version(c.Version)
		if err != nil {
			return err
		}
		atOnce, err := rules.Get(v, keyUnsatisfiedInt)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrPolicy, err)
		}
		if !atOnce {
			return rules.Refuse("DSP-7", ErrTooEarly, "complaint %d: intervention from %s, when reply_period of round %d ends", c.ID,
				c.Deadline.Format(time.RFC3339), c.Round)
		}
		x.reserve(2, 1)
		x.decide(rules.Decision{Rule: "DSP-7", Policy: "dispute", Version: v.Date(),
			Threshold: keyUnsatisfiedInt.Name(), Value: "true"}, "complaint", c.ID)
		rule = "DSP-7"
	}
	x.reserve(1, 1) // room left by the reservation above, if any
	c.Status, c.Since, c.Deadline, c.Day3End = Intervention, x.now, time.Time{}, time.Time{}
	x.note(c, rule, "the buyer asked for platform intervention")
	x.emit(x.now, rule, Notice{Complaint: c.ID, Party: Merchant, Status: Intervention})
	return nil
}

// decidePlatform: the platform's decision after an intervention.
func (x *tx) decidePlatform(e Decide) error {
	if !e.Verdict.IsValid() || !e.Remedy.IsValid() {
		return fmt.Errorf("%w: decide: verdict %v, remedy %v", ErrInvalid, e.Verdict, e.Remedy)
	}
	if e.Verdict == VerdictReject && e.Remedy != NoRemedy {
		return fmt.Errorf("%w: decide: a complaint judged not valid has no remedy (%v)", ErrInvalid, e.Remedy)
	}
	c, err := x.complaint(e.Complaint, "DSP-5", e.Name())
	if err != nil {
		return err
	}
	x.reserve(1, 1)
	x.note(c, "DSP-5", "platform decision after intervention")
	x.judge(c, x.now, "DSP-5", e.Verdict.outcome(), e.Remedy)
	return nil
}

// planDone: the merchant carried out the mediation plan (DSP-11).
func (x *tx) planDone(e PlanDone) error {
	c, err := x.complaint(e.Complaint, "DSP-11", e.Name())
	if err != nil {
		return err
	}
	x.reserve(1, 1)
	c.Status, c.Since = Done, x.now
	x.note(c, "DSP-11", "mediation plan carried out: closed")
	x.emit(x.now, "DSP-11", Notice{Complaint: c.ID, Party: Consumer, Status: Done})
	return nil
}

// press: the buyer presses a merchant that ignores the plan (DSP-11).
func (x *tx) press(e Press) error {
	if !e.Channel.IsValid() {
		return fmt.Errorf("%w: press: channel %v", ErrInvalid, e.Channel)
	}
	c, err := x.complaint(e.Complaint, "DSP-11", e.Name())
	if err != nil {
		return err
	}
	if e.Channel == Messaging {
		x.reserve(0, 1)
		c.Reminded = true
		x.emit(x.now, "DSP-11", RemindMerchant{Complaint: c.ID, Respondent: c.Respondent, Remedy: c.Remedy})
		return nil
	}
	v, err := x.version(c.Version)
	if err != nil {
		return err
	}
	after, err := rules.Get(v, keyEscalate)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	if after && !c.Reminded {
		return rules.Refuse("DSP-11", ErrTooEarly, "complaint %d: escalation after a reminder by messaging", c.ID)
	}
	x.reserve(0, 1)
	x.emit(x.now, "DSP-11", Escalate{Complaint: c.ID, Respondent: c.Respondent, Channel: e.Channel})
	return nil
}

// goToCourt: the parties go to arbitration or court; the trade locks
// from now (DSP-9, ORD-19).
func (x *tx) goToCourt(e GoToCourt) error {
	if !e.Forum.IsValid() {
		return fmt.Errorf("%w: go_to_court: forum %v", ErrInvalid, e.Forum)
	}
	c, err := x.complaint(e.Complaint, "DSP-9", e.Name())
	if err != nil {
		return err
	}
	x.reserve(1, 1)
	c.Held, c.Status, c.Since, c.Deadline, c.Day3End = c.Status, Arbitration, x.now, time.Time{}, time.Time{}
	x.s.Lock = Lock{Complaint: c.ID, Forum: e.Forum, Since: x.now}
	x.note(c, "DSP-9", "mediation failed: the trade is locked until the judgment is executed or the parties settle")
	x.emit(x.now, "DSP-9", LockOrder{Trade: x.trade.ID, Complaint: c.ID, Forum: e.Forum})
	return nil
}

// unlock ends the lock and judges the complaint that held it (DSP-9,
// ORD-19). With lock_shift the other complaints' deadlines move later by
// the locked time; without it, deadlines that passed during the lock
// fire at the unlock, in order.
func (x *tx) unlock(e Unlock) error {
	switch {
	case !e.How.IsValid():
		return fmt.Errorf("%w: unlock: how %v", ErrInvalid, e.How)
	case e.How == JudgmentExecuted && !e.Verdict.IsValid():
		return fmt.Errorf("%w: unlock: a judgment needs a verdict", ErrInvalid)
	case e.How == SettledByAgreement && e.Verdict != 0:
		return fmt.Errorf("%w: unlock: a settlement has no verdict", ErrInvalid)
	}
	if !x.s.Locked() || x.s.Lock.Complaint != e.Complaint {
		return rules.Refuse("DSP-9", ErrNotLocked, "complaint %d does not hold the trade's lock", e.Complaint)
	}
	c := &x.s.Complaints[e.Complaint-1]
	if err := accept(c, e.Name()); err != nil {
		return err
	}
	v, err := x.version(c.Version)
	if err != nil {
		return err
	}
	shift, err := rules.Get(v, keyLockShift)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	since := x.s.Lock.Since
	x.reserve(2, 2)
	x.writeComplaints(0) // every complaint's deadlines may move
	c = &x.s.Complaints[e.Complaint-1]
	x.s.Lock = Lock{}
	x.emit(x.now, "DSP-9", UnlockOrder{Trade: x.trade.ID, Complaint: c.ID, How: e.How, Since: since})
	o := Settled
	if e.How == JudgmentExecuted {
		o = e.Verdict.outcome()
	}
	x.note(c, "DSP-9", "lock ended by "+e.How.String())
	x.judge(c, x.now, "DSP-9", o, 0)
	x.decide(rules.Decision{Rule: "DSP-9", Policy: "dispute", Version: v.Date(), Threshold: keyLockShift.Name(),
		Value: rules.FormatValue(shift)}, "complaint", c.ID)
	// Shift by the locked time, or move what passed during the lock to
	// the unlock, so that nothing takes effect at an instant the trade
	// was locked.
	d := x.now.Sub(since)
	move := func(t time.Time) time.Time {
		switch {
		case t.IsZero():
			return t
		case shift:
			return t.Add(d)
		case t.Before(x.now):
			return x.now
		}
		return t
	}
	for i := range x.s.Complaints {
		q := &x.s.Complaints[i]
		q.Deadline, q.Day3End = move(q.Deadline), move(q.Day3End)
	}
	return nil
}

// takeMeasures: necessary measures for safety or infringed rights (DSP-9).
func (x *tx) takeMeasures(e TakeMeasures) error {
	if !e.Ground.IsValid() || blank(e.Measure) {
		return fmt.Errorf("%w: take_measures: ground %v, measure %q", ErrInvalid, e.Ground, e.Measure)
	}
	c, err := x.complaint(e.Complaint, "DSP-9", e.Name())
	if err != nil {
		return err
	}
	x.reserve(0, 1)
	x.emit(x.now, "DSP-9", Measures{Complaint: c.ID, Ground: e.Ground, Measure: e.Measure})
	return nil
}
