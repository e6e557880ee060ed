/**
 * The boundary between the simulated world (sim/world) and the chip models (sim/w5500, sim/sim7600,
 * the Wi-Fi radio model). A chip model owns one SimNic per device interface; everything it sends or
 * receives crosses the link model of that interface (latency, loss, outages) in virtual time.
 *
 * The world is a star: each device NIC sits on its own access network (an Ethernet LAN, a Wi-Fi LAN,
 * a cellular PDN) with its own services (a DHCP server on the LANs), behind which is "the internet"
 * with the cloud host (MQTT broker, UDP echo) and a DNS server.
 */

export type TcpCloseReason = 'closed' | 'reset' | 'refused' | 'timeout' | 'unreachable';

export interface SimTcpHandlers {
  /** The three-way handshake completed. */
  onConnect(): void;
  /** In-order bytes from the peer. */
  onData(data: Buffer): void;
  /** The peer sent FIN (half-close): no more data will come. */
  onEnd(): void;
  /** The connection is gone; never fires twice. 'closed' after both sides finished. */
  onClose(reason: TcpCloseReason): void;
}

export interface SimTcpConn {
  /** Queues bytes; they cross the link with its latency and bandwidth. */
  write(data: Buffer): void;
  /** Sends FIN after queued data. */
  end(): void;
  /** Sends RST and drops everything. (The world does not call this side's onClose for it: the caller knows.) */
  destroy(): void;
}

export interface SimUdpPort {
  /** Sends a datagram; silently dropped by the link when it is down or lossy (as on a real network). */
  send(dstIp: string, dstPort: number, data: Buffer): void;
  close(): void;
}

/** Addressing of a configured NIC as its access network sees it. */
export interface SimNicLease {
  ip: string;
  netmask: string;
  gateway: string;
  dns: string;
}

export interface SimNic {
  readonly name: string;
  /** Carrier: cable plugged / associated / registered. */
  linkUp(): boolean;
  /** Registers a carrier listener (called on every change). Returns an unsubscribe function. */
  onLink(cb: (up: boolean) => void): () => void;
  /** The source address the chip uses (W5500 SIPR, PDP address, Wi-Fi lease); null = unconfigured (0.0.0.0). */
  setAddress(ip: string | null): void;
  address(): string | null;
  /**
   * Address changes (setAddress, or a lease the access network hands out by itself: the Wi-Fi model's
   * stand-in for the ESP32's own DHCP client). Returns an unsubscribe function.
   */
  onAddress(cb: (ip: string | null) => void): () => void;
  /**
   * Opens a UDP port. Datagrams to 255.255.255.255 reach the access network's own services (DHCP);
   * replies broadcast to the NIC's port arrive here too.
   */
  udpOpen(localPort: number, onDatagram: (srcIp: string, srcPort: number, data: Buffer) => void): SimUdpPort;
  /** Opens a TCP connection from `localPort` (0 = ephemeral). */
  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn;
  /**
   * Resolves a name the way a modem's or an OS's built-in resolver would: a DNS query across this NIC's
   * link to the world's DNS server. `cb(null)` when it fails or times out.
   */
  resolve(name: string, cb: (ip: string | null) => void): void;
  /** Optional: netmask, gateway and DNS server of the access network the NIC's address belongs to; null unconfigured. */
  lease?(): SimNicLease | null;
}

/** What the SIM7600 model asks of the world's cellular network model. */
export interface CellNetwork {
  /** SIM card state as the modem reports it in +CPIN. */
  sim(): 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';
  /** The PIN that unlocks the SIM when sim() is 'SIM PIN'. */
  pin(): string;
  /** Registration stat of 3GPP +CREG/+CGREG/+CEREG: 0 none, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming. */
  registration(): number;
  /** Registration changes (after the model's registration delay, or a scripted event). Returns unsubscribe. */
  onRegistration(cb: (stat: number) => void): () => void;
  /** Signal quality as +CSQ rssi (0–31, 99 unknown). */
  csq(): number;
  /** Access technology as +CNSMOD (8 = LTE). */
  cnsmod(): number;
  /**
   * Opens the PDP context with the given APN and credentials: calls back with the PDP NIC (its address
   * set) after the model's activation delay, or with an error (wrong APN, not registered, denied).
   */
  activate(apn: string, user: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void;
  /** Tears the PDP context down (NETCLOSE). */
  deactivate(): void;
  /** The network dropped the PDP context by itself (the modem then reports +CIPEVENT). Returns unsubscribe. */
  onPdpLost(cb: () => void): () => void;
  /**
   * Optional: the modem's radio went on (CFUN=1) or off (CFUN=0/4, power off). On: registration starts
   * (searching, then the outcome after the registration delay). Off: not registered, PDP gone. Without
   * these calls registration starts at the first registration() or onRegistration().
   */
  radio?(on: boolean): void;
}

/** What the Wi-Fi radio model (hal/host binding of WifiRadio) asks of the world's access points. */
export interface WifiAirspace {
  /** Visible access points now, with RSSI. */
  scan(): Array<{ ssid: string; mac: string; authMode: string; channel: number; rssi: number }>;
  /**
   * Associates: after the AP's association delay, calls back with the NIC (link up; its address arrives
   * a DHCP delay later through `onAddress`, as the ESP32's built-in DHCP client would get it) or an error: 'wrong_password' | 'no_ap_found' | 'connect_fail'.
   */
  associate(ssid: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void;
  /** Leaves the AP. */
  disassociate(): void;
  /** The AP went away or kicked the station. Returns unsubscribe. */
  onLost(cb: (reason: string) => void): () => void;
  /** RSSI of the associated AP, undefined when not associated. */
  rssi(): number | undefined;
}
