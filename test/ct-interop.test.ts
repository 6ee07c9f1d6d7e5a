// Certificate Transparency against the openssl CLI, on loopback: `openssl s_client -ct` judges the
// SCTs our server sends (setServerScts, and SCTs embedded in its certificate) with a log list file
// written by CTLogStore.toConfig(); our client (enableCt, setCtLogStore) judges the SCTs that
// `openssl s_server -serverinfo` sends; and our client and server talk to each other over real
// sockets with a CT validation callback. Every verdict the CLI prints is cross-checked with ours.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CTLogStore, getCertificateScts, parseSctList, validateScts, type SCT, type SctValidationStatus } from '@ossl/crypto';
import { Context, SocketConnection, SSLError, TLS1_2_VERSION, TLS1_3_VERSION, TLS_METHOD, VERIFY_NONE, VERIFY_PEER } from '@ossl/ssl';
import { embedScts, makeLog, makePki, sctList, tempFiles, x509Sct, type Pki, type TestLog } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, startSServer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A PKI with the CA, server certificate and key in PEM files, and a log list file of `logs`. */
function setup(options: { logs: TestLog[]; pki?: Pki }) {
  const pki = options.pki ?? makePki();
  const files = pkiFiles(pki, (fn) => cleanups.push(fn));
  const store = CTLogStore.fromLogs(options.logs.map((l) => ({ name: l.name, key: l.key })));
  const logFiles = tempFiles({ 'logs.cnf': store.toConfig() });
  cleanups.push(logFiles.cleanup);
  return { pki, files, store, logsFile: logFiles.path('logs.cnf') };
}

/** What OpenSSL's SCT_validation_status_string prints for each of our verdicts. */
const CLI_STATUS: Record<SctValidationStatus, string> = {
  valid: 'valid',
  invalid: 'invalid',
  unknownLog: 'unknown log',
  unverified: 'unverified',
  unknownVersion: 'unknown version',
  notSet: 'not set',
};

interface CliSct {
  status: string;
  /** The log's description from the log list file, when the CLI found the log there. */
  log: string | null;
  logId: string;
  signature: string;
}

/** The SCTs `openssl s_client -ct` printed: "SCT validation status: ..." and SCT_print's fields. */
function cliScts(output: string): CliSct[] {
  const parts = output.split(/^SCT validation status: (.*)$/m);
  const out: CliSct[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const fields: Record<string, string[]> = {};
    let current: string[] | null = null;
    for (const line of parts[i + 1]!.split('\n').slice(1)) {
      if (/^\s*Signed Certificate Timestamp:\s*$/.test(line)) continue;
      const field = /^\s*(Version|Log ID|Log|Timestamp|Extensions|Signature)\s*:\s?(.*)$/.exec(line);
      if (field) current = fields[field[1]!] = [field[2]!.trim()];
      else if (current && /^\s+[0-9A-F]{2}(:[0-9A-F]{2})*:?\s*$/.test(line)) current.push(line.trim());
      else break;
    }
    const hex = (p: string[] | undefined): string => (p ?? []).join('').replace(/:/g, '').toLowerCase();
    out.push({ status: parts[i]!.trim(), log: fields.Log?.[0] ?? null, logId: hex(fields['Log ID']), signature: hex(fields.Signature?.slice(1)) });
  }
  return out;
}

/** Our verdicts on `scts`, keyed by signature (the CLI prints SCTs in its own order). */
function verdictsBySignature(scts: SCT[]): Record<string, string> {
  return Object.fromEntries(scts.map((s) => [s.signature.toString('hex'), CLI_STATUS[s.validationStatus]]));
}

