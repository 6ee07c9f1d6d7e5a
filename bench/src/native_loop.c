/*
 * The floor under ossl's figures: the same work as the benchmark's rows, as a C loop straight on
 * OpenSSL with no JavaScript at all. Built by bench/src/native-loop.mjs against the system's
 * libssl-dev (Debian's OpenSSL 3.0, the series and version Node 20 bundles) and run in the same
 * benchmark run, so that "ossl / native" shows what the JavaScript layer costs.
 *
 *   native_loop cert <cert.der> <seconds>         d2i_X509 + X509_free, and the same structure
 *                                                  with the public key left undecoded (ossl's
 *                                                  lazy load), per second
 *   native_loop tls <cert.pem> <key.pem> <seconds> TLS 1.3 full and resumed handshakes per second
 *                                                  and bulk MB/s, both ends in memory
 *
 * Prints one JSON object. Not a test: nothing here asserts a time.
 */
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "native_loop: %s\n", what);
  ERR_print_errors_fp(stderr);
  exit(1);
}

/* X.509's shape with SubjectPublicKeyInfo as its two undecoded parts: what ossl validates at load. */
typedef struct {
  X509_ALGOR *algor;
  ASN1_BIT_STRING *key;
} SPKI;
typedef struct {
  ASN1_INTEGER *version, *serial;
  X509_ALGOR *signature;
  X509_NAME *issuer;
  X509_VAL *validity;
  X509_NAME *subject;
  SPKI *key;
  ASN1_BIT_STRING *issuer_uid, *subject_uid;
  STACK_OF(X509_EXTENSION) *extensions;
  ASN1_ENCODING enc;
} TBS;
typedef struct {
  TBS *tbs;
  X509_ALGOR *sig_alg;
  ASN1_BIT_STRING *signature;
} CERT;
ASN1_SEQUENCE(SPKI) = {ASN1_SIMPLE(SPKI, algor, X509_ALGOR), ASN1_SIMPLE(SPKI, key, ASN1_BIT_STRING)} ASN1_SEQUENCE_END(SPKI)
ASN1_SEQUENCE_enc(TBS, enc, 0) = {
    ASN1_EXP_OPT(TBS, version, ASN1_INTEGER, 0),  ASN1_SIMPLE(TBS, serial, ASN1_INTEGER),
    ASN1_SIMPLE(TBS, signature, X509_ALGOR),       ASN1_SIMPLE(TBS, issuer, X509_NAME),
    ASN1_SIMPLE(TBS, validity, X509_VAL),          ASN1_SIMPLE(TBS, subject, X509_NAME),
    ASN1_SIMPLE(TBS, key, SPKI),                   ASN1_IMP_OPT(TBS, issuer_uid, ASN1_BIT_STRING, 1),
    ASN1_IMP_OPT(TBS, subject_uid, ASN1_BIT_STRING, 2), ASN1_EXP_SEQUENCE_OF_OPT(TBS, extensions, X509_EXTENSION, 3),
} ASN1_SEQUENCE_END_enc(TBS, TBS)
ASN1_SEQUENCE(CERT) = {ASN1_SIMPLE(CERT, tbs, TBS), ASN1_SIMPLE(CERT, sig_alg, X509_ALGOR),
                       ASN1_SIMPLE(CERT, signature, ASN1_BIT_STRING)} ASN1_SEQUENCE_END(CERT)

static unsigned char *read_file(const char *path, long *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) die(path);
  static unsigned char buf[1 << 20];
  *len = (long)fread(buf, 1, sizeof buf, f);
  fclose(f);
  return buf;
}

