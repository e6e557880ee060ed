import { strict as assert } from 'assert';
import { rig, ready } from './harness';
import { IF_READY, IF_CONNECTING, IF_FAILED, R_NO_LINK, E_NETDOWN } from '../../../src/net/types';

describe('W5500Interface link', function () {
  it('emits "link" true after power-on with the cable in', function () {
    var r = rig();
    var links: boolean[] = [];
    r.eth.events.on('link', (u: boolean) => links.push(u));
    r.eth.on();
    r.clock.advance(50);
    assert.deepEqual(links, [true]);
    assert.equal(r.eth.linkUp(), true);
  });

  it('emits "link" false then true as the cable is pulled and plugged back', function () {
    var r = rig();
    var links: boolean[] = [];
    r.eth.events.on('link', (u: boolean) => links.push(u));
    r.eth.on();
    r.clock.advance(50);
    r.nic.setLink(false);
    r.clock.advance(500);
    r.nic.setLink(true);
    r.clock.advance(500);
    assert.deepEqual(links, [true, false, true]);
  });

  it('waits in connecting for the link, then gets ready when it comes', function () {
    var r = rig({}, {}, (n) => n.setLink(false));
    r.eth.connect();
    r.clock.advance(3000);
    assert.equal(r.eth.state(), IF_CONNECTING);
    r.nic.setLink(true);
    r.clock.runUntil(() => r.eth.state() === IF_READY, 10000);
    assert.equal(r.eth.state(), IF_READY);
  });

  it('fails with no_link when the link does not come within linkTimeoutMs', function () {
    var r = rig({ linkTimeoutMs: 2000 }, {}, (n) => n.setLink(false));
    r.eth.connect();
    r.clock.advance(1900);
    assert.equal(r.eth.state(), IF_CONNECTING);
    r.clock.advance(200);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_LINK);
  });

  it('connect() after a no_link failure tries again without resetting the chip', function () {
    var r = rig({ linkTimeoutMs: 1000 }, {}, (n) => n.setLink(false));
    r.eth.connect();
    r.clock.advance(1500);
    var resets = r.model.resets;
    r.nic.setLink(true);
    r.eth.connect();
    r.clock.runUntil(() => r.eth.state() === IF_READY, 10000);
    assert.equal(r.eth.state(), IF_READY);
    assert.equal(r.model.resets, resets);
  });

  it('link lost while ready: sockets close with E_NETDOWN and the state goes back to connecting', function () {
    var r = rig();
    ready(r);
    var closed = -1;
    r.eth.tcp({ host: '192.168.1.1', port: 7, onClose: (e) => (closed = e) });
    r.clock.advance(50);
    r.nic.setLink(false);
    r.clock.advance(300);
    assert.equal(closed, E_NETDOWN);
    assert.equal(r.eth.state(), IF_CONNECTING);
    assert.equal(r.eth.info().ip, '0.0.0.0');
    assert.equal(r.model.s[0].sr, 0, 'chip socket closed');
  });

  it('link back after a loss: DHCP again, asking for the previous address, then ready', function () {
    var r = rig();
    ready(r);
    r.nic.setLink(false);
    r.clock.advance(300);
    r.nic.setLink(true);
    r.clock.runUntil(() => r.eth.state() === IF_READY, 10000);
    assert.equal(r.eth.state(), IF_READY);
    var disc = r.nic.dhcpSeen.filter((d) => d.type === 1);
    assert.equal(disc[disc.length - 1].reqIp, '192.168.1.100');
  });

  it('link lost while ready, not back in time: failed/no_link', function () {
    var r = rig({ linkTimeoutMs: 3000 });
    ready(r);
    r.nic.setLink(false);
    r.clock.advance(3500);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_LINK);
  });

  it('with linkLossFails, link lost while ready is failed/no_link at once', function () {
    var r = rig({ linkLossFails: true });
    ready(r);
    r.nic.setLink(false);
    r.clock.advance(300);
    assert.equal(r.eth.state(), IF_FAILED);
    assert.equal(r.eth.reason(), R_NO_LINK);
  });

  it('polls the link every linkPollMs and nothing else while no socket is open', function () {
    var r = rig({ linkPollMs: 500 }, { trace: true });
    r.eth.on();
    r.clock.advance(50);
    r.model.resetCounters();
    r.clock.advance(5000);
    assert.equal(r.model.spiFrames, 10);
    assert.ok(r.model.frames.every((f) => f.addr === 0x2e && f.bsb === 0 && !f.write));
  });
});
