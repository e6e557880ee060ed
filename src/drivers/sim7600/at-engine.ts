import { Clock, TimerId } from '../../../hal/clock';
import { Uart } from '../../../hal/uart';
import { Log, NULL_LOG, LOG_DEBUG, LOG_WARN } from '../../../hal/log';
import { Emitter } from '../../util/emitter';
import { hasPrefix, atFields, atInt, printable } from './at-util';

/** Command results passed to `AtCmd.cb`. */
export const AT_OK = 0;
/** Plain `ERROR`. */
export const AT_ERROR = 1;
/** `+CME ERROR: <n>` (or `+CMS ERROR`); the code or text is in `e`. */
export const AT_CME_ERROR = 2;
/** `+IP ERROR: <text>` (then `ERROR`); the text is in `e`. */
export const AT_IP_ERROR = 3;
/** `+CIPERROR: <n>` (SIM7600 TCP/IP error); the code is in `e`. */
export const AT_CIP_ERROR = 4;
/** No final result (or no second-stage line) in time. */
export const AT_TIMEOUT = 5;
/** Flushed (power off, reset) before it completed. */
export const AT_ABORTED = 6;
/** Not accepted: the second-stage wait list is full. */
export const AT_BUSY = 7;
/** The results' names, in AT_* order (nameAt(AT_RESULTS, res)). */
export var AT_RESULTS = 'ok,error,cme_error,ip_error,cip_error,timeout,aborted,busy';

/**
 * One queued AT command. Short field names: many of these exist at once on a small heap. The engine
 * fills `l`, `b`, `e`, `f` and hands the record back to `cb`, so callers need no closure per call.
 */
export interface AtCmd {
  /** Command text without the trailing CR, e.g. "AT+CSQ". */
  c: string;
  /** Timeout for the final result (OK / ERROR), ms. */
  t: number;
  /** Prefix of the information lines to collect in `l` ("" = any line that is not a URC). */
  p?: string;
  /** With `p`: index (in atFields(line, p)) of the field giving the length of a binary payload after the line. */
  n?: number;
  /** Second-stage prefix expected after OK (e.g. "+CIPOPEN: 3,"); its line goes to `f`. */
  u?: string;
  /** Second-stage timeout, ms (default `t`). */
  w?: number;
  /** Raw bytes written after the `>` prompt (CIPSEND). */
  d?: string;
  /** Secret: never log the command text (PIN, password). */
  s?: boolean;
  /** Completion: called exactly once with an AT_* result and this record, as a method of the engine's `owner`. */
  cb: (res: number, r: AtCmd) => void;
  /** Caller's context, untouched by the engine. */
  x?: any;
  /** Caller's second context slot (e.g. the user's callback). */
  y?: any;
  /** Caller's third slot (e.g. the receiver of the user's callback). */
  o?: any;
  /** Collected information lines. */
  l?: string[];
  /** Binary payload read by length. */
  b?: string;
  /** Error detail (CME code, IP ERROR text, CIPERROR code). */
  e?: string;
  /** The second-stage line. */
  f?: string;
  /** Internal: pending error result awaiting the trailing ERROR. */
  r?: number;
  /** Internal: second-stage deadline. */
  dl?: number;
}

/** Byte and event counters of the engine. */
export interface AtCounters {
  /** Command bytes written (AT overhead). */
  txAt: number;
  /** Response bytes read, payload excluded (AT overhead). */
  rxAt: number;
  /** Payload bytes written after `>`. */
  txData: number;
  /** Payload bytes read by length. */
  rxData: number;
  /** Lines (or over-long fragments) that matched nothing, or were not printable. */
  garbage: number;
  /** Commands that got no final result in time. */
  timeouts: number;
  /** Unsolicited lines routed to a handler. */
  urcs: number;
}

