package subunit

// Varint limits of the protocol: the number of bytes is given by the top two
// bits of the first byte, leaving 6, 14, 22 or 30 value bits.
const (
	maxVarint1 = 1<<6 - 1
	maxVarint2 = 1<<14 - 1
	maxVarint3 = 1<<22 - 1
	maxVarint4 = 1<<30 - 1

	// MaxPacketLength is the largest packet the protocol allows: the largest
	// value a 3-byte varint holds. Larger attachments are split across packets.
	MaxPacketLength = maxVarint3
)

// varintLen returns how many bytes the minimal encoding of v takes, or 0 when v
// does not fit in 30 bits.
func varintLen(v uint32) int {
	switch {
	case v <= maxVarint1:
		return 1
	case v <= maxVarint2:
		return 2
	case v <= maxVarint3:
		return 3
	case v <= maxVarint4:
		return 4
	}
	return 0
}

// appendVarint appends the minimal encoding of v, which must be at most 2^30-1.
func appendVarint(b []byte, v uint32) []byte {
	switch varintLen(v) {
	case 1:
		return append(b, byte(v))
	case 2:
		return append(b, byte(v>>8)|0x40, byte(v))
	case 3:
		return append(b, byte(v>>16)|0x80, byte(v>>8), byte(v))
	default:
		return append(b, byte(v>>24)|0xC0, byte(v>>16), byte(v>>8), byte(v))
	}
}

// readVarint decodes the varint at the start of b. It returns the value and the
// number of bytes it took, or n == 0 when b is too short for the width its first
// byte announces. Non-minimal encodings are accepted, as the reference reader does.
func readVarint(b []byte) (v uint32, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	n = int(b[0]>>6) + 1
	if len(b) < n {
		return 0, 0
	}
	v = uint32(b[0] & 0x3F)
	for i := 1; i < n; i++ {
		v = v<<8 | uint32(b[i])
	}
	return v, n
}
