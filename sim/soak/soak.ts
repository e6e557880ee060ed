/**
 * The soak: the whole simulated board (boards/host-sim.ts createSimBoard) under random faults in virtual
 * time (faults.ts) while a sketch publishes QoS 1 with sequence numbers, then a healed drain period.
 * Reports crashes (exceptions escaping, listeners throwing), lost and duplicated messages, the largest
 * queues, the largest memory footprint of the device's buffers, moves per interface, and what the
 * credential scan found.
 */
import { createSimBoard, SimBoard } from '../../boards/host-sim';
import { Emitter } from '../../src/util/emitter';
import { FaultInjector } from './faults';
import { SecretScanner } from './secrets';
import { installTlsPort, useTlsSession, TlsPortStats } from './tls-sim';
import { WIFI_CRED_FILE } from '../../src/drivers/wifi/credentials';

export interface SoakOptions {
  faults: number;
  seed: number;
  /** Mean gap between fault starts, ms of virtual time (default 20000). */
  meanGapMs?: number;
  /** Publish period of the sketch, ms (default 10000). */
  periodMs?: number;
  /** Longest healed drain after the last fault, ms (default 1 800 000). */
  drainMs?: number;
  /** Scan events, logs, metrics and Storage for the passwords (default true). */
  scan?: boolean;
  /** requireTls + the broker's TLS port: the cloud only over TLS (Wi-Fi, cellular). */
  tls?: boolean;
  /** Only these fault kinds. */
  kinds?: string[];
  /** Progress lines (every ~10 % of the faults). */
  progress?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  faults: number;
  faultKinds: { [kind: string]: number };
  virtualHours: number;
  wallSeconds: number;
  /** QoS 1 publishes the sketch made, accepted (sent or queued) and refused (outbox full, too big). */
  published: number;
  refused: number;
  /** Distinct sequence numbers the broker received, and how many arrived more than once. */
  delivered: number;
  lost: number;
  lostSeqs: number[];
  duplicates: number;
  /** Messages the outbox dropped by its policy (reported through its "drop" event). */
  outboxDropped: number;
  crashes: number;
  crashSamples: string[];
  maxOutbox: number;
  maxOutboxBytes: number;
  maxInFlight: number;
  maxAtPending: number;
  maxSocketQueueBytes: number;
  maxFootprintBytes: number;
  maxFootprint: { [part: string]: number };
  moves: { [iface: string]: number };
  totalMoves: number;
  /** Fraction of the virtual time the cloud session was up. */
  cloudUp: number;
  /**
   * Cloud down although the world had been healthy (no fault active, none started or healed) for
   * `QUIET_MS`: total and longest stretch, ms. Long stretches mean a stuck state, not a fault.
   */
  downWhileQuietMs: number;
  /** Virtual time the world was quiet in that sense, ms. */
  quietMs: number;
  /**
   * Per interface, the longest stretch it was not ready, ms. Faults last at most a few minutes: a stretch
   * of hours means an interface that never came back (what found the no_hardware and hung-modem bugs).
   */
  longestNotReadyMs: { [iface: string]: number };
  longestDownWhileQuietMs: number;
  secretHits: string[];
  tls: TlsPortStats | null;
  /** Device connections to the broker's plain (non-TLS) port. */
  plainConnects: number;
  /** The board stayed consistent at the end: session up, outbox empty. */
  healthyAtEnd: boolean;
  /**
   * The simulation stopped advancing (a slice of virtual time took longer than STALL_MS of wall time): the
   * run was cut short there; the text says when, with the last world events.
   */
  stall: string;
}

/** The passwords the soak provisions (and the scan looks for). */
/** Wall time one 5 s slice of virtual time may take before the run counts as stalled. */
export var STALL_MS = 60000;

/** How long after the last fault change the board is expected to be back. */
export var QUIET_MS = 120000;

export var SOAK_SECRETS = { wifi: 'Soak-wifi-pw-1e4a', apn: 'Soak-apn-pw-73bd', mqtt: 'Soak-mqtt-pw-c5f0' };

function soakScenario(): any {
  return {
    name: 'soak', durationMs: 1e12, events: [],
    world: {
      log: { max: 5000 },
      ethernet: { lan: { dhcp: { leaseMs: 120000 } } },
      wifi: { aps: [{ ssid: 'SoakNet', password: SOAK_SECRETS.wifi, rssi: -60 }], lans: { wifi: { dhcp: { leaseMs: 120000 } } } },
      cell: { apn: 'internet', user: 'soak', password: SOAK_SECRETS.apn },
      cloud: { broker: { username: 'soak', password: SOAK_SECRETS.mqtt } },
    },
    device: { wifi: { ssid: 'SoakNet', password: SOAK_SECRETS.wifi }, cell: { apn: 'internet' } },
  };
}

