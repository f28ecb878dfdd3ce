package dispute_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/dispute"
)

// A buyer complains about goods not received (DSP-1, DR art.5); the
// merchant does not reply within 48 hours (DSP-4), day 3 passes without
// an intervention request, and at filed+72h the complaint closes judged
// valid (DSP-5). The merchant's record then warrants a search demotion
// (DSP-10).
func Example() {
	zone := clock.MustZone("Asia/Shanghai")
	clk := clock.NewManual(time.Date(2024, 3, 1, 9, 0, 0, 0, zone))
	m := dispute.New(dispute.Options{Clock: clk})
	trade := dispute.Trade{ID: "O-1001", Status: dispute.InProgress, PaidAt: clk.Now().Add(-24 * time.Hour)}

	var st dispute.State
	show := func(res dispute.Result) {
		st = res.State
		c, _ := st.Complaint(1)
		next := "none"
		if !res.Next.IsZero() {
			next = res.Next.In(zone).Format("01-02 15:04")
		}
		fmt.Printf("%-14s next %s", c.Status, next)
		for _, e := range res.Effects {
			fmt.Printf(" %s@%s", e.Kind(), e.At.In(zone).Format("01-02 15:04"))
		}
		fmt.Println()
	}
	res, err := m.Apply(trade, st, dispute.Complain{
		Type: "delivery", NotReceived: true,
		Filer:      dispute.Filer{Identity: "buyer-7", Contact: "138-0000-0000"},
		Respondent: "store-42", Claims: "refund", Facts: "no parcel after 10 days", Reasons: "not delivered",
		Evidence: []string{"tracking screenshot"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	show(res)
	clk.Advance(72 * time.Hour)
	res = m.Advance(trade, st)
	show(res)
	judged := res.Effects[len(res.Effects)-1]
	j := judged.Act.(dispute.Judged)
	fmt.Println(j.Outcome, "by version", j.Version, "rule", judged.Rule)

	rec, _ := m.RecordAt(dispute.Record{}, judged, clk.Now())
	for _, e := range rec.Effects {
		p := e.Act.(dispute.Penalty)
		fmt.Println(p.Merchant, p.Level, "citing", len(p.Cites), "complaint(s)")
	}

	_, err = m.Apply(trade, st, dispute.Reply{Complaint: 1})
	fmt.Println(errors.Is(err, dispute.ErrFinal), err)
	// Output:
	// awaiting_reply next 03-03 09:00 dispute_notice@03-01 09:00 dispute_shipping_proof@03-01 09:00
	// done           next none dispute_notice@03-03 09:00 dispute_judged@03-04 09:00
	// valid by version 2023-07-23 rule DSP-5
	// store-42 search_demotion citing 1 complaint(s)
	// true dispute.Apply(reply): dispute: complaint or report is final (DSP-4): complaint 1 closed valid
}

// A filing missing several acceptance conditions is refused with every
// missing item named (DSP-2).
func Example_acceptance() {
	m := dispute.New(dispute.Options{})
	at := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)
	trade := dispute.Trade{ID: "O-1", Status: dispute.InProgress, PaidAt: at.Add(-time.Hour)}
	_, err := m.ApplyAt(trade, dispute.State{}, dispute.Complain{Type: "price", Respondent: "store-42", Claims: "refund the difference"}, at)
	var missing *dispute.MissingError
	fmt.Println(errors.As(err, &missing), missing.Items)
	fmt.Println(err)
	// Output:
	// true [identity claims evidence]
	// dispute.Apply(complain): dispute: filing not accepted: missing identity (DSP-2), claims (DSP-2), evidence (DSP-2) (DSP-2)
}

// Arbitration locks the trade (DSP-9, ORD-19): nothing fires while it is
// locked, and the deadlines resume moved later by the locked time.
func Example_lock() {
	m := dispute.New(dispute.Options{})
	at := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)
	trade := dispute.Trade{ID: "O-1", Status: dispute.InProgress, PaidAt: at.Add(-time.Hour)}
	file := dispute.Complain{Type: "product", Filer: dispute.Filer{Identity: "b", Contact: "c"}, Respondent: "s",
		Claims: "c", Facts: "f", Reasons: "r", Evidence: []string{"e"}}
	res, _ := m.ApplyAt(trade, dispute.State{}, file, at)
	res, _ = m.ApplyAt(trade, res.State, file, at)
	res, _ = m.ApplyAt(trade, res.State, dispute.GoToCourt{Complaint: 2, Forum: dispute.Court}, at.Add(time.Hour))
	fmt.Println(res.Effects[0].Kind(), res.State.Locked(), res.Next.IsZero())
	res = m.AdvanceAt(trade, res.State, at.Add(100*time.Hour))
	fmt.Println(len(res.Effects), "effects while locked")
	res, _ = m.ApplyAt(trade, res.State, dispute.Unlock{Complaint: 2, How: dispute.SettledByAgreement}, at.Add(101*time.Hour))
	fmt.Println(res.Effects[0].Kind(), "next reply deadline", res.Next.Sub(at))
	// Output:
	// dispute_lock_order true true
	// 0 effects while locked
	// dispute_unlock_order next reply deadline 148h0m0s
}

// A trade value that holds its own facts once and its disputes beside
// them, as package order does: the facts are passed in on every call,
// the dispute state is stored back, and the lock is read from the
// dispute state rather than copied.
func Example_trade() {
	type trade struct {
		Number   string
		Status   dispute.TradeStatus // the order's own status, mapped
		PaidAt   time.Time
		Disputes dispute.State
	}
	facts := func(t trade) dispute.Trade {
		return dispute.Trade{ID: t.Number, Status: t.Status, PaidAt: t.PaidAt}
	}
	m := dispute.New(dispute.Options{})
	at := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)
	tr := trade{Number: "O-7", Status: dispute.InProgress, PaidAt: at.Add(-time.Hour)}
	for _, step := range []struct {
		at time.Duration
		e  dispute.Event
	}{
		{0, dispute.Complain{Type: "after_sales", Filer: dispute.Filer{Identity: "b", Contact: "c"}, Respondent: "s",
			Claims: "repair", Facts: "broken hinge", Reasons: "warranty", Evidence: []string{"photo"}}},
		{time.Hour, dispute.GoToCourt{Complaint: 1, Forum: dispute.Arbitral}},
		{90 * 24 * time.Hour, dispute.Unlock{Complaint: 1, How: dispute.JudgmentExecuted, Verdict: dispute.VerdictValid}},
	} {
		res, err := m.ApplyAt(facts(tr), tr.Disputes, step.e, at.Add(step.at))
		tr.Disputes = res.State // always stored, with the effects
		if err != nil {
			fmt.Println(err)
		}
		for _, e := range res.Effects {
			switch a := e.Act.(type) {
			case dispute.LockOrder:
				fmt.Println("lock", a.Trade, "- the order pauses its own timers")
			case dispute.UnlockOrder:
				fmt.Println("unlock", a.Trade, "after", e.At.Sub(a.Since))
			case dispute.Judged:
				fmt.Println("judged", a.Outcome)
			}
		}
		fmt.Println("locked:", tr.Disputes.Locked(), "open complaints:", tr.Disputes.OpenComplaints())
	}
	// Output:
	// locked: false open complaints: 1
	// lock O-7 - the order pauses its own timers
	// locked: true open complaints: 1
	// unlock O-7 after 2159h0m0s
	// judged valid
	// locked: false open complaints: 0
}
