// Package rules loads policy rule files: YAML files whose thresholds are
// CEL expressions, type-checked against declarations written in Go, so
// that a host can change a payment limit, a return window or a stacking
// count without touching Go, and a policy author gets every mistake at
// once as file:line:col.
//
// # Who does what
//
// A domain package (order, refund, coupon, …) declares its thresholds in
// a [Schema]: each [Decl] has a name, the rule ID it implements, a result
// [Type], optional bounds on its value (Min, Max) and the typed [Input]
// values its expression may read, each string input with a maximum
// length (MaxLen) and, where it names one of a few things, the values it
// can take (Values). It embeds a default rule file and loads it with
// [Load].
//
// A host loads the defaults, replaces thresholds from its own files with
// [Set.Override] or from a single expression with [Set.OverrideExpr], and
// hands the resulting [Set] to the domain package. The result is checked
// as a whole; a Set is immutable, so a host reloads by building a new Set
// and swapping a pointer.
//
// A policy author edits YAML, reads the errors, and runs the file's own
// test cases with [Set.RunTests], or from go test with rulestest.Test
// (package rules/rulestest, kept apart so that programs do not link
// package testing).
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
//	  - name: presale limit
//	    skip: waits for the presale revision   # optional: reported as skipped with this reason, not run
//	    input: {order: {activity_limit: 30m}}
//	    want: {payment_timeout: 30m}
//
// Keys other than these are errors, and so is a key given twice. A case
// with skip: is still checked when the file loads (its thresholds, inputs
// and values) but is not run: [Set.RunTests] returns its expectations
// with Skipped set and Skip holding the reason, rulestest.Test skips its
// subtest, and tradepolicy test counts it as skipped. An empty reason is
// a load error. The
// input of a test case nests mappings into dotted names
// ({order: {activity_limit: 15m}} sets order.activity_limit); inputs a
// case leaves out are zero (a string input with Values takes the first
// of them). Values are written as in the table below.
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
// build them, and + - * unary - < <= > >= == != work between decimals.
// Every decimal an expression reads or computes has at most
// [MaxDecimalDigits] digits and an exponent of at most [MaxDecimalExponent] in magnitude:
// a literal out of range, or an operation on constants whose result is,
// is a load error ([ErrValue]); an input out of range is refused
// ([ErrInput]); an operation whose result leaves the range fails the
// evaluation ([ErrEval]), like an int overflow. There is no double
// anywhere near money: an expression that produces a double where a
// decimal is declared is a type error. A Window is either calendar days,
// days(7) — "within 7 days counting from the day after the event",
// closing at the start of the following day in the version's zone (see
// clock.Window), n from 1 to clock.MaxDays — or an exact
// duration("240h"). Calendar windows compare with < <= > >= == != among
// themselves; exact windows are durations and compare as durations.
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
// dates, zones, rule IDs and test values, constants out of a declared
// Min/Max or of the decimal range, and a literal compared with an
// enumerated input it can never equal, with a "did you mean" ([ErrValue]).
// Positions inside an expression are mapped back into the YAML file, for
// quoted, plain and block scalars. A load either succeeds whole or
// returns errors; no partial policy is ever usable.
//
// Lines are counted as YAML counts them: a line ends at LF, CR, CR LF,
// NEL, LS or PS; a leading byte-order mark is not a character. Rule files
// are UTF-8: a UTF-16 or UTF-32 file, invalid UTF-8 and characters YAML
// does not allow (NUL, C1 controls) are refused with their position, and
// an empty file at 1:1.
//
// Errors stay small and loads linear whatever the file: an error shows a
// window of about 80 characters of its line around the column, quotes at
// most 80 characters of a value, and a load reports at most [MaxErrors]
// errors, then one "and N more errors". A file over [MaxFileSize] bytes,
// or with more than [MaxEntries] thresholds or test cases, is refused at
// once; YAML aliases may expand to at most 10 times the file's size (or
// 64 KiB); a test input is refused at the first key that no declared
// input name starts with, and its value must be within the input's
// declared sizes and Values.
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
// A threshold that reads no input is evaluated once at load, under
// [CostLimit], and [Get] returns the stored value: a slice index and a
// type assertion (a list is copied, so that no caller shares the set's).
// One that reads inputs is a compiled cel-go program evaluated with a
// typed activation (no map is built per call). Inputs are passed in
// declaration order, each as its type's Go value.
//
// A policy that loads never passes the limit at run time. The load-time
// budget [CostBudget] equals [CostLimit]; the estimate gives every
// operator a cost, the library's decimal and window operators included,
// and takes each input at its declared size: a list at its MaxItems, a
// string at its MaxLen (default [DefaultMaxLen] bytes), a decimal within
// the decimal range. An evaluation given a larger input, or a string
// outside an input's Values, is refused with [ErrInput] before anything
// runs. Within those sizes the estimate proves the evaluation stays within
// the limit, so the program runs without cel-go's cost tracker, which
// would double the time of a small expression; a property test and a fuzz
// target check that the tracked actual cost never exceeds the estimate. A value outside
// the threshold's declared Min and Max fails the evaluation with
// [ErrEval].
//
// [Explain] (and [Version.Explain]) also returns a [Decision]: the rule
// ID, policy, version, expression, value, source position and the inputs
// the expression read. It costs a few hundred nanoseconds, cheap enough to
// attach to every decision a machine takes, and evaluates as [Get] does.
// Machines return Decisions of their own (with a Note) and refuse events
// with a [*RuleError] that carries the rule ID.
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
// safe for concurrent use. Nothing a caller receives aliases them: lists
// returned by Get, Eval and Explain, [Set.Versions] and the declarations
// of [Schema.Decls] are copies.
package rules
