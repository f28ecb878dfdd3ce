package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tradepolicy/tradepolicy/rules"
)

// loadSrc loads one file against the corpus schema and returns its
// errors, which must be there, and how long the load took.
func loadSrc(t *testing.T, src string) (rules.Errors, time.Duration) {
	t.Helper()
	start := time.Now()
	_, err := rules.Load(corpusSchema, fstest.MapFS{"f.yaml": {Data: []byte(src)}})
	d := time.Since(start)
	var errs rules.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("err = %v, want rules.Errors", err)
	}
	checkLoadError(t, err, map[string]string{"f.yaml": src})
	return errs, d
}

const corpusHead = "policy: shop\nversion: 2023-07-23\n"

// validShop defines every threshold of the corpus schema.
const validShop = corpusHead + `thresholds:
  pay_window: order.activity_limit
  auto_confirm: days(10)
  bean_ratio: decimal("0.99")
  max_beans: order.payable
  max_items: '200'
  parcel_limit: order.count
  presale_ok: order.presale
  cap_ok: amount > decimal("0")
  currency: '"CNY"'
  settle_currency: buyer.region
  blocked_tags: '["weapon"]'
  vip_tags: tags
`

// TestErrorsStaySmall: a one-line file of thousands of unknown
// thresholds gives at most MaxErrors errors and a count of the rest,
// each showing a window of the line, not the line.
func TestErrorsStaySmall(t *testing.T) {
	var b strings.Builder
	b.WriteString("{policy: shop, version: 2023-07-23, thresholds: {max_items: '1'")
	for i := 0; i < rules.MaxEntries-1; i++ { // about 40 KB on one line
		fmt.Fprintf(&b, ", u%05d_%s: '1'", i, strings.Repeat("x", 30))
	}
	b.WriteString("}}")
	errs, d := loadSrc(t, b.String())
	if len(errs) != rules.MaxErrors+1 {
		t.Fatalf("%d errors, want MaxErrors+1", len(errs))
	}
	last := errs[len(errs)-1]
	if !strings.HasPrefix(last.Msg, "and ") || !strings.HasSuffix(last.Msg, " more errors") || !errors.Is(last, rules.ErrUnknown) {
		t.Errorf("last error: %v", last)
	}
	if n := len(errs.Error()); n > 40_000 {
		t.Errorf("error text of %d bytes", n)
	}
	if d > 3*time.Second {
		t.Errorf("load took %v", d)
	}
	// The window keeps the caret under the column.
	e := errs[50]
	lines := strings.Split(e.Error(), "\n")
	src, caret := strings.TrimPrefix(lines[1], " | "), strings.TrimPrefix(lines[2], " | ")
	if n := len([]rune(src)); n > 90 {
		t.Errorf("window of %d characters", n)
	}
	col := len([]rune(caret))
	if got, want := string([]rune(src)[col-1:col-1+6]), e.Source[e.Col-1:e.Col-1+6]; got != want {
		t.Errorf("caret under %q, want under %q:\n%s", got, want, e.Error())
	}
}

// TestLongValuesAreCut: a message quotes at most about 80 characters of
// a value.
func TestLongValuesAreCut(t *testing.T) {
	long := strings.Repeat("z", 100_000)
	errs, _ := loadSrc(t, corpusHead+"zone: "+long+"\nthresholds:\n  "+long+": '1'\n")
	for _, e := range errs {
		if len(e.Msg) > 400 {
			t.Errorf("message of %d bytes: %.120s", len(e.Msg), e.Msg)
		}
	}
}

// TestAliasExpansion: aliases expanding to more than maxAliasRatio
// times the file are refused at the alias that passes the budget.
func TestAliasExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString(corpusHead + "tests:\n")
	b.WriteString("  - {name: &a \"" + strings.Repeat("x", 100<<10) + "\", want: {nosuch: 1}}\n")
	for range 30 {
		b.WriteString("  - {name: *a, want: {nosuch: 1}}\n")
	}
	errs, d := loadSrc(t, b.String())
	found := false
	for _, e := range errs {
		if errors.Is(e, rules.ErrValue) && strings.Contains(e.Msg, "aliases expand to more than") {
			found = true
			if e.Line != 15 || e.Col != 12 {
				t.Errorf("alias refused at %d:%d, want 15:12 (the eleventh alias)", e.Line, e.Col)
			}
		}
	}
	if !found {
		t.Errorf("no alias error in:\n%.2000v", errs)
	}
	if n := len(errs.Error()); n > 40_000 || d > 2*time.Second {
		t.Errorf("error text of %d bytes in %v", n, d)
	}
}

// TestDeepInput: a test input nested thousands of levels deep stops at
// the first key no declared input can match.
func TestDeepInput(t *testing.T) {
	key := strings.Repeat("k", 64)
	depth := 9998
	src := corpusHead + "thresholds: {max_items: '1'}\ntests:\n  - name: deep\n    want: {max_items: 1}\n    input: " +
		strings.Repeat("{"+key+": ", depth) + "1" + strings.Repeat("}", depth) + "\n"
	errs, d := loadSrc(t, src)
	if d > 3*time.Second {
		t.Errorf("load took %v", d)
	}
	e := errs[0]
	if !errors.Is(e, rules.ErrUnknown) || e.Line != 7 || e.Col != 13 || len(errs) > 30 {
		t.Errorf("first of %d errors: %v", len(errs), e)
	}
	// A declared path nested as mappings still works.
	ok := corpusHead + "thresholds: {pay_window: 'order.activity_limit', max_items: '1'}\ntests:\n  - name: nested\n    input: {order: {activity_limit: 15m}}\n    want: {pay_window: 15m}\n"
	if _, err := rules.Load(corpusSchema, fstest.MapFS{"f.yaml": {Data: []byte(ok)}}); err == nil || strings.Contains(err.Error(), "unknown input") {
		t.Errorf("nested declared input: %v", err)
	}
}

