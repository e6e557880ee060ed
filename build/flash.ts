/**
 * `npm run flash -- --port /dev/ttyUSB0 [--ram] [--sketch FILE] [--board NAME] [--baud N] [--dry-run]`
 *
 * Builds (board, or sketch + board), checks the result with the gate's static rules, then uploads it with
 * the espruino CLI (node_modules/.bin/espruino, or $ESPRUINO_CLI) at 115200 baud. The CLI gets a board JSON
 * listing the ESP32's built-in modules plus our own module ids, and `--config MODULE_URL=`, so it never goes
 * online to look for a module.
 *
 * By default the code boots from Storage: `--config SAVE_ON_SEND=1` makes the CLI write it to the board's
 * Storage (`.bootcde`), where function bodies stay in flash and only objects take variable blocks. That is
 * the only way today's firmware fits. `--save` is still accepted and means the same. `--ram` uploads to
 * RAM instead (the REPL holds the whole text in variable blocks, nothing survives a reset); a file whose
 * text, held twice while it loads, needs more blocks than the ESP32's pool is refused (see ramRefusal).
 * The command exits non-zero when the CLI cannot reach the board (the CLI itself exits 0 then).
 * `--dry-run` prints the mode and the command line and does nothing else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { buildFirmware, DEFAULT_BOARD, ROOT, parseArgs, formatSizes } from './build';
import { BuildError, SKETCH_ID } from './bundle';
import { checkBuiltFile } from './gate';

export interface FlashOptions {
  port: string;
  /** Upload to RAM instead of booting from Storage. */
  ram?: boolean;
  sketch?: string;
  board?: string;
  baud?: number;
  root?: string;
  /** The espruino CLI to run (default $ESPRUINO_CLI, else node_modules/.bin/espruino). */
  cli?: string;
}

export interface FlashPlan {
  /** Working directory of the command (the repository root). */
  cwd: string;
  /** The built file that is uploaded (relative to cwd). */
  file: string;
  /** The board JSON the CLI gets (relative to cwd), written next to the built file. */
  boardJson: string;
  /** The base board JSON it extends (boards/esp32.board.json). */
  baseBoardJson: string;
  /** argv: the CLI and its arguments. */
  command: string[];
  /** 'storage' (boots from Storage, the default) or 'ram'. */
  mode: 'storage' | 'ram';
  /** One line saying where the code goes, printed before the upload. */
  says: string;
}

export var DEFAULT_BAUD = 115200;

/** The ESP32's variable pool at most (16383 blocks of 14 bytes; fewer on boards without PSRAM). */
export var ESP32_POOL_BLOCKS = 16383;

/**
 * Variable blocks a string of n characters takes in the ESP32 layout: floor(n / 10) + 1. Measured with
 * the ESP32-layout Espruino 2v29 (32-bit, 14-byte blocks): E.getSizeOf("x".repeat(n)) is 1 for n = 0..9,
 * 2 for 10..19, 3 for 20..29, 101 for 1000, 121 for 1200, 1201 for 12000, and a 50 000-character string
 * raised process.memory().usage by 5003. So a plain string holds 10 characters per block there.
 */
export function stringBlocks(n: number): number {
  return Math.floor(n / 10) + 1;
}

/**
 * Why a RAM upload of a file of this many bytes cannot work, or '' when it might. Sent to the REPL, the
 * one-line file is held in variable blocks as the input line, and while it runs every function body is
 * copied out of that line into blocks of its own: at the peak the text is there twice. The rule: refuse
 * when 2 x stringBlocks(bytes) exceeds the pool (so anything over about 80 KB on an ESP32). Measured in
 * the ESP32 layout, piping one-line files of small module definitions into the REPL: 50 KB loaded (8 111
 * blocks in use after), 70 KB and 90 KB ran OUT OF MEMORY, and so did the 160 KB firmware. Passing the
 * rule is necessary, not sufficient: the objects the code creates need blocks too.
 */
export function ramRefusal(bytes: number, pool?: number): string {
  var max = pool || ESP32_POOL_BLOCKS;
  var need = 2 * stringBlocks(bytes);
  if (need <= max) return '';
  return 'a RAM upload cannot fit: the file is ' + bytes + ' bytes, and while it loads its text is held twice ' +
    '(the REPL line and the function bodies copied from it), about ' + need + ' variable blocks at 10 characters ' +
    'per 14-byte block, while the ESP32 has at most ' + max + '. Boot it from Storage instead (npm run flash ' +
    'without --ram): there the code stays in flash.';
}

/** The built file's base name for these options (as `npm run build` names it). */
export function outputName(o: { board?: string; sketch?: string }): string {
  var board = o.board || DEFAULT_BOARD;
  return o.sketch ? path.basename(o.sketch).replace(/\.tsx?$/, '') + '.' + board : board;
}

/** What `npm run flash` runs, without building or touching anything. */
export function flashPlan(o: FlashOptions): FlashPlan {
  if (!o.port) throw new BuildError('--port is required (e.g. --port /dev/ttyUSB0, or tcp://192.168.1.50:23)');
  var root = path.resolve(o.root || ROOT);
  var name = outputName(o);
  var file = 'build/out/' + name + '.js';
  var boardJson = 'build/out/' + name + '.board.json';
  var command = [
    o.cli || process.env.ESPRUINO_CLI || 'node_modules/.bin/espruino',
    '--board', boardJson,
    '--config', 'MODULE_URL=',
  ];
  if (!o.ram) command.push('--config', 'SAVE_ON_SEND=1');
  command.push('-b', String(o.baud || DEFAULT_BAUD), '-p', o.port, '--no-ble', file);
  var says = o.ram
    ? 'flash: uploading to RAM (--ram): the code runs from variable blocks and is lost at reset'
    : 'flash: boots from Storage: the code is saved to the board\'s Storage (.bootcde) and runs from flash at every boot';
  return { cwd: root, file: file, boardJson: boardJson, baseBoardJson: 'boards/esp32.board.json', command: command,
    mode: o.ram ? 'ram' : 'storage', says: says };
}

