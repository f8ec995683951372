package cli

import "github.com/refstack-go/refstack/subunit"

// parserErrorEvents returns the events python-subunit emits for a bad packet:
// a "Packet data" file holding the bytes the reader consumed, then a failing
// status with the error message as "Parser Error", the events
// subunit.Assembler.AddError assembles. Downstream the bad packet is
// a failed test named "subunit.parser". The events alias pe.Data.
func parserErrorEvents(pe *subunit.PacketError) [2]*subunit.Event {
	flags := subunit.FlagTestID | subunit.FlagFile | subunit.FlagMIME | subunit.FlagEOF | subunit.FlagRunnable
	id := []byte(subunit.ParserErrorTestID)
	return [2]*subunit.Event{
		{
			Flags:       flags,
			Status:      subunit.StatusUndefined,
			TestID:      id,
			FileName:    []byte(subunit.ParserErrorPacketData),
			FileContent: pe.Data,
			MIME:        []byte("application/octet-stream"),
			Offset:      pe.Offset,
		},
		{
			Flags:       flags,
			Status:      subunit.StatusFail,
			TestID:      id,
			FileName:    []byte(subunit.ParserErrorMessage),
			FileContent: []byte(pe.Error()),
			MIME:        []byte("text/plain;charset=utf8"),
			Offset:      pe.Offset,
		},
	}
}
