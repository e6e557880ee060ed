import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoUart = require('../../../hal/espruino/uart').EspruinoUart;

function fakeSerial(): any {
  return {
    setups: [] as any[],
    written: [] as string[],
    handlers: {} as any,
    setup: function (baud: number, o: any) { this.setups.push([baud, o]); },
    on: function (ev: string, fn: any) { this.handlers[ev] = fn; },
    write: function (d: string) { this.written.push(d); },
  };
}

describe('EspruinoUart', function () {
  it('sets the port up with baud and pins', function () {
    var s = fakeSerial();
    new EspruinoUart({ serial: s, tx: 17, rx: 16, baud: 115200 });
    assert.deepEqual(s.setups, [[115200, { tx: 17, rx: 16 }]]);
  });

  it('passes received chunks to the data callback, and none after it is detached', function () {
    var s = fakeSerial();
    var u = new EspruinoUart({ serial: s, tx: 17, rx: 16, baud: 115200 });
    var got: string[] = [];
    u.onData(function (d: string) { got.push(d); });
    s.handlers.data('AT\r');
    u.onData(null);
    s.handlers.data('lost');
    assert.deepEqual(got, ['AT\r']);
  });

  it('writes bytes and changes the baud rate keeping the pins', function () {
    var s = fakeSerial();
    var u = new EspruinoUart({ serial: s, tx: 17, rx: 16, baud: 115200 });
    u.write('ATE0\r');
    u.setBaud(921600);
    assert.deepEqual(s.written, ['ATE0\r']);
    assert.deepEqual(s.setups[1], [921600, { tx: 17, rx: 16 }]);
  });
});
