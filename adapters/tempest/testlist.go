package tempest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a test list may hold.
const (
	MaxLineLength = 64 << 10 // bytes in one test id line
	MaxTests      = 1 << 20  // lines in one list
	MaxListSize   = 64 << 20 // bytes of a list fetched over HTTP
)

// Errors wrapped by a *LineError.
var (
	ErrTooLong = errors.New("over the limit")       // a line or a list over one of the limits
	ErrNotUTF8 = errors.New("not valid UTF-8 text") // test ids are Python strings
	ErrControl = errors.New("holds a control character")
)

// LineError reports a bad line of a test list.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ReadTestList reads a test list: one test id per line, as RefStack's
// /v1/guidelines/{version}/tests endpoint and "tempest run --list-tests"
// write them. Lines are trimmed of surrounding white space; empty lines and
// lines starting with "#" are skipped. Duplicates are kept (Match removes
// them). A line longer than MaxLineLength, or more than MaxTests lines, is a
// *LineError wrapping ErrTooLong; a line that is not UTF-8, or holds a
// control character other than a tab, one wrapping ErrNotUTF8 or ErrControl.
func ReadTestList(r io.Reader) ([]string, error) {
	var ids []string
	err := eachLine(r, func(n int, line string) error {
		if line == "" || strings.HasPrefix(line, "#") {
			return nil
		}
		if len(ids) == MaxTests {
			return &LineError{Line: n, Err: fmt.Errorf("more than %d tests: %w", MaxTests, ErrTooLong)}
		}
		ids = append(ids, line)
		return nil
	})
	return ids, err
}

// eachLine calls fn with every line of r, trimmed, and its 1-based number.
func eachLine(r io.Reader, fn func(n int, line string) error) error {
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, ErrTooLong) {
			return &LineError{Line: n, Err: err}
		}
		if err != nil {
			return err
		}
		if !utf8.ValidString(line) {
			return &LineError{Line: n, Err: ErrNotUTF8}
		}
		line = strings.TrimSpace(line)
		// stestr splits include lists at \r, \v, \f and the like too.
		if strings.IndexFunc(line, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) >= 0 {
			return &LineError{Line: n, Err: ErrControl}
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
}

// readLine reads one line of at most MaxLineLength bytes, without its end.
// The last line need not end with a newline.
func readLine(br *bufio.Reader) (string, error) {
	var buf []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) > MaxLineLength+1 { // +1: the newline
			return "", fmt.Errorf("longer than %d bytes: %w", MaxLineLength, ErrTooLong)
		}
		buf = append(buf, frag...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(buf) > 0:
			return string(buf), nil
		case err != nil:
			return "", err
		}
		return string(bytes.TrimRight(buf, "\r\n")), nil
	}
}

// FetchTestList gets a test list from an http(s) URL, such as RefStack's
// https://refstack.openstack.org/api/v1/guidelines/2020.06/tests?target=platform&type=required&alias=true&flag=false.
// Unlike refstack-client it checks the answer: anything but 200 is an error
// naming the status, and a body over MaxListSize is an error. The raw body is
// returned too, also when it is not a test list, for a caller that
// recognises other documents (a guideline's JSON) by their content.
func FetchTestList(ctx context.Context, hc *http.Client, url string) (ids []string, body []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("test list %s: %w", url, err)
	}
	req.Header.Set("Accept", "text/plain, application/json;q=0.5")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("test list: %w", err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, MaxListSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("test list %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("test list %s: HTTP %s: %s", url, resp.Status, snippet(body))
	}
	if len(body) > MaxListSize {
		return nil, nil, fmt.Errorf("test list %s: larger than %d bytes: %w", url, MaxListSize, ErrTooLong)
	}
	ids, err = ReadTestList(bytes.NewReader(body))
	if err != nil {
		return nil, body, fmt.Errorf("test list %s: %w", url, err)
	}
	return ids, body, nil
}

// snippet returns the start of an error body, on one line.
func snippet(b []byte) string {
	const max = 200
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}
