/**
 * Records what a simulated board does, for the dashboard, the headless log, the timeline picture and the
 * benchmark: interface states, cloud status, moves of the session, probes, liveness pings, publishes
 * (and their PUBACKs), scenario events, and, independently of the device, what the broker delivered to a
 * subscriber of the device's events.
 *
 * Times are milliseconds since the board started. Everything comes from events on the board's clock, so
 * the same seed gives the same record.
 */
import * as mqtt from 'mqtt';
import { SimBoard } from '../../boards/host-sim';
import { IF_STATES, REASONS, R_NONE } from '../../src/net/types';
import { CLOUD_STATUS_CONNECTED } from '../../src/connection/status';
import { ProbeResult, PROBE_METHODS } from '../../src/connection/probe';
import { PUB_RESULTS } from '../../src/cloud/cloud-session';
import { nameAt } from '../../src/util/names';

/** One line of the event log. */
export interface RecEvent {
  t: number;
  /** scenario, if, cloud, move, probe, ping, pub, sketch */
  kind: string;
  text: string;
}

/** One QoS 1 publish of the sketch. */
export interface PubRec {
  t: number;
  name: string;
  data: string;
  /** PUBACK time (-1: not yet). */
  ackT: number;
  /** First delivery to the outside subscriber (-1: not yet). */
  deliveredT: number;
  /** Deliveries beyond the first (MQTT's at-least-once). */
  dups: number;
  /** The interface that carried the session when it was published (null: offline). */
  via: string | null;
}

/** A stretch of time during which one interface carried the cloud session. */
export interface CarrierSpan {
  id: string;
  from: number;
  /** -1 while it lasts. */
  to: number;
}

/** A stretch of time during which something in the world was broken (from the scenario). */
export interface OutageSpan {
  /** NIC, AP or service it hit (eth0, wl0, cell0, broker, dns…). */
  target: string;
  /** "link down", "silent upstream", "ap down"… */
  what: string;
  from: number;
  /** -1: until the end. */
  to: number;
}

/** An interface's lifecycle state from `from` on (IF_* number). */
export interface StateSpan {
  id: string;
  state: number;
  reason: number;
  from: number;
  /** -1 while it lasts. */
  to: number;
}

export interface ProbeRec {
  t: number;
  id: string;
  valid: boolean;
  method: string;
  rtt: number;
  loss: number;
  bytes: number;
  durMs: number;
}

export interface PingRec {
  t: number;
  /** Answer time; -1 when unanswered. */
  doneT: number;
  ok: boolean;
  via: string | null;
}

export interface MoveRec {
  t: number;
  from: string | null;
  to: string;
  reason: string;
  cause: string;
  causeT: number;
  /** The scenario event this move answers (the latest one touching `from`; for a fail-back, `to`), or null. */
  trigger: { t: number; text: string } | null;
}

export interface RecorderOptions {
  /** Most lines kept in `events` (default 5000, oldest dropped). */
  maxEvents?: number;
  /** Also log every probe packet result and ping (default true). */
  verbose?: boolean;
  /** "mqtt://host:port" of an outside broker to count deliveries on (default: the embedded aedes). */
  cloudUrl?: string;
}

/** Formats ms as "  60.412". */
export function fmtT(ms: number): string {
  var s = (ms / 1000).toFixed(3);
  while (s.length < 8) s = ' ' + s;
  return s;
}

/** Scenario event → the outage it opens or closes. */
var OUTAGE_OPEN: { [d: string]: string } = {
  'link-down': 'link down', 'outage-start': 'silent upstream', 'ap-down': 'AP down', 'broker-stop': 'broker down',
  'dns-silent': 'DNS silent', 'echo-silent': 'echo silent', 'cell-deny': 'registration denied',
  'cell-searching': 'no coverage', 'dhcp-silent': 'DHCP silent',
};
var OUTAGE_CLOSE: { [d: string]: string } = {
  'link-up': 'link down', 'outage-end': 'silent upstream', 'ap-up': 'AP down', 'broker-start': 'broker down',
  'cell-register': 'no coverage',
};

