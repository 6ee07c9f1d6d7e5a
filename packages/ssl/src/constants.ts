// Constants with pyOpenSSL's names and OpenSSL 3's values.

/** SSLv2: refused (OpenSSL 3 no longer implements it); exists so pyOpenSSL code ports and fails with a reason. */
export const SSLv2_METHOD = 1;
/** SSLv3: refused (OpenSSL 3 no longer implements it); exists so pyOpenSSL code ports and fails with a reason. */
export const SSLv3_METHOD = 2;
/** The same as `TLS_METHOD`: negotiate the best TLS version both sides allow (pyOpenSSL's `SSLv23_METHOD`). */
export const SSLv23_METHOD = 3;
/** TLS 1.0 only (pyOpenSSL's `TLSv1_METHOD`; OpenSSL's default security level refuses it). */
export const TLSv1_METHOD = 4;
/** TLS 1.1 only (pyOpenSSL's `TLSv1_1_METHOD`; OpenSSL's default security level refuses it). */
export const TLSv1_1_METHOD = 5;
/** TLS 1.2 only (pyOpenSSL's `TLSv1_2_METHOD`). */
export const TLSv1_2_METHOD = 6;
/** Any TLS version both sides allow, client or server (OpenSSL's `TLS_method`). */
export const TLS_METHOD = 7;
/** Any TLS version, server side only (OpenSSL's `TLS_server_method`). */
export const TLS_SERVER_METHOD = 8;
/** Any TLS version, client side only (OpenSSL's `TLS_client_method`). */
export const TLS_CLIENT_METHOD = 9;
/** Any DTLS version, client or server (OpenSSL's `DTLS_method`). */
export const DTLS_METHOD = 10;
/** Any DTLS version, server side only (OpenSSL's `DTLS_server_method`). */
export const DTLS_SERVER_METHOD = 11;
/** Any DTLS version, client side only (OpenSSL's `DTLS_client_method`). */
export const DTLS_CLIENT_METHOD = 12;

/** SSL 3.0's version number, for `setMinProtoVersion`/`setMaxProtoVersion` (OpenSSL 3 refuses to negotiate it). */
export const SSL3_VERSION = 0x0300;
/** TLS 1.0's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const TLS1_VERSION = 0x0301;
/** TLS 1.1's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const TLS1_1_VERSION = 0x0302;
/** TLS 1.2's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const TLS1_2_VERSION = 0x0303;
/** TLS 1.3's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const TLS1_3_VERSION = 0x0304;
/** DTLS 1.0's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const DTLS1_VERSION = 0xfeff;
/** DTLS 1.2's version number, for `setMinProtoVersion`/`setMaxProtoVersion`. */
export const DTLS1_2_VERSION = 0xfefd;

/** `setVerify` mode: do not verify the peer (a server does not ask for a client certificate). */
export const VERIFY_NONE = 0x00;
/** `setVerify` mode: verify the peer's certificate (a server asks the client for one). */
export const VERIFY_PEER = 0x01;
/** `setVerify` mode, with `VERIFY_PEER` on a server: fail the handshake when the client sends no certificate. */
export const VERIFY_FAIL_IF_NO_PEER_CERT = 0x02;
/** `setVerify` mode, with `VERIFY_PEER` on a server: ask for the client certificate only in the first handshake. */
export const VERIFY_CLIENT_ONCE = 0x04;
/** `setVerify` mode, with `VERIFY_PEER` on a TLS 1.3 server: ask for the client certificate only after the handshake (`verifyClientPostHandshake`). */
export const VERIFY_POST_HANDSHAKE = 0x08;

