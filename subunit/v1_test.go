package subunit

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/refstack-go/refstack/internal/testenv"
)

// v1Feed drives a v1Parser the way the Reader does: in pieces split at cuts, a
// chunk body offered only up to rawWanted bytes, final on the last piece, then
// finish. After every call the events are cloned and the arena released.
func v1Feed(t testing.TB, in []byte, cuts ...int) []*Event {
	t.Helper()
	return v1Drive(t, newV1Parser("stdout"), in, cuts...)
}

// v1Drive is v1Feed with a parser of the caller's.
func v1Drive(t testing.TB, p *v1Parser, in []byte, cuts ...int) []*Event {
	t.Helper()
	var got []*Event
	var q []Event
	take := func() {
		for i := range q {
			got = append(got, q[i].Clone())
		}
		q = q[:0]
		p.release()
	}
	bounds := append(slices.Clone(cuts), len(in))
	a := 0
	for _, b := range bounds {
		for a < b {
			end := b
			if want := p.rawWanted(); want > 0 {
				end = min(b, a+want)
			}
			if n := p.feed(in[a:end], int64(a), end == len(in), &q); n != end-a {
				t.Fatalf("feed(%q) consumed %d of %d bytes", in[a:end], n, end-a)
			}
			take()
			a = end
		}
	}
	if len(in) == 0 {
		p.feed(nil, 0, true, &q)
	}
	p.finish(int64(len(in)), &q)
	take()
	return got
}

// v1Merge joins adjacent passthrough events whose bytes are contiguous, which
// is how pieces of one run differ between split and one-shot feeding.
func v1Merge(evs []*Event) []*Event {
	var m []*Event
	for _, e := range evs {
		if n := len(m); n > 0 && e.Passthrough && m[n-1].Passthrough &&
			m[n-1].Offset+int64(len(m[n-1].FileContent)) == e.Offset {
			c := *m[n-1]
			c.FileContent = append(slices.Clip(c.FileContent), e.FileContent...)
			m[n-1] = &c
			continue
		}
		m = append(m, e)
	}
	return m
}

// v1Render describes an event in one line, followed by its anomalies.
func v1Render(e *Event) string {
	var b strings.Builder
	if e.Passthrough {
		fmt.Fprintf(&b, "stdout %q", e.FileContent)
	} else {
		if e.HasFile() {
			fmt.Fprintf(&b, "file %q %s %q", e.TestID, e.FileName, e.MIME)
			if e.EOF() {
				b.WriteString(" eof")
			}
			fmt.Fprintf(&b, " %q", e.FileContent)
		} else {
			fmt.Fprintf(&b, "%s %q", e.Status, e.TestID)
		}
		if len(e.Tags) > 0 {
			tags := make([]string, len(e.Tags))
			for i, t := range e.Tags {
				tags[i] = string(t)
			}
			fmt.Fprintf(&b, " tags=%s", strings.Join(tags, ","))
		}
		if e.HasTimestamp() {
			fmt.Fprintf(&b, " @%s", e.Timestamp.Format("2006-01-02T15:04:05.999999Z07:00"))
		}
	}
	for _, a := range v1Anomalies(e) {
		b.WriteString(" !" + a)
	}
	return b.String()
}

// v1Anomalies lists what is wrong with the shape of a v1 parser's event: its
// Flags, V1 or Passthrough values must match its content.
func v1Anomalies(e *Event) []string {
	var bad []string
	var want Flags
	if e.Passthrough {
		want = FlagRunnable | FlagFile
		if string(e.FileName) != "stdout" || e.V1 || e.TestID != nil || e.Status != StatusUndefined || len(e.FileContent) == 0 {
			bad = append(bad, "bad-passthrough")
		}
	} else {
		want = FlagTestID | FlagRunnable
		if e.HasFile() {
			want |= FlagFile | FlagMIME | e.Flags&FlagEOF
			if e.Status != StatusUndefined || len(e.MIME) == 0 {
				bad = append(bad, "bad-file")
			}
		} else if e.Status != StatusInProgress && !e.Status.Final() {
			bad = append(bad, "bad-status")
		}
		if len(e.Tags) > 0 {
			want |= FlagTags
		}
		if want |= e.Flags & FlagTimestamp; !e.HasTimestamp() && !e.Timestamp.IsZero() {
			bad = append(bad, "timestamp-without-flag")
		}
		if !e.V1 || !utf8.Valid(e.TestID) {
			bad = append(bad, "bad-test-event")
		}
	}
	if e.Flags != want {
		bad = append(bad, fmt.Sprintf("flags=%#04x", uint16(e.Flags)))
	}
	return bad
}

func v1RenderAll(evs []*Event, withOffsets bool) []string {
	s := make([]string, len(evs))
	for i, e := range evs {
		s[i] = v1Render(e)
		if withOffsets {
			s[i] = fmt.Sprintf("%d: %s", e.Offset, s[i])
		}
	}
	return s
}

const (
	tbMIME  = `"text/x-traceback; charset=\"utf8\""`
	pyMIME  = `"text/x-traceback; charset=\"utf8\"; language=\"python\""`
	lostPfx = `"testtools.testresult.real._StringException: lost connection during `
	badPfx  = `"testtools.testresult.real._StringException: malformed multipart details during `
)

// v1Case is one v1 input and the events it must give. pyCrash marks inputs
// on which python's subunit-1to2 raises (the differential test checks that it
// does); every other case is also compared with python's output.
type v1Case struct {
	name    string
	in      string
	want    []string
	pyCrash bool
}

