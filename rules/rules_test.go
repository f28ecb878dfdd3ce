package rules_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradepolicy/tradepolicy/clock"
	"github.com/tradepolicy/tradepolicy/rules"
	"github.com/tradepolicy/tradepolicy/rules/rulestest"
)

// testSchema declares one threshold of every result type.
var testSchema = rules.MustSchema("shop",
	rules.Decl{Name: "enabled", Rule: "ORD-1", Type: rules.Bool},
	rules.Decl{Name: "max_coupons", Rule: "CPN-3", Type: rules.Int},
	rules.Decl{Name: "label", Rule: "DSP-1", Type: rules.String},
	rules.Decl{Name: "kinds", Rule: "CPN-2", Type: rules.Strings},
	rules.Decl{Name: "bean_ratio", Rule: "PTS-1", Type: rules.Decimal},
	rules.Decl{Name: "auto_confirm", Rule: "ORD-9", Type: rules.Window},
	rules.Decl{Name: "payment_timeout", Rule: "ORD-4", Type: rules.Window,
		Inputs: []rules.Input{{Name: "order.activity_limit", Type: rules.Duration}}},
	rules.Decl{Name: "max_beans", Rule: "PTS-1", Type: rules.Decimal,
		Inputs: []rules.Input{{Name: "order.payable", Type: rules.Decimal}, {Name: "order.flash", Type: rules.Bool}}},
	rules.Decl{Name: "tagged", Rule: "RFD-5", Type: rules.Bool,
		Inputs: []rules.Input{{Name: "item.tags", Type: rules.Strings, MaxItems: 100_000}}},
)

var (
	kEnabled  = rules.MustKey[bool](testSchema, "enabled")
	kMax      = rules.MustKey[int64](testSchema, "max_coupons")
	kLabel    = rules.MustKey[string](testSchema, "label")
	kKinds    = rules.MustKey[[]string](testSchema, "kinds")
	kRatio    = rules.MustKey[decimal.Decimal](testSchema, "bean_ratio")
	kConfirm  = rules.MustKey[clock.Window](testSchema, "auto_confirm")
	kTimeout  = rules.MustKey[clock.Window](testSchema, "payment_timeout")
	kMaxBeans = rules.MustKey[decimal.Decimal](testSchema, "max_beans")
	kTagged   = rules.MustKey[bool](testSchema, "tagged")
)

const v2018 = `policy: shop
version: 2018-12-29
zone: Asia/Shanghai
thresholds:
  enabled: true
  max_coupons: {rule: CPN-3, doc: at most this many, expr: '1'}
  label: '"general"'
  kinds: '["general", "shop"]'
  bean_ratio: decimal("0.99")
  auto_confirm: days(10)
  payment_timeout:
    rule: ORD-4
    expr: 'order.activity_limit != duration("0s") ? order.activity_limit : duration("24h")'
  max_beans: |
    order.flash ? decimal("0") :
      order.payable * decimal("0.99")
  tagged: 'item.tags.exists(t, t == "no-reason")'
tests:
  - name: flash sale uses its own limit
    input: {order: {activity_limit: 15m}}
    want: {payment_timeout: 15m, auto_confirm: days(10)}
  - name: beans cap at 99 percent
    input: {order: {payable: "100.00"}}
    want: {max_beans: "99", bean_ratio: "0.990", kinds: [general, shop]}
`

const v2023 = `policy: shop
version: 2023-07-23
thresholds:
  auto_confirm: duration("240h")
  max_coupons: '2'
tests:
  - name: revised confirm period
    want: {auto_confirm: 240h, max_coupons: 2, enabled: true}
  - name: the old version still judges old instants
    at: 2023-07-22T23:59:59+08:00
    want: {auto_confirm: days(10)}
`

