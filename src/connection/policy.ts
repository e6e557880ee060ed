import { IfKind } from '../net/types';
import { ProbeResult, ProbeSpec } from './probe';
import { expBackoffMs } from './backoff';

/**
 * The connection policy as a pure unit: interface states + probe scores + settings + forced interface +
 * failover sequence + preference → the ordered candidate list and the decisions (wait, move, retry delay).
 * The manager (manager.ts) owns timers and I/O and asks a Policy; a second policy (baseline-policy.ts,
 * Particle-like) plugs into the same manager for the benchmark.
 */

/** What a policy sees of one interface. */
export interface PolicyIf {
  id: string;
  kind: IfKind;
  /** Position in the default order (Ethernet, Wi-Fi, cellular; then board order). Lower first. */
  def: number;
  /** Ready (IF_READY) and usable: enabled, allowed by the settings. */
  ready: boolean;
  /** Coming up (powering on, on, connecting) and wanted: a boot grace window may wait for it. */
  pending: boolean;
  /** The last probe, or null before any. */
  probe: ProbeResult | null;
  preferred: boolean;
  /** Flap damping: it went down too often lately. */
  damped: boolean;
  /** A cloud connect over it already failed in the current round. */
  failed: boolean;
  /** Clock time it last became ready (0 when not ready). */
  readySince: number;
}

export interface PolicyInput {
  now: number;
  ifs: PolicyIf[];
  /** Particle.connect(X): X's id, else null. */
  forced: string | null;
  /** Normalised failover sequence (generic ids), [] when none is set. */
  sequence: IfKind[];
  /** Id of the interface carrying the session, or null. */
  current: string | null;
}

/** Why the head of the order is there. */
export const B_NONE = 0;
export const B_FORCED = 1;
export const B_SEQUENCE = 2;
export const B_PREFERRED = 3;
export const B_SCORE = 4;
export const B_DEFAULT = 5;
export var BASES = 'none,forced,sequence,preferred,score,default';

/** Default order of the kinds: Ethernet, Wi-Fi, cellular. */
export var DEFAULT_KIND_ORDER: IfKind[] = ['ethernet', 'wifi', 'cell'];

/** The knobs. Every duration is in milliseconds. */
export interface PolicySettings {
  /** Boot (and all-down) grace window in which a higher-ranked interface may still become ready. */
  graceMs: number;
  /** Shape of one probe evaluation. */
  probe: ProbeSpec;
  /** Probe every ready interface right after a cloud loss (false: reconnect on stale scores first). */
  probeOnLoss: boolean;
  /** A probe stalls the application (models Particle's blocking re-selection; the runner pauses loop()). */
  probeBlocking: boolean;
  /** Within one round, an interface whose connect failed is not tried again. */
  excludeFailed: boolean;
  /** Limit of one cloud connect attempt (Ethernet / Wi-Fi, and cellular). */
  connectTimeoutMs: number;
  connectTimeoutCellMs: number;
  /** Backoff between failed rounds: base, cap, random fraction. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  jitter: number;
  /** A session up this long resets the backoff (0: any success resets). */
  stableMs: number;
  /** Idle time before a liveness ping on Ethernet / Wi-Fi, and the ping's answer timeout. */
  idleMs: number;
  pingTimeoutMs: number;
  /** Cellular idle time; 0 = derived from the data budget below. */
  cellIdleMs: number;
  pingTimeoutCellMs: number;
  /** Liveness data budget on cellular (bytes per hour) and the cost of one ping exchange. */
  cellBudgetBytesPerHour: number;
  pingCostBytes: number;
  /** Opt-in fail-back to a better or preferred interface, make-before-break. */
  failBack: boolean;
  /** A fail-back target must have been ready this long. */
  failBackStableMs: number;
  /** How often fail-back is considered while connected. */
  failBackCheckMs: number;
  /** Minimum time between two voluntary moves (also the flap-damping period). */
  minDwellMs: number;
  /** A fail-back by score needs the target better by max(marginMs, marginPct % of the current score). */
  marginMs: number;
  marginPct: number;
  /** Flap damping: `flapCount` drops within `flapWindowMs` damp an interface (0 = off). */
  flapWindowMs: number;
  flapCount: number;
  /** Re-select (probe, move to a strictly better one) on interface events while connected (Particle). */
  reselectOnEvent: boolean;
  /** While the preferred interface is up but not in use, re-check it this often (0 = off; Particle 5 min). */
  recheckPreferredMs: number;
  /** After this long of continuous failure, reset every interface (0 = off). */
  resetAfterMs: number;
  /** A newly ready interface ends a backoff wait at once. */
  eventCutsBackoff: boolean;
  /** Interface bring-up retries: first delay and cap (jittered like the backoff). */
  ifRetryBaseMs: number;
  ifRetryMaxMs: number;
  /** Voluntary moves open the new session before closing the old one. */
  makeBeforeBreak: boolean;
  /** Honour Network.setServerInterfaces (impOS). */
  useSequence: boolean;
  /**
   * The cloud only over TLS: interfaces that cannot provide it (`canTls()` false or absent: Ethernet) are
   * never candidates for the cloud session, however good. docs/security.md.
   */
  requireTls: boolean;
}

