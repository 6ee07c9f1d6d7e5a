// HTTPResponse: Python's http.client.HTTPResponse over node:http's IncomingMessage (llhttp parsed
// the status line, headers and framing; this class only reads the body the httplib way).
import type { ClientRequest, IncomingMessage } from 'node:http';
import { inspect, type InspectOptionsStylized } from 'node:util';
import type { X509 } from '@ossl/crypto';
import { brandClass, inspectFields, printable, typeError } from '@ossl/crypto/internal';

import { HTTPException, IncompleteRead } from './errors.js';
import { timeoutError } from './internal/open.js';

/** How much of the body is read ahead of the caller before node:http is asked to wait. */
const HIGH_WATER_MARK = 64 * 1024;

/** What a response needs from the connection it came from. */
export interface ResponseSource {
  /** The server's certificate. */
  peer: X509 | null;
  /** Milliseconds each read may wait, or null. */
  timeout: number | null;
  /** The request: node:http reports a malformed body there, not on the response. */
  request: ClientRequest;
}

/**
 * A response (Python's `http.client.HTTPResponse`): status line and headers are there when
 * `getresponse()` resolves; the body is read with `read(amt)`, `readline()` or `for await`.
 */
export class HTTPResponse {
  /** The status code (`200`). */
  readonly status: number;
  /** The reason phrase (`OK`). */
  readonly reason: string;
  /** 11 for HTTP/1.1, 10 for HTTP/1.0. */
  readonly version: number;
  /** Header names are lower-cased; repeated headers are joined with `, ` (as `getheader` returns them). */
  readonly headers: Record<string, string>;
  /** The server's certificate. */
  readonly peerCertificate: X509 | null;
  /** Whether the connection closes after this response (no keep-alive). */
  readonly willClose: boolean;
  #message: IncomingMessage;
  #raw: [string, string][] = [];
  #chunks: Buffer[] = [];
  #buffered = 0;
  #received = 0;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;
  #timeout: number | null;

  static {
    brandClass(this, '@ossl/https-client:HTTPResponse');
  }