static int cert_bench(const char *path, double seconds) {
  long len = 0;
  const unsigned char *der = read_file(path, &len);
  double eager = 0, lazy = 0;
  for (int pass = 0; pass < 2; pass++) {
    long n = 0;
    double start = now(), elapsed;
    do {
      for (int i = 0; i < 256; i++, n++) {
        const unsigned char *p = der;
        if (pass == 0) {
          X509 *x = d2i_X509(NULL, &p, len);
          if (x == NULL) die("d2i_X509");
          X509_free(x);
        } else {
          CERT *c = (CERT *)ASN1_item_d2i(NULL, &p, len, ASN1_ITEM_rptr(CERT));
          if (c == NULL) die("d2i CERT");
          ASN1_item_free((ASN1_VALUE *)c, ASN1_ITEM_rptr(CERT));
        }
      }
      elapsed = now() - start;
    } while (elapsed < seconds);
    *(pass == 0 ? &eager : &lazy) = (double)n / elapsed;
  }
  printf("{\"d2i_X509\": %.0f, \"lazy structure\": %.0f, \"openssl\": \"%s\"}\n", eager, lazy, OpenSSL_version(OPENSSL_VERSION));
  return 0;
}

/* Moves every pending byte between the two memory BIO pairs, as bench/src/tls.mjs's pump does. */
static void pump(SSL *a, SSL *b) {
  static unsigned char buf[65536];
  SSL *pair[2][2] = {{a, b}, {b, a}};
  for (int k = 0; k < 2; k++) {
    BIO *from = SSL_get_wbio(pair[k][0]), *to = SSL_get_rbio(pair[k][1]);
    int n;
    while ((n = BIO_read(from, buf, sizeof buf)) > 0)
      if (BIO_write(to, buf, n) != n) die("BIO_write");
  }
}