/** A listener on 127.0.0.1 that serves one connection with `ctx`; `done` settles when it is over. */
async function serveOnce(ctx: Context, onConn: (c: SocketConnection) => Promise<void>): Promise<{ port: number; done: Promise<void> }> {
  const listener = net.createServer();
  listener.listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  cleanups.push(() => new Promise((r) => listener.close(() => r(undefined))));
  const acceptor = new SocketConnection(ctx, listener, { timeout: 30_000 });
  const done = (async () => {
    const [conn] = await acceptor.accept();
    try {
      await onConn(conn);
    } finally {
      await conn.close();
      await acceptor.close();
    }
  })();
  return { port: (listener.address() as net.AddressInfo).port, done };
}

/** Reads until the peer closes (close_notify or EOF); returns what came. */
async function drain(conn: SocketConnection): Promise<string> {
  let got = '';
  for (let i = 0; i < 1000; i++) {
    try {
      got += (await conn.recv(4096)).toString();
    } catch {
      break;
    }
  }
  return got;
}

function serverContext(pki: Pki): Context {
  const ctx = new Context(TLS_METHOD);
  ctx.useCertificate(pki.server.cert);
  ctx.usePrivatekey(pki.server.key);
  return ctx;
}

/**
 * `openssl s_client -ct` against a server of ours. Once the CLI has printed the SCTs and the
 * session, a line is sent and echoed back, and `Q` ends the CLI, unless `expectExit` (the CLI quits
 * by itself). Resolves with the CLI's output and exit status, and what our side saw.
 */
async function sClientAgainst(sctx: Context, args: { caFile: string; logsFile: string; version: string; expectExit?: boolean }) {
  const seen: { version?: string; data: string; error?: unknown } = { data: '' };
  const { port, done } = await serveOnce(sctx, async (conn) => {
    try {
      await conn.doHandshake();
      seen.version = conn.getProtocolVersionName();
      for (let i = 0; i < 1000 && !seen.data.includes('\n'); i++) seen.data += (await conn.recv(4096)).toString();
      await conn.sendall(`echo:${seen.data}`);
      seen.data += await drain(conn);
    } catch (e) {
      seen.error = e;
    }
  });
  const client = startPeer('openssl', [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'localhost',
    '-CAfile',
    args.caFile,
    '-verify_return_error',
    '-ct',
    '-ctlogfile',
    args.logsFile,
    args.version,
  ]);
  running.push(client);
  const exited = new Promise<number | null>((r) => client.proc.once('exit', (code) => r(code)));
  await client.waitFor(/SCTs present \(\d+\)[\s\S]*Verify return code: \d+/);
  if (!args.expectExit) {
    client.proc.stdin.write('ct says hi\n');
    await client.waitFor('echo:ct says hi');
    client.proc.stdin.write('Q\n');
  }
  const exitCode = await exited;
  await done;
  return { output: client.output(), exitCode, seen };
}

const VERSIONS = [
  ['-tls1_2', 'TLSv1.2'],
  ['-tls1_3', 'TLSv1.3'],
] as const;

describe('openssl s_client -ct against our server', () => {
  for (const [flag, name] of VERSIONS) {
    it(`shows the SCTs of setServerScts with the verdicts we give: valid and unknown log (${name})`, async () => {
      const log = makeLog('ossl "interop" log #1 $HOME \\ end');
      const stranger = makeLog('not in the log list');
      const t = setup({ logs: [log] });
      const raw = [x509Sct(log, t.pki.server.cert), x509Sct(stranger, t.pki.server.cert), x509Sct(log, t.pki.server.cert, { timestamp: Date.UTC(2024, 5, 6, 7, 8, 9, 10) })];
      const sctx = serverContext(t.pki);
      sctx.setServerScts(parseSctList(sctList(raw))); // as SCT objects
      const { output, exitCode, seen } = await sClientAgainst(sctx, { caFile: t.files.path('ca.pem'), logsFile: t.logsFile, version: flag });

      expect(seen.error).toBeUndefined();
      expect(seen.version).toBe(name);
      expect(seen.data).toBe('ct says hi\n');
      expect(exitCode).toBe(0);
      expect(output).toMatch(new RegExp(`New, ${name.replace('.', '\\.')}, Cipher is`));
      expect(output).toMatch(/Verify return code: 0 \(ok\)/);
      expect(output).toMatch(/^SCTs present \(3\)$/m);
      const printed = cliScts(output);
      expect(printed).toHaveLength(3);
      const ours = validateScts(parseSctList(sctList(raw)), t.pki.server.cert, null, t.store);
      expect(ours.map((s) => s.validationStatus)).toEqual(['valid', 'unknownLog', 'valid']);
      expect(Object.fromEntries(printed.map((p) => [p.signature, p.status]))).toEqual(verdictsBySignature(ours));
      expect(printed.map((p) => p.status).sort()).toEqual(['unknown log', 'valid', 'valid']);
      // The CLI found the known log in the file toConfig() wrote: quotes, #, $ and backslash intact.
      for (const p of printed) {
        expect([log.logId.toString('hex'), stranger.logId.toString('hex')]).toContain(p.logId);
        expect(p.log, p.status).toBe(p.logId === log.logId.toString('hex') ? log.name : null);
      }
    });

    it(`shows a forged SCT as invalid; -ct is permissive, so the handshake completes, but the CLI then quits with status 1 (${name})`, async () => {
      // OpenSSL 3.0's s_client has no strict CT mode (-ct is SSL_CT_VALIDATION_PERMISSIVE); the
      // failed signature check leaves "sct invalid signature" on its error queue, which its first
      // read or write after the handshake takes for an error of its own: it exits without data.
      const log = makeLog('forgery victim');
      const t = setup({ logs: [log] });
      const forged = x509Sct(log, t.pki.server.cert);
      forged[forged.length - 5]! ^= 0x01;
      const raw = [x509Sct(log, t.pki.server.cert), forged];
      const sctx = serverContext(t.pki);
      sctx.setServerScts(sctList(raw)); // as a TLS-encoded list
      const { output, exitCode, seen } = await sClientAgainst(sctx, { caFile: t.files.path('ca.pem'), logsFile: t.logsFile, version: flag, expectExit: true });

      expect(seen.version).toBe(name); // our side completed the handshake
      expect(seen.data).toBe('');
      expect(exitCode).toBe(1);
      expect(output).toMatch(new RegExp(`New, ${name.replace('.', '\\.')}, Cipher is`));
      expect(output).toMatch(/^SCTs present \(2\)$/m);
      expect(output).toMatch(/SCT_CTX_verify:sct invalid signature/);
      const printed = cliScts(output);
      const ours = validateScts(parseSctList(sctList(raw)), t.pki.server.cert, null, t.store);
      expect(ours.map((s) => s.validationStatus)).toEqual(['valid', 'invalid']);
      expect(Object.fromEntries(printed.map((p) => [p.signature, p.status]))).toEqual(verdictsBySignature(ours));
      expect(printed.map((p) => p.log)).toEqual(['forgery victim', 'forgery victim']);
    });

    it(`shows the SCTs embedded in our certificate as valid (${name})`, async () => {
      const [a, b] = [makeLog('embedded log A'), makeLog('embedded log B')];
      const pki = makePki();
      embedScts(pki.server, pki.ca, [a, b]);
      const t = setup({ logs: [a, b], pki });
      const { output, exitCode, seen } = await sClientAgainst(serverContext(pki), { caFile: t.files.path('ca.pem'), logsFile: t.logsFile, version: flag });
      expect(seen.version).toBe(name);
      expect(seen.data).toBe('ct says hi\n');
      expect(exitCode).toBe(0);
      expect(output).toMatch(/^SCTs present \(2\)$/m);
      const printed = cliScts(output);
      expect(printed.map((p) => p.status)).toEqual(['valid', 'valid']);
      expect(printed.map((p) => p.log).sort()).toEqual(['embedded log A', 'embedded log B']);
      // The same verdicts from validateScts with the issuer, and unverified without it.
      const scts = getCertificateScts(pki.server.cert);
      expect(Object.fromEntries(printed.map((p) => [p.signature, p.status]))).toEqual(verdictsBySignature(validateScts(scts, pki.server.cert, pki.ca.cert, t.store)));
      expect(validateScts(scts, pki.server.cert, null, t.store).map((s) => s.validationStatus)).toEqual(['unverified', 'unverified']);
    });
  }

  it('shows "SCTs present (0)" for a server without SCTs, and a log list it cannot parse stops it before connecting', async () => {
    const log = makeLog();
    const t = setup({ logs: [log] });
    const { output, exitCode, seen } = await sClientAgainst(serverContext(t.pki), { caFile: t.files.path('ca.pem'), logsFile: t.logsFile, version: '-tls1_3' });
    expect([exitCode, seen.data]).toEqual([0, 'ct says hi\n']);
    expect(output).toMatch(/^SCTs present \(0\)$/m);
    expect(cliScts(output)).toEqual([]);
    // The CLI does read the -ctlogfile: a broken one (a log without its key) is fatal with -ct.
    const broken = tempFiles({ 'broken.cnf': t.store.toConfig().replace(/^key = .*$/m, '') });
    cleanups.push(broken.cleanup);
    const client = startPeer('openssl', ['s_client', '-connect', '127.0.0.1:1', '-ct', '-ctlogfile', broken.path('broken.cnf')]);
    running.push(client);
    await new Promise((r) => client.proc.once('exit', r));
    expect(client.proc.exitCode).not.toBe(0);
    expect(client.output()).toMatch(/log conf missing key/);
    expect(client.output()).not.toMatch(/CONNECTED/);
  });
});

