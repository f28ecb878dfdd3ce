// Command versions judges the same complaint before and after a rule
// revision. The host adds a version of the dispute policy in force from
// 2025-01-01 (policies/dispute-2025-01-01.yaml: a 24-hour reply period,
// closing valid at filed+48h). A complaint filed on 2024-12-31 is judged
// by the version in force at its filing, 2023-07-23, for its whole life,
// even though its deadlines fall after the revision; one filed at 00:00
// on 2025-01-01 is judged by the revision (DSP-12). Instants are explicit,
// so the output is the same on every run.
package main

import (
	"embed"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/dispute"
	"github.com/tradepolicy/tradepolicy/rules"
)

//go:embed policies/*.yaml
var policies embed.FS

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "versions:", err)
		os.Exit(1)
	}
}

var sh = clock.MustZone("Asia/Shanghai")

func stamp(t time.Time) string { return t.In(sh).Format("2006-01-02 15:04:05") }

func run(w io.Writer) error {
	set, err := dispute.DefaultPolicy().Override(policies, "policies/*.yaml")
	if err != nil {
		return err
	}
	if err := dispute.CheckPolicy(set); err != nil {
		return err
	}
	for _, r := range set.RunTests() {
		if !r.Passed() {
			return fmt.Errorf("%s:%d: rule-file test %q: %s want %s, got %s (%v)", r.File, r.Line, r.Case, r.Threshold, r.Want, r.Got, r.Err)
		}
	}
	fmt.Fprintln(w, "== policy dispute: versions")
	for _, v := range set.Versions() {
		rp, _ := v.Expr("reply_period")
		d3, _ := v.Expr("day3_end")
		fmt.Fprintf(w, "%s from %s  reply_period %s  day3_end %s\n", v.Date(), stamp(v.Effective()), rp, d3)
	}
	m := dispute.New(dispute.Options{Policy: set})

	before := time.Date(2024, 12, 31, 12, 0, 0, 0, sh)
	revision := time.Date(2025, 1, 1, 0, 0, 0, 0, sh)
	if err := judge(w, m, "O-1", before); err != nil {
		return err
	}
	if err := judge(w, m, "O-2", revision.Add(-time.Second)); err != nil {
		return err
	}
	return judge(w, m, "O-3", revision)
}

// judge files the same complaint on a trade at filed, lets the merchant
// stay silent, and prints every deadline until the complaint is judged.
func judge(w io.Writer, m *dispute.Machine, id string, filed time.Time) error {
	trade := dispute.Trade{ID: id, Status: dispute.InProgress, PaidAt: time.Date(2024, 12, 20, 9, 0, 0, 0, sh)}
	fmt.Fprintf(w, "\n== trade %s: complaint filed %s\n", id, stamp(filed))
	res, err := m.ApplyAt(trade, dispute.State{}, dispute.Complain{
		Type: "delivery", NotReceived: true,
		Filer:      dispute.Filer{Identity: "buyer-7", Contact: "138-0000-0000"},
		Respondent: "store-42", Claims: "refund", Facts: "no parcel after 10 days", Reasons: "not delivered",
		Evidence: []string{"tracking screenshot"},
	}, filed)
	show(w, res)
	if err != nil {
		return err
	}
	c, _ := res.State.Complaint(1)
	fmt.Fprintf(w, "  pinned to version %s; reply due %s, day 3 ends %s\n", c.Version, stamp(c.Deadline), stamp(c.Day3End))
	for st := res.State; !res.Next.IsZero(); st = res.State {
		fmt.Fprintf(w, "-- wake at %s\n", stamp(res.Next))
		res = m.AdvanceAt(trade, st, res.Next)
		show(w, res)
	}
	c, _ = res.State.Complaint(1)
	fmt.Fprintf(w, "  complaint %d: %s, outcome %s, judged by version %s\n", c.ID, c.Status, c.Outcome, c.Version)
	return nil
}

func show(w io.Writer, res dispute.Result) {
	for _, e := range res.Effects {
		line := fmt.Sprintf("  %s effect %d %s (%s)", stamp(e.At), e.ID, e.Kind(), e.Rule)
		if j, ok := e.Act.(dispute.Judged); ok {
			line += fmt.Sprintf(": %s by version %s", j.Outcome, j.Version)
		}
		fmt.Fprintln(w, line)
	}
	for _, d := range res.Decisions {
		fmt.Fprintln(w, "  decision", decision(d))
	}
}

// decision prints a decision without its source position, which names a
// file of the library.
func decision(d rules.Decision) string {
	d.Source = ""
	return d.String()
}
