/**
 * A small library module in the seed's style: its function takes any NetworkClass (Ethernet, WiFi,
 * Cellular or Network), so the caller decides which interface it works on: `withNetwork(Ethernet, cb)`.
 *
 * It asks the interface to come up (without moving the cloud session), waits for it without blocking the
 * event loop, and hands back a one-line report: address, the last probe's round trip and loss, bytes.
 */
import { System, NetworkClass } from 'netswitch';

/** Longest wait for the interface, ms. */
export const WAIT_MS = 60000;

/** Calls `cb(report)` once `net` is ready (or with "<kind> not ready" after WAIT_MS). */
export function withNetwork(net: NetworkClass, cb: (report: string) => void): void {
  var name = net.kind === null ? 'network' : net.kind;
  net.connect();
  System.waitFor(net.ready, WAIT_MS, function (ok: boolean) {
    if (!ok) {
      cb(name + ' not ready');
      return;
    }
    var m: any = net.metrics();
    var line = name + ' ready ip ' + net.localIP();
    if (m && m.valid) line += ' rtt ' + Math.round(m.rtt) + ' ms loss ' + Math.round(m.loss * 100) + '%';
    if (m && m.tx !== undefined) line += ' tx ' + m.tx + ' rx ' + m.rx;
    cb(line);
  });
}
