package points_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/points"
	"github.com/tradepolicy/tradepolicy/points/pointstest"
)

var shanghai = clock.MustZone("Asia/Shanghai")

// PTS-1 properties: never above 99%, always a multiple of 100, never above
// the balance or the caps; Check agrees with Max; allocations are exact.
func TestBeanOfferProperties(t *testing.T) {
	m := points.New(points.Options{})
	v := points.DefaultPolicy().In(fuzzStart)
	rapid.Check(t, func(t *rapid.T) {
		o, w, off := drawBeanOffer(t, m, 8)
		if err := pointstest.CheckBeanOffer(v, o, w, off); err != nil {
			t.Fatal(err)
		}
		n := pointstest.Beans(off).Draw(t, "beans")
		err := off.Check(n)
		if ok := n%100 == 0 && n <= off.Max; ok != (err == nil) {
			t.Fatalf("Check(%d) = %v with max %d", n, err, off.Max)
		}
		if err != nil {
			return
		}
		parts, err := off.Allocate(n)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for i, p := range parts {
			sum += p
			cp := o.Lines[i].BeanCap.Mul(decimal.NewFromInt(o.Lines[i].Quantity)).Shift(2).IntPart()
			if amt := o.Lines[i].Amount.Shift(2).IntPart(); cp > amt {
				cp = amt
			}
			if p < 0 || p > cp {
				t.Fatalf("line %d gets %d beans, cap %d", i, p, cp)
			}
		}
		if sum != n {
			t.Fatalf("allocation sums to %d, want %d", sum, n)
		}
	})
}

// paidSpend draws an order, a wallet and a valid choice, and pays it at
// fuzzStart.
func paidSpend(t *rapid.T, m *points.Machine) (points.Order, points.Result) {
	o, w, bo := drawBeanOffer(t, m, 6)
	beans := rapid.Int64Range(0, bo.Max/bo.Step).Draw(t, "beans") * bo.Step
	po, err := m.OfferPointsAt(o, w, points.Ledger{}, beans, fuzzStart)
	if err != nil {
		t.Fatal(err)
	}
	pts := rapid.Int64Range(0, po.Max/po.Unit).Draw(t, "points") * po.Unit
	res, err := m.PayAt(o, w, points.Ledger{}, points.Choice{Beans: beans, Points: pts}, fuzzStart)
	if err != nil {
		t.Fatal(err)
	}
	return o, res
}

