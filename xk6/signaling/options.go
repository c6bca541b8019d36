package signaling

import (
	"errors"
	"fmt"
)

// Options is what the script passes (lib/k6/signaling-sessions-xk6.ts builds it).
type Options struct {
	// One entry per session, in opening order: its signaling URL, its join frame and the wall-clock
	// ms (Date.now() scale) at which it opens.
	URLs       []string `js:"urls"`
	JoinFrames []string `js:"joinFrames"`
	SlotsMs    []int64  `js:"slotsMs"`

	AuthFrame  string `js:"authFrame"`
	LeaveFrame string `js:"leaveFrame"`
	// A heartbeat is HeartbeatPrefix + Date.now() + HeartbeatSuffix; the ack echoes the number.
	HeartbeatPrefix string  `js:"heartbeatPrefix"`
	HeartbeatSuffix string  `js:"heartbeatSuffix"`
	Replies         Replies `js:"replies"`

	HeartbeatMs   int64 `js:"heartbeatMs"`
	JoinTimeoutMs int64 `js:"joinTimeoutMs"`
	// Wall-clock ms at which held sessions are counted and closed (the common end of the hold).
	HoldEndMs int64 `js:"holdEndMs"`

	Metrics MetricNames `js:"metrics"`
}

// Replies are the server frame types the session reacts to.
type Replies struct {
	AuthOk       string `js:"authOk"`
	Joined       string `js:"joined"`
	Error        string `js:"error"`
	HeartbeatAck string `js:"heartbeatAck"`
}

// MetricNames name the script's metrics (lib/k6/metric-names.ts); they must already exist.
type MetricNames struct {
	ConnectSuccess  string `js:"connectSuccess"`
	ConnectMs       string `js:"connectMs"`
	JoinMs          string `js:"joinMs"`
	HeartbeatRttMs  string `js:"heartbeatRttMs"`
	SessionsHeld    string `js:"sessionsHeld"`
	UnexpectedClose string `js:"unexpectedClose"`
}

func (o *Options) validate() error {
	n := len(o.URLs)
	if len(o.JoinFrames) != n || len(o.SlotsMs) != n {
		return fmt.Errorf("urls, joinFrames and slotsMs must have one entry per session (%d, %d, %d)", n, len(o.JoinFrames), len(o.SlotsMs))
	}
	if o.AuthFrame == "" || o.LeaveFrame == "" || o.HeartbeatPrefix == "" {
		return errors.New("authFrame, leaveFrame and heartbeatPrefix are required")
	}
	r := o.Replies
	if r.AuthOk == "" || r.Joined == "" || r.Error == "" || r.HeartbeatAck == "" {
		return errors.New("replies.authOk, joined, error and heartbeatAck are required")
	}
	if o.HeartbeatMs < 100 || o.JoinTimeoutMs <= 0 || o.HoldEndMs <= 0 {
		return fmt.Errorf("heartbeatMs (≥ 100), joinTimeoutMs and holdEndMs must be positive (got %d, %d, %d)", o.HeartbeatMs, o.JoinTimeoutMs, o.HoldEndMs)
	}
	return nil
}
