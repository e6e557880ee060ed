import * as fs from 'fs';
import * as path from 'path';
import { Clock } from '../../hal/clock';
import { World, WorldOptions } from './world';

/**
 * One timeline entry. `at` is ms after the scenario starts; with `every` and `count` it repeats
 * (`count` times in all, `every` ms apart). The other fields are the event's arguments.
 */
export interface ScenarioEvent {
  at: number;
  do: string;
  every?: number;
  count?: number;
  [arg: string]: any;
}

/** A named timeline of link and service events, with the world it runs in. */
export interface Scenario {
  name: string;
  description?: string;
  /** How long the scenario runs. */
  durationMs: number;
  /** World settings (JSON-able part of WorldOptions: tcp, cloud, dns, ethernet, wifi, cell). */
  world?: WorldOptions;
  /** What the device under test should be configured with (Wi-Fi SSID/password, APN…); informational. */
  device?: { [k: string]: any };
  events: ScenarioEvent[];
}

type Apply = (w: World, e: ScenarioEvent) => void;

function nicLink(w: World, e: ScenarioEvent) {
  if (typeof e.nic !== 'string') throw new TypeError('scenario: ' + e.do + ' needs "nic"');
  return w.link(e.nic);
}

function dhcpOf(w: World, e: ScenarioEvent) {
  var l = w.findLan(e.lan || 'eth');
  if (!l || !l.dhcp) throw new Error('scenario: no DHCP server on LAN ' + (e.lan || 'eth'));
  return l.dhcp;
}

function flag(e: ScenarioEvent, k: string): boolean {
  return e[k] === undefined ? true : !!e[k];
}

/** The event's own arguments (without at/do/every/count). */
function argsOf(e: ScenarioEvent): any {
  var p: any = {};
  for (var k in e) if (k !== 'at' && k !== 'do' && k !== 'every' && k !== 'count') p[k] = e[k];
  return p;
}

const LINK_KEYS = ['up', 'latencyMs', 'jitterMs', 'loss', 'bandwidthBps', 'silent'];

function linkArgs(e: ScenarioEvent): any {
  var o: any = {};
  for (var i = 0; i < LINK_KEYS.length; i++) if (e[LINK_KEYS[i]] !== undefined) o[LINK_KEYS[i]] = e[LINK_KEYS[i]];
  return o;
}

/** Every event type and what it does. */
export const SCENARIO_EVENTS: { [name: string]: Apply } = {
  /** Any link knobs: {nic, up?, latencyMs?, jitterMs?, loss?, bandwidthBps?, silent?} */
  link: function (w, e) {
    nicLink(w, e).set(linkArgs(e));
  },
  'link-down': function (w, e) {
    nicLink(w, e).set({ up: false });
  },
  'link-up': function (w, e) {
    nicLink(w, e).set({ up: true });
  },
  /** Silent upstream outage: carrier stays up, nothing passes beyond the access network. */
  'outage-start': function (w, e) {
    nicLink(w, e).set({ silent: true });
  },
  'outage-end': function (w, e) {
    nicLink(w, e).set({ silent: false });
  },
  /** {ssid} */
  'ap-down': function (w, e) {
    w.airspace().apDown(e.ssid);
  },
  'ap-up': function (w, e) {
    w.airspace().apUp(e.ssid);
  },
  /** {ssid, rssi?, password?, refuse?, associationDelayMs?} */
  'ap-set': function (w, e) {
    var p = argsOf(e);
    delete p.ssid;
    w.airspace().setAp(e.ssid, p);
  },
  /** {ap: ApConfig} */
  'ap-add': function (w, e) {
    w.airspace().addAp(e.ap);
  },
  /** {stat?: 1 | 5} registers now. */
  'cell-register': function (w, e) {
    w.cellNetwork().register(e.stat);
  },
  'cell-deny': function (w) {
    w.cellNetwork().deny();
  },
  'cell-searching': function (w) {
    w.cellNetwork().searching();
  },
  'cell-pdp-lost': function (w) {
    w.cellNetwork().pdpLost();
  },
  /** {csq} */
  'cell-signal': function (w, e) {
    w.cellNetwork().setSignal(e.csq);
  },
  /** {sim?, outcome?, apn?, registrationDelayMs?, pdpDelayMs?, csq?, cnsmod?} */
  'cell-set': function (w, e) {
    w.cellNetwork().set(argsOf(e));
  },
  'broker-stop': function (w) {
    w.cloud.broker.stop();
  },
  'broker-start': function (w) {
    w.cloud.broker.start();
  },
  /** {downMs?} default 5000 */
  'broker-restart': function (w, e) {
    w.cloud.broker.restart(e.downMs);
  },
  /** {refuse?: boolean} default true */
  'broker-refuse-auth': function (w, e) {
    w.cloud.broker.set({ refuseAuth: flag(e, 'refuse') });
  },
  /** {silent?: boolean} default true */
  'dns-silent': function (w, e) {
    w.dns.set({ silent: flag(e, 'silent') });
  },
  /** {records: {name: ip}} */
  'dns-set': function (w, e) {
    w.dns.set({ records: e.records || {} });
  },
  /** {lan?: 'eth' | 'wifi' | …, silent?: boolean} */
  'dhcp-silent': function (w, e) {
    dhcpOf(w, e).set({ silent: flag(e, 'silent') });
  },
  /** {lan?, nak?: boolean} */
  'dhcp-nak': function (w, e) {
    dhcpOf(w, e).set({ nak: flag(e, 'nak') });
  },
  /** {silent?: boolean} */
  'echo-silent': function (w, e) {
    w.cloud.echo.set({ silent: flag(e, 'silent') });
  },
  /** {text}: only a line in the event log. */
  mark: function () {},
};

