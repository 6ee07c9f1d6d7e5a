// The names in ../shared/API.md are a contract: programs outside this repository call them exactly as
// written. This test lists them and checks that each one exists with the right kind.
import { describe, expect, it } from 'vitest';
import * as native from '@ossl/native';
import * as crypto from '@ossl/crypto';
import * as ssl from '@ossl/ssl';
import * as compat from '@ossl/compat-net';
import * as httpsClient from '@ossl/https-client';
import https from 'node:https';

type Mod = Record<string, unknown>;

function methodsOf(mod: Mod, cls: string, names: string[]): void {
  const C = mod[cls] as { prototype: Record<string, unknown> } | undefined;
  expect(typeof C, `${cls} is exported`).toBe('function');
  for (const m of names) {
    // `in` looks along the prototype chain without running getters (which need a real instance).
    const present = m.startsWith('static ') ? typeof (C as unknown as Record<string, unknown>)[m.slice(7)] === 'function' : m in C!.prototype;
    expect(present, `${cls}.${m}`).toBe(true);
  }
}

function names(mod: Mod, list: string[]): void {
  for (const n of list) expect(mod[n], n).toBeDefined();
}

describe('API.md: @ossl/native', () => {
  it('exports the version function and constants', () => {
    names(native as Mod, ['opensslVersion', 'OPENSSL_VERSION_NUMBER', 'SSLEAY_VERSION', 'SSLEAY_CFLAGS', 'SSLEAY_PLATFORM', 'SSLEAY_DIR', 'SSLEAY_BUILT_ON']);
  });
});

describe('API.md: @ossl/crypto', () => {
  const c = crypto as Mod;
  it('exports the constants, functions and errors', () => {
    names(c, ['FILETYPE_PEM', 'FILETYPE_ASN1', 'FILETYPE_TEXT', 'TYPE_RSA', 'TYPE_DSA', 'TYPE_DH', 'TYPE_EC', 'TYPE_ED25519', 'TYPE_ED448', 'Error',
      'X509StoreFlags', 'X509StoreContextError', 'loadCertificate', 'dumpCertificate', 'loadPublickey', 'dumpPublickey', 'loadPrivatekey', 'dumpPrivatekey',
      'loadCertificateRequest', 'dumpCertificateRequest', 'loadCrl', 'dumpCrl', 'loadPkcs7Data', 'loadPkcs12', 'sign', 'verify', 'rand',
      'MessageDigest', 'HMAC', 'Cipher', 'getDigestNames', 'getCipherNames', 'smimeSign', 'smimeVerify', 'smimeEncrypt', 'smimeDecrypt', 'writeSmime', 'readSmime']);
    for (const f of ['CRL_CHECK', 'CRL_CHECK_ALL', 'IGNORE_CRITICAL', 'X509_STRICT', 'ALLOW_PROXY_CERTS', 'POLICY_CHECK', 'EXPLICIT_POLICY', 'INHIBIT_MAP', 'CHECK_SS_SIGNATURE', 'PARTIAL_CHAIN']) {
      expect((crypto.X509StoreFlags as Record<string, number>)[f], f).toBeTypeOf('number');
    }
    for (const f of ['bytes', 'add', 'seed', 'status', 'loadFile', 'writeFile', 'cleanup']) expect((crypto.rand as unknown as Mod)[f], `rand.${f}`).toBeTypeOf('function');
  });

  it('has every class method', () => {
    methodsOf(c, 'PKey', ['generateKey', 'generateKeyAsync', 'check', 'type', 'bits', 'toKeyObject', 'static fromKeyObject']);
    methodsOf(c, 'X509Name', ['hash', 'der', 'getComponents', 'equals', 'compare', 'toString', 'C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress', 'countryName', 'commonName', 'organizationName']);
    methodsOf(c, 'X509Extension', ['getCritical', 'getShortName', 'getData', 'toString']);
    methodsOf(c, 'X509Req', ['setPubkey', 'getPubkey', 'setVersion', 'getVersion', 'getSubject', 'addExtensions', 'getExtensions', 'sign', 'verify']);
    methodsOf(c, 'X509', ['setVersion', 'getVersion', 'getPubkey', 'setPubkey', 'sign', 'getSignatureAlgorithm', 'digest', 'subjectNameHash', 'setSerialNumber',
      'getSerialNumber', 'gmtimeAdjNotBefore', 'gmtimeAdjNotAfter', 'hasExpired', 'getNotBefore', 'setNotBefore', 'getNotAfter', 'setNotAfter', 'getIssuer',
      'setIssuer', 'getSubject', 'setSubject', 'getExtensionCount', 'addExtensions', 'getExtension', 'toX509Certificate', 'static fromX509Certificate']);
    methodsOf(c, 'X509Store', ['addCert', 'addCrl', 'setFlags', 'setTime', 'loadLocations']);
    methodsOf(c, 'X509StoreContext', ['setStore', 'verifyCertificate', 'getVerifiedChain']);
    methodsOf(c, 'Revoked', ['setSerial', 'getSerial', 'setReason', 'getReason', 'allReasons', 'setRevDate', 'getRevDate']);
    methodsOf(c, 'CRL', ['getRevoked', 'addRevoked', 'getIssuer', 'setVersion', 'setLastUpdate', 'setNextUpdate', 'sign', 'export']);
    methodsOf(c, 'PKCS7', ['typeIsSigned', 'typeIsEnveloped', 'typeIsSignedAndEnveloped', 'typeIsData', 'getTypeName']);
    methodsOf(c, 'PKCS12', ['getCertificate', 'setCertificate', 'getPrivatekey', 'setPrivatekey', 'getCaCertificates', 'setCaCertificates', 'getFriendlyname', 'setFriendlyname', 'export']);
    methodsOf(c, 'NetscapeSPKI', ['sign', 'verify', 'b64Encode', 'getPubkey', 'setPubkey']);
    methodsOf(c, 'MessageDigest', ['update', 'final']);
    methodsOf(c, 'HMAC', ['update', 'final']);
    methodsOf(c, 'Cipher', ['update', 'final']);
  });
});

