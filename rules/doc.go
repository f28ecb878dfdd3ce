// Package rules loads policy rule files: YAML files whose thresholds are
// CEL expressions, type-checked against declarations written in Go, so
// that a host can change a payment limit, a return window or a stacking
// count without touching Go, and a policy author gets every mistake at
// once as file:line:col.
//
// # Who does what
//
// A domain package (order, refund, coupon, …) declares its thresholds in
// a [Schema]: each [Decl] has a name, the rule ID of RULES.md it
// implements, a result [Type] and the typed [Input] values its expression
// may read. It embeds a default rule file and loads it with [Load].
//
// A host loads the defaults, replaces thresholds from its own files with
// [Set.Override] or from a single expression with [Set.OverrideExpr], and
// hands the resulting [Set] to the domain package. The result is checked
// as a whole; a Set is immutable, so a host reloads by building a new Set
// and swapping a pointer.
//
// A policy author edits YAML, reads the errors, and runs the file's own
// test cases with [Test] (from go test) or [Set.RunTests].
//
// # Rule-file format
//
//	policy: order                 # must equal the schema's policy name
//	version: 2023-07-23           # effective from the start of this date in zone
//	zone: Asia/Shanghai           # business time zone (default Asia/Shanghai, or the previous version's)
//	thresholds:
//	  payment_timeout:            # a declared threshold name
//	    rule: ORD-4               # optional; when given it must match the declaration
//	    doc: Unpaid orders cancel after this long; activity orders use their own limit.
//	    expr: 'order.activity_limit != duration("0s") ? order.activity_limit : duration("24h")'
//	  auto_confirm: duration("240h")   # short form: the expression alone
//	tests:
//	  - name: flash sale uses its own limit
//	    at: 2023-08-01T00:00:00+08:00  # optional: run against the version in force then
//	    input: {order: {activity_limit: 15m}}
//	    want: {payment_timeout: 15m}
//
// Keys other than these are errors, and so is a key given twice. The
// input of a test case nests mappings into dotted names
// ({order: {activity_limit: 15m}} sets order.activity_limit); inputs a
// case leaves out are zero. Values are written as in the table below.
//
// # Types
//
//	Type       Go value         CEL expression         rule-file value
//	Bool       bool             true, a && b           true
//	Int        int64            3, n + 1               3
//	String     string           "general"              general
//	Strings    []string         ["a", "b"]             [a, b]
//	Decimal    decimal.Decimal  decimal("0.99")        "0.99"
//	Window     clock.Window     days(7), duration("48h")  days(7), 48h
//	Duration   time.Duration    duration("15m")        15m        (inputs only)
//	Timestamp  time.Time        timestamp("…")         RFC 3339   (inputs only)
//
// Money and ratios are exact decimals: decimal("0.99") and decimal(100)
// build them, and + - * < <= > >= == work between decimals. There is no
// double anywhere near money: an expression that produces a double where
// a decimal is declared is a type error. A Window is either calendar days,
// days(7) — "within 7 days counting from the day after the event",
// closing at the start of the following day in the version's zone (see
// clock.Window) — or an exact duration("240h").
//
// # Checking
//
// [Load] reports every problem at once as [Errors], each an [*Error] with
// file, line, column, the offending text and a sentinel for [errors.Is]:
// YAML syntax ([ErrSyntax]); unknown policy, key, threshold or input
// ([ErrUnknown]); duplicate keys and versions ([ErrDuplicate]); a
// threshold the earliest version lacks ([ErrMissing]); CEL syntax
// ([ErrSyntax]) and type errors, including a result of the wrong type
// ([ErrType]); an estimated cost over [CostBudget] ([ErrCost]); malformed
// dates, zones, rule IDs and test values ([ErrValue]). Positions inside an
// expression are mapped back into the YAML file, for quoted, plain and
// block scalars. A load either succeeds whole or returns errors; no
// partial policy is ever usable.
//
// # Versions
//
// Each file is one version of the policy. The earliest must define every
// declared threshold; a later version defines what changes and inherits
// the rest. [Set.In] returns the version in force at an instant — the
// instant the rule names: an order's creation, the day a dispute arose,
// the date of a violation (DSP-12, PRV-14). An instant before the
// earliest version is judged by the earliest.
//
// # Evaluating
//
// A threshold that reads no input is evaluated once at load and [Get]
// returns the stored value: a slice index and a type assertion. One that
// reads inputs is a compiled cel-go program evaluated with a typed
// activation (no map is built per call) under a runtime cost limit of
// [CostLimit]; an evaluation that passes it fails with [ErrCostLimit].
// Inputs are passed in declaration order, each as its type's Go value.
//
// The limit is enforced in one of two ways. When the expression's
// estimated worst-case cost is itself within CostLimit and the inputs are
// within the sizes the estimate assumed (a list within its MaxItems, every
// string within 256 bytes), the estimate already proves the evaluation
// stays within the limit, and the program runs without cel-go's cost
// tracker, which would otherwise double the time of a small expression.
// Otherwise the tracker counts every step and stops the evaluation at the
// limit. A property test checks that actual costs never exceed the
// estimate for inputs within those sizes.
//
// [Explain] (and [Version.Explain]) also returns a [Decision]: the rule
// ID, policy, version, expression, value, source position and the inputs
// the expression read. It costs a few hundred nanoseconds, cheap enough to
// attach to every decision a machine takes, and runs under the same cost
// limit. Machines return Decisions of their own (with a Note) and refuse
// events with a [*RuleError] that carries the rule ID.
//
// # Overrides
//
// An override file has the same format. With a version equal to an
// existing one it replaces thresholds of that version; with a new version
// date it adds a version that inherits from the one before; with no
// version it replaces thresholds in every version. An override cannot
// change a threshold's type: the type is declared in Go, and an
// expression of another type is an [ErrType] error. When a threshold was
// replaced, the default file's test expectations of it are skipped and
// the override file's own cases run.
//
// # Concurrency
//
// Schemas, Sets, Versions and Keys are immutable after construction and
// safe for concurrent use.
package rules
