import { strict as assert } from 'assert';
import { World, listScenarios, loadScenario, runScenario, validateScenario, worldFor, applyEvent, Scenario } from '../../sim/world';

describe('sim scenarios', function () {
  it('ships the named scenarios, all valid', function () {
    var names = listScenarios();
    ['cable-pull', 'wifi-loss', 'silent-upstream-outage', 'flapping-link', 'lossy-cellular', 'broker-restart', 'demo'].forEach(function (n) {
      assert.ok(names.indexOf(n) >= 0, 'missing ' + n);
    });
    names.forEach(function (n) {
      var s = loadScenario(n);
      assert.equal(s.name, n);
    });
  });

  it('applies each event at its time and logs it', function () {
    var s = loadScenario('cable-pull');
    var w = worldFor(s, { seed: 1 });
    runScenario(w, s);
    w.advance(59999);
    assert.equal(w.nic('eth0')!.linkUp(), true);
    w.advance(1);
    assert.equal(w.nic('eth0')!.linkUp(), false);
    w.advance(120000);
    assert.equal(w.nic('eth0')!.linkUp(), true);
    w.advance(60000);
    assert.deepEqual(w.events('scenario'), [
      '       0.000 scenario start cable-pull',
      '   60000.000 scenario link-down nic="eth0"',
      '  180000.000 scenario link-up nic="eth0"',
      '  240000.000 scenario end cable-pull',
    ]);
    return w.close();
  });

  it('expands repeated events (flapping link)', function () {
    var s = loadScenario('flapping-link');
    var w = worldFor(s, { seed: 1 });
    var changes: number[] = [];
    w.nic('eth0')!.onLink(function (up) {
      changes.push(up ? 1 : 0);
    });
    var run = runScenario(w, s);
    assert.equal(run.pending(), 20);
    w.advance(s.durationMs);
    assert.equal(run.pending(), 0);
    assert.equal(changes.join(''), '01010101010101010101');
    return w.close();
  });

  it('runs the demo timeline: Ethernet out at 60 s, Wi-Fi silent at 150 s, Ethernet back at 300 s, Wi-Fi upstream at 330 s', function () {
    var s = loadScenario('demo');
    var w = worldFor(s, { seed: 1 });
    runScenario(w, s);
    w.advance(100000);
    assert.equal(w.link('eth0').up, false);
    assert.equal(w.link('wl0').silent, false);
    w.advance(60000);
    assert.equal(w.link('wl0').silent, true);
    w.advance(150000);
    assert.equal(w.link('eth0').up, true);
    assert.equal(w.link('wl0').silent, true);
    w.advance(25000);
    assert.equal(w.link('wl0').silent, false);
    return w.close();
  });

  it('drives services: broker, DNS, DHCP, AP, cellular', function () {
    var w = new World({ seed: 1, wifi: { aps: [{ ssid: 'x' }] } as any, cell: {} });
    w.ethernetNic('eth0');
    var s: Scenario = validateScenario({
      name: 'services', durationMs: 10000, events: [
        { at: 1000, do: 'broker-stop' },
        { at: 1000, do: 'dns-silent' },
        { at: 1000, do: 'dhcp-silent', lan: 'eth' },
        { at: 1000, do: 'ap-down', ssid: 'x' },
        { at: 1000, do: 'cell-deny' },
        { at: 1000, do: 'broker-refuse-auth' },
        { at: 2000, do: 'broker-start' },
        { at: 2000, do: 'dns-silent', silent: false },
        { at: 2000, do: 'cell-signal', csq: 5 },
        { at: 2000, do: 'cell-set', cnsmod: 7 },
        { at: 2000, do: 'ap-set', ssid: 'x', present: true, rssi: -80 },
      ],
    });
    runScenario(w, s);
    w.advance(1500);
    assert.equal(w.cloud.broker.running, false);
    assert.equal(w.dns.silent, true);
    assert.equal(w.findLan('eth')!.dhcp!.options().silent, true);
    assert.equal(w.airspace().scan().length, 0);
    assert.equal(w.cellNetwork().registration(), 3);
    assert.equal(w.cloud.broker.options().refuseAuth, true);
    w.advance(1000);
    assert.equal(w.cloud.broker.running, true);
    assert.equal(w.dns.silent, false);
    assert.equal(w.cellNetwork().csq(), 5);
    assert.equal(w.cellNetwork().cnsmod(), 7);
    assert.deepEqual(w.airspace().scan().map(function (a) { return a.rssi; }), [-80]);
    return w.close();
  });

  it('masks passwords in the logged events', function () {
    var w = new World({ seed: 1 });
    applyEvent(w, { at: 0, do: 'ap-add', ap: { ssid: 'new', password: 'hunter2' } });
    var text = w.events().join('\n');
    assert.match(text, /scenario ap-add ap=\{"ssid":"new","password":"\*\*\*"\}/);
    assert.doesNotMatch(text, /hunter2/);
    assert.equal(w.airspace().aps()[0].password, 'hunter2');
    return w.close();
  });

  it('rejects unknown events and malformed timelines before running', function () {
    assert.throws(function () {
      validateScenario({ name: 'x', durationMs: 1, events: [{ at: 0, do: 'link-dwon', nic: 'eth0' }] });
    }, /unknown event "link-dwon"/);
    assert.throws(function () {
      validateScenario({ name: 'x', durationMs: 1, events: [{ do: 'mark' }] });
    }, /needs at/);
    assert.throws(function () {
      validateScenario({ name: 'x', events: [] });
    }, /durationMs/);
    var w = new World({ seed: 1 });
    assert.throws(function () {
      applyEvent(w, { at: 0, do: 'link-down', nic: 'eth9' });
    }, /no NIC eth9/);
    return w.close();
  });
});
