import { Clock, TimerId } from '../../hal/clock';
import { CloudLink } from './cloud-link';

/**
 * Silent-outage detection while the session is idle: when nothing has come in for `idleMs`, send a
 * ping; no answer within `timeoutMs` means the session is dead. Any inbound packet (cloud.lastRx())
 * counts as proof of life and pushes the next ping back.
 */
export class Liveness {
  _clock: Clock;
  _cloud: CloudLink;
  _onDead: () => void;
  _idle = 0;
  _timeout = 0;
  _since = 0;
  _t: TimerId;
  _tok = 0;
  _bound: () => void;
  /** Pings sent, and pings that went unanswered (metrics). */
  pings = 0;
  misses = 0;

  constructor(clock: Clock, cloud: CloudLink, onDead: () => void) {
    this._clock = clock;
    this._cloud = cloud;
    this._onDead = onDead;
    var self = this;
    this._bound = function () {
      self._check();
    };
  }

  /** Starts watching (restarts when running). `idleMs` 0 disables. */
  start(idleMs: number, timeoutMs: number): void {
    this.stop();
    this._idle = idleMs;
    this._timeout = timeoutMs;
    this._since = this._clock.now();
    if (idleMs > 0) this._arm();
  }

  stop(): void {
    this._tok++;
    this._clock.clearTimeout(this._t);
    this._t = undefined;
  }

  /** Clock time of the last sign of life. */
  lastLife(): number {
    var rx = this._cloud.lastRx();
    return rx > this._since ? rx : this._since;
  }

  _arm(): void {
    var due = this.lastLife() + this._idle - this._clock.now();
    this._t = this._clock.setTimeout(this._bound, due > 0 ? due : 0);
  }

  _check(): void {
    this._t = undefined;
    if (this.lastLife() + this._idle - this._clock.now() > 0) {
      this._arm();
      return;
    }
    var self = this;
    var tok = this._tok;
    this.pings++;
    // Bound the wait even if the session never answers the callback.
    this._t = this._clock.setTimeout(function () {
      self._answer(tok, false);
    }, this._timeout + 1000);
    this._cloud.ping(this._timeout, function (ok: boolean) {
      self._answer(tok, ok);
    });
  }

  _answer(tok: number, ok: boolean): void {
    if (tok !== this._tok) return;
    this._tok++;
    this._clock.clearTimeout(this._t);
    this._t = undefined;
    if (ok) {
      this._since = this._clock.now();
      this._arm();
    } else {
      this.misses++;
      this._onDead();
    }
  }
}
