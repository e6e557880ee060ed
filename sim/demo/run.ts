/**
 * The demo run behind `npm start`: a sketch on the simulated board (boards/host-sim.ts) playing a
 * scenario, with the live dashboard or, headless, the event log and a summary.
 */
import { createSimBoard, SimBoard, exampleSketch } from '../../boards/host-sim';
import { Recorder, MoveRec } from './recorder';
import { frame, DashboardInfo } from './dashboard';

export interface DemoOptions {
  /** Scenario name or JSON file (default "demo"). */
  scenario?: string;
  seed?: number;
  /** Virtual seconds per wall second (default 20); 1 = real time. Ignored headless (as fast as possible). */
  speed?: number;
  /** Virtual run time (default: the scenario's duration). */
  durationMs?: number;
  headless?: boolean;
  /** "mqtt://host:port": an outside broker, in real time. */
  cloud?: string;
  /** "ours" (default) or "baseline". */
  policy?: 'ours' | 'baseline';
  /** Sketch file (default examples/failover-demo.ts). */
  sketch?: string;
  /** Where lines and frames go (default process.stdout). */
  out?: { write: (s: string) => any; columns?: number; rows?: number };
  /** After the run, refuse new publishes and wait this long at most for the outbox to drain (default 60 s). */
  drainMs?: number;
  /** Colours in the dashboard (default: when the output is a TTY). */
  color?: boolean;
  /** Lines of the event log printed headless (default all). */
  quiet?: boolean;
}

export interface FailoverRec {
  from: string;
  to: string;
  reason: string;
  /** From the scenario event that caused it (or the manager's cause) to the session up on `to`. */
  ms: number;
  trigger: string;
}

export interface DemoSummary {
  scenario: string;
  seed: number;
  policy: string;
  virtualMs: number;
  /** Interfaces that carried the session, in order (eth0, wl0, cell0, eth0). */
  sequence: string[];
  bootToCloudMs: number;
  failovers: FailoverRec[];
  published: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Left in the outbox after the drain (counted as lost). */
  pending: number;
  ok: boolean;
}

export interface DemoResult {
  board: SimBoard;
  recorder: Recorder;
  /** The event log (deterministic for a seed). */
  lines: string[];
  summary: DemoSummary;
  /** The summary as printed (deterministic; wall time is printed apart). */
  summaryText: string[];
  wallMs: number;
  exitCode: number;
}

/** Summary of a finished run. */
export function summarize(rec: Recorder, seed: number): DemoSummary {
  var b = rec.board;
  var seq: string[] = [];
  var fo: FailoverRec[] = [];
  var boot = -1;
  for (var i = 0; i < rec.moves.length; i++) {
    var m: MoveRec = rec.moves[i];
    seq.push(m.to);
    if (m.from === null) {
      if (boot < 0) boot = m.t;
      continue;
    }
    var from = m.trigger ? m.trigger.t : m.causeT;
    fo.push({ from: m.from, to: m.to, reason: m.reason, ms: Math.round(m.t - from), trigger: m.trigger ? m.trigger.text : m.cause });
  }
  var n = rec.counts();
  var lost = n.published - n.delivered;
  return {
    scenario: b.scenario ? b.scenario.name : '(none)', seed: seed, policy: b.manager.policy.name, virtualMs: Math.round(rec.now()),
    sequence: seq, bootToCloudMs: Math.round(boot), failovers: fo, published: n.published, delivered: n.delivered, lost: lost,
    duplicates: n.duplicates, pending: n.pending, ok: lost === 0 && n.published > 0,
  };
}

/** The summary as lines. */
export function summaryLines(s: DemoSummary): string[] {
  var out: string[] = [];
  out.push('summary: scenario ' + s.scenario + ', seed ' + s.seed + ', policy ' + s.policy + ', ' + (s.virtualMs / 1000).toFixed(1) + ' s of virtual time');
  out.push('  boot to cloud: ' + (s.bootToCloudMs >= 0 ? (s.bootToCloudMs / 1000).toFixed(3) + ' s' : 'never'));
  out.push('  session carried by: ' + (s.sequence.length ? s.sequence.join(' -> ') : '(never connected)'));
  for (var i = 0; i < s.failovers.length; i++) {
    var f = s.failovers[i];
    out.push('  move ' + f.from + ' -> ' + f.to + ' (' + f.reason + '): ' + (f.ms / 1000).toFixed(3) + ' s after ' + f.trigger);
  }
  out.push('  QoS 1 publishes: ' + s.published + ' published, ' + s.delivered + ' delivered, ' + s.lost + ' lost' +
    (s.pending ? ' (' + s.pending + ' still in the outbox)' : '') + ', ' + s.duplicates + ' duplicate deliveries');
  out.push('  result: ' + (s.ok ? 'OK, nothing lost' : s.published ? 'FAILED: ' + s.lost + ' publish(es) not delivered' : 'FAILED: nothing published'));
  return out;
}

