import { strict as assert } from 'assert';
import { timelineSvg } from '../../sim/timeline/main';
import { esc } from '../../sim/timeline/svg';

describe('npm run timeline (sim/timeline)', function () {
  var svg = '';
  var moves: string[] = [];

  before(async function () {
    var r = await timelineSvg({ scenario: 'demo', seed: 1 });
    svg = r.svg;
    moves = r.recorder.moves.map(function (m) { return m.to; });
  });

  it('is one well-nested SVG document', function () {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(svg.trim().slice(-6), '</svg>');
    var opens = (svg.match(/<(rect|text|line|circle|path|g|title)[ >]/g) || []).length;
    var closes = (svg.match(/<\/(rect|text|line|circle|path|g|title)>|\/>/g) || []).length;
    assert.equal(opens, closes);
  });

  it('draws a session bar on each interface that carried the session, in order', function () {
    assert.deepEqual(moves, ['eth0', 'wl0', 'cell0', 'eth0']);
    var bars = (svg.match(/<title>cloud session on \w+ [\d.]+/g) || []).map(function (b) {
      var w = b.split(' ');
      return { id: w[3], from: Number(w[4]) };
    });
    bars.sort(function (a, b) { return a.from - b.from; });
    assert.deepEqual(bars.map(function (b) { return b.id; }), moves);
  });

  it('draws the scenario outages, the probes, the publishes and the moves', function () {
    assert.ok(svg.indexOf('link down on eth0 60.0–300.0 s') >= 0);
    assert.ok(svg.indexOf('silent upstream on wl0 150.0–330.0 s') >= 0);
    assert.ok(/probe wl0 at [\d.]+ s: no echo/.test(svg), 'an invalid probe of wl0 during its outage');
    assert.ok(/probe cell0 at [\d.]+ s: \d+ ms/.test(svg));
    assert.ok((svg.match(/reading &quot;\d+ /g) || []).length >= 70);
    assert.ok(svg.indexOf('wl0 → cell0 (liveness)') >= 0);
  });

  it('escapes text', function () {
    assert.equal(esc('a<b & "c">'), 'a&lt;b &amp; &quot;c&quot;&gt;');
  });
});