// ---------------------------------------------------------------------------------------------
// Our client against openssl s_server -serverinfo.
// ---------------------------------------------------------------------------------------------

/** 64-column base64 in a PEM block. */
function pem(label: string, body: Buffer): string {
  return `-----BEGIN ${label}-----\n${body.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/**
 * A serverinfo file for `s_server -serverinfo` (SSL_CTX_use_serverinfo_file): the PEM name must
 * begin with "SERVERINFO FOR " (version 1: per extension the 2-byte type, 2-byte length and data;
 * TLS 1.2 only) or "SERVERINFOV2 FOR " (version 2: a 4-byte context first).
 */
function serverinfoFile(list: Buffer, version: 1 | 2): string {
  const v1 = Buffer.alloc(4);
  v1.writeUInt16BE(18, 0); // signed_certificate_timestamp
  v1.writeUInt16BE(list.length, 2);
  if (version === 1) return pem('SERVERINFO FOR CT', Buffer.concat([v1, list]));
  const context = Buffer.alloc(4);
  context.writeUInt32BE(0x0080 | 0x0100 | 0x1000); // ClientHello, TLS 1.2 ServerHello, TLS 1.3 Certificate
  return pem('SERVERINFOV2 FOR CT', Buffer.concat([context, v1, list]));
}

describe('our client (enableCt) against openssl s_server -serverinfo', () => {
  async function sServer(t: ReturnType<typeof setup>, serverinfo: string, extra: string[] = []) {
    const f = tempFiles({ 'serverinfo.pem': serverinfo });
    cleanups.push(f.cleanup);
    const server = await startSServer(['-cert', t.files.path('server.pem'), '-key', t.files.path('server.key'), '-serverinfo', f.path('serverinfo.pem'), '-naccept', '1', ...extra]);
    running.push(server);
    return server;
  }

  function client(t: ReturnType<typeof setup>, mode: 'strict' | 'permissive', maxVersion?: number): Context {
    const ctx = new Context(TLS_METHOD);
    ctx.loadVerifyLocations(t.files.path('ca.pem'));
    ctx.setVerify(VERIFY_PEER);
    ctx.setCtLogStore(t.store);
    ctx.enableCt(mode);
    if (maxVersion !== undefined) ctx.setMaxProtoVersion(maxVersion);
    return ctx;
  }

  async function connect(ctx: Context, port: number): Promise<{ conn: SocketConnection; error: unknown }> {
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 30_000 });
    cleanups.push(() => conn.close());
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    const error = await conn.doHandshake().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { conn, error };
  }

  it('strict: a valid SCT from a v1 serverinfo file passes over TLS 1.2, and getPeerScts reports it', async () => {
    const log = makeLog('s_server log');
    const t = setup({ logs: [log] });
    const raw = x509Sct(log, t.pki.server.cert, { timestamp: Date.UTC(2025, 0, 2, 3, 4, 5, 678) });
    const server = await sServer(t, serverinfoFile(sctList([raw]), 1));
    const { conn, error } = await connect(client(t, 'strict', TLS1_2_VERSION), server.port);
    expect(error).toBeUndefined();
    expect(conn.getProtocolVersionName()).toBe('TLSv1.2');
    const scts = conn.getPeerScts();
    expect(scts.map((s) => [s.source, s.entryType, s.validationStatus])).toEqual([['tls', 'x509', 'valid']]);
    expect(scts[0]!.logId.equals(log.logId)).toBe(true);
    expect(scts[0]!.timestamp.toISOString()).toBe('2025-01-02T03:04:05.678Z');
    expect(scts[0]!.toTLS().equals(raw)).toBe(true);
    await conn.sendall('ct ok\n');
    await server.waitFor('ct ok');
  });

  it('strict: an SCT of an unknown log, or a forged one, fails the handshake with SSLError (TLS 1.2)', async () => {
    const log = makeLog('known');
    const stranger = makeLog('stranger');
    for (const which of ['unknown log', 'forged'] as const) {
      const t = setup({ logs: [log] });
      const raw = which === 'forged' ? x509Sct(log, t.pki.server.cert) : x509Sct(stranger, t.pki.server.cert);
      if (which === 'forged') raw[raw.length - 5]! ^= 0x01;
      const server = await sServer(t, serverinfoFile(sctList([raw]), 1), ['-tls1_2']);
      const { conn, error } = await connect(client(t, 'strict'), server.port);
      expect(error, which).toBeInstanceOf(SSLError);
      const reasons = (error as SSLError).errors.map((x) => x.reason).join();
      expect(reasons, which).toMatch(/no valid scts/);
      expect(reasons, which).toMatch(/callback failed/);
      // The verdicts stay readable after the failure.
      expect(conn.getPeerScts().map((s) => s.validationStatus), which).toEqual([which === 'forged' ? 'invalid' : 'unknownLog']);
      await server.waitFor(/alert handshake failure|handshake failure/);
    }
  });

  it('permissive: the same unknown-log SCT passes, with its verdict, next to a valid one (TLS 1.2)', async () => {
    const log = makeLog('known');
    const stranger = makeLog('stranger');
    const t = setup({ logs: [log] });
    const server = await sServer(t, serverinfoFile(sctList([x509Sct(stranger, t.pki.server.cert), x509Sct(log, t.pki.server.cert)]), 1));
    const { conn, error } = await connect(client(t, 'permissive', TLS1_2_VERSION), server.port);
    expect(error).toBeUndefined();
    const scts = conn.getPeerScts();
    expect(scts.map((s) => s.validationStatus).sort()).toEqual(['unknownLog', 'valid']);
    const byLog = Object.fromEntries(scts.map((s) => [s.logId.toString('hex'), s.validationStatus]));
    expect(byLog).toEqual({ [log.logId.toString('hex')]: 'valid', [stranger.logId.toString('hex')]: 'unknownLog' });
  });

  it('TLS 1.3: a v1 serverinfo file sends no SCTs (strict fails, permissive sees none); a v2 file with the TLS 1.3 context does', async () => {
    const log = makeLog('tls13 log');
    const t = setup({ logs: [log] });
    const list = sctList([x509Sct(log, t.pki.server.cert)]);

    let server = await sServer(t, serverinfoFile(list, 1), ['-tls1_3']);
    let r = await connect(client(t, 'strict'), server.port);
    expect(r.error).toBeInstanceOf(SSLError);
    expect((r.error as SSLError).errors.map((x) => x.reason).join()).toMatch(/no valid scts/);
    expect(r.conn.getPeerScts()).toEqual([]);

    server = await sServer(t, serverinfoFile(list, 1), ['-tls1_3']);
    r = await connect(client(t, 'permissive'), server.port);
    expect(r.error).toBeUndefined();
    expect(r.conn.getProtocolVersionName()).toBe('TLSv1.3');
    expect(r.conn.getPeerScts()).toEqual([]);

    server = await sServer(t, serverinfoFile(list, 2), ['-tls1_3']);
    r = await connect(client(t, 'strict'), server.port);
    expect(r.error).toBeUndefined();
    expect(r.conn.getProtocolVersionName()).toBe('TLSv1.3');
    expect(r.conn.getPeerScts().map((s) => [s.source, s.validationStatus])).toEqual([['tls', 'valid']]);
  });

  it('s_server refuses a serverinfo PEM whose name does not begin with "SERVERINFO FOR "', async () => {
    const log = makeLog();
    const t = setup({ logs: [log] });
    const good = serverinfoFile(sctList([x509Sct(log, t.pki.server.cert)]), 1);
    for (const [label, reason] of [
      ['SERVERINFO FROM CT', /pem name bad prefix/],
      ['SCT LIST', /pem name too short|pem name bad prefix/],
    ] as const) {
      const f = tempFiles({ 'bad.pem': good.replaceAll('SERVERINFO FOR CT', label) });
      cleanups.push(f.cleanup);
      const server = startPeer('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', t.files.path('server.pem'), '-key', t.files.path('server.key'), '-serverinfo', f.path('bad.pem')]);
      running.push(server);
      await new Promise((r) => server.proc.once('exit', r));
      expect(server.proc.exitCode, label).not.toBe(0);
      expect(server.output(), label).toMatch(reason);
      expect(server.output(), label).not.toMatch(/ACCEPT/);
    }
  });

  it('strict CT applies to verified chains only: with VERIFY_NONE and an untrusted server it is skipped', async () => {
    // OpenSSL's ssl_validate_ct skips CT when the chain did not verify (the application chose to go
    // on without a verified chain): strict mode then does not fail a server that sent no SCTs.
    const log = makeLog();
    const t = setup({ logs: [log] });
    const server = await sServer(t, serverinfoFile(sctList([x509Sct(makeLog('stranger'), t.pki.server.cert)]), 1), ['-tls1_2']);
    const ctx = new Context(TLS_METHOD); // trusts nothing
    ctx.setVerify(VERIFY_NONE);
    ctx.setCtLogStore(t.store);
    ctx.enableCt('strict');
    const { conn, error } = await connect(ctx, server.port);
    expect(error).toBeUndefined();
    expect(conn.getVerifyResult()).not.toBe(0);
    expect(conn.getPeerScts().map((s) => s.validationStatus)).toEqual(['notSet']);
  });
});

// ---------------------------------------------------------------------------------------------
// Our client against our server, over sockets.
// ---------------------------------------------------------------------------------------------

describe('our client against our server over loopback sockets', () => {
  for (const [, name] of VERSIONS) {
    it(`a CT validation callback sees the TLS and embedded SCTs with their verdicts, and decides (${name})`, async () => {
      const [log, other] = [makeLog('ours'), makeLog('embedded only')];
      const stranger = makeLog('stranger');
      const pki = makePki();
      embedScts(pki.server, pki.ca, [other]);
      const t = setup({ logs: [log, other], pki });
      const tlsRaw = [x509Sct(log, pki.server.cert), x509Sct(stranger, pki.server.cert)];

      for (const answer of [true, false]) {
        const sctx = serverContext(pki);
        sctx.setMaxProtoVersion(name === 'TLSv1.2' ? TLS1_2_VERSION : TLS1_3_VERSION);
        sctx.setServerScts(tlsRaw); // as TLS-encoded SCTs
        const serverSide: { version?: string; data?: string; error?: unknown } = {};
        const { port, done } = await serveOnce(sctx, async (conn) => {
          try {
            await conn.doHandshake();
            serverSide.version = conn.getProtocolVersionName();
            serverSide.data = await drain(conn);
          } catch (e) {
            serverSide.error = e;
          }
        });

        const cctx = new Context(TLS_METHOD);
        cctx.loadVerifyLocations(t.files.path('ca.pem'));
        cctx.setVerify(VERIFY_PEER);
        cctx.setCtLogStore(t.store);
        const calls: Array<{ conn: unknown; scts: SCT[] }> = [];
        cctx.setCtValidationCallback((conn, scts) => {
          calls.push({ conn, scts });
          return answer;
        });
        const conn = new SocketConnection(cctx, new net.Socket(), { timeout: 30_000 });
        await conn.connect(['127.0.0.1', port]);
        conn.setTlsextHostName('localhost');
        const error = await conn.doHandshake().then(
          () => undefined,
          (e: unknown) => e,
        );

        expect(calls).toHaveLength(1);
        const seen = calls[0]!.scts;
        const summary = (scts: SCT[]) =>
          scts.map((s) => `${s.source}/${s.entryType}/${s.logId.toString('hex')}/${s.validationStatus}`).sort();
        expect(summary(seen)).toEqual(
          [
            `tls/x509/${log.logId.toString('hex')}/valid`,
            `tls/x509/${stranger.logId.toString('hex')}/unknownLog`,
            `certificate/precert/${other.logId.toString('hex')}/valid`,
          ].sort(),
        );
        // getPeerScts reports the same SCTs as the callback saw.
        expect(conn.getPeerScts().map((s) => s.toTLS().toString('hex')).sort()).toEqual(seen.map((s) => s.toTLS().toString('hex')).sort());
        // The TLS ones are the bytes the server was given.
        expect(seen.filter((s) => s.source === 'tls').map((s) => s.toTLS().toString('hex')).sort()).toEqual(tlsRaw.map((r) => r.toString('hex')).sort());

        if (answer) {
          expect(error).toBeUndefined();
          expect(conn.getProtocolVersionName()).toBe(name);
          await conn.sendall('over CT\n');
          await conn.shutdown();
          await done;
          expect(serverSide.version).toBe(name);
          expect(serverSide.data).toBe('over CT\n');
        } else {
          expect(error).toBeInstanceOf(SSLError);
          expect((error as SSLError).errors.map((x) => x.reason).join()).toMatch(/callback failed/);
          await done;
          expect(serverSide.error).toBeInstanceOf(Error);
          expect(serverSide.version).toBeUndefined();
        }
        await conn.close();
      }
    });
  }

  it('without CT on the client the server sends no TLS SCTs; the embedded ones are still readable, unjudged', async () => {
    const log = makeLog();
    const pki = makePki();
    embedScts(pki.server, pki.ca, [log]);
    const t = setup({ logs: [log], pki });
    const sctx = serverContext(pki);
    sctx.setServerScts([x509Sct(log, pki.server.cert)]);
    const { port, done } = await serveOnce(sctx, async (conn) => {
      await conn.doHandshake().catch(() => undefined);
      await drain(conn);
    });
    const cctx = new Context(TLS_METHOD);
    cctx.loadVerifyLocations(t.files.path('ca.pem'));
    cctx.setVerify(VERIFY_PEER);
    cctx.setCtValidationCallback(() => false);
    cctx.setCtValidationCallback(null); // CT off again
    const conn = new SocketConnection(cctx, new net.Socket(), { timeout: 30_000 });
    await conn.connect(['127.0.0.1', port]);
    await conn.doHandshake();
    expect(conn.getPeerScts().map((s) => [s.source, s.validationStatus])).toEqual([['certificate', 'notSet']]);
    await conn.shutdown();
    await conn.close();
    await done;
  });
});
