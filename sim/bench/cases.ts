/**
 * The benchmark's fixed cases: one scenario each, run by our manager and by the Particle-like baseline
 * on the simulated board (boards/host-sim.ts), same seed, virtual time. Each case returns what it measured.
 */
import { createSimBoard, SimBoard, SimBoardOptions } from '../../boards/host-sim';
import { Scenario } from '../world/scenario';
import { WorldOptions } from '../world/world';
import { Recorder, ProbeRec } from '../demo/recorder';
import { IF_READY } from '../../src/net/types';
import { CLOUD_STATUS_CONNECTED } from '../../src/connection/status';

export type PolicyName = 'ours' | 'baseline';

/** The world of every case: three healthy links, the demo's. */
export var BENCH_WORLD: WorldOptions = {
  ethernet: {},
  wifi: { aps: [{ ssid: 'SimNet', password: 'simnet-pass', rssi: -55 }] },
  cell: { apn: '' },
};

function scenario(name: string, durationMs: number, events: any[], world?: WorldOptions): Scenario {
  return {
    name: name, durationMs: durationMs, world: world || BENCH_WORLD,
    device: { wifi: { ssid: 'SimNet', password: 'simnet-pass' }, cell: { apn: 'internet' } }, events: events,
  };
}

/** A running case. */
export interface CaseRun {
  board: SimBoard;
  rec: Recorder;
}

async function start(policy: PolicyName, sc: Scenario, seed: number, extra?: Partial<SimBoardOptions>): Promise<CaseRun> {
  var board = await createSimBoard(Object.assign({ seed: seed, scenario: sc, policy: policy, play: false, loopIntervalMs: 100 }, extra || {}));
  var rec = new Recorder(board, { verbose: false, maxEvents: 100000 });
  await rec.ready();
  board.play();
  return { board: board, rec: rec };
}

async function finish(r: CaseRun): Promise<void> {
  await r.rec.close();
  await r.board.stop();
}

/** Time from `at` until the session is up on an interface other than `from` (-1: not within the run). */
async function failoverAfter(r: CaseRun, from: string, at: number, maxMs: number): Promise<number> {
  var moved = function () {
    for (var i = 0; i < r.rec.moves.length; i++) {
      var m = r.rec.moves[i];
      if (m.t >= at && m.from === from) return true;
    }
    return false;
  };
  await r.board.runUntil(moved, at + maxMs - r.rec.now());
  for (var i = 0; i < r.rec.moves.length; i++) {
    var m = r.rec.moves[i];
    if (m.t >= at && m.from === from) return Math.round(m.t - at);
  }
  return -1;
}

/** Runs until the cloud session is up over `id` (or any when null); false after `maxMs`. */
function upOn(r: CaseRun, id: string | null, maxMs: number): Promise<boolean> {
  var mgr = r.board.manager;
  return r.board.runUntil(function () {
    var i = mgr.cloudIface();
    return mgr.cloudStatus() === CLOUD_STATUS_CONNECTED && !!i && (id === null || i.id === id);
  }, maxMs);
}

export interface FailoverResult {
  /** ms from the fault to the session up elsewhere; -1 when it did not happen within `limitMs`. */
  ms: number;
  limitMs: number;
  /** Where the session went. */
  to: string | null;
  /** The session was on the expected interface when the fault came. */
  setupOk: boolean;
  /** Fault → session declared lost; then the probe (0: none) and the rest (backoff, connect), ms. */
  detectMs?: number;
  probeMs?: number;
  /** "lost after 2 ms, probe 330 ms, connect 148 ms" */
  breakdown?: string;
}

/** Adds the breakdown of a failover to `res`. */
function explain(r: CaseRun, res: FailoverResult, from: string, at: number): FailoverResult {
  if (res.ms < 0) return res;
  var lost = -1;
  for (var i = 0; i < r.rec.carriers.length; i++) {
    var c = r.rec.carriers[i];
    if (c.id === from && c.to >= at) {
      lost = c.to;
      break;
    }
  }
  if (lost < 0) return res;
  var end = at + res.ms;
  var probe = 0;
  var t0 = -1;
  for (var k = 0; k < r.rec.probes.length; k++) {
    var p = r.rec.probes[k];
    if (p.t >= lost - 1 && p.t <= end) {
      if (t0 < 0) t0 = p.t;
      if (p.t === t0) probe = Math.max(probe, p.durMs);
    }
  }
  res.detectMs = Math.round(lost - at);
  res.probeMs = Math.round(probe);
  res.breakdown = 'lost after ' + res.detectMs + ' ms, ' + (t0 >= 0 ? 'probe ' + res.probeMs + ' ms, ' : 'no probe, ') +
    'backoff and connect ' + Math.max(0, Math.round(end - lost - probe)) + ' ms';
  return res;
}