static SSL *make(SSL_CTX *ctx, int server) {
  SSL *s = SSL_new(ctx);
  if (s == NULL) die("SSL_new");
  SSL_set_bio(s, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
  if (server) SSL_set_accept_state(s);
  else SSL_set_connect_state(s);
  return s;
}

static void handshake(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *session, SSL **client, SSL **server) {
  *client = make(cctx, 0);
  *server = make(sctx, 1);
  if (session != NULL) SSL_set_session(*client, session);
  for (int done = 0; done < 2;) {
    done = 0;
    SSL *sides[2] = {*client, *server};
    for (int k = 0; k < 2; k++) {
      int r = SSL_do_handshake(sides[k]);
      if (r == 1) done++;
      else if (SSL_get_error(sides[k], r) != SSL_ERROR_WANT_READ) die("SSL_do_handshake");
    }
    pump(*client, *server);
  }
}

static double rate(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *session, double seconds) {
  long n = 0;
  double start = now(), elapsed;
  do {
    SSL *c, *s;
    handshake(cctx, sctx, session, &c, &s);
    if (session != NULL && !SSL_session_reused(c)) die("not resumed");
    /* Freed as closed, or OpenSSL marks the shared session not resumable. */
    SSL_set_shutdown(c, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_set_shutdown(s, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(c);
    SSL_free(s);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  return (double)n / elapsed;
}

static int tls_bench(const char *cert, const char *key, double seconds) {
  SSL_CTX *cctx = SSL_CTX_new(TLS_method()), *sctx = SSL_CTX_new(TLS_method());
  if (cctx == NULL || sctx == NULL) die("SSL_CTX_new");
  if (SSL_CTX_use_certificate_file(sctx, cert, SSL_FILETYPE_PEM) != 1) die(cert);
  if (SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM) != 1) die(key);
  double full = rate(cctx, sctx, NULL, seconds);
  SSL *c, *s;
  handshake(cctx, sctx, NULL, &c, &s);
  unsigned char byte;
  SSL_read(c, &byte, 1); /* reads the server's tickets */
  SSL_SESSION *session = SSL_get1_session(c);
  double resumed = rate(cctx, sctx, session, seconds);
  static unsigned char chunk[16384], sink[16384];
  memset(chunk, 120, sizeof chunk);
  double moved = 0, start = now(), elapsed;
  do {
    for (int i = 0; i < 64; i++) {
      if (SSL_write(c, chunk, sizeof chunk) != (int)sizeof chunk) die("SSL_write");
      pump(c, s);
      for (int got = 0; got < (int)sizeof chunk;) {
        int r = SSL_read(s, sink, sizeof sink);
        if (r <= 0) die("SSL_read");
        got += r;
      }
      moved += sizeof chunk;
    }
    elapsed = now() - start;
  } while (elapsed < seconds);
  printf("{\"full\": %.0f, \"resumed\": %.0f, \"bulk\": %.1f, \"cipher\": \"%s\", \"openssl\": \"%s\"}\n", full, resumed,
         moved / elapsed / 1e6, SSL_get_cipher_name(c), OpenSSL_version(OPENSSL_VERSION));
  return 0;
}

/* DTLS 1.2 in memory: full handshakes per second (no cookie exchange) and bulk MB/s in records of
 * `record` bytes, as bench/src/dtls.mjs does with two Connections. */
static void dtls_pair(SSL_CTX *cctx, SSL_CTX *sctx, SSL **client, SSL **server) {
  *client = make(cctx, 0);
  *server = make(sctx, 1);
  SSL *sides[2] = {*client, *server};
  for (int k = 0; k < 2; k++) {
    SSL_set_options(sides[k], SSL_OP_NO_QUERY_MTU);
    if (DTLS_set_link_mtu(sides[k], 1200) != 1) die("DTLS_set_link_mtu");
  }
  for (int done = 0; done < 2;) {
    done = 0;
    for (int k = 0; k < 2; k++) {
      int r = SSL_do_handshake(sides[k]);
      if (r == 1) done++;
      else if (SSL_get_error(sides[k], r) != SSL_ERROR_WANT_READ) die("DTLS handshake");
    }
    pump(*client, *server);
  }
}

static int dtls_bench(const char *cert, const char *key, double seconds, int record) {
  SSL_CTX *cctx = SSL_CTX_new(DTLS_method()), *sctx = SSL_CTX_new(DTLS_method());
  if (cctx == NULL || sctx == NULL) die("SSL_CTX_new");
  if (SSL_CTX_use_certificate_file(sctx, cert, SSL_FILETYPE_PEM) != 1) die(cert);
  if (SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM) != 1) die(key);
  long n = 0;
  double start = now(), elapsed;
  do {
    SSL *c, *s;
    dtls_pair(cctx, sctx, &c, &s);
    SSL_free(c);
    SSL_free(s);
    n++;
    elapsed = now() - start;
  } while (elapsed < seconds);
  double handshakes = (double)n / elapsed;
  SSL *c, *s;
  dtls_pair(cctx, sctx, &c, &s);
  static unsigned char chunk[16384], sink[16384];
  memset(chunk, 120, sizeof chunk);
  double moved = 0;
  start = now();
  do {
    for (int i = 0; i < 256; i++) {
      if (SSL_write(c, chunk, record) != record) die("SSL_write");
      pump(c, s);
      if (SSL_read(s, sink, sizeof sink) != record) die("SSL_read");
      moved += record;
    }
    elapsed = now() - start;
  } while (elapsed < seconds);
  printf("{\"handshakes\": %.0f, \"bulk\": %.1f, \"cipher\": \"%s\", \"openssl\": \"%s\"}\n", handshakes, moved / elapsed / 1e6,
         SSL_get_cipher_name(c), OpenSSL_version(OPENSSL_VERSION));
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "cert") == 0) return cert_bench(argv[2], atof(argv[3]));
  if (argc == 5 && strcmp(argv[1], "tls") == 0) return tls_bench(argv[2], argv[3], atof(argv[4]));
  if (argc == 6 && strcmp(argv[1], "dtls") == 0) return dtls_bench(argv[2], argv[3], atof(argv[4]), atoi(argv[5]));
  fprintf(stderr, "usage: native_loop cert <cert.der> <seconds> | tls <cert.pem> <key.pem> <seconds> | dtls <cert.pem> <key.pem> <seconds> <record>\n");
  return 2;
}
