import { describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM, PKey, TYPE_EC } from '@ossl/crypto';

import {
  Context,
  Error as SSLErrorAlias,
  OP_NO_TICKET,
  OP_NO_TLSv1_3,
  SSLError,
  SSLv23_METHOD,
  SSLv2_METHOD,
  SSLv3_METHOD,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS_CLIENT_METHOD,
  TLS_METHOD,
  TLS_SERVER_METHOD,
  TLSv1_2_METHOD,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_NONE,
  VERIFY_PEER,
} from '../src/index.js';
import { makeIdentity, tempFiles } from './support/memory.js';

describe('Context(method)', () => {
  it('accepts the TLS methods', () => {
    for (const m of [TLS_METHOD, TLS_SERVER_METHOD, TLS_CLIENT_METHOD, SSLv23_METHOD, TLSv1_2_METHOD]) {
      expect(new Context(m)).toBeInstanceOf(Context);
    }
  });

  it('refuses SSLv2 and SSLv3 with an explanatory SSL.Error', () => {
    expect(() => new Context(SSLv2_METHOD)).toThrow(SSLError);
    expect(() => new Context(SSLv3_METHOD)).toThrow(/SSLv3 is insecure and OpenSSL 3 no longer implements it/);
    expect(() => new Context(SSLv2_METHOD)).toThrow(SSLErrorAlias);
  });

  it('refuses unknown methods and wrong types', () => {
    expect(() => new Context(99)).toThrow(SSLError);
    expect(() => new Context('TLS' as never)).toThrow('"method" must be a number, got string');
  });
});

describe('Context certificates and keys', () => {
  it('checks that the key matches the certificate', () => {
    const id = makeIdentity({ cn: 'ctx' });
    const ctx = new Context(TLS_METHOD);
    ctx.useCertificate(id.cert);
    ctx.usePrivatekey(id.key);
    expect(() => ctx.checkPrivatekey()).not.toThrow();
    const other = new Context(TLS_METHOD);
    other.useCertificate(id.cert);
    expect(() => other.usePrivatekey(PKey.generate(TYPE_EC, 'prime256v1'))).toThrow(SSLError);
    const nokey = new Context(TLS_METHOD);
    nokey.useCertificate(id.cert);
    expect(() => nokey.checkPrivatekey()).toThrow(SSLError);
  });

  it('loads certificates and keys from files, and fails cleanly on bad files', () => {
    const id = makeIdentity({ cn: 'files' });
    const files = tempFiles({
      'cert.pem': dumpCertificate(FILETYPE_PEM, id.cert),
      'key.pem': dumpPrivatekey(FILETYPE_PEM, id.key),
      'enc.pem': dumpPrivatekey(FILETYPE_PEM, id.key, 'aes-256-cbc', 'pw'),
      'junk.pem': 'junk',
    });
    try {
      const ctx = new Context(TLS_METHOD);
      ctx.useCertificateFile(files.path('cert.pem'));
      ctx.usePrivatekeyFile(files.path('key.pem'));
      ctx.checkPrivatekey();
      ctx.useCertificateChainFile(files.path('cert.pem'));
      ctx.loadVerifyLocations(files.path('cert.pem'));
      expect(() => ctx.useCertificateFile(files.path('missing.pem'))).toThrow(SSLError);
      expect(() => ctx.useCertificateFile(files.path('junk.pem'))).toThrow(SSLError);
      // An encrypted key fails instead of prompting on the terminal.
      expect(() => new Context(TLS_METHOD).usePrivatekeyFile(files.path('enc.pem'))).toThrow(SSLError);
      expect(() => ctx.loadVerifyLocations(files.path('missing.pem'))).toThrow(SSLError);
      expect(() => ctx.loadVerifyLocations(null, null)).toThrow(RangeError);
      expect(() => ctx.useCertificateFile(5 as never)).toThrow(TypeError);
    } finally {
      files.cleanup();
    }
  });

  it('rejects objects of the wrong type', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => ctx.useCertificate('cert' as never)).toThrow('"cert" must be an X509, got string');
    expect(() => ctx.usePrivatekey({} as never)).toThrow('"pkey" must be a PKey, got Object');
    expect(() => ctx.addExtraChainCert(null as never)).toThrow(TypeError);
  });
});

describe('Context settings', () => {
  it('sets and reads verification mode and depth', () => {
    const ctx = new Context(TLS_METHOD);
    expect(ctx.getVerifyMode()).toBe(VERIFY_NONE);
    const cb = (): boolean => true;
    ctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT, cb);
    expect(ctx.getVerifyMode()).toBe(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    expect(ctx.getVerifyCallback()).toBe(cb);
    ctx.setVerifyDepth(3);
    expect(ctx.getVerifyDepth()).toBe(3);
    expect(() => ctx.setVerify(VERIFY_PEER, 'yes' as never)).toThrow(TypeError);
    expect(() => ctx.setVerifyDepth(-1)).toThrow(RangeError);
  });

  it('accepts cipher lists OpenSSL knows and refuses the rest', () => {
    const ctx = new Context(TLS_METHOD);
    ctx.setCipherList('ECDHE+AESGCM');
    ctx.setCiphersuites('TLS_AES_128_GCM_SHA256');
    expect(() => ctx.setCipherList('NO-SUCH-CIPHER')).toThrow(SSLError);
    expect(() => ctx.setCiphersuites('TLS_NOPE')).toThrow(SSLError);
    expect(() => ctx.setCipherList('ECDHE\0RSA')).toThrow(RangeError);
    expect(() => ctx.setCipherList(7 as never)).toThrow(TypeError);
  });

  it('sets protocol bounds and options', () => {
    const ctx = new Context(TLS_METHOD);
    ctx.setMinProtoVersion(TLS1_2_VERSION);
    ctx.setMaxProtoVersion(TLS1_3_VERSION);
    expect(() => ctx.setMinProtoVersion(0x9999)).toThrow(SSLError);
    const opts = ctx.setOptions(OP_NO_TICKET | OP_NO_TLSv1_3);
    expect(opts & OP_NO_TICKET).toBe(OP_NO_TICKET);
    expect(ctx.getOptions() & OP_NO_TLSv1_3).toBe(OP_NO_TLSv1_3);
    expect(ctx.clearOptions(OP_NO_TLSv1_3) & OP_NO_TLSv1_3).toBe(0);
  });

  it('keeps application data', () => {
    const ctx = new Context(TLS_METHOD);
    expect(ctx.getAppData()).toBeNull();
    const data = { any: 'thing' };
    ctx.setAppData(data);
    expect(ctx.getAppData()).toBe(data);
  });
});
