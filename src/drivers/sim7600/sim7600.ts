import { AtCmd, AT_OK, AT_IP_ERROR, AT_CIP_ERROR, AT_TIMEOUT, AT_ABORTED } from './at-engine';
import { atFields, atInt, hasPrefix, withDefaults } from './at-util';
import { Modem, ModemOptions } from './modem';
import { E_OK, E_REFUSED, E_TIMEOUT, E_RESET, E_NETDOWN, E_DNS, E_NO_SOCKET, E_INVALID, E_DEVICE } from '../../net/types';

/** Links (sockets) of the SIM7600's CIP command set: 0–9, shared by TCP and UDP. */
export const SIM7600_LINKS = 10;
/** Largest AT+CIPSEND and AT+CIPRXGET=2 chunk (more gives +CIPERROR: 3); also used for AT+CCHSEND / AT+CCHRECV. */
export const SIM7600_CHUNK = 1500;
/**
 * SSL sessions of the CCH command set (AT+CCHOPEN <session_id> 0–1). The interface numbers them as links
 * SIM7600_LINKS + session, after the CIP links.
 */
export const SIM7600_SSL_SESSIONS = 2;

/**
 * Maps an AT+CCHOPEN / +CCHSEND <err> to an E_* socket error (SIM7600 SSL application note: 3 busy,
 * 4 peer closed, 5 timeout, 9 network error, 10 open session error, 11 state error, 12 create socket
 * error, 13 DNS error, 14 connect socket error, 15 handshake error, 17 no network).
 */
export function cchError(code: number): number {
  if (code === 0) return E_OK;
  if (code === 4) return E_RESET;
  if (code === 5 || code === 18) return E_TIMEOUT;
  if (code === 9 || code === 17) return E_NETDOWN;
  if (code === 13) return E_DNS;
  if (code === 14 || code === 15) return E_REFUSED;
  if (code === 3 || code === 10 || code === 11 || code === 12) return E_NO_SOCKET;
  return E_DEVICE;
}

/** Completion of a command whose outcome does not matter (AT+CCHSET, AT+CCHSTART). */
function ignoreAt(): void {}

/** SIM7600-specific timeouts, ms. */
export interface Sim7600Timings {
  /** +NETOPEN wait (TinyGSM: 75 s). */
  netOpenMs: number;
  /** +NETCLOSE wait. */
  netCloseMs: number;
  /** AT+CDNSGIP answer. */
  dnsMs: number;
  /** +CIPSEND confirmation. */
  sendMs: number;
  /** +CIPCLOSE confirmation. */
  closeMs: number;
}

export var DEFAULT_SIM7600_TIMINGS: Sim7600Timings = {
  netOpenMs: 75000,
  netCloseMs: 30000,
  dnsMs: 30000,
  sendMs: 20000,
  closeMs: 15000,
};

export interface Sim7600Options extends ModemOptions {
  simTimings?: Partial<Sim7600Timings>;
  /** AT+CGAUTH authentication type when a user or password is set: 1 PAP (default), 2 CHAP. */
  authType?: number;
}

/** Maps a CIP error code (+CIPOPEN/+CIPCLOSE/+CIPERROR/+NETOPEN <err>) to an E_* socket error. */
export function cipError(code: number): number {
  if (code === 0) return E_OK;
  if (code === 1) return E_REFUSED;
  if (code === 2) return E_NETDOWN;
  if (code === 3 || code === 4) return E_INVALID;
  if (code === 5 || code === 6 || code === 9) return E_NO_SOCKET;
  if (code === 10) return E_TIMEOUT;
  if (code === 11) return E_DNS;
  return E_DEVICE;
}

function atErr(res: number): number {
  return res === AT_TIMEOUT ? E_TIMEOUT : res === AT_ABORTED ? E_NETDOWN : E_DEVICE;
}

/**
 * A socket-level callback: (ctx, E_* error, a number, and for reads the data and the UDP peer), called with
 * `this` = the optional receiver given after it (as for every callback of the modem).
 */
export type LinkCb = (ctx: any, err: number, n: number, data?: string, ip?: string, port?: number) => void;

/** Completes a link operation: the caller's LinkCb (`y`) on its receiver (`o`) with its context (`x`). */
function linkDone(r: AtCmd, err: number, n: number, data?: string, ip?: string, port?: number): void {
  r.y.call(r.o, r.x, err, n, data, ip, port);
}