// PTS-2 model test: random refunds (cumulative money facts, any stage,
// forced or not), redeliveries and clock moves. After every step: the
// state is valid and round-trips through JSON; effect IDs are unique and
// increasing over the whole life; each effect gives back exactly what the
// lines' counters grew by; nothing is given back twice and never more
// than was used; a refund the policy allows gives back exactly the
// model's share; ApplyAt leaves its input untouched. At the end a forced
// refund of everything settles every line.
func TestSpendModel(t *testing.T) {
	m := points.New(points.Options{})
	rapid.Check(t, func(t *rapid.T) {
		o, pay := paidSpend(t, m)
		s := pay.State
		lines := pointstest.PaidLines(o, s)
		now := fuzzStart.UTC()
		lastID := s.Seq
		var applied []points.Refund
		step := func(t *rapid.T, e points.Event) points.Result {
			before := s.Clone()
			res, err := m.ApplyAt(s, e, now)
			if err != nil {
				t.Fatalf("ApplyAt(%+v): %v", e, err)
			}
			if diff := cmp.Diff(before, s); diff != "" {
				t.Fatalf("ApplyAt changed its input (-before +after):\n%s", diff)
			}
			if err := pointstest.CheckStep(s, res); err != nil {
				t.Fatal(err)
			}
			for _, fx := range res.Effects {
				if fx.ID <= lastID || !fx.At.Equal(now) || fx.Rule != "PTS-2" {
					t.Fatalf("effect %+v after ID %d", fx, lastID)
				}
				lastID = fx.ID
			}
			b, err := json.Marshal(res.State)
			if err != nil {
				t.Fatal(err)
			}
			back, err := points.DecodeSpend(b)
			if err != nil || !cmp.Equal(back, res.State) {
				t.Fatalf("state JSON round trip: %v", err)
			}
			s = res.State
			return res
		}
		t.Repeat(map[string]func(*rapid.T){
			"refund": func(t *rapid.T) {
				r := pointstest.Refund(fmt.Sprintf("r%d", len(applied)), lines).Draw(t, "refund")
				prev := s.Clone()
				res := step(t, r)
				lines = pointstest.After(lines, r)
				applied = append(applied, r)
				allowed := r.Stage != points.Confirmed || r.Forced
				for _, rl := range r.Lines {
					i := slices.IndexFunc(s.Lines, func(l points.SpendLine) bool { return l.Line == rl.Line })
					a, b := s.Lines[i], prev.Lines[i]
					moved := a.BeansBack - b.BeansBack + a.PointsBack - b.PointsBack
					kept := a.BeansKept - b.BeansKept + a.PointsKept - b.PointsKept
					if allowed && kept != 0 || !allowed && moved != 0 {
						t.Fatalf("line %s: allowed %t, back %d kept %d (%v)", rl.Line, allowed, moved, kept, res.Decisions)
					}
					if want := shareOf(a.Beans, rl); rl.Done && a.BeansBack+a.BeansKept != a.Beans ||
						!rl.Done && a.BeansBack+a.BeansKept < want || a.BeansBack+a.BeansKept > max(want, b.BeansBack+b.BeansKept) {
						t.Fatalf("line %s: %d beans settled of %d at %s/%s, want %d", rl.Line, a.BeansBack+a.BeansKept, a.Beans, rl.Refunded, rl.Paid, want)
					}
				}
			},
			"redeliver": func(t *rapid.T) {
				if len(applied) == 0 {
					t.Skip("nothing applied yet")
				}
				r := rapid.SampledFrom(applied).Draw(t, "refund")
				prev := s.Clone()
				if res := step(t, r); len(res.Effects) != 0 || !cmp.Equal(prev, s) {
					t.Fatalf("redelivered refund %s changed the spend", r.ID)
				}
			},
			"advance": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.Int64Range(0, 86400).Draw(t, "s")) * time.Second)
				if res := m.AdvanceAt(s, now); !cmp.Equal(res.State, s) || len(res.Effects) != 0 || !res.Next.IsZero() {
					t.Fatalf("AdvanceAt changed a spend: %+v", res)
				}
			},
		})
		final := points.Refund{ID: "final", Stage: points.Confirmed, Forced: true}
		for _, l := range lines {
			final.Lines = append(final.Lines, points.RefundLine{Line: l.Line, Refunded: l.Paid, Paid: l.Paid, Done: true})
		}
		step(t, final)
		for _, l := range s.Lines {
			if !l.Done || l.BeansBack+l.BeansKept != l.Beans || l.PointsBack+l.PointsKept != l.Points {
				t.Fatalf("after a full refund: %+v", l)
			}
		}
	})
}

// shareOf is the model's settled beans of a line after rl: alloc ×
// refunded/paid, rounded half up (one bean is one fen by default).
func shareOf(alloc int64, rl points.RefundLine) int64 {
	if rl.Done || rl.Paid.IsZero() {
		if rl.Done {
			return alloc
		}
		return 0
	}
	return decimal.NewFromInt(alloc).Mul(rl.Refunded).Div(rl.Paid).Round(0).IntPart()
}

