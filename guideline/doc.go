// Package guideline models the OpenStack interop guidelines: the JSON
// documents of the Interop Working Group that say which capabilities, and
// which Tempest tests, a cloud must pass for each OpenStack Powered program.
//
// Every published format loads into one model: schema 1.2 (tests as a list
// and a capability-level flagged list), 1.3 to 1.6 (tests as an object with
// idempotent_id, flagged and aliases) and 2.0 (metadata, platforms,
// components with capabilities by status, and add-ons). [Parse] and [Load]
// tolerate the quirks of the published files (misspelled keys, capabilities
// listed but not defined and the reverse, both spellings of required-since,
// bare and "id-" idempotent ids) and report them as [Warning] values on the
// [Guideline] instead of failing. Malformed JSON fails with a [*ParseError]
// that gives the line and column.
//
// [Guideline.TestList] answers the test-list query exactly as RefStack's
// GET /v1/guidelines/{file}/tests does: same defaults ([DefaultQuery]:
// target platform, all statuses, aliases and flagged tests included), lines
// of the form name[idempotent_id], sorted by byte value, duplicates kept, no
// trailing newline, and the same plain-text answer for an unknown target.
//
// [Show] summarises the capabilities of a target (status, project, tests,
// flags, aliases, achievements, criteria weights) and [Diff] compares two
// guidelines: capabilities added, removed or moved between statuses, tests
// added, removed, renamed, flagged or unflagged.
//
// [Validate] checks a document against our own JSON Schema for its schema
// version (embedded, one per version, strict about every capability and
// test entry) and reports each problem with its JSON pointer, line and
// column; the known quirks of the published files are warnings.
//
// A [Source] lists and reads guideline files: [NewDirSource] for a directory
// laid out like the interop repository, [NewHTTPSource] for the GitHub
// listing and raw URLs RefStack uses, with an on-disk cache that revalidates
// with ETag and Last-Modified and an offline mode. [List] gives what
// RefStack's GET /v1/guidelines returns, and [Resolve] turns a file path, a
// name (2020.06, dns.2020.06) or NAME.json into a document.
//
// Parsing, validating and querying do no I/O; [Load], the sources and the
// functions that take one do, and those take a context.
package guideline
