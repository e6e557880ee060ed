/**
 * Runs a JavaScript file in a real Espruino interpreter (the Linux build the user points to with
 * ESPRUINO_BIN), bounded in time: stdin is /dev/null, the working directory is a fresh temporary folder
 * (Espruino keeps its Storage there), and the process is killed (SIGKILL) when the time is up, so no
 * interpreter is left behind. Espruino exits by itself once no timers or sockets are left.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface EspruinoRun {
  /** Output lines without the banner, prompts and carriage returns. */
  lines: string[];
  /** Exit status (null when killed). */
  status: number | null;
  /** True when it was still running at the time limit and was killed. */
  timedOut: boolean;
  /** Lines that mean failure: "Uncaught ...", "ERROR: ...", interpreter errors. */
  errors: string[];
}

/** Lines of Espruino output that mean something went wrong. */
export function isErrorLine(line: string): boolean {
  if (/^New interpreter error: FIFO_FULL$/.test(line)) return false; // an input-thread race of the Linux port
  if (/^ERROR: Connect failed \(err \d+\)$/.test(line)) return false; // a refused/unreachable TCP connect (network condition, handled by the firmware)
  return /^Uncaught /.test(line) || /^ERROR/.test(line) || /^New interpreter error/.test(line) ||
    /Execution Interrupted/.test(line) || /OUT OF MEMORY/i.test(line) || /ASSERT\(/.test(line) || /^EXITING/.test(line);
}

/** Removes the start-up banner, REPL prompts and CRs from raw interpreter output. */
export function cleanOutput(raw: string): string[] {
  var text = raw.replace(/\r?>\r\x1b\[J/g, '').replace(/\x1b\[J/g, '').replace(/\r/g, '');
  var lines = text.split('\n');
  var donate = -1;
  for (var i = 0; i < Math.min(lines.length, 20); i++) {
    if (/espruino\.com\/Donate$/.test(lines[i])) {
      donate = i;
      break;
    }
  }
  if (donate >= 0) {
    lines = lines.slice(donate + 1);
    if (lines.length && lines[0] === '') lines.shift();
  }
  while (lines.length && (lines[lines.length - 1] === '' || lines[lines.length - 1] === '>')) lines.pop();
  return lines.map(function (l) { return l.replace(/^>/, ''); });
}

/** Runs `file` in the interpreter `bin` for at most `timeoutMs`. */
export function runInEspruino(bin: string, file: string, timeoutMs: number): EspruinoRun {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-run-'));
  try {
    var r = spawnSync(bin, [path.resolve(file)], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'latin1',
    });
    if (r.error && (r.error as any).code !== 'ETIMEDOUT') throw r.error;
    var lines = cleanOutput(String(r.stdout || '') + String(r.stderr || ''));
    return {
      lines: lines,
      status: r.status,
      timedOut: r.status === null,
      errors: lines.filter(isErrorLine),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same, without blocking Node's event loop (for tests whose servers run in this process). The
 * interpreter is killed (SIGKILL) at the time limit.
 */
export function runInEspruinoAsync(bin: string, file: string, timeoutMs: number): Promise<EspruinoRun> {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-run-'));
  return new Promise(function (resolve, reject) {
    var chunks: Buffer[] = [];
    var killed = false;
    var child = spawn(bin, [path.resolve(file)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    var timer = setTimeout(function () {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', function (d: Buffer) { chunks.push(d); });
    child.stderr.on('data', function (d: Buffer) { chunks.push(d); });
    child.on('error', function (e) {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', function (status) {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      var lines = cleanOutput(Buffer.concat(chunks).toString('latin1'));
      resolve({ lines: lines, status: killed ? null : status, timedOut: killed, errors: lines.filter(isErrorLine) });
    });
  });
}
