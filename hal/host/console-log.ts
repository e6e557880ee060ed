import { Log, LOG_ERROR, LOG_WARN, LOG_INFO } from '../log';

var NAMES = ['E', 'W', 'I', 'D'];

/** A log that keeps lines in memory (bounded) and optionally prints those at or above `printLevel`. */
export class MemoryLog implements Log {
  lines: string[] = [];
  constructor(private _now: () => number = () => 0, private _print = -1, private _max = 20000) {}
  log(level: number, tag: string, msg: string): void {
    var line = (this._now() / 1000).toFixed(3) + ' ' + NAMES[level] + ' ' + tag + ': ' + msg;
    this.lines.push(line);
    if (this.lines.length > this._max) this.lines.splice(0, this.lines.length - this._max);
    if (level <= this._print) (level <= LOG_WARN ? console.error : console.log)(line);
  }
}

export { LOG_ERROR, LOG_WARN, LOG_INFO };