function landed(r: CaseRun, from: string, at: number): string | null {
  for (var i = 0; i < r.rec.moves.length; i++) if (r.rec.moves[i].t >= at && r.rec.moves[i].from === from) return r.rec.moves[i].to;
  return null;
}

/** Cable pulled on the interface carrying the session (Ethernet), all three up. */
export async function hardFailover(policy: PolicyName, seed: number): Promise<FailoverResult> {
  var at = 60000;
  var r = await start(policy, scenario('bench-hard', 180000, [{ at: at, do: 'link-down', nic: 'eth0' }]), seed);
  await r.board.run(at - 1);
  var ok = onWith(r, 'eth0', ['wl0', 'cell0']);
  var ms = await failoverAfter(r, 'eth0', at, 120000);
  var res = explain(r, { ms: ms, limitMs: 120000, to: landed(r, 'eth0', at), setupOk: ok }, 'eth0', at);
  await finish(r);
  return res;
}

/** The Wi-Fi access point vanishes under the session (no Ethernet on this board), cellular up. */
export async function hardFailoverWifi(policy: PolicyName, seed: number): Promise<FailoverResult> {
  var at = 60000;
  var r = await start(policy, scenario('bench-hard-wifi', 180000, [{ at: at, do: 'ap-down', ssid: 'SimNet' }]), seed, { interfaces: ['wl0', 'cell0'] });
  await r.board.run(at - 1);
  var ok = onWith(r, 'wl0', ['cell0']);
  var ms = await failoverAfter(r, 'wl0', at, 120000);
  var res = explain(r, { ms: ms, limitMs: 120000, to: landed(r, 'wl0', at), setupOk: ok }, 'wl0', at);
  await finish(r);
  return res;
}

/** True when the session is on `id` and the others are ready. */
function onWith(r: CaseRun, id: string, others: string[]): boolean {
  var i = r.board.manager.cloudIface();
  if (!i || i.id !== id || !r.board.manager.connected()) return false;
  for (var k = 0; k < others.length; k++) if (r.board.ifs[others[k]].state() !== IF_READY) return false;
  return true;
}

/**
 * Silent upstream outage under an idle session: carrier and address stay, nothing passes beyond the
 * access network. `nic` eth0 (all three up) or wl0 (Wi-Fi and cellular only).
 */
export async function silentFailover(policy: PolicyName, seed: number, nic: 'eth0' | 'wl0', limitMs: number): Promise<FailoverResult> {
  var at = 60000;
  var ifs: Array<'eth0' | 'wl0' | 'cell0'> = nic === 'eth0' ? ['eth0', 'wl0', 'cell0'] : ['wl0', 'cell0'];
  var r = await start(policy, scenario('bench-silent-' + nic, at + limitMs, [{ at: at, do: 'outage-start', nic: nic }]), seed, { interfaces: ifs });
  await r.board.run(at - 1);
  var ok = onWith(r, nic, ifs.filter(function (x) { return x !== nic; }));
  var ms = await failoverAfter(r, nic, at, limitMs);
  var res = explain(r, { ms: ms, limitMs: limitMs, to: landed(r, nic, at), setupOk: ok }, nic, at);
  await finish(r);
  return res;
}

/**
 * Silent outage on cellular: the sketch prefers Cellular; Wi-Fi (the only other interface) joins later, so
 * the session sits on cellular when the outage starts at 120 s.
 */
export async function silentFailoverCell(policy: PolicyName, seed: number, limitMs: number): Promise<FailoverResult> {
  var at = 120000;
  var sc = scenario('bench-silent-cell', at + limitMs, [
    { at: 0, do: 'ap-down', ssid: 'SimNet' },
    { at: 60000, do: 'ap-up', ssid: 'SimNet' },
    { at: at, do: 'outage-start', nic: 'cell0' },
  ]);
  var r = await start(policy, sc, seed, {
    interfaces: ['wl0', 'cell0'],
    sketch: function (api) {
      return { setup: function () { api.Cellular.prefer(); } };
    },
  });
  await r.board.run(at - 1);
  var ok = onWith(r, 'cell0', ['wl0']);
  var ms = await failoverAfter(r, 'cell0', at, limitMs);
  var res = explain(r, { ms: ms, limitMs: limitMs, to: landed(r, 'cell0', at), setupOk: ok }, 'cell0', at);
  await finish(r);
  return res;
}

export interface ProbeFigures {
  /** Bytes one evaluation cost per interface (largest seen), IP and UDP headers included. */
  bytesPerInterface: number;
  /** Duration of one evaluation (longest seen), ms. */
  evaluationMs: number;
  evaluations: number;
  /** Whether the probe stalled the sketch's loop() (the baseline's is blocking). */
  blocking: boolean;
  /** Mean RTT measured per interface in the first evaluation. */
  rtt: { [id: string]: number };
}

