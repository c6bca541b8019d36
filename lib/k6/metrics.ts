/**
 * The suite's own k6 metrics, named `gomeet_<what>_<unit>`. Created once in the init context of
 * every VU (k6 requires that); the threshold table (thresholds/table.ts) refers to them by name.
 */
import { Counter, Rate, Trend } from 'k6/metrics';

/** Share of signaling sessions that got their `joined` ack within the join timeout (10 s) of opening. */
export const wsConnectSuccess = new Rate('gomeet_ws_connect_success');
/** ms from creating the WebSocket to its open event (TCP + HTTP upgrade). */
export const wsConnectMs = new Trend('gomeet_ws_connect_ms', true);
/** ms from the socket's open event to the `joined` ack (auth round trip + join round trip). */
export const wsJoinMs = new Trend('gomeet_ws_join_ms', true);
/** ms from sending a heartbeat to receiving its ack (the server echoes the client's timestamp). */
export const wsHeartbeatRttMs = new Trend('gomeet_ws_heartbeat_rtt_ms', true);
/** Sessions still joined and open at the common end of the hold window (the ws_connections row). */
export const wsSessionsHeld = new Counter('gomeet_ws_sessions_held');
/** Sessions closed by the server or the network, not by us; tagged `code` (close code, `none` when
 *  the socket never opened) and `phase` (`joining` | `joined`). */
export const wsUnexpectedClose = new Counter('gomeet_ws_unexpected_close');

/** Every metric name above, so tests and docs can check a summary has them all. */
export const WS_METRIC_NAMES = [
  'gomeet_ws_connect_success',
  'gomeet_ws_connect_ms',
  'gomeet_ws_join_ms',
  'gomeet_ws_heartbeat_rtt_ms',
  'gomeet_ws_sessions_held',
  'gomeet_ws_unexpected_close',
] as const;
