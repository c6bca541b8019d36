package signaling

import (
	"bytes"
	"strconv"
)

var typeKey = []byte(`"type":"`)

// frameType is the `type` of a server frame without parsing it — the same cheap scan as
// lib/k6/signaling.ts frameType: JSON escapes quotes inside strings, so the raw text `"type":"`
// can only be a real key, and most frames at 50,000 sessions are presence updates nobody reads.
func frameType(data []byte) []byte {
	at := bytes.Index(data, typeKey)
	if at < 0 {
		return nil
	}
	rest := data[at+len(typeKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil
	}
	return rest[:end]
}

var tsKey = []byte(`"ts":`)

// echoedTs is the client timestamp (ms) a heartbeat ack echoes, or -1.
func echoedTs(data []byte) int64 {
	at := bytes.Index(data, tsKey)
	if at < 0 {
		return -1
	}
	rest := bytes.TrimLeft(data[at+len(tsKey):], " ")
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	ts, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	if err != nil {
		return -1
	}
	return ts
}
