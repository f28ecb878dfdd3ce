package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
)

// lint returns the warnings and infos of the files whose policy loaded.
func (t *tool) lint(l *loaded) []problem {
	var out []problem
	for _, f := range l.files {
		if _, ok := l.sets[f.policy]; !ok {
			continue
		}
		p, _ := t.policy(f.policy)
		out = append(out, identicalOverrides(f, p.Defaults(), l.sets[f.policy])...)
		out = append(out, unreadThresholds(f, p)...)
	}
	out = append(out, t.windowOrder(l)...)
	return out
}

// replacedVersions returns the versions whose thresholds a file
// replaces: every default version for a file without a version, the
// default version of its date, or, for a date the defaults lack, the
// version the new one inherits from in the effective set.
func replacedVersions(def, eff *rules.Set, version string) []*rules.Version {
	if version == "" {
		return def.Versions()
	}
	if v, ok := def.Version(version); ok {
		return []*rules.Version{v}
	}
	var from *rules.Version
	for _, v := range eff.Versions() {
		if v.Date() < version { // YYYY-MM-DD dates order as strings
			from = v
		}
	}
	if from == nil {
		return nil
	}
	return []*rules.Version{from}
}

// identicalOverrides warns of thresholds a file sets to what they
// already are in every version the file replaces (see replacedVersions):
// the same expression, or, for a threshold that reads no input, the
// same value.
func identicalOverrides(f *ruleFile, def, eff *rules.Set) []problem {
	var out []problem
	targets := replacedVersions(def, eff, f.version)
	what := "the defaults"
	if _, ok := def.Version(f.version); f.version != "" && !ok && len(targets) == 1 {
		what = "version " + targets[0].Date() + ", which the new version inherits"
	}
	if len(targets) == 0 {
		return nil
	}
	for _, th := range f.thresholds {
		decl, ok := def.Schema().Decl(th.name)
		if !ok {
			continue
		}
		var mine any
		if len(decl.Inputs) == 0 {
			if s, err := def.OverrideExpr(th.name, th.expr); err == nil {
				mine, _ = s.Latest().Eval(th.name)
			}
		}
		same, sameExpr := true, true
		var was string
		for _, v := range targets {
			expr, _ := v.Expr(th.name)
			was = expr
			if strings.TrimSpace(expr) == strings.TrimSpace(th.expr) {
				continue
			}
			sameExpr = false
			if mine != nil {
				if theirs, err := v.Eval(th.name); err == nil && rules.FormatValue(theirs) == rules.FormatValue(mine) {
					continue
				}
			}
			same = false
			break
		}
		if !same {
			continue
		}
		msg := fmt.Sprintf("override of %s changes nothing: %s is already its expression in %s", th.name, oneLine(th.expr), what)
		if !sameExpr {
			msg = fmt.Sprintf("override of %s changes nothing: %s has the value %s, as %s in %s", th.name, oneLine(th.expr), rules.FormatValue(mine), oneLine(was), what)
		}
		out = append(out, f.problemAt(th.line, th.col, levelWarning, "identical_override", msg))
	}
	return out
}

// unreadThresholds reports thresholds a file sets that no rule of the
// policy's catalogue reads. Without a catalogue nothing can be told.
func unreadThresholds(f *ruleFile, p policyEntry) []problem {
	if p.Catalogue == nil {
		return nil
	}
	read := map[string]bool{}
	for _, r := range p.Catalogue() {
		for _, name := range r.Thresholds {
			read[name] = true
		}
	}
	var out []problem
	for _, th := range f.thresholds {
		if _, declared := p.Schema().Decl(th.name); declared && !read[th.name] {
			out = append(out, f.problemAt(th.line, th.col, levelInfo, "unread_threshold",
				fmt.Sprintf("threshold %s is read by no rule of policy %s's catalogue: changing it changes nothing", th.name, p.Name)))
		}
	}
	return out
}

