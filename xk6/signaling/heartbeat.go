package signaling

import (
	"strconv"
	"sync"
	"time"
)

// wheelTick is the heartbeat wheel's resolution: a heartbeat is sent within one tick of its due time.
const wheelTick = 100 * time.Millisecond

// heartbeatWheel sends every joined session's heartbeat from one goroutine per VU, instead of a
// timer per session: the sessions sit in the slot of their phase within the heartbeat period, and
// each tick sends the heartbeats of one slot.
type heartbeatWheel struct {
	mu     sync.Mutex
	slots  [][]*session
	cursor int
	prefix []byte
	suffix []byte
}

func newHeartbeatWheel(period time.Duration, prefix, suffix string) *heartbeatWheel {
	n := int(period / wheelTick)
	if n < 1 {
		n = 1
	}
	return &heartbeatWheel{slots: make([][]*session, n), prefix: []byte(prefix), suffix: []byte(suffix)}
}

// add schedules s's first heartbeat one period from now (as setInterval at join would).
func (w *heartbeatWheel) add(s *session) {
	w.mu.Lock()
	i := w.cursor
	w.slots[i] = append(w.slots[i], s)
	w.mu.Unlock()
}

// due advances one tick and returns the sessions of the slot now due, keeping only joined ones.
func (w *heartbeatWheel) due() []*session {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cursor = (w.cursor + 1) % len(w.slots)
	slot := w.slots[w.cursor]
	kept := slot[:0]
	for _, s := range slot {
		if s.phase.Load() == joined {
			kept = append(kept, s)
		}
	}
	for i := len(kept); i < len(slot); i++ {
		slot[i] = nil // let closed sessions go
	}
	w.slots[w.cursor] = kept
	return append([]*session(nil), kept...)
}

func (w *heartbeatWheel) frame(nowMs int64) []byte {
	b := make([]byte, 0, len(w.prefix)+len(w.suffix)+16)
	b = append(b, w.prefix...)
	b = strconv.AppendInt(b, nowMs, 10)
	return append(b, w.suffix...)
}

// run ticks until stop is closed.
func (w *heartbeatWheel) run(stop <-chan struct{}) {
	t := time.NewTicker(wheelTick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			for _, s := range w.due() {
				s.write(w.frame(time.Now().UnixMilli()))
			}
		}
	}
}