describe('API.md: @ossl/ssl', () => {
  const s = ssl as Mod;
  it('exports the methods, constants and errors', () => {
    names(s, ['TLS_METHOD', 'TLS_SERVER_METHOD', 'TLS_CLIENT_METHOD', 'SSLv23_METHOD', 'TLSv1_2_METHOD', 'DTLS_METHOD', 'DTLS_SERVER_METHOD', 'DTLS_CLIENT_METHOD',
      'SSLv2_METHOD', 'SSLv3_METHOD', 'TLS1_VERSION', 'TLS1_1_VERSION', 'TLS1_2_VERSION', 'TLS1_3_VERSION', 'VERIFY_NONE', 'VERIFY_PEER', 'VERIFY_FAIL_IF_NO_PEER_CERT',
      'OP_NO_TLSv1', 'OP_ALL', 'MODE_RELEASE_BUFFERS', 'SESS_CACHE_BOTH', 'SSL_CB_HANDSHAKE_DONE', 'SENT_SHUTDOWN', 'RECEIVED_SHUTDOWN',
      'Error', 'WantReadError', 'WantWriteError', 'WantX509LookupError', 'ZeroReturnError', 'SysCallError', 'CertificateVerifyError', 'Session', 'createDefaultContext']);
  });

  it('has every Context, Connection and SocketConnection method', () => {
    methodsOf(s, 'Context', ['loadVerifyLocations', 'setDefaultVerifyPaths', 'useCertificateChainFile', 'useCertificateFile', 'useCertificate', 'addExtraChainCert',
      'usePrivatekeyFile', 'usePrivatekey', 'checkPrivatekey', 'loadClientCa', 'setSessionId', 'setSessionCacheMode', 'getSessionCacheMode', 'setVerify',
      'setVerifyDepth', 'getVerifyDepth', 'getVerifyMode', 'loadTmpDh', 'setTmpEcdh', 'setCipherList', 'setCiphersuites', 'setClientCaList', 'addClientCa',
      'setTimeout', 'getTimeout', 'setInfoCallback', 'setKeylogCallback', 'getAppData', 'setAppData', 'getCertStore', 'setOptions', 'setMode',
      'setMinProtoVersion', 'setMaxProtoVersion', 'setTlsextServernameCallback', 'setAlpnProtos', 'setAlpnSelectCallback', 'setOcspServerCallback',
      'setOcspClientCallback', 'setPasswdCb', 'setCookieGenerateCallback', 'setCookieVerifyCallback', 'setTlsextUseSrtp']);
    methodsOf(s, 'Connection', ['getContext', 'setContext', 'getServername', 'setVerify', 'getVerifyMode', 'useCertificate', 'usePrivatekey', 'setTlsextHostName',
      'pending', 'send', 'write', 'sendall', 'recv', 'read', 'recvInto', 'bioRead', 'bioWrite', 'bioShutdown', 'renegotiate', 'renegotiatePending',
      'totalRenegotiations', 'doHandshake', 'setAcceptState', 'setConnectState', 'shutdown', 'getShutdown', 'setShutdown', 'getCipherList', 'getClientCaList',
      'getStateString', 'serverRandom', 'clientRandom', 'masterKey', 'exportKeyingMaterial', 'getCertificate', 'getPeerCertificate', 'getPeerCertChain',
      'getVerifiedChain', 'wantRead', 'wantWrite', 'getSession', 'setSession', 'getFinished', 'getPeerFinished', 'getCipherName', 'getCipherBits',
      'getCipherVersion', 'getProtocolVersionName', 'getProtocolVersion', 'setAlpnProtos', 'getAlpnProtoNegotiated', 'requestOcsp', 'setCiphertextMtu',
      'getCleartextMtu', 'DTLSv1GetTimeout', 'DTLSv1HandleTimeout', 'DTLSv1Listen', 'getAppData', 'setAppData', 'verifyClientPostHandshake', 'setPostHandshakeAuth']);
    methodsOf(s, 'SocketConnection', ['connect', 'accept', 'doHandshake', 'recv', 'send', 'sendall', 'shutdown', 'close', 'makefile']);
  });
});