/** Checks a scenario's shape and event names; returns it. Throws a TypeError naming the problem. */
export function validateScenario(s: any): Scenario {
  if (!s || typeof s !== 'object') throw new TypeError('scenario: not an object');
  if (typeof s.name !== 'string' || !s.name) throw new TypeError('scenario: needs a name');
  if (typeof s.durationMs !== 'number' || !(s.durationMs > 0)) throw new TypeError('scenario ' + s.name + ': needs durationMs > 0');
  if (!Array.isArray(s.events)) throw new TypeError('scenario ' + s.name + ': needs events[]');
  for (var i = 0; i < s.events.length; i++) {
    var e = s.events[i];
    var where = 'scenario ' + s.name + ' event ' + i;
    if (!e || typeof e.at !== 'number' || !(e.at >= 0)) throw new TypeError(where + ': needs at >= 0');
    if (!SCENARIO_EVENTS[e.do]) throw new TypeError(where + ': unknown event "' + e.do + '"');
    if (e.every !== undefined && !(e.every > 0)) throw new TypeError(where + ': every must be > 0');
    if (e.count !== undefined && !(e.count >= 1)) throw new TypeError(where + ': count must be >= 1');
  }
  return s as Scenario;
}

function hideSecrets(k: string, v: any): any {
  return k === 'password' || k === 'pin' ? '***' : v;
}

/** Applies one event now and writes it to the event log (passwords and PINs masked). */
export function applyEvent(w: World, e: ScenarioEvent): void {
  var f = SCENARIO_EVENTS[e.do];
  if (!f) throw new TypeError('scenario: unknown event "' + e.do + '"');
  var args: string[] = [];
  for (var k in e) if (k !== 'at' && k !== 'do' && k !== 'every' && k !== 'count') args.push(k + '=' + JSON.stringify(e[k], hideSecrets));
  w.log.add('scenario', e.do + (args.length ? ' ' + args.join(' ') : ''));
  f(w, e);
}

/** A scenario scheduled on a world. */
export class ScenarioRun {
  readonly scenario: Scenario;
  readonly startedAt: number;
  private _world: World;
  private _timers: any[] = [];
  private _pending = 0;

  constructor(world: World, scenario: Scenario) {
    this.scenario = validateScenario(scenario);
    this._world = world;
    this.startedAt = world.clock.now();
    world.log.add('scenario', 'start ' + scenario.name);
    var evs = scenario.events;
    for (var i = 0; i < evs.length; i++) {
      var e = evs[i];
      var n = e.count || 1;
      for (var j = 0; j < n; j++) this._schedule(e, e.at + j * (e.every || 0));
    }
    this._timers.push(world.clock.setTimeout(function () {
      world.log.add('scenario', 'end ' + scenario.name);
    }, scenario.durationMs));
  }

  /** Virtual time when the scenario ends. */
  get endsAt(): number {
    return this.startedAt + this.scenario.durationMs;
  }

  /** Events not applied yet. */
  pending(): number {
    return this._pending;
  }

  /** Cancels the events not applied yet. */
  cancel(): void {
    for (var i = 0; i < this._timers.length; i++) this._world.clock.clearTimeout(this._timers[i]);
    this._timers = [];
    this._pending = 0;
  }

  private _schedule(e: ScenarioEvent, at: number): void {
    var self = this;
    this._pending++;
    this._timers.push(this._world.clock.setTimeout(function () {
      self._pending--;
      applyEvent(self._world, e);
      self._world.touch();
    }, at));
  }
}

/** Schedules `scenario` on `world`, starting now. */
export function runScenario(world: World, scenario: Scenario): ScenarioRun {
  return new ScenarioRun(world, scenario);
}

/** Where the named scenarios live. */
export const SCENARIO_DIR = path.join(__dirname, '..', 'scenarios');

/** Names of the shipped scenarios. */
export function listScenarios(): string[] {
  return fs.readdirSync(SCENARIO_DIR).filter(function (f) {
    return f.slice(-5) === '.json';
  }).map(function (f) {
    return f.slice(0, -5);
  }).sort();
}

/** Loads a shipped scenario by name, or a JSON file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  var p = nameOrPath.indexOf('/') >= 0 || nameOrPath.slice(-5) === '.json' ? nameOrPath : path.join(SCENARIO_DIR, nameOrPath + '.json');
  return validateScenario(JSON.parse(fs.readFileSync(p, 'utf8')));
}

/** A world set up as the scenario says (its `world` section), with this seed and clock. */
export function worldFor(scenario: Scenario, opts?: { seed?: number; clock?: Clock; log?: WorldOptions['log'] }): World {
  var o: WorldOptions = Object.assign({}, scenario.world || {});
  if (opts && opts.seed !== undefined) o.seed = opts.seed;
  if (opts && opts.clock) o.clock = opts.clock;
  if (opts && opts.log) o.log = opts.log;
  return new World(o);
}