/** JS engine errors (a bug), as opposed to the Error objects drivers emit to report faults. */
function isBug(e: any): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
}

/** Bytes the device holds in its buffers and queues now, by part. */
function footprint(b: SimBoard): { [part: string]: number } {
  var s: any = b.session;
  var ob = s._ob;
  var cl = s._cl;
  var win = 0;
  for (var i = 0; i < cl._win.length; i++) win += cl._win[i].t.length + cl._win[i].p.length;
  var out: { [part: string]: number } = {
    outbox: ob.bytes(),
    mqttBacklog: cl._q.length,
    mqttDecoder: cl._dec.held(),
    mqttWindow: win,
  };
  var cell: any = b.ifs.cell0;
  if (cell) {
    var at = cell.modem.at;
    var atq = at._buf.length;
    for (i = 0; i < at._q.length; i++) atq += at._q[i].c.length + (at._q[i].d ? at._q[i].d.length : 0);
    out.atEngine = atq;
    var tx = 0;
    for (i = 0; i < cell._socks.length; i++) {
      var cs = cell._socks[i];
      if (cs) tx += cs.tx.length + cs.dq.join('').length;
    }
    out.cellSockets = tx;
  }
  var eth: any = b.ifs.eth0;
  if (eth) {
    var q = 0;
    for (i = 0; i < eth._s.length; i++) {
      var es = eth._s[i];
      if (es && es._qn !== undefined) q += es._qn;
      if (es && es._qd) q += es._qd.join('').length;
    }
    out.ethSockets = q;
  }
  out.managerState = JSON.stringify(b.manager.metrics()).length;
  var st: any = b.storage;
  out.storage = typeof st.used === 'function' ? st.used() : 0;
  return out;
}

/**
 * The board does not hand APN credentials to its Sim7600Interface yet (createSimBoard passes only the
 * APN): give them to the interface before it first configures the PDP context.
 */
