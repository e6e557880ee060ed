import { IfKind } from '../net/types';
import { particleBackoffMs } from './backoff';
import {
  Policy, PolicyIf, PolicyInput, PolicySettings, DEFAULT_SETTINGS, mergeSettings, rankCandidates, basisOf, idsOf
} from './policy';

/**
 * The Particle-like baseline of shared/BASELINE.md (Device OS 6.2), for the benchmark. It plugs into the
 * same ConnectionManager as our policy; only decisions and knobs differ:
 * - selection: Ethernet → Wi-Fi → cellular, first up wins (no grace window); the preferred interface wins if
 *   its last probe was not invalid; otherwise strict lowest score (no margin, dwell or flap damping);
 *   no failover sequence (Particle has none);
 * - the probe: 10 UDP packets, one every 250 ms, random 1–511 bytes after a 13-byte header, until all are
 *   answered or 5 s; blocking (the runner stalls loop() meanwhile); no TCP fallback;
 * - re-selection after every failed connect (the same interface may win again) and on every interface event
 *   while connected (moves to any strictly better score, break-before-make); not after a loss: the first
 *   reconnect uses the stale scores;
 * - connect backoff before attempt n: 1 s × 2^min(7, ⌊(n−1)/5⌋), no jitter, reset on success;
 * - a connect attempt is given up after 45 s (DTLS handshake retries 3 + 6 + 12 + 24 s);
 * - keepalive ping after 25 s idle (Ethernet/Wi-Fi) or 23 min (cellular), 30 s answer timeout;
 * - a preferred interface that is up but not in use is re-checked every 5 minutes;
 * - after 5 minutes of continuous failure every interface is reset.
 * Where the cloud layer reports a failed connect sooner than 45 s, the baseline sees it sooner too: the
 * comparison errs in the baseline's favour.
 */
export var BASELINE_SETTINGS: PolicySettings = mergeSettings(DEFAULT_SETTINGS, {
  graceMs: 0,
  probe: { count: 10, intervalMs: 250, waitMs: 5000, budgetMs: 5000, size: 13, randomMax: 511, tcpFallback: false, exhaustive: true },
  probeOnLoss: false,
  probeBlocking: true,
  excludeFailed: false,
  connectTimeoutMs: 45000,
  connectTimeoutCellMs: 45000,
  jitter: 0,
  stableMs: 0,
  idleMs: 25000,
  pingTimeoutMs: 30000,
  cellIdleMs: 23 * 60000,
  pingTimeoutCellMs: 30000,
  failBack: false,
  minDwellMs: 0,
  marginMs: 0,
  marginPct: 0,
  flapCount: 0,
  reselectOnEvent: true,
  recheckPreferredMs: 300000,
  resetAfterMs: 300000,
  eventCutsBackoff: false,
  makeBeforeBreak: false,
  useSequence: false
});

export class BaselinePolicy implements Policy {
  readonly name: string = 'particle-baseline';
  readonly s: PolicySettings;

  constructor(over?: any) {
    this.s = mergeSettings(BASELINE_SETTINGS, over);
  }

  order(inp: PolicyInput): string[] {
    return idsOf(rankCandidates(inp, false, false));
  }

  basis(inp: PolicyInput): number {
    return basisOf(inp, rankCandidates(inp, false, false)[0], false);
  }

  /** Attempt 1 after a success waits 1 s. */
  lossDelayMs(fails: number, rounds: number, rnd: () => number): number {
    return particleBackoffMs(fails + 1);
  }

  failDelayMs(fails: number, rounds: number, endOfRound: boolean, rnd: () => number): number {
    return particleBackoffMs(fails + 1);
  }

  /** Strictly better wins at once: no dwell, no margin. */
  shouldMove(inp: PolicyInput, best: PolicyIf, cur: PolicyIf, lastMoveAt: number): boolean {
    return best.id !== cur.id && best.ready && inp.forced === null;
  }

  idleMs(kind: IfKind): number {
    return kind === 'cell' ? this.s.cellIdleMs : this.s.idleMs;
  }

  pingTimeoutMs(kind: IfKind): number {
    return kind === 'cell' ? this.s.pingTimeoutCellMs : this.s.pingTimeoutMs;
  }

  connectTimeoutMs(kind: IfKind): number {
    return kind === 'cell' ? this.s.connectTimeoutCellMs : this.s.connectTimeoutMs;
  }

  damped(downs: number[], now: number): boolean {
    return false;
  }
}
