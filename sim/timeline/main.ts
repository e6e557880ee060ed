/**
 * `npm run timeline -- --scenario NAME|FILE --out FILE.svg [--seed N] [--policy ours|baseline] [--duration S]
 * [--sketch FILE]`: plays the scenario on the simulated board with the failover demo sketch, in virtual
 * time, and draws the timeline (sim/timeline/svg.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createSimBoard, exampleSketch } from '../../boards/host-sim';
import { Recorder } from '../demo/recorder';
import { renderTimeline } from './svg';

export interface TimelineRunOptions {
  scenario: string;
  seed?: number;
  policy?: 'ours' | 'baseline';
  durationMs?: number;
  sketch?: string;
  width?: number;
}

/** Plays the scenario and returns the SVG text (and the recorder, closed). */
export async function timelineSvg(o: TimelineRunOptions): Promise<{ svg: string; recorder: Recorder }> {
  var board = await createSimBoard({
    seed: o.seed === undefined ? 1 : o.seed, scenario: o.scenario, policy: o.policy || 'ours',
    sketch: o.sketch || exampleSketch('failover-demo'), play: false,
  });
  var rec = new Recorder(board, { verbose: true, maxEvents: 100000 });
  await rec.ready();
  board.play();
  var dur = o.durationMs || (board.scenario ? board.scenario.durationMs : 360000);
  await board.run(dur);
  // What is still in the outbox gets its chance to arrive (drawn as late deliveries).
  rec.draining = true;
  await board.runUntil(function () {
    return board.session.stats().queued === 0;
  }, 30000);
  var svg = renderTimeline(rec, { durationMs: dur, width: o.width });
  await rec.close();
  await board.stop();
  return { svg: svg, recorder: rec };
}

async function main(): Promise<number> {
  var argv = process.argv.slice(2);
  var o: TimelineRunOptions = { scenario: 'demo' };
  var out = '';
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    var v = i + 1 < argv.length ? argv[i + 1] : '';
    if (a === '--scenario' && v) o.scenario = argv[++i];
    else if (a === '--out' && v) out = argv[++i];
    else if (a === '--seed' && v) o.seed = Number(argv[++i]);
    else if (a === '--policy' && (v === 'ours' || v === 'baseline')) o.policy = argv[++i] as any;
    else if (a === '--duration' && v) o.durationMs = Math.round(Number(argv[++i]) * 1000);
    else if (a === '--sketch' && v) o.sketch = argv[++i];
    else if (a === '--width' && v) o.width = Number(argv[++i]);
    else {
      console.error('usage: npm run timeline -- --scenario NAME|FILE --out FILE.svg [--seed N] [--policy ours|baseline] [--duration S] [--sketch FILE]');
      return 2;
    }
  }
  if (!out) out = 'build/timeline-' + path.basename(o.scenario).replace(/\.json$/, '') + '.svg';
  var r = await timelineSvg(o);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, r.svg);
  var n = r.recorder.counts();
  console.log('wrote ' + out + ': moves ' + r.recorder.moves.map(function (m) { return m.to; }).join(' -> ') + ', ' + r.recorder.probes.length +
    ' probe results, ' + n.published + ' publishes (' + n.delivered + ' delivered)');
  return 0;
}

if (require.main === module) {
  main().then(function (c) {
    process.exit(c);
  }, function (e) {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
