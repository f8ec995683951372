package cli

import (
	"bytes"
	"io"
	"os"
)

// spoolMemory is how many bytes a spool keeps in memory before it moves to a
// temporary file.
const spoolMemory = 4 << 20

// spool collects bytes that must be written after something computed from
// them (the counts in a JUnit header): in memory up to spoolMemory, then in a
// temporary file, so that memory does not grow with the input.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	dir  string // for the temporary file; "" is os.TempDir
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) > spoolMemory {
		f, err := os.CreateTemp(s.dir, "refstack-spool-*")
		if err != nil {
			return 0, err
		}
		s.file = f
		if _, err := s.mem.WriteTo(f); err != nil {
			return 0, err
		}
		s.mem = bytes.Buffer{}
	}
	if s.file != nil {
		return s.file.Write(p)
	}
	return s.mem.Write(p)
}

// WriteTo copies everything written so far to w.
func (s *spool) WriteTo(w io.Writer) (int64, error) {
	if s.file == nil {
		return s.mem.WriteTo(w)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return io.Copy(w, s.file)
}

// Close removes the temporary file, if any.
func (s *spool) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.file = nil
	return err
}