var v1Cases = []v1Case{
	{name: "empty", in: "", want: nil},
	{name: "chatter only", in: "hello\nworld\n", want: []string{`stdout "hello\nworld\n"`}},
	{name: "chatter unterminated", in: "hello\nwor", want: []string{`stdout "hello\nwor"`}},
	{name: "test success colon", in: "test: foo\nsuccess: foo\n", want: []string{
		`inprogress "foo"`, `success "foo"`}},
	{name: "test success no colon", in: "test foo\nsuccess foo\n", want: []string{
		`inprogress "foo"`, `success "foo"`}},
	{name: "testing successful", in: "testing: foo\nsuccessful: foo\ntesting bar\nsuccessful bar\n", want: []string{
		`inprogress "foo"`, `success "foo"`, `inprogress "bar"`, `success "bar"`}},
	{name: "many colons and tab", in: "test::: a\nsuccess:\ta\ntest:  b\nfailure:  b\n", want: []string{
		`inprogress "a"`, `success "a"`, `inprogress " b"`, `fail " b"`}},
	{name: "every outcome", in: "test: a\nfailure: a\ntest: b\nerror: b\ntest: c\nskip: c\n" +
		"test: d\nxfail: d\ntest: e\nuxsuccess: e\ntest: f\nskip f\ntest: g\nxfail g\ntest: h\nuxsuccess h\ntest: i\nerror i\ntest: j\nfailure j\n",
		want: []string{
			`inprogress "a"`, `fail "a"`, `inprogress "b"`, `fail "b"`, `inprogress "c"`, `skip "c"`,
			`inprogress "d"`, `xfail "d"`, `inprogress "e"`, `uxsuccess "e"`, `inprogress "f"`, `skip "f"`,
			`inprogress "g"`, `xfail "g"`, `inprogress "h"`, `uxsuccess "h"`, `inprogress "i"`, `fail "i"`,
			`inprogress "j"`, `fail "j"`}},
	{name: "not directives", in: "Test: a\n test: a\ntest:\ntest: \ntests: a\ntest:a\nsuccess:\n", want: []string{
		`stdout "Test: a\n test: a\ntest:\ntest: \ntests: a\ntest:a\nsuccess:\n"`}},
	{name: "label mismatch and stray outcomes", in: "success: foo\ntest: foo\nsuccess: bar\ntest: baz\nfailure: foo [x\nfailure: foo [ \nsuccess: foo\n",
		want: []string{
			`stdout "success: foo\n"`, `inprogress "foo"`,
			`stdout "success: bar\ntest: baz\nfailure: foo [x\nfailure: foo [ \n"`, `success "foo"`}},
	{name: "chatter inside test", in: "test: foo\nsome output\nmore\nsuccess: foo\nafter\n", want: []string{
		`inprogress "foo"`, `stdout "some output\nmore\n"`, `success "foo"`, `stdout "after\n"`}},
	{name: "simple details failure", in: "test: foo\nfailure: foo [\nline1\n ] x\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + tbMIME + ` eof "line1\n] x\n"`, `fail "foo"`}},
	{name: "simple details escapes", in: "test: foo\nerror: foo [\n]x\n ]\n  ]\n\n]]\n ] \n]\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + tbMIME + ` eof "]x\n]\n  ]\n\n]]\n] \n"`, `fail "foo"`}},
	{name: "simple details empty", in: "test: foo\nxfail: foo [\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + tbMIME + ` eof ""`, `xfail "foo"`}},
	{name: "simple details skip reason", in: "test: foo\nskip: foo [\nnot today\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" reason "text/plain" eof "not today\n"`, `skip "foo"`}},
	{name: "simple details success message", in: "test: foo\nsuccessful: foo [\nyay\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" message "text/plain" eof "yay\n"`, `success "foo"`}},
	{name: "simple details uxsuccess", in: "test: foo\nuxsuccess: foo [\nhm\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + tbMIME + ` eof "hm\n"`, `uxsuccess "foo"`}},
	{name: "details hide directives", in: "test: foo\nfailure: foo [\ntest: bar\ntags: x\ntime: 2014-01-01 00:00:00Z\n]\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + tbMIME + ` eof "test: bar\ntags: x\ntime: 2014-01-01 00:00:00Z\n"`, `fail "foo"`}},
	{name: "multipart several parts", in: "test: foo\nfailure: foo [ multipart\n" +
		"Content-Type: text/plain;charset=utf8\nlog\n5\r\nab\ncd3\r\nxyz0\r\n" +
		"Content-Type: application/octet-stream\nbin\nB\r\n0123456789\n1a\r\nabcdefghijklmnopqrstuvwxyz0\r\n" +
		"Content-Type: text/x-traceback;charset=utf8,language=python\ntraceback\n0\r\n]\n",
		want: []string{
			`inprogress "foo"`,
			`file "foo" log "text/plain;charset=utf8" eof "ab\ncdxyz"`,
			`file "foo" bin "application/octet-stream" eof "0123456789\nabcdefghijklmnopqrstuvwxyz"`,
			`file "foo" traceback "text/x-traceback;charset=utf8,language=python" eof ""`,
			`fail "foo"`}},
	{name: "multipart raw bytes", in: "test: foo\nerror: foo [ multipart\nContent-Type: application/octet-stream\nblob\n" +
		"9\r\n\xb3\n\xb3\x00\r\n]\n\xff0\r\n]\n",
		want: []string{`inprogress "foo"`, `file "foo" blob "application/octet-stream" eof "\xb3\n\xb3\x00\r\n]\n\xff"`, `fail "foo"`}},
	{name: "multipart lowercase hex and leading zeros", in: "test: foo\nskip: foo [ multipart\nContent-Type: text/plain\nreason\n00b\r\nhello world0\r\n]\n",
		want: []string{`inprogress "foo"`, `file "foo" reason "text/plain" eof "hello world"`, `skip "foo"`}},
	{name: "multipart huge chunk size", in: "test: foo\nfailure: foo [ multipart\nContent-Type: a/b\nn\n80000000000000000000\r\nabc",
		want: []string{`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `failure report of test 'foo'\n"`, `fail "foo"`}},
	{name: "multipart empty", in: "test: foo\nsuccess: foo [ multipart\n]\n", want: []string{`inprogress "foo"`, `success "foo"`}},
	{name: "multipart duplicate name keeps first place", in: "test: foo\nxfail: foo [ multipart\n" +
		"Content-Type: text/plain\nlog\n2\r\nab0\r\nContent-Type: text/csv\nother\n1\r\nx0\r\nContent-Type: text/html\nlog\n1\r\nQ0\r\n]\n",
		want: []string{`inprogress "foo"`, `file "foo" log "text/html" eof "Q"`, `file "foo" other "text/csv" eof "x"`, `xfail "foo"`}},
	{name: "multipart field name unchecked", in: "test: foo\nfailure: foo [ multipart\nX a/b c\nn\n0\r\n]\n",
		want: []string{`inprogress "foo"`, `file "foo" n "a/b c" eof ""`, `fail "foo"`}},
	{name: "tags global and in test", in: "tags: a b\ntest: foo\ntags: c -a\nsuccess: foo\ntest: bar\nsuccess: bar\ntags: -b\ntest: baz\nsuccess: baz\n",
		want: []string{`inprogress "foo"`, `success "foo" tags=b,c`, `inprogress "bar"`, `success "bar" tags=a,b`, `inprogress "baz"`, `success "baz" tags=a`}},
	{name: "tags removal wins", in: "tags: x -x y\ntest: foo\ntags: -y y z\nsuccess: foo\n", want: []string{
		`inprogress "foo"`, `success "foo" tags=z`}},
	{name: "tags unicode whitespace", in: "tags: a\u00a0b\u2003c\x1cd e\u200bf\ntest: foo\nsuccess: foo\n", want: []string{
		`inprogress "foo"`, `success "foo" tags=a,b,c,d,e` + "\u200b" + `f`}},
	{name: "time", in: "time: 2014-08-15 10:34:49.010492Z\ntest: foo\ntime: 2014-08-15 10:34:51Z\nfailure: foo [\nx\n]\n",
		want: []string{
			`inprogress "foo" @2014-08-15T10:34:49.010492Z`,
			`file "foo" traceback ` + tbMIME + ` eof "x\n" @2014-08-15T10:34:51Z`,
			`fail "foo" @2014-08-15T10:34:51Z`}},
	{name: "time zones and separators", in: "time: 2014-08-15T10:34:49+01:30\ntest: a\ntime: 2014-8-5x01:02:03.5-02:00 trailing\nsuccess: a\ntime 2000-02-29 23:59:59.1234567\ntest: b\nsuccess: b\n",
		want: []string{
			`inprogress "a" @2014-08-15T09:04:49Z`, `success "a" @2014-08-05T03:02:03.5Z`,
			`inprogress "b" @2000-02-29T23:59:59.123456Z`, `success "b" @2000-02-29T23:59:59.123456Z`}},
	{name: "time fraction rounds through a float", in: "time: 2001-01-01 00:00:00.000001Z\ntest: a\ntime: 2001-01-01 00:00:00.000249Z\nsuccess: a\n",
		want: []string{`inprogress "a" @2001-01-01T00:00:00.000001Z`, `success "a" @2001-01-01T00:00:00.000248Z`}},
	{name: "progress", in: "progress: 5\nprogress: +3\nprogress: -1\nprogress: push\nprogress: pop\nprogress 1_000\ntest: a\nprogress: +1\nsuccess: a\n",
		want: []string{`inprogress "a"`, `success "a"`}},
	{name: "lost connection in test", in: "tags: t\ntest: foo\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `test 'foo'\n"`, `fail "foo" tags=t`}},
	{name: "lost connection in simple details", in: "test: foo\nskip: foo [\nbecause\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `skip report of test 'foo'\n"`, `fail "foo"`}},
	{name: "lost connection in multipart body", in: "test: foo\nsuccessful: foo [ multipart\nContent-Type: text/plain\nlog\n10\r\nshort", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `success report of test 'foo'\n"`, `fail "foo"`}},
	{name: "lost connection in multipart header", in: "test: foo\nuxsuccess: foo [ multipart\nContent-Type: text/plain\nlog\n5\r", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `uxsuccess report of test 'foo'\n"`, `fail "foo"`}},
	{name: "lost connection after parts", in: "test: foo\nerror: foo [ multipart\nContent-Type: text/plain\nlog\n1\r\nx0\r\n", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `error report of test 'foo'\n"`, `fail "foo"`}},
	{name: "unterminated last line cut like python", in: "test: foo\nsuccess: foo", want: []string{
		`inprogress "foo"`, `stdout "success: foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `test 'foo'\n"`, `fail "foo"`}},
	{name: "unterminated test line", in: "test: foo", want: []string{
		`inprogress "fo"`, `file "fo" traceback ` + pyMIME + ` eof ` + lostPfx + `test 'fo'\n"`, `fail "fo"`}},
	{name: "unterminated end of details", in: "test: foo\nfailure: foo [\nx\n]", want: []string{
		`inprogress "foo"`, `file "foo" traceback ` + pyMIME + ` eof ` + lostPfx + `failure report of test 'foo'\n"`, `fail "foo"`}},
	{name: "crlf", in: "test: foo\r\nsuccess: foo\r\ntest: bar\r\nfailure: bar [\r\nx\r\n]\r\n]\n", want: []string{
		`inprogress "foo\r"`, `success "foo\r"`, `inprogress "bar\r"`, `stdout "failure: bar [\r\nx\r\n]\r\n]\n"`,
		`file "bar\r" traceback ` + pyMIME + ` eof ` + lostPfx + "test 'bar\\r'\\n\"", `fail "bar\r"`}},
	{name: "crlf details", in: "test: foo\r\nfailure: foo\r [\nx\r\n]\n", want: []string{
		`inprogress "foo\r"`, `file "foo\r" traceback ` + tbMIME + ` eof "x\r\n"`, `fail "foo\r"`}},
	{name: "test inside test", in: "test: a\ntest: b\nsuccess: b\nsuccess: a\n", want: []string{
		`inprogress "a"`, `stdout "test: b\nsuccess: b\n"`, `success "a"`}},
	{name: "refstack fixture shape", in: "time: 2014-08-15 10:34:49.010492Z\ntags: worker-0\ntest: tempest.passed.test\n" +
		"time: 2014-08-15 10:34:51.020584Z\nsuccessful: tempest.passed.test [ multipart\n]\ntags: worker-0\n" +
		"time: 2014-08-15 10:34:58.010492Z\ntags: worker-0\ntest: tempest.tagged_passed.test[gate,id-0146f675-ffbd-4208-b3a4-60eb628dbc5e]\n" +
		"time: 2014-08-15 10:34:58.020584Z\nsuccessful: tempest.tagged_passed.test[gate,id-0146f675-ffbd-4208-b3a4-60eb628dbc5e] [ multipart\n]\n" +
		"tags: -worker-0\ntime: 2014-08-15 10:34:58.543400Z\ntags: worker-0",
		want: []string{
			`inprogress "tempest.passed.test" @2014-08-15T10:34:49.010492Z`,
			`success "tempest.passed.test" tags=worker-0 @2014-08-15T10:34:51.020584Z`,
			`inprogress "tempest.tagged_passed.test[gate,id-0146f675-ffbd-4208-b3a4-60eb628dbc5e]" @2014-08-15T10:34:58.010492Z`,
			`success "tempest.tagged_passed.test[gate,id-0146f675-ffbd-4208-b3a4-60eb628dbc5e]" tags=worker-0 @2014-08-15T10:34:58.020584Z`}},
	{name: "stestr repository shape", in: "time: 2020-01-02 03:04:05.000006Z\ntags: worker-1\ntest: t.A.test_x[id-1]\ntime: 2020-01-02 03:04:06Z\n" +
		"failure: t.A.test_x[id-1] [ multipart\nContent-Type: text/plain;charset=utf8\nstdout\n0\r\n" +
		"Content-Type: text/x-traceback;charset=utf8,language=python\ntraceback\n1E\r\nTraceback (most recent call):\n0\r\n]\ntags: -worker-1\n",
		want: []string{
			`inprogress "t.A.test_x[id-1]" @2020-01-02T03:04:05.000006Z`,
			`file "t.A.test_x[id-1]" stdout "text/plain;charset=utf8" eof "" @2020-01-02T03:04:06Z`,
			`file "t.A.test_x[id-1]" traceback "text/x-traceback;charset=utf8,language=python" eof "Traceback (most recent call):\n" @2020-01-02T03:04:06Z`,
			`fail "t.A.test_x[id-1]" tags=worker-1 @2020-01-02T03:04:06Z`}},
	{name: "non-UTF-8 chatter", in: "caf\xe9\n\xff\xfe\n", want: []string{`stdout "caf\xe9\n\xff\xfe\n"`}},

	// python raises on these; the parser passes the line through or fails the test.
	{name: "bad progress", in: "progress: abc\nprogress: 1__0\n", pyCrash: true, want: []string{`stdout "progress: abc\nprogress: 1__0\n"`}},
	{name: "bad time", in: "time: 2014-08-15\ntime: 2014-13-01 00:00:00Z\ntime: 2014-02-29 00:00:00Z\ntime: 2014-01-01 00:00Z\ntest: a\nsuccess: a\n", pyCrash: true,
		want: []string{`stdout "time: 2014-08-15\ntime: 2014-13-01 00:00:00Z\ntime: 2014-02-29 00:00:00Z\ntime: 2014-01-01 00:00Z\n"`, `inprogress "a"`, `success "a"`}},
	{name: "non-UTF-8 test label", in: "test: \xff\ntest: a\nsuccess: a\n", pyCrash: true,
		want: []string{`stdout "test: \xff\n"`, `inprogress "a"`, `success "a"`}},
	{name: "non-UTF-8 outcome label", in: "test: a\nsuccess: \xff\nsuccess: a\n", pyCrash: true,
		want: []string{`inprogress "a"`, `stdout "success: \xff\n"`, `success "a"`}},
	{name: "uxsuccess outside a test", in: "uxsuccess: a\n", pyCrash: true, want: []string{`stdout "uxsuccess: a\n"`}},
	{name: "time with two spaces", in: "time:  2014-01-01 00:00:00Z\n", pyCrash: true, want: []string{`stdout "time:  2014-01-01 00:00:00Z\n"`}},
	{name: "non-UTF-8 tags", in: "tags: \xff\ntest: a\nsuccess: a\n", pyCrash: true,
		want: []string{`stdout "tags: \xff\n"`, `inprogress "a"`, `success "a"`}},
	{name: "bad content type", in: "test: a\nfailure: a [ multipart\nContent-Type:text/plain\n]\nafter\n", pyCrash: true,
		want: []string{`inprogress "a"`, `file "a" traceback ` + pyMIME + ` eof ` + badPfx + `failure report of test 'a': bad content type line\n"`,
			`fail "a"`, `stdout "Content-Type:text/plain\n]\nafter\n"`}},
	{name: "bad chunk size", in: "test: a\nerror: a [ multipart\nContent-Type: text/plain\nlog\n5\n12345\n0\r\n]\n", pyCrash: true,
		want: []string{`inprogress "a"`, `file "a" traceback ` + pyMIME + ` eof ` + badPfx + `error report of test 'a': bad chunk size line\n"`,
			`fail "a"`, `stdout "5\n12345\n0\r\n]\n"`}},
}

func TestV1Table(t *testing.T) {
	for _, c := range v1Cases {
		t.Run(c.name, func(t *testing.T) {
			got := v1RenderAll(v1Merge(v1Feed(t, []byte(c.in))), false)
			if !slices.Equal(got, c.want) {
				t.Errorf("input %q\n got: %s\nwant: %s", c.in, strings.Join(got, "\n      "), strings.Join(c.want, "\n      "))
			}
		})
	}
}

// TestV1Split feeds every table input in two pieces, at every cut, and one
// byte at a time: the events (offsets included) must equal the one-shot run's.
func TestV1Split(t *testing.T) {
	for _, c := range v1Cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(c.in)
			want := v1RenderAll(v1Merge(v1Feed(t, in)), true)
			for cut := 1; cut < len(in); cut++ {
				if got := v1RenderAll(v1Merge(v1Feed(t, in, cut)), true); !slices.Equal(got, want) {
					t.Fatalf("cut at %d (%q | %q)\n got: %s\nwant: %s", cut, in[:cut], in[cut:],
						strings.Join(got, "\n      "), strings.Join(want, "\n      "))
				}
			}
			var every []int
			for i := 1; i < len(in); i++ {
				every = append(every, i)
			}
			if got := v1RenderAll(v1Merge(v1Feed(t, in, every...)), true); !slices.Equal(got, want) {
				t.Fatalf("byte at a time\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
			}
		})
	}
}

func TestV1Offsets(t *testing.T) {
	in := "chat\ntest: a\ntime: 2001-01-01 00:00:00Z\nmore\nfailure: a [ multipart\nContent-Type: a/b\nn\n1\r\nx0\r\n]\ntest: b\n"
	at := func(s string) int { return strings.Index(in, s) }
	want := []string{
		`0: stdout "chat\n"`,
		`5: inprogress "a"`,
		fmt.Sprintf(`%d: stdout "more\n"`, at("more")),
		fmt.Sprintf(`%d: file "a" n "a/b" eof "x" @2001-01-01T00:00:00Z`, at("failure")),
		fmt.Sprintf(`%d: fail "a" @2001-01-01T00:00:00Z`, at("failure")),
		fmt.Sprintf(`%d: inprogress "b" @2001-01-01T00:00:00Z`, at("test: b")),
		fmt.Sprintf(`%d: file "b" traceback `+pyMIME+` eof `+lostPfx+`test 'b'\n" @2001-01-01T00:00:00Z`, len(in)),
		fmt.Sprintf(`%d: fail "b" @2001-01-01T00:00:00Z`, len(in)),
	}
	got := v1RenderAll(v1Feed(t, []byte(in)), true)
	if !slices.Equal(got, want) {
		t.Errorf("got:  %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// TestV1PassthroughRuns checks that lines with no directive between them make
// one event per feed call, that a directive breaks the run (an event's content
// is the input at its offset) and that a partial line which cannot become a
// directive is handed out at once, while one that can is held.
func TestV1PassthroughRuns(t *testing.T) {
	p := newV1Parser("out")
	var q []Event
	p.feed([]byte("a\nb\ntags: x\nc\nd"), 100, false, &q)
	if len(q) != 2 || string(q[0].FileContent) != "a\nb\n" || q[0].Offset != 100 ||
		string(q[1].FileContent) != "c\nd" || q[1].Offset != 112 || string(q[1].FileName) != "out" {
		t.Fatalf("got %s", v1RenderAll(v1Ptrs(q), true))
	}
	q = q[:0]
	p.release()
	p.feed([]byte("e\nsucc"), 115, false, &q)
	if len(q) != 1 || string(q[0].FileContent) != "e\n" {
		t.Fatalf("got %s, want the partial directive held", v1RenderAll(v1Ptrs(q), true))
	}
	q = q[:0]
	p.feed([]byte("ess: x\n"), 121, false, &q)
	if len(q) != 1 || string(q[0].FileContent) != "success: x\n" || q[0].Offset != 117 {
		t.Fatalf("got %s", v1RenderAll(v1Ptrs(q), true))
	}
}

// TestV1PacketBreaksLine checks that a gap in the offsets (a packet the
// Reader took) completes a partial line, as the end of input does, except in
// multipart details, whose lines go on after the packet.
func TestV1PacketBreaksLine(t *testing.T) {
	cases := []struct {
		name  string
		parts []string // fed with an 8-byte gap between them
		want  []string
	}{
		{"outcome cut", []string{"test: a\nsucc", "ess: a\n"}, []string{
			`inprogress "a"`, `stdout "succ"`, `stdout "ess: a\n"`,
			`file "a" traceback ` + pyMIME + ` eof ` + lostPfx + `test 'a'\n"`, `fail "a"`}},
		{"test line cut", []string{"test: ab", "\nsuccess: a\n"}, []string{
			`inprogress "a"`, `stdout "\n"`, `success "a"`}},
		{"passthrough cut", []string{"hello", "world\n"}, []string{`stdout "hello"`, `stdout "world\n"`}},
		{"simple details cut", []string{"test: a\nfailure: a [\n]", "\n]\n"}, []string{
			`inprogress "a"`, `file "a" traceback ` + tbMIME + ` eof "]\n"`, `fail "a"`}},
		{"multipart line goes on", []string{"test: a\nfailure: a [ multipart\nContent-Type: te", "xt/plain\nlog\n1", "\r\nx0\r\n]\n"}, []string{
			`inprogress "a"`, `file "a" log "text/plain" eof "x"`, `fail "a"`}},
	}
	for _, c := range cases {
		p := newV1Parser("stdout")
		var q []Event
		var off int64
		for _, part := range c.parts {
			p.feed([]byte(part), off, true, &q)
			off += int64(len(part)) + 8
		}
		p.finish(off, &q)
		if got := v1RenderAll(v1Ptrs(q), false); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got: %s\nwant: %s", c.name, strings.Join(got, "\n      "), strings.Join(c.want, "\n      "))
		}
	}
}

func v1Ptrs(q []Event) []*Event {
	p := make([]*Event, len(q))
	for i := range q {
		p[i] = &q[i]
	}
	return p
}

// TestV1LongLines checks the v1MaxLine bound: a partial line longer than it is
// passed through at once, and so is a whole line of that length (split and
// one-shot agree); inside multipart details it ends them as malformed.
func TestV1LongLines(t *testing.T) {
	long := "test: " + strings.Repeat("x", v1MaxLine) + "\nsuccess: x\n"
	for _, cut := range []int{0, 10, v1MaxLine - 5, v1MaxLine + 3} {
		got := v1Merge(v1Feed(t, []byte(long), cut))
		if len(got) != 1 || !got[0].Passthrough || string(got[0].FileContent) != long {
			t.Fatalf("cut %d: got %d events, want the whole input passed through", cut, len(got))
		}
	}
	p := newV1Parser("stdout")
	var q []Event
	p.feed([]byte("test: "+strings.Repeat("y", v1MaxLine+1)), 0, false, &q)
	if len(q) != 1 || !q[0].Passthrough {
		t.Fatalf("a partial line over v1MaxLine was held")
	}
	mp := "test: a\nfailure: a [ multipart\nContent-Type: a/b\n" + strings.Repeat("n", v1MaxLine) + "\n0\r\n]\n"
	got := v1RenderAll(v1Merge(v1Feed(t, []byte(mp), 50)), false)
	if len(got) != 4 || !strings.Contains(got[1], "over-long line") || !strings.HasPrefix(got[3], `stdout "nnn`) {
		t.Fatalf("got %.300q", got)
	}
}

// TestV1Spill checks that a detail larger than v1SpillSize comes out in
// chunks no larger than that, all before the final status, with EOF on the
// last one only, and that the parser's memory does not grow with it.
func TestV1Spill(t *testing.T) {
	const size = 3*v1SpillSize + 12345
	var in bytes.Buffer
	in.WriteString("test: big\nfailure: big [ multipart\nContent-Type: text/plain\nsmall\n1\r\ns0\r\nContent-Type: application/octet-stream\nblob\n")
	body := bytes.Repeat([]byte("0123456789\n\xb3"), size/12+1)[:size]
	for rest := body; len(rest) > 0; {
		n := min(len(rest), 65536)
		fmt.Fprintf(&in, "%X\r\n", n)
		in.Write(rest[:n])
		rest = rest[n:]
	}
	in.WriteString("0\r\n]\n")
	evs := v1Feed(t, in.Bytes(), 1000, 5000000)
	var blob []byte
	for i, e := range evs {
		switch {
		case i == 0 || i == len(evs)-1:
		case i == 1:
			if got := v1Render(e); got != `file "big" small "text/plain" eof "s"` {
				t.Fatalf("event 1: %s", got)
			}
		default:
			if string(e.FileName) != "blob" || len(e.FileContent) > v1SpillSize || e.EOF() != (i == len(evs)-2) {
				t.Fatalf("event %d: %s %d bytes eof=%v", i, e.FileName, len(e.FileContent), e.EOF())
			}
			blob = append(blob, e.FileContent...)
		}
	}
	if last := evs[len(evs)-1]; last.Status != StatusFail || !bytes.Equal(blob, body) {
		t.Fatalf("final %s; blob %d bytes, want %d", v1Render(last), len(blob), len(body))
	}
	simple := "test: s\nskip: s [\n" + strings.Repeat("reason line\n", v1SpillSize/12+10) + "]\n"
	evs = v1Feed(t, []byte(simple))
	if len(evs) != 4 || evs[1].EOF() || !evs[2].EOF() || len(evs[1].FileContent) != v1SpillSize ||
		len(evs[1].FileContent)+len(evs[2].FileContent) != len(simple)-len("test: s\nskip: s [\n]\n") {
		t.Fatalf("simple details: %d events", len(evs))
	}
}

// TestV1Bounds checks the bounds on what one outcome or the tag sets hold:
// past v1MaxParts details they are emitted early, in order; past v1MaxTags
// tags a set grows no more.
func TestV1Bounds(t *testing.T) {
	var in strings.Builder
	in.WriteString("test: a\nfailure: a [ multipart\n")
	const parts = 2*v1MaxParts + 10
	for i := range parts {
		fmt.Fprintf(&in, "Content-Type: text/plain\np%d\n1\r\n%c0\r\n", i, 'a'+i%26)
	}
	in.WriteString("]\n")
	p := newV1Parser("stdout")
	evs := v1Drive(t, p, []byte(in.String()))
	if len(evs) != parts+2 || cap(p.d.parts) > v1MaxParts {
		t.Fatalf("%d events, want %d; %d parts held", len(evs), parts+2, cap(p.d.parts))
	}
	for i, e := range evs[1 : parts+1] {
		if want := fmt.Sprintf(`file "a" p%d "text/plain" eof "%c"`, i, 'a'+i%26); v1Render(e) != want {
			t.Fatalf("event %d: %s, want %s", i+1, v1Render(e), want)
		}
	}
	in.Reset()
	in.WriteString("tags:")
	for i := range v1MaxTags + 100 {
		fmt.Fprintf(&in, " t%d", i)
	}
	in.WriteString("\ntest: a\nsuccess: a\n")
	if evs := v1Feed(t, []byte(in.String())); len(evs) != 2 || len(evs[1].Tags) != v1MaxTags {
		t.Fatalf("%d events, %d tags", len(evs), len(evs[len(evs)-1].Tags))
	}
}

// TestV1ArenaWithoutRelease checks that events stay intact when the Reader
// feeds again before releasing (the arena may move as it grows).
func TestV1ArenaWithoutRelease(t *testing.T) {
	for _, c := range v1Cases {
		in := []byte(c.in)
		p := newV1Parser("stdout")
		var q []Event
		for i := range in {
			if p.rawWanted() < 0 {
				t.Fatal("negative rawWanted")
			}
			p.feed(in[i:i+1], int64(i), i == len(in)-1, &q)
		}
		p.finish(int64(len(in)), &q)
		got := v1RenderAll(v1Merge(v1Ptrs(q)), false)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestV1ParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" when python raises
	}{
		{"2014-08-15 10:34:49.010492Z", "2014-08-15T10:34:49.010492Z"},
		{"2014-08-15 10:34:49", "2014-08-15T10:34:49Z"},
		{"2014-8-5 01:02:03", "2014-08-05T01:02:03Z"},
		{"2014-08-15T10:34:49-00:30", "2014-08-15T11:04:49Z"},
		{"2014-08-15 10:34:49+23:59", "2014-08-14T10:35:49Z"},
		{"2014-08-15 10:34:49+24:00", ""},
		{"2014-08-15 10:34:49+2400", "2014-08-15T10:34:49Z"}, // not a zone: ignored
		{"2014-08-15 10:34:49.9999999999Z", "2014-08-15T10:34:49.999999Z"},
		{"2014-08-15 10:34:49.99999999999999999Z", ""},
		{"2014-08-15 10:34:49.Z", "2014-08-15T10:34:49Z"},
		{"2014-08-1510:34:49", ""},
		{"2014-08-15 10:34", ""},
		{"0000-01-01 00:00:00", ""},
		{"2014-00-01 00:00:00", ""},
		{"2014-04-31 00:00:00", ""},
		{"2016-02-29 23:59:59", "2016-02-29T23:59:59Z"},
		{"2014-01-01 24:00:00", ""},
		{"2014-01-01 00:60:00", ""},
		{"2014-01-01 00:00:60", ""},
		{"14-01-01 00:00:00", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := v1ParseTime([]byte(c.in))
		s := ""
		if ok {
			s = got.Format(time.RFC3339Nano)
		}
		if s != c.want {
			t.Errorf("v1ParseTime(%q) = %q, want %q", c.in, s, c.want)
		}
	}
}

func TestV1CouldBeDirective(t *testing.T) {
	for in, want := range map[string]bool{
		"t": true, "te": true, "test": true, "test:": true, "test::": true, "testi": true, "testing: x": true,
		"tag": true, "time ": true, "progress:\t": true, "u": true, "uxs": true, "x": true,
		"testx": false, "te:": false, "tests": false, "a": false, " test": false, "foo: x": false,
		"successfully": false, "test:a": false, "tags:x ": false,
	} {
		if got := v1CouldBeDirective([]byte(in)); got != want {
			t.Errorf("v1CouldBeDirective(%q) = %v, want %v", in, got, want)
		}
	}
}

// v1PyHarness runs /usr/bin/subunit-1to2 (the script itself, through runpy)
// on each input, then decodes its v2 output with python-subunit, and prints one
// JSON result per input: the events, or the exception that stopped 1to2.
const v1PyHarness = `
import datetime, io, json, runpy, sys
from subunit import ByteStreamToStreamResult
from testtools import StreamResult

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

class Collect(StreamResult):
    def __init__(self):
        super().__init__()
        self.events = []
    def status(self, test_id=None, test_status=None, test_tags=None, runnable=True,
               file_name=None, file_bytes=None, eof=False, mime_type=None,
               route_code=None, timestamp=None):
        if test_id is None and file_name == 'stdout':
            self.events.append({'stdout': bytes(file_bytes).hex()})
            return
        e = {}
        if test_id is not None: e['id'] = test_id
        if test_status is not None: e['status'] = test_status
        if test_tags: e['tags'] = sorted(test_tags)
        if not runnable: e['runnable'] = False
        if file_name is not None:
            e['file'] = file_name
            e['bytes'] = bytes(file_bytes).hex()
        if eof: e['eof'] = True
        if mime_type: e['mime'] = mime_type
        if route_code is not None: e['route'] = route_code
        if timestamp is not None: e['ts'] = (timestamp - EPOCH) // datetime.timedelta(microseconds=1)
        self.events.append(e)

def convert(data):
    out = io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.argv
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    sys.stdout = io.TextIOWrapper(out)
    sys.argv = ['subunit-1to2']
    try:
        runpy.run_path('/usr/bin/subunit-1to2', run_name='__main__')
    except SystemExit:
        pass
    except Exception as e:
        return {'crash': type(e).__name__ + ': ' + str(e)}
    finally:
        sys.stdout.flush()
        data = out.getvalue()
        sys.stdin, sys.stdout, sys.argv = saved
    r = Collect()
    ByteStreamToStreamResult(io.BytesIO(data), non_subunit_name='stdout').run(r)
    return {'events': r.events, 'raw': data.hex()}

print(json.dumps([convert(bytes.fromhex(h)) for h in json.load(sys.stdin)]))
`

type v1PyResult struct {
	Crash  string           `json:"crash"`
	Events []map[string]any `json:"events"` // python's decoding of Raw
	Raw    string           `json:"raw"`    // subunit-1to2's output, in hex
}

// v1PyEvents runs v1PyHarness on inputs; it skips the test when python or
// python-subunit is missing.
func v1PyEvents(t *testing.T, inputs [][]byte) []v1PyResult {
	t.Helper()
	testenv.Tool(t, "/usr/bin/subunit-1to2")
	py := testenv.Python(t, "subunit", "testtools")
	script := filepath.Join(t.TempDir(), "harness.py")
	if err := os.WriteFile(script, []byte(v1PyHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	hexes := make([]string, len(inputs))
	for i, in := range inputs {
		hexes[i] = hex.EncodeToString(in)
	}
	stdin, err := json.Marshal(hexes)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, script)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python harness: %v\n%s", err, stderr.Bytes())
	}
	var res []v1PyResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("python harness output: %v", err)
	}
	if len(res) != len(inputs) {
		t.Fatalf("python harness gave %d results for %d inputs", len(res), len(inputs))
	}
	return res
}

// v1AsPython renders events in the harness's JSON form, merging passthrough
// runs (python hands non-subunit bytes out in arbitrary pieces). A timestamp
// is compared only where the Go event has one: without a "time:" line
// subunit-1to2 stamps events with the wall clock.
func v1AsPython(evs []*Event) []string {
	var s []string
	for _, e := range evs {
		if e.Passthrough {
			s = append(s, fmt.Sprintf(`stdout %x`, e.FileContent))
			continue
		}
		m := map[string]any{"id": string(e.TestID)}
		if e.Status != StatusUndefined {
			m["status"] = e.Status.String()
		}
		if len(e.Tags) > 0 {
			var tags []string
			for _, t := range e.Tags {
				tags = append(tags, string(t))
			}
			slices.Sort(tags)
			m["tags"] = tags
		}
		if e.HasFile() {
			m["file"] = string(e.FileName)
			m["bytes"] = hex.EncodeToString(e.FileContent)
			m["mime"] = string(e.MIME)
		}
		if e.EOF() {
			m["eof"] = true
		}
		if e.HasTimestamp() {
			m["ts"] = e.Timestamp.UnixMicro()
		}
		b, _ := json.Marshal(m)
		s = append(s, string(b))
	}
	return v1MergeStdout(s)
}

// v1EventMaps renders events (here those the Reader decodes from
// subunit-1to2's output) in the harness's JSON form.
func v1EventMaps(evs []*Event) []map[string]any {
	var ms []map[string]any
	for _, s := range v1AsPython(evs) {
		var m map[string]any
		if h, ok := strings.CutPrefix(s, "stdout "); ok {
			m = map[string]any{"stdout": h}
		} else if err := json.Unmarshal([]byte(s), &m); err != nil {
			panic(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// v1PyRender renders python's events for comparison with ours, dropping the
// timestamps subunit-1to2 invented where ours have none.
func v1PyRender(evs []map[string]any, ours []*Event) []string {
	var s []string
	i := 0 // index into ours' non-passthrough events, to drop invented timestamps
	var tests []*Event
	for _, e := range ours {
		if !e.Passthrough {
			tests = append(tests, e)
		}
	}
	for _, e := range evs {
		if h, ok := e["stdout"]; ok {
			s = append(s, "stdout "+h.(string))
			continue
		}
		if ts, ok := e["ts"].(float64); ok {
			if i >= len(tests) || !tests[i].HasTimestamp() {
				delete(e, "ts")
			} else {
				e["ts"] = int64(ts)
			}
		}
		i++
		b, _ := json.Marshal(e)
		s = append(s, string(b))
	}
	return v1MergeStdout(s)
}

func v1MergeStdout(s []string) []string {
	var m []string
	for _, x := range s {
		if n := len(m); n > 0 && strings.HasPrefix(x, "stdout ") && strings.HasPrefix(m[n-1], "stdout ") {
			m[n-1] += x[len("stdout "):]
			continue
		}
		m = append(m, x)
	}
	return m
}

// TestV1Python compares every table case with what python's subunit-1to2
// makes of it, and checks that python does raise on the pyCrash cases.
func TestV1Python(t *testing.T) {
	inputs := make([][]byte, len(v1Cases))
	for i, c := range v1Cases {
		inputs[i] = []byte(c.in)
	}
	res := v1PyEvents(t, inputs)
	for i, c := range v1Cases {
		t.Run(c.name, func(t *testing.T) {
			r := res[i]
			if c.pyCrash {
				if r.Crash == "" {
					t.Fatalf("python did not raise on %q; make it a parity case", c.in)
				}
				return
			}
			if r.Crash != "" {
				t.Fatalf("python raised %s on %q", r.Crash, c.in)
			}
			ours := v1Feed(t, inputs[i])
			got, want := v1AsPython(ours), v1PyRender(r.Events, ours)
			if !slices.Equal(got, want) {
				t.Errorf("input %q\n  go: %s\n  py: %s", c.in, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
			}
			// subunit-1to2's output read back by our own v2 Reader.
			if back := v1PyRender(v1EventMaps(v1ReadV2(t, r.Raw)), ours); !slices.Equal(got, back) {
				t.Errorf("input %q\n      go: %s\n  Reader: %s", c.in, strings.Join(got, "\n      "), strings.Join(back, "\n      "))
			}
		})
	}
}

// v1RandomStream writes a random v1 stream from a grammar that mixes every
// directive spelling, chatter, both kinds of details, CRLF lines and an end
// that may cut a line, a details block or a chunk body short.
func v1RandomStream(r *rand.Rand) []byte {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	ids := []string{"a", "b.c", "t.X.test_y[id-1,smoke]", "x y", "ü"}
	word := func(kw ...string) string {
		return pick(kw...) + strings.Repeat(":", r.IntN(3)) + pick(" ", " ", " ", "\t", "  ")
	}
	eol := func() string { return pick("\n", "\n", "\n", "\n", "\r\n") }
	var b strings.Builder
	var open string
	for range 1 + r.IntN(12) {
		switch r.IntN(9) {
		case 0:
			b.WriteString(pick("hello", "  indented", "testing", "tests: x", "success", "", "tags", "caf\xff", "progress: push", "time") + eol())
		case 1, 2:
			open = pick(ids...)
			b.WriteString(word("test", "testing") + open + eol())
		case 3, 4, 5:
			id := open
			if id == "" || r.IntN(5) == 0 {
				id = pick(ids...)
			}
			outcomes := []string{"success", "successful", "failure", "error", "skip", "xfail", "uxsuccess"}
			if open == "" {
				outcomes = outcomes[:6] // python raises on uxsuccess outside a test
			}
			b.WriteString(word(outcomes...) + id)
			switch r.IntN(3) {
			case 0:
				b.WriteString(eol())
			case 1:
				b.WriteString(" [\n")
				for range r.IntN(4) {
					b.WriteString(pick("Traceback:", " ]", "]]", " ] x", "", "test: a", "]\r") + eol())
				}
				b.WriteString("]\n")
			case 2:
				b.WriteString(" [ multipart\n")
				for range r.IntN(3) {
					fmt.Fprintf(&b, "Content-Type: %s\n%s\n", pick("text/plain", "text/plain;charset=utf8", "application/octet-stream"),
						pick("stdout", "stderr", "traceback", "log", ""))
					for range r.IntN(3) {
						n := 1 + r.IntN(20)
						body := make([]byte, n)
						for i := range body {
							body[i] = pick("a", "\n", "]", "0", "\r", "\xff", " ")[0]
						}
						fmt.Fprintf(&b, pick("%X", "%x", "%03X")+"\r\n%s", n, body)
					}
					b.WriteString("0\r\n")
				}
				b.WriteString("]\n")
			}
			if id == open {
				open = ""
			}
		case 6:
			b.WriteString(word("tags"))
			for range 1 + r.IntN(3) {
				b.WriteString(pick("a", "b", "-a", "-b", "worker-0", "-worker-0") + " ")
			}
			b.WriteString(eol())
		case 7:
			fmt.Fprintf(&b, "time%s%s2014-%02d-%02d%s%02d:%02d:%02d%s%s%s", pick("", ":"), pick(" ", "\t"), 1+r.IntN(12), 1+r.IntN(28), pick(" ", "T"),
				r.IntN(24), r.IntN(60), r.IntN(60), pick("", ".5", ".000249", ".123456789"), pick("Z", "", "+01:30", "-11:00"), eol())
		case 8:
			b.WriteString(word("progress") + pick("+1", "-2", "7", "push", "pop") + eol())
		}
	}
	s := b.String()
	if r.IntN(3) == 0 && len(s) > 0 {
		// The end of input may cut anything short, but not a UTF-8 character:
		// python's v2 decoder would then swallow the next packet (its quirk Q1).
		cut := r.IntN(len(s))
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return []byte(s)
}

// v1ReadV2 decodes a v2 stream (hex) with the Reader, v1 parsing off.
func v1ReadV2(t *testing.T, rawHex string) []*Event {
	t.Helper()
	raw, err := hex.DecodeString(rawHex)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(raw), WithV1(false))
	if err != nil {
		t.Fatal(err)
	}
	var evs []*Event
	for ev, err := range r.All() {
		if err != nil {
			t.Fatalf("reading subunit-1to2's output: %v", err)
		}
		evs = append(evs, ev.Clone())
	}
	return evs
}

// TestV1PythonRandom compares the parser with subunit-1to2 on random streams
// (those python raises on, where a cut leaves a time line it cannot parse,
// are skipped), fed whole and in two pieces.
func TestV1PythonRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	inputs := make([][]byte, 400)
	for i := range inputs {
		inputs[i] = v1RandomStream(r)
	}
	res := v1PyEvents(t, inputs)
	compared := 0
	for i, in := range inputs {
		if res[i].Crash != "" {
			if testing.Verbose() {
				t.Logf("python raised %s on %q", res[i].Crash, in)
			}
			continue
		}
		compared++
		ours := v1Feed(t, in, len(in)/3)
		got, want := v1AsPython(ours), v1PyRender(res[i].Events, ours)
		if !slices.Equal(got, want) {
			t.Errorf("input %q\n  go: %s\n  py: %s", in, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
		if back := v1PyRender(v1EventMaps(v1ReadV2(t, res[i].Raw)), ours); !slices.Equal(got, back) {
			t.Errorf("input %q\n      go: %s\n  Reader: %s", in, strings.Join(got, "\n      "), strings.Join(back, "\n      "))
		}
	}
	if compared < len(inputs)*3/4 {
		t.Errorf("python raised on %d of %d inputs; the generator is off", len(inputs)-compared, len(inputs))
	}
	t.Logf("%d streams compared with python", compared)
}

// v1ViaReader reads in through a Reader (v1 on) with a 4 KiB buffer, the
// source wrapped by wrap, and returns its events, which must hold no error.
func v1ViaReader(t *testing.T, in []byte, wrap func(io.Reader) io.Reader) []*Event {
	t.Helper()
	r, err := NewReader(wrap(bytes.NewReader(in)), WithBufferSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	var evs []*Event
	for ev, err := range r.All() {
		if err != nil {
			t.Fatalf("input %.80q: %v", in, err)
		}
		evs = append(evs, ev.Clone())
	}
	return evs
}

var v1Sources = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"half", iotest.HalfReader},
	{"byte", iotest.OneByteReader},
}

// TestV1ThroughReader checks the parser inside the Reader: every table case,
// read whole, in halves and a byte at a time, gives the events a one-shot
// feed gives (a multipart body holding 0xB3 included, as rawWanted makes the
// Reader hand it over unscanned).
func TestV1ThroughReader(t *testing.T) {
	for _, src := range v1Sources {
		for _, c := range v1Cases {
			want := v1RenderAll(v1Merge(v1Feed(t, []byte(c.in))), true)
			if got := v1RenderAll(v1Merge(v1ViaReader(t, []byte(c.in), src.wrap)), true); !slices.Equal(got, want) {
				t.Errorf("%s, %s:\n got: %s\nwant: %s", src.name, c.name, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
			}
		}
	}
}

// TestV1ReaderLongStream reads a v1 stream many times the Reader's buffer:
// lines cut by buffer refills must not be taken for whole lines.
func TestV1ReaderLongStream(t *testing.T) {
	for _, body := range []string{"abc", "\xb3\n\xb3"} {
		var b strings.Builder
		for i := range 2000 {
			fmt.Fprintf(&b, "chatter line %d\ntest: t.%d\ntags: w-%d\nsuccess: t.%d [ multipart\nContent-Type: text/plain\nlog\n3\r\n%s0\r\n]\n", i, i, i%3, i, body)
		}
		in := []byte(b.String())
		want := v1RenderAll(v1Merge(v1Feed(t, in)), true)
		for _, src := range v1Sources {
			if got := v1RenderAll(v1Merge(v1ViaReader(t, in, src.wrap)), true); !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("body %q, %s: event %d of %d is\n%s\nwant\n%s", body, src.name, i, len(want), got[i], want[i])
					}
				}
				t.Fatalf("body %q, %s: %d events, want %d", body, src.name, len(got), len(want))
			}
		}
	}
}

// TestV1MixedWithV2 interleaves v1 text and v2 packets, as python's
// subunit-1to2 output of a mixed stream would: each packet is an event of its
// own between the v1 tests.
func TestV1MixedWithV2(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	packet := func(id string, s Status) []byte {
		buf.Reset()
		if err := w.Write(&Event{Flags: FlagTestID | FlagRunnable, TestID: []byte(id), Status: s}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		return slices.Clone(buf.Bytes())
	}
	var in []byte
	in = append(in, "test: a\nsuccess: a\n"...)
	in = append(in, packet("foo", StatusExists)...)
	in = append(in, "\ntest: b\nfailure: b [ multipart\nContent-Type: text/plain\nlog\n"...)
	in = append(in, "4\r\n\xb3\xb3\n\n0\r\n]\n"...)
	in = append(in, packet("bar", StatusSuccess)...)
	in = append(in, "chatter\n"...)
	want := []string{
		`inprogress "a"`, `success "a"`, `exists "foo" !bad-test-event`, `stdout "\n"`, `inprogress "b"`,
		`file "b" log "text/plain" eof "\xb3\xb3\n\n"`, `fail "b"`, `success "bar" !bad-test-event`, `stdout "chatter\n"`,
	}
	for _, src := range v1Sources {
		if got := v1RenderAll(v1Merge(v1ViaReader(t, in, src.wrap)), false); !slices.Equal(got, want) {
			t.Errorf("%s:\n got: %s\nwant: %s", src.name, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
		}
	}
}

// benchV1 feeds data in 64 KiB pieces, as the Reader does, releasing the
// events after each piece.
func benchV1(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var q []Event
	for b.Loop() {
		p := newV1Parser("stdout")
		for off := 0; off < len(data); {
			n := min(64<<10, len(data)-off)
			if want := p.rawWanted(); want > 0 {
				n = min(n, want)
			}
			p.feed(data[off:off+n], int64(off), false, &q)
			off += n
			q = q[:0]
			p.release()
		}
		p.finish(int64(len(data)), &q)
		q = q[:0]
	}
}

// BenchmarkV1Chatter: text that is almost all non-directive output.
func BenchmarkV1Chatter(b *testing.B) {
	var s strings.Builder
	for i := 0; s.Len() < 8<<20; i++ {
		fmt.Fprintf(&s, "2024-01-01 12:00:%02d.123 INFO some.module: request %d handled in 12ms\n", i%60, i)
		if i%1000 == 0 {
			fmt.Fprintf(&s, "test: t.%d\nsuccess: t.%d\n", i, i)
		}
	}
	benchV1(b, []byte(s.String()))
}

// BenchmarkV1Tests: a stestr repository file, one test per 5 lines with
// multipart details.
func BenchmarkV1Tests(b *testing.B) {
	var s strings.Builder
	for i := 0; s.Len() < 8<<20; i++ {
		fmt.Fprintf(&s, "time: 2024-01-01 12:00:%02d.000%03dZ\ntags: worker-%d\ntest: tempest.api.compute.test_servers.ServersTest.test_%d[id-%08d,smoke]\n"+
			"time: 2024-01-01 12:00:%02d.500000Z\nsuccessful: tempest.api.compute.test_servers.ServersTest.test_%d[id-%08d,smoke] [ multipart\n"+
			"Content-Type: text/plain;charset=utf8\npythonlogging:''\n1E\r\n2024-01-01 INFO request done.\n0\r\n]\ntags: -worker-%d\n",
			i%60, i%1000, i%4, i, i, i%60, i, i, i%4)
	}
	benchV1(b, []byte(s.String()))
}
