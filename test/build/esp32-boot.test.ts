import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  analyzeBoot, ballastCode, cleanLine, crc32, isBootFailure, measureBoot, parseBallast, parseSample, parseStartupLine,
  sampleCommand, writerCode, ESP32_BLOCKS,
} from '../../build/esp32-boot';

var BIN = process.env.ESPRUINO_ESP32_BIN;

function skipWithoutBin(ctx: Mocha.Context): void {
  if (BIN) return;
  console.log('      skipped: ESPRUINO_ESP32_BIN not set (point it to an ESP32-layout Espruino interpreter, docs/memory.md)');
  ctx.skip();
}

describe('booting from Storage in the ESP32 layout (build/esp32-boot.ts)', function () {
  describe('reading the output', function () {
    it('finds the firmware\'s start-up figure', function () {
      assert.deepEqual(parseStartupLine('I board: memory after start-up: usage 12447 of 16383 blocks'), { usage: 12447, total: 16383, blocksize: 0 });
      assert.deepEqual(parseStartupLine('I board: memory after start-up: usage 9000 of 32768 blocks (27 bytes each)'), { usage: 9000, total: 32768, blocksize: 27 });
      assert.equal(parseStartupLine('I board: memory at first cloud connection: usage 1 of 2 blocks'), null);
    });

    it('reads a memory sample anywhere in a line, and only a whole one', function () {
      var s = '#MEM {"free":3979,"usage":12404,"total":16383,"history":0,"gc":0,"gctime":0.8,"blocksize":14}';
      assert.deepEqual(parseSample(s), { usage: 12404, free: 3979, total: 16383, blocksize: 14 });
      assert.deepEqual(parseSample('I eth0: ready' + s), { usage: 12404, free: 3979, total: 16383, blocksize: 14 });
      assert.equal(parseSample('#MEM {"free":3979,"usage":12404,"total":16383,"history'), null);
      assert.equal(parseSample('#MEM {"free":1}'), null);
      assert.equal(parseSample('print("#MEM "+JSON.stringify(process.memory()))'), null);
    });

    it('reads the ballast\'s two reports', function () {
      assert.deepEqual(parseBallast('#BAL0 {"free":16328,"usage":55,"total":16383}'), { which: 0, mem: { usage: 55, free: 16328, total: 16383, blocksize: undefined } });
      assert.equal(parseBallast('#BAL1 {"free":1'), null);
    });

    it('fails on uncaught errors, OUT OF MEMORY, interrupts, interpreter errors, ASSERT and EXITING, not on FIFO_FULL', function () {
      var bad = ['Uncaught Error: boom', 'ERROR: OUT OF MEMORY', 'Execution Interrupted', 'New interpreter error: MEMORY',
        'ASSERT(jsvGetLocks(var) < JSV_LOCK_MAX) FAILED AT src/jsvar.c:123', 'EXITING.'];
      for (var b of bad) assert.ok(isBootFailure(b), b);
      var good = ['New interpreter error: FIFO_FULL', 'I board: memory after start-up: usage 1 of 2 blocks', 'W at: timeout AT', 'I mgr: not uncaught'];
      for (var g of good) assert.ok(!isBootFailure(g), g);
    });

    it('cleans prompts, CRs and ESC[J', function () {
      assert.equal(cleanLine('\r\x1b[J>#MEM {}\r'), '#MEM {}');
    });

    it('takes the peak over samples and the start-up figure, and the ballast as the difference of its two samples', function () {
      var r = analyzeBoot([
        '#BAL0 {"free":16328,"usage":55,"total":16383}',
        '#BAL1 {"free":7942,"usage":8441,"total":16383}',
        '#MEM {"free":100,"usage":9000,"total":16383}',
        'I board: memory after start-up: usage 9100 of 16383 blocks',
        '#MEM {"free":100,"usage":8900,"total":16383}',
        'ERROR: Out of Memory!', 'Execution Interrupted',
      ]);
      assert.equal(r.peak, 9100);
      assert.equal(r.samples.length, 2);
      assert.equal(r.last!.usage, 8900);
      assert.equal(r.startup!.usage, 9100);
      assert.equal(r.ballast!.blocks, 8386);
      assert.deepEqual(r.failures, ['Execution Interrupted']);
      assert.equal(r.outOfMemory, false);
      assert.equal(analyzeBoot(['ERROR: OUT OF MEMORY']).outOfMemory, true);
      assert.equal(analyzeBoot([]).peak, -1);
    });

    it('names the known 2v29 UART bug beside its ASSERT, and nothing beside other failures', function () {
      var r = analyzeBoot(['ASSERT(jsvHasStringExt(it->var)) FAILED AT src/jsvariterator.c:466', 'Uncaught Error: x']);
      assert.equal(r.failures.length, 2);
      assert.match(r.failures[0], /^ASSERT\(jsvHasStringExt.*#2718/);
      assert.equal(r.failures[1], 'Uncaught Error: x');
    });

    it('computes the CRC-32 that E.CRC32 and zlib compute', function () {
      var data = Buffer.from('var x = "\xff";\n'.repeat(300), 'latin1');
      var z = (zlib as any).crc32;
      assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
      if (typeof z === 'function') assert.equal(crc32(data), z(data) >>> 0);
    });

    it('writes in 1024-byte chunks with the total size first, and samples without echo', function () {
      var w = writerCode('/tmp/fw.js', 5000, 0);
      assert.ok(/f\.read\(1024\)/.test(w) && /o\?undefined:5000/.test(w), w);
      assert.ok(!/\.boot0/.test(w));
      assert.ok(/\.boot0/.test(writerCode('/tmp/fw.js', 5000, 100)));
      assert.equal(sampleCommand().charAt(0), '\x10');
      assert.ok(/new Uint8Array\(112000\)/.test(ballastCode(8300)), ballastCode(8300));
      assert.ok(!/Uint8Array/.test(ballastCode(200)));
    });
  });

  it('refuses to boot when Storage does not hold the file (length or CRC wrong)', async function () {
    var d = fs.mkdtempSync(path.join(os.tmpdir(), 'esp32-boot-fake-'));
    try {
      var bin = path.join(d, 'fake-espruino');
      fs.writeFileSync(bin, '#!/bin/sh\necho "#WRITTEN 3 12345"\nsleep 5\n');
      fs.chmodSync(bin, 0o755);
      var f = path.join(d, 'fw.js');
      fs.writeFileSync(f, 'print(1);\n');
      var r = await measureBoot({ bin: bin, file: f, seconds: 1 });
      assert.equal(r.ok, false);
      assert.ok(/writing \.bootcde to Storage failed: stored 3 of 10 bytes/.test(r.problem), r.problem);
      assert.equal(r.samples.length, 0);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  describe('in the interpreter (ESPRUINO_ESP32_BIN)', function () {
    this.timeout(120000);
    var dir = '';
    before(function () {
      skipWithoutBin(this);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp32-boot-test-'));
    });
    after(function () {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    function fw(name: string, code: string): string {
      var f = path.join(dir, name);
      fs.writeFileSync(f, code);
      return f;
    }
    // A firmware that says how much it uses, like a board does, after building an object graph.
    var TINY = 'var keep=[];for(var i=0;i<200;i++)keep.push({n:i});' +
      'setTimeout(function(){var m=process.memory();print("I board: memory after start-up: usage "+m.usage+" of "+m.total+" blocks");},300);\n';

    it('boots a small firmware from Storage and reports its memory after start-up and its peak', async function () {
      var r = await measureBoot({ bin: BIN as string, file: fw('tiny.js', TINY), seconds: 2, sampleMs: 500 });
      assert.ok(r.ok, r.problem + '\n' + r.lines.join('\n'));
      assert.equal(r.startup!.total, ESP32_BLOCKS, 'not the ESP32 layout: ' + JSON.stringify(r.startup));
      assert.ok(r.startup!.usage > 200 && r.startup!.usage < 2000, JSON.stringify(r.startup));
      assert.ok(r.samples.length >= 2, r.lines.join('\n'));
      assert.ok(r.peak >= r.startup!.usage, r.peak + ' < ' + r.startup!.usage);
      assert.equal(r.last!.blocksize, 14);
      assert.equal(r.failures.length, 0);
    });

    it('keeps the code in flash: a firmware file larger than the pool boots from Storage', async function () {
      // 300 KB of function text: far more than 16383 blocks of 14 bytes (229 KB) if it were held in RAM.
      var body = 'function big(){var s=0;' + 's+=1;'.repeat(60000) + 'return s}\n';
      var r = await measureBoot({ bin: BIN as string, file: fw('big.js', body + TINY), seconds: 1 });
      assert.ok(r.ok, r.problem + '\n' + r.lines.join('\n'));
      assert.ok(r.bytes > 300000);
      assert.ok(r.startup!.usage < 2000, JSON.stringify(r.startup));
    });

    it('reports a firmware that allocates too much as OUT OF MEMORY', async function () {
      var greedy = 'var a=[];for(var i=0;i<30000;i++)a.push({i:i});print("never");\n';
      var r = await measureBoot({ bin: BIN as string, file: fw('greedy.js', greedy), seconds: 2, requireStartup: false });
      assert.equal(r.ok, false);
      assert.ok(r.outOfMemory, r.lines.join('\n'));
      assert.ok(/OUT OF MEMORY/.test(r.problem), r.problem);
    });

    it('fails on an uncaught error in the firmware', async function () {
      var r = await measureBoot({ bin: BIN as string, file: fw('throws.js', 'setTimeout(function(){throw new Error("boom")},100);\n'), seconds: 1, requireStartup: false });
      assert.equal(r.ok, false);
      assert.ok(/^Uncaught Error: boom/.test(r.problem), r.problem);
    });

    it('shrinks the pool on purpose: a ballast takes its blocks before the firmware starts', async function () {
      var empty = fw('empty.js', 'print("hi");\n');
      var plain = await measureBoot({ bin: BIN as string, file: empty, seconds: 1, requireStartup: false });
      var cut = await measureBoot({ bin: BIN as string, file: empty, seconds: 1, requireStartup: false, pool: 8000 });
      assert.ok(plain.ok && cut.ok, plain.problem + cut.problem + '\n' + cut.lines.join('\n'));
      var want = ESP32_BLOCKS - 8000;
      assert.ok(Math.abs(cut.ballastBlocks - want) <= 8, 'ballast ' + cut.ballastBlocks + ', asked for ' + want);
      // The firmware really sees the smaller pool: its free blocks are down by the ballast.
      var drop = plain.last!.free - cut.last!.free;
      assert.ok(Math.abs(drop - cut.ballastBlocks) <= 8, 'free dropped by ' + drop + ', ballast ' + cut.ballastBlocks);
      assert.ok(cut.last!.free < 8000 && cut.last!.free > 7800, 'free ' + cut.last!.free);
    });

    it('runs out of memory in a pool cut small where the full pool is enough', async function () {
      var need = fw('need.js', 'var a=[];for(var i=0;i<3000;i++)a.push(i);' + TINY);
      var full = await measureBoot({ bin: BIN as string, file: need, seconds: 1 });
      assert.ok(full.ok, full.problem);
      var cut = await measureBoot({ bin: BIN as string, file: need, seconds: 1, pool: 2000 });
      assert.equal(cut.ok, false);
      assert.ok(cut.outOfMemory, cut.lines.join('\n'));
    });
  });
});
