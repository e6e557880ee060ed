import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MemoryStorage } from '../../../hal/host/memory-storage';
import { HostWifiRadio } from '../../../hal/host/wifi-radio';
import { SimNicSockets } from '../../../hal/host/sim-nic-sockets';
import { WifiInterface, WifiInterfaceOptions } from '../../../src/drivers/wifi/wifi-interface';
import { IF_STATES, REASONS } from '../../../src/net/types';
import { FakeAirspace, FakeAp } from './fake-airspace';
import { nameAt } from '../../../src/util/names';

/** A Wi-Fi interface over the host radio and the fake airspace, with everything it emits recorded. */
export function rig(aps: FakeAp[], opts?: Partial<WifiInterfaceOptions> & { storage?: MemoryStorage; clock?: VirtualClock }) {
  const clock = (opts && opts.clock) || new VirtualClock();
  const storage = (opts && opts.storage) || new MemoryStorage();
  const air = new FakeAirspace(clock, aps);
  const radio = new HostWifiRadio({ airspace: air, clock, scanMs: 1000 });
  const sockets = new SimNicSockets({ nic: () => radio.nic(), clock });
  const logs: string[] = [];
  const wl = new WifiInterface(Object.assign({
    radio, sockets, clock, storage,
    log: { log: (_l: number, tag: string, msg: string) => logs.push(tag + ' ' + msg) },
  }, opts || {}));
  /** "state reason" strings, e.g. "ready", "failed not_authorised". */
  const states: string[] = [];
  const events: Array<[string, any]> = [];
  wl.events.on('state', (s: number, r: number) => states.push(nameAt(IF_STATES, s) + (r ? ' ' + nameAt(REASONS, r) : '')));
  for (const ev of ['link', 'info', 'associated', 'disconnected']) wl.events.on(ev, (a: any) => events.push([ev, a]));
  return { clock, storage, air, radio, sockets, wl, logs, states, events };
}