func loadTest(t *testing.T) *rules.Set {
	t.Helper()
	set, err := rules.Load(testSchema, fstest.MapFS{
		"policy/shop-2018.yaml": {Data: []byte(v2018)},
		"policy/shop-2023.yaml": {Data: []byte(v2023)},
	}, "policy/*.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set
}

func TestFileCases(t *testing.T) {
	rulestest.Test(t, loadTest(t))
}

func TestGetEveryType(t *testing.T) {
	v := loadTest(t).In(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	type got struct {
		Enabled  bool
		Max      int64
		Label    string
		Kinds    []string
		Ratio    string
		Confirm  clock.Window
		Timeout  clock.Window
		Flash    clock.Window
		MaxBeans string
		Tagged   bool
	}
	var g got
	var err error
	must := func(e error) {
		t.Helper()
		if e != nil && err == nil {
			err = e
		}
	}
	var d decimal.Decimal
	g.Enabled, err = rules.Get(v, kEnabled)
	var e error
	g.Max, e = rules.Get(v, kMax)
	must(e)
	g.Label, e = rules.Get(v, kLabel)
	must(e)
	g.Kinds, e = rules.Get(v, kKinds)
	must(e)
	d, e = rules.Get(v, kRatio)
	must(e)
	g.Ratio = d.String()
	g.Confirm, e = rules.Get(v, kConfirm)
	must(e)
	g.Timeout, e = rules.Get(v, kTimeout, time.Duration(0))
	must(e)
	g.Flash, e = rules.Get(v, kTimeout, 15*time.Minute)
	must(e)
	d, e = rules.Get(v, kMaxBeans, decimal.RequireFromString("12.34"), false)
	must(e)
	g.MaxBeans = d.String()
	g.Tagged, e = rules.Get(v, kTagged, []string{"fresh", "no-reason"})
	must(e)
	if err != nil {
		t.Fatal(err)
	}
	want := got{true, 1, "general", []string{"general", "shop"}, "0.99", clock.Days(10),
		clock.Exactly(24 * time.Hour), clock.Exactly(15 * time.Minute), "12.2166", true}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// TestVersionBoundary checks In at the effective instant of the 2023
// version (midnight in Asia/Shanghai) and one second either side.
func TestVersionBoundary(t *testing.T) {
	set := loadTest(t)
	sh := clock.MustZone("Asia/Shanghai")
	at := time.Date(2023, 7, 23, 0, 0, 0, 0, sh)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{at.Add(-time.Second), "2018-12-29"},
		{at, "2023-07-23"},
		{at.Add(time.Second), "2023-07-23"},
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "2018-12-29"}, // before the first version
	} {
		if got := set.In(tc.t).Date(); got != tc.want {
			t.Errorf("In(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
	if got := set.Versions()[1].Effective(); !got.Equal(at) {
		t.Errorf("Effective = %v, want %v", got, at)
	}
	// The 2023 version inherits what it does not define, and its zone.
	v := set.In(at)
	if got, _ := rules.Get(v, kLabel); got != "general" {
		t.Errorf("inherited label = %q", got)
	}
	if v.Zone().String() != "Asia/Shanghai" {
		t.Errorf("inherited zone = %v", v.Zone())
	}
}

func TestOverride(t *testing.T) {
	base := loadTest(t)
	early := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	late := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	later := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	host := fstest.MapFS{
		"all.yaml": {Data: []byte("policy: shop\nthresholds:\n  label: '\"host\"'\n")},
		"v2023.yaml": {Data: []byte("policy: shop\nversion: 2023-07-23\nthresholds:\n  max_coupons: '5'\n" +
			"tests:\n  - name: host allows five\n    want: {max_coupons: 5}\n")},
		"v2025.yaml": {Data: []byte("policy: shop\nversion: 2025-01-01\nzone: UTC\nthresholds:\n  auto_confirm: days(7)\n")},
	}
	set, err := base.Override(host)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Version string
		Label   string
		Max     int64
		Confirm clock.Window
	}
	read := func(s *rules.Set, at time.Time) row {
		v := s.In(at)
		l, _ := rules.Get(v, kLabel)
		m, _ := rules.Get(v, kMax)
		c, _ := rules.Get(v, kConfirm)
		return row{v.Date(), l, m, c}
	}
	got := []row{read(set, early), read(set, late), read(set, later)}
	want := []row{
		{"2018-12-29", "host", 1, clock.Days(10)},
		{"2023-07-23", "host", 5, clock.Exactly(240 * time.Hour)},
		{"2025-01-01", "host", 5, clock.Days(7)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("overridden (-want +got):\n%s", diff)
	}
	// The base set is untouched.
	if diff := cmp.Diff(row{"2023-07-23", "general", 2, clock.Exactly(240 * time.Hour)}, read(base, late)); diff != "" {
		t.Errorf("base changed (-want +got):\n%s", diff)
	}
	// The default case that expected max_coupons 2 is skipped; the host's runs.
	var skipped, hostRan int
	for _, r := range set.RunTests() {
		if !r.Passed() {
			t.Errorf("case %q %s: want %s got %s err %v", r.Case, r.Threshold, r.Want, r.Got, r.Err)
		}
		if r.Skipped {
			skipped++
		}
		if r.Case == "host allows five" {
			hostRan++
		}
	}
	if skipped != 1 || hostRan != 1 {
		t.Errorf("skipped %d, host cases %d; want 1 and 1", skipped, hostRan)
	}
	if loc := set.In(later).Zone(); loc.String() != "UTC" {
		t.Errorf("zone of the host's version = %v", loc)
	}
}

func TestOverrideExpr(t *testing.T) {
	base := loadTest(t)
	set, err := base.OverrideExpr("payment_timeout", `order.activity_limit > duration("0s") ? order.activity_limit : duration("30m")`)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range set.Versions() {
		if got, _ := rules.Get(v, kTimeout, time.Duration(0)); got != clock.Exactly(30*time.Minute) {
			t.Errorf("%s: payment_timeout = %v", v.Date(), got)
		}
	}
	_, err = base.OverrideExpr("payment_timeout", "15")
	if !errors.Is(err, rules.ErrType) {
		t.Fatalf("an int for a window: err = %v, want ErrType", err)
	}
	wantMsg := "<expr>:1:1: threshold payment_timeout: expression gives int, but payment_timeout is declared as window"
	if !strings.HasPrefix(err.Error(), wantMsg) {
		t.Errorf("err = %q\nwant prefix %q", err, wantMsg)
	}
	if _, err := base.OverrideExpr("nope", "1"); !errors.Is(err, rules.ErrUnknown) {
		t.Errorf("unknown threshold: err = %v", err)
	}
	var errs rules.Errors
	_, err = base.OverrideExpr("max_beans", "order.payable * 0.99")
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Col != 15 || !errors.Is(err, rules.ErrType) {
		t.Errorf("double against a decimal: %v", err)
	}
}

// TestOverrideFileCannotChangeType: an override's expression is checked
// against the Go declaration, so a window cannot become an int.
func TestOverrideFileCannotChangeType(t *testing.T) {
	_, err := loadTest(t).Override(fstest.MapFS{"o.yaml": {Data: []byte("policy: shop\nthresholds:\n  auto_confirm: '10'\n")}})
	var errs rules.Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("err = %v", err)
	}
	if got, want := errs[0].Position(), "o.yaml:3:18"; got != want || !errors.Is(errs[0], rules.ErrType) {
		t.Errorf("position %s (want %s), err %v", got, want, errs[0])
	}
}

func TestExplain(t *testing.T) {
	v := loadTest(t).Latest()
	got, d, err := rules.Explain(v, kMaxBeans, decimal.RequireFromString("100.00"), false)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(decimal.RequireFromString("99")) {
		t.Errorf("value %v", got)
	}
	want := rules.Decision{
		Rule: "PTS-1", Policy: "shop", Version: "2023-07-23", Threshold: "max_beans",
		Expr:   "order.flash ? decimal(\"0\") :\n  order.payable * decimal(\"0.99\")\n",
		Value:  "99",
		Inputs: []rules.Used{{Name: "order.payable", Value: "100"}, {Name: "order.flash", Value: "false"}},
		Source: "policy/shop-2018.yaml:15:5",
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("decision (-want +got):\n%s", diff)
	}
	b, _ := json.Marshal(d)
	wantJSON := `{"rule":"PTS-1","policy":"shop","version":"2023-07-23","threshold":"max_beans","expr":"order.flash ? decimal(\"0\") :\n  order.payable * decimal(\"0.99\")\n","value":"99","inputs":[{"name":"order.payable","value":"100"},{"name":"order.flash","value":"false"}],"source":"policy/shop-2018.yaml:15:5"}`
	if diff := cmp.Diff(wantJSON, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if s := d.String(); s != "PTS-1 shop@2023-07-23 max_beans=99 (order.payable=100, order.flash=false)" {
		t.Errorf("String() = %q", s)
	}
	// A folded threshold explains itself too, with no inputs.
	_, d, err = rules.Explain(v, kConfirm)
	if err != nil || d.Value != "240h" || d.Inputs != nil || d.Rule != "ORD-9" {
		t.Errorf("folded decision %+v, %v", d, err)
	}
}

// TestCostLimit: the estimate of item.tags.exists(…) is within the
// budget, so a list as long as MaxItems evaluates within the limit, and
// a longer one is refused before anything runs, with and without
// explanations.
func TestCostLimit(t *testing.T) {
	v := loadTest(t).Latest()
	if c, _ := v.Cost("tagged"); c == 0 || c > rules.CostBudget {
		t.Fatalf("estimated cost %d", c)
	}
	full := make([]string, 100_000)
	for i := range full {
		full[i] = strings.Repeat("x", rules.DefaultMaxLen)
	}
	if ok, err := rules.Get(v, kTagged, full); err != nil || ok {
		t.Errorf("a list of MaxItems: %v %v", ok, err)
	}
	long := append(full, "no-reason")
	if _, err := rules.Get(v, kTagged, long); !errors.Is(err, rules.ErrInput) {
		t.Errorf("Get: err = %v, want ErrInput", err)
	}
	if _, _, err := rules.Explain(v, kTagged, long); !errors.Is(err, rules.ErrInput) {
		t.Errorf("Explain: err = %v, want ErrInput", err)
	}
	var ee *rules.EvalError
	_, err := rules.Get(v, kTagged, long)
	if !errors.As(err, &ee) || ee.Rule != "RFD-5" || ee.Threshold != "tagged" || ee.Version != "2023-07-23" {
		t.Errorf("EvalError = %+v", ee)
	}
	if !strings.Contains(err.Error(), "a list of 100001 strings, over the declared maximum of 100000") {
		t.Errorf("error text: %v", err)
	}
	full[7] = strings.Repeat("x", rules.DefaultMaxLen+1)
	if _, err := rules.Get(v, kTagged, full); !errors.Is(err, rules.ErrInput) || !strings.Contains(err.Error(), "element 7: a string of 257 bytes, over the declared maximum of 256") {
		t.Errorf("a long element: %v", err)
	}
}

func TestEvalInputErrors(t *testing.T) {
	v := loadTest(t).Latest()
	if _, err := rules.Get(v, kTimeout); !errors.Is(err, rules.ErrInput) {
		t.Errorf("missing input: %v", err)
	}
	if _, err := rules.Get(v, kTimeout, 15); !errors.Is(err, rules.ErrInput) {
		t.Errorf("int for a duration: %v", err)
	}
	if _, err := rules.Get(v, kConfirm, 1); !errors.Is(err, rules.ErrInput) {
		t.Errorf("input to a threshold without inputs: %v", err)
	}
	if _, err := rules.Get(v, kTimeout, -time.Minute); !errors.Is(err, rules.ErrEval) {
		t.Errorf("a negative window: %v", err)
	}
	var many []rules.Decl
	for i := range 12 {
		many = append(many, rules.Decl{Name: fmt.Sprintf("t%d", i), Rule: "ORD-1", Type: rules.Bool})
	}
	last := rules.MustKey[bool](rules.MustSchema("big", many...), "t11")
	if _, err := rules.Get(v, last); !errors.Is(err, rules.ErrInput) {
		t.Errorf("a foreign key beyond this schema's thresholds: %v", err)
	}
	var zero rules.Key[bool]
	if _, err := rules.Get(v, zero); !errors.Is(err, rules.ErrInput) || zero.Name() != "" || zero.Rule() != "" {
		t.Errorf("the zero Key: %v", err)
	}
	if _, _, err := rules.Explain(v, zero); !errors.Is(err, rules.ErrInput) {
		t.Errorf("Explain with the zero Key: %v", err)
	}
	if _, err := v.Eval("nope"); !errors.Is(err, rules.ErrUnknown) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := rules.KeyFor[int64](testSchema, "auto_confirm"); !errors.Is(err, rules.ErrType) {
		t.Errorf("wrong key type: %v", err)
	}
	other := rules.MustSchema("other", rules.Decl{Name: "enabled", Rule: "ORD-1", Type: rules.Bool})
	if _, err := rules.Get(v, rules.MustKey[bool](other, "enabled")); !errors.Is(err, rules.ErrInput) {
		t.Errorf("key of another schema: %v", err)
	}
	if _, _, err := rules.Explain(v, rules.MustKey[bool](other, "enabled")); !errors.Is(err, rules.ErrInput) {
		t.Errorf("Explain with a key of another schema: %v", err)
	}
}

func TestFailingCaseIsReported(t *testing.T) {
	set, err := loadTest(t).Override(fstest.MapFS{"o.yaml": {Data: []byte(`policy: shop
thresholds:
  max_coupons: '3'
tests:
  - name: wrong on purpose
    want: {max_coupons: 4}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	var failed []rules.TestResult
	for _, r := range set.RunTests() {
		if !r.Passed() {
			failed = append(failed, r)
		}
	}
	want := []rules.TestResult{{File: "o.yaml", Line: 5, Case: "wrong on purpose", Threshold: "max_coupons",
		Version: "2023-07-23", Want: "4", Got: "3"}}
	if diff := cmp.Diff(want, failed); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

func TestSchemaErrors(t *testing.T) {
	_, err := rules.NewSchema("Bad-Name",
		rules.Decl{Name: "x", Rule: "ORD4", Type: rules.Bool},
		rules.Decl{Name: "x", Rule: "ORD-4", Type: rules.Duration},
		rules.Decl{Name: "y", Rule: "ORD-4", Type: rules.Int, Inputs: []rules.Input{{Name: "l", Type: rules.Strings}, {Name: "w", Type: rules.Window}}},
	)
	if err == nil {
		t.Fatal("NewSchema accepted a malformed schema")
	}
	for _, frag := range []string{"Bad-Name", "declared twice", "ORD4", "duration is not a result type", "needs MaxItems", "window is not an input type"} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("error %q lacks %q", err, frag)
		}
	}
}

// TestConcurrentUse evaluates one Set from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	set := loadTest(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				v := set.In(time.Date(2018+i%8, 1, 1, 0, 0, 0, 0, time.UTC))
				p := decimal.NewFromInt(int64(g*1000 + i))
				got, _, err := rules.Explain(v, kMaxBeans, p, false)
				if err != nil || !got.Equal(p.Mul(decimal.RequireFromString("0.99"))) {
					t.Errorf("concurrent Explain: %v %v", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
