package cli

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/refstack-go/refstack/subunit"
)

// junitReport writes test records as JUnit XML, the dialect Jenkins and GitLab
// read: one <testsuites> holding one <testsuite>. The suite's counts come
// before its test cases, so the cases are encoded as records arrive into a
// spool and the document is put together by finish.
type junitReport struct {
	suiteName string
	cases     spool
	enc       *xml.Encoder

	tests, failures, errors, skipped int
	first, last                      time.Time // earliest start, latest stop
}

func newJUnitReport(suiteName, tempDir string) *junitReport {
	j := &junitReport{suiteName: suiteName}
	j.cases.dir = tempDir
	j.enc = xml.NewEncoder(&j.cases)
	j.enc.Indent("    ", "  ")
	return j
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
	SystemErr *junitText    `xml:"system-err,omitempty"`
}

// junitProblem is a <failure> or an <error>. Text goes out as CDATA, which
// keeps tracebacks readable; xmlText has made it valid XML.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// add encodes one record as a test case. Records with status exists (tests
// that were only enumerated) are not test cases and are left out.
func (j *junitReport) add(r *subunit.Record) error {
	if r.Status == subunit.StatusExists {
		return nil
	}
	j.tests++
	if !r.Start.IsZero() && (j.first.IsZero() || r.Start.Before(j.first)) {
		j.first = r.Start
	}
	if r.Stop.After(j.last) {
		j.last = r.Stop
	}
	c := junitCase{Time: "0.000"}
	c.Classname, c.Name = splitTestID(r.TestID)
	if c.Classname == "" {
		c.Classname = j.suiteName
	}
	if d, ok := r.Duration(); ok && d > 0 {
		c.Time = seconds(d)
	}
	switch {
	case !r.Complete:
		j.errors++
		c.Error = &junitProblem{Message: "test did not complete", Type: r.Status.String(), Text: failureText(r)}
	case r.Status == subunit.StatusFail:
		j.failures++
		text := failureText(r)
		msg, typ := failureSummary(text)
		if typ == "" {
			typ = r.Status.String()
		}
		c.Failure = &junitProblem{Message: msg, Type: typ, Text: text}
	case r.Status == subunit.StatusUxSuccess:
		j.failures++
		c.Failure = &junitProblem{Message: "unexpected success: the test was expected to fail", Type: r.Status.String(), Text: failureText(r)}
	case r.Status == subunit.StatusSkip:
		j.skipped++
		c.Skipped = &junitSkipped{Message: attachmentText(r.Attachment("reason"))}
	}
	if out := attachmentText(r.Attachment("stdout")); out != "" {
		c.SystemOut = &junitText{out}
	}
	if out := attachmentText(r.Attachment("stderr")); out != "" {
		c.SystemErr = &junitText{out}
	}
	return j.enc.Encode(c)
}

// finish writes the whole document to w and releases the spool.
func (j *junitReport) finish(w io.Writer) error {
	defer j.cases.Close()
	if err := j.enc.Flush(); err != nil {
		return err
	}
	wall := "0.000"
	if !j.first.IsZero() && j.last.After(j.first) {
		wall = seconds(j.last.Sub(j.first))
	}
	counts := fmt.Sprintf(` tests="%d" failures="%d" errors="%d" skipped="%d" time="%s"`,
		j.tests, j.failures, j.errors, j.skipped, wall)
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	bw.WriteString("<testsuites" + counts + ">\n")
	bw.WriteString(`  <testsuite name="` + attrEscape(j.suiteName) + `"` + counts)
	if !j.first.IsZero() {
		bw.WriteString(` timestamp="` + j.first.UTC().Format("2006-01-02T15:04:05") + `"`)
	}
	bw.WriteString(">\n")
	if j.tests > 0 {
		if _, err := j.cases.WriteTo(bw); err != nil {
			return err
		}
		bw.WriteString("\n")
	}
	bw.WriteString("  </testsuite>\n</testsuites>\n")
	return bw.Flush()
}

// fixtureID matches the ids python's unittest gives class and module
// fixtures: "setUpClass (package.module.Class)".
var fixtureID = regexp.MustCompile(`^(\w+) \(([^()\s]+)\)$`)

// splitTestID splits a test id into the JUnit classname and name: the
// classname is the id up to the last '.' before any '[' (where test
// attributes begin), the name the rest. A fixture id "setUpClass (a.B)" gives
// classname "a.B" and name "setUpClass". An id without a '.' has no classname.
func splitTestID(id string) (classname, name string) {
	if m := fixtureID.FindStringSubmatch(id); m != nil {
		return m[2], m[1]
	}
	base := id
	if i := strings.IndexByte(id, '['); i >= 0 {
		base = id[:i]
	}
	i := strings.LastIndexByte(base, '.')
	if i < 0 {
		return "", id
	}
	return id[:i], id[i+1:]
}

// failureText is the body of a <failure> or <error>: the traceback when the
// test has one, else every text attachment but stdout, stderr and reason
// (which have their own places), each under its name.
func failureText(r *subunit.Record) string {
	if tb := r.Attachment("traceback"); tb != nil {
		return attachmentText(tb)
	}
	var b strings.Builder
	for i := range r.Attachments {
		a := &r.Attachments[i]
		switch a.Name {
		case "stdout", "stderr", "reason":
			continue
		}
		if !isText(a) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(a.Name + ":\n" + attachmentText(a))
	}
	return b.String()
}

// exceptionLine matches the last line of a Python traceback:
// "package.ExceptionType: message" or a bare "ExceptionType" (class names are
// capitalised, which tells "subunit: packet ..." apart).
var exceptionLine = regexp.MustCompile(`^((?:[A-Za-z_]\w*\.)*_*[A-Z]\w*)(?::\s|$)`)

// failureSummary returns the message attribute of a failure (the last
// non-blank line of its text, at most 200 characters) and its type (the
// exception class named by that line, if it names one).
func failureSummary(text string) (message, typ string) {
	lines := strings.Split(strings.TrimRight(text, " \t\r\n"), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if m := exceptionLine.FindStringSubmatch(last); m != nil {
		typ = m[1]
	}
	if utf8.RuneCountInString(last) > 200 {
		last = string([]rune(last)[:200]) + "..."
	}
	return last, typ
}

// isText reports whether an attachment holds text: a text/* MIME type, or
// content that is valid UTF-8.
func isText(a *subunit.Attachment) bool {
	return strings.HasPrefix(a.MIME, "text/") || utf8.Valid(a.Data)
}

// attachmentText returns the kept bytes of a as XML text ("" for nil), noting
// a truncation.
func attachmentText(a *subunit.Attachment) string {
	if a == nil {
		return ""
	}
	s := xmlText(a.Data)
	if a.Truncated {
		s += fmt.Sprintf("\n[truncated: %d of %d bytes shown]", len(a.Data), a.Size)
	}
	return s
}

// xmlText returns b as a string XML can hold: invalid UTF-8 and characters
// outside XML's Char production (most control characters, such as the ESC of
// terminal colours) become U+FFFD. CDATA sections need this; encoding/xml
// does it only for escaped text.
func xmlText(b []byte) string {
	clean := utf8.Valid(b)
	for _, r := range string(b) {
		if !clean || !xmlChar(r) {
			clean = false
			break
		}
	}
	if clean {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for _, r := range string(b) { // invalid UTF-8 comes as utf8.RuneError, U+FFFD
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

func attrEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // cannot fail on a strings.Builder
	return b.String()
}
