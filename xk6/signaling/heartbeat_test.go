package signaling

import (
	"testing"
	"time"
)

func TestWheelSendsEachJoinedSessionOncePerPeriod(t *testing.T) {
	w := newHeartbeatWheel(500*time.Millisecond, `{"type":"heartbeat","ts":`, `}`) // 5 slots
	a, b := &session{}, &session{}
	a.phase.Store(joined)
	b.phase.Store(joined)
	w.add(a)
	w.due() // one tick later
	w.add(b)
	seen := map[*session][]int{}
	for tick := 2; tick <= 11; tick++ {
		for _, s := range w.due() {
			seen[s] = append(seen[s], tick)
		}
	}
	// a joined at tick 0, b at tick 1: each is due one period (5 ticks) after its join, every period.
	if got := seen[a]; len(got) != 2 || got[0] != 5 || got[1] != 10 {
		t.Errorf("a due at %v, want [5 10]", got)
	}
	if got := seen[b]; len(got) != 2 || got[0] != 6 || got[1] != 11 {
		t.Errorf("b due at %v, want [6 11]", got)
	}
}

func TestWheelDropsSessionsThatAreNoLongerJoined(t *testing.T) {
	w := newHeartbeatWheel(200*time.Millisecond, "p", "s") // 2 slots
	s := &session{}
	s.phase.Store(joined)
	w.add(s)
	s.phase.Store(closing)
	for i := 0; i < 4; i++ {
		if due := w.due(); len(due) != 0 {
			t.Fatalf("tick %d: a closing session was due", i)
		}
	}
	for i, slot := range w.slots {
		if len(slot) != 0 {
			t.Errorf("slot %d still holds %d sessions", i, len(slot))
		}
	}
}

func TestHeartbeatFrameCarriesTheTimestamp(t *testing.T) {
	w := newHeartbeatWheel(time.Second, `{"type":"heartbeat","ts":`, `}`)
	if got := string(w.frame(1764530000123)); got != `{"type":"heartbeat","ts":1764530000123}` {
		t.Errorf("frame = %s", got)
	}
	if echoedTs(w.frame(42)) != 42 {
		t.Error("the frame's timestamp does not read back")
	}
}
