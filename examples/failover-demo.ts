/**
 * The failover demo (`npm start`): a sensor that publishes a reading every 5 seconds with QoS 1, listens
 * for a "command" event, exposes a function and a variable, and reports every move of the cloud session.
 * Nothing here knows which interface carries the session: the connection manager keeps it up over
 * Ethernet, Wi-Fi or cellular and the outbox delivers what was published during a move.
 *
 * Build for the board:  npm run build -- --sketch examples/failover-demo.ts
 * Run in the simulator: npm start
 */
import { Particle, Network, System } from 'netswitch';

/**
 * Device configuration read by the board: fail back to Ethernet once it has been stable (opt-in; without
 * it the session stays where it is until that interface fails, Particle's rule).
 */
export var config = { connection: { failBack: true } };

/** Publish period, ms. */
const PERIOD_MS = 5000;

var seq = 0;
var lastAt = -PERIOD_MS;
var interval = PERIOD_MS;
var commands = 0;
var lastCommand = '';

/** A made-up temperature: a slow wave, deterministic. */
function reading(n: number): string {
  var t = 21 + 3 * Math.sin(n / 12);
  return '' + Math.round(t * 10) / 10;
}

/** Cloud function "setInterval": the publish period in seconds (1–3600); returns the new period. */
function setPeriod(arg: string): number {
  var s = parseInt(arg, 10);
  if (!(s >= 1 && s <= 3600)) return -1;
  interval = s * 1000;
  return s;
}

function onCommand(name: string, data: string): void {
  commands++;
  lastCommand = data;
}

export function setup(): void {
  Particle.subscribe('command', onCommand);
  Particle.function('setInterval', setPeriod);
  Particle.variable('seq', function () {
    return seq;
  });
  Particle.variable('lastCommand', function () {
    return lastCommand;
  });
  System.on('cloud_interface_changed', function (ev: string, d: any) {
    // "cloud on wl0 (from eth0, if_down)": Network.why() explains the choice in full.
    Particle.publish('moved', (d.from || '-') + '>' + d.to + ' ' + d.reason + '; ' + Network.why(), { qos: 1 });
  });
}

export function loop(): void {
  var now = System.millis();
  if (now - lastAt < interval) return;
  lastAt = now;
  // QoS 1: kept in the outbox while offline or moving, delivered after the reconnect.
  Particle.publish('reading', seq + ' ' + reading(seq), { qos: 1 });
  seq++;
}

/** How many commands arrived (for tests). */
export function commandCount(): number {
  return commands;
}
