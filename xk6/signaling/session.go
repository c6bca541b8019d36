package signaling

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Session phases, in order: compared with < to ask "joined yet?" (as lib/k6/signaling-sessions.ts).
const (
	connecting int32 = iota
	authenticating
	joining
	joined
	// closing: we are closing it (hold over, join timeout, server error): its close is not unexpected.
	closing
)

const (
	closeJoinTimeout = 4000 // private-use close code, as the script's CLOSE_JOIN_TIMEOUT
	writeWait        = 5 * time.Second
)

// session is one participant's signaling connection. Its goroutine dials, then reads until the
// socket ends; writes come from that goroutine, the heartbeat wheel and the hold's end.
type session struct {
	f         *fleet
	index     int
	phase     atomic.Int32
	counted   atomic.Bool // its connect outcome is in connectSuccess (one sample per session)
	wmu       sync.Mutex
	conn      *websocket.Conn // set once, under wmu
	createdAt time.Time
}

// run is the session's goroutine: dial, auth, join, then read until the socket ends.
func (s *session) run() {
	f := s.f
	defer f.done(s)
	joinDeadline := s.createdAt.Add(f.joinTimeout)
	var tcpDone time.Time
	dialCtx, cancel := context.WithDeadline(withTCPDone(f.openCtx, &tcpDone), joinDeadline)
	url := f.opts.URLs[s.index]
	dialStart := time.Now()
	conn, resp, err := f.dialer.DialContext(dialCtx, url, nil)
	cancel()
	f.slow.note(url, dialStart, tcpDone, time.Now(), err)
	status := 0
	if resp != nil {
		status = resp.StatusCode
		if resp.Body != nil {
			_ = resp.Body.Close()
		}
	}
	tags := f.emit.socketTags(url, status)
	f.emit.dialled(tags, dialStart, time.Since(dialStart))
	if err != nil {
		// Not open within the join timeout is a join timeout (as the script's timer counts it);
		// refused or reset is the server's doing.
		timedOut := errors.Is(err, context.DeadlineExceeded) || isTimeout(err)
		if s.phase.Swap(closing) != closing && !timedOut {
			f.emit.unexpectedClose(0, false)
		}
		s.countConnect(false)
		return
	}
	now := time.Now()
	s.wmu.Lock()
	s.conn = conn
	s.wmu.Unlock()
	defer func() {
		_ = conn.Close()
		f.emit.sessionEnded(tags, dialStart)
	}()
	if !s.phase.CompareAndSwap(connecting, authenticating) {
		// Given up while connecting (hold over): only now can it be closed.
		s.writeClose(closeJoinTimeout)
		return
	}
	f.emit.ms(f.emit.m.connectMs, now.Sub(s.createdAt))
	openedAt := now
	conn.SetReadLimit(1 << 20)
	_ = conn.SetReadDeadline(joinDeadline)
	if !s.write([]byte(f.opts.AuthFrame)) {
		s.lost(0)
		return
	}
	r := &f.opts.Replies
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			s.readEnded(err)
			return
		}
		switch string(frameType(data)) {
		case r.HeartbeatAck:
			if ts := echoedTs(data); ts > 0 {
				f.emit.ms(f.emit.m.heartbeatRttMs, time.Duration(time.Now().UnixMilli()-ts)*time.Millisecond)
			}
		case r.AuthOk:
			if s.phase.CompareAndSwap(authenticating, joining) {
				s.write([]byte(f.opts.JoinFrames[s.index]))
			}
		case r.Joined:
			if s.phase.CompareAndSwap(joining, joined) {
				f.emit.ms(f.emit.m.joinMs, time.Since(openedAt))
				s.countConnect(true)
				_ = conn.SetReadDeadline(time.Time{})
				f.wheel.add(s)
			}
		case r.Error:
			// An error before the join ends the attempt; after it, the session carries on.
			if s.phase.Load() < joined {
				s.giveUp()
			}
		}
	}
}

// readEnded sorts out why the read loop stopped: our own close, a join timeout, or the server/network.
func (s *session) readEnded(err error) {
	if s.phase.Load() == closing {
		return
	}
	if isTimeout(err) && s.phase.Load() < joined {
		s.giveUp() // no `joined` within the join timeout
		return
	}
	code := 0
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	s.lost(code)
}

// lost: the server or the network ended a session we did not close.
func (s *session) lost(code int) {
	wasJoined := s.phase.Swap(closing) == joined
	s.f.emit.unexpectedClose(code, wasJoined)
	s.countConnect(false)
}

// giveUp counts a session that will not join as failed and closes it (or, still connecting, lets
// run close it once the dial returns).
func (s *session) giveUp() {
	s.countConnect(false)
	if s.phase.Swap(closing) != connecting {
		s.writeClose(closeJoinTimeout)
	}
}

func (s *session) countConnect(ok bool) {
	if s.counted.CompareAndSwap(false, true) {
		s.f.emit.connect(ok)
	}
}

// write sends one text frame; false when the socket is gone or the write timed out.
func (s *session) write(frame []byte) bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.conn == nil {
		return false
	}
	_ = s.conn.SetWriteDeadline(time.Now().Add(writeWait))
	return s.conn.WriteMessage(websocket.TextMessage, frame) == nil
}

// writeClose starts the closing handshake; the server's answer ends the read loop.
func (s *session) writeClose(code int) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.conn == nil {
		return
	}
	_ = s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(writeWait))
}

// forceClose drops the TCP connection (the grace after the hold is over).
func (s *session) forceClose() {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.conn != nil {
		_ = s.conn.NetConn().Close()
	}
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}
