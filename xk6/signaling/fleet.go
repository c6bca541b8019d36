package signaling

import (
	"context"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"go.k6.io/k6/v2/lib"
)

// Buffer sizes: signaling frames are a few hundred bytes, and gorilla reads a larger frame through
// a small buffer fine. Write buffers come from a pool shared by every session of the process, so a
// session holds one only while it writes (k6/websockets keeps 4 KiB + 4 KiB per socket).
const readBufferSize = 512

var writeBuffers sync.Pool

// closeGrace bounds the leave/close handshakes after the hold; what is still open then is dropped.
const closeGrace = 10 * time.Second

// Result is what holdSessions returns to the script.
type Result struct {
	Opened int `js:"opened"` // sessions whose slot came (dialled)
	Held   int `js:"held"`   // joined and open at the end of the hold
}

// fleet is one VU's sessions.
type fleet struct {
	opts        *Options
	vuCtx       context.Context
	openCtx     context.Context // ends at the hold's end or when the test stops
	dialer      websocket.Dialer
	emit        *emitter
	wheel       *heartbeatWheel
	joinTimeout time.Duration
	slow        *slowConnectLog

	mu       sync.Mutex
	live     map[*session]struct{}
	sessions sync.WaitGroup
}

func newFleet(vuCtx context.Context, opts *Options, state *lib.State, m *metricSet) *fleet {
	f := &fleet{
		opts:  opts,
		vuCtx: vuCtx,
		dialer: websocket.Dialer{
			// k6's dialer: --local-ips, --blacklist-ip, --hosts and the data_sent/received counters.
			NetDialContext:  dialTCP(state.Dialer.DialContext),
			ReadBufferSize:  readBufferSize,
			WriteBufferPool: &writeBuffers,
		},
		emit: &emitter{
			ctx: vuCtx, samples: state.Samples, tags: state.Tags.GetCurrentValues(), m: m,
			builtin: state.BuiltinMetrics, systemTags: state.Options.SystemTags,
		},
		wheel:       newHeartbeatWheel(time.Duration(opts.HeartbeatMs)*time.Millisecond, opts.HeartbeatPrefix, opts.HeartbeatSuffix),
		joinTimeout: time.Duration(opts.JoinTimeoutMs) * time.Millisecond,
		live:        make(map[*session]struct{}, len(opts.URLs)),
		slow:        &slowConnectLog{logger: state.Logger},
	}
	f.dialer.HandshakeTimeout = f.joinTimeout
	return f
}

// run opens each session at its slot, holds them to the hold's end, counts and closes them.
func (f *fleet) run() *Result {
	holdEnd := time.UnixMilli(f.opts.HoldEndMs)
	openCtx, cancel := context.WithDeadline(f.vuCtx, holdEnd)
	defer cancel()
	f.openCtx = openCtx
	stopWheel := make(chan struct{})
	go f.wheel.run(stopWheel)

	res := &Result{}
	slot := time.NewTimer(0)
	defer slot.Stop()
	for res.Opened < len(f.opts.URLs) {
		wait := time.Until(time.UnixMilli(f.opts.SlotsMs[res.Opened]))
		if wait > 0 {
			slot.Reset(wait)
			select {
			case <-openCtx.Done():
			case <-slot.C:
			}
		}
		if openCtx.Err() != nil {
			break
		}
		s := &session{f: f, index: res.Opened, createdAt: time.Now()}
		f.mu.Lock()
		f.live[s] = struct{}{}
		f.mu.Unlock()
		f.sessions.Add(1)
		res.Opened++
		go s.run()
	}
	// Sessions whose slot never came (the test stopped, or the hold ended first) never connected.
	for i := res.Opened; i < len(f.opts.URLs); i++ {
		f.emit.connect(false)
	}
	<-openCtx.Done()
	close(stopWheel)
	if f.vuCtx.Err() == nil {
		res.Held = f.endHold()
	} else {
		f.closeAll() // the test was stopped: nothing is counted as held
	}
	f.awaitSessions()
	return res
}

// endHold counts every session still joined, then sends leave and close to each. Counting first:
// on a saturated machine the closing hand-offs are slow, and a count interleaved with them could be
// cut short (the same lesson as lib/k6/signaling-sessions.ts endHold).
func (f *fleet) endHold() int {
	var held []*session
	for _, s := range f.snapshot() {
		if s.phase.Load() == joined {
			held = append(held, s)
		} else {
			s.giveUp()
		}
	}
	f.emit.held(len(held))
	leave := []byte(f.opts.LeaveFrame)
	for _, s := range held {
		s.phase.Store(closing)
		s.write(leave)
		s.writeClose(websocket.CloseNormalClosure)
	}
	return len(held)
}

func (f *fleet) closeAll() {
	for _, s := range f.snapshot() {
		s.phase.Store(closing)
		s.forceClose()
	}
}

// awaitSessions waits for every session goroutine; after closeGrace it drops what is left.
func (f *fleet) awaitSessions() {
	all := make(chan struct{})
	go func() { f.sessions.Wait(); close(all) }()
	select {
	case <-all:
		return
	case <-time.After(closeGrace):
	}
	for _, s := range f.snapshot() {
		s.forceClose()
	}
	<-all
}

func (f *fleet) snapshot() []*session {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*session, 0, len(f.live))
	for s := range f.live {
		out = append(out, s)
	}
	return out
}

// done is the end of a session's goroutine.
func (f *fleet) done(s *session) {
	f.mu.Lock()
	delete(f.live, s)
	f.mu.Unlock()
	f.sessions.Done()
}
