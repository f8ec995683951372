package score

import (
	"hash/maphash"
	"math/bits"
)

// The indexes below replace maps on the hot path of Card.Score: a server
// scores thousands of passed names per result, and most of them are not in
// the guideline. Open addressing over a flat array of hashes makes a miss
// one hash and, mostly, one cache line; a map probe costs about twice that.

// strIndex maps strings to runs of refs. Build with add, then freeze.
type strIndex[R any] struct {
	seed   maphash.Seed
	hashes []uint64 // 0 marks an empty slot; real hashes have their top bit set
	keys   []string
	spans  [][]R
}

func newStrIndex[R any](n int) *strIndex[R] {
	size := 1 << bits.Len(uint(2*n+1)) // load factor below one half
	return &strIndex[R]{seed: maphash.MakeSeed(), hashes: make([]uint64, size), keys: make([]string, size), spans: make([][]R, size)}
}

// hash hashes the length and the last 24 bytes: test names share long
// prefixes ("tempest.api.compute.servers.") and differ at the end, so this
// spreads them as well as hashing all of it, for a third of the work. Names
// that share the tail and length only share a probe sequence; they are still
// told apart by comparing the whole string.
func (x *strIndex[R]) hash(s string) uint64 {
	t := s
	if len(t) > hashTail {
		t = t[len(t)-hashTail:]
	}
	return (maphash.String(x.seed, t) ^ uint64(len(s))*0x9e3779b97f4a7c15) | 1<<63
}

const hashTail = 24

// slot returns the slot of s: where it is, or the empty slot where it goes.
func (x *strIndex[R]) slot(s string) int {
	h := x.hash(s)
	mask := uint64(len(x.hashes) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.hashes[i] {
		case 0:
			return int(i)
		case h:
			if x.keys[i] == s {
				return int(i)
			}
		}
	}
}

// add appends r to the refs of s. The index must have room: it is sized for
// the number of keys given to newStrIndex.
func (x *strIndex[R]) add(s string, r R) {
	i := x.slot(s)
	if x.hashes[i] == 0 {
		x.hashes[i], x.keys[i] = x.hash(s), s
	}
	x.spans[i] = append(x.spans[i], r)
}

// get returns the refs of s, nil when none.
func (x *strIndex[R]) get(s string) []R {
	h := x.hash(s)
	mask := uint64(len(x.hashes) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.hashes[i] {
		case 0:
			return nil
		case h:
			if x.keys[i] == s {
				return x.spans[i]
			}
		}
	}
}

// uuidKey is a canonical UUID as 128 bits.
type uuidKey struct{ hi, lo uint64 }

// hexVal holds the value of each hex digit, 0xff for other bytes.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()

// parseUUID reads "id-"/"ID-" followed by a UUID in its 36-character form or
// as 32 hex digits, in any case. ok is false for anything else, which is
// then compared as a string.
func parseUUID(s string) (k uuidKey, ok bool) {
	if len(s) > 3 && s[2] == '-' && (s[0]|0x20) == 'i' && (s[1]|0x20) == 'd' {
		s = s[3:]
	}
	var buf [32]byte
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return k, false
		}
		copy(buf[0:8], s[0:8])
		copy(buf[8:12], s[9:13])
		copy(buf[12:16], s[14:18])
		copy(buf[16:20], s[19:23])
		copy(buf[20:32], s[24:36])
	case 32:
		copy(buf[:], s)
	default:
		return k, false
	}
	var bad byte
	for i := 0; i < 16; i++ {
		v := hexVal[buf[i]]
		bad |= v
		k.hi = k.hi<<4 | uint64(v&0xf)
	}
	for i := 16; i < 32; i++ {
		v := hexVal[buf[i]]
		bad |= v
		k.lo = k.lo<<4 | uint64(v&0xf)
	}
	return k, bad&0xf0 == 0
}

// uuidIndex maps UUIDs to test indexes.
type uuidIndex struct {
	keys  []uuidKey
	used  []bool
	spans [][]int32
}

func newUUIDIndex(n int) *uuidIndex {
	size := 1 << bits.Len(uint(2*n+1))
	return &uuidIndex{keys: make([]uuidKey, size), used: make([]bool, size), spans: make([][]int32, size)}
}

func (x *uuidIndex) start(k uuidKey) uint64 {
	// UUIDs are mostly random, but not all: mix both halves.
	return (k.hi ^ bits.RotateLeft64(k.lo, 29)) * 0x9e3779b97f4a7c15 >> 7
}

func (x *uuidIndex) add(k uuidKey, test int32) {
	mask := uint64(len(x.keys) - 1)
	i := x.start(k) & mask
	for x.used[i] && x.keys[i] != k {
		i = (i + 1) & mask
	}
	x.used[i], x.keys[i] = true, k
	x.spans[i] = append(x.spans[i], test)
}

func (x *uuidIndex) get(k uuidKey) []int32 {
	mask := uint64(len(x.keys) - 1)
	for i := x.start(k) & mask; x.used[i]; i = (i + 1) & mask {
		if x.keys[i] == k {
			return x.spans[i]
		}
	}
	return nil
}
