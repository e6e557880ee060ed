import { ProbeResult } from './probe';
import { B_FORCED, B_SEQUENCE, B_PREFERRED, B_SCORE, B_DEFAULT } from './policy';

/** One change of the interface carrying the cloud session. */
export interface Move {
  /** Clock time the new session came up. */
  t: number;
  /** Previous interface id, null for the first session. */
  from: string | null;
  to: string;
  /** Short code: boot, connect, if_down, cloud_lost, liveness, connect_failed, fail_back, reselect, forced. */
  reason: string;
  /** Human text of the cause, e.g. "eth0 failed (no_link)". */
  cause: string;
  /** Clock time of the cause. */
  causeT: number;
}

/** One selection: why the head of the order was attempted. */
export interface Evaluation {
  t: number;
  /** B_* basis. */
  basis: number;
  /** Candidate ids in order. */
  order: string[];
  /** Probe results of this evaluation (empty when no probe ran). */
  probes: ProbeResult[];
  /** The failover sequence, when that was the basis. */
  seq: string[];
}

/** Bounded history kept by the manager. */
export const MOVES_MAX = 16;

/** "61.2 s" */
export function fmtS(ms: number): string {
  return (ms / 1000).toFixed(1) + ' s';
}

/** "32 ms / 0% loss" (or "tcp connect 40 ms", "no echo", "cut"). */
export function fmtProbe(p: ProbeResult): string {
  // A cut result was ended early because it could no longer win: say so rather than "no echo".
  if (p.cut) return p.valid ? '>= ' + Math.round(p.rtt) + ' ms (cut)' : 'cut';
  if (!p.valid) return 'no echo';
  var s = Math.round(p.rtt) + ' ms';
  if (p.method === 2) return 'tcp connect ' + s;
  return s + ' / ' + Math.round(p.loss * 100) + '% loss';
}

function findProbe(e: Evaluation, id: string): ProbeResult | null {
  for (var i = 0; i < e.probes.length; i++) if (e.probes[i].id === id) return e.probes[i];
  return null;
}

/** The "why" part of an evaluation, e.g. "probe wl0 32 ms / 0% loss beat cell0 120 ms / 0% loss". */
export function explainEvaluation(e: Evaluation, chosen: string): string {
  if (e.basis === B_FORCED) return 'forced by Particle.connect(' + chosen + ')';
  if (e.basis === B_SEQUENCE) return 'failover sequence ' + e.seq.join(', ');
  var others: string[] = [];
  for (var i = 0; i < e.order.length; i++) {
    var id = e.order[i];
    if (id === chosen) continue;
    var p = findProbe(e, id);
    if (p) others.push(id + ' ' + fmtProbe(p));
  }
  var mine = findProbe(e, chosen);
  if (e.basis === B_PREFERRED) return chosen + ' is preferred' + (mine ? ' (probe ' + fmtProbe(mine) + ')' : '');
  if (e.basis === B_SCORE && mine) {
    var tie = false;
    for (var j = 0; j < e.probes.length; j++) if (e.probes[j].id !== chosen && e.probes[j].score === mine.score) tie = true;
    return 'probe ' + chosen + ' ' + fmtProbe(mine) + (others.length ? ' beat ' + others.join(', ') : '') + (tie ? ' (tie: default order)' : '');
  }
  if (e.basis === B_DEFAULT) return e.order.length > 1 ? 'first ready in the default order' : 'the only ready interface';
  return 'selected';
}
