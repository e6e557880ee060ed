/**
 * A sketch that uses a library function taking a NetworkClass: `withNetwork(Ethernet, …)` at start, then
 * every minute `withNetwork(<the interface carrying the cloud>, …)`. Each report is published with QoS 1.
 *
 * Build for the board:  npm run build -- --sketch examples/with-network.ts
 * Run in the simulator: npm start -- --sketch examples/with-network.ts
 */
import { Particle, Ethernet, System } from 'netswitch';
import { withNetwork } from './lib/with-network';

/** Report period, ms. */
const PERIOD_MS = 60000;

var lastAt = 0;
var reports = 0;

function publishReport(report: string): void {
  reports++;
  Particle.publish('net/report', report, { qos: 1 });
}

export function setup(): void {
  // The cable's own view, whatever carries the cloud.
  withNetwork(Ethernet, publishReport);
}

export function loop(): void {
  var t = System.millis();
  if (t - lastAt < PERIOD_MS || !Particle.connected()) return;
  lastAt = t;
  withNetwork(Particle.connectionInterface(), publishReport);
}

/** Reports published so far (for tests). */
export function reportCount(): number {
  return reports;
}
