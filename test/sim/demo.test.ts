import { strict as assert } from 'assert';
import { runDemo, DemoResult } from '../../sim/demo/run';
import { parseDemoArgs } from '../../sim/demo/main';
import { render } from '../../sim/demo/dashboard';
import { createSimBoard } from '../../boards/host-sim';
import { Recorder } from '../../sim/demo/recorder';

/** The headless demo with its output collected. */
async function demo(seed: number, extra?: any): Promise<{ r: DemoResult; text: string }> {
  var text = '';
  var r = await runDemo(Object.assign({ seed: seed, headless: true, out: { write: function (s: string) { text += s; } } }, extra || {}));
  return { r: r, text: text };
}

describe('npm start (sim/demo)', function () {
  var first: { r: DemoResult; text: string };

  before(async function () {
    first = await demo(7);
  });

  it('moves the session eth0 -> wl0 -> cell0 -> eth0 through the demo scenario', function () {
    assert.deepEqual(first.r.summary.sequence, ['eth0', 'wl0', 'cell0', 'eth0']);
    assert.deepEqual(first.r.recorder.moves.map(function (m) { return m.reason; }), ['boot', 'cloud_lost', 'liveness', 'fail_back']);
    assert.match(first.r.recorder.moves[1].trigger!.text, /^link-down nic="eth0"/);
    assert.match(first.r.recorder.moves[2].trigger!.text, /^outage-start nic="wl0"/);
  });

  it('loses no QoS 1 publish, across every move, and exits 0', function () {
    var s = first.r.summary;
    assert.ok(s.published >= 70, 'published ' + s.published);
    assert.equal(s.delivered, s.published);
    assert.equal(s.lost, 0);
    assert.equal(first.r.exitCode, 0);
    // Some were published while no interface carried the session: the outbox delivered them.
    assert.ok(first.r.recorder.pubs.some(function (p) { return p.via === null && p.deliveredT > p.t; }));
  });

  it('gives the same headless log twice for the same seed', async function () {
    var again = await demo(7);
    assert.ok(first.r.lines.length > 100);
    assert.deepEqual(again.r.lines, first.r.lines);
    assert.deepEqual(again.r.summaryText, first.r.summaryText);
  });

  it('prints the event log and the summary headless', function () {
    assert.match(first.text, /^ +0\.000 scenario +start demo$/m);
    assert.match(first.text, / move +eth0 -> wl0 \(cloud_lost\)/);
    assert.match(first.text, /^  session carried by: eth0 -> wl0 -> cell0 -> eth0$/m);
    assert.match(first.text, /^  result: OK, nothing lost$/m);
  });

  it('runs --duration past the scenario and with the baseline policy', async function () {
    var b = await demo(3, { durationMs: 420000, policy: 'baseline', quiet: true });
    assert.equal(b.r.summary.policy, 'particle-baseline');
    assert.ok(b.r.summary.virtualMs >= 420000);
    assert.equal(b.r.summary.lost, 0);
    assert.equal(b.text.indexOf(' pub '), -1, 'quiet: no event lines');
  });

  it('parses its options and rejects bad ones', function () {
    assert.deepEqual(parseDemoArgs(['--scenario', 'cable-pull', '--seed=4', '--speed', '5', '--duration', '600', '--headless']),
      { scenario: 'cable-pull', seed: 4, speed: 5, durationMs: 600000, headless: true });
    assert.equal(parseDemoArgs(['--cloud', 'mqtt://127.0.0.1:1883']).cloud, 'mqtt://127.0.0.1:1883');
    assert.throws(function () { parseDemoArgs(['--cloud', 'http://x']); }, /mqtt:\/\//);
    assert.throws(function () { parseDemoArgs(['--speed', 'fast']); }, /not a number/);
    assert.throws(function () { parseDemoArgs(['--seed']); }, /needs a value/);
    assert.throws(function () { parseDemoArgs(['--bogus']); }, /unknown option/);
  });

  it('draws a dashboard frame with every interface, the cloud line and the counts', async function () {
    var b = await createSimBoard({ seed: 2, scenario: 'demo', play: false, sketch: require.resolve('../../examples/failover-demo') });
    var rec = new Recorder(b);
    await rec.ready();
    b.play();
    await b.run(20000);
    var f = render(rec, { scenario: b.scenario, seed: 2, pace: '20x', durationMs: 360000, cols: 100, rows: 30, color: false });
    var n = rec.pubs.length;
    await rec.close();
    await b.stop();
    var lines = f.split('\n');
    assert.match(f, /^cloud: CONNECTED over eth0/m);
    assert.ok(lines.some(function (l) { return /^\*eth0 +ready/.test(l); }), f);
    assert.ok(lines.some(function (l) { return /^ wl0 +ready +-55 dBm/.test(l); }), f);
    assert.ok(lines.some(function (l) { return /^ cell0 +ready +-\d+ dBm/.test(l); }), f);
    assert.ok(n >= 4);
    assert.ok(f.indexOf('published (QoS 1) ' + n + '   delivered ' + n + ' ') >= 0, f);
    assert.match(f, /^next: +60\.0 s link-down eth0/m);
    assert.ok(lines.length <= 30, 'fits the terminal: ' + lines.length);
  });
});
