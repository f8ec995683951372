package cpid

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxConfLine caps one line of a tempest.conf.
const maxConfLine = 1 << 20

// iniValue is one key's value and the line it started on.
type iniValue struct {
	value string
	line  int
}

// iniFile is a parsed INI file, read as Python's configparser reads it (what
// refstack-client uses): [section] headers; "key = value" or "key: value"
// (the first '=' or ':' splits); keys lower-cased and trimmed; whole-line
// comments starting with '#' or ';' (after any indentation); an indented line
// continues the previous value (joined with "\n"); values in [DEFAULT] are
// seen from every section. A repeated section or key is an error, as in
// configparser's strict mode. Values are taken literally: no "%(x)s"
// interpolation (configparser's, which breaks on a lone '%') and no quote
// stripping.
type iniFile struct {
	name     string
	sections map[string]map[string]iniValue
	lines    map[string]int // the line of each section header
}

// get returns the value of key in section, falling back to [DEFAULT].
func (f *iniFile) get(section, key string) (iniValue, bool) {
	if v, ok := f.sections[section][key]; ok {
		return v, true
	}
	v, ok := f.sections["DEFAULT"][key]
	return v, ok
}

func parseINI(r io.Reader, name string) (*iniFile, error) {
	f := &iniFile{name: name, sections: map[string]map[string]iniValue{}, lines: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxConfLine)
	var (
		section    string
		keys       map[string]iniValue
		lastKey    string // the key an indented line continues, "" if none
		lastIndent int
		n          int
	)
	syntax := func(format string, args ...any) error {
		return &ConfigError{File: name, Line: n, Err: fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, args...)...)}
	}
	for sc.Scan() {
		n++
		raw := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		text := strings.TrimSpace(raw)
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if text == "" || text[0] == '#' || text[0] == ';' {
			continue // blank lines and comments do not end a multi-line value
		}
		if lastKey != "" && indent > lastIndent {
			v := keys[lastKey]
			v.value += "\n" + text
			keys[lastKey] = v
			continue
		}
		lastKey = ""
		if text[0] == '[' {
			if !strings.HasSuffix(text, "]") || len(text) < 3 {
				return nil, syntax("bad section header %q, want [name]", text)
			}
			section = text[1 : len(text)-1]
			if line, dup := f.lines[section]; dup {
				return nil, &ConfigError{File: name, Line: n, Section: section,
					Err: fmt.Errorf("%w: section already started on line %d", ErrDuplicate, line)}
			}
			f.lines[section] = n
			keys = map[string]iniValue{}
			f.sections[section] = keys
			continue
		}
		if keys == nil {
			return nil, syntax("%q comes before any [section] header", truncate(text, 60))
		}
		i := strings.IndexAny(text, "=:")
		if i < 0 {
			return nil, syntax("%q is not \"key = value\"", truncate(text, 60))
		}
		key := strings.ToLower(strings.TrimSpace(text[:i]))
		if key == "" {
			return nil, syntax("no key before %q", text[i:i+1])
		}
		if prev, dup := keys[key]; dup {
			return nil, &ConfigError{File: name, Line: n, Section: section, Key: key,
				Err: fmt.Errorf("%w: already set on line %d", ErrDuplicate, prev.line)}
		}
		keys[key] = iniValue{value: strings.TrimSpace(text[i+1:]), line: n}
		lastKey, lastIndent = key, indent
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ConfigError{File: name, Line: n + 1, Err: fmt.Errorf("%w: line longer than %d bytes", ErrSyntax, maxConfLine)}
		}
		return nil, &ConfigError{File: name, Err: err}
	}
	return f, nil
}
