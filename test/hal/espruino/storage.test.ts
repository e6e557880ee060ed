import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoStorage = require('../../../hal/espruino/storage').EspruinoStorage;

function fakeStorage(): any {
  var files: { [k: string]: string } = {};
  return {
    files: files,
    full: false,
    read: function (n: string) { return files[n]; },
    // Espruino's readJSON(name, true): its JSON dialect (unquoted keys), null when unparsable.
    readJSON: function (n: string) {
      if (files[n] === undefined) return undefined;
      try { return new Function('return (' + files[n] + ')')(); } catch (e) { return null; }
    },
    write: function (n: string, d: string) {
      if (this.full) throw new Error('Not enough free space');
      files[n] = d;
      return true;
    },
    erase: function (n: string) { delete files[n]; },
    list: function () { return Object.keys(files); },
  };
}

describe('EspruinoStorage', function () {
  it('writes and reads strings and JSON', function () {
    var s = new EspruinoStorage({ storage: fakeStorage() });
    assert.equal(s.write('a', 'x\u00ff'), true);
    assert.equal(s.read('a'), 'x\u00ff');
    assert.equal(s.writeJSON('j', { n: 1 }), true);
    assert.deepEqual(s.readJSON('j'), { n: 1 });
  });

  it('a missing file reads as undefined', function () {
    var s = new EspruinoStorage({ storage: fakeStorage() });
    assert.equal(s.read('none'), undefined);
    assert.equal(s.readJSON('none'), undefined);
  });

  it('reads JSON with unquoted keys, as Storage.writeJSON at the console writes it', function () {
    var f = fakeStorage();
    f.files.cfg = '{deviceId:"x",port:1884}';
    assert.deepEqual(new EspruinoStorage({ storage: f }).readJSON('cfg'), { deviceId: 'x', port: 1884 });
  });

  it('unparsable JSON reads as undefined', function () {
    var f = fakeStorage();
    f.files.bad = '{oops';
    assert.equal(new EspruinoStorage({ storage: f }).readJSON('bad'), undefined);
  });

  it('write returns false instead of throwing when the flash is full', function () {
    var f = fakeStorage();
    f.full = true;
    assert.equal(new EspruinoStorage({ storage: f }).write('a', 'x'), false);
  });

  it('write returns false for a name longer than 28 characters or empty', function () {
    var f = fakeStorage();
    var s = new EspruinoStorage({ storage: f });
    assert.equal(s.write('a'.repeat(29), 'x'), false);
    assert.equal(s.write('', 'x'), false);
    assert.equal(s.write('a'.repeat(28), 'x'), true);
    assert.deepEqual(Object.keys(f.files), ['a'.repeat(28)]);
  });

  it('lists by prefix, sorted, without the system files', function () {
    var f = fakeStorage();
    f.files['.bootcde'] = 'code';
    f.files['ns.b'] = '1';
    f.files['ns.a'] = '2';
    f.files['other'] = '3';
    var s = new EspruinoStorage({ storage: f });
    assert.deepEqual(s.list('ns.'), ['ns.a', 'ns.b']);
    assert.deepEqual(s.list(), ['ns.a', 'ns.b', 'other']);
    assert.deepEqual(s.list('.boot'), ['.bootcde']);
  });

  it('erases', function () {
    var f = fakeStorage();
    var s = new EspruinoStorage({ storage: f });
    s.write('a', '1');
    s.erase('a');
    s.erase('never');
    assert.equal(s.read('a'), undefined);
  });
});
