// Package providertest gives hosts and this library's tests rapid
// generators of provider events, findings and merchants, and a checker of
// the invariants every step of a [provider.Machine] keeps.
package providertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/internal/wire"
	"github.com/tradepolicy/tradepolicy/provider"
)

// Clause generates a clause of SP §4 (escalation clauses included, which
// a finding may not name).
func Clause() *rapid.Generator[provider.Clause] {
	cs := provider.Clauses()
	// Half the time one of a few clauses, so that a provider's record
	// builds up repeat violations (PRV-11) and 4.31's facts matter.
	common := []provider.Clause{17, 20, 27, 31}
	return rapid.Custom(func(t *rapid.T) provider.Clause {
		if rapid.Bool().Draw(t, "common") {
			return rapid.SampledFrom(common).Draw(t, "clause")
		}
		return rapid.SampledFrom(cs).Draw(t, "clause").Clause
	})
}

// Finding generates a finding with random facts.
func Finding() *rapid.Generator[provider.Finding] {
	return rapid.Custom(func(t *rapid.T) provider.Finding {
		f := provider.Finding{
			Clause:         Clause().Draw(t, "clause"),
			Significant:    rapid.IntRange(0, 4).Draw(t, "significant") == 0,
			GoodwillDamage: rapid.IntRange(0, 4).Draw(t, "goodwill") == 0,
			AssetLoss:      rapid.IntRange(0, 4).Draw(t, "asset_loss") == 0,
			NoticeSent:     rapid.Bool().Draw(t, "notice_sent"),
			FactorRemained: rapid.Bool().Draw(t, "factor_remained"),
		}
		if rapid.Bool().Draw(t, "staff") {
			f.Staff = []string{rapid.SampledFrom([]string{"li", "wang", "zhang"}).Draw(t, "who")}
		}
		return f
	})
}

// Measures generates a non-empty set of measures (termination included,
// which cannot be temporary).
func Measures() *rapid.Generator[[]provider.Measure] {
	all := []provider.Measure{provider.ExtendSettlement, provider.StopResources, provider.DeductFees, provider.WithholdFees, provider.Terminate}
	return rapid.Custom(func(t *rapid.T) []provider.Measure {
		ms := rapid.SliceOfNDistinct(rapid.SampledFrom(all), 1, 3, func(m provider.Measure) provider.Measure { return m }).Draw(t, "measures")
		return ms
	})
}

// Event generates an event for state s at now: mostly events the state
// allows, and some it refuses (a missing case, a late objection, a
// temporary termination, no proof).
func Event(s provider.State, now time.Time) *rapid.Generator[provider.Event] {
	return rapid.Custom(func(t *rapid.T) provider.Event {
		id := 1
		if n := len(s.Cases); n > 0 {
			id = rapid.IntRange(1, n+1).Draw(t, "case")
		}
		if c, ok := s.Case(id); ok && rapid.IntRange(0, 3).Draw(t, "fit") > 0 {
			if e := fitting(t, c, now); e != nil {
				return e
			}
		}
		switch rapid.IntRange(0, 7).Draw(t, "kind") {
		case 0:
			origin := rapid.SampledFrom([]provider.Origin{provider.MerchantComplaint, provider.UserComplaint, provider.Inspection}).Draw(t, "origin")
			back := time.Duration(rapid.IntRange(0, 400).Draw(t, "back_days")) * 24 * time.Hour
			return provider.Open{Origin: origin, OccurredAt: now.Add(-back), Resolve: origin.Complaint() && rapid.Bool().Draw(t, "resolve")}
		case 1:
			return provider.Resolve{Case: id}
		case 2:
			return provider.Temporary{Case: id, Measures: Measures().Draw(t, "measures")}
		case 3:
			return provider.Clear{Case: id}
		case 4:
			return provider.Judge{Case: id, Finding: Finding().Draw(t, "finding")}
		case 5:
			back := time.Duration(rapid.IntRange(0, 10).Draw(t, "sent_back_days")) * 24 * time.Hour
			return provider.NoticeSent{Case: id, SentAt: now.Add(-back)}
		case 6:
			return provider.Object{Case: id, Proof: rapid.SampledFrom([]string{"", "contract.pdf"}).Draw(t, "proof")}
		}
		return provider.RuleObjection{Case: id, Valid: rapid.Bool().Draw(t, "valid")}
	})
}

