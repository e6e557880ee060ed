/**
 * The live terminal dashboard of `npm start`: plain ANSI (clear, home, colours), one full redraw per
 * frame. `render` is pure (a string from the recorder's state) so it can be tested and printed anywhere.
 */
import { Recorder, fmtT } from './recorder';
import { REASONS, IF_READY, IF_FAILED, R_NONE } from '../../src/net/types';
import { Scenario } from '../world/scenario';
import { nameAt } from '../../src/util/names';

export interface DashboardInfo {
  scenario: Scenario | null;
  seed: number;
  /** "20×", "real time". */
  pace: string;
  durationMs: number;
  /** Terminal width and height. */
  cols: number;
  rows: number;
  color: boolean;
}

var CSI = '\u001b[';

function c(on: boolean, code: string, s: string): string {
  return on ? CSI + code + 'm' + s + CSI + '0m' : s;
}

function pad(s: string, n: number): string {
  if (s.length > n) return s.substr(0, n);
  while (s.length < n) s += ' ';
  return s;
}

function lpad(s: string, n: number): string {
  while (s.length < n) s = ' ' + s;
  return s;
}

/** "12.3 KB" */
export function fmtBytes(n: number): string {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1048576).toFixed(2) + ' MB';
}

/** One frame (without the clear-screen prefix). */
export function render(rec: Recorder, info: DashboardInfo): string {
  var b = rec.board;
  var col = info.color;
  var now = rec.now();
  var m = b.manager.metrics();
  var out: string[] = [];
  var name = info.scenario ? info.scenario.name : '(no scenario)';
  out.push(c(col, '1', 'netswitch simulated board') + '  scenario ' + c(col, '1', name) + '  seed ' + info.seed + '  ' + info.pace +
    '  policy ' + m.policy + '   t = ' + (now / 1000).toFixed(1) + ' s / ' + (info.durationMs / 1000).toFixed(0) + ' s');
  var cur = m.iface;
  var cloud = cur ? c(col, '32;1', 'CONNECTED') + ' over ' + c(col, '1', cur) : c(col, '31;1', m.state.toUpperCase());
  out.push('cloud: ' + cloud + '   broker ' + b.world.cloud.name + ':' + b.world.cloud.broker.port + '   device ' + b.deviceId);
  out.push('why:   ' + b.manager.why());
  out.push('');
  out.push(c(col, '4', pad('iface', 7) + pad('state', 22) + pad('signal', 9) + lpad('rtt', 7) + lpad('loss', 6) + lpad('score', 7) +
    '  ' + pad('probe', 6) + lpad('tx', 10) + lpad('rx', 10)));
  for (var i = 0; i < m.ifs.length; i++) {
    var f = m.ifs[i];
    var iface = b.ifs[f.id];
    var st = iface ? iface.state() : -1;
    var stText = f.state + (f.reason !== nameAt(REASONS, R_NONE) && st === IF_FAILED ? ' (' + f.reason + ')' : '') + (f.damped ? ' damped' : '');
    var stCol = st === IF_READY ? '32' : st === IF_FAILED ? '31' : '33';
    var rssi = iface && iface.info().rssi;
    var sig = rssi === undefined || rssi === null || f.kind === 'ethernet' ? '-' : rssi + ' dBm';
    var has = f.probedAt >= 0;
    var line = pad((f.id === cur ? '*' : ' ') + f.id, 7) + c(col, stCol, pad(stText, 22)) + pad(sig, 9) +
      lpad(has && f.valid ? Math.round(f.rtt) + ' ms' : has ? 'none' : '-', 7) +
      lpad(has && f.valid ? Math.round(f.loss * 100) + '%' : '-', 6) +
      lpad(has && f.valid ? String(Math.round(f.score)) : has ? 'inv' : '-', 7) + '  ' +
      pad(has ? f.method + ' ' + Math.round((now - (f.probedAt - b.t0)) / 1000) + 's' : '-', 6) +
      lpad(fmtBytes(f.tx), 10) + lpad(fmtBytes(f.rx), 10);
    out.push(f.id === cur ? c(col, '1', line) : line);
  }
  out.push('');
  var n = rec.counts();
  out.push('published (QoS 1) ' + c(col, '1', String(n.published)) + '   delivered ' + c(col, '1', String(n.delivered)) +
    '   in outbox ' + n.pending + '   duplicates ' + n.duplicates + '   moves ' + rec.moves.length +
    '   probes ' + m.evaluations + ' (' + fmtBytes(m.probeBytes) + ')   pings ' + m.pings);
  var next = nextScenarioEvent(info.scenario, now);
  if (next) out.push('next:  ' + next);
  out.push('');
  var room = Math.max(3, info.rows - out.length - 2);
  var ev = rec.events.slice(-room);
  out.push(c(col, '4', 'events'));
  for (var k = 0; k < ev.length; k++) {
    var e = ev[k];
    var kc = e.kind === 'move' ? '35;1' : e.kind === 'scenario' ? '36;1' : e.kind === 'cloud' ? '34' : e.kind === 'probe' ? '33' : '0';
    out.push(pad(fmtT(e.t) + ' ' + c(col, kc, pad(e.kind, 9)) + e.text, info.cols + (col ? 20 : 0)));
  }
  return out.map(function (l) {
    return l.length > info.cols + 40 ? l.substr(0, info.cols + 40) : l;
  }).join('\n');
}

/** "150.0 s outage-start wl0 (in 26.6 s)" */
function nextScenarioEvent(s: Scenario | null, now: number): string | null {
  if (!s) return null;
  var best: any = null;
  var bestAt = Infinity;
  for (var i = 0; i < s.events.length; i++) {
    var e = s.events[i];
    var n = e.count || 1;
    for (var j = 0; j < n; j++) {
      var at = e.at + j * (e.every || 0);
      if (at > now && at < bestAt) {
        bestAt = at;
        best = e;
      }
    }
  }
  if (!best) return null;
  var what = best.do + (best.nic ? ' ' + best.nic : best.ssid ? ' ' + best.ssid : '');
  return (bestAt / 1000).toFixed(1) + ' s ' + what + ' (in ' + ((bestAt - now) / 1000).toFixed(1) + ' s)';
}

/** Clear screen and home, then the frame. */
export function frame(rec: Recorder, info: DashboardInfo): string {
  return CSI + 'H' + CSI + '2J' + render(rec, info) + '\n';
}
