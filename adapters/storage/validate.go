package storage

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of the columns this implementation adds to RefStack's.
const (
	// MaxMetaValue is the longest metadata value in bytes: a guideline
	// file name, a target or "true" fit many times over, and every
	// database can index it whole.
	MaxMetaValue = 2048
	// MaxEmail and MaxFullname bound a user's email and name.
	MaxEmail    = 128
	MaxFullname = 128
	// MaxKeyFormat, MaxKeyComment, MaxKeyMD5 and MaxPubKey bound a public
	// key's parts; MaxPubKey is the size of a MySQL TEXT column.
	MaxKeyFormat  = 24
	MaxKeyComment = 128
	MaxKeyMD5     = 32
	MaxPubKey     = 65535
)

// text checks that a value fits its column: valid UTF-8 (PostgreSQL and
// MySQL reject anything else, and SQLite would store it silently), no NUL
// byte (PostgreSQL rejects it), at most max bytes (counting bytes, not
// characters, makes the limit the same on every database), and present
// when required. what names the value in the error.
func text(what, v string, max int, required bool) error {
	switch {
	case required && v == "":
		return fmt.Errorf("storage: %s is empty: %w", what, ErrInvalid)
	case len(v) > max:
		return fmt.Errorf("storage: %s is %d bytes, over the %d-byte limit: %w", what, len(v), max, ErrInvalid)
	case !utf8.ValidString(v):
		return fmt.Errorf("storage: %s is not valid UTF-8: %w", what, ErrInvalid)
	case strings.IndexByte(v, 0) >= 0:
		return fmt.Errorf("storage: %s holds a NUL byte: %w", what, ErrInvalid)
	}
	return nil
}

// validateNewResult checks everything the database would refuse, before a
// transaction starts, so a bad upload fails whole with a message naming
// the value.
func validateNewResult(r *NewResult) error {
	if err := text("result id", r.ID, MaxUUID, false); err != nil {
		return err
	}
	if err := text("cpid", r.CPID, MaxCPID, false); err != nil {
		return err
	}
	if r.DurationSeconds < 0 {
		return fmt.Errorf("storage: duration_seconds %d is negative: %w", r.DurationSeconds, ErrInvalid)
	}
	seen := make(map[string]int, len(r.Tests))
	for i, t := range r.Tests {
		if err := text(fmt.Sprintf("results[%d].name", i), t.Name, MaxTestName, true); err != nil {
			return err
		}
		if err := text(fmt.Sprintf("results[%d].uuid", i), t.UUID, MaxUUID, false); err != nil {
			return err
		}
		if j, dup := seen[t.Name]; dup {
			return fmt.Errorf("storage: results[%d].name %q repeats results[%d]: %w", i, t.Name, j, ErrInvalid)
		}
		seen[t.Name] = i
	}
	for k, v := range r.Meta {
		if err := validateMeta(k, v); err != nil {
			return err
		}
	}
	return nil
}

// validateMeta checks one metadata key and value.
func validateMeta(key, value string) error {
	if err := text("metadata key", key, MaxMetaKey, true); err != nil {
		return err
	}
	return text(fmt.Sprintf("metadata %q value", key), value, MaxMetaValue, false)
}
