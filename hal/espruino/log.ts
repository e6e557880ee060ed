import { Log, LOG_INFO } from '../log';

var LEVEL_CHARS = 'EWID';

/** Log lines on the console: `I w5500: no chip`. Lines above `level` are dropped. */
export class EspruinoLog implements Log {
  _level: number;

  constructor(level?: number) {
    this._level = level === undefined ? LOG_INFO : level;
  }

  log(level: number, tag: string, msg: string): void {
    if (level <= this._level) console.log(LEVEL_CHARS.charAt(level) + ' ' + tag + ': ' + msg);
  }
}