const bit = (n: number): number => 2 ** n;
/** `setOptions` bit (OpenSSL's `SSL_OP_NO_EXTENDED_MASTER_SECRET`): do not use the extended master secret extension (TLS 1.2). */
export const OP_NO_EXTENDED_MASTER_SECRET = bit(0);
/** `setOptions` bit (`SSL_OP_CLEANSE_PLAINTEXT`): wipe decrypted data from OpenSSL's buffers once it is read. */
export const OP_CLEANSE_PLAINTEXT = bit(1);
/** `setOptions` bit (`SSL_OP_LEGACY_SERVER_CONNECT`): let a client connect to servers without secure renegotiation support. */
export const OP_LEGACY_SERVER_CONNECT = bit(2);
/** `setOptions` bit (`SSL_OP_ENABLE_KTLS`): use kernel TLS where available (no effect on memory BIOs). */
export const OP_ENABLE_KTLS = bit(3);
/** `setOptions` bit (`SSL_OP_TLSEXT_PADDING`): add the padding extension to ClientHello (works around some middleboxes). */
export const OP_TLSEXT_PADDING = bit(4);
/** `setOptions` bit (`SSL_OP_SAFARI_ECDHE_ECDSA_BUG`): work around an old Safari bug with ECDHE-ECDSA ciphers. */
export const OP_SAFARI_ECDHE_ECDSA_BUG = bit(6);
/** `setOptions` bit (`SSL_OP_IGNORE_UNEXPECTED_EOF`): treat an EOF without close_notify as a clean close (allows truncation attacks). */
export const OP_IGNORE_UNEXPECTED_EOF = bit(7);
/** `setOptions` bit (`SSL_OP_ALLOW_CLIENT_RENEGOTIATION`): let clients start a TLS 1.2 renegotiation. */
export const OP_ALLOW_CLIENT_RENEGOTIATION = bit(8);
/** `setOptions` bit (`SSL_OP_DISABLE_TLSEXT_CA_NAMES`): do not send the certificate_authorities extension. */
export const OP_DISABLE_TLSEXT_CA_NAMES = bit(9);
/** `setOptions` bit (`SSL_OP_ALLOW_NO_DHE_KEX`): allow TLS 1.3 resumption without a (EC)DHE key exchange (no forward secrecy). */
export const OP_ALLOW_NO_DHE_KEX = bit(10);
/** `setOptions` bit (`SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS`): turn off the CBC IV countermeasure of TLS 1.0 and older. */
export const OP_DONT_INSERT_EMPTY_FRAGMENTS = bit(11);
/** `setOptions` bit (`SSL_OP_NO_QUERY_MTU`): DTLS does not ask the transport for the path MTU (use `setCiphertextMtu`). */
export const OP_NO_QUERY_MTU = bit(12);
/** `setOptions` bit (`SSL_OP_COOKIE_EXCHANGE`): a DTLS server sends HelloVerifyRequest cookies. */
export const OP_COOKIE_EXCHANGE = bit(13);
/** `setOptions` bit (`SSL_OP_NO_TICKET`): no stateless session tickets (TLS 1.2: none at all; TLS 1.3: stateful ones). */
export const OP_NO_TICKET = bit(14);
/** `setOptions` bit (`SSL_OP_CISCO_ANYCONNECT`): use Cisco AnyConnect's pre-standard DTLS version. */
export const OP_CISCO_ANYCONNECT = bit(15);
/** `setOptions` bit (`SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION`): a renegotiation makes a new session. */
export const OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION = bit(16);
/** `setOptions` bit (`SSL_OP_NO_COMPRESSION`): no TLS compression (OpenSSL 3 never compresses by default). */
export const OP_NO_COMPRESSION = bit(17);
/** `setOptions` bit (`SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION`): allow renegotiation with peers that lack secure renegotiation (insecure). */
export const OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION = bit(18);
/** `setOptions` bit (`SSL_OP_NO_ENCRYPT_THEN_MAC`): do not use encrypt-then-MAC with CBC ciphers. */
export const OP_NO_ENCRYPT_THEN_MAC = bit(19);
/** `setOptions` bit (`SSL_OP_ENABLE_MIDDLEBOX_COMPAT`): TLS 1.3 looks like a TLS 1.2 resumption on the wire (on by default). */
export const OP_ENABLE_MIDDLEBOX_COMPAT = bit(20);
/** `setOptions` bit (`SSL_OP_PRIORITIZE_CHACHA`): a server prefers ChaCha20-Poly1305 when the client lists it first. */
export const OP_PRIORITIZE_CHACHA = bit(21);
/** `setOptions` bit (`SSL_OP_CIPHER_SERVER_PREFERENCE`): a server chooses the cipher by its own order, not the client's. */
export const OP_CIPHER_SERVER_PREFERENCE = bit(22);
/** `setOptions` bit (`SSL_OP_TLS_ROLLBACK_BUG`): tolerate a version rollback bug in old clients (weakens protection). */
export const OP_TLS_ROLLBACK_BUG = bit(23);
/** `setOptions` bit (`SSL_OP_NO_ANTI_REPLAY`): turn off the server's TLS 1.3 early-data replay protection. */
export const OP_NO_ANTI_REPLAY = bit(24);
/** `setOptions` bit (`SSL_OP_NO_SSLv3`): never negotiate SSLv3 (OpenSSL 3 never does). */
export const OP_NO_SSLv3 = bit(25);
/** `setOptions` bit (`SSL_OP_NO_TLSv1`): never negotiate TLS 1.0 (prefer `setMinProtoVersion`). */
export const OP_NO_TLSv1 = bit(26);
/** `setOptions` bit (`SSL_OP_NO_TLSv1_2`): never negotiate TLS 1.2 (prefer `setMinProtoVersion`/`setMaxProtoVersion`). */
export const OP_NO_TLSv1_2 = bit(27);
/** `setOptions` bit (`SSL_OP_NO_TLSv1_1`): never negotiate TLS 1.1 (prefer `setMinProtoVersion`). */
export const OP_NO_TLSv1_1 = bit(28);
/** `setOptions` bit (`SSL_OP_NO_TLSv1_3`): never negotiate TLS 1.3 (prefer `setMaxProtoVersion`). */
export const OP_NO_TLSv1_3 = bit(29);
/** `setOptions` bit (`SSL_OP_NO_DTLSv1`): never negotiate DTLS 1.0 (the same bit as `OP_NO_TLSv1`). */
export const OP_NO_DTLSv1 = bit(26);
/** `setOptions` bit (`SSL_OP_NO_DTLSv1_2`): never negotiate DTLS 1.2 (the same bit as `OP_NO_TLSv1_2`). */
export const OP_NO_DTLSv1_2 = bit(27);
/** `setOptions` bit (`SSL_OP_NO_RENEGOTIATION`): refuse every TLS 1.2 renegotiation. */
export const OP_NO_RENEGOTIATION = bit(30);
/** `setOptions` bit (`SSL_OP_CRYPTOPRO_TLSEXT_BUG`): work around a CryptoPro server bug (GOST). */
export const OP_CRYPTOPRO_TLSEXT_BUG = bit(31);
/** `setOptions` bit for SSLv2, which OpenSSL 3 no longer has: 0, as in OpenSSL. */
export const OP_NO_SSLv2 = 0;
/** Kept for pyOpenSSL code: OpenSSL always uses a fresh DH key now, so the bit is 0. */
export const OP_SINGLE_DH_USE = 0;
/** Kept for pyOpenSSL code: OpenSSL always uses a fresh ECDH key now, so the bit is 0. */
export const OP_SINGLE_ECDH_USE = 0;
/** Kept for pyOpenSSL code: ephemeral RSA is gone from OpenSSL, so the bit is 0. */
export const OP_EPHEMERAL_RSA = 0;
/**
 * `setOptions` bits (`SSL_OP_ALL`): OpenSSL's harmless bug workarounds, all at once. As in OpenSSL
 * 3.0's header (and pyOpenSSL), it does not include `OP_LEGACY_SERVER_CONNECT`.
 */
