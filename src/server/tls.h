// TLS for the API server: the certificate and key it presents, and the settings of its
// OpenSSL context.
//
// A zone without configured certificates gets a self-signed one at first serve: an EC
// P-256 key and an X.509 v3 certificate valid for one year, with subjectAltName
// DNS:localhost and IP:127.0.0.1 (RFC 5280 §4.2.1.6; clients match names against the SAN,
// RFC 6125). The certificate is public and goes to ZONE/tls/cert.pem, for clients to pin
// (`safezone login --ca-cert ZONE/tls/cert.pem`). The private key never touches the disk
// in plaintext: it is stored in the control plane wrapped under the master key
// (Zone::StoreKey, purpose "zone:tls-key:<first 16 hex of the certificate's SHA-256>"), so
// a certificate file that was replaced or removed simply has no key and a new pair is made.
// A certificate that expires within 30 days is replaced the same way.
//
// Operators with a real certificate pass --tls-cert (PEM chain, leaf first) and
// --tls-key (PEM); those files are theirs to protect.
//
// Context settings (Mozilla "intermediate" profile, 2023): TLS 1.2 and 1.3 only; for 1.2
// only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (forward secrecy, AEAD); no
// compression, no renegotiation; groups X25519, P-256, P-384.
//
// Thread-safety: free functions; thread-safe given distinct arguments.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "zone/zone.h"

namespace sz::server {

struct TlsOptions {
  std::string cert_file;  // PEM chain; empty: the zone's own self-signed certificate
  std::string key_file;   // PEM private key; required with cert_file
};

struct TlsIdentity {
  std::string cert_pem;         // the leaf (and chain) as PEM
  crypto::SecretBytes key_der;  // DER of the private key (OpenSSL's i2d_PrivateKey)
  std::string cert_path;        // where clients find the certificate to pin
  std::string fingerprint;      // SHA-256 of the leaf's DER, "AB:CD:..."
  bool generated = false;       // a new self-signed certificate was made just now
};

// The configured certificate and key, or the zone's self-signed pair (made if missing or
// expiring). InvalidArgument if the files do not parse or do not match each other.
Result<TlsIdentity> LoadTlsIdentity(zone::Zone& zone, const TlsOptions& options);

// A fresh self-signed certificate for `hosts` (DNS names or IP addresses), valid for
// `days`, with its EC P-256 key.
struct SelfSigned {
  std::string cert_pem;
  crypto::SecretBytes key_der;
};
Result<SelfSigned> MakeSelfSigned(std::string_view common_name,
                                  const std::vector<std::string>& hosts, int days);

// Applies the settings above and installs the certificate and key. Internal error text
// from OpenSSL is reduced to one line.
Status ConfigureServerContext(SSL_CTX& ctx, const TlsIdentity& identity);

// Client side: TLS 1.2+ and the same cipher list (used by the CLI's client).
Status ConfigureClientContext(SSL_CTX& ctx);

}  // namespace sz::server
