/**
 * Presence is coalesced per meeting: a worker sends its sockets in a meeting at most one presence
 * message per second (the contract's rule), so a 500-person join storm costs each socket about one
 * message a second instead of one per joiner — O(n) frames per second per meeting, not O(n²).
 *
 * The first change after a quiet second goes out at once (leading edge); later ones in that second
 * are merged and go out when the second is over (trailing edge, via `takeDue` on the worker's tick).
 * Someone who joins and leaves inside one window is never announced at all.
 */

export interface PresenceUpdate {
  meetingId: string;
  participants: number;
  joined: string[];
  left: string[];
}

interface Pending {
  joined: Set<string>;
  left: Set<string>;
  participants: number;
  dirty: boolean;
  lastSentAt: number;
}

export class PresenceCoalescer {
  private readonly meetings = new Map<string, Pending>();

  /** @param intervalMs minimum time between two updates of one meeting (the contract: 1000). */
  constructor(private readonly intervalMs = 1000) {}

  /** Merge one event; returns the update to send now if the meeting's window allows, else undefined. */
  add(meetingId: string, event: { joined: string[]; left: string[]; participants: number }, now: number): PresenceUpdate | undefined {
    let p = this.meetings.get(meetingId);
    if (!p) {
      p = { joined: new Set(), left: new Set(), participants: 0, dirty: false, lastSentAt: -Infinity };
      this.meetings.set(meetingId, p);
    }
    for (const id of event.joined) p.joined.add(id);
    for (const id of event.left) {
      if (!p.joined.delete(id)) p.left.add(id);
    }
    p.participants = event.participants;
    p.dirty = true;
    return now - p.lastSentAt >= this.intervalMs ? this.take(meetingId, p, now) : undefined;
  }

  /** Every merged update whose window has passed (call on a tick shorter than the interval). */
  takeDue(now: number): PresenceUpdate[] {
    const due: PresenceUpdate[] = [];
    for (const [meetingId, p] of this.meetings) {
      if (p.dirty && now - p.lastSentAt >= this.intervalMs) due.push(this.take(meetingId, p, now));
    }
    return due;
  }

  /** Drop a meeting's state (its last local participant left). */
  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
  }

  private take(meetingId: string, p: Pending, now: number): PresenceUpdate {
    const update = { meetingId, participants: p.participants, joined: [...p.joined], left: [...p.left] };
    p.joined.clear();
    p.left.clear();
    p.dirty = false;
    p.lastSentAt = now;
    return update;
  }
}
