package rules

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
)

// parseBound parses a declared Min or Max of a threshold of type t.
func parseBound(t Type, text string) (any, error) {
	switch t {
	case Int:
		return strconv.ParseInt(text, 10, 64)
	case Decimal:
		d, err := decimal.NewFromString(text)
		if err != nil {
			return nil, err
		}
		if !decimalInRange(d) {
			return nil, errors.New(decimalRangeProblem(d))
		}
		return d, nil
	case Window:
		return clock.ParseWindow(text)
	}
	return nil, fmt.Errorf("%v has no bounds", t)
}

// nominal is a window's length with a calendar day counted as 24h.
func nominal(w clock.Window) time.Duration {
	if w.IsCalendar() {
		return time.Duration(w.Days) * 24 * time.Hour
	}
	return w.Duration
}

// compareValues compares two values of one bounded type.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case int64:
		y, _ := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case decimal.Decimal:
		y, _ := b.(decimal.Decimal)
		return x.Cmp(y)
	case clock.Window:
		y, _ := b.(clock.Window)
		nx, ny := nominal(x), nominal(y)
		switch {
		case nx < ny:
			return -1
		case nx > ny:
			return 1
		}
		return 0
	}
	return 0
}

// checkBounds reports a value outside the declared bounds of d.
func checkBounds(d *Decl, b bounds, x any) error {
	if b.min != nil && compareValues(x, b.min) < 0 {
		return fmt.Errorf("value %s is below the minimum %s that %s declares", FormatValue(x), d.Min, d.Name)
	}
	if b.max != nil && compareValues(x, b.max) > 0 {
		return fmt.Errorf("value %s is above the maximum %s that %s declares", FormatValue(x), d.Max, d.Name)
	}
	return nil
}

// maxQuoted is how many characters of a value a message quotes.
const maxQuoted = 80

// quote returns s quoted as %q does, cut to its first maxQuoted
// characters, so that a message never copies a long value.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	n, cut := 0, len(s)
	for i := range s {
		if n == maxQuoted {
			cut = i
			break
		}
		n++
	}
	if cut == len(s) {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// clip returns s, cut to its first maxQuoted characters.
func clip(s string) string {
	if q := quote(s); len(q) == len(s)+2 || len(s) <= maxQuoted {
		return s
	}
	n := 0
	for i := range s {
		if n == maxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// checkString checks a string input's value against its declaration.
func checkString(in *Input, s string) error {
	if len(s) > in.maxLen() {
		return fmt.Errorf("a string of %d bytes, over the declared maximum of %d", len(s), in.maxLen())
	}
	if len(in.Values) > 0 && !slices.Contains(in.Values, s) {
		return fmt.Errorf("%s is not one of %s", quote(s), strings.Join(in.Values, ", "))
	}
	return nil
}

// suggest returns the value of values closest to s by edit distance, or
// "" when none is close.
func suggest(s string, values []string) string {
	best, bestD := "", -1
	for _, v := range values {
		d := editDistance(s, v)
		if bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	if bestD < 0 || bestD > max(2, utf8.RuneCountInString(s)/2) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in
// characters; both are short (within MaxLen).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
