package signaling

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"
)

// A connect slower than slowConnect is logged with where its time went — the TCP handshake or the
// HTTP upgrade — so a run that misses the connect-success bar says whether the kernel/network or
// the server's answer was late. At most slowConnectLogs lines per VU: the log stays readable at
// 50,000 sessions.
const (
	slowConnect     = 3 * time.Second
	slowConnectLogs = 10
)

type tcpDoneKey struct{}

// withTCPDone returns a context in which dialTCP records when the TCP connection was established.
func withTCPDone(ctx context.Context, at *time.Time) context.Context {
	return context.WithValue(ctx, tcpDoneKey{}, at)
}

// dialTCP wraps a dial function so the handshake's end is recorded in the context's slot.
func dialTCP(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if at, ok := ctx.Value(tcpDoneKey{}).(*time.Time); ok && err == nil {
			*at = time.Now()
		}
		return c, err
	}
}

type slowConnectLog struct {
	logger logrus.FieldLogger
	lines  atomic.Int32
}

// note logs one slow connect (bounded per VU); tcpDone is zero when the handshake never completed.
func (l *slowConnectLog) note(url string, start, tcpDone, end time.Time, err error) {
	if l.logger == nil || end.Sub(start) < slowConnect || l.lines.Add(1) > slowConnectLogs {
		return
	}
	fields := logrus.Fields{"url": url, "total_ms": end.Sub(start).Milliseconds()}
	if tcpDone.IsZero() {
		fields["tcp_ms"] = "not established"
	} else {
		fields["tcp_ms"] = tcpDone.Sub(start).Milliseconds()
		fields["upgrade_ms"] = end.Sub(tcpDone).Milliseconds()
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	l.logger.WithFields(fields).Warn("gomeet: slow signaling connect")
}