/** Our defaults (docs/connection-manager.md explains each). */
export var DEFAULT_SETTINGS: PolicySettings = {
  graceMs: 1500,
  probe: { count: 3, intervalMs: 100, waitMs: 800, budgetMs: 1500, size: 16, randomMax: 0, tcpFallback: true },
  probeOnLoss: true,
  probeBlocking: false,
  excludeFailed: true,
  connectTimeoutMs: 10000,
  connectTimeoutCellMs: 30000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60000,
  jitter: 0.5,
  stableMs: 60000,
  idleMs: 5000,
  pingTimeoutMs: 3000,
  cellIdleMs: 0,
  pingTimeoutCellMs: 10000,
  cellBudgetBytesPerHour: 1800,
  // PINGREQ and PINGRESP (2 bytes each) plus 40 bytes of TCP/IP headers each, and the ACK of PINGRESP (40).
  pingCostBytes: 124,
  failBack: false,
  failBackStableMs: 30000,
  failBackCheckMs: 60000,
  minDwellMs: 30000,
  marginMs: 20,
  marginPct: 25,
  flapWindowMs: 60000,
  flapCount: 3,
  reselectOnEvent: false,
  recheckPreferredMs: 0,
  resetAfterMs: 600000,
  eventCutsBackoff: true,
  ifRetryBaseMs: 2000,
  ifRetryMaxMs: 60000,
  makeBeforeBreak: true,
  useSequence: true,
  requireTls: false
};

/**
 * `base` with the members of `over` replaced (the probe spec merged member by member). A new object whose
 * prototype is `base`: only the overrides are its own, so a policy costs a few blocks, not a copy of every
 * setting. Nothing enumerates settings; they are read by name.
 */
export function mergeSettings(base: PolicySettings, over?: any): PolicySettings {
  var out: any = Object.create(base);
  var k;
  if (over) {
    for (k in over) {
      if (k === 'probe') {
        var p: any = Object.create(base.probe);
        for (var j in over.probe) p[j] = over.probe[j];
        out.probe = p;
      } else if (over[k] !== undefined) {
        if (!(k in base)) throw new TypeError('unknown connection setting: ' + k);
        if (typeof over[k] !== typeof (base as any)[k]) throw new TypeError('connection setting ' + k + ' must be a ' + typeof (base as any)[k]);
        out[k] = over[k];
      }
    }
  }
  return out;
}

/** An interface's probe says it cannot reach the cloud. */
export function probeInvalid(f: PolicyIf): boolean {
  return !!f.probe && !f.probe.valid;
}

/** Position of `kind` in the sequence, or seq.length + default position when absent. */
function seqPos(f: PolicyIf, seq: IfKind[]): number {
  var i = seq.indexOf(f.kind);
  return i >= 0 ? i * 10000 + f.def : seq.length * 10000 + f.def;
}

/** The probe class of an interface in score order: 0 valid, 1 never probed, 2 invalid. */
function probeClass(f: PolicyIf): number {
  return f.probe ? (f.probe.valid ? 0 : 2) : 1;
}

/**
 * The candidate order of DESIGN.md §5 over every interface in `inp.ifs` (ready or not), highest first:
 * (1) forced: that one only; (2) a failover sequence, then the default order; (3) otherwise the preferred
 * interface (unless its last probe was invalid), then valid probes by score, then unprobed, then invalid,
 * the default order breaking ties. With `damping`, damped interfaces sink below the others; in sequence
 * order an interface whose last probe was invalid is tried after the ones that answered.
 */
export function rankCandidates(inp: PolicyInput, useSequence: boolean, damping: boolean): PolicyIf[] {
  var ifs = inp.ifs;
  var i;
  if (inp.forced !== null) {
    for (i = 0; i < ifs.length; i++) if (ifs[i].id === inp.forced) return [ifs[i]];
    return [];
  }
  var seq = useSequence ? inp.sequence : [];
  var list = ifs.slice();
  list.sort(function (a: PolicyIf, b: PolicyIf) {
    if (damping && a.damped !== b.damped) return a.damped ? 1 : -1;
    if (seq.length) {
      var ia = probeInvalid(a) ? 1 : 0;
      var ib = probeInvalid(b) ? 1 : 0;
      if (ia !== ib) return ia - ib;
      return seqPos(a, seq) - seqPos(b, seq);
    }
    var pa = a.preferred && !probeInvalid(a) ? 0 : 1;
    var pb = b.preferred && !probeInvalid(b) ? 0 : 1;
    if (pa !== pb) return pa - pb;
    var ca = probeClass(a);
    var cb = probeClass(b);
    if (ca !== cb) return ca - cb;
    if (ca === 0 && a.probe!.score !== b.probe!.score) return a.probe!.score - b.probe!.score;
    return a.def - b.def;
  });
  return list;
}

/** Why `head` leads the order. */
export function basisOf(inp: PolicyInput, head: PolicyIf | undefined, useSequence: boolean): number {
  if (!head) return B_NONE;
  if (inp.forced !== null) return B_FORCED;
  if (useSequence && inp.sequence.length) return B_SEQUENCE;
  if (head.preferred && !probeInvalid(head)) return B_PREFERRED;
  if (head.probe && head.probe.valid) return B_SCORE;
  return B_DEFAULT;
}

