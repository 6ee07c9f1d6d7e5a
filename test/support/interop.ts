// Helpers of compat-net-interop.test.ts: the matrix (TLS version x key type x client certificate), the
// payloads, the peers' binaries (located as the other interop tests locate them), a CPython ssl peer,
// a compat-net server and client that record what they saw, and an nginx in front of a tiny backend.
import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { connect, createServer, type SecureSocket } from '@ossl/compat-net';
import { makePki, tempFiles, type KeyKind, type Pki } from '@ossl/testkit';

import { pkiFiles } from './pki-files.js';
import { startPeer, type Peer } from './peers.js';

// ---- the matrix ----

export type Version = 'TLSv1.2' | 'TLSv1.3';

export interface Cell {
  kind: KeyKind;
  version: Version;
  /** The client presents the client identity and the server requires (and verifies) one. */
  clientCert: boolean;
  label: string;
}

export const KINDS: readonly KeyKind[] = ['rsa', 'ec'];
export const VERSIONS: readonly Version[] = ['TLSv1.2', 'TLSv1.3'];
const KIND_NAME: Record<KeyKind, string> = { rsa: 'RSA-2048', ec: 'ECDSA P-256' };

/** Every combination: 2 versions x 2 key types x with/without client certificate. */
export const CELLS: readonly Cell[] = VERSIONS.flatMap((version) =>
  KINDS.flatMap((kind) =>
    [false, true].map((clientCert) => ({ kind, version, clientCert, label: `${version} ${KIND_NAME[kind]}${clientCert ? ' with a client certificate' : ''}` })),
  ),
);

/** A client without a certificate against a server that requires one: 2 versions x 2 key types. */
export const REFUSALS: readonly Cell[] = VERSIONS.flatMap((version) =>
  KINDS.map((kind) => ({ kind, version, clientCert: false, label: `${version} ${KIND_NAME[kind]}` })),
);

// ---- the peers' binaries, as the other interop tests name them ----

export const BIN = {
  openssl: 'openssl',
  // The system CPython (Debian's python3, which the test command provisions), not whatever is first on PATH.
  python: '/usr/bin/python3',
  curl: 'curl',
  // Debian installs nginx in /usr/sbin, which a non-login PATH may lack.
  nginx: existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx',
  gnutlsServ: 'gnutls-serv',
  gnutlsCli: 'gnutls-cli',
} as const;

export const opensslFlag = (v: Version): string => (v === 'TLSv1.2' ? '-tls1_2' : '-tls1_3');
export const curlFlags = (v: Version): string[] => (v === 'TLSv1.2' ? ['--tlsv1.2', '--tls-max', '1.2'] : ['--tlsv1.3']);
export const gnutlsPriority = (v: Version): string => `NORMAL:-VERS-ALL:+VERS-${v === 'TLSv1.2' ? 'TLS1.2' : 'TLS1.3'}`;
/** The version as GnuTLS prints it in its session description (`(TLS1.3-X.509)-...`). */
export const gnutlsVersion = (v: Version): string => (v === 'TLSv1.2' ? 'TLS1.2' : 'TLS1.3');

// ---- payloads: 64 KiB each way, digits, dots and newlines only (no command letters of s_client/s_server) ----

export const SIZE = 64 * 1024;

function payload(tag: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < SIZE / 64; i++) lines.push(`${tag}${String(i).padStart(6, '0')}${'.'.repeat(56)}\n`);
  return Buffer.from(lines.join(''), 'latin1');
}

/** What clients send to servers. */
export const TO_SERVER = payload(1);
/** What servers send to clients. */
export const TO_CLIENT = payload(2);
/** The last line of a payload, to wait for in a peer's output. */
export const lastLine = (p: Buffer): string => p.subarray(p.length - 64).toString('latin1');
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

// ---- a PKI per key type, with the payloads, written to files ----

export interface PkiSet {
  pki: Pki;
  path: (name: string) => string;
}

