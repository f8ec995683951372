package submit

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// appendPyString appends s as a JSON string the way Python's json.dumps
// writes it with ensure_ascii (the default): the printable ASCII characters
// space to '~' as they are, except '"' and '\'; \n, \r, \t, \b and \f as
// two-character escapes; every other character as \uXXXX in lowercase hex, a
// character beyond U+FFFF as a surrogate pair. A byte that is not valid UTF-8
// is written as \ufffd (Python strings cannot hold one).
func appendPyString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= ' ' && c <= '~' {
			if c == '"' || c == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
			i++
			continue
		}
		switch c {
		case '\n':
			dst = append(dst, `\n`...)
			i++
			continue
		case '\r':
			dst = append(dst, `\r`...)
			i++
			continue
		case '\t':
			dst = append(dst, `\t`...)
			i++
			continue
		case '\b':
			dst = append(dst, `\b`...)
			i++
			continue
		case '\f':
			dst = append(dst, `\f`...)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		units := []rune{r}
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			units = []rune{r1, r2}
		}
		for _, u := range units {
			dst = append(dst, '\\', 'u', hex[u>>12&0xF], hex[u>>8&0xF], hex[u>>4&0xF], hex[u&0xF])
		}
	}
	return append(dst, '"')
}

// appendPyInt appends n as json.dumps writes an int.
func appendPyInt(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }
