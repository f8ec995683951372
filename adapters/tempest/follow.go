package tempest

import (
	"errors"
	"fmt"
	"io"

	"github.com/refstack-go/refstack/subunit"
)

// Follow reads Tempest's subunit stream from src (the Stdout of a "tempest run
// --subunit" Process) to its end. Every byte is written to save as soon as it
// is read, before it is parsed, so save holds the stream as Tempest wrote it,
// up to the last byte received, whatever happens later; pass an unbuffered
// file. Each test is handed to onRecord as soon as its final status has been
// read, in the order they finish; tests left open when the stream ends
// (Tempest was stopped) come last, with Complete false. A bad packet becomes a
// failed "subunit.parser" record, as python-subunit reports it, and the
// stream goes on. Attachments (tracebacks) are not kept.
//
// Follow stops with an error when reading src or writing save fails, or when
// onRecord returns one; the caller then has to stop Tempest.
func Follow(src io.Reader, save io.Writer, onRecord func(*subunit.Record) error) error {
	tee := &teeReader{r: src, w: save}
	rd, err := subunit.NewReader(tee)
	if err != nil {
		return err
	}
	asm, err := subunit.NewAssembler(func(rec *subunit.Record) error { return onRecord(rec) },
		subunit.WithAttachmentLimit(0))
	if err != nil {
		return err
	}
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if tee.werr != nil {
				return fmt.Errorf("saving the stream: %w", tee.werr)
			}
			var pe *subunit.PacketError
			if !errors.As(err, &pe) {
				return fmt.Errorf("reading the stream: %w", err)
			}
			if err := asm.AddError(err); err != nil {
				return err
			}
			continue
		}
		if err := asm.Add(ev); err != nil {
			return err
		}
	}
	return asm.Close()
}

// teeReader is io.TeeReader that remembers a failed write, so that Follow can
// tell a full disk from a broken pipe.
type teeReader struct {
	r    io.Reader
	w    io.Writer
	werr error
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		if _, werr := t.w.Write(p[:n]); werr != nil {
			t.werr = werr
			return n, werr
		}
	}
	return n, err
}