/** One PKI per key type, made on first use (RSA key generation is slow); `cleanup` removes the files. */
export function pkiSets(): { get(kind: KeyKind): PkiSet; cleanup(): void } {
  const sets = new Map<KeyKind, PkiSet>();
  const cleanups: Array<() => void> = [];
  return {
    get(kind) {
      let set = sets.get(kind);
      if (!set) {
        const pki = makePki(kind);
        const files = pkiFiles(pki, (fn) => cleanups.push(fn));
        writeFileSync(files.path('to-server.bin'), TO_SERVER);
        writeFileSync(files.path('to-client.bin'), TO_CLIENT);
        set = { pki, path: files.path };
        sets.set(kind, set);
      }
      return set;
    },
    cleanup() {
      for (const c of cleanups.splice(0)) c();
      sets.clear();
    },
  };
}

// ---- what a key and a certificate look like ----

/** `rsa-2048` or `ec-prime256v1` for a certificate (PEM, DER or node:crypto's object). */
export function keyOf(cert: string | Buffer | X509Certificate): string {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const key = x.publicKey;
  const d = key.asymmetricKeyDetails ?? {};
  return `${key.asymmetricKeyType}-${d.modulusLength ?? d.namedCurve}`;
}

export const expectedKey = (kind: KeyKind): string => (kind === 'rsa' ? 'rsa-2048' : 'ec-prime256v1');

/** The first PEM certificate in `text` after `marker` (the first one at all without a marker). */
export function pemIn(text: string, marker = ''): string {
  const from = marker ? text.indexOf(marker) : 0;
  if (from < 0) throw new Error(`no "${marker}" in:\n${text.slice(0, 4000)}`);
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text.slice(from));
  if (!m) throw new Error(`no certificate after "${marker}" in:\n${text.slice(0, 4000)}`);
  return `${m[0]}\n`;
}

/** The cipher a version and key type negotiate: a TLS 1.3 suite, or an (EC)DHE suite signed with the key type. */
export function cipherPattern(cell: Cell): RegExp {
  if (cell.version === 'TLSv1.3') return /^TLS_/;
  return cell.kind === 'rsa' ? /^(ECDHE|DHE)-RSA-/ : /^ECDHE-ECDSA-/;
}

// ---- peers ----

export type LaunchedPeer = Peer & { exited: Promise<number | null> };

/**
 * Starts a peer (support/peers.js's `startPeer`) and lists it in `running` (stopped after each test).
 * A binary that cannot be started fails the test at once with the reason (the test command provisions
 * every peer; nothing is skipped).
 */
export function launch(cmd: string, args: string[], running: Peer[]): LaunchedPeer {
  const peer = startPeer(cmd, args);
  let startError: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    peer.proc.once('error', (e: NodeJS.ErrnoException) => {
      startError = new Error(`${cmd} could not be started (${e.code ?? e.message}); the test command (scripts/provision.mjs) installs it`);
      reject(startError);
    });
  });
  failed.catch(() => undefined);
  const exited = Promise.race([new Promise<number | null>((resolve) => peer.proc.once('exit', (code) => resolve(code))), failed]);
  exited.catch(() => undefined);
  const launched: LaunchedPeer = {
    ...peer,
    waitFor: (pattern, ms) => Promise.race([peer.waitFor(pattern, ms), failed]),
    stop: () => (startError !== null ? Promise.resolve() : peer.stop()),
    exited,
  };
  running.push(launched);
  return launched;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Waits until `port` accepts connections (true) or `peer` exits (false). No time limit of its own: a
 * busy machine only makes it slower, and a real hang is caught by the test's hang guard.
 */
