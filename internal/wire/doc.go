// Package wire is the library's one JSON decoder and its one form for
// sealed interfaces (events, effects), so that every package reads and
// writes stored values the same way.
//
// [Decode] is strict: the input is one JSON value with nothing after it;
// every object key names a field of the Go type at that position,
// spelled exactly as its JSON name (encoding/json alone would also take
// "Request" or "REQUEST" for "request"), and appears once. Values of
// types that decode themselves (time.Time, decimal.Decimal, enums) are
// decoded by their own methods, which are strict on their own.
//
// A [Union] writes one variant of a sealed interface as a JSON object
// whose "type" member is the variant's stable name and whose other
// members are its fields: {"type":"merchant_refuse","request":1}. Fixed
// members written before "type" (an effect's "id", "at" and "rule", an
// event log entry's "at") are passed as [Member] values and read back by
// name.
//
// Every decoding error wraps [ErrMalformed].
package wire