/** Watches one board. */
export class Recorder {
  readonly board: SimBoard;
  readonly events: RecEvent[] = [];
  readonly pubs: PubRec[] = [];
  readonly carriers: CarrierSpan[] = [];
  readonly outages: OutageSpan[] = [];
  /** Lifecycle of every interface, from the board's start. */
  readonly states: StateSpan[] = [];
  readonly probes: ProbeRec[] = [];
  readonly pings: PingRec[] = [];
  readonly moves: MoveRec[] = [];
  /** Deliveries seen by the outside subscriber that match no publish (should stay 0). */
  strays = 0;
  /** Events ever added (the window `events` keeps the last `maxEvents`). */
  total = 0;
  /** Set: new publishes of the sketch are refused (the demo's drain phase at the end). */
  draining = false;
  /** Publishes refused while draining. */
  refused = 0;
  private _o: RecorderOptions;
  private _byKey: { [k: string]: PubRec } = {};
  private _sub: mqtt.MqttClient | null = null;
  private _aedesFn: ((p: any, cb: () => void) => void) | null = null;
  private _topic: string;
  private _listeners: Array<() => void> = [];
  private _lastScenario: Array<{ t: number; text: string; nic: string }> = [];
  private _ready: Promise<void>;

  constructor(board: SimBoard, opts?: RecorderOptions) {
    this.board = board;
    this._o = opts || {};
    this._topic = 'd/' + board.deviceId + '/e/';
    var self = this;
    var mgr = board.manager;
    var ifl = mgr.interfaces();
    for (var q = 0; q < ifl.length; q++) this.states.push({ id: ifl[q].id, state: ifl[q].state(), reason: ifl[q].reason(), from: 0, to: -1 });
    this._on(mgr.events, 'interface_status', function (d: any) {
      var now = self.now();
      for (var k = self.states.length - 1; k >= 0; k--) {
        if (self.states[k].id === d.id && self.states[k].to < 0) {
          self.states[k].to = now;
          break;
        }
      }
      self.states.push({ id: d.id, state: d.state, reason: d.reason, from: now, to: -1 });
      self.add('if', d.id + ' ' + nameAt(IF_STATES, d.state) + (d.reason !== R_NONE ? ' (' + nameAt(REASONS, d.reason) + ')' : ''));
    });
    this._on(mgr.events, 'cloud_status', function (v: number) {
      var now = self.now();
      var cur = self.carriers.length ? self.carriers[self.carriers.length - 1] : null;
      if (v === CLOUD_STATUS_CONNECTED) {
        var i = mgr.cloudIface();
        if (cur && cur.to < 0) cur.to = now;
        if (i) self.carriers.push({ id: i.id, from: now, to: -1 });
        self.add('cloud', 'connected over ' + (i ? i.id : '?'));
      } else {
        if (cur && cur.to < 0) cur.to = now;
        self.add('cloud', ['disconnected', 'connecting', '', '', '', '', '', '', 'connected', 'disconnecting'][v] || String(v));
      }
    });
    this._on(mgr.events, 'cloud_interface_changed', function (d: any) {
      var m = mgr.moves();
      var last = m[m.length - 1];
      var rec: MoveRec = {
        t: self.now(), from: d.from, to: d.to, reason: d.reason,
        cause: last ? last.cause : d.reason, causeT: last ? last.causeT - board.t0 : self.now(), trigger: null,
      };
      rec.trigger = self._triggerFor(rec);
      self.moves.push(rec);
      self.add('move', (d.from || '-') + ' -> ' + d.to + ' (' + d.reason + ')  ' + mgr.why());
    });
    this._on(mgr.events, 'probe', function (res: ProbeResult[]) {
      var parts: string[] = [];
      for (var k = 0; k < res.length; k++) {
        var p = res[k];
        self.probes.push({
          t: p.t - board.t0, id: p.id, valid: p.valid, method: nameAt(PROBE_METHODS, p.method), rtt: p.rtt, loss: p.loss,
          bytes: p.bytes, durMs: p.durMs,
        });
        parts.push(p.id + ' ' + (p.valid ? Math.round(p.rtt) + ' ms ' + Math.round(p.loss * 100) + '% ' + nameAt(PROBE_METHODS, p.method) : 'no echo') + ' ' + p.bytes + ' B');
      }
      self.add('probe', parts.join(', '));
    });
    this._wrapSession();
    this._watchScenario();
    this._ready = this._subscribe();
  }

  /** Resolves once the outside subscriber is in place. */
  ready(): Promise<void> {
    return this._ready;
  }

  /** Board time now. */
  now(): number {
    return this.board.clock.now() - this.board.t0;
  }

  add(kind: string, text: string): void {
    this.total++;
    this.events.push({ t: this.now(), kind: kind, text: text });
    var max = this._o.maxEvents || 5000;
    if (this.events.length > max) this.events.splice(0, this.events.length - max);
  }

  /** The event log as lines "  60.412 move    eth0 -> wl0 …" (the kept window). */
  lines(): string[] {
    return this.events.map(formatRec);
  }

