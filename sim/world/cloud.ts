import * as net from 'net';
import * as dgram from 'dgram';
import { NetCore } from './core';
import { Host } from './host';
import { BrokerOptions, CloudBroker } from './broker';
import { EchoServer, EchoServerOptions } from './echo-server';

export interface CloudOptions {
  /** DNS name of the cloud host. */
  name: string;
  ip: string;
  /** One-way internet delay between the access networks and the cloud, ms. */
  latencyMs: number;
  broker: Partial<BrokerOptions>;
  echo: Partial<EchoServerOptions>;
}

export const DEFAULT_CLOUD: CloudOptions = { name: 'cloud.sim', ip: '203.0.113.10', latencyMs: 10, broker: {}, echo: {} };

/** Real ports of the development cloud (see Cloud.listen). */
export interface RealCloudPorts {
  mqttPort: number;
  echoPort: number;
  close(): Promise<void>;
}

/**
 * The cloud host: the MQTT broker (aedes) and the UDP echo responder, on one internet host. In real-time
 * mode it can also serve real sockets (`listen`), so that a real board on the LAN can use it.
 */
export class Cloud {
  readonly host: Host;
  readonly name: string;
  readonly broker: CloudBroker;
  readonly echo: EchoServer;
  private _core: NetCore;
  private _real: RealCloudPorts[] = [];

  constructor(core: NetCore, host: Host, name: string, opts: CloudOptions) {
    this._core = core;
    this.host = host;
    this.name = name;
    this.broker = new CloudBroker(core, host, opts.broker);
    this.echo = new EchoServer(core, host, opts.echo);
  }

  get ip(): string {
    return this.host.ip;
  }

  /**
   * Serves the broker and the echo responder on real ports too (real-time mode: a real board, mosquitto_sub,
   * an outside client). Port 0 = any free port. Tests must use host 127.0.0.1.
   */
  listen(opts?: { host?: string; mqttPort?: number; echoPort?: number }): Promise<RealCloudPorts> {
    var o = opts || {};
    var host = o.host || '127.0.0.1';
    var self = this;
    var server = net.createServer(function (sock) {
      self.broker.handleSocket(sock);
    });
    var udp = dgram.createSocket('udp4');
    udp.on('message', function (msg, rinfo) {
      if (self.echo.options().silent) return;
      udp.send(msg, rinfo.port, rinfo.address);
    });
    return new Promise<RealCloudPorts>(function (resolve, reject) {
      server.once('error', reject);
      udp.once('error', reject);
      server.listen(o.mqttPort || 0, host, function () {
        udp.bind(o.echoPort || 0, host, function () {
          var ports: RealCloudPorts = {
            mqttPort: (server.address() as net.AddressInfo).port,
            echoPort: udp.address().port,
            close: function () {
              var i = self._real.indexOf(ports);
              if (i >= 0) self._real.splice(i, 1);
              return new Promise<void>(function (res) {
                udp.close();
                server.close(function () {
                  res();
                });
              });
            },
          };
          self._real.push(ports);
          self._core.log.add('cloud', 'listening on ' + host + ' mqtt ' + ports.mqttPort + ' echo ' + ports.echoPort);
          resolve(ports);
        });
      });
    });
  }

  /** Closes real ports and the broker. */
  close(): Promise<void> {
    var real = this._real.slice();
    return this.broker.close().then(function () {
      return Promise.all(real.map(function (r) {
        return r.close();
      }));
    }).then(function () {});
  }
}
