package subunit

import (
	"errors"
	"io"
	"iter"
)

// Records returns an iterator over the records of the stream r reads,
// yielded as they complete and then, at the end of the stream, the records
// still open (Complete false) in order of first appearance.
//
// A *PacketError from a lenient Reader goes to Assembler.AddError: by
// default it becomes a "subunit.parser" record and reading goes on; with
// WithParserErrors(false) it is yielded as an error, and reading goes on if
// the loop does. Any other error (an invalid option, a source error, a
// strict Reader's bad packet, an attachment sink's error) is yielded last;
// the records still open are then not yielded.
func Records(r *Reader, opts ...RecordOption) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		var done []*Record
		a, err := NewAssembler(func(rec *Record) error { done = append(done, rec); return nil }, opts...)
		if err == nil && r == nil {
			err = errors.New("subunit: nil Reader")
		}
		if err != nil {
			yield(nil, err)
			return
		}
		// flush yields the records completed so far; false when the loop stopped.
		flush := func() bool {
			for i, rec := range done {
				done[i] = nil
				if !yield(rec, nil) {
					return false
				}
			}
			done = done[:0]
			return true
		}
		for {
			ev, err := r.Next()
			goOn := true // false once err ends the stream
			switch {
			case err == io.EOF:
				err, goOn = a.Close(), false
			case err == nil:
				err = a.Add(ev)
			default:
				var pe *PacketError
				if !errors.As(err, &pe) || r.opts.strict {
					goOn = false
					break
				}
				if a.opts.parserErrors {
					err = a.AddError(err) // nil, or the attachment sink's error
					break
				}
				// WithParserErrors(false): report the bad packet and read on.
				if !flush() || !yield(nil, err) {
					return
				}
				continue
			}
			if !flush() {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !goOn {
				return
			}
		}
	}
}
