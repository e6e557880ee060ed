import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoSpi = require('../../../hal/espruino/spi').EspruinoSpi;

describe('EspruinoSpi', function () {
  var g: any = global;
  var writes: any[];
  var savedDw: any, savedE: any;

  beforeEach(function () {
    writes = [];
    savedDw = g.digitalWrite;
    savedE = g.E;
    g.digitalWrite = function (pin: any, v: any) { writes.push([pin, v]); };
    g.E = { toUint8Array: function (s: string) { return new Uint8Array(s.split('').map(function (c) { return c.charCodeAt(0); })); } };
  });

  afterEach(function () {
    g.digitalWrite = savedDw;
    g.E = savedE;
  });

  function fakeBus(reply: (data: Uint8Array) => any): any {
    return {
      setups: [] as any[],
      sends: [] as any[],
      setup: function (o: any) { this.setups.push(o); },
      send: function (d: Uint8Array, cs: any) { this.sends.push([Array.prototype.slice.call(d), cs]); return reply(d); },
    };
  }

  it('sets the bus up once with the pins, 8 MHz mode 0 by default, and raises CS', function () {
    var bus = fakeBus(function (d) { return new Uint8Array(d.length); });
    new EspruinoSpi({ spi: bus, sck: 18, miso: 19, mosi: 23, cs: 5 });
    assert.deepEqual(bus.setups, [{ sck: 18, miso: 19, mosi: 23, baud: 8000000, mode: 0 }]);
    assert.deepEqual(writes, [[5, 1]]);
  });

  it('sends one chip-select window and returns the bytes read', function () {
    var bus = fakeBus(function () { return new Uint8Array([0, 1, 2, 4]); });
    var spi = new EspruinoSpi({ spi: bus, sck: 18, miso: 19, mosi: 23, cs: 5, baud: 1000000 });
    var r = spi.send(new Uint8Array([0, 0x39, 0, 0]));
    assert.deepEqual(bus.sends, [[[0, 0x39, 0, 0], 5]]);
    assert.ok(r instanceof Uint8Array);
    assert.equal(r[3], 4);
  });

  it('turns a string reply into bytes', function () {
    var bus = fakeBus(function () { return '\x00\x04'; });
    var spi = new EspruinoSpi({ spi: bus, sck: 18, miso: 19, mosi: 23, cs: 5 });
    assert.deepEqual(Array.prototype.slice.call(spi.send(new Uint8Array(2))), [0, 4]);
  });
});
