{
  "targets": [
    {
      "target_name": "ossl",
      "sources": [
        "src/addon.cc",
        "src/common/errors.cc",
        "src/common/passphrase.cc",
        "src/common/callback_scope.cc",
        "src/version.cc",
        "src/pkey.cc",
        "src/legacy.cc",
        "src/x509_name.cc",
        "src/x509_ext.cc",
        "src/x509.cc",
        "src/x509_lazy.cc",
        "src/x509_req.cc",
        "src/x509_store.cc",
        "src/crl.cc",
        "src/pkcs12.cc",
        "src/ocsp.cc",
        "src/ct.cc",
        "src/pkcs7.cc",
        "src/spki.cc",
        "src/evp.cc",
        "src/rand.cc",
        "src/pycert.cc",
        "src/ssl_ctx.cc",
        "src/ssl.cc",
        "src/ssl_callbacks.cc",
        "src/session.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "src"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "OPENSSL_API_COMPAT=30000",
        "OPENSSL_NO_DEPRECATED"
      ],
      "cflags": ["-Wall", "-Wextra", "-fvisibility=hidden"],
      "cflags_cc": ["-Wall", "-Wextra", "-std=c++17", "-fvisibility=hidden"],
      "cflags!": ["-fno-exceptions"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CFLAGS": ["-Wall", "-Wextra"]
      }
    }
  ]
}
