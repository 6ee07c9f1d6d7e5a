// Constants with pyOpenSSL's names and OpenSSL 3's values.

/** Methods, numbered as pyOpenSSL numbers them. SSLv2/SSLv3 exist only to be refused with a reason. */
export const SSLv2_METHOD = 1;
export const SSLv3_METHOD = 2;
/** The same as TLS_METHOD: negotiate the best TLS version both sides allow. */
export const SSLv23_METHOD = 3;
export const TLSv1_METHOD = 4;
export const TLSv1_1_METHOD = 5;
export const TLSv1_2_METHOD = 6;
export const TLS_METHOD = 7;
export const TLS_SERVER_METHOD = 8;
export const TLS_CLIENT_METHOD = 9;
export const DTLS_METHOD = 10;
export const DTLS_SERVER_METHOD = 11;
export const DTLS_CLIENT_METHOD = 12;

export const SSL3_VERSION = 0x0300;
export const TLS1_VERSION = 0x0301;
export const TLS1_1_VERSION = 0x0302;
export const TLS1_2_VERSION = 0x0303;
export const TLS1_3_VERSION = 0x0304;
export const DTLS1_VERSION = 0xfeff;
export const DTLS1_2_VERSION = 0xfefd;

export const VERIFY_NONE = 0x00;
export const VERIFY_PEER = 0x01;
export const VERIFY_FAIL_IF_NO_PEER_CERT = 0x02;
export const VERIFY_CLIENT_ONCE = 0x04;
export const VERIFY_POST_HANDSHAKE = 0x08;

const bit = (n: number): number => 2 ** n;
export const OP_NO_EXTENDED_MASTER_SECRET = bit(0);
export const OP_CLEANSE_PLAINTEXT = bit(1);
export const OP_LEGACY_SERVER_CONNECT = bit(2);
export const OP_ENABLE_KTLS = bit(3);
export const OP_TLSEXT_PADDING = bit(4);
export const OP_SAFARI_ECDHE_ECDSA_BUG = bit(6);
export const OP_IGNORE_UNEXPECTED_EOF = bit(7);
export const OP_ALLOW_CLIENT_RENEGOTIATION = bit(8);
export const OP_DISABLE_TLSEXT_CA_NAMES = bit(9);
export const OP_ALLOW_NO_DHE_KEX = bit(10);
export const OP_DONT_INSERT_EMPTY_FRAGMENTS = bit(11);
export const OP_NO_QUERY_MTU = bit(12);
export const OP_COOKIE_EXCHANGE = bit(13);
export const OP_NO_TICKET = bit(14);
export const OP_CISCO_ANYCONNECT = bit(15);
export const OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION = bit(16);
export const OP_NO_COMPRESSION = bit(17);
export const OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION = bit(18);
export const OP_NO_ENCRYPT_THEN_MAC = bit(19);
export const OP_ENABLE_MIDDLEBOX_COMPAT = bit(20);
export const OP_PRIORITIZE_CHACHA = bit(21);
export const OP_CIPHER_SERVER_PREFERENCE = bit(22);
export const OP_TLS_ROLLBACK_BUG = bit(23);
export const OP_NO_ANTI_REPLAY = bit(24);
export const OP_NO_SSLv3 = bit(25);
export const OP_NO_TLSv1 = bit(26);
export const OP_NO_TLSv1_2 = bit(27);
export const OP_NO_TLSv1_1 = bit(28);
export const OP_NO_TLSv1_3 = bit(29);
export const OP_NO_DTLSv1 = bit(26);
export const OP_NO_DTLSv1_2 = bit(27);
export const OP_NO_RENEGOTIATION = bit(30);
export const OP_CRYPTOPRO_TLSEXT_BUG = bit(31);
/** OpenSSL 3 no longer has SSLv2; the option is kept, as in OpenSSL, as 0. */
export const OP_NO_SSLv2 = 0;
export const OP_SINGLE_DH_USE = 0;
export const OP_SINGLE_ECDH_USE = 0;
export const OP_EPHEMERAL_RSA = 0;
export const OP_ALL =
  OP_CRYPTOPRO_TLSEXT_BUG + OP_DONT_INSERT_EMPTY_FRAGMENTS + OP_LEGACY_SERVER_CONNECT + OP_TLSEXT_PADDING + OP_SAFARI_ECDHE_ECDSA_BUG;

export const MODE_ENABLE_PARTIAL_WRITE = 0x1;
export const MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2;
export const MODE_AUTO_RETRY = 0x4;
export const MODE_NO_AUTO_CHAIN = 0x8;
export const MODE_RELEASE_BUFFERS = 0x10;
export const MODE_SEND_FALLBACK_SCSV = 0x80;

export const SESS_CACHE_OFF = 0x0000;
export const SESS_CACHE_CLIENT = 0x0001;
export const SESS_CACHE_SERVER = 0x0002;
export const SESS_CACHE_BOTH = 0x0003;
export const SESS_CACHE_NO_AUTO_CLEAR = 0x0080;
export const SESS_CACHE_NO_INTERNAL_LOOKUP = 0x0100;
export const SESS_CACHE_NO_INTERNAL_STORE = 0x0200;
export const SESS_CACHE_NO_INTERNAL = 0x0300;

export const SSL_ST_CONNECT = 0x1000;
export const SSL_ST_ACCEPT = 0x2000;
export const SSL_ST_MASK = 0x0fff;
export const SSL_CB_LOOP = 0x01;
export const SSL_CB_EXIT = 0x02;
export const SSL_CB_READ = 0x04;
export const SSL_CB_WRITE = 0x08;
export const SSL_CB_ALERT = 0x4000;
export const SSL_CB_READ_ALERT = SSL_CB_ALERT | SSL_CB_READ;
export const SSL_CB_WRITE_ALERT = SSL_CB_ALERT | SSL_CB_WRITE;
export const SSL_CB_ACCEPT_LOOP = SSL_ST_ACCEPT | SSL_CB_LOOP;
export const SSL_CB_ACCEPT_EXIT = SSL_ST_ACCEPT | SSL_CB_EXIT;
export const SSL_CB_CONNECT_LOOP = SSL_ST_CONNECT | SSL_CB_LOOP;
export const SSL_CB_CONNECT_EXIT = SSL_ST_CONNECT | SSL_CB_EXIT;
export const SSL_CB_HANDSHAKE_START = 0x10;
export const SSL_CB_HANDSHAKE_DONE = 0x20;

export const SENT_SHUTDOWN = 1;
export const RECEIVED_SHUTDOWN = 2;

/** SSL_get_error codes, as the native layer returns them (negated) for retryable conditions. */
export const SSL_ERROR_NONE = 0;
export const SSL_ERROR_SSL = 1;
export const SSL_ERROR_WANT_READ = 2;
export const SSL_ERROR_WANT_WRITE = 3;
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
export const SSL_ERROR_SYSCALL = 5;
export const SSL_ERROR_ZERO_RETURN = 6;
