package signaling

import "testing"

func TestFrameType(t *testing.T) {
	cases := map[string]string{
		`{"type":"auth_ok","userId":"u1"}`:                   "auth_ok",
		`{"meetingId":"m","type":"joined","participants":3}`: "joined",
		`{"type":"chat","text":"say \"type\":\"x\""}`:        "chat",
		`{"no":"type"}`:   "",
		`{"type":"broken`: "",
	}
	for in, want := range cases {
		if got := string(frameType([]byte(in))); got != want {
			t.Errorf("frameType(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestEchoedTs(t *testing.T) {
	cases := map[string]int64{
		`{"type":"heartbeat_ack","ts":1764530000123}`:  1764530000123,
		`{"type":"heartbeat_ack","ts": 42,"x":1}`:      42,
		`{"type":"heartbeat_ack"}`:                     -1,
		`{"type":"heartbeat_ack","ts":"not a number"}`: -1,
	}
	for in, want := range cases {
		if got := echoedTs([]byte(in)); got != want {
			t.Errorf("echoedTs(%s) = %d, want %d", in, got, want)
		}
	}
}
