import { isIpv4 } from '../../src/net/ip';

/** What the Linux host says of its network: the interface of the default route and its addressing. */
export interface HostNet {
  /** OS interface name of the default route ("eth0", "wlan0", "ppp0"), '' when there is none. */
  ifName: string;
  ip: string;
  netmask: string;
  gateway: string;
  dns: string;
  mac: string;
  /** /sys/class/net/<if>/operstate: "up", "down", "unknown", or '' when unreadable. */
  link: string;
}

/** Reads a whole file as a string, or undefined (missing, unreadable). */
export type ReadFile = (path: string) => string | undefined;

/** A /proc/net/route field (8 hex digits, little-endian) → a dotted quad. */
export function hexToIp(h: string): string {
  if (h.length !== 8) return '0.0.0.0';
  var out: string[] = [];
  for (var i = 6; i >= 0; i -= 2) {
    var b = parseInt(h.substr(i, 2), 16);
    out.push('' + (b >= 0 && b <= 255 ? b : 0));
  }
  return out.join('.');
}

/** A dotted quad → an unsigned 32-bit number (0 when not a dotted quad). */
export function ipToNum(ip: string): number {
  if (!isIpv4(ip)) return 0;
  var p = ip.split('.');
  return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
}

/** One /proc/net/route entry. */
export interface RouteEntry {
  ifName: string;
  dest: string;
  gateway: string;
  mask: string;
  metric: number;
  up: boolean;
}

/** Parses /proc/net/route (header line, then tab-separated rows: Iface Destination Gateway Flags … Metric Mask …). */
export function parseRoutes(text: string): RouteEntry[] {
  var out: RouteEntry[] = [];
  var lines = text.split('\n');
  for (var i = 1; i < lines.length; i++) {
    var f = lines[i].split('\t');
    if (f.length < 8) continue;
    out.push({
      ifName: f[0].trim(),
      dest: hexToIp(f[1].trim()),
      gateway: hexToIp(f[2].trim()),
      mask: hexToIp(f[7].trim()),
      metric: parseInt(f[6], 10) || 0,
      up: (parseInt(f[3], 16) & 1) === 1,
    });
  }
  return out;
}

/** The default route with the lowest metric, or null. */
export function defaultRoute(routes: RouteEntry[]): RouteEntry | null {
  var best: RouteEntry | null = null;
  for (var i = 0; i < routes.length; i++) {
    var r = routes[i];
    if (r.up && r.dest === '0.0.0.0' && r.mask === '0.0.0.0' && (!best || r.metric < best.metric)) best = r;
  }
  return best;
}

/** The host's own IPv4 addresses from /proc/net/fib_trie ("|-- a.b.c.d" followed by "/32 host LOCAL"), loopback left out. */
export function parseLocalAddresses(text: string): string[] {
  var out: string[] = [];
  var lines = text.split('\n');
  for (var i = 0; i + 1 < lines.length; i++) {
    var k = lines[i].indexOf('|-- ');
    if (k < 0 || lines[i + 1].indexOf('/32 host LOCAL') < 0) continue;
    var ip = lines[i].substr(k + 4).trim();
    if (isIpv4(ip) && ip.indexOf('127.') !== 0 && out.indexOf(ip) < 0) out.push(ip);
  }
  return out;
}

/** The first IPv4 "nameserver" of /etc/resolv.conf, or '0.0.0.0'. */
export function parseNameserver(text: string): string {
  var lines = text.split('\n');
  for (var i = 0; i < lines.length; i++) {
    var l = lines[i].trim();
    if (l.indexOf('nameserver') !== 0) continue;
    var ip = l.substr(10).trim();
    if (isIpv4(ip)) return ip;
  }
  return '0.0.0.0';
}

/**
 * Puts together what the host reports: the default route's interface and gateway (/proc/net/route), its
 * address and netmask (the local address inside one of its connected routes, /proc/net/fib_trie), the
 * first name server (/etc/resolv.conf), its MAC and link state (/sys/class/net/<if>/). Every file may be
 * missing (another OS, a sandbox): the fields then keep their blank values.
 */
export function readHostNet(read: ReadFile): HostNet {
  var h: HostNet = { ifName: '', ip: '0.0.0.0', netmask: '0.0.0.0', gateway: '0.0.0.0', dns: '0.0.0.0', mac: '', link: '' };
  var rt = read('/proc/net/route');
  var routes = rt ? parseRoutes(rt) : [];
  var def = defaultRoute(routes);
  if (def) {
    h.ifName = def.ifName;
    h.gateway = def.gateway;
  }
  var fib = read('/proc/net/fib_trie');
  var locals = fib ? parseLocalAddresses(fib) : [];
  for (var i = 0; i < routes.length && h.ip === '0.0.0.0'; i++) {
    var r = routes[i];
    if (r.ifName !== h.ifName || r.mask === '0.0.0.0') continue;
    var net = ipToNum(r.dest);
    var mask = ipToNum(r.mask);
    for (var j = 0; j < locals.length; j++) {
      if (((ipToNum(locals[j]) & mask) >>> 0) === net) {
        h.ip = locals[j];
        h.netmask = r.mask;
        break;
      }
    }
  }
  if (h.ip === '0.0.0.0' && locals.length) h.ip = locals[0];
  var rc = read('/etc/resolv.conf');
  if (rc) h.dns = parseNameserver(rc);
  if (h.ifName) {
    var mac = read('/sys/class/net/' + h.ifName + '/address');
    if (mac) h.mac = mac.trim();
    var op = read('/sys/class/net/' + h.ifName + '/operstate');
    if (op) h.link = op.trim();
  }
  return h;
}
