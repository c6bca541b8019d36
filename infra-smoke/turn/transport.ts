/**
 * One STUN transaction at a time over UDP, TCP or TLS: send a request, return the raw response with
 * the same transaction id. UDP retransmits (RFC 5389 §7.2.1: RTO 500 ms, doubling) until the abort
 * signal; streams are framed by the STUN header's length. Everything is bounded by the signal.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIP, isIPv6, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { frameLength } from './stun-message.ts';
import type { TurnAddress } from './turn-url.ts';

export interface StunTransport {
  /** Sends `request`, resolves with the first message carrying `transactionId`. */
  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Buffer>;
  close(): void;
}

const INITIAL_RTO_MS = 500;

function sameTransaction(msg: Buffer, transactionId: Buffer): boolean {
  return msg.length >= 20 && msg.subarray(8, 20).equals(transactionId);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

class UdpTransport implements StunTransport {
  constructor(private readonly socket: UdpSocket, private readonly address: TurnAddress) {}

  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let rto = INITIAL_RTO_MS;
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        this.socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (msg: Buffer) => {
        if (!sameTransaction(msg, transactionId)) return;
        cleanup();
        resolve(msg);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onAbort = () => {
        cleanup();
        reject(abortError(signal));
      };
      const send = () => {
        this.socket.send(request, this.address.port, this.address.host);
        timer = setTimeout(send, rto);
        rto *= 2;
      };
      if (signal.aborted) return onAbort();
      this.socket.on('message', onMessage);
      this.socket.on('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
      send();
    });
  }

  close(): void {
    this.socket.close();
  }
}

class StreamTransport implements StunTransport {
  private pending = Buffer.alloc(0);

  constructor(private readonly socket: Socket) {}

  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        this.socket.off('data', onData);
        this.socket.off('error', onError);
        this.socket.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
      };
      const onData = (chunk: Buffer) => {
        this.pending = Buffer.concat([this.pending, chunk]);
        for (let n = frameLength(this.pending); n !== null && this.pending.length >= n; n = frameLength(this.pending)) {
          const msg = this.pending.subarray(0, n);
          this.pending = this.pending.subarray(n);
          if (sameTransaction(msg, transactionId)) {
            cleanup();
            return resolve(Buffer.from(msg));
          }
        }
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onClose = () => {
        cleanup();
        reject(new Error('the TURN server closed the connection'));
      };
      const onAbort = () => {
        cleanup();
        reject(abortError(signal));
      };
      if (signal.aborted) return onAbort();
      this.socket.on('data', onData);
      this.socket.on('error', onError);
      this.socket.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function connected(socket: Socket, event: 'connect' | 'secureConnect', signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      socket.destroy();
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(event, () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
  });
}

export async function openTransport(address: TurnAddress, signal: AbortSignal): Promise<StunTransport> {
  if (address.transport === 'udp') {
    const socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
    return new UdpTransport(socket, address);
  }
  if (address.transport === 'tcp') {
    return new StreamTransport(await connected(tcpConnect({ host: address.host, port: address.port }), 'connect', signal));
  }
  const tls = tlsConnect({ host: address.host, port: address.port, servername: isIP(address.host) ? undefined : address.host });
  return new StreamTransport(await connected(tls, 'secureConnect', signal));
}