/**
 * Runs the plan's CLI, passing its output through, and resolves to the exit code. The espruino CLI exits 0
 * even when it never reached the board (it prints "Unable to connect!", or only "RECEIVE ERROR: ..." for a
 * refused TCP port), so an upload counts as done only when the CLI said "Connected" and not "Unable to
 * connect!"; otherwise this prints why and resolves to 1.
 */
export function runCli(plan: FlashPlan, port: string): Promise<number> {
  return new Promise(function (resolve, reject) {
    var child = spawn(plan.command[0], plan.command.slice(1), { cwd: plan.cwd, stdio: ['inherit', 'pipe', 'pipe'] });
    var seen = '';
    function keep(chunk: Buffer) {
      seen = (seen + chunk.toString('utf8')).slice(-100000);
    }
    child.stdout!.on('data', function (c: Buffer) { process.stdout.write(c); keep(c); });
    child.stderr!.on('data', function (c: Buffer) { process.stderr.write(c); keep(c); });
    child.on('error', reject);
    child.on('close', function (code: number | null) {
      if (code !== 0) return resolve(code === null ? 1 : code);
      if (seen.indexOf('Unable to connect!') >= 0 || !/^Connected\s*$/m.test(seen)) {
        console.error('flash failed: the espruino CLI could not reach the board on ' + port +
          ' (is it plugged in, is the port right, is another program holding it?)');
        return resolve(1);
      }
      resolve(0);
    });
  });
}

/**
 * The board JSON for one built file: the ESP32 built-ins plus the ids of our modules, which the CLI would
 * otherwise take for modules to download (it scans the code for `require("...")`).
 */
export function boardJsonFor(base: any, moduleIds: string[]): any {
  var out = JSON.parse(JSON.stringify(base));
  out.info = out.info || {};
  var list: string[] = (out.info.builtin_modules || []).slice();
  for (var id of moduleIds.concat([SKETCH_ID])) if (list.indexOf(id) < 0) list.push(id);
  out.info.builtin_modules = list;
  return out;
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : "'" + a.replace(/'/g, "'\\''") + "'";
}

async function main(): Promise<number> {
  var args = parseArgs(process.argv.slice(2));
  for (var k in args) {
    if (['port', 'save', 'ram', 'sketch', 'board', 'baud', 'dry-run', 'help'].indexOf(k) < 0) {
      throw new BuildError('unknown option --' + k + ' (options: --port P, --ram, --sketch FILE, --board NAME, --baud N, --dry-run)');
    }
  }
  if (args.help) {
    console.log('usage: npm run flash -- --port /dev/ttyUSB0 [--ram] [--sketch FILE] [--board NAME] [--baud 115200] [--dry-run]\n' +
      '  boots from Storage by default (--save is accepted and means the same); --ram uploads to RAM instead');
    return 0;
  }
  if (args.save && args.ram) throw new BuildError('--save and --ram contradict each other (booting from Storage is the default)');
  var o: FlashOptions = {
    port: typeof args.port === 'string' ? args.port : '',
    ram: !!args.ram,
    sketch: typeof args.sketch === 'string' ? args.sketch : undefined,
    board: typeof args.board === 'string' ? args.board : undefined,
    baud: typeof args.baud === 'string' ? Number(args.baud) : undefined,
  };
  var plan = flashPlan(o);
  var line = plan.command.map(quote).join(' ');
  if (args['dry-run']) {
    console.log(plan.says);
    console.log(line);
    return 0;
  }
  var r = await buildFirmware({ board: o.board, sketch: o.sketch });
  console.log(formatSizes(r, ROOT));
  var problems = checkBuiltFile(r.file);
  if (problems.length) {
    for (var p of problems) console.error('[' + p.rule + '] ' + p.message + ' (module ' + p.module + ', ' + p.where + ')');
    throw new BuildError('not flashing: the built file fails the Espruino gate (npm run check:espruino)');
  }
  return flashBuilt(plan, o.port, r.modules);
}

/**
 * Uploads the built file of a plan: refuses a RAM upload that cannot fit, writes the board JSON, says where
 * the code goes, runs the CLI. Throws a BuildError when it refuses; resolves to the exit code.
 */
export function flashBuilt(plan: FlashPlan, port: string, moduleIds: string[]): Promise<number> {
  if (plan.mode === 'ram') {
    var why = ramRefusal(fs.statSync(path.join(plan.cwd, plan.file)).size);
    if (why) throw new BuildError('not flashing: ' + why);
  }
  var base = JSON.parse(fs.readFileSync(path.join(plan.cwd, plan.baseBoardJson), 'utf8'));
  fs.writeFileSync(path.join(plan.cwd, plan.boardJson), JSON.stringify(boardJsonFor(base, moduleIds), null, 2) + '\n');
  console.log(plan.says);
  console.log(plan.command.map(quote).join(' '));
  return runCli(plan, port);
}

if (require.main === module) {
  main().then(function (code) {
    process.exit(code);
  }, function (e) {
    console.error(e instanceof BuildError ? 'flash failed: ' + e.message : e);
    process.exit(1);
  });
}
