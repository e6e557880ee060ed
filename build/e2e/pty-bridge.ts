/**
 * A pseudo-terminal whose far end is a function of ours: a device opens the pty's path as a serial port
 * (Espruino's Linux build: `Serial1.setup(115200, {path})`) and talks to a chip model here. Node has no
 * pty of its own, so a small python3 process owns it and relays its master side over stdin/stdout.
 * Host only; `available()` is false without python3.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';

var RELAY = [
  'import os, pty, select, sys, tty',
  'm, s = pty.openpty()',
  'tty.setraw(s)',
  'tty.setraw(m)',
  'sys.stderr.write(os.ttyname(s) + "\\n"); sys.stderr.flush()',
  'while True:',
  '    r, _, _ = select.select([m, 0], [], [])',
  '    if m in r:',
  '        try: d = os.read(m, 4096)',
  '        except OSError: d = b""',
  '        if d: os.write(1, d)',
  '    if 0 in r:',
  '        d = os.read(0, 4096)',
  '        if not d: break',
  '        os.write(m, d)',
].join('\n');

export class PtyBridge {
  proc: ChildProcess;
  /** The slave side's path ("/dev/pts/7"), known once `ready` resolved. */
  path = '';
  ready: Promise<string>;
  /** Bytes from the device (binary strings). */
  onData: ((d: string) => void) | null = null;

  constructor(python = 'python3') {
    this.proc = spawn(python, ['-c', RELAY], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => {
      if (this.onData) this.onData(d.toString('latin1'));
    });
    this.proc.stdin!.on('error', () => undefined);
    this.ready = new Promise((res, rej) => {
      var err = '';
      this.proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        var k = err.indexOf('\n');
        if (k >= 0 && !this.path) {
          this.path = err.slice(0, k).trim();
          res(this.path);
        }
      });
      this.proc.on('exit', () => rej(new Error('pty relay exited: ' + err.trim())));
    });
    this.ready.catch(() => undefined);
  }

  /** Bytes to the device. */
  write(d: string): void {
    if (this.proc.stdin!.writable) this.proc.stdin!.write(Buffer.from(d, 'latin1'));
  }

  /** Stops the relay (the pty goes with it); resolves once the process is gone. */
  close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    var gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.stdin!.end();
    this.proc.kill('SIGKILL');
    return gone;
  }

  /** True when python3 runs here. */
  static available(python = 'python3'): boolean {
    var r = spawnSync(python, ['-c', 'import pty, tty, select'], { stdio: 'ignore', timeout: 5000 });
    return r.status === 0;
  }
}
