/** Log levels: lower is more severe. */
export const LOG_ERROR = 0;
export const LOG_WARN = 1;
export const LOG_INFO = 2;
export const LOG_DEBUG = 3;

/** A sink for log lines. `tag` names the unit (e.g. "w5500", "mgr"). Never pass secrets. */
export interface Log {
  log(level: number, tag: string, msg: string): void;
}

/** A log that drops everything (the default when none is given). */
export var NULL_LOG: Log = { log: function () {} };
