/**
 * `npm run flash -- --port /dev/ttyUSB0 [--save] [--sketch FILE] [--board NAME] [--baud N] [--dry-run]`
 *
 * Builds (board, or sketch + board), checks the result with the gate's static rules, then uploads it with
 * the espruino CLI (node_modules/.bin/espruino) at 115200 baud. The CLI gets a board JSON listing the ESP32's
 * built-in modules plus our own module ids, and `--config MODULE_URL=`, so it never goes online to look
 * for a module. `--save` adds `--config SAVE_ON_SEND=1` (the code is written to flash and runs at boot).
 * `--dry-run` prints the command line and does nothing else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { buildFirmware, DEFAULT_BOARD, ROOT, parseArgs, formatSizes } from './build';
import { BuildError, SKETCH_ID } from './bundle';
import { checkBuiltFile } from './gate';

export interface FlashOptions {
  port: string;
  save?: boolean;
  sketch?: string;
  board?: string;
  baud?: number;
  root?: string;
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
}

export var DEFAULT_BAUD = 115200;

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
    'node_modules/.bin/espruino',
    '--board', boardJson,
    '--config', 'MODULE_URL=',
  ];
  if (o.save) command.push('--config', 'SAVE_ON_SEND=1');
  command.push('-b', String(o.baud || DEFAULT_BAUD), '-p', o.port, '--no-ble', file);
  return { cwd: root, file: file, boardJson: boardJson, baseBoardJson: 'boards/esp32.board.json', command: command };
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
    if (['port', 'save', 'sketch', 'board', 'baud', 'dry-run', 'help'].indexOf(k) < 0) {
      throw new BuildError('unknown option --' + k + ' (options: --port P, --save, --sketch FILE, --board NAME, --baud N, --dry-run)');
    }
  }
  if (args.help) {
    console.log('usage: npm run flash -- --port /dev/ttyUSB0 [--save] [--sketch FILE] [--board NAME] [--baud 115200] [--dry-run]');
    return 0;
  }
  var o: FlashOptions = {
    port: typeof args.port === 'string' ? args.port : '',
    save: !!args.save,
    sketch: typeof args.sketch === 'string' ? args.sketch : undefined,
    board: typeof args.board === 'string' ? args.board : undefined,
    baud: typeof args.baud === 'string' ? Number(args.baud) : undefined,
  };
  var plan = flashPlan(o);
  var line = plan.command.map(quote).join(' ');
  if (args['dry-run']) {
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
  var base = JSON.parse(fs.readFileSync(path.join(plan.cwd, plan.baseBoardJson), 'utf8'));
  fs.writeFileSync(path.join(plan.cwd, plan.boardJson), JSON.stringify(boardJsonFor(base, r.modules), null, 2) + '\n');
  console.log(line);
  var run = spawnSync(plan.command[0], plan.command.slice(1), { cwd: plan.cwd, stdio: 'inherit' });
  if (run.error) throw run.error;
  return run.status === null ? 1 : run.status;
}

if (require.main === module) {
  main().then(function (code) {
    process.exit(code);
  }, function (e) {
    console.error(e instanceof BuildError ? 'flash failed: ' + e.message : e);
    process.exit(1);
  });
}
