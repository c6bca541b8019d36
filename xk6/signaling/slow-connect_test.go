package signaling

import (
	"errors"
	"testing"
	"time"

	"github.com/sirupsen/logrus/hooks/test"
)

func TestSlowConnectLogSaysWhereTheTimeWentAndStaysBounded(t *testing.T) {
	logger, hook := test.NewNullLogger()
	l := &slowConnectLog{logger: logger}
	start := time.Unix(1000, 0)
	l.note("ws://127.0.0.1:1/ws", start, start.Add(2*time.Millisecond), start.Add(500*time.Millisecond), nil) // fast: not logged
	l.note("ws://127.0.0.1:1/ws", start, start.Add(3*time.Millisecond), start.Add(9*time.Second), nil)
	l.note("ws://127.0.0.1:1/ws", start, time.Time{}, start.Add(10*time.Second), errors.New("i/o timeout"))
	if len(hook.Entries) != 2 {
		t.Fatalf("%d lines, want 2", len(hook.Entries))
	}
	if e := hook.Entries[0].Data; e["tcp_ms"] != int64(3) || e["upgrade_ms"] != int64(8997) {
		t.Errorf("first line %v: want tcp 3 ms, upgrade 8997 ms", e)
	}
	if e := hook.Entries[1].Data; e["tcp_ms"] != "not established" || e["error"] != "i/o timeout" {
		t.Errorf("second line %v", e)
	}
	for i := 0; i < 3*slowConnectLogs; i++ {
		l.note("u", start, time.Time{}, start.Add(time.Minute), nil)
	}
	if len(hook.Entries) != slowConnectLogs {
		t.Errorf("%d lines after many slow connects, want at most %d", len(hook.Entries), slowConnectLogs)
	}
}
