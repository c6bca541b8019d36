/**
 * Names of the suite's own k6 metrics (`gomeet_<what>_<unit>`), in a pure module so Node code and
 * tests can name them without importing k6. lib/k6/metrics.ts creates the metrics under these names;
 * thresholds/table.ts refers to them by the same strings.
 */
export const WS_METRICS = {
  connectSuccess: 'gomeet_ws_connect_success',
  connectMs: 'gomeet_ws_connect_ms',
  joinMs: 'gomeet_ws_join_ms',
  heartbeatRttMs: 'gomeet_ws_heartbeat_rtt_ms',
  sessionsHeld: 'gomeet_ws_sessions_held',
  unexpectedClose: 'gomeet_ws_unexpected_close',
} as const;

export const WS_METRIC_NAMES = Object.values(WS_METRICS);
