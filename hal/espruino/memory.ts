import { Memory } from '../memory';

/** Reads (and so clears) the interpreter's error flags; `cb(flags)` when they say memory ran low. */
function chk(cb: (flags: string[]) => void): void {
  var f = E.getErrorFlags();
  if (f.indexOf('LOW_MEMORY') >= 0 || f.indexOf('MEMORY') >= 0) cb(f);
}

/**
 * Espruino's pool. Low memory is a flag, not an exception: "LOW_MEMORY" (the pool ran empty and a garbage
 * collection had to make room) is only recorded, and "MEMORY" (an allocation failed, the running code was
 * stopped) is what `E.on('errorFlag')` reports. Both stay set until read, so one 5 s poll of
 * E.getErrorFlags() sees both (reading clears them, so the next shortage is reported again; other flags
 * read with them are dropped).
 */
export var espruinoMemory: Memory = {
  usage: function () {
    return process.memory();
  },
  onLow: function (cb) {
    setInterval(chk, 5000, cb);
  },
};