export const OP_ALL = OP_CRYPTOPRO_TLSEXT_BUG + OP_DONT_INSERT_EMPTY_FRAGMENTS + OP_TLSEXT_PADDING + OP_SAFARI_ECDHE_ECDSA_BUG;

// Options OpenSSL retired: 0 in OpenSSL 3's header, and so in pyOpenSSL; kept so that code naming them ports.
/** Retired option (0): the Microsoft session-ID bug workaround. */
export const OP_MICROSOFT_SESS_ID_BUG = 0;
/** Retired option (0): the Netscape challenge bug workaround. */
export const OP_NETSCAPE_CHALLENGE_BUG = 0;
/** Retired option (0): the Netscape cipher-change reuse bug workaround. */
export const OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG = 0;
/** Retired option (0): the SSLref2 certificate-type reuse bug workaround. */
export const OP_SSLREF2_REUSE_CERT_TYPE_BUG = 0;
/** Retired option (0): large SSLv3 buffers for old Microsoft clients. */
export const OP_MICROSOFT_BIG_SSLV3_BUFFER = 0;
/** Retired option (0): the MSIE SSLv2 RSA padding workaround. */
export const OP_MSIE_SSLV2_RSA_PADDING = 0;
/** Retired option (0): the SSLeay 0.8.0 client DH bug workaround. */
export const OP_SSLEAY_080_CLIENT_DH_BUG = 0;
/** Retired option (0): the TLS D5 bug workaround. */
export const OP_TLS_D5_BUG = 0;
/** Retired option (0): the TLS block padding bug workaround. */
export const OP_TLS_BLOCK_PADDING_BUG = 0;
/** Retired option (0): PKCS#1 check 1. */
export const OP_PKCS1_CHECK_1 = 0;
/** Retired option (0): PKCS#1 check 2. */
export const OP_PKCS1_CHECK_2 = 0;
/** Retired option (0): the Netscape CA DN bug workaround. */
export const OP_NETSCAPE_CA_DN_BUG = 0;
/** Retired option (0): the Netscape demo cipher-change bug workaround. */
export const OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG = 0;

