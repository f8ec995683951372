package subunit

import "bytes"

// signature is the first byte of every v2 packet. It is a UTF-8 continuation
// byte, so it can never start a character: in text, a 0xB3 that does not
// continue a valid multibyte character is where a packet begins.
const signature = 0xB3

// Boundary decisions for a 0xB3 found in text.
const (
	sigYes  = iota // the byte starts a packet
	sigNo          // the byte continues a valid multibyte character
	sigMore        // the bytes after it are needed to decide
)

// seqLen returns the length of the UTF-8 sequence that lead byte c starts, or
// 0 when c cannot start a multibyte sequence (ASCII, continuation, c0, c1, f5–ff).
func seqLen(c byte) int {
	switch {
	case c >= 0xC2 && c <= 0xDF:
		return 2
	case c >= 0xE0 && c <= 0xEF:
		return 3
	case c >= 0xF0 && c <= 0xF4:
		return 4
	}
	return 0
}

// secondOK reports whether c may follow lead byte lead in valid UTF-8 (the
// ranges that exclude overlong forms, surrogates and code points over U+10FFFF).
func secondOK(lead, c byte) bool {
	switch lead {
	case 0xE0:
		return c >= 0xA0 && c <= 0xBF
	case 0xED:
		return c >= 0x80 && c <= 0x9F
	case 0xF0:
		return c >= 0x90 && c <= 0xBF
	case 0xF4:
		return c >= 0x80 && c <= 0x8F
	}
	return c >= 0x80 && c <= 0xBF
}

func isCont(c byte) bool { return c&0xC0 == 0x80 }

// classify decides whether the 0xB3 at b[p] starts a packet. b[start:p] is text
// already known to hold no signature; eof says no bytes follow b. With sigMore
// it also returns the index of the lead byte of the undecided character.
//
// A 0xB3 is a continuation byte only when it sits inside a multibyte character
// that is valid as a whole. python-subunit treats any 0xB3 after an incomplete
// lead byte as text, so a stray lead byte before a packet loses the packet (its
// quirk Q1); deciding on the whole character recovers it, and loses no valid
// text since the bytes could not have been a character anyway.
func classify(b []byte, start, p int, eof bool) (int, int) {
	k := 1
	for ; k <= 3 && p-k >= start; k++ {
		c := b[p-k]
		if isCont(c) {
			continue
		}
		n := seqLen(c)
		if n <= k {
			return sigYes, 0 // ASCII, a bad lead, or a character that ended before p
		}
		// b[p] is byte k of an n-byte character led by c: valid as a whole?
		lead := p - k
		for i := 1; i < n; i++ {
			if lead+i >= len(b) {
				if eof {
					return sigYes, 0
				}
				return sigMore, lead
			}
			c2 := b[lead+i]
			if (i == 1 && !secondOK(c, c2)) || !isCont(c2) {
				return sigYes, 0
			}
		}
		return sigNo, 0
	}
	return sigYes, 0 // no lead byte within reach: b[p] follows a boundary or garbage
}

// incompleteTail returns how many bytes at the end of b (at most 3) form the
// start of a multibyte character that more input could complete. The reader
// holds them back so that a 0xB3 arriving next is judged with its lead byte.
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if isCont(c) {
			continue
		}
		n := seqLen(c)
		if n <= k {
			return 0
		}
		if k >= 2 && !secondOK(c, b[len(b)-k+1]) {
			return 0
		}
		return k
	}
	return 0
}

// nextSignature looks in b[i:end] for the first 0xB3 that starts a packet and
// returns its index with sigYes; or, with sigMore, the index of the lead byte
// of a character whose next bytes are needed to decide; or sigNo.
func nextSignature(b []byte, start, i, end int, eof bool) (int, int) {
	for i < end {
		j := bytes.IndexByte(b[i:end], signature)
		if j < 0 {
			return -1, sigNo
		}
		p := i + j
		switch how, lead := classify(b[:end], start, p, eof); how {
		case sigYes:
			return p, sigYes
		case sigMore:
			return lead, sigMore
		}
		i = p + 1
	}
	return -1, sigNo
}