export async function waitForPort(port: number, peer: LaunchedPeer): Promise<boolean> {
  let gone = false;
  peer.exited.then(() => (gone = true), () => (gone = true));
  for (;;) {
    if (gone || peer.proc.exitCode !== null || peer.proc.signalCode !== null) return false;
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- stream helpers ----

/** Resolves with what `sock` delivers once it has at least `n` bytes; rejects if it ends or fails first. */
export function readExactly(sock: Duplex, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let len = 0;
    const done = (): void => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('error', onError);
    };
    const onData = (d: Buffer): void => {
      parts.push(d);
      len += d.length;
      if (len >= n) {
        done();
        resolve(Buffer.concat(parts));
      }
    };
    const onEnd = (): void => {
      done();
      reject(new Error(`the stream ended after ${len} of ${n} bytes`));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    sock.on('data', onData);
    sock.once('end', onEnd);
    sock.once('error', onError);
  });
}

/** Everything `sock` delivers until it ends. */
export async function readAll(sock: Duplex): Promise<Buffer> {
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => parts.push(d));
  await once(sock, 'end');
  return Buffer.concat(parts);
}

// ---- what a compat-net socket saw ----

export interface Seen {
  protocol: string | null;
  authorized: boolean;
  authorizationError: unknown;
  cipher: string | undefined;
  peerCN: unknown;
  /** `keyOf` the peer certificate, or null without one. */
  peerKey: string | null;
  /** Python's `getpeercert()` dict, JSON-normalised. */
  peercert: unknown;
}

export function seenBy(sock: SecureSocket): Seen {
  const x = sock.getPeerX509Certificate();
  const peer = sock.getPeerCertificate() as { subject?: { CN?: unknown } } | null;
  return {
    protocol: sock.getProtocol(),
    authorized: sock.authorized,
    authorizationError: sock.authorizationError,
    cipher: sock.getCipher()?.name,
    peerCN: peer?.subject?.CN,
    peerKey: x ? keyOf(x) : null,
    peercert: JSON.parse(JSON.stringify(sock.getpeercert() ?? null)),
  };
}

// ---- a compat-net server ----

export interface Served extends Seen {
  /** The request body (http) or the first SIZE bytes (raw) the client sent. */
  received: Buffer;
  /** The request line and headers (http). */
  head?: string;
}

export interface CompatServer {
  port: number;
  /** The first connection that completes its handshake, once it has been answered. */
  served: Promise<Served>;
  /** The first client the server refuses during the handshake ('tlsClientError'). */
  refused: Promise<Error>;
  /** Handshakes completed so far. */
  secureConnections(): number;
}

/**
 * A compat-net server pinned to `cell.version` with the server identity; with `requireCert` it asks
 * for a client certificate issued by the test CA (and refuses a client without one). Raw mode reads
 * SIZE bytes and answers TO_CLIENT; http mode reads one request with a body and answers TO_CLIENT as a
 * minimal HTTP/1.1 response. Either way it then ends the connection (close_notify).
 */