/** Runs the demo; resolves when it is over (the caller sets the exit code). */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  var out = o.out || process.stdout;
  var tty = !!(out as any).isTTY;
  var headless = o.headless || !tty;
  var seed = o.seed === undefined ? 1 : o.seed;
  var realTime = !!o.cloud;
  var speed = realTime ? 1 : o.speed || 20;
  var wall0 = Date.now();
  var board = await createSimBoard({
    seed: seed, scenario: o.scenario || 'demo', sketch: o.sketch || exampleSketch('failover-demo'), policy: o.policy || 'ours',
    cloud: o.cloud || 'embedded', realTime: realTime, play: false,
  });
  var rec = new Recorder(board, { cloudUrl: o.cloud, verbose: true, maxEvents: headless ? 200000 : 2000 });
  try {
    await rec.ready();
  } catch (e) {
    await rec.close();
    await board.stop();
    throw e;
  }
  board.play();
  var duration = o.durationMs || (board.scenario ? board.scenario.durationMs : 360000);
  var printed = 0;
  var flush = function () {
    var l = rec.linesSince(printed);
    printed = rec.total;
    if (!o.quiet) for (var i = 0; i < l.length; i++) out.write(l[i] + '\n');
  };

  if (headless) {
    while (rec.now() < duration) {
      if (realTime) await sleep(200);
      else await board.run(Math.min(5000, duration - rec.now()));
      flush();
    }
  } else {
    var info: DashboardInfo = {
      scenario: board.scenario, seed: seed, pace: realTime ? 'real time (' + o.cloud + ')' : speed === 1 ? 'real time' : speed + 'x',
      durationMs: duration, cols: (out as any).columns || 100, rows: (out as any).rows || 40, color: o.color !== undefined ? o.color : tty,
    };
    out.write('\u001b[?25l');
    var stop = false;
    var onInt = function () {
      stop = true;
    };
    process.once('SIGINT', onInt);
    var frameMs = 100;
    try {
      while (rec.now() < duration && !stop) {
        var t = Date.now();
        if (realTime) await sleep(frameMs);
        else {
          await board.run(Math.min(frameMs * speed, duration - rec.now()));
          await sleep(Math.max(0, frameMs - (Date.now() - t)));
        }
        info.cols = (out as any).columns || info.cols;
        info.rows = (out as any).rows || info.rows;
        out.write(frame(rec, info));
      }
    } finally {
      process.removeListener('SIGINT', onInt);
      out.write('\u001b[?25h\n');
    }
  }
  // Drain: no new publishes; give the outbox time to deliver what it holds.
  rec.draining = true;
  var drainMs = o.drainMs === undefined ? 60000 : o.drainMs;
  var drained = function () {
    var st = board.session.stats();
    return st.queued === 0 && st.inFlight === 0 && rec.undelivered().length === 0;
  };
  if (realTime) {
    var end = Date.now() + drainMs;
    while (!drained() && Date.now() < end) await sleep(100);
  } else {
    await board.runUntil(drained, drainMs);
    await board.run(100);
  }
  if (headless) flush();
  var summary = summarize(rec, seed);
  var text = summaryLines(summary);
  var wallMs = Date.now() - wall0;
  out.write('\n' + text.join('\n') + '\n');
  out.write('  wall time: ' + (wallMs / 1000).toFixed(2) + ' s\n');
  var lines = rec.lines();
  await rec.close();
  await board.stop();
  return { board: board, recorder: rec, lines: lines, summary: summary, summaryText: text, wallMs: wallMs, exitCode: summary.ok ? 0 : 1 };
}

function sleep(ms: number): Promise<void> {
  return new Promise<void>(function (r) {
    setTimeout(r, ms);
  });
}

