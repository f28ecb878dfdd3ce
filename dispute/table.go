package dispute

import (
	"github.com/tradepolicy/tradepolicy/internal/diagram"
	"github.com/tradepolicy/tradepolicy/rules"
)

// Transition is one edge of a complaint's life: in status From, event
// (or, when Threshold is set, the deadline that threshold sets) On moves
// the complaint to To under Rule. From == To is an event the status
// accepts without moving. The one table, [Transitions], decides which
// events a status accepts (any other is refused with [ErrNotAllowed])
// and draws [ComplaintDiagram]. Further conditions of a rule (a first
// round's intervention not before day 3, an escalation after a
// reminder) are checked by the event itself, with their own errors.
// While the trade is locked only unlock is accepted (ORD-19), whatever
// the table says.
type Transition struct {
	From, To  Status
	On        string // an event name, or the threshold's name for a deadline
	Threshold string // non-empty: a deadline edge, set by this window threshold
	Rule      string
}

// ReportTransition is one edge of a report's life (DSP-8), as
// [Transition] is of a complaint's; the table is [ReportTransitions].
type ReportTransition struct {
	From, To  ReportStatus
	On        string
	Threshold string // reports have no deadlines: always ""
	Rule      string
}

func ev(from Status, on, rule string, to ...Status) []Transition {
	out := make([]Transition, len(to))
	for i, s := range to {
		out[i] = Transition{From: from, To: s, On: on, Rule: rule}
	}
	return out
}

func tm(from Status, threshold, rule string, to Status) []Transition {
	return []Transition{{From: from, To: to, On: threshold, Threshold: threshold, Rule: rule}}
}

// open are the statuses of a complaint with no outcome yet and no lock.
var open = []Status{AwaitingReply, Overdue, Replied, Intervention}

var complaintTable = func() []Transition {
	var t []Transition
	add := func(ts ...[]Transition) {
		for _, x := range ts {
			t = append(t, x...)
		}
	}
	add(
		ev(AwaitingReply, "reply", "DSP-4", Replied),
		ev(AwaitingReply, "ask_intervention", "DSP-7", Intervention),
		tm(AwaitingReply, "reply_period", "DSP-5", Overdue),

		ev(Overdue, "reply", "DSP-5", Replied),
		ev(Overdue, "ask_intervention", "DSP-5", Intervention),
		tm(Overdue, "day3_end", "DSP-5", Done),

		ev(Replied, "unsatisfied", "DSP-7", AwaitingReply),
		tm(Replied, "feedback_period", "DSP-6", Done),

		ev(Intervention, "decide", "DSP-5", Done, Plan),

		ev(Plan, "plan_done", "DSP-11", Done),
		ev(Plan, "press", "DSP-11", Plan),
		ev(Plan, "take_measures", "DSP-9", Plan),

		ev(Arbitration, "unlock", "DSP-9", Done),
	)
	for _, s := range open {
		add(ev(s, "withdraw", "DSP-3", Done), ev(s, "go_to_court", "DSP-9", Arbitration), ev(s, "take_measures", "DSP-9", s))
	}
	return t
}()

var reportTable = []ReportTransition{
	{From: Accepted, To: Reviewing, On: "review", Rule: "DSP-8"},
	{From: Reviewing, To: Upheld, On: "conclude", Rule: "DSP-8"},
	{From: Reviewing, To: Dismissed, On: "conclude", Rule: "DSP-8"},
}

// Transitions returns the complaint table, in a fixed order.
func Transitions() []Transition { return append([]Transition(nil), complaintTable...) }

// ReportTransitions returns the report table, in a fixed order.
func ReportTransitions() []ReportTransition { return append([]ReportTransition(nil), reportTable...) }

type edgeKey struct {
	from uint8
	on   string
}

var complaintAccepts, reportAccepts = func() (map[edgeKey]bool, map[edgeKey]bool) {
	c, r := map[edgeKey]bool{}, map[edgeKey]bool{}
	for _, x := range complaintTable {
		if x.Threshold == "" {
			c[edgeKey{uint8(x.From), x.On}] = true
		}
	}
	for _, x := range reportTable {
		r[edgeKey{uint8(x.From), x.On}] = true
	}
	return c, r
}()

// acceptedIn is complaintAccepts by event: bit s is set when status s
// accepts the event. accept asks it on every event, with one look-up by
// the event's name rather than by a (status, name) pair.
var acceptedIn = func() map[string]uint64 {
	out := map[string]uint64{}
	for k := range complaintAccepts {
		out[k.on] |= 1 << k.from
	}
	return out
}()

