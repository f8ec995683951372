package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/refstack-go/refstack/score"
	"github.com/refstack-go/refstack/submit"
	"github.com/refstack-go/refstack/subunit"
)

// maxResultsJSON caps a results document read whole (a full Tempest run is
// about 200 KB).
const maxResultsJSON = 64 << 20

// scoreInputKind is what a score input holds.
type scoreInputKind int

const (
	inputSubunit scoreInputKind = iota
	inputResultsJSON
)

// sniffScoreInput tells a RefStack results JSON document (its first
// non-blank byte is '{') from a subunit stream: a v2 stream starts with the
// signature byte 0xb3 and a v1 stream with a directive or passthrough text,
// neither of which is '{'.
func sniffScoreInput(br *bufio.Reader) (scoreInputKind, error) {
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return inputSubunit, nil
		}
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			// Blank lines are passthrough in subunit v1 too: skipping them is
			// safe for both.
			br.ReadByte()
			continue
		case '{':
			return inputResultsJSON, nil
		}
		return inputSubunit, nil
	}
}

// scoreSubunit feeds the passed tests of a subunit stream (v1, v2 or mixed)
// to s as their records complete: passed means final status success, as
// refstack-client counts it, named and tagged as submit.ResultFor does. It
// reads in bounded memory. onRecord, when not nil, is called after each
// record. It returns the number of test records seen.
func scoreSubunit(ctx context.Context, name string, r io.Reader, s *score.Scorer, onRecord func()) (int, error) {
	rd, err := subunit.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	n := 0
	for rec, err := range subunit.Records(rd, subunit.WithAttachmentLimit(0), subunit.WithRecordReuse()) {
		if err != nil {
			return n, fmt.Errorf("%s: %w", name, err)
		}
		if n%256 == 0 && ctx.Err() != nil {
			return n, fmt.Errorf("%s: interrupted: %w", name, context.Cause(ctx))
		}
		n++
		if rec.Complete && rec.Status == subunit.StatusSuccess {
			res := submit.ResultFor(rec.TestID)
			s.Add(score.Passed{Name: res.Name, UUID: res.UUID})
		}
		if onRecord != nil {
			onRecord()
		}
	}
	return n, nil
}

// scoreResultsJSON feeds the tests of a RefStack results document to s.
func scoreResultsJSON(name string, r io.Reader, s *score.Scorer) error {
	data, err := io.ReadAll(io.LimitReader(r, maxResultsJSON+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxResultsJSON {
		return fmt.Errorf("%s: results document larger than %d MiB", name, maxResultsJSON>>20)
	}
	doc, err := submit.ParseResults(bytes.TrimSpace(data))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, res := range doc.Results {
		s.Add(score.Passed{Name: res.Name, UUID: res.UUID})
	}
	return nil
}

// isResultURL reports whether a score input is a result on a RefStack
// server rather than a file.
func isResultURL(arg string) bool {
	return strings.HasPrefix(arg, "https://") || strings.HasPrefix(arg, "http://")
}

// fetchResult gets a result from a RefStack server.
func fetchResult(ctx context.Context, rawURL string) (*submit.StoredResult, error) {
	base, id, err := submit.ParseResultURL(rawURL)
	if err != nil {
		return nil, err
	}
	client, err := submit.NewClient(base, submit.WithHTTPClient(&http.Client{Timeout: time.Minute}), submit.WithRetry(3, time.Second))
	if err != nil {
		return nil, err
	}
	r, err := client.Result(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// errNoTests is the error for a stream in which no test was found.
var errNoTests = errors.New("no test found: not a subunit stream or a RefStack results document?")