  /** Lines of the events added after the first `n` ever added (those still kept). */
  linesSince(n: number): string[] {
    var first = this.total - this.events.length;
    return this.events.slice(Math.max(0, n - first)).map(formatRec);
  }

  /** Counts of QoS 1 publishes. */
  counts(): { published: number; acked: number; delivered: number; duplicates: number; pending: number; refused: number; strays: number } {
    var acked = 0, del = 0, dups = 0;
    for (var i = 0; i < this.pubs.length; i++) {
      var p = this.pubs[i];
      if (p.ackT >= 0) acked++;
      if (p.deliveredT >= 0) del++;
      dups += p.dups;
    }
    var st = this.board.session.stats();
    return { published: this.pubs.length, acked: acked, delivered: del, duplicates: dups, pending: st.queued, refused: this.refused, strays: this.strays };
  }

  /** Publishes not delivered (yet). */
  undelivered(): PubRec[] {
    return this.pubs.filter(function (p) {
      return p.deliveredT < 0;
    });
  }

  /** Detaches from the board and closes the outside subscriber. */
  close(): Promise<void> {
    for (var i = 0; i < this._listeners.length; i++) this._listeners[i]();
    this._listeners = [];
    this.board.world.log.setEcho(undefined);
    var b = this.board.world.cloud.broker;
    if (this._aedesFn) {
      var fn = this._aedesFn;
      this._aedesFn = null;
      b.aedes.unsubscribe(this._topic + '#', fn, function () {});
    }
    var s = this._sub;
    this._sub = null;
    if (!s) return Promise.resolve();
    return new Promise<void>(function (res) {
      s!.end(true, {}, function () {
        res();
      });
    });
  }

  // ---- internals

  private _on(em: { on: (n: string, f: any) => void; off: (n: string, f: any) => void }, name: string, f: any): void {
    em.on(name, f);
    this._listeners.push(function () {
      em.off(name, f);
    });
  }

  /** Counts the sketch's publishes and liveness pings at the session (the manager and API call it). */
  private _wrapSession(): void {
    var self = this;
    var s: any = this.board.session;
    var pub = s.publish;
    var ping = s.ping;
    s.publish = function (name: string, data?: any, opts?: any, cb?: (r: number) => void) {
      var qos = opts && opts.qos ? 1 : 0;
      if (self.draining) {
        self.refused++;
        return false;
      }
      if (!qos) return pub.call(s, name, data, opts, cb);
      var d = data === undefined || data === null ? '' : '' + data;
      var via = self.board.manager.connected() && self.board.manager.cloudIface() ? self.board.manager.cloudIface()!.id : null;
      var rec: PubRec = { t: self.now(), name: name, data: d, ackT: -1, deliveredT: -1, dups: 0, via: via };
      self.pubs.push(rec);
      self._byKey[name + '\u0000' + d] = rec;
      self.add('pub', name + ' "' + short(d) + '"' + (via ? ' via ' + via : ' (offline: outbox)'));
      return pub.call(s, name, data, opts, function (r: number) {
        if (r === 0 && rec.ackT < 0) rec.ackT = self.now();
        if (r !== 0 && r !== 1) self.add('pub', name + ' "' + short(d) + '" ' + nameAt(PUB_RESULTS, r));
        if (cb) cb(r);
      });
    };
    s.ping = function (timeoutMs: number, cb: (ok: boolean) => void) {
      var via = self.board.manager.cloudIface();
      var rec: PingRec = { t: self.now(), doneT: -1, ok: false, via: via ? via.id : null };
      self.pings.push(rec);
      if (self._o.verbose !== false) self.add('ping', 'liveness ping over ' + rec.via);
      return ping.call(s, timeoutMs, function (ok: boolean) {
        rec.doneT = self.now();
        rec.ok = ok;
        if (self._o.verbose !== false || !ok) self.add('ping', ok ? 'answered in ' + Math.round(rec.doneT - rec.t) + ' ms' : 'unanswered');
        cb(ok);
      });
    };
    this._listeners.push(function () {
      s.publish = pub;
      s.ping = ping;
    });
  }