export interface AtEngineOptions {
  uart: Uart;
  clock: Clock;
  log?: Log;
  /** Longest accepted line; longer ones are garbage (default 256). */
  maxLine?: number;
  /** Most commands waiting in the queue (default 24). */
  maxQueue?: number;
  /** Most commands waiting for a second-stage line (default 16). */
  maxWaiters?: number;
  /** Largest binary payload read by length (default 1500, CIPRXGET's maximum). */
  maxBin?: number;
  /** Wait for the ERROR that follows +IP ERROR / +CIPERROR before finishing without it (default 200). */
  errGraceMs?: number;
  /** `this` of every command's `cb` and of `urc` (the modem, whose methods are then callbacks without a bound copy each). */
  owner?: any;
  /**
   * Unsolicited lines: called with a line that is no part of a response; returns true when the line is
   * one it knows (handled or deliberately ignored), false for garbage.
   */
  urc?: (line: string) => boolean;
}

/** What an event may show of a command: a secret one (PIN, password) only as its name. */
function shown(c: AtCmd): AtCmd {
  if (!c.s) return c;
  return { c: c.c.split('=')[0] + '=…', t: c.t, s: true, cb: ignoreCb };
}

function ignoreCb(): void {}

const SG_IDLE = 0;
const SG_PROMPT = 1;
const SG_FINAL = 2;

/**
 * The AT command engine (after Espruino's AT.js and TinyGSM's waitResponse, without blocking): one
 * command on the wire at a time from a bounded queue, each with its own timeout; final results; two-stage
 * results waited for by prefix while later commands run; the `>` prompt; binary payloads read by length;
 * unsolicited lines handed to `urc` at any point; echo ignored; over-long or unprintable lines counted
 * as garbage and skipped.
 *
 * Events: "garbage" (text), "timeout" (AtCmd: no final result, the modem may be silent), "timeout2"
 * (AtCmd: no second-stage line; the network may be slow), "error" (a callback threw).
 */
export class AtEngine {
  readonly events = new Emitter();
  readonly cnt: AtCounters = { txAt: 0, rxAt: 0, txData: 0, rxData: 0, garbage: 0, timeouts: 0, urcs: 0 };
  _u: Uart;
  _clk: Clock;
  _log: Log;
  _maxLine: number;
  _maxQ: number;
  _maxW: number;
  _maxBin: number;
  _grace: number;
  _q: AtCmd[] = [];
  _cur?: AtCmd | null;
  _sg = SG_IDLE;
  _tm: TimerId;
  _w: AtCmd[] = [];
  _wt: TimerId;
  /** _onWaitTimeout bound for the clock, made when the first waiter's deadline is armed. */
  _wB?: () => void;
  _buf = '';
  _bin = 0;
  _binTo?: AtCmd | null;
  _lf = false;
  _busy = false;
  _gen = 0;
  _own: any;
  _urc: ((line: string) => boolean) | undefined;

  constructor(o: AtEngineOptions) {
    if (!o || !o.uart || !o.clock) throw new TypeError('AtEngine needs {uart, clock}');
    this._u = o.uart;
    this._clk = o.clock;
    this._log = o.log || NULL_LOG;
    this._maxLine = o.maxLine || 256;
    this._maxQ = o.maxQueue || 24;
    this._maxW = o.maxWaiters || 16;
    this._maxBin = o.maxBin || 1500;
    this._grace = o.errGraceMs || 200;
    this._own = o.owner;
    this._urc = o.urc;
    this._onTimeout = this._onTimeout.bind(this);
    this._u.onData(this._onData, this);
  }

  /**
   * Queues a command. Returns false (and will never call `cb`) when the queue is full; otherwise `cb` is
   * called exactly once (from UART input, a timer, or `flush`).
   */
  send(c: AtCmd): boolean {
    if (this._q.length >= this._maxQ) return false;
    c.l = undefined;
    c.b = undefined;
    c.e = undefined;
    c.f = undefined;
    c.r = undefined;
    this._q.push(c);
    if (!this._cur) this._next();
    return true;
  }

  /** Commands queued, on the wire, or waiting for a second stage. */
  pending(): number {
    return this._q.length + (this._cur ? 1 : 0) + this._w.length;
  }

