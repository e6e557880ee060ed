/**
 * Choosing the interface: an ordered failover sequence (Electric Imp's setserverinterfaces) and a
 * preference (Particle's prefer()).
 *
 * At start the sketch stores the sequence Wi-Fi, then cellular (Ethernet follows, in the default order):
 * the cloud settles on Wi-Fi even though the cable is plugged in. The cloud function "choose" switches mode:
 *   "sequence"  restores that sequence;
 *   "ethernet" | "wifi" | "cellular"  clears the sequence and prefers that interface;
 *   "auto"      clears both: the best probe score wins.
 * A change applies from the next connection attempt, so the sketch then reconnects once (from loop(), not
 * from inside the cloud callback). Every move of the session is published with QoS 1.
 *
 * Build for the board:  npm run build -- --sketch examples/preference-and-sequence.ts
 * Run in the simulator: npm start -- --sketch examples/preference-and-sequence.ts
 */
import { Particle, Network, Ethernet, WiFi, Cellular, System, NetworkClass } from 'netswitch';

/**
 * Fail back (opt-in): at boot the cloud takes the first interface of the order that is ready within the
 * grace window (the cable, here, as Wi-Fi needs a few seconds to join); with fail-back the session then
 * moves to the interface the sequence or the preference puts first once that one has been stable.
 */
export var config = { connection: { failBack: true } };

/** The failover sequence this sketch stores. */
var SEQUENCE = ['wifi', 'cell'];

var pending = '';
var mode = 'sequence';

function byName(name: string): NetworkClass | null {
  if (name === 'ethernet') return Ethernet;
  if (name === 'wifi') return WiFi;
  if (name === 'cellular') return Cellular;
  return null;
}

/** Cloud function "choose": 1 when accepted, -1 for an unknown mode. */
function choose(arg: string): number {
  if (arg !== 'sequence' && arg !== 'auto' && !byName(arg)) return -1;
  pending = arg;
  return 1;
}

function apply(m: string): void {
  mode = m;
  if (m === 'sequence') {
    Network.prefer();
    Network.setServerInterfaces(SEQUENCE);
    return;
  }
  Network.setServerInterfaces([]);
  var n = byName(m);
  if (n) n.prefer();
  else Network.prefer();
}

export function setup(): void {
  apply('sequence');
  Particle.function('choose', choose);
  Particle.variable('mode', function () {
    return mode + ' [' + Network.getServerInterfaces().join(',') + ']';
  });
  System.on('cloud_interface_changed', function (ev: string, d: any) {
    Particle.publish('iface', d.to + ' ' + d.reason + ' mode ' + mode, { qos: 1 });
  });
}

export function loop(): void {
  if (!pending) return;
  apply(pending);
  pending = '';
  // Re-evaluate now: the new order applies from the next attempt.
  Particle.disconnect();
  Particle.connect();
}
