import { Clock } from '../../hal/clock';

/** One recorded event. */
export interface WorldEvent {
  /** Virtual (or real) milliseconds when it happened. */
  t: number;
  /** Category: link, tcp, dhcp, dns, wifi, cell, broker, scenario, nic, … */
  kind: string;
  text: string;
}

export interface EventLogOptions {
  /** Keep at most this many events (oldest dropped first); default 200 000. */
  max?: number;
  /** Called with every formatted line as it is recorded (e.g. console.log). */
  echo?: (line: string) => void;
}

/**
 * What happened in the world, as lines with timestamps: link changes, TCP connects and closes, DHCP
 * leases, DNS answers, broker clients and publishes, scenario events. Two runs with the same seed and
 * scenario give identical lines: it is the determinism check.
 */
export class EventLog {
  private _clock: Clock;
  private _events: WorldEvent[] = [];
  private _max: number;
  private _echo: ((line: string) => void) | undefined;
  private _dropped = 0;

  constructor(clock: Clock, opts?: EventLogOptions) {
    this._clock = clock;
    this._max = (opts && opts.max) || 200000;
    this._echo = opts && opts.echo;
  }

  /** Records one event at the clock's current time. */
  add(kind: string, text: string): void {
    var e: WorldEvent = { t: this._clock.now(), kind: kind, text: text };
    this._events.push(e);
    if (this._events.length > this._max) {
      this._events.shift();
      this._dropped++;
    }
    if (this._echo) this._echo(formatEvent(e));
  }

  /** Recorded events, oldest first (optionally only one kind). */
  events(kind?: string): WorldEvent[] {
    return kind ? this._events.filter((e) => e.kind === kind) : this._events.slice();
  }

  /** Recorded events as text lines. */
  lines(kind?: string): string[] {
    return this.events(kind).map(formatEvent);
  }

  /** Events dropped because the log was full. */
  dropped(): number {
    return this._dropped;
  }

  /** Sets (or clears) the line listener. */
  setEcho(echo: ((line: string) => void) | undefined): void {
    this._echo = echo;
  }
}

/** "   60000.000 link eth0 down" */
export function formatEvent(e: WorldEvent): string {
  var t = e.t.toFixed(3);
  while (t.length < 12) t = ' ' + t;
  return t + ' ' + e.kind + ' ' + e.text;
}
