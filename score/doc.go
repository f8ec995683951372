// Package score rates the passed tests of a run against an interop
// guideline exactly as RefStack's result report page does, and renders the
// report as text, JSON, Markdown and JUnit XML. It does no I/O beyond
// writing reports: callers read runs (results documents, subunit streams,
// RefStack servers) and hand over the passed tests.
//
// # Scoring
//
// Score (or Prepare once and Card.Score many times, or a Scorer fed test by
// test) follows the page (refstack-server.md §9.3):
//
//   - The target resolves to components: for "platform", or any target of a
//     schema 2.0 guideline, the component os_powered_<target> of an add-on
//     guideline, else the components of the 2.0 platform "OpenStack Powered
//     Platform", "... Compute" or "... Storage", else (1.x) the components
//     of platform.required. Their capabilities merge by status priority: a
//     capability listed several times keeps required over advisory over
//     deprecated over removed. A 1.x "compute" or "object" target is that
//     component's own lists.
//   - Each capability's tests: schema 1.2 lists names and a test is flagged
//     when the capability's "flagged" list names it; schemas 1.3 to 2.0 map
//     names to details and a test is flagged when it has a "flagged" value.
//     A capability listed but not defined has no tests.
//   - With MatchName, a test passed when its name or one of its aliases
//     (1.3+) is among the passed names. MatchID also takes a passed test
//     that carries the test's idempotent id under another name.
//   - Per status: the capabilities, the tests (passed and not), the passed
//     tests, the flagged tests that passed and that did not. A test in two
//     capabilities counts twice, as on the page.
//   - From the required status: RequiredPassPercent = passed*100/tests,
//     NonFlaggedRequiredPassPercent over the tests that are not flagged,
//     and Compliant when every required test that is not flagged passed.
//
// Beyond the page: a target may name an add-on ("DNS") or a platform by its
// display name; where the page breaks or shows nothing (an unknown target,
// a missing platform or component) Prepare returns a *guideline.TargetError.
// Two known differences, in data no published guideline has: a 1.3+
// "flagged" value that is false, null, 0, "" or empty counts as flagged on
// the page but not here (package guideline reads flags as RefStack's test
// list does); and a capability under two statuses of one 1.x component
// takes the first status by priority here, the last listed on the page.
//
// # JSON report
//
// WriteJSON and Report.MarshalJSON write this document; keys are always
// present and only added to in later versions of format "refstack-score/1":
//
//	format                             "refstack-score/1"
//	guideline                          the guideline's label ("2020.06")
//	target                             the target ("platform")
//	program                            "OpenStack Powered Platform"
//	schema                             the guideline's schema ("2.0")
//	match                              "name" or "id"
//	compliant                          true when every non-flagged required test passed
//	required_pass_percent              passed*100/tests of the required status; null when no tests
//	non_flagged_required_pass_percent  the same over non-flagged required tests; null when none
//	sentence                           the page's sentence (see Report.Sentence)
//	required                           {tests, passed, failed, flagged, non_flagged_tests, non_flagged_passed}
//	statuses                           {required, advisory, deprecated, removed}, each:
//	  capabilities                     [capability], sorted by name
//	  tests, passed                    tests of the status's capabilities, and those passed
//	  flagged_passed, flagged_failed   flagged tests passed and not passed
//	capability:
//	  name, defined                    defined is false when the guideline lacks it
//	  passed, total, flagged           counts of its tests
//	  tests                            [test], in the guideline's order
//	test:
//	  name, idempotent_id, aliases     as in the guideline ("" and [] when absent)
//	  outcome                          "passed" or "not_passed"
//	  flagged, flag_reason             flag_reason is "" when none is given
//	  matched_by                       "name", "alias", "id", or "" when not passed
//	  matched_name                     the passed test's name that matched, or ""
//
// Percentages are the float64 the page computes, written in the shortest
// form that reads back the same value.
package score