// fitting returns an event that suits case c's status, or nil.
func fitting(t *rapid.T, c provider.Case, now time.Time) provider.Event {
	switch c.Status {
	case provider.Investigating:
		switch rapid.IntRange(0, 3).Draw(t, "investigate") {
		case 0:
			return provider.Temporary{Case: c.ID, Measures: Measures().Draw(t, "measures")}
		case 1:
			return provider.Clear{Case: c.ID}
		}
		return provider.Judge{Case: c.ID, Finding: Finding().Draw(t, "finding")}
	case provider.Judged:
		span := now.Sub(c.JudgedAt)
		off := time.Duration(rapid.Int64Range(0, int64(span)).Draw(t, "sent_offset"))
		return provider.NoticeSent{Case: c.ID, SentAt: c.JudgedAt.Add(off)}
	case provider.Noticed:
		return provider.Object{Case: c.ID, Proof: "written reply"}
	case provider.Objected:
		return provider.RuleObjection{Case: c.ID, Valid: rapid.Bool().Draw(t, "valid")}
	}
	if !c.ResolveBy.IsZero() && c.ResolvedAt.IsZero() {
		return provider.Resolve{Case: c.ID}
	}
	return nil
}

// Merchants generates up to n merchants with fields from small
// alphabets, written in mixed widths, cases and spacing, so that
// duplicates are common.
func Merchants(n int) *rapid.Generator[[]provider.Merchant] {
	return rapid.Custom(func(t *rapid.T) []provider.Merchant {
		k := rapid.IntRange(0, n).Draw(t, "n")
		out := make([]provider.Merchant, k)
		for i := range out {
			out[i] = provider.Merchant{ID: fmt.Sprintf("m%03d", i),
				Name: variant(t, "name"), Address: variant(t, "address"), Location: variant(t, "location")}
		}
		return out
	})
}

func variant(t *rapid.T, label string) string {
	base := rapid.SampledFrom([]string{"", "a1", "b2", "c3", "shop x", "店铺"}).Draw(t, label)
	var b []rune
	for _, r := range base {
		switch rapid.IntRange(0, 3).Draw(t, label+"_form") {
		case 1:
			if r >= '!' && r <= '~' {
				r += 0xFEE0 // full width
			}
		case 2:
			if r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
		case 3:
			b = append(b, ' ')
		}
		b = append(b, r)
	}
	return string(b)
}