// PTS-3 model test: across random uses, redeliveries, releases and clock
// moves around a New Year, the ledger never passes the cap, its running
// total equals the model's sum over the current year's uses, a redelivered
// use or release counts once, and Next is always zero.
func TestLedgerModel(t *testing.T) {
	const annualCap = 14_000_000
	rapid.Check(t, func(t *rapid.T) {
		restores := rapid.Bool().Draw(t, "restores")
		set := points.DefaultPolicy()
		if !restores {
			var err error
			if set, err = set.OverrideExpr("points_refund_restores", "false"); err != nil {
				t.Fatal(err)
			}
		}
		now := pointstest.Instant(2025, shanghai).Draw(t, "start").UTC()
		m := points.NewLedger(points.Options{Policy: set})
		type use struct {
			id       string
			points   int64
			at       time.Time
			released int64
			releases []points.Release
		}
		var (
			l    points.Ledger
			uses []*use
		)
		yearOf := func(at time.Time) int { return at.In(shanghai).Year() }
		model := func() int64 {
			var n int64
			for _, u := range uses {
				if yearOf(u.at) == yearOf(now) {
					n += u.points
					if restores {
						n -= u.released
					}
				}
			}
			return n
		}
		apply := func(t *rapid.T, e points.Event) (points.LedgerResult, error) {
			res, err := m.ApplyAt(l, e, now)
			if !res.Next.IsZero() || len(res.Effects) != 0 {
				t.Fatalf("ledger result with next %s, effects %v", res.Next, res.Effects)
			}
			return res, err
		}
		t.Repeat(map[string]func(*rapid.T){
			"use": func(t *rapid.T) {
				n := rapid.Int64Range(1, 6_000_000).Draw(t, "points")
				before := l.Clone()
				u := &use{id: fmt.Sprint(len(uses)), points: n, at: now}
				res, err := apply(t, points.Use{ID: u.id, Points: n, UsedAt: now})
				if err != nil {
					if !errors.Is(err, points.ErrAnnualCap) {
						t.Fatal(err)
					}
					if model()+n <= annualCap {
						t.Fatalf("use of %d refused with %d used", n, model())
					}
					if yearOf(before.Updated) == yearOf(now) && !cmp.Equal(res.State, before) {
						t.Fatal("refused use changed the ledger")
					}
					l = res.State
					return
				}
				l = res.State
				uses = append(uses, u)
			},
			"redeliver use": func(t *rapid.T) {
				if len(uses) == 0 {
					t.Skip("no use yet")
				}
				u := rapid.SampledFrom(uses).Draw(t, "use")
				res, err := apply(t, points.Use{ID: u.id, Points: u.points, UsedAt: u.at})
				if err != nil && !errors.Is(err, points.ErrAnnualCap) {
					t.Fatal(err)
				}
				l = res.State
			},
			"release": func(t *rapid.T) {
				if len(uses) == 0 {
					t.Skip("no use yet")
				}
				u := rapid.SampledFrom(uses).Draw(t, "use")
				if u.released == u.points {
					t.Skip("all given back")
				}
				n := rapid.Int64Range(1, u.points-u.released).Draw(t, "points")
				r := points.Release{ID: fmt.Sprintf("%s/%d", u.id, len(u.releases)), Use: u.id, Points: n, UsedAt: u.at}
				res, err := apply(t, r)
				if err != nil {
					t.Fatal(err)
				}
				u.released += n
				u.releases = append(u.releases, r)
				l = res.State
			},
			"redeliver release": func(t *rapid.T) {
				if len(uses) == 0 || len(uses[0].releases) == 0 {
					t.Skip("no release yet")
				}
				res, err := apply(t, uses[0].releases[0])
				if err != nil {
					t.Fatal(err)
				}
				l = res.State
			},
			"advance": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.Int64Range(0, 8*3600).Draw(t, "s")) * time.Second)
				res := m.AdvanceAt(l, now)
				if !res.Next.IsZero() {
					t.Fatalf("AdvanceAt asks to be woken at %s", res.Next)
				}
				l = res.State
			},
			"": func(t *rapid.T) {
				a, err := m.AllowanceAt(l, now)
				if err != nil {
					t.Fatal(err)
				}
				if want := model(); a.Used != want {
					t.Fatalf("ledger counts %d in %d, model %d", a.Used, a.Year, want)
				}
				if err := pointstest.CheckLedger(l, annualCap); err != nil {
					t.Fatal(err)
				}
			},
		})
	})
}

// drawBeanOffer draws an order of up to maxLines lines and a wallet, and
// returns them with m's bean offer at fuzzStart.
func drawBeanOffer(t *rapid.T, m *points.Machine, maxLines int) (points.Order, points.Wallet, points.BeanOffer) {
	o := pointstest.Order(maxLines).Draw(t, "order")
	w := pointstest.Wallet().Draw(t, "wallet")
	off, err := m.OfferBeansAt(o, w, fuzzStart)
	if err != nil {
		t.Fatal(err)
	}
	return o, w, off
}