/** `setMode` flag (`SSL_MODE_ENABLE_PARTIAL_WRITE`): `send` may take part of the data. */
export const MODE_ENABLE_PARTIAL_WRITE = 0x1;
/** `setMode` flag (`SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER`): a retried write may pass another buffer with the same data. */
export const MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2;
/** `setMode` flag (`SSL_MODE_AUTO_RETRY`): reads retry after non-application records instead of reporting WantRead (on by default). */
export const MODE_AUTO_RETRY = 0x4;
/** `setMode` flag (`SSL_MODE_NO_AUTO_CHAIN`): send only the configured chain, never one built from the trust store. */
export const MODE_NO_AUTO_CHAIN = 0x8;
/** `setMode` flag (`SSL_MODE_RELEASE_BUFFERS`): free idle read/write buffers to save memory. */
export const MODE_RELEASE_BUFFERS = 0x10;
/** `setMode` flag (`SSL_MODE_SEND_FALLBACK_SCSV`): a client retrying with a lower version says so (RFC 7507). */
export const MODE_SEND_FALLBACK_SCSV = 0x80;

/** `setSessionCacheMode` (`SSL_SESS_CACHE_OFF`): no session caching. */
export const SESS_CACHE_OFF = 0x0000;
/** `setSessionCacheMode` (`SSL_SESS_CACHE_CLIENT`): cache client sessions (the application resumes them with `setSession`). */
export const SESS_CACHE_CLIENT = 0x0001;
/** `setSessionCacheMode` (`SSL_SESS_CACHE_SERVER`): a server caches sessions for resumption (the default). */
export const SESS_CACHE_SERVER = 0x0002;
/** `setSessionCacheMode` (`SSL_SESS_CACHE_BOTH`): `SESS_CACHE_CLIENT | SESS_CACHE_SERVER`. */
export const SESS_CACHE_BOTH = 0x0003;
/** `setSessionCacheMode` flag (`SSL_SESS_CACHE_NO_AUTO_CLEAR`): do not flush expired sessions every 255 connections. */
export const SESS_CACHE_NO_AUTO_CLEAR = 0x0080;
/** `setSessionCacheMode` flag (`SSL_SESS_CACHE_NO_INTERNAL_LOOKUP`): do not look sessions up in the internal cache. */
export const SESS_CACHE_NO_INTERNAL_LOOKUP = 0x0100;
/** `setSessionCacheMode` flag (`SSL_SESS_CACHE_NO_INTERNAL_STORE`): do not store sessions in the internal cache. */
export const SESS_CACHE_NO_INTERNAL_STORE = 0x0200;
/** `setSessionCacheMode` flag (`SSL_SESS_CACHE_NO_INTERNAL`): neither look up nor store in the internal cache. */
export const SESS_CACHE_NO_INTERNAL = 0x0300;

/** Info-callback `where` bit (`SSL_ST_CONNECT`): the client side. */
export const SSL_ST_CONNECT = 0x1000;
/** Info-callback `where` bit (`SSL_ST_ACCEPT`): the server side. */
export const SSL_ST_ACCEPT = 0x2000;
/** Mask of the state bits of an info-callback `where` (`SSL_ST_MASK`). */
export const SSL_ST_MASK = 0x0fff;
/** Info-callback `where` bit (`SSL_CB_LOOP`): the handshake moved to a new state. */
export const SSL_CB_LOOP = 0x01;
/** Info-callback `where` bit (`SSL_CB_EXIT`): a handshake call returned (`ret` 0 on failure). */
export const SSL_CB_EXIT = 0x02;
/** Info-callback `where` bit (`SSL_CB_READ`): an alert was read. */
export const SSL_CB_READ = 0x04;
/** Info-callback `where` bit (`SSL_CB_WRITE`): an alert was written. */
export const SSL_CB_WRITE = 0x08;
/** Info-callback `where` bit (`SSL_CB_ALERT`): an alert (`ret` holds its level and description). */
export const SSL_CB_ALERT = 0x4000;
/** Info-callback `where` (`SSL_CB_READ_ALERT`): an alert was received. */
export const SSL_CB_READ_ALERT = SSL_CB_ALERT | SSL_CB_READ;
/** Info-callback `where` (`SSL_CB_WRITE_ALERT`): an alert was sent. */
export const SSL_CB_WRITE_ALERT = SSL_CB_ALERT | SSL_CB_WRITE;
/** Info-callback `where` (`SSL_CB_ACCEPT_LOOP`): a server handshake moved to a new state. */
export const SSL_CB_ACCEPT_LOOP = SSL_ST_ACCEPT | SSL_CB_LOOP;
/** Info-callback `where` (`SSL_CB_ACCEPT_EXIT`): a server handshake call returned. */
export const SSL_CB_ACCEPT_EXIT = SSL_ST_ACCEPT | SSL_CB_EXIT;
/** Info-callback `where` (`SSL_CB_CONNECT_LOOP`): a client handshake moved to a new state. */
export const SSL_CB_CONNECT_LOOP = SSL_ST_CONNECT | SSL_CB_LOOP;
/** Info-callback `where` (`SSL_CB_CONNECT_EXIT`): a client handshake call returned. */
export const SSL_CB_CONNECT_EXIT = SSL_ST_CONNECT | SSL_CB_EXIT;
/** Info-callback `where` bit (`SSL_CB_HANDSHAKE_START`): a handshake started. */
export const SSL_CB_HANDSHAKE_START = 0x10;
/** Info-callback `where` bit (`SSL_CB_HANDSHAKE_DONE`): a handshake finished. */
export const SSL_CB_HANDSHAKE_DONE = 0x20;

