/**
 * A minimal event emitter for firmware objects (Espruino's own `on` is not available on the host, and
 * Node's EventEmitter not on the board). Listeners run synchronously in registration order; a throwing
 * listener does not stop the others.
 */
export class Emitter {
  _ls: { [event: string]: Array<(a?: any, b?: any, c?: any) => void> } = {};

  on(event: string, fn: (a?: any, b?: any, c?: any) => void): this {
    var l = this._ls[event];
    if (!l) this._ls[event] = l = [];
    l.push(fn);
    return this;
  }

  off(event: string, fn: (a?: any, b?: any, c?: any) => void): this {
    var l = this._ls[event];
    if (l) {
      var i = l.indexOf(fn);
      if (i >= 0) l.splice(i, 1);
    }
    return this;
  }

  emit(event: string, a?: any, b?: any, c?: any): void {
    var l = this._ls[event];
    if (!l) return;
    l = l.slice();
    for (var i = 0; i < l.length; i++) {
      try {
        l[i](a, b, c);
      } catch (e) {
        if (event !== 'error') this.emit('error', e);
      }
    }
  }
}