/** The broker goes away for 20 s while all three links are up: both policies probe every interface. */
export async function probeCost(policy: PolicyName, seed: number): Promise<ProbeFigures> {
  var r = await start(policy, scenario('bench-probe', 180000, [{ at: 60000, do: 'broker-restart', downMs: 20000 }]), seed);
  await r.board.run(180000);
  var ps = r.rec.probes.filter(function (p) { return p.t >= 60000; });
  var byT: { [t: string]: ProbeRec[] } = {};
  var bytes = 0;
  for (var i = 0; i < ps.length; i++) {
    (byT[ps[i].t] = byT[ps[i].t] || []).push(ps[i]);
    if (ps[i].method === 'udp') bytes = Math.max(bytes, ps[i].bytes);
  }
  var evMs = 0;
  var keys = Object.keys(byT);
  for (var k = 0; k < keys.length; k++) {
    var d = 0;
    for (var j = 0; j < byT[keys[k]].length; j++) d = Math.max(d, byT[keys[k]][j].durMs);
    evMs = Math.max(evMs, d);
  }
  var rtt: { [id: string]: number } = {};
  var first = keys.length ? byT[keys[0]] : [];
  for (var f = 0; f < first.length; f++) rtt[first[f].id] = Math.round(first[f].rtt);
  var blocking = !!r.board.manager.policy.s.probeBlocking;
  await finish(r);
  return { bytesPerInterface: bytes, evaluationMs: Math.round(evMs), evaluations: keys.length, blocking: blocking, rtt: rtt };
}

export interface IdleCellFigures {
  /** Bytes on the cellular link (both ways, IP headers included) in one idle hour. */
  bytesPerHour: number;
  /** Liveness pings sent in that hour. */
  pings: number;
  /** Longest a silent outage can stay unnoticed on cellular by construction: idle interval + ping timeout. */
  detectionBoundMs: number;
}

/** A cellular-only board with an idle session for one hour (after it is up and settled). */
export async function idleCell(policy: PolicyName, seed: number, hourMs: number): Promise<IdleCellFigures> {
  var r = await start(policy, scenario('bench-idle-cell', 120000 + hourMs, []), seed, { interfaces: ['cell0'] });
  await upOn(r, 'cell0', 120000);
  await r.board.run(120000 - r.rec.now());
  var link = r.board.world.link('cell0');
  var s0 = link.stats();
  var p0 = r.rec.pings.length;
  await r.board.run(hourMs);
  var s1 = link.stats();
  var pol = r.board.manager.policy;
  var res: IdleCellFigures = {
    bytesPerHour: Math.round(((s1.txBytes - s0.txBytes + s1.rxBytes - s0.rxBytes) * 3600000) / hourMs),
    pings: r.rec.pings.length - p0,
    detectionBoundMs: pol.idleMs('cell') + pol.pingTimeoutMs('cell'),
  };
  await finish(r);
  return res;
}

export interface BootFigures {
  /** Boot to the session up, ms. */
  bootToCloudMs: number;
  /** Boot to the first interface ready, ms. */
  firstReadyMs: number;
  /** The difference: what the manager added on top of the fastest interface. */
  overheadMs: number;
  firstReady: string;
  cloudOn: string;
}

/** Boot with all three links healthy (or with the Ethernet cable out). */
export async function boot(policy: PolicyName, seed: number, ethUnplugged: boolean): Promise<BootFigures> {
  var ev = ethUnplugged ? [{ at: 0, do: 'link-down', nic: 'eth0' }] : [];
  var r = await start(policy, scenario('bench-boot', 120000, ev), seed);
  var first = -1;
  var firstId = '';
  var mgr = r.board.manager;
  var onIf = function (d: any) {
    if (first < 0 && d.state === IF_READY) {
      first = r.rec.now();
      firstId = d.id;
    }
  };
  mgr.events.on('interface_status', onIf);
  await upOn(r, null, 120000);
  mgr.events.off('interface_status', onIf);
  var up = r.rec.carriers.length ? r.rec.carriers[0].from : -1;
  var res: BootFigures = {
    bootToCloudMs: Math.round(up), firstReadyMs: Math.round(first), overheadMs: Math.round(up - first), firstReady: firstId,
    cloudOn: r.rec.carriers.length ? r.rec.carriers[0].id : '',
  };
  await finish(r);
  return res;
}

/** Wall time of one virtual hour: three links, the broker, the demo sketch publishing every 5 s. */
export async function worldHour(seed: number, hourMs: number, sketch: string): Promise<{ wallMs: number; published: number; delivered: number }> {
  var r = await start('ours', scenario('bench-world-hour', hourMs, []), seed, { sketch: sketch, loopIntervalMs: 10 });
  var t = Date.now();
  await r.board.run(hourMs);
  var wall = Date.now() - t;
  var n = r.rec.counts();
  await finish(r);
  return { wallMs: Math.round((wall * 3600000) / hourMs), published: n.published, delivered: n.delivered };
}
