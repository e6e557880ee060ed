import { strict as assert } from 'assert';
import { World } from '../../../sim/world';
import { Sim7600Model } from '../../../sim/sim7600/sim7600-model';
import { Sim7600Interface } from '../../../src/drivers/sim7600/sim7600-interface';
import { MqttClient, MC_UP } from '../../../src/cloud/mqtt-client';
import { IF_READY, E_OK } from '../../../src/net/types';

/** The SIM7600 model on the simulated world's cellular network, the driver on top. */
function board(world: World) {
  var model = new Sim7600Model({ clock: world.clock, net: world.cellNetwork({ apn: 'internet' }) });
  var cell = new Sim7600Interface({ uart: model.uart, clock: world.clock, pwrkey: model.pwrkey, status: model.status, apn: 'internet' });
  return { model: model, cell: cell };
}

describe('Sim7600Interface in the simulated world', function () {
  var world: World;
  afterEach(function () {
    return world.close();
  });

  it('comes up on the world cellular network and echoes a UDP probe off the cloud', async function () {
    world = new World({ seed: 3 });
    var b = board(world);
    b.cell.connect();
    assert.ok(await world.runUntil(function () { return b.cell.state() === IF_READY; }, 60000));
    assert.match(b.cell.info().ip, /^10\.64\./);
    var ip = '';
    b.cell.resolve('cloud.sim', function (e, a) { if (e === E_OK) ip = a; });
    assert.ok(await world.runUntil(function () { return ip !== ''; }, 10000));
    assert.equal(ip, world.cloud.ip);
    var echoed = '';
    var u = b.cell.udp({ onMessage: function (d) { echoed = d; } })!;
    u.send('probe-1', ip, 7);
    assert.ok(await world.runUntil(function () { return echoed !== ''; }, 10000));
    assert.equal(echoed, 'probe-1');
  });

  it('holds an MQTT session with the world broker from power-off, with the AT transcript logged', async function () {
    world = new World({ seed: 5 });
    var b = board(world);
    var got: string[] = [];
    var mq = new MqttClient({
      clock: world.clock, id: 'cell-dev-1', keepAliveS: 30,
      onMessage: function (t, p) { got.push(t + '=' + p); },
    });
    b.cell.connect();
    assert.ok(await world.runUntil(function () { return b.cell.state() === IF_READY; }, 60000));
    mq.connect(b.cell, 'cloud.sim', 1883);
    assert.ok(await world.runUntil(function () { return mq.state() === MC_UP; }, 30000), 'mqtt state ' + mq.state());
    mq.subscribe(['dev/cell-dev-1/in'], [1]);
    await world.run(2000);
    var pub = world.cloud.broker.publish('dev/cell-dev-1/in', 'hello over LTE', 1);
    await world.run(100);
    await pub;
    mq.publish('dev/cell-dev-1/out', 'x'.repeat(3000), 1, false);
    assert.ok(await world.runUntil(function () { return got.length > 0 && mq.inFlight() === 0; }, 30000));
    assert.deepEqual(got, ['dev/cell-dev-1/in=hello over LTE']);
    await world.run(70000);
    assert.equal(mq.state(), MC_UP);
    assert.ok(mq.nPong >= 1);
    var t = b.model.transcript.join('\n');
    assert.ok(t.indexOf('> AT+CIPOPEN=0,"TCP","cloud.sim",1883') >= 0);
    assert.ok(t.indexOf('< +CIPRXGET: 1,0') >= 0);
    if (process.env.SIM7600_TRANSCRIPT) console.log(t);
    mq.close();
  });
});