/**
 * The SIM7600's differences from the 3GPP base: the CIP TCP/IP command set (AT+NETOPEN, AT+CIPOPEN,
 * AT+CIPSEND, AT+CIPRXGET manual receive, AT+CIPCLOSE, AT+IPADDR, AT+CDNSGIP), system info (AT+CPSI?,
 * AT+CNSMOD?) and their URCs.
 *
 * Events (besides Modem's): "rx" (link) data waiting; "ipclose" (link, reason) link closed by the modem
 * or peer (reason 0 local, 1 remote, 2 send timeout, -1 closed by NETCLOSE); "netlost" the PDP context
 * dropped (+CIPEVENT); "ciperror" (code) unsolicited +CIPERROR; "lateopen" (link, err) a +CIPOPEN after
 * its wait ended.
 */
export class Sim7600 extends Modem {
  _st: Sim7600Timings;
  _auth: number;
  /** Last AT+CPSI? line (fields after "+CPSI: "). */
  cpsi = '';
  /** Last +CNSMOD mode (0 none … 8 LTE). */
  sysMode = 0;

  constructor(o: Sim7600Options) {
    super(o);
    this._st = withDefaults(DEFAULT_SIM7600_TIMINGS, o.simTimings);
    this._auth = o.authType || 1;
  }

  /** Unsolicited lines of the CIP and CCH command sets, after the 3GPP ones (Modem._urc). */
  _urc(l: string): boolean {
    if (super._urc(l)) return true;
    var ev = this.events;
    var f: string[];
    var n: number;
    if (hasPrefix(l, '+CIPRXGET: 1,')) {
      n = atInt(atFields(l, '+CIPRXGET: 1,')[0]);
      if (n >= 0 && n < SIM7600_LINKS) ev.emit('rx', n);
    } else if (hasPrefix(l, '+IPCLOSE:')) {
      f = atFields(l, '+IPCLOSE:');
      ev.emit('ipclose', atInt(f[0]), atInt(f[1]));
    } else if (hasPrefix(l, '+CIPCLOSE:')) {
      f = atFields(l, '+CIPCLOSE:');
      if (f.length === 2) ev.emit('ipclose', atInt(f[0]), -1);
    } else if (hasPrefix(l, '+CIPEVENT:')) ev.emit('netlost');
    else if (hasPrefix(l, '+CIPERROR:')) ev.emit('ciperror', atInt(atFields(l, '+CIPERROR:')[0]));
    else if (hasPrefix(l, '+CIPOPEN:')) {
      f = atFields(l, '+CIPOPEN:');
      ev.emit('lateopen', atInt(f[0]), atInt(f[1]));
    }
    // SSL (CCH) URCs: data waiting (manual receive), the peer closed, a session closed by the modem.
    else if (hasPrefix(l, '+CCHEVENT:')) {
      f = atFields(l, '+CCHEVENT:');
      n = atInt(f[0]);
      if (n >= 0 && n < SIM7600_SSL_SESSIONS && f[1] === 'RECV EVENT') ev.emit('rx', SIM7600_LINKS + n);
    } else if (hasPrefix(l, '+CCH_PEER_CLOSED:') || hasPrefix(l, '+CCH_RECV_CLOSED:')) {
      n = atInt(atFields(l.substr(l.indexOf(':') + 1), '')[0]);
      if (n >= 0 && n < SIM7600_SSL_SESSIONS) ev.emit('ipclose', SIM7600_LINKS + n, 1);
    } else if (hasPrefix(l, '+CCHCLOSE:')) {
      n = atInt(atFields(l, '+CCHCLOSE:')[0]);
      if (n >= 0 && n < SIM7600_SSL_SESSIONS) ev.emit('ipclose', SIM7600_LINKS + n, -1);
    } else if (hasPrefix(l, '+CCHOPEN:')) {
      f = atFields(l, '+CCHOPEN:');
      n = atInt(f[0]);
      if (n >= 0 && n < SIM7600_SSL_SESSIONS) ev.emit('lateopen', SIM7600_LINKS + n, atInt(f[1]));
    } else {
      // Second-stage lines after their wait ended: known, nothing to do.
      return hasPrefix(l, '+NETOPEN:') || hasPrefix(l, '+NETCLOSE:') || hasPrefix(l, '+CIPSEND:') || hasPrefix(l, '+CCHRECV:') ||
        hasPrefix(l, '+CCHSEND:') || hasPrefix(l, '+CCHSTART:') || hasPrefix(l, '+CCHSTOP:');
    }
    return true;
  }