  /** Completes every command (queued, current, waiting) with `res` (AT_ABORTED) and drops buffered input. */
  flush(res?: number): void {
    var all: AtCmd[] = [];
    if (this._cur) all.push(this._cur);
    all = all.concat(this._w, this._q);
    this._cur = null;
    this._q = [];
    this._w = [];
    this._sg = SG_IDLE;
    this._clk.clearTimeout(this._tm);
    this._clk.clearTimeout(this._wt);
    this._tm = this._wt = undefined;
    this._buf = '';
    this._bin = 0;
    this._binTo = null;
    this._lf = false;
    this._gen++;
    for (var i = 0; i < all.length; i++) this._done(all[i], res === undefined ? AT_ABORTED : res);
  }

  _next(): void {
    if (this._cur || !this._q.length) return;
    var c = this._q.shift()!;
    this._cur = c;
    this._sg = c.d !== undefined ? SG_PROMPT : SG_FINAL;
    this._log.log(LOG_DEBUG, 'at', '> ' + (c.s ? c.c.split('=')[0] + '=…' : c.c));
    this.cnt.txAt += c.c.length + 1;
    this._tm = this._clk.setTimeout(this._onTimeout, c.t);
    this._u.write(c.c + '\r');
  }

  _onData(s: string): void {
    this.cnt.rxAt += s.length;
    this._buf += s;
    if (this._busy) return;
    this._busy = true;
    try {
      this._parse();
    } finally {
      this._busy = false;
    }
  }

  _parse(): void {
    var gen = this._gen;
    while (this._buf.length) {
      var b = this._buf;
      var n = b.length;
      var i = 0;
      this._buf = '';
      while (i < n) {
        if (this._lf) {
          this._lf = false;
          if (b.charCodeAt(i) === 10) {
            i++;
            continue;
          }
        }
        if (this._bin > 0) {
          var k = this._bin < n - i ? this._bin : n - i;
          if (this._binTo) this._binTo.b += b.substr(i, k);
          i += k;
          this._bin -= k;
          this.cnt.rxAt -= k;
          this.cnt.rxData += k;
          if (!this._bin) this._binTo = null;
          continue;
        }
        if (this._sg === SG_PROMPT && b.charCodeAt(i) === 62) {
          i++;
          if (i < n && b.charCodeAt(i) === 32) i++;
          // The prompt: send the command's data, then wait for its final result.
          var c = this._cur!;
          this._sg = SG_FINAL;
          this.cnt.txData += c.d!.length;
          this._u.write(c.d!);
          continue;
        }
        var cr = b.indexOf('\r', i);
        var lf = b.indexOf('\n', i);
        var j = cr < 0 ? lf : lf < 0 ? cr : cr < lf ? cr : lf;
        if (j < 0) {
          if (n - i > this._maxLine) {
            this._garbage(b.substr(i, 32));
            i = n;
          }
          break;
        }
        var line = b.substr(i, j - i);
        i = j + 1;
        if (b.charCodeAt(j) === 13) {
          if (i < n) {
            if (b.charCodeAt(i) === 10) i++;
          } else this._lf = true;
        }
        if (line.length > this._maxLine) this._garbage(line.substr(0, 32));
        else if (line.length) this._line(line);
        if (gen !== this._gen) return;
      }
      if (i < n) this._buf = b.substr(i) + this._buf;
      if (this._buf.length === n - i) break;
    }
  }

  _line(line: string): void {
    if (line.charCodeAt(0) === 32 || line.charCodeAt(line.length - 1) === 32) {
      line = line.trim();
      if (!line.length) return;
    }
    if (!printable(line)) {
      this._garbage(line);
      return;
    }
    var cur = this._cur;
    var i;
    if (hasPrefix(line, 'AT') || hasPrefix(line, 'at')) return;
    this._log.log(LOG_DEBUG, 'at', '< ' + line);
    if (cur) {
      if (line === 'OK') return this._final(AT_OK);
      if (line === 'ERROR') return this._final(cur.r || AT_ERROR);
      if (hasPrefix(line, '+CME ERROR:') || hasPrefix(line, '+CMS ERROR:')) {
        cur.e = line.substr(11).trim();
        return this._final(AT_CME_ERROR);
      }
      if (hasPrefix(line, '+IP ERROR:')) return this._pendErr(cur, AT_IP_ERROR, line.substr(10).trim());
      if (hasPrefix(line, '+CIPERROR:')) return this._pendErr(cur, AT_CIP_ERROR, line.substr(10).trim());
      if (cur.u && hasPrefix(line, cur.u)) {
        cur.f = line;
        return;
      }
      if (cur.p && hasPrefix(line, cur.p)) return this._collect(cur, line);
    }
    for (i = 0; i < this._w.length; i++) {
      var w = this._w[i];
      if (hasPrefix(line, w.u!)) {
        this._w.splice(i, 1);
        w.f = line;
        this._armWait();
        this._done(w, AT_OK);
        return;
      }
    }
    if (this._urc) {
      var known = true;
      try {
        known = this._urc.call(this._own, line);
      } catch (e) {
        this.events.emit('error', e);
      }
      if (known) {
        this.cnt.urcs++;
        return;
      }
    }
    if (cur && cur.p === '') return this._collect(cur, line);
    this._garbage(line);
  }

