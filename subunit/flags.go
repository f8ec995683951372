package subunit

// Flags is the 16-bit flags word of a v2 packet. Each presence bit says that the
// matching optional field is on the wire; Runnable and EOF are pure flags.
type Flags uint16

// Flag bits of a v2 packet, in the layout of the protocol (high byte first).
const (
	FlagTestID    Flags = 0x0800 // a test id follows
	FlagRouteCode Flags = 0x0400 // a route code follows
	FlagTimestamp Flags = 0x0200 // a timestamp follows
	FlagRunnable  Flags = 0x0100 // the test can be run on its own
	FlagTags      Flags = 0x0080 // a tag list follows
	FlagFile      Flags = 0x0040 // a file name and a chunk of its content follow
	FlagMIME      Flags = 0x0020 // a MIME type follows
	FlagEOF       Flags = 0x0010 // this chunk is the last of its file

	flagReserved Flags = 0x0008 // must be zero in version 2
	flagVersion  Flags = 0xF000 // the version nibble
	version2     Flags = 0x2000 // the only version this package reads and writes
	statusMask   Flags = 0x0007
)

// Has reports whether every bit of bits is set in f.
func (f Flags) Has(bits Flags) bool { return f&bits == bits }