/** `getShutdown` bit (`SSL_SENT_SHUTDOWN`): our close_notify was sent. */
export const SENT_SHUTDOWN = 1;
/** `getShutdown` bit (`SSL_RECEIVED_SHUTDOWN`): the peer's close_notify arrived. */
export const RECEIVED_SHUTDOWN = 2;

/** `SSL_get_error` code: no error. */
export const SSL_ERROR_NONE = 0;
/** `SSL_get_error` code: a TLS protocol failure (an `SSL.Error`). */
export const SSL_ERROR_SSL = 1;
/** `SSL_get_error` code: more bytes from the peer are needed (`WantReadError`). */
export const SSL_ERROR_WANT_READ = 2;
/** `SSL_get_error` code: bytes must be written to the peer first (`WantWriteError`). */
export const SSL_ERROR_WANT_WRITE = 3;
/** `SSL_get_error` code: a certificate callback asked to be called again (`WantX509LookupError`). */
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
/** `SSL_get_error` code: the transport failed or ended without close_notify (`SysCallError`). */
export const SSL_ERROR_SYSCALL = 5;
/** `SSL_get_error` code: the peer closed TLS cleanly (`ZeroReturnError`). */
export const SSL_ERROR_ZERO_RETURN = 6;
/** `SSL_get_error` code: a client-hello callback asked to be called again (`WantX509LookupError` here). */
export const SSL_ERROR_WANT_CLIENT_HELLO_CB = 11;

/** `SocketConnection.sockShutdown` (Python's `socket.SHUT_RD`): stop reading. */
export const SHUT_RD = 0;
/** `SocketConnection.sockShutdown` (Python's `socket.SHUT_WR`): end the sending side (a FIN). */
export const SHUT_WR = 1;
/** `SocketConnection.sockShutdown` (Python's `socket.SHUT_RDWR`): both. */
export const SHUT_RDWR = 2;

// Python's ssl.VerifyFlags: the X509_V_FLAG_* bits of `Context.verifyFlags`.
/** No extra checks (Python's `VERIFY_DEFAULT`). */
export const VERIFY_DEFAULT = 0;
/** Check the leaf against the store's CRLs (`X509_V_FLAG_CRL_CHECK`). */
export const VERIFY_CRL_CHECK_LEAF = 0x4;
/** Check every certificate of the chain against the store's CRLs (`CRL_CHECK | CRL_CHECK_ALL`). */
export const VERIFY_CRL_CHECK_CHAIN = 0x4 | 0x8;
/** Refuse certificates that break RFC 5280 (`X509_V_FLAG_X509_STRICT`). */
export const VERIFY_X509_STRICT = 0x20;
/** Accept proxy certificates (`X509_V_FLAG_ALLOW_PROXY_CERTS`). */
export const VERIFY_ALLOW_PROXY_CERTS = 0x40;
/** Prefer trusted certificates when building the chain (`X509_V_FLAG_TRUSTED_FIRST`, OpenSSL's default). */
export const VERIFY_X509_TRUSTED_FIRST = 0x8000;
/** Accept a chain that ends at a trusted intermediate (`X509_V_FLAG_PARTIAL_CHAIN`). */
export const VERIFY_X509_PARTIAL_CHAIN = 0x80000;