  _collect(cur: AtCmd, line: string): void {
    if (!cur.l) cur.l = [];
    if (cur.l.length < 8) cur.l.push(line);
    if (cur.n !== undefined) {
      var len = atInt(atFields(line, cur.p!)[cur.n]);
      if (len > 0 && len <= this._maxBin) {
        this._bin = len;
        this._binTo = cur;
        cur.b = '';
      } else if (len > 0) this._garbage(line);
    }
  }

  _pendErr(cur: AtCmd, res: number, detail: string): void {
    cur.e = detail;
    cur.r = res;
    this._clk.clearTimeout(this._tm);
    this._tm = this._clk.setTimeout(this._onTimeout, this._grace);
  }

  _final(res: number): void {
    var c = this._cur!;
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    this._cur = null;
    this._sg = SG_IDLE;
    if (this._binTo === c) this._binTo = null;
    if (res === AT_OK && c.u && c.f === undefined) {
      if (this._w.length >= this._maxW) this._done(c, AT_BUSY);
      else {
        c.dl = this._clk.now() + (c.w || c.t);
        this._w.push(c);
        this._armWait();
      }
    } else this._done(c, res);
    this._next();
  }

  _onTimeout(): void {
    var c = this._cur;
    this._tm = undefined;
    if (!c) return;
    // The second-stage line is the operation's own result: with it, a lost OK is no failure.
    var res = c.r ? c.r : c.f !== undefined ? AT_OK : AT_TIMEOUT;
    if (res === AT_TIMEOUT) {
      this.cnt.timeouts++;
      this._log.log(LOG_WARN, 'at', 'timeout ' + (c.s ? '' : c.c));
      this.events.emit('timeout', shown(c));
    }
    if (this._binTo === c) this._binTo = null;
    this._cur = null;
    this._sg = SG_IDLE;
    this._done(c, res);
    this._next();
  }

  _armWait(): void {
    this._clk.clearTimeout(this._wt);
    this._wt = undefined;
    if (!this._w.length) return;
    var dl = this._w[0].dl!;
    for (var i = 1; i < this._w.length; i++) if (this._w[i].dl! < dl) dl = this._w[i].dl!;
    var d = dl - this._clk.now();
    this._wt = this._clk.setTimeout(this._wB || (this._wB = this._onWaitTimeout.bind(this)), d > 0 ? d : 0);
  }

  _onWaitTimeout(): void {
    this._wt = undefined;
    var now = this._clk.now();
    var gone: AtCmd[] = [];
    for (var i = 0; i < this._w.length; i++) {
      if (this._w[i].dl! <= now) {
        gone.push(this._w[i]);
        this._w.splice(i--, 1);
      }
    }
    this._armWait();
    for (var j = 0; j < gone.length; j++) {
      this.events.emit('timeout2', shown(gone[j]));
      this._done(gone[j], AT_TIMEOUT);
    }
  }

  _garbage(text: string): void {
    this.cnt.garbage++;
    this.events.emit('garbage', text);
  }

  _done(c: AtCmd, res: number): void {
    try {
      c.cb.call(this._own, res, c);
    } catch (e) {
      this.events.emit('error', e);
    }
  }
}