  /**
   * Responses come from `HTTPSConnection.getresponse()`.
   * @param message node:http's response.
   * @param source the connection's certificate, timeout and completion hook.
   */
  constructor(message: IncomingMessage, source: ResponseSource) {
    if (typeof message !== 'object' || message === null || typeof (message as { read?: unknown }).read !== 'function') {
      throw typeError('message', "node:http's IncomingMessage", message);
    }
    this.#message = message;
    this.#timeout = source.timeout;
    this.status = message.statusCode ?? 0;
    this.reason = message.statusMessage ?? '';
    this.version = message.httpVersionMajor * 10 + message.httpVersionMinor;
    this.peerCertificate = source.peer;
    const raw = message.rawHeaders;
    const headers = Object.create(null) as Record<string, string>;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const [k, v] = [raw[i]!, raw[i + 1]!];
      this.#raw.push([k, v]);
      const key = k.toLowerCase();
      headers[key] = key in headers ? `${headers[key]}, ${v}` : v;
    }
    this.headers = headers;
    const conn = (headers.connection ?? '').toLowerCase();
    const te = (headers['transfer-encoding'] ?? '').toLowerCase();
    this.willClose =
      conn.includes('close') ||
      (this.version === 10 && !conn.includes('keep-alive')) ||
      (!message.complete && headers['content-length'] === undefined && !te.includes('chunked') && this.status >= 200 && this.status !== 204 && this.status !== 304);
    // Flowing, as node:http's own readers take a body, paused while HIGH_WATER_MARK bytes wait unread.
    message.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.#received += chunk.length;
      if (this.#buffered >= HIGH_WATER_MARK) message.pause();
      this.#notify();
    });
    message.on('end', () => {
      this.#ended = true;
      this.#notify();
    });
    const fail = (e: Error): void => {
      // The first failure is the cause (a parse error on the request comes before the 'aborted').
      this.#error ??= e;
      this.#notify();
    };
    message.on('error', fail);
    source.request.on('error', fail);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Waits for more of the body (or its end, or a failure), within the connection's timeout. */
  async #more(): Promise<void> {
    if (this.#ended || this.#error !== null) return;
    if (this.#message.isPaused()) this.#message.resume();
    const timeout = this.#timeout;
    await new Promise<void>((resolve) => {
      const timer =
        timeout === null
          ? null
          : setTimeout(() => {
              const err = timeoutError(timeout, 'read');
              this.#error ??= err;
              this.#message.destroy(err);
              this.#notify();
            }, timeout);
      this.#wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The failure of the body as httplib reports it, with what did arrive. */
  #failure(partial: Buffer): Error {
    const e = this.#error!;
    const code = (e as { code?: string }).code;
    if (code === 'ETIMEDOUT') return e;
    if (code !== undefined && code.startsWith('HPE_')) return new HTTPException(`the response body is malformed: ${e.message}`, code, { cause: e });
    const length = this.headers['content-length'];
    const expected = length === undefined ? null : Math.max(0, Number(length) - this.#received);
    return new IncompleteRead(partial, expected, { cause: e });
  }

  /** Takes up to `n` bytes from the buffer. */
  #take(n: number): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    if (this.#buffered < HIGH_WATER_MARK && this.#message.isPaused() && !this.#ended) this.#message.resume();
    return out;
  }

  /** Whether the body has been read to its end. */
  isClosed(): boolean {
    const m = this.#message;
    return this.#buffered === 0 && (this.#ended || this.#error !== null || m.destroyed || (m.complete && m.readableLength === 0));
  }

  /** A header's value (repeated ones joined with `, `), or `def` (httplib's `getheader`). */
  getheader(name: string, def: string | null = null): string | null {
    if (typeof name !== 'string') throw typeError('name', 'a string', name);
    return this.headers[name.toLowerCase()] ?? def;
  }

  /** All headers as `[name, value]` pairs, as received: repeated ones (Set-Cookie) stay apart. */
  getheaders(): [string, string][] {
    return this.#raw.map(([k, v]) => [k, v]);
  }

  /**
   * `amt` bytes of the body (fewer only at its end), or all of the rest; an empty Buffer at the end.
   * @throws IncompleteRead (with the bytes that did arrive) when the body ends before its declared
   *   length or last chunk; HTTPException for a malformed body; ETIMEDOUT when a read waits longer
   *   than the timeout.
   */
  async read(amt?: number | null): Promise<Buffer> {
    if (amt !== undefined && amt !== null && (typeof amt !== 'number' || !Number.isInteger(amt) || amt < 0)) throw typeError('amt', 'a non-negative integer', amt);
    const want = amt ?? Infinity;
    while (this.#buffered < want && !this.#ended && this.#error === null) await this.#more();
    if (this.#buffered < want && this.#error !== null) throw this.#failure(this.#take(this.#buffered));
    return this.#take(want === Infinity ? this.#buffered : want);
  }

  /** One line of the body, with its `\n` (none at the end of the body); an empty Buffer at the end. */
  async readline(limit = -1): Promise<Buffer> {
    if (typeof limit !== 'number' || !Number.isInteger(limit)) throw typeError('limit', 'an integer', limit);
    for (;;) {
      const all = this.#chunks.length > 1 ? Buffer.concat(this.#chunks) : (this.#chunks[0] ?? Buffer.alloc(0));
      this.#chunks = all.length > 0 ? [all] : [];
      const nl = all.indexOf(0x0a);
      if (nl >= 0 && (limit < 0 || nl < limit)) return this.#take(nl + 1);
      if (limit >= 0 && all.length >= limit) return this.#take(limit);
      if (this.#ended) return this.#take(all.length);
      if (this.#error !== null) throw this.#failure(this.#take(all.length));
      await this.#more();
    }
  }

  /** Iterates over the body in chunks as they arrive (`for await (const chunk of res)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.#buffered === 0) {
        if (this.#ended) return;
        if (this.#error !== null) throw this.#failure(Buffer.alloc(0));
        await this.#more();
        continue;
      }
      yield this.#take(this.#buffered);
    }
  }

  /** Discards the rest of the body and closes the response (httplib's `close`); the connection is not reused. */
  close(): void {
    this.#chunks = [];
    this.#buffered = 0;
    if (!this.#ended) this.#message.destroy();
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `HTTPResponse { status: 200, reason: 'OK', version: 'HTTP/1.1', closed: false, willClose: false }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'HTTPResponse',
      {
        status: () => this.status,
        reason: () => printable(this.reason),
        version: () => `HTTP/${Math.floor(this.version / 10)}.${this.version % 10}`,
        length: () => this.headers['content-length'],
        closed: () => this.isClosed(),
        willClose: () => this.willClose,
      },
      depth,
      options,
      inspectFn,
    );
  }
}
