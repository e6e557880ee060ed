/** A simulated board for the API tests: fake interfaces and cloud, a fresh ApiBinding, virtual time. */
import { VirtualClock } from '../../hal/host/virtual-clock';
import { MemoryStorage } from '../../hal/host/memory-storage';
import { createApi, ApiBinding } from '../../src/api/binding';
import { AUTOMATIC } from '../../src/api/constants';
import { FEATURES_FILE } from '../../src/api/runtime';
import { FakeIface, FakeWifi, FakeCell, FakeCloud, FakeIfOptions, FakeCloudOptions } from '../connection/fakes';

export interface BoardOptions {
  eth?: FakeIfOptions | false;
  wifi?: FakeIfOptions | false;
  cell?: FakeIfOptions | false;
  cloud?: FakeCloudOptions;
  mode?: number;
  settings?: any;
  storage?: MemoryStorage;
  /** FEATURE_ETHERNET_DETECTION already stored (default true). */
  ethDetection?: boolean;
  setup?: () => void;
  loop?: () => void;
  /** Do not start the runtime yet. */
  noStart?: boolean;
}

export interface Board {
  clock: VirtualClock;
  storage: MemoryStorage;
  eth: FakeIface;
  wl: FakeWifi;
  cell: FakeCell;
  cloud: FakeCloud;
  api: ApiBinding;
  /** Events seen by System.on('all_events'): [t, event, data]. */
  ev: { t: number; ev: string; v: any }[];
  errors: any[];
  start(): void;
  /** Id of the interface carrying the session, or null. */
  on(): string | null;
  /** Events named `name`, as [t, data]. */
  of(name: string): { t: number; v: any }[];
  /** Attempts the cloud saw after time `t`, as ids. */
  attemptsSince(t: number): string[];
}

export function board(o?: BoardOptions): Board {
  o = o || {};
  var clock = new VirtualClock();
  var storage = o.storage || new MemoryStorage();
  if (o.ethDetection !== false && !o.storage) storage.writeJSON(FEATURES_FILE, { eth: 1 });
  var eth = new FakeIface('eth0', 'ethernet', clock, o.eth || {});
  var wl = new FakeWifi('wl0', clock, o.wifi || {});
  var cell = new FakeCell('cell0', clock, Object.assign({ rttMs: 80, powerUpMs: 500, connectMs: 1500 }, o.cell || {}));
  var ifs: FakeIface[] = [];
  if (o.eth !== false) ifs.push(eth);
  if (o.wifi !== false) ifs.push(wl);
  if (o.cell !== false) ifs.push(cell);
  var cloud = new FakeCloud(clock, o.cloud);
  var api = createApi();
  var ev: { t: number; ev: string; v: any }[] = [];
  var errors: any[] = [];
  api.System.on('all_events', function (name: string, v: any) {
    ev.push({ t: clock.now(), ev: name, v: v });
  });
  api.events.on('error', function (e: any) {
    errors.push(e);
  });
  cloud.events.on('error', function (e: any) {
    errors.push(e);
  });
  ifs.forEach(function (f) {
    f.events.on('error', function (e: any) {
      errors.push(e);
    });
  });
  var b: Board = {
    clock: clock, storage: storage, eth: eth, wl: wl, cell: cell, cloud: cloud, api: api, ev: ev, errors: errors,
    start: function () {
      api.start(
        { clock: clock, storage: storage, interfaces: ifs, cloud: cloud, config: { connection: o!.settings, seed: 7 } },
        { mode: o!.mode === undefined ? AUTOMATIC : o!.mode, setup: o!.setup, loop: o!.loop }
      );
      api.runtime().mgr.events.on('error', function (e: any) {
        errors.push(e);
      });
    },
    on: function () {
      var i = api.runtime().mgr.cloudIface();
      return i ? i.id : null;
    },
    of: function (name: string) {
      return ev.filter(function (e) { return e.ev === name; }).map(function (e) { return { t: e.t, v: e.v }; });
    },
    attemptsSince: function (t: number) {
      return cloud.attempts.filter(function (a) { return a.t >= t; }).map(function (a) { return a.id; });
    }
  };
  if (!o.noStart) b.start();
  return b;
}
