package signaling

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.k6.io/k6/v2/metrics"
)

type metricSet struct {
	connectSuccess, connectMs, joinMs, heartbeatRttMs, sessionsHeld, unexpectedClose *metrics.Metric
}

func lookupMetrics(r *metrics.Registry, n MetricNames) (*metricSet, error) {
	get := func(name string, want metrics.MetricType) (*metrics.Metric, error) {
		m := r.Get(name)
		if m == nil {
			return nil, fmt.Errorf("metric %q is not defined by the script", name)
		}
		if m.Type != want {
			return nil, fmt.Errorf("metric %q is a %s, expected a %s", name, m.Type, want)
		}
		return m, nil
	}
	var s metricSet
	var err error
	for _, f := range []struct {
		dst  **metrics.Metric
		name string
		typ  metrics.MetricType
	}{
		{&s.connectSuccess, n.ConnectSuccess, metrics.Rate},
		{&s.connectMs, n.ConnectMs, metrics.Trend},
		{&s.joinMs, n.JoinMs, metrics.Trend},
		{&s.heartbeatRttMs, n.HeartbeatRttMs, metrics.Trend},
		{&s.sessionsHeld, n.SessionsHeld, metrics.Counter},
		{&s.unexpectedClose, n.UnexpectedClose, metrics.Counter},
	} {
		if *f.dst, err = get(f.name, f.typ); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// emitter pushes samples tagged like the VU's own (scenario, run id, runner id…) from any goroutine.
type emitter struct {
	ctx     context.Context
	samples chan<- metrics.SampleContainer
	tags    metrics.TagsAndMeta
	m       *metricSet
	// k6's own ws_sessions and ws_connecting, tagged with the URL (and status) as k6/websockets
	// tags them, so k6's summary, dashboards and the ramp checks read both engines alike.
	builtin    *metrics.BuiltinMetrics
	systemTags *metrics.SystemTagSet
}

// socketTags are a socket's tags as k6/websockets sets them: the VU's, plus url, name and status.
func (e *emitter) socketTags(url string, status int) metrics.TagsAndMeta {
	tm := metrics.TagsAndMeta{Tags: e.tags.Tags, Metadata: e.tags.Metadata}
	tm.SetSystemTagOrMetaIfEnabled(e.systemTags, metrics.TagURL, url)
	tm.SetSystemTagOrMetaIfEnabled(e.systemTags, metrics.TagName, url)
	if status > 0 {
		tm.SetSystemTagOrMetaIfEnabled(e.systemTags, metrics.TagStatus, strconv.Itoa(status))
	}
	return tm
}

// sessionEnded records ws_session_duration when an opened socket closes, as k6/websockets does:
// the reports count open sockets as ws_sessions minus ws_session_duration (reports/series-influx.ts).
func (e *emitter) sessionEnded(tm metrics.TagsAndMeta, dialStart time.Time) {
	metrics.PushIfNotDone(e.ctx, e.samples, metrics.Sample{
		TimeSeries: metrics.TimeSeries{Metric: e.builtin.WSSessionDuration, Tags: tm.Tags},
		Time:       time.Now(),
		Metadata:   tm.Metadata,
		Value:      metrics.D(time.Since(dialStart)),
	})
}

// dialled records one dial as k6/websockets does: ws_sessions 1 and ws_connecting its duration.
func (e *emitter) dialled(tm metrics.TagsAndMeta, start time.Time, took time.Duration) {
	metrics.PushIfNotDone(e.ctx, e.samples, metrics.ConnectedSamples{
		Samples: []metrics.Sample{
			{TimeSeries: metrics.TimeSeries{Metric: e.builtin.WSSessions, Tags: tm.Tags}, Time: start, Metadata: tm.Metadata, Value: 1},
			{TimeSeries: metrics.TimeSeries{Metric: e.builtin.WSConnecting, Tags: tm.Tags}, Time: start, Metadata: tm.Metadata, Value: metrics.D(took)},
		},
		Tags: tm.Tags,
		Time: start,
	})
}

func (e *emitter) push(m *metrics.Metric, tags *metrics.TagSet, v float64) {
	metrics.PushIfNotDone(e.ctx, e.samples, metrics.Sample{
		TimeSeries: metrics.TimeSeries{Metric: m, Tags: tags},
		Time:       time.Now(),
		Metadata:   e.tags.Metadata,
		Value:      v,
	})
}

func (e *emitter) connect(ok bool) {
	v := 0.0
	if ok {
		v = 1
	}
	e.push(e.m.connectSuccess, e.tags.Tags, v)
}

func (e *emitter) ms(m *metrics.Metric, d time.Duration) {
	e.push(m, e.tags.Tags, float64(d)/float64(time.Millisecond))
}

func (e *emitter) held(n int) {
	if n > 0 {
		e.push(e.m.sessionsHeld, e.tags.Tags, float64(n))
	}
}

// unexpectedClose is tagged like the script's: `code` (close code, `none` when none came) and
// `phase` (`joining` | `joined`).
func (e *emitter) unexpectedClose(code int, joined bool) {
	c := "none"
	if code > 0 {
		c = strconv.Itoa(code)
	}
	phase := "joining"
	if joined {
		phase = "joined"
	}
	e.push(e.m.unexpectedClose, e.tags.Tags.With("code", c).With("phase", phase), 1)
}