// Check reports the first invariant that the step from before to res at
// now breaks:
//   - res.State is valid ([provider.State.Validate]) and JSON round-trips,
//     and res as a whole round-trips with its effects' variants;
//   - a provider that is not Active keeps its standing: nothing restores it;
//   - effect IDs continue before.Seq without a gap, up to res.State.Seq,
//     and no effect is dated after now;
//   - cases are only appended; a closed case never changes (but for its
//     complaint's resolution, PRV-8);
//   - temporary measures are lifted exactly when a case leaves its
//     investigation, and only the ones in force; other measures are
//     lifted only by a valid objection (Cancelled);
//   - a deadline fires once: a case turns overdue and final at most once,
//     and res.Next is zero or after now.
func Check(before provider.State, res provider.Result, now time.Time) error {
	after := res.State
	if err := after.Validate(); err != nil {
		return err
	}
	if err := roundTrip(res); err != nil {
		return err
	}
	if before.Standing != provider.Active && after.Standing != before.Standing {
		return fmt.Errorf("standing %v became %v", before.Standing, after.Standing)
	}
	if before.Standing != provider.Active && (after.EndedAt != before.EndedAt || after.EndedBy != before.EndedBy) {
		return fmt.Errorf("the end of cooperation changed")
	}
	want := before.Seq
	for _, e := range res.Effects {
		want++
		if e.ID != want {
			return fmt.Errorf("effect ID %d, want %d", e.ID, want)
		}
		if e.At.After(now) || e.Rule == "" || e.Act == nil {
			return fmt.Errorf("effect %d: at %v (now %v), rule %q", e.ID, e.At, now, e.Rule)
		}
	}
	if after.Seq != want {
		return fmt.Errorf("seq %d after effects up to %d", after.Seq, want)
	}
	if len(after.Cases) < len(before.Cases) {
		return fmt.Errorf("cases dropped: %d then %d", len(before.Cases), len(after.Cases))
	}
	if !res.Next.IsZero() && !res.Next.After(now) && !now.Before(before.Last) {
		return fmt.Errorf("next %v is not after now %v", res.Next, now)
	}
	lifts := map[int][]provider.LiftMeasures{}
	overdue := map[int]int{}
	for _, e := range res.Effects {
		switch a := e.Act.(type) {
		case provider.LiftMeasures:
			lifts[a.Case] = append(lifts[a.Case], a)
		case provider.ResolutionOverdue:
			overdue[a.Case]++
		}
	}
	for i, b := range before.Cases {
		a := after.Cases[i]
		if b.Status.Closed() && !sameCase(a, b) {
			return fmt.Errorf("closed case %d changed", b.ID)
		}
		if overdue[b.ID] > 0 && (b.Overdue || overdue[b.ID] > 1) {
			return fmt.Errorf("case %d: resolution deadline fired again", b.ID)
		}
		if b.Status == provider.Final && a.ClosedAt != b.ClosedAt {
			return fmt.Errorf("case %d: closed twice", b.ID)
		}
		if err := checkLifts(b, a, lifts[b.ID]); err != nil {
			return err
		}
	}
	for _, a := range after.Cases[len(before.Cases):] {
		if len(lifts[a.ID]) > 0 {
			return fmt.Errorf("case %d: measures lifted in the step that opened it", a.ID)
		}
	}
	return nil
}

func checkLifts(b, a provider.Case, ls []provider.LiftMeasures) error {
	var temp, final []provider.Measure
	for _, l := range ls {
		if l.Temporary {
			temp = append(temp, l.Measures...)
		} else {
			final = append(final, l.Measures...)
		}
	}
	left := b.Status == provider.Investigating && a.Status != provider.Investigating
	switch {
	case !left && len(temp) > 0:
		return fmt.Errorf("case %d: temporary measures lifted while it stayed %v", b.ID, a.Status)
	case left && a.Status == provider.Cleared && !slices.Equal(temp, b.Temporary):
		return fmt.Errorf("case %d: cleared, lifted %v of temporary %v", b.ID, temp, b.Temporary)
	case left && a.Status != provider.Cleared:
		for _, m := range temp {
			if !slices.Contains(b.Temporary, m) || slices.Contains(a.Measures, m) {
				return fmt.Errorf("case %d: judged, lifted %v of temporary %v", b.ID, m, b.Temporary)
			}
		}
	}
	cancelled := b.Status != provider.Cancelled && a.Status == provider.Cancelled
	if cancelled != (len(final) > 0) && !(cancelled && onlyTermination(a.Measures)) {
		return fmt.Errorf("case %d: measures lifted %v going %v to %v", b.ID, final, b.Status, a.Status)
	}
	for _, m := range final {
		if m == provider.Terminate {
			return fmt.Errorf("case %d: a termination lifted", b.ID)
		}
	}
	return nil
}

func onlyTermination(ms []provider.Measure) bool {
	return len(ms) == 1 && ms[0] == provider.Terminate
}

// sameCase compares two cases but for the complaint's resolution, which
// runs on after the case closes (PRV-8).
func sameCase(a, b provider.Case) bool {
	a.ResolvedAt, a.Overdue, b.ResolvedAt, b.Overdue = time.Time{}, false, time.Time{}, false
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func roundTrip(res provider.Result) error {
	data, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	var back provider.Result
	if err := wire.Decode(data, &back); err != nil {
		return fmt.Errorf("decode result: %w", err)
	}
	again, err := json.Marshal(back)
	if err != nil || !bytes.Equal(data, again) {
		return fmt.Errorf("result does not round-trip:\n%s\n%s", data, again)
	}
	sdata, _ := json.Marshal(res.State)
	if _, err := provider.DecodeState(sdata); err != nil {
		return fmt.Errorf("state does not decode: %w", err)
	}
	return nil
}
