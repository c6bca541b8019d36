// Package signaling is the k6/x/gomeet extension: a k6 VU holds its share of GoMeet signaling
// sessions in Go instead of one k6/websockets object per socket.
//
// Why an extension: a session held with k6/websockets costs ~63 KiB in k6 (bench/ws-capacity
// memory-levers: 19 KiB for the JS WebSocket object and its 16 wrapped Go functions, 9 KiB of
// gorilla buffers, four goroutine stacks), so 50,000 sessions need ~3.1 GiB in k6 alone. Here a
// session is one goroutine, a 512-byte read buffer and a pooled write buffer.
//
// The protocol stays in the script: frames and reply types come in as options (built by
// lib/k6/signaling.ts), so this package knows only the session's shape — open, auth, join,
// heartbeat until the hold ends, count, leave, close — and reports into the script's own metrics.
package signaling

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/metrics"
)

func init() {
	modules.Register("k6/x/gomeet", new(rootModule))
}

type rootModule struct{}

// Instance is one VU's module; it keeps the registry, which only the init context can reach.
type Instance struct {
	vu       modules.VU
	registry *metrics.Registry
}

var (
	_ modules.Module   = &rootModule{}
	_ modules.Instance = &Instance{}
)

// NewModuleInstance runs in each VU's init context.
func (*rootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	inst := &Instance{vu: vu}
	if env := vu.InitEnv(); env != nil {
		inst.registry = env.Registry
	}
	return inst
}

// Exports: holdSessions(options) → { opened, joined, held, failed }.
func (i *Instance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{"holdSessions": i.holdSessions}}
}

// holdSessions blocks the VU's iteration until the hold window ends (or the test stops) and
// returns what happened; every outcome is also in the script's metrics.
func (i *Instance) holdSessions(raw sobek.Value) (*Result, error) {
	state := i.vu.State()
	if state == nil {
		return nil, fmt.Errorf("holdSessions: call it from a VU's iteration, not the init context")
	}
	var opts Options
	if err := i.vu.Runtime().ExportTo(raw, &opts); err != nil {
		return nil, fmt.Errorf("holdSessions: options: %w", err)
	}
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("holdSessions: %w", err)
	}
	if i.registry == nil {
		return nil, fmt.Errorf("holdSessions: no metrics registry (module not imported in the init context)")
	}
	m, err := lookupMetrics(i.registry, opts.Metrics)
	if err != nil {
		return nil, fmt.Errorf("holdSessions: %w", err)
	}
	f := newFleet(i.vu.Context(), &opts, state, m)
	return f.run(), nil
}