// TestFileLimits: a file over MaxFileSize, or with more than MaxEntries
// thresholds or test cases, is refused at once with a position.
func TestFileLimits(t *testing.T) {
	big := corpusHead + "thresholds:\n" + strings.Repeat("  u0000000: '1'\n", 5<<20/16)
	errs, d := loadSrc(t, big)
	if len(errs) != 1 || !errors.Is(errs[0], rules.ErrValue) || errs[0].Line != 1 || errs[0].Col != 1 || !strings.Contains(errs[0].Msg, "over the maximum of 1048576") {
		t.Errorf("a 5 MB file: %v", errs)
	}
	if d > time.Second {
		t.Errorf("refusing a 5 MB file took %v", d)
	}
	base, err := rules.Load(corpusSchema, fstest.MapFS{"f.yaml": {Data: []byte(validShop)}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = base.OverrideExpr("max_items", strings.Repeat("1 + ", 1<<19)+"1")
	if !errors.Is(err, rules.ErrValue) || !strings.HasPrefix(err.Error(), "<expr>:1:1: the file is 2097153 bytes, over the maximum") {
		t.Errorf("a 2 MB expression: %.200v", err)
	}
	var b strings.Builder
	b.WriteString(corpusHead + "thresholds:\n")
	for i := range rules.MaxEntries + 5 {
		fmt.Fprintf(&b, "  u%d: '1'\n", i)
	}
	errs, _ = loadSrc(t, b.String())
	found := false
	for _, e := range errs {
		if strings.Contains(e.Msg, "more than 1000 thresholds in one file") {
			found = true
			if e.Line != 3+rules.MaxEntries+1 || e.Col != 3 {
				t.Errorf("at %d:%d, want the entry past the maximum", e.Line, e.Col)
			}
		}
	}
	if !found {
		t.Errorf("no entry-count error")
	}
	b.Reset()
	b.WriteString(corpusHead + "tests:\n")
	for i := range rules.MaxEntries + 1 {
		fmt.Fprintf(&b, "  - {name: c%d, want: {max_items: 1}}\n", i)
	}
	errs, _ = loadSrc(t, b.String())
	if !strings.Contains(errs.Error(), fmt.Sprintf("f.yaml:%d:5: more than 1000 test cases in one file", 4+rules.MaxEntries)) {
		t.Errorf("test-case count: %.300v", errs)
	}
}

// TestPositionsOnEveryLineEnding: errors are placed on the line yaml.v3
// counts, for every line ending, and encoding problems carry a place.
func TestPositionsOnEveryLineEnding(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"CR", "policy: shop\rversion: 2023-07-23\rzone: X\r", `f.yaml:3:7: zone "X" is not an IANA time zone name`},
		{"CRLF", "policy: shop\r\nversion: 2023-07-23\r\nzone: X\r\n", `f.yaml:3:7: zone "X" is not an IANA time zone name`},
		{"NEL in a comment", "#\u0085policy: shop\nversion: 2023-07-23\nzone: X\n", `f.yaml:4:7: zone "X" is not an IANA time zone name`},
		{"LS", "policy: shop\u2028version: 2023-07-23\u2028zone: X\u2028", `f.yaml:3:7: zone "X" is not an IANA time zone name`},
		{"PS", "# é\u2029policy: shop\nversion: 2023-07-23\nzone: X\n", `f.yaml:4:7: zone "X" is not an IANA time zone name`},
		{"BOM", "\ufeffpolicy: shop\nversion: 2023-07-23\nzone: X\n", `f.yaml:3:7: zone "X" is not an IANA time zone name`},
		{"UTF-16", "\xff\xfep\x00o\x00", `f.yaml:1:1: the file is UTF-16`},
		{"UTF-16BE", "\xfe\xff\x00p\x00o", `f.yaml:1:1: the file is UTF-16`},
		{"invalid UTF-8", "policy: shop\nzone: a\xffb\n", `f.yaml:2:8: invalid UTF-8 (byte 0xFF)`},
		{"NUL", "policy: shop\nzone: ab\x00\n", `f.yaml:2:9: character U+0000 is not allowed in a YAML file`},
		{"U+0080", "policy: shop\n# \u0080\n", `f.yaml:2:3: character U+0080 is not allowed in a YAML file`},
		{"empty", "", `f.yaml:1:1: empty rule file`},
		{"comment only", "# nothing\n", `f.yaml:1:1: empty rule file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, _ := loadSrc(t, tt.src)
			if !strings.HasPrefix(errs.Error(), tt.want) {
				t.Errorf("got %q\nwant prefix %q", errs.Error(), tt.want)
			}
		})
	}
}
