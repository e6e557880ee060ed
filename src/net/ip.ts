/** IPv4 helpers shared by drivers and the DHCP/DNS codecs. */

/** True for a dotted quad with every part 0–255. */
export function isIpv4(s: string): boolean {
  var p = s.split('.');
  if (p.length !== 4) return false;
  for (var i = 0; i < 4; i++) {
    var q = p[i];
    if (q.length < 1 || q.length > 3) return false;
    for (var j = 0; j < q.length; j++) {
      var c = q.charCodeAt(j);
      if (c < 48 || c > 57) return false;
    }
    if (parseInt(q, 10) > 255) return false;
  }
  return true;
}

/** "1.2.3.4" → 4-byte binary string. */
export function ipToBytes(ip: string): string {
  var p = ip.split('.');
  return String.fromCharCode(+p[0], +p[1], +p[2], +p[3]);
}

/** 4 bytes (string, from `offset`) → "1.2.3.4". */
export function bytesToIp(b: string, offset: number): string {
  return b.charCodeAt(offset) + '.' + b.charCodeAt(offset + 1) + '.' + b.charCodeAt(offset + 2) + '.' + b.charCodeAt(offset + 3);
}