/** Ids of a ranked list. */
export function idsOf(list: PolicyIf[]): string[] {
  var out: string[] = [];
  for (var i = 0; i < list.length; i++) out.push(list[i].id);
  return out;
}

/** What the manager asks of a policy. */
export interface Policy {
  readonly name: string;
  /** The knobs (read by the manager for timings and flags). */
  readonly s: PolicySettings;
  /** All interfaces of the input in candidate order, highest first (forced: only that one). */
  order(inp: PolicyInput): string[];
  /** B_* reason of the head of `order`. */
  basis(inp: PolicyInput): number;
  /** Delay before the first attempt after a loss. `fails`/`rounds` count failures since the last reset. */
  lossDelayMs(fails: number, rounds: number, rnd: () => number): number;
  /** Delay after a failed attempt; `endOfRound` when every candidate of the round has failed. */
  failDelayMs(fails: number, rounds: number, endOfRound: boolean, rnd: () => number): number;
  /** While connected over `cur`: move the session to `best` (the head of a fresh order)? */
  shouldMove(inp: PolicyInput, best: PolicyIf, cur: PolicyIf, lastMoveAt: number): boolean;
  /** Liveness: idle time before a ping (0 = never) and the ping's timeout, by kind. */
  idleMs(kind: IfKind): number;
  pingTimeoutMs(kind: IfKind): number;
  connectTimeoutMs(kind: IfKind): number;
  /** Flap damping from the times an interface dropped. */
  damped(downs: number[], now: number): boolean;
}

/** Number of entries of `times` within `windowMs` before `now`. */
export function countSince(times: number[], now: number, windowMs: number): number {
  var n = 0;
  for (var i = 0; i < times.length; i++) if (now - times[i] < windowMs) n++;
  return n;
}

/**
 * Our policy: the seed semantics (forced, sequence, preference, scores) plus hysteresis (dwell, margin,
 * flap damping), jittered backoff reset after a stable period, data-budgeted cellular liveness.
 */
export class ConnectionPolicy implements Policy {
  readonly name: string = 'netswitch';
  readonly s: PolicySettings;

  constructor(over?: any) {
    this.s = mergeSettings(DEFAULT_SETTINGS, over);
  }

  order(inp: PolicyInput): string[] {
    return idsOf(rankCandidates(inp, this.s.useSequence, this.s.flapCount > 0));
  }

  basis(inp: PolicyInput): number {
    return basisOf(inp, rankCandidates(inp, this.s.useSequence, this.s.flapCount > 0)[0], this.s.useSequence);
  }

  lossDelayMs(fails: number, rounds: number, rnd: () => number): number {
    return expBackoffMs(rounds, this.s.backoffBaseMs, this.s.backoffMaxMs, this.s.jitter, rnd);
  }

  failDelayMs(fails: number, rounds: number, endOfRound: boolean, rnd: () => number): number {
    return endOfRound ? expBackoffMs(rounds, this.s.backoffBaseMs, this.s.backoffMaxMs, this.s.jitter, rnd) : 0;
  }

  shouldMove(inp: PolicyInput, best: PolicyIf, cur: PolicyIf, lastMoveAt: number): boolean {
    var s = this.s;
    if (!s.failBack || best.id === cur.id || inp.forced !== null) return false;
    if (inp.now - lastMoveAt < s.minDwellMs) return false;
    if (!best.ready || best.damped || inp.now - best.readySince < s.failBackStableMs) return false;
    if (probeInvalid(best)) return false;
    if (s.useSequence && inp.sequence.length) return seqPos(best, inp.sequence) < seqPos(cur, inp.sequence);
    if (best.preferred) return !cur.preferred;
    if (cur.preferred && !probeInvalid(cur)) return false;
    if (!best.probe || !best.probe.valid) return false;
    if (!cur.probe || !cur.probe.valid) return true;
    var margin = Math.max(s.marginMs, (cur.probe.score * s.marginPct) / 100);
    return best.probe.score + margin < cur.probe.score;
  }

  idleMs(kind: IfKind): number {
    if (kind !== 'cell') return this.s.idleMs;
    if (this.s.cellIdleMs > 0) return this.s.cellIdleMs;
    var budget = this.s.cellBudgetBytesPerHour;
    if (!(budget > 0)) return 0;
    return Math.max(this.s.idleMs, Math.round((3600000 * this.s.pingCostBytes) / budget));
  }

  pingTimeoutMs(kind: IfKind): number {
    return kind === 'cell' ? this.s.pingTimeoutCellMs : this.s.pingTimeoutMs;
  }

  connectTimeoutMs(kind: IfKind): number {
    return kind === 'cell' ? this.s.connectTimeoutCellMs : this.s.connectTimeoutMs;
  }

  damped(downs: number[], now: number): boolean {
    return this.s.flapCount > 0 && countSince(downs, now, this.s.flapWindowMs) >= this.s.flapCount;
  }
}
