// Package webui serves RefStack's public web pages, rendered on the server
// with html/template: the community results list (newest first, 20 a page,
// upload-date filter), the report of one result (the capability table of a
// guideline and program, the compliance sentence and figures of package
// score, and the program and guideline selectors) and the guidelines browser
// (status, releases, capabilities by status, tests with flags and aliases,
// criteria, and the test-list download link of the API).
//
// The pages show what an anonymous visitor of RefStack may see: results
// without an uploader or shared by theirs, and of their metadata only
// guideline and target, never the cloud id. They work without JavaScript;
// the one small script redirects RefStack's #/results/<id> addresses and
// submits the selector forms when a choice changes.
//
// The templates, style sheet and script are embedded in the binary. New
// returns the handler that adapters/server mounts at "/".
package webui