// refusals say why a status that lacks an event refuses it, under which rule.
var refusals = map[string]struct{ rule, why string }{
	"withdraw":         {"DSP-3", "already judged valid"},
	"reply":            {"DSP-4", "no reply is awaited"},
	"unsatisfied":      {"DSP-7", "there is no reply to mark unsatisfied"},
	"ask_intervention": {"DSP-5", "no intervention can be asked"},
	"decide":           {"DSP-5", "the platform decides only after an intervention request"},
	"plan_done":        {"DSP-11", "there is no mediation plan"},
	"press":            {"DSP-11", "there is no mediation plan to press for"},
	"go_to_court":      {"DSP-9", "mediation gave a plan; press the merchant (DSP-11)"},
	"take_measures":    {"DSP-9", "no measures can be taken"},
	"unlock":           {"DSP-9", "the complaint holds no lock"},
}

// accept is the table's answer for event on in c's status: nil, or the
// refusal.
func accept(c *Complaint, on string) error {
	if acceptedIn[on]&(1<<c.Status) != 0 { // (a shift past 63 is 0: no status)
		return nil
	}
	r, ok := refusals[on]
	if !ok {
		r.rule, r.why = "DSP-4", "not an event of a complaint"
	}
	if on == "ask_intervention" && c.Status == Replied {
		r.rule, r.why = "DSP-7", "mark the reply unsatisfied first"
	}
	return notAllowed(c, r.rule, r.why)
}

// acceptReport is the table's answer for event on in r's status.
func acceptReport(r *Report, on string) error {
	if reportAccepts[edgeKey{uint8(r.Status), on}] {
		return nil
	}
	return rules.Refuse("DSP-8", ErrNotAllowed, "report %d is %v", r.ID, r.Status)
}

// ComplaintDiagram returns a Mermaid stateDiagram-v2 of the complaint
// machine, drawn from [Transitions]: every edge that changes the status,
// labelled with its event or, for a deadline, its threshold and its
// value under set's latest version (nil: [DefaultPolicy]); the events a
// status accepts without moving are listed in a note.
func ComplaintDiagram(set *rules.Set) string { return diagram.Mermaid(complaintGraph(set)) }

// ComplaintDiagramDOT is [ComplaintDiagram] as a Graphviz digraph.
func ComplaintDiagramDOT(set *rules.Set) string { return diagram.DOT(complaintGraph(set)) }

// ReportDiagram returns a Mermaid stateDiagram-v2 of the report machine,
// drawn from [ReportTransitions]. Reports have no deadlines; set is
// taken for the same signature as [ComplaintDiagram].
func ReportDiagram(set *rules.Set) string { return diagram.Mermaid(reportGraph()) }

// ReportDiagramDOT is [ReportDiagram] as a Graphviz digraph.
func ReportDiagramDOT(set *rules.Set) string { return diagram.DOT(reportGraph()) }

func complaintGraph(set *rules.Set) diagram.Graph {
	if set == nil {
		set = DefaultPolicy()
	}
	v := set.Latest()
	var rows []diagram.Row
	for _, x := range complaintTable {
		label := x.On
		if x.Threshold != "" {
			label, _ = diagram.After(v, x.Threshold) // a set that loaded evaluates every threshold
		}
		rows = append(rows, diagram.Row{From: x.From.String(), To: x.To.String(), Label: label, Rule: x.Rule, Timer: x.Threshold != ""})
	}
	var states []string
	for s := AwaitingReply; s <= Done; s++ {
		states = append(states, s.String())
	}
	start := []diagram.Edge{{To: AwaitingReply.String(), Label: "complain (DSP-1, DSP-3, DSP-4)"}}
	return diagram.Build("complaint", states, start, rows, []string{Done.String()})
}

func reportGraph() diagram.Graph {
	var rows []diagram.Row
	for _, x := range reportTable {
		rows = append(rows, diagram.Row{From: x.From.String(), To: x.To.String(), Label: x.On, Rule: x.Rule})
	}
	var states, final []string
	for s := Accepted; s <= Dismissed; s++ {
		states = append(states, s.String())
		if s.Final() {
			final = append(final, s.String())
		}
	}
	start := []diagram.Edge{
		{To: Accepted.String(), Label: "file_report (DSP-2, DSP-8)"},
		{To: Routed.String(), Label: "file_report, kind in report_routed (DSP-8)"},
	}
	return diagram.Build("report", states, start, rows, final)
}