  // ---- SSL: the CCH command set (TLS done by the modem) ----

  /**
   * Opens SSL session `n` to host:port (a name is resolved by the modem): AT+CCHSET=1,1 (report send
   * results, receive data on request), AT+CCHSTART (start the SSL service; an error when it already runs is
   * ignored), then AT+CCHOPEN=<n>,"<host>",<port>,2 (client type 2 = SSL/TLS), waiting `waitMs` for
   * +CCHOPEN: <n>,<err> (the TCP connect and the handshake). `cb(ctx, E_*)`.
   */
  sslOpen(n: number, host: string, port: number, waitMs: number, ctx: any, cb: LinkCb, o?: any): void {
    var t = this._t.cmdMs;
    this.at.send({ c: 'AT+CCHSET=1,1', t: t, cb: ignoreAt });
    this.at.send({ c: 'AT+CCHSTART', t: t, u: '+CCHSTART:', w: this._st.netOpenMs, cb: ignoreAt });
    if (!this.at.send({ c: 'AT+CCHOPEN=' + n + ',"' + host + '",' + port + ',2', t: t, u: '+CCHOPEN: ' + n + ',', w: waitMs, cb: this._onSslOpen, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onSslOpen(res: number, r: AtCmd): void {
    if (r.f) linkDone(r, cchError(atInt(atFields(r.f, '+CCHOPEN:')[1])), 0);
    else linkDone(r, atErr(res), 0);
  }

  /**
   * AT+CCHSEND=<n>,<len> — sends ≤ 1500 bytes after the `>` prompt (the modem encrypts), then waits for
   * +CCHSEND: <n>,<err>. `cb(ctx, E_*, bytes sent)`.
   */
  sslSend(n: number, data: string, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CCHSEND=' + n + ',' + data.length, t: this._t.cmdMs, d: data, u: '+CCHSEND: ' + n + ',', w: this._st.sendMs, cb: this._onSslSend, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onSslSend(res: number, r: AtCmd): void {
    if (res === AT_OK && r.f) {
      var e = atInt(atFields(r.f, '+CCHSEND:')[1]);
      if (e === 0) linkDone(r, E_OK, r.d!.length);
      else linkDone(r, cchError(e) === E_DEVICE ? E_RESET : cchError(e), 0);
    } else linkDone(r, atErr(res), 0);
  }

  /**
   * AT+CCHRECV=<n>,<max> — reads up to `max` decrypted bytes: +CCHRECV: DATA,<n>,<len> then <len> raw bytes
   * (read by length), then +CCHRECV: <n>,<err> and OK. More data left is announced by another
   * +CCHEVENT: <n>,RECV EVENT. `cb(ctx, E_*, 0, data)`.
   */
  sslRead(n: number, max: number, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CCHRECV=' + n + ',' + max, t: this._t.cmdMs, p: '+CCHRECV: DATA,', n: 1, cb: this._onSslRead, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onSslRead(res: number, r: AtCmd): void {
    if (res === AT_OK) linkDone(r, E_OK, 0, r.b || '');
    else linkDone(r, atErr(res), 0);
  }

  /** AT+CCHCLOSE=<n> — closes SSL session `n` (close_notify); waits for +CCHCLOSE: <n>,<err>. `cb(ctx, E_*)`. */
  sslClose(n: number, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CCHCLOSE=' + n, t: this._t.cmdMs, u: '+CCHCLOSE: ' + n + ',', w: this._st.closeMs, cb: this._onClose, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  /**
   * Configures the PDP context: AT+CGDCONT=1,"IP","<apn>" (define PDP context), AT+CGAUTH=1,<type>,"<pwd>","<user>"
   * when credentials are set (never logged), AT+CIPMODE=0 (non-transparent). `cb(ok)`.
   */
  pdpConfig(apn: string, user: string, password: string, cb: (ok: boolean) => void, o?: any): void {
    var cmds = ['AT+CGDCONT=1,"IP","' + apn + '"'];
    if (user || password) cmds.push('AT+CGAUTH=1,' + this._auth + ',"' + password + '","' + user + '"');
    cmds.push('AT+CIPMODE=0');
    this.seq(cmds, this._t.cmdMs, cb, o);
  }

  /** AT+NETOPEN — opens the packet network; waits for +NETOPEN: <err>. `cb(err)` with a CIP code, -1 on no answer. */
  netOpen(cb: (err: number) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+NETOPEN', t: this._t.cmdMs, u: '+NETOPEN:', w: this._st.netOpenMs, cb: this._onNetOpen, y: cb, o: o })) cb.call(o, -1);
  }

  _onNetOpen(res: number, r: AtCmd): void {
    if (res === AT_OK && r.f) r.y.call(r.o, atInt(atFields(r.f, '+NETOPEN:')[0]));
    else if (res === AT_IP_ERROR && r.e === 'Network is already opened') r.y.call(r.o, 0);
    else r.y.call(r.o, res === AT_TIMEOUT || res === AT_ABORTED ? -1 : 1);
  }

  /** AT+NETCLOSE — closes the packet network (every link closes). `cb(ok)`: closed, or was not open. */
  netClose(cb: (ok: boolean) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+NETCLOSE', t: this._t.cmdMs, u: '+NETCLOSE:', w: this._st.netCloseMs, cb: this._onNetClose, y: cb, o: o })) cb.call(o, false);
  }

  _onNetClose(res: number, r: AtCmd): void {
    r.y.call(r.o, res !== AT_TIMEOUT && res !== AT_ABORTED);
  }

  /** AT+NETOPEN? — `cb(1)` open, `cb(0)` closed, `cb(-1)` no answer. */
  netQuery(cb: (open: number) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+NETOPEN?', t: this._t.cmdMs, p: '+NETOPEN:', cb: this._onNetQ, y: cb, o: o })) cb.call(o, -1);
  }

  _onNetQ(res: number, r: AtCmd): void {
    if (res === AT_OK && r.l) r.y.call(r.o, atInt(atFields(r.l[0], '+NETOPEN:')[0]) === 1 ? 1 : 0);
    else r.y.call(r.o, res === AT_TIMEOUT || res === AT_ABORTED ? -1 : 0);
  }

  /** AT+IPADDR — the PDP address; `cb(ip)` or `cb('')`. */
  ipAddr(cb: (ip: string) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+IPADDR', t: this._t.cmdMs, p: '+IPADDR:', cb: this._onIp, y: cb, o: o })) cb.call(o, '');
  }

  _onIp(res: number, r: AtCmd): void {
    r.y.call(r.o, res === AT_OK && r.l ? r.l[0].substr(8).trim() : '');
  }

  /** AT+CDNSGIP="<host>" — resolves with the modem's resolver; `cb(ctx, err, 0, ip)`. */
  dns(host: string, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CDNSGIP="' + host + '"', t: this._st.dnsMs, p: '+CDNSGIP:', cb: this._onDns, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onDns(res: number, r: AtCmd): void {
    var f = r.l ? atFields(r.l[0], '+CDNSGIP:') : [];
    if (f[0] === '1' && f.length >= 3) linkDone(r, E_OK, 0, f[f.length - 1]);
    else linkDone(r, res === AT_TIMEOUT ? E_TIMEOUT : res === AT_ABORTED ? E_NETDOWN : E_DNS, 0);
  }

  /**
   * AT+CIPOPEN — opens link `l`: TCP to host:port (a name is resolved by the modem), or UDP bound to
   * `lport`. Waits `waitMs` for +CIPOPEN: <l>,<err>. `cb(ctx, E_*)`.
   */
  open(l: number, udp: boolean, host: string, port: number, lport: number, waitMs: number, ctx: any, cb: LinkCb, o?: any): void {
    var c = udp ? 'AT+CIPOPEN=' + l + ',"UDP",,,' + lport : 'AT+CIPOPEN=' + l + ',"TCP","' + host + '",' + port;
    if (!this.at.send({ c: c, t: this._t.cmdMs, u: '+CIPOPEN: ' + l + ',', w: waitMs, cb: this._onOpen, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onOpen(res: number, r: AtCmd): void {
    if (r.f) linkDone(r, cipError(atInt(atFields(r.f, '+CIPOPEN:')[1])), 0);
    else linkDone(r, res === AT_CIP_ERROR ? cipError(atInt(r.e)) : atErr(res), 0);
  }

  /**
   * AT+CIPSEND=<l>,<len>[,"<ip>",<port>] — sends ≤ 1500 bytes after the `>` prompt, then waits for
   * +CIPSEND: <l>,<req>,<cnf>. `cb(ctx, E_*, cnf)`; cnf −1 (link gone) gives E_RESET.
   */
  send(l: number, data: string, ip: string, port: number, ctx: any, cb: LinkCb, o?: any): void {
    var c = 'AT+CIPSEND=' + l + ',' + data.length + (ip ? ',"' + ip + '",' + port : '');
    if (!this.at.send({ c: c, t: this._t.cmdMs, d: data, u: '+CIPSEND: ' + l + ',', w: this._st.sendMs, cb: this._onSend, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onSend(res: number, r: AtCmd): void {
    if (res === AT_OK && r.f) {
      var cnf = atInt(atFields(r.f, '+CIPSEND:')[2]);
      if (cnf >= 0) linkDone(r, E_OK, cnf);
      else linkDone(r, E_RESET, 0);
    } else linkDone(r, res === AT_CIP_ERROR ? E_DEVICE : atErr(res), 0);
  }

  /**
   * AT+CIPRXGET=2,<l>,<max> — reads up to `max` (≤ 1500) buffered bytes: +CIPRXGET: 2,<l>,<got>,<rest>
   * then <got> raw bytes (read by length). UDP reads may end with the peer (ip:port or "ip",port; unverified).
   * `cb(ctx, E_*, rest, data, ip, port)`; "+IP ERROR: No data" gives E_OK with no data.
   */
  read(l: number, max: number, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CIPRXGET=2,' + l + ',' + max, t: this._t.cmdMs, p: '+CIPRXGET: 2,', n: 1, cb: this._onRead, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onRead(res: number, r: AtCmd): void {
    if (res === AT_OK && r.l) {
      var f = atFields(r.l[0], '+CIPRXGET: 2,');
      var rest = atInt(f[2]);
      var ip: string | undefined;
      var port: number | undefined;
      if (f.length >= 4) {
        var a = f[3];
        var k = a.indexOf(':');
        if (k > 0) {
          ip = a.substr(0, k);
          port = atInt(a.substr(k + 1));
        } else {
          ip = a;
          port = atInt(f[4]);
        }
      }
      linkDone(r, E_OK, rest > 0 ? rest : 0, r.b || '', ip, port);
    } else if (res === AT_IP_ERROR && r.e === 'No data') linkDone(r, E_OK, 0, '');
    else linkDone(r, atErr(res), 0);
  }

  /** AT+CIPCLOSE=<l> — closes a link; waits for +CIPCLOSE: <l>,<err>. `cb(ctx, E_*)` (closed either way). */
  close(l: number, ctx: any, cb: LinkCb, o?: any): void {
    if (!this.at.send({ c: 'AT+CIPCLOSE=' + l, t: this._t.cmdMs, u: '+CIPCLOSE: ' + l + ',', w: this._st.closeMs, cb: this._onClose, x: ctx, y: cb, o: o })) cb.call(o, ctx, E_DEVICE, 0);
  }

  _onClose(res: number, r: AtCmd): void {
    linkDone(r, res === AT_OK ? E_OK : atErr(res), 0);
  }

  /** AT+CPSI? (UE system information) then AT+CNSMOD? (network system mode); `cb()` after both. */
  readInfo(cb: () => void, o?: any): void {
    this.at.send({ c: 'AT+CPSI?', t: this._t.cmdMs, p: '+CPSI:', cb: this._onInfo });
    if (!this.at.send({ c: 'AT+CNSMOD?', t: this._t.cmdMs, p: '+CNSMOD:', cb: this._onInfo, y: cb, o: o })) cb.call(o);
  }

  _onInfo(res: number, r: AtCmd): void {
    if (res === AT_OK && r.l) {
      var l = r.l[0];
      if (l.charAt(3) === 'P') this.cpsi = l.substr(7).trim();
      else {
        var m = atInt(atFields(l, '+CNSMOD:')[1]);
        if (m >= 0) this.sysMode = m;
      }
    }
    if (r.y) r.y.call(r.o);
  }
}
