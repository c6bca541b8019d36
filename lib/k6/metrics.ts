/**
 * The suite's own k6 metrics (names in lib/k6/metric-names.ts). Created once in the init context of
 * every VU, as k6 requires; the threshold table (thresholds/table.ts) refers to them by name.
 */
import { Counter, Rate, Trend } from 'k6/metrics';
import { WS_METRICS } from './metric-names.ts';

/** Share of signaling sessions that got their `joined` ack within the join timeout (10 s) of creating the socket. */
export const wsConnectSuccess = new Rate(WS_METRICS.connectSuccess);
/** ms from creating the WebSocket to its open event (TCP + HTTP upgrade). */
export const wsConnectMs = new Trend(WS_METRICS.connectMs, true);
/** ms from the socket's open event to the `joined` ack (auth round trip + join round trip). */
export const wsJoinMs = new Trend(WS_METRICS.joinMs, true);
/** ms from sending a heartbeat to receiving its ack (the server echoes the client's timestamp). */
export const wsHeartbeatRttMs = new Trend(WS_METRICS.heartbeatRttMs, true);
/** Sessions still joined and open at the common end of the hold window (the ws_connections row). */
export const wsSessionsHeld = new Counter(WS_METRICS.sessionsHeld);
/** Sessions closed by the server or the network, not by us; tagged `code` (close code, `none` when
 *  the socket never opened) and `phase` (`joining` | `joined`). */
export const wsUnexpectedClose = new Counter(WS_METRICS.unexpectedClose);
