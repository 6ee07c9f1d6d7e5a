// One transport driver: moves bytes between a sans-IO Connection and a stream (a net.Socket or any
// Duplex), through the Connection's public API only. SocketConnection (Promises) and compat-net's
// TLSSocket (events) both drive their Connection with it: input, end of stream, errors, output,
// back-pressure each way.
import type { Duplex } from 'node:stream';
import { brandClass } from '@ossl/crypto/internal';

import type { Connection } from './connection.js';
import { SysCallError } from './errors.js';

/** What a Transport tells its owner. */
export interface TransportEvents {
  /** Bytes from the peer, or the end of its stream, reached the engine: run it. */
  input(): void;
  /** The stream failed (its 'error'). */
  error(err: Error): void;
  /** The stream closed. */
  close(): void;
}

/** Options of `Transport`. */
export interface TransportOptions {
  /**
   * Received bytes the engine may hold before the stream is paused (default 128 KiB): with the
   * owner's own buffer this bounds the memory a peer can make us hold.
   */
  inputHighWaterMark?: number;
}

/** A stream that can carry TLS records: `write`, `on`, `pause`, `resume`. */
export function isTransportStream(value: unknown): value is Duplex {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.write === 'function' && typeof v.on === 'function' && typeof v.pause === 'function' && typeof v.resume === 'function';
}

/** The error of a write to a stream that can no longer be written to. */
export function epipeError(): SysCallError {
  const err = new SysCallError(32, 'the transport is closed (EPIPE)');
  err.code = 'EPIPE';
  return err;
}

/**
 * Binds a Connection to a stream. `attach()` starts reading the stream into the engine; `flush()`
 * sends what the engine wrote; `throttle()` pauses the stream while the owner's reader is behind or
 * the engine holds too much input; `detach()` gives the stream back (STARTTLS's end).
 */
export class Transport {
  /** The sans-IO engine. */
  readonly connection: Connection;
  /** The stream that carries the records. */
  readonly stream: Duplex;
  #events: TransportEvents;
  #inputHighWaterMark: number;
  #eof = false;
  #paused = false;
  /** `stopInput` was called: what arrives is discarded. */
  #inputStopped = false;
  #attached = false;
  #listeners: Array<[string, (...args: never[]) => void]> = [];

  static {
    brandClass(this, '@ossl/ssl:Transport');
  }

  /**
   * @param connection the engine.
   * @param stream the stream carrying its records.
   * @param events what to call on input, error and close.
   * @param options `inputHighWaterMark`.
   */
  constructor(connection: Connection, stream: Duplex, events: TransportEvents, options: TransportOptions = {}) {
    this.connection = connection;
    this.stream = stream;
    this.#events = events;
    this.#inputHighWaterMark = options.inputHighWaterMark ?? 128 * 1024;
  }

  /** Whether the stream's end (or close) has reached the engine. */
  get eof(): boolean {
    return this.#eof;
  }

  /**
   * Whether the stream can still be written to. A net.Socket without allowHalfOpen that has read its
   * peer's end refuses writes (node:net makes them EPIPE errors, later): that counts as closed here.
   */
  get writable(): boolean {
    const stream = this.stream as Duplex & { allowHalfOpen?: boolean };
    if (stream.destroyed || stream.writableEnded) return false;
    return !(stream.readableEnded && stream.allowHalfOpen === false);
  }

  /** Starts reading the stream into the engine, also one its previous owner had paused or already ended. */
  attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    const stream = this.stream;
    this.#on('data', (chunk: Buffer) => {
      if (this.#inputStopped) return;
      this.connection.bioWrite(chunk);
      this.#events.input();
    });
    this.#on('end', () => this.#end());
    this.#on('error', (err: Error) => this.#events.error(err));
    this.#on('close', () => {
      this.#end(false);
      this.#events.close();
    });
    if (stream.readableEnded) this.#end(false);
    stream.resume();
  }

  #on(event: string, listener: (...args: never[]) => void): void {
    this.stream.on(event, listener as (...args: unknown[]) => void);
    this.#listeners.push([event, listener]);
  }

  #end(notify = true): void {
    if (this.#eof) return;
    this.#eof = true;
    this.connection.bioShutdown();
    if (notify) this.#events.input();
  }

  /**
   * Sends what the engine has written, in one write. Returns false when the stream is over its
   * high-water mark (wait for its 'drain'); `cb` runs when the bytes are handed to the OS, or with
   * the error. With nothing to send, `cb` runs at once.
   * @throws SysCallError (EPIPE) when there is something to send, the stream cannot take it, and no `cb` was given.
   */
  flush(cb?: (err?: Error | null) => void): boolean {
    const connection = this.connection;
    let pending = connection.bioPending();
    if (pending === 0) {
      cb?.();
      return true;
    }
    if (!this.writable) {
      const err = epipeError();
      // Drop what cannot be sent: it would otherwise be sent by a later flush as if nothing happened.
      while (pending > 0) {
        connection.bioRead(pending);
        pending = connection.bioPending();
      }
      if (cb) {
        cb(err);
        return true;
      }
      throw err;
    }
    let out = connection.bioRead(pending);
    if (connection.bioPending() > 0) {
      const parts = [out];
      while ((pending = connection.bioPending()) > 0) parts.push(connection.bioRead(pending));
      out = Buffer.concat(parts);
    }
    return this.stream.write(out, cb);
  }

  /**
   * Encrypts `data` (one Buffer, or several in order) and writes the records, with whatever else the
   * engine had queued, in one write: the application data path. Returns the stream's `write` answer;
   * `cb` is the stream's write callback (the records handed to the OS, or the error), or gets EPIPE.
   * @throws WantReadError (a renegotiation waits for the peer), SSL.Error, as `Connection.encrypt`.
   */
  send(data: Buffer | ReadonlyArray<Buffer>, cb: (err?: Error | null) => void): boolean {
    if (!this.writable) {
      this.flush(cb); // EPIPE, with what was queued dropped
      return true;
    }
    const out = this.connection.encrypt(data);
    if (out.length === 0) {
      process.nextTick(cb);
      return true;
    }
    return this.stream.write(out, cb);
  }

  /**
   * Stops feeding the engine (a socket shut down for reading): the engine sees the end of its input
   * now, and what the stream still delivers is read and discarded, so its end and close still come.
   */
  stopInput(): void {
    if (this.#inputStopped) return;
    this.#inputStopped = true;
    this.#end();
    this.#paused = false;
    this.stream.resume();
  }

  /**
   * Pauses the stream while `readerBehind` or the engine holds more undecrypted input than the
   * high-water mark, and resumes it otherwise. Only a pause made here is undone here.
   */
  throttle(readerBehind: boolean): void {
    if (this.#inputStopped) return;
    const over = readerBehind || this.connection.bioInPending() > this.#inputHighWaterMark;
    if (over && !this.#paused) {
      this.#paused = true;
      this.stream.pause();
    } else if (!over && this.#paused) {
      this.#paused = false;
      this.stream.resume();
    }
  }

  /**
   * Stops driving the stream and gives it back paused, with the bytes the peer sent after the
   * engine's last record put back in front (STARTTLS's return to cleartext).
   */
  detach(): Duplex {
    const stream = this.stream;
    stream.pause();
    for (const [event, listener] of this.#listeners.splice(0)) stream.off(event, listener as (...args: unknown[]) => void);
    this.#attached = false;
    this.#paused = false; // the stream is the caller's again, paused by the caller's hand
    const leftover = this.connection.takeInput();
    if (leftover.length > 0) stream.unshift(leftover);
    return stream;
  }
}