// windowOrder warns where, in some version in force, a window can be
// longer than a window it must fit inside. Only pairs one of whose
// thresholds comes from a checked file are reported, at that file's
// expression; pairs of a policy that did not load or that the tool does
// not know are skipped, as are windows that read inputs.
func (t *tool) windowOrder(l *loaded) []problem {
	var out []problem
	for _, pair := range t.pairs {
		pi, ok1 := t.policy(pair.Inner.Policy)
		po, ok2 := t.policy(pair.Outer.Policy)
		if !ok1 || !ok2 || l.failed(pair.Inner.Policy) || l.failed(pair.Outer.Policy) {
			continue
		}
		si, so := l.effective(pi), l.effective(po)
		if !constantWindow(si.Schema(), pair.Inner.Threshold) || !constantWindow(so.Schema(), pair.Outer.Threshold) {
			continue
		}
		var instants []time.Time
		for _, v := range append(si.Versions(), so.Versions()...) {
			instants = append(instants, v.Effective())
		}
		slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
		seen := map[string]bool{}
		for _, at := range instants {
			vi, vo := si.In(at), so.In(at)
			wi, err1 := vi.Eval(pair.Inner.Threshold)
			wo, err2 := vo.Eval(pair.Outer.Threshold)
			if err1 != nil || err2 != nil {
				continue
			}
			_, innerMax := windowBounds(wi.(clock.Window))
			outerMin, _ := windowBounds(wo.(clock.Window))
			if innerMax <= outerMin {
				continue
			}
			srcI, _ := vi.Source(pair.Inner.Threshold)
			srcO, _ := vo.Source(pair.Outer.Threshold)
			file, line, col, ok := l.checkedSource(srcI)
			if !ok {
				if file, line, col, ok = l.checkedSource(srcO); !ok {
					continue
				}
			}
			msg := fmt.Sprintf("window %s = %s (version %s) can be longer than %s = %s (version %s), which it must fit inside: %s",
				pair.Inner, rules.FormatValue(wi), vi.Date(), pair.Outer, rules.FormatValue(wo), vo.Date(), pair.Why)
			key := fmt.Sprintf("%s:%d:%d %s", file, line, col, msg)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, l.byName[file].problemAt(line, col, levelWarning, "window_order", msg))
		}
	}
	return out
}

// failed reports whether files of the policy were given and did not load.
func (l *loaded) failed(policy string) bool {
	if _, ok := l.sets[policy]; ok {
		return false
	}
	for _, f := range l.files {
		if f.policy == policy {
			return true
		}
	}
	return false
}

// checkedSource splits a "file:line:col" source and reports whether the
// file is one of the checked files.
func (l *loaded) checkedSource(src string) (string, int, int, bool) {
	i := strings.LastIndexByte(src, ':')
	if i < 0 {
		return "", 0, 0, false
	}
	j := strings.LastIndexByte(src[:i], ':')
	if j < 0 {
		return "", 0, 0, false
	}
	line, err1 := strconv.Atoi(src[j+1 : i])
	col, err2 := strconv.Atoi(src[i+1:])
	file := src[:j]
	if _, ok := l.byName[file]; !ok || err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return file, line, col, true
}

func constantWindow(s *rules.Schema, name string) bool {
	d, ok := s.Decl(name)
	return ok && d.Type == rules.Window && len(d.Inputs) == 0
}

// windowBounds returns the shortest and longest a window can be: an
// exact window is its duration; days(n) closes at the start of the
// (n+1)th day after the day it opens, so it lasts more than n and at most
// n+1 days (ignoring daylight-saving shifts of an hour or so).
func windowBounds(w clock.Window) (time.Duration, time.Duration) {
	if w.IsCalendar() {
		day := 24 * time.Hour
		return time.Duration(w.Days) * day, time.Duration(w.Days+1) * day
	}
	return w.Duration, w.Duration
}

// oneLine joins the lines of an expression with single blanks.
func oneLine(expr string) string { return strings.Join(strings.Fields(expr), " ") }
