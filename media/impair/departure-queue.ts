/**
 * One direction of one client's path through the UDP relay: each packet waits until its departure
 * time, and packets leave in the order they arrived, whatever their departure times say.
 *
 * The queue, not Node's timers, keeps the order. With jitter, packets get different delays, and
 * Node does not promise that a timer set later with a shorter timeout fires after an earlier one
 * due at the same moment: it truncates each timeout to whole milliseconds and counts from the
 * event loop's cached millisecond clock, so a packet held back to the same (fractional) departure
 * as the one before it could be due a millisecond earlier and overtake it. Here one timer is armed,
 * for the head only; when it fires, every packet that is due leaves, head first.
 */

interface Waiting {
  at: number;
  send: () => void;
}

export class DepartureQueue {
  private items: (Waiting | undefined)[] = [];
  private head = 0;
  private last = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Packets waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  /**
   * Queues `send` to run `delayMs` from now, but never before a packet queued earlier (a real
   * queue holds later packets behind a slow one). Returns the departure time given.
   */
  push(delayMs: number, send: () => void): number {
    const at = Math.max(this.last, this.now() + delayMs);
    this.last = at;
    this.items.push({ at, send });
    if (this.size === 1) this.arm();
    return at;
  }

  /** Drops every waiting packet; nothing queued so far will be sent. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
    this.head = 0;
  }

  private arm(): void {
    const first = this.items[this.head];
    // A timer may fire up to a millisecond before the fractional departure (see above): flush()
    // then finds nothing due and re-arms, so a packet is never sent early, at worst ~1 ms late.
    if (first) this.timer = setTimeout(() => this.flush(), Math.max(0, first.at - this.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.head < this.items.length) {
      const w = this.items[this.head] as Waiting;
      if (w.at > now) break;
      this.items[this.head++] = undefined;
      w.send();
    }
    // Compact once the sent prefix dominates, so a long run does not keep a growing array.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }
}