export async function serveCompat(pki: Pki, cell: Cell, options: { requireCert: boolean; http?: boolean }, cleanups: Array<() => unknown>): Promise<CompatServer> {
  const server = createServer({
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    minVersion: cell.version,
    maxVersion: cell.version,
    ...(options.requireCert ? { requestCert: true, ca: pki.ca.certPem } : {}),
  });
  let count = 0;
  let resolveServed!: (s: Served) => void;
  let rejectServed!: (e: unknown) => void;
  const served = new Promise<Served>((res, rej) => ((resolveServed = res), (rejectServed = rej)));
  served.catch(() => undefined);
  let resolveRefused!: (e: Error) => void;
  const refused = new Promise<Error>((res) => (resolveRefused = res));
  server.on('tlsClientError', (err: Error) => resolveRefused(err));
  server.on('secureConnection', (sock: SecureSocket) => {
    count += 1;
    const seen = seenBy(sock);
    sock.on('error', (e: Error) => rejectServed(e));
    const answer = (received: Buffer, head?: string): void => {
      const reply = options.http
        ? Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${TO_CLIENT.length}\r\nConnection: close\r\n\r\n`), TO_CLIENT])
        : TO_CLIENT;
      sock.end(reply, () => resolveServed({ ...seen, received, ...(head !== undefined ? { head } : {}) }));
    };
    if (!options.http) {
      readExactly(sock, SIZE).then((b) => answer(b), rejectServed);
      return;
    }
    // One HTTP/1.1 request with a Content-Length body.
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      sock.off('data', onData);
      answer(buf.subarray(end + 4), head);
    };
    sock.on('data', onData);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return { port: (server.address() as net.AddressInfo).port, served, refused, secureConnections: () => count };
}

// ---- a compat-net client ----

/**
 * A verifying compat-net client of `port` pinned to `cell.version`, presenting the client identity in
 * client-certificate cells; resolves once secure. `clients` gets its destroy(), for the test to call
 * before it stops the peer (a peer killed under an open socket resets it: ECONNRESET, as in node:tls).
 */
export async function connectCompat(port: number, pki: Pki, cell: Cell, clients: Array<() => unknown>): Promise<SecureSocket> {
  const sock = connect({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pki.ca.certPem,
    minVersion: cell.version,
    maxVersion: cell.version,
    ...(cell.clientCert ? { cert: pki.client.certPem, key: pki.client.keyPem } : {}),
  });
  clients.push(() => sock.destroy());
  await once(sock, 'secureConnect');
  return sock;
}

// ---- CPython's ssl module as a peer ----

/**
 * server ARGS: listens on 127.0.0.1 ("PORT <n>"), serves one connection: reads `expect` bytes, answers
 * the bytes of the `reply` file. client ARGS: connects to `port` verifying `hostname`, sends the `send`
 * file (if any), reads `expect` bytes. Both print one JSON line: version, cipher, getpeercert() (the
 * dict and the DER) and what arrived; or {"error": ...} with the stage it failed in.
 */
const PY_PEER = String.raw`
import base64, hashlib, json, socket, ssl, sys

mode, a = sys.argv[1], json.loads(sys.argv[2])
VERSIONS = {"TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}

def pin(ctx):
    ctx.minimum_version = VERSIONS[a["version"]]
    ctx.maximum_version = VERSIONS[a["version"]]

def recv_exactly(tls, n):
    data = bytearray()
    while len(data) < n:
        chunk = tls.recv(min(65536, n - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)

def summary(tls, got):
    der = tls.getpeercert(True)
    return {"version": tls.version(), "cipher": tls.cipher()[0], "peercert": tls.getpeercert(),
            "peer_der": base64.b64encode(der).decode() if der else None,
            "received_len": len(got), "received_sha256": hashlib.sha256(got).hexdigest()}

def fail(stage, e):
    print(json.dumps({"error": getattr(e, "reason", None) or str(e), "type": type(e).__name__, "stage": stage,
                      "text": str(e)}), flush=True)
    sys.exit(3)

if mode == "server":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a["cert"], a["key"])
    pin(ctx)
    if a.get("requireCert"):
        ctx.load_verify_locations(a["ca"])
        ctx.verify_mode = ssl.CERT_REQUIRED
    reply = open(a["reply"], "rb").read()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        print("PORT", listener.getsockname()[1], flush=True)
        conn, _ = listener.accept()
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            fail("handshake", e)
        try:
            got = recv_exactly(tls, a["expect"])
            tls.sendall(reply)
        except (ssl.SSLError, OSError) as e:
            fail("data", e)
        print(json.dumps(summary(tls, got)), flush=True)
        try:
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass
else:
    ctx = ssl.create_default_context(cafile=a["ca"])
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    pin(ctx)
    if a.get("cert"):
        ctx.load_cert_chain(a["cert"], a["key"])
    sock = socket.create_connection(("127.0.0.1", a["port"]))
    try:
        tls = ctx.wrap_socket(sock, server_hostname=a["hostname"])
    except (ssl.SSLError, OSError) as e:
        fail("handshake", e)
    try:
        if a.get("send"):
            tls.sendall(open(a["send"], "rb").read())
        got = recv_exactly(tls, a["expect"])
    except (ssl.SSLError, OSError) as e:
        fail("data", e)
    print(json.dumps(summary(tls, got)), flush=True)
    tls.close()
`;

export interface PySummary {
  version?: string;
  cipher?: string;
  peercert?: Record<string, unknown> | null;
  peer_der?: string | null;
  received_len?: number;
  received_sha256?: string;
  error?: string;
  type?: string;
  stage?: string;
  text?: string;
}

export function startPython(mode: 'server' | 'client', args: Record<string, unknown>, running: Peer[]): LaunchedPeer {
  return launch(BIN.python, ['-u', '-c', PY_PEER, mode, JSON.stringify(args)], running);
}

export async function pythonSummary(peer: LaunchedPeer): Promise<PySummary> {
  return JSON.parse((await peer.waitFor(/^\{.*\}$/m))[0]) as PySummary;
}

// ---- nginx in front of a backend that records the body and answers TO_CLIENT ----

/**
 * The start of an nginx.conf for a test nginx in `prefix` (foreground, one process, logs and pid in
 * the prefix, temp files in `temp`), up to and including `http {` and its temp paths; the caller adds
 * its servers and the closing brace.
 */
export function nginxHead(prefix: string, temp: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
error_log ${prefix}/error.log;
pid ${prefix}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${temp};
  proxy_temp_path ${temp};
  fastcgi_temp_path ${temp};
  uwsgi_temp_path ${temp};
  scgi_temp_path ${temp};`;
}

export interface Nginx {
  port: number;
  /** The request bodies the backend received, in order. */
  bodies: Buffer[];
}

/**
 * nginx (TLS 1.2 and 1.3) with the server identity, proxying to a node:http backend; with
 * `clientCert` it requires a client certificate issued by the test CA. Its responses carry what nginx
 * saw: X-TLS-Protocol, X-TLS-Cipher, X-Client-Verify, X-Client-DN, X-Client-Cert (URL-escaped PEM).
 */
export async function startNginx(set: PkiSet, clientCert: boolean, running: Peer[], cleanups: Array<() => unknown>): Promise<Nginx> {
  const bodies: Buffer[] = [];
  const backend = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      bodies.push(Buffer.concat(parts));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': TO_CLIENT.length });
      res.end(TO_CLIENT);
    });
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  cleanups.push(() => new Promise((r) => {
    backend.closeAllConnections();
    backend.close(() => r(undefined));
  }));
  const backendPort = (backend.address() as net.AddressInfo).port;
  const dir = tempFiles({});
  cleanups.push(dir.cleanup);
  const prefix = dir.dir;
  mkdirSync(join(prefix, 'tmp'));
  const port = await freePort();
  writeFileSync(join(prefix, 'nginx.conf'), `
${nginxHead(prefix, join(prefix, 'tmp'))}
  client_max_body_size 1m;
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${set.path('server.pem')};
    ssl_certificate_key ${set.path('server.key')};
    ssl_protocols TLSv1.2 TLSv1.3;
${clientCert ? `    ssl_verify_client on;\n    ssl_client_certificate ${set.path('ca.pem')};\n` : ''}
    location / {
      proxy_pass http://127.0.0.1:${backendPort};
      add_header X-TLS-Protocol $ssl_protocol always;
      add_header X-TLS-Cipher $ssl_cipher always;
      add_header X-Client-Verify $ssl_client_verify always;
      add_header X-Client-DN $ssl_client_s_dn always;
      add_header X-Client-Cert $ssl_client_escaped_cert always;
    }
  }
}
`);
  const nginx = launch(BIN.nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], running);
  if (!(await waitForPort(port, nginx))) throw new Error(`nginx did not start: ${nginx.output()}`);
  return { port, bodies };
}

/** Splits an HTTP response into its head (lower-cased header names) and body. */
export function parseResponse(reply: Buffer): { status: string; headers: Record<string, string>; body: Buffer } {
  const end = reply.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP head in ${JSON.stringify(reply.subarray(0, 200).toString('latin1'))}`);
  const [status = '', ...lines] = reply.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, body: reply.subarray(end + 4) };
}
