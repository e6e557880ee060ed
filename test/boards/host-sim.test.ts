import { strict as assert } from 'assert';
import { createSimBoard, exampleSketch, SimBoard } from '../../boards/host-sim';
import { Recorder } from '../../sim/demo/recorder';
import { IF_READY } from '../../src/net/types';

/** Everything the broker carries on `filter`, as "topic=payload". */
function listen(b: SimBoard, filter: string): Promise<string[]> {
  var got: string[] = [];
  return new Promise(function (res) {
    b.world.cloud.broker.aedes.subscribe(filter, function (p: any, cb: () => void) {
      // Requests (…/get) match the same filter; keep the answers.
      if (!/\/get$/.test(p.topic)) got.push(p.topic + '=' + p.payload.toString());
      cb();
    }, function () {
      res(got);
    });
  });
}

describe('host-sim board', function () {
  var boards: SimBoard[] = [];
  var recs: Recorder[] = [];

  async function board(o: any): Promise<{ b: SimBoard; rec: Recorder }> {
    var b = await createSimBoard(Object.assign({ play: false }, o));
    var rec = new Recorder(b, { verbose: false });
    await rec.ready();
    b.play();
    boards.push(b);
    recs.push(rec);
    return { b: b, rec: rec };
  }

  afterEach(async function () {
    for (var r of recs) await r.close();
    for (var b of boards) await b.stop();
    boards = [];
    recs = [];
  });

  it('assembles eth0, wl0 and cell0 over their chip models and brings all three up', async function () {
    var x = await board({ seed: 3, scenario: null });
    var b = x.b;
    assert.deepEqual(b.manager.interfaces().map(function (i) { return i.id; }), ['eth0', 'wl0', 'cell0']);
    assert.ok(await b.runUntil(function () {
      return ['eth0', 'wl0', 'cell0'].every(function (id) { return b.ifs[id].state() === IF_READY; });
    }, 60000));
    assert.match(b.ifs.eth0.info().ip, /^192\.168\.1\./);
    assert.match(b.ifs.cell0.info().ip, /^10\.64\./);
    assert.equal(b.manager.cloudIface()!.id, 'eth0');
    assert.ok(b.w5500!.spiFrames > 0, 'the W5500 driver talked SPI to the model');
    assert.ok(b.sim7600!.bytesIn > 0, 'the SIM7600 driver talked AT to the model');
    assert.deepEqual(b.world.cloud.broker.clients(), ['sim-3']);
  });

  it('runs two boards in one process without shared state: own world, API, sketch instance and device id', async function () {
    var a = await board({ seed: 1, scenario: null, sketch: exampleSketch('failover-demo') });
    var c = await board({ seed: 2, scenario: null, sketch: exampleSketch('failover-demo') });
    assert.notEqual(a.b.api, c.b.api);
    assert.notEqual(a.b.sketch.setup, c.b.sketch.setup, 'each board loads its own copy of the sketch');
    await a.b.run(31000);
    await c.b.run(11000);
    // Board a ran 31 s (7 readings), board c 11 s (3 readings): the sketches' counters are their own.
    var ra = a.rec.pubs.filter(function (p) { return p.name === 'reading'; });
    var rc = c.rec.pubs.filter(function (p) { return p.name === 'reading'; });
    assert.equal(ra.length, 7);
    assert.equal(rc.length, 3);
    assert.equal(ra[6].data.split(' ')[0], '6');
    assert.equal(a.b.api.Particle.deviceID(), 'sim-1');
    assert.equal(c.b.api.Particle.deviceID(), 'sim-2');
    assert.deepEqual(a.b.world.cloud.broker.clients(), ['sim-1']);
    assert.equal(a.rec.counts().delivered, a.rec.pubs.length);
    assert.equal(c.rec.counts().delivered, c.rec.pubs.length);
  });

  it('runs the failover demo: its cloud function changes the period and its variable answers', async function () {
    var x = await board({ seed: 4, scenario: null, sketch: exampleSketch('failover-demo') });
    var b = x.b;
    var results = await listen(b, 'd/sim-4/r/#');
    var vars = await listen(b, 'd/sim-4/v/#');
    await b.run(12000);
    await b.world.cloud.broker.publish('d/sim-4/f/setInterval', '2', 1);
    await b.run(10);
    var before = x.rec.pubs.length;
    await b.run(10000);
    assert.deepEqual(results, ['d/sim-4/r/setInterval=2']);
    var readings = x.rec.pubs.slice(before).filter(function (p) { return p.name === 'reading'; });
    assert.ok(readings.length >= 4 && readings.length <= 6, 'a reading every 2 s now, got ' + readings.length + ' in 10 s');
    await b.world.cloud.broker.publish('d/sim-4/v/seq/get', '', 0);
    await b.run(1000);
    assert.equal(vars.length, 1);
    assert.equal(vars[0], 'd/sim-4/v/seq=' + x.rec.pubs.filter(function (p) { return p.name === 'reading'; }).length);
  });

  it('runs with-network: withNetwork(Ethernet) reports the cable\'s address, later the carrying interface', async function () {
    var x = await board({ seed: 5, scenario: 'cable-pull', sketch: exampleSketch('with-network') });
    await x.b.run(150000);
    var reports = x.rec.pubs.filter(function (p) { return p.name === 'net/report'; });
    assert.ok(reports.length >= 2, 'reports: ' + reports.length);
    assert.match(reports[0].data, /^ethernet ready ip 192\.168\.1\.\d+/);
    assert.ok(reports.every(function (p) { return p.deliveredT >= 0; }), 'every report delivered');
    var kinds = reports.slice(1).map(function (p) { return p.data.split(' ')[0]; });
    var carriers = x.rec.moves.map(function (m) { return m.to; });
    assert.ok(carriers.length >= 2, 'the cable pull moved the session: ' + carriers.join(','));
    assert.ok(kinds.indexOf(carriers[carriers.length - 1] === 'eth0' ? 'ethernet' : carriers[carriers.length - 1] === 'wl0' ? 'wifi' : 'cell') >= 0,
      'a report on the interface carrying the cloud: ' + kinds.join(','));
  });

  it('runs preference-and-sequence: the stored sequence settles the session on Wi-Fi; "choose cellular" moves to cell0', async function () {
    var x = await board({ seed: 6, scenario: null, sketch: exampleSketch('preference-and-sequence') });
    var b = x.b;
    var vars = await listen(b, 'd/sim-6/v/#');
    assert.ok(await b.runUntil(function () {
      var i = b.manager.cloudIface();
      return !!i && i.id === 'wl0' && b.manager.connected();
    }, 90000), 'sequence wifi, cell: the session settles on Wi-Fi although the cable is plugged: ' + b.manager.why());
    assert.equal(x.rec.moves[x.rec.moves.length - 1].reason, 'fail_back');
    assert.deepEqual(b.api.Network.getServerInterfaces().slice(0, 2), ['wifi', 'cell']);
    await b.world.cloud.broker.publish('d/sim-6/f/choose', 'cellular', 1);
    assert.ok(await b.runUntil(function () {
      var i = b.manager.cloudIface();
      return !!i && i.id === 'cell0' && b.manager.connected();
    }, 30000), 'moved to the preferred cellular interface: ' + b.manager.why());
    await b.world.cloud.broker.publish('d/sim-6/v/mode/get', '', 0);
    await b.run(2000);
    assert.deepEqual(vars, ['d/sim-6/v/mode=cellular []']);
    assert.equal(b.manager.preferred(), 'cell0');
  });

  it('rejects a bad policy and a bad cloud address', async function () {
    await assert.rejects(createSimBoard({ policy: 'fastest' as any }), TypeError);
    await assert.rejects(createSimBoard({ cloud: 'http://example.com' }), TypeError);
    await assert.rejects(createSimBoard({ cloud: 'mqtt://127.0.0.1:1883' }), /realTime/);
  });
});