export function giveApnCredentials(b: SimBoard, user: string, password: string): void {
  var c: any = b.ifs.cell0;
  if (c && !c._pw) {
    c._user = user;
    c._pw = password;
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  var t0 = Date.now();
  var period = o.periodMs || 10000;
  var crashes: string[] = [];
  var nCrash = 0;
  var crash = function (what: string, e: any) {
    nCrash++;
    if (crashes.length < 10) crashes.push(what + ': ' + (e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : String(e)));
  };
  // Every listener that throws is caught by Emitter and re-emitted as "error": a bug when it is a JS error.
  var proto: any = Emitter.prototype;
  var emit0 = proto.emit;
  proto.emit = function (event: string, a?: any, b?: any, c?: any) {
    if (event === 'error' && isBug(a)) crash('listener threw', a);
    return emit0.call(this, event, a, b, c);
  };
  var scan = o.scan === false ? null : new SecretScanner(SOAK_SECRETS);
  if (scan) scan.hookEmitters();
  var onUncaught = function (e: any) {
    crash('uncaught', e);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  var seq = 0;
  var accepted: number[] = [];
  var refused = 0;
  var board: SimBoard | null = null;
  var tlsStats: TlsPortStats | null = null;
  try {
    var b = (board = await createSimBoard({
      seed: o.seed,
      scenario: soakScenario(),
      loopIntervalMs: 1000,
      settings: o.tls ? { requireTls: true } : undefined,
      session: { username: 'soak', password: SOAK_SECRETS.mqtt, outbox: { maxCount: 256, maxBytes: 16384 } },
      sketch: function (api: any) {
        var last = -1e12;
        return {
          loop: function () {
            var now = api.System.millis();
            if (now - last < period) return;
            last = now;
            var n = seq++;
            try {
              if (api.Particle.publish('seq', '' + n, { qos: 1 })) accepted.push(n);
              else refused++;
            } catch (e) {
              crash('publish threw', e);
            }
          },
        };
      },
    }));
    giveApnCredentials(b, 'soak', SOAK_SECRETS.apn);
    if (o.tls) {
      tlsStats = installTlsPort(b.world);
      useTlsSession(b.session, b.world.cloud.name);
    }
    var world: any = b.world;
    var plain = 0;
    var plainTag = '>' + world.cloud.ip + ':' + world.cloud.broker.port + ' connect';
    var add0 = world.log.add;
    world.log.add = function (kind: string, text: string) {
      if (kind === 'tcp' && text.indexOf(plainTag) >= 0) plain++;
      return add0.call(world.log, kind, text);
    };
    var topic = 'd/' + b.deviceId + '/e/seq';
    var got: { [n: number]: number } = {};
    var dups = 0;
    world.cloud.broker.aedes.on('publish', function (p: any, client: any) {
      if (!client || p.topic !== topic) return;
      var n = +p.payload.toString();
      if (got[n]) dups++;
      got[n] = (got[n] || 0) + 1;
    });
    var dropped = 0;
    b.session.events.on('drop', function (total: number) {
      dropped = total;
    });
    var moves: { [id: string]: number } = {};
    var nMoves = 0;
    b.manager.events.on('cloud_interface_changed', function (d: any) {
      moves[d.to] = (moves[d.to] || 0) + 1;
      nMoves++;
    });
    var inj = new FaultInjector({ world: world, w5500: b.w5500, sim7600: b.sim7600 }, o.seed, { count: o.faults, meanGapMs: o.meanGapMs, kinds: o.kinds });
    var max = { outbox: 0, outboxBytes: 0, inFlight: 0, at: 0, sock: 0, foot: 0 };
    var maxParts: { [p: string]: number } = {};
    var upMs = 0;
    var quietDown = 0;
    var quietRun = 0;
    var quietLongest = 0;
    var quietAll = 0;
    var nrRun: { [id: string]: number } = {};
    var nrMax: { [id: string]: number } = {};
    var sample = function () {
      var st = b.session.stats();
      if (st.queued > max.outbox) max.outbox = st.queued;
      if (st.queuedBytes > max.outboxBytes) max.outboxBytes = st.queuedBytes;
      if (st.inFlight > max.inFlight) max.inFlight = st.inFlight;
      var cell: any = b.ifs.cell0;
      if (cell && cell.modem.at.pending() > max.at) max.at = cell.modem.at.pending();
      var f = footprint(b);
      var total = 0;
      for (var k in f) {
        total += f[k];
        if (!(f[k] <= (maxParts[k] || 0))) maxParts[k] = f[k];
      }
      var sq = (f.cellSockets || 0) + (f.ethSockets || 0);
      if (sq > max.sock) max.sock = sq;
      if (total > max.foot) max.foot = total;
    };
    var stall = '';
    var step = async function (ms: number) {
      var end = b.clock.now() + ms;
      while (b.clock.now() < end && !stall) {
        var timer: any = null;
        try {
          var timedOut = await Promise.race([
            b.run(end - b.clock.now()).then(function () { return false; }),
            new Promise<boolean>(function (res) { timer = setTimeout(function () { res(true); }, STALL_MS); }),
          ]);
          if (timedOut) stall = 'no progress at ' + (b.clock.now() / 1000).toFixed(1) + ' s virtual; last events: ' + world.events().slice(-8).join(' | ');
        } catch (e) {
          crash('timer threw', e);
        } finally {
          clearTimeout(timer);
        }
      }
    };
    // Let the board come up before the first fault.
    await step(60000);
    var tStart = b.clock.now();
    inj.start();
    var lastReport = 0;
    var SLICE = 5000;
    while (!inj.done() && !stall) {
      await step(SLICE);
      if (b.session.connected()) upMs += SLICE;
      if (inj.quietFor(QUIET_MS)) quietAll += SLICE;
      for (var id in b.ifs) {
        nrRun[id] = b.ifs[id].state() === 4 ? 0 : (nrRun[id] || 0) + SLICE;
        if (!(nrRun[id] <= (nrMax[id] || 0))) nrMax[id] = nrRun[id];
      }
      if (!b.session.connected() && inj.quietFor(QUIET_MS)) {
        quietDown += SLICE;
        quietRun += SLICE;
        if (quietRun > quietLongest) quietLongest = quietRun;
      } else quietRun = 0;
      sample();
      if (o.progress && inj.injected - lastReport >= Math.max(1, Math.floor(o.faults / 10))) {
        lastReport = inj.injected;
        o.progress('  ' + inj.injected + '/' + o.faults + ' faults, ' + ((b.clock.now() - tStart) / 3600000).toFixed(1) + ' h virtual, ' +
          accepted.length + ' published, outbox ' + b.session.stats().queued + ', ' + nMoves + ' moves, ' + ((Date.now() - t0) / 1000).toFixed(0) + ' s wall; ' +
          b.manager.metrics().ifs.map(function (f) { return f.id + ' ' + f.state + (f.reason !== 'none' ? '(' + f.reason + ')' : ''); }).join(', '));
      }
    }
    var faultEnd = b.clock.now();
    // Healed: everything must drain.
    var drainEnd = b.clock.now() + (o.drainMs || 1800000);
    while (b.clock.now() < drainEnd && !stall) {
      await step(SLICE);
      sample();
      if (b.session.connected() && b.session.stats().queued === 0 && b.session.stats().inFlight === 0 && b.clock.now() - faultEnd > 2 * period) break;
    }
    var healthy = b.session.connected() && b.session.stats().queued === 0;
    if (scan) {
      scan.scanText('device log', b.log.lines.join('\n'));
      scan.scanValue('metrics', b.manager.metrics());
      scan.scanValue('session stats', b.session.stats());
      scan.scanText('why', b.manager.why());
      scan.scanStorage(b.storage, { wifi: [WIFI_CRED_FILE] });
    }
    var lostSeqs: number[] = [];
    var delivered = 0;
    for (var i = 0; i < accepted.length; i++) {
      if (got[accepted[i]]) delivered++;
      else lostSeqs.push(accepted[i]);
    }
    var report: SoakReport = {
      seed: o.seed, faults: inj.injected, faultKinds: inj.counts,
      virtualHours: +((b.clock.now() - tStart) / 3600000).toFixed(2),
      wallSeconds: +((Date.now() - t0) / 1000).toFixed(1),
      published: accepted.length, refused: refused, delivered: delivered, lost: lostSeqs.length - Math.min(lostSeqs.length, dropped),
      lostSeqs: lostSeqs.slice(0, 20), duplicates: dups, outboxDropped: dropped,
      crashes: nCrash, crashSamples: crashes,
      maxOutbox: max.outbox, maxOutboxBytes: max.outboxBytes, maxInFlight: max.inFlight, maxAtPending: max.at,
      maxSocketQueueBytes: max.sock, maxFootprintBytes: max.foot, maxFootprint: maxParts,
      moves: moves, totalMoves: nMoves, cloudUp: +(upMs / Math.max(1, faultEnd - tStart)).toFixed(3),
      downWhileQuietMs: quietDown, longestDownWhileQuietMs: quietLongest, quietMs: quietAll, longestNotReadyMs: nrMax,
      secretHits: scan ? scan.hits.slice() : [], tls: tlsStats, plainConnects: plain, healthyAtEnd: healthy, stall: stall,
    };
    return report;
  } finally {
    proto.emit = emit0;
    if (scan) scan.unhook();
    process.removeListener('uncaughtException', onUncaught);
    process.removeListener('unhandledRejection', onUncaught);
    if (board) await board.stop();
  }
}

/** The report as text. */
export function formatReport(r: SoakReport): string {
  var kinds = Object.keys(r.faultKinds).sort().map(function (k) { return k + ' ' + r.faultKinds[k]; }).join(', ');
  var moves = Object.keys(r.moves).sort().map(function (k) { return k + ' ' + r.moves[k]; }).join(', ');
  var parts = Object.keys(r.maxFootprint).sort().map(function (k) { return k + ' ' + r.maxFootprint[k]; }).join(', ');
  return [
    'soak seed ' + r.seed + ': ' + r.faults + ' faults in ' + r.virtualHours + ' h virtual, ' + r.wallSeconds + ' s wall',
    '  faults:     ' + kinds,
    '  crashes:    ' + r.crashes + (r.crashSamples.length ? '\n    ' + r.crashSamples.join('\n    ') : ''),
    '  QoS 1:      ' + r.published + ' published, ' + r.delivered + ' delivered, ' + r.lost + ' lost' +
      (r.lostSeqs.length ? ' (e.g. ' + r.lostSeqs.join(',') + ')' : '') + ', ' + r.duplicates + ' duplicates, ' +
      r.outboxDropped + ' dropped by the outbox policy, ' + r.refused + ' refused',
    '  queues:     outbox max ' + r.maxOutbox + ' msgs / ' + r.maxOutboxBytes + ' B, in flight max ' + r.maxInFlight +
      ', AT engine max ' + r.maxAtPending + ', socket send queues max ' + r.maxSocketQueueBytes + ' B',
    '  footprint:  max ' + r.maxFootprintBytes + ' B of buffers and state (' + parts + ')',
    '  moves:      ' + r.totalMoves + ' (' + moves + '), cloud up ' + Math.round(r.cloudUp * 100) + '% of the time; down ' +
      Math.round(r.downWhileQuietMs / 1000) + ' s (longest ' + Math.round(r.longestDownWhileQuietMs / 1000) + ' s) of ' + Math.round(r.quietMs / 1000) +
      ' s with no fault change for ' + QUIET_MS / 1000 + ' s',
    '  not ready:  longest ' + Object.keys(r.longestNotReadyMs).sort().map(function (k) { return k + ' ' + Math.round(r.longestNotReadyMs[k] / 1000) + ' s'; }).join(', '),
    '  secrets:    ' + (r.secretHits.length ? r.secretHits.join('; ') : 'none found in logs, events, metrics, foreign Storage keys'),
    r.tls ? '  TLS:        ' + r.tls.handshakes + ' handshakes, ' + r.tls.failed + ' failed; ' + r.plainConnects + ' connections to the plain MQTT port' : '',
    '  at the end: ' + (r.healthyAtEnd ? 'cloud up, outbox empty' : 'NOT healthy'),
    r.stall ? '  STALLED:    ' + r.stall : '',
  ].filter(function (l) { return l; }).join('\n');
}