describe('API.md: @ossl/compat-net', () => {
  const c = compat as Mod;
  it('exports the socket, the net drop-ins and the Python helpers', () => {
    names(c, ['SecureSocket', 'wrapSocket', 'connect', 'createConnection', 'createServer', 'Server', 'CERT_NONE', 'CERT_OPTIONAL', 'CERT_REQUIRED',
      'PROTOCOL_TLS_CLIENT', 'PROTOCOL_TLS_SERVER', 'PROTOCOL_SSLv23', 'certTimeToSeconds', 'DERCertToPEMCert', 'PEMCertToDERCert', 'getServerCertificate',
      'createDefaultContext', 'fromSocket', 'readline', 'readlines', 'writelines', 'default']);
    methodsOf(c, 'SecureSocket', ['write', 'end', 'destroy', 'setTimeout', 'setNoDelay', 'setKeepAlive', 'address', 'ref', 'unref', 'remoteAddress', 'remotePort',
      'localAddress', 'localPort', 'bytesRead', 'bytesWritten', 'getPeerCertificate', 'getProtocol', 'getCipher', 'getpeercert', 'cipher', 'version', 'read',
      'unwrap', 'servername']);
  });
});

describe('API.md: @ossl/https-client', () => {
  const h = httpsClient as Mod;
  it('exports the connection, response, proxy connection, Checker and request', () => {
    names(h, ['HTTPSConnection', 'HTTPResponse', 'ProxyHTTPSConnection', 'Checker', 'request']);
    methodsOf(h, 'HTTPSConnection', ['request', 'getresponse', 'putrequest', 'putheader', 'endheaders', 'send', 'setTunnel', 'connect', 'close', 'setDebuglevel']);
    methodsOf(h, 'HTTPResponse', ['getheader', 'getheaders', 'read', 'readline']);
  });
  it('exports Agent, fetch and createDispatcher', () => {
    names(h, ['Agent', 'fetch', 'createDispatcher']);
    expect(typeof h.fetch).toBe('function');
    expect(typeof h.createDispatcher).toBe('function');
    // A node:https Agent, and an undici Dispatcher (dispatch/close/destroy).
    expect(new (h.Agent as new () => object)()).toBeInstanceOf(https.Agent);
    const d = (h.createDispatcher as () => { dispatch: unknown; close: () => Promise<void> })();
    expect(typeof d.dispatch).toBe('function');
    return d.close();
  });
});
