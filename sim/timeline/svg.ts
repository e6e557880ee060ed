/**
 * The timeline picture (`npm run timeline`): one hand-written SVG of a recorded run. Per interface a lane
 * with its lifecycle (ready / coming up / failed / off), the outages the scenario caused, the probes
 * (green: answered, red: no echo) and, as a thick bar, when it carried the cloud session; liveness pings
 * on the carrying lane; a lane of QoS 1 publishes (each with a line to its delivery when the outbox held
 * it); the moves of the session as labelled vertical lines.
 */
import { Recorder } from '../demo/recorder';
import { IF_READY, IF_FAILED, IF_OFF, IF_STATES, REASONS } from '../../src/net/types';
import { nameAt } from '../../src/util/names';

export interface TimelineOptions {
  /** Total width in pixels (default 1200). */
  width?: number;
  /** Time span drawn, ms (default: the recorder's time now). */
  durationMs?: number;
  title?: string;
}

var LANE_H = 46;
var LEFT = 92;
var RIGHT = 24;
var TOP = 84;

var STATE_FILL: { [k: string]: string } = { ready: '#dff3e4', up: '#fff4cc', failed: '#fbe0e0', off: '#f0f0f0' };

/** XML-escapes text. */
export function esc(s: string): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function n1(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** A tick step (ms) giving about `target` ticks over `span`. */
function tickStep(span: number, target: number): number {
  var steps = [1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000, 3600000];
  for (var i = 0; i < steps.length; i++) if (span / steps[i] <= target) return steps[i];
  return steps[steps.length - 1];
}

function fmtAxis(ms: number): string {
  if (ms % 60000 === 0 && ms >= 60000) return ms / 60000 + ' min';
  return ms / 1000 + ' s';
}

/** Renders the SVG document. */
export function renderTimeline(rec: Recorder, o?: TimelineOptions): string {
  var opts = o || {};
  var W = opts.width || 1200;
  var dur = opts.durationMs || Math.max(1000, rec.now());
  var ids = rec.board.manager.interfaces().map(function (i) { return i.id; });
  var plotW = W - LEFT - RIGHT;
  var x = function (t: number): number {
    return LEFT + (Math.max(0, Math.min(dur, t)) / dur) * plotW;
  };
  var laneY = function (k: number): number {
    return TOP + k * LANE_H;
  };
  var pubY = laneY(ids.length) + 8;
  var H = pubY + 40 + 96;
  var s: string[] = [];
  s.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '" font-family="Helvetica, Arial, sans-serif" font-size="11">');
  s.push('<rect width="100%" height="100%" fill="#ffffff"/>');
  s.push('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="#f6c4c4" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d04040" stroke-width="2"/></pattern></defs>');
  var title = opts.title || 'netswitch: which interface carried the cloud session';
  s.push('<text x="' + LEFT + '" y="20" font-size="15" font-weight="bold">' + esc(title) + '</text>');
  var sub = (rec.board.scenario ? 'scenario ' + rec.board.scenario.name + ', ' : '') + 'policy ' + rec.board.manager.policy.name +
    ', device ' + rec.board.deviceId + ', ' + (dur / 1000).toFixed(0) + ' s of virtual time';
  s.push('<text x="' + LEFT + '" y="37" fill="#555">' + esc(sub) + '</text>');

  // Time grid.
  var step = tickStep(dur, 12);
  for (var t = 0; t <= dur + 1; t += step) {
    s.push('<line x1="' + n1(x(t)) + '" y1="' + (TOP - 6) + '" x2="' + n1(x(t)) + '" y2="' + (pubY + 34) + '" stroke="#e4e4e4"/>');
    s.push('<text x="' + n1(x(t)) + '" y="' + (pubY + 46) + '" text-anchor="middle" fill="#666">' + fmtAxis(t) + '</text>');
  }

  for (var k = 0; k < ids.length; k++) {
    var id = ids[k];
    var y = laneY(k);
    s.push('<text x="' + (LEFT - 10) + '" y="' + (y + LANE_H / 2 + 4) + '" text-anchor="end" font-size="13" font-weight="bold">' + esc(id) + '</text>');
    // Lifecycle.
    var st = rec.states.filter(function (z) { return z.id === id; });
    for (var j = 0; j < st.length; j++) {
      var z = st[j];
      var to = z.to < 0 ? dur : z.to;
      if (to <= z.from) continue;
      var cls = z.state === IF_READY ? 'ready' : z.state === IF_FAILED ? 'failed' : z.state === IF_OFF ? 'off' : 'up';
      s.push('<rect x="' + n1(x(z.from)) + '" y="' + (y + 4) + '" width="' + n1(Math.max(0.5, x(to) - x(z.from))) + '" height="' + (LANE_H - 8) +
        '" fill="' + STATE_FILL[cls] + '"><title>' + esc(id + ' ' + nameAt(IF_STATES, z.state) + (z.reason ? ' (' + nameAt(REASONS, z.reason) + ')' : '') +
        ' ' + (z.from / 1000).toFixed(1) + '–' + (to / 1000).toFixed(1) + ' s') + '</title></rect>');
    }
    // Outages on this interface (labelled where there is room).
    var labelEnd = -1;
    for (var q = 0; q < rec.outages.length; q++) {
      var ou = rec.outages[q];
      if (ou.target !== id && !(id === 'wl0' && ou.what === 'AP down')) continue;
      var oto = ou.to < 0 ? dur : ou.to;
      s.push('<rect x="' + n1(x(ou.from)) + '" y="' + (y + 4) + '" width="' + n1(Math.max(1, x(oto) - x(ou.from))) + '" height="' + (LANE_H - 8) +
        '" fill="url(#hatch)"><title>' + esc(ou.what + ' on ' + ou.target + ' ' + (ou.from / 1000).toFixed(1) + '–' + (oto / 1000).toFixed(1) + ' s') + '</title></rect>');
      var lw = ou.what.length * 5.6 + 6;
      if (x(ou.from) > labelEnd && x(oto) - x(ou.from) >= lw) {
        s.push('<text x="' + n1(x(ou.from) + 3) + '" y="' + (y + 14) + '" fill="#a02020" font-size="10">' + esc(ou.what) + '</text>');
        labelEnd = x(ou.from) + lw;
      }
    }
    // Carrier.
    for (var c = 0; c < rec.carriers.length; c++) {
      var cr = rec.carriers[c];
      if (cr.id !== id) continue;
      var cto = cr.to < 0 ? dur : cr.to;
      s.push('<rect x="' + n1(x(cr.from)) + '" y="' + (y + LANE_H / 2 - 6) + '" width="' + n1(Math.max(1, x(cto) - x(cr.from))) +
        '" height="12" rx="3" fill="#2f6fd0"><title>' + esc('cloud session on ' + id + ' ' + (cr.from / 1000).toFixed(2) + '–' + (cto / 1000).toFixed(2) + ' s') + '</title></rect>');
    }
    // Probes.
    for (var p = 0; p < rec.probes.length; p++) {
      var pr = rec.probes[p];
      if (pr.id !== id || pr.t > dur) continue;
      var px = x(pr.t);
      s.push('<circle cx="' + n1(px) + '" cy="' + (y + LANE_H - 9) + '" r="3" fill="' + (pr.valid ? '#1f9d55' : '#d03030') + '"><title>' +
        esc('probe ' + id + ' at ' + (pr.t / 1000).toFixed(2) + ' s: ' + (pr.valid ? Math.round(pr.rtt) + ' ms, ' + Math.round(pr.loss * 100) + '% loss (' + pr.method + ')' : 'no echo') +
          ', ' + pr.bytes + ' bytes, ' + Math.round(pr.durMs) + ' ms') + '</title></circle>');
    }
    // Liveness pings over this interface.
    for (var g = 0; g < rec.pings.length; g++) {
      var pg = rec.pings[g];
      if (pg.via !== id || pg.t > dur) continue;
      var gx = x(pg.t);
      var gy = y + 9;
      var bad = pg.doneT >= 0 && !pg.ok;
      s.push('<path d="M' + n1(gx) + ' ' + (gy - 3) + ' l3 3 l-3 3 l-3 -3 z" fill="' + (bad ? '#d03030' : '#8a8a8a') + '"><title>' +
        esc('liveness ping at ' + (pg.t / 1000).toFixed(2) + ' s: ' + (pg.doneT < 0 ? 'pending' : pg.ok ? 'answered in ' + Math.round(pg.doneT - pg.t) + ' ms' : 'unanswered')) + '</title></path>');
    }
  }

  // Publishes.
  s.push('<text x="' + (LEFT - 10) + '" y="' + (pubY + 14) + '" text-anchor="end" font-size="13" font-weight="bold">publish</text>');
  for (var u = 0; u < rec.pubs.length; u++) {
    var pb = rec.pubs[u];
    if (pb.t > dur) continue;
    var ux = x(pb.t);
    var ok = pb.deliveredT >= 0;
    var held = ok && pb.deliveredT - pb.t > 1000;
    if (held) s.push('<line x1="' + n1(ux) + '" y1="' + (pubY + 10) + '" x2="' + n1(x(pb.deliveredT)) + '" y2="' + (pubY + 22) + '" stroke="#e08a00" stroke-width="1"/>');
    s.push('<line x1="' + n1(ux) + '" y1="' + (pubY + 2) + '" x2="' + n1(ux) + '" y2="' + (pubY + 14) + '" stroke="' + (!ok ? '#d03030' : held ? '#e08a00' : '#2f6fd0') +
      '" stroke-width="1.5"><title>' + esc(pb.name + ' "' + pb.data + '" at ' + (pb.t / 1000).toFixed(2) + ' s: ' +
        (ok ? 'delivered at ' + (pb.deliveredT / 1000).toFixed(2) + ' s' + (pb.dups ? ' (+' + pb.dups + ' duplicate)' : '') : 'not delivered')) + '</title></line>');
  }

  // Moves.
  for (var mv = 0; mv < rec.moves.length; mv++) {
    var m = rec.moves[mv];
    var mx = x(m.t);
    s.push('<line x1="' + n1(mx) + '" y1="' + (TOP - 4) + '" x2="' + n1(mx) + '" y2="' + (pubY + 28) + '" stroke="#7a3fb0" stroke-dasharray="4 3"/>');
    var label = (m.from || 'boot') + ' → ' + m.to + ' (' + m.reason + ')';
    // Labels alternate between two rows; near the right edge they end at the line instead of starting there.
    var right = mx + 3 + label.length * 5.6 > W - 4;
    var lab = '<text x="' + n1(right ? mx - 3 : mx + 3) + '" y="' + (TOP - 8 - (mv % 2) * 12) + '"' + (right ? ' text-anchor="end"' : '') +
      ' fill="#7a3fb0" font-size="10">' + esc(label) +
      '<title>' + esc((m.t / 1000).toFixed(2) + ' s: ' + m.cause + (m.trigger ? '; answers "' + m.trigger.text + '" at ' + (m.trigger.t / 1000).toFixed(2) + ' s (' + ((m.t - m.trigger.t) / 1000).toFixed(2) + ' s)' : '')) + '</title></text>';
    s.push(lab);
  }

  // Legend.
  var ly = pubY + 66;
  var items: Array<[string, string]> = [
    ['<rect width="14" height="10" fill="' + STATE_FILL.ready + '" stroke="#bbb"/>', 'ready'],
    ['<rect width="14" height="10" fill="' + STATE_FILL.up + '" stroke="#bbb"/>', 'coming up'],
    ['<rect width="14" height="10" fill="' + STATE_FILL.failed + '" stroke="#bbb"/>', 'failed'],
    ['<rect width="14" height="10" fill="url(#hatch)"/>', 'outage (scenario)'],
    ['<rect width="14" height="8" y="1" rx="2" fill="#2f6fd0"/>', 'cloud session'],
    ['<circle cx="7" cy="5" r="3" fill="#1f9d55"/><circle cx="14" cy="5" r="3" fill="#d03030"/>', 'probe: echo / none'],
    ['<path d="M7 2 l3 3 l-3 3 l-3 -3 z" fill="#8a8a8a"/>', 'liveness ping'],
    ['<line x1="3" y1="0" x2="3" y2="10" stroke="#2f6fd0" stroke-width="1.5"/><line x1="10" y1="0" x2="10" y2="10" stroke="#e08a00" stroke-width="1.5"/>', 'publish: direct / via outbox'],
    ['<line x1="7" y1="0" x2="7" y2="10" stroke="#7a3fb0" stroke-dasharray="3 2"/>', 'move'],
  ];
  var lx = LEFT;
  for (var it = 0; it < items.length; it++) {
    s.push('<g transform="translate(' + lx + ',' + ly + ')">' + items[it][0] + '<text x="20" y="9" fill="#333">' + esc(items[it][1]) + '</text></g>');
    lx += 28 + items[it][1].length * 6;
    if (lx > W - 160 && it < items.length - 1) {
      lx = LEFT;
      ly += 18;
    }
  }
  var n = rec.counts();
  s.push('<text x="' + LEFT + '" y="' + (ly + 30) + '" fill="#555">' + esc('QoS 1 publishes: ' + n.published + ' published, ' + n.delivered + ' delivered, ' +
    (n.published - n.delivered) + ' not delivered; moves: ' + rec.moves.map(function (z) { return z.to; }).join(' → ')) + '</text>');
  s.push('</svg>');
  return s.join('\n') + '\n';
}
