// The type tag of every wrapped class, in one place so that no two classes share one. A method
// called on an object whose tag differs is a TypeError, never a reinterpretation of its memory.
#pragma once

#include <node_api.h>

namespace ossl::type_tags {

// The upper half spells "ossl" and a short name; the lower half numbers the classes.
inline constexpr napi_type_tag kPKey = {0x6f73736c706b6579ULL, 0x01ULL};
inline constexpr napi_type_tag kX509 = {0x6f73736c78353039ULL, 0x02ULL};
inline constexpr napi_type_tag kX509Name = {0x6f73736c6e616d65ULL, 0x03ULL};
inline constexpr napi_type_tag kX509Extension = {0x6f73736c65787465ULL, 0x04ULL};
inline constexpr napi_type_tag kContext = {0x6f73736c73736c63ULL, 0x05ULL};
inline constexpr napi_type_tag kConnection = {0x6f73736c73736c73ULL, 0x06ULL};
inline constexpr napi_type_tag kX509Req = {0x6f73736c72657175ULL, 0x07ULL};
inline constexpr napi_type_tag kX509Store = {0x6f73736c73746f72ULL, 0x08ULL};
inline constexpr napi_type_tag kCRL = {0x6f73736c63726c5fULL, 0x09ULL};
inline constexpr napi_type_tag kRevoked = {0x6f73736c7265766fULL, 0x0aULL};
inline constexpr napi_type_tag kPKCS7 = {0x6f73736c706b6337ULL, 0x0bULL};
inline constexpr napi_type_tag kSPKI = {0x6f73736c73706b69ULL, 0x0cULL};
inline constexpr napi_type_tag kDigest = {0x6f73736c6d645f5fULL, 0x0dULL};
inline constexpr napi_type_tag kHmac = {0x6f73736c686d6163ULL, 0x0eULL};
inline constexpr napi_type_tag kCipher = {0x6f73736c63697068ULL, 0x0fULL};
inline constexpr napi_type_tag kSession = {0x6f73736c73657373ULL, 0x10ULL};
inline constexpr napi_type_tag kCTLogStore = {0x6f73736c63746c67ULL, 0x11ULL};
inline constexpr napi_type_tag kMemoryBIO = {0x6f73736c6d62696fULL, 0x12ULL};

}  // namespace ossl::type_tags