  /** Scenario lines of the world's event log, and the outages they open and close. */
  private _watchScenario(): void {
    var self = this;
    var b = this.board;
    b.world.log.setEcho(function () {
      var ev = b.world.log.events();
      var e = ev[ev.length - 1];
      if (!e || e.kind !== 'scenario') return;
      self._scenarioLine(e.text);
    });
    var sc = b.scenario;
    if (!sc) return;
    for (var i = 0; i < sc.events.length; i++) {
      var e = sc.events[i];
      var n = e.count || 1;
      for (var j = 0; j < n; j++) {
        var at = e.at + j * (e.every || 0);
        var target = e.nic || e.ssid || (e.do.indexOf('broker') === 0 ? 'broker' : e.do.indexOf('cell') === 0 ? 'cell0' : e.do.split('-')[0]);
        if (OUTAGE_OPEN[e.do] && !(e.do === 'dns-silent' && e.silent === false)) {
          this.outages.push({ target: target, what: OUTAGE_OPEN[e.do], from: at, to: -1 });
        } else if (OUTAGE_CLOSE[e.do] || (e.do === 'dns-silent' && e.silent === false)) {
          var what = OUTAGE_CLOSE[e.do] || 'DNS silent';
          for (var k = this.outages.length - 1; k >= 0; k--) {
            var o = this.outages[k];
            if (o.target === target && o.what === what && o.to < 0) {
              o.to = at;
              break;
            }
          }
        } else if (e.do === 'broker-restart') {
          this.outages.push({ target: 'broker', what: 'broker down', from: at, to: at + (e.downMs === undefined ? 5000 : e.downMs) });
        }
      }
    }
    this.outages.sort(function (a, c) {
      return a.from - c.from;
    });
  }

  private _scenarioLine(text: string): void {
    var m = / nic="([^"]+)"/.exec(text) || / ssid="([^"]+)"/.exec(text);
    this._lastScenario.push({ t: this.now(), text: text, nic: m ? m[1] : '' });
    this.add('scenario', text);
  }

  /** The scenario event a move answers: the latest one at or before its cause touching the old interface. */
  private _triggerFor(m: MoveRec): { t: number; text: string } | null {
    if (!m.from) return null;
    // A fail-back answers the return of its target; any other move the failure of the interface it left.
    var id = m.reason === 'fail_back' ? m.to : m.from;
    for (var i = this._lastScenario.length - 1; i >= 0; i--) {
      var s = this._lastScenario[i];
      if (s.t > m.causeT + 1) continue;
      var hits = s.nic === id || (id === 'wl0' && s.text.indexOf('ap-') === 0) || (id === 'cell0' && s.text.indexOf('cell-') === 0) ||
        (m.reason !== 'fail_back' && s.text.indexOf('broker') === 0);
      if (hits) return { t: s.t, text: s.text };
    }
    return null;
  }

  /** The independent count: a subscriber of `d/<id>/e/#` on the broker. */
  private _subscribe(): Promise<void> {
    var self = this;
    var onMsg = function (topic: string, payload: Buffer) {
      if (topic.indexOf(self._topic) !== 0) return;
      var name = topic.substr(self._topic.length);
      var rec = self._byKey[name + '\u0000' + payload.toString('latin1')];
      if (!rec) {
        self.strays++;
        return;
      }
      if (rec.deliveredT < 0) rec.deliveredT = self.now();
      else rec.dups++;
    };
    if (this._o.cloudUrl) {
      var c = mqtt.connect(this._o.cloudUrl, { clientId: 'netswitch-demo-counter-' + process.pid, clean: true, reconnectPeriod: 1000 });
      this._sub = c;
      c.on('error', function () {});
      c.on('message', onMsg);
      var url = this._o.cloudUrl;
      return new Promise<void>(function (res, rej) {
        var t = setTimeout(function () {
          c.end(true);
          rej(new Error('cannot reach the broker at ' + url + ' (no CONNACK within 10 s)'));
        }, 10000);
        c.once('connect', function () {
          c.subscribe(self._topic + '#', { qos: 1 }, function () {
            clearTimeout(t);
            res();
          });
        });
      });
    }
    var b = this.board.world.cloud.broker;
    this._aedesFn = function (packet: any, cb: () => void) {
      onMsg(packet.topic, Buffer.from(packet.payload));
      cb();
    };
    var fn = this._aedesFn;
    return b.ready().then(function () {
      return new Promise<void>(function (res) {
        b.aedes.subscribe(self._topic + '#', fn, function () {
          res();
        });
      });
    });
  }
}

/** "  60.412 move    eth0 -> wl0 …" */
export function formatRec(e: RecEvent): string {
  return fmtT(e.t) + ' ' + pad(e.kind, 9) + e.text;
}

function pad(s: string, n: number): string {
  while (s.length < n) s += ' ';
  return s;
}

function short(s: string): string {
  return s.length > 40 ? s.substr(0, 37) + '...' : s;
}
