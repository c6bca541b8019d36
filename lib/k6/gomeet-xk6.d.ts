/**
 * k6/x/gomeet — the suite's k6 extension (xk6/signaling), linked into the suite's k6 binary
 * (scripts/tools/pins.ts K6_PIN). Holds one VU's signaling sessions in Go.
 */
declare module 'k6/x/gomeet' {
  export interface HoldSessionsOptions {
    /** One entry per session, in opening order. */
    urls: string[];
    joinFrames: string[];
    /** Date.now() at which each session opens. */
    slotsMs: number[];
    authFrame: string;
    leaveFrame: string;
    /** A heartbeat is prefix + Date.now() + suffix; the ack echoes the number. */
    heartbeatPrefix: string;
    heartbeatSuffix: string;
    replies: { authOk: string; joined: string; error: string; heartbeatAck: string };
    heartbeatMs: number;
    joinTimeoutMs: number;
    /** Date.now() at which every held session is counted and closed. */
    holdEndMs: number;
    /** Names of metrics the script created in its init context. */
    metrics: {
      connectSuccess: string;
      connectMs: string;
      joinMs: string;
      heartbeatRttMs: string;
      sessionsHeld: string;
      unexpectedClose: string;
    };
  }
  export interface HoldSessionsResult {
    opened: number;
    held: number;
  }
  /** Blocks the iteration until the hold ends (or the test stops). */
  export function holdSessions(options: HoldSessionsOptions): HoldSessionsResult;
}
