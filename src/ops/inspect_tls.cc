// TLS checks of the security self-inspection: the certificate the server presents.
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <memory>

#include "fmt/format.h"
#include "ops/inspect_internal.h"

namespace sz::ops::internal {

namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

X509Ptr ReadCertificate(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"), &BIO_free);
  if (!bio) return X509Ptr(nullptr, &X509_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
}

// notAfter as Unix seconds (0 if unreadable).
int64_t NotAfter(X509* cert) {
  const ASN1_TIME* t = X509_get0_notAfter(cert);
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

// Self-signed: issuer equals subject and the certificate's own key verifies its signature.
// Not X509_check_issued: it also demands keyCertSign, which a leaf-only self-signed
// certificate (like the one `safezone serve` makes) does not carry.
bool SelfSigned(X509* cert) {
  if (X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) != 0) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  return key != nullptr && X509_verify(cert, key) == 1;
}

bool WeakSignature(X509* cert) {
  switch (X509_get_signature_nid(cert)) {
    case NID_md5WithRSAEncryption:
    case NID_sha1WithRSAEncryption:
    case NID_ecdsa_with_SHA1:
    case NID_dsaWithSHA1:
      return true;
    default:
      return false;
  }
}

// "RSA 1024 bits" if the key is too small for today's guidance (NIST SP 800-131A), else "".
std::string WeakKey(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return "an unreadable public key";
  int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      return bits < 2048 ? fmt::format("RSA {} bits", bits) : "";
    case EVP_PKEY_EC:
      return bits < 256 ? fmt::format("EC {} bits", bits) : "";
    default:
      return "";
  }
}

void CheckExpiry(const ZoneFacts& facts, const InspectOptions& options, bool own, int64_t not_after,
                 const std::string& path, Findings& out) {
  int64_t now = ToUnix(facts.now);
  std::string until = FormatUtc(FromUnix(not_after));
  if (not_after <= now) {
    out.push_back({Severity::kHigh, "tls.expired", "the server's TLS certificate has expired",
                   fmt::format("{} (valid until {})", path, until),
                   own ? "restart `safezone serve`: it replaces an expiring self-signed "
                         "certificate at start; clients must pin the new one"
                       : "renew the certificate with your CA and restart the server with it"});
  } else if (not_after - now < int64_t{options.tls_expiry_days} * 86400) {
    out.push_back({own ? Severity::kLow : Severity::kMedium, "tls.expiring",
                   fmt::format("the server's TLS certificate expires within {} days",
                               options.tls_expiry_days),
                   fmt::format("{} (valid until {})", path, until),
                   own ? "restart `safezone serve` to have it replaced, and give clients the "
                         "new certificate to pin"
                       : "renew the certificate with your CA before it expires"});
  }
}

void CheckKeyFile(const std::string& key_file, Findings& out) {
  if (key_file.empty()) return;
  struct stat st {};
  if (::stat(key_file.c_str(), &st) != 0) {
    out.push_back({Severity::kHigh, "tls.key_missing",
                   "the configured TLS private key file cannot be read", key_file,
                   "point --tls-key at the certificate's private key"});
  } else if (st.st_mode & 077) {
    out.push_back({Severity::kHigh, "tls.key_permissions",
                   fmt::format("the TLS private key is accessible by group or others (mode {:04o})",
                               st.st_mode & 0777),
                   key_file, fmt::format("chmod 600 {}", key_file)});
  }
}

}  // namespace

void CheckTls(const ZoneFacts& facts, const InspectOptions& options, Findings& out) {
  const bool own = options.tls_cert_file.empty();
  const std::string path = own ? facts.dir + "/tls/cert.pem" : options.tls_cert_file;
  CheckKeyFile(options.tls_key_file, out);
  out.push_back({Severity::kInfo, "tls.settings",
                 "TLS 1.2 and 1.3 only, ECDHE key exchange with AEAD ciphers (Mozilla "
                 "intermediate profile); fixed, not configurable",
                 "", ""});
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (own) {
      out.push_back({Severity::kInfo, "tls.no_certificate",
                     "the zone has no certificate yet; `safezone serve` makes a self-signed one "
                     "at first start",
                     "",
                     facts.demo ? "" : "for people outside this machine, configure a certificate "
                                       "from your CA: safezone serve --tls-cert CERT --tls-key KEY"});
    } else {
      out.push_back({Severity::kHigh, "tls.missing", "the configured TLS certificate is missing",
                     path, "point --tls-cert at the certificate chain (PEM, leaf first)"});
    }
    return;
  }
  X509Ptr cert = ReadCertificate(path);
  if (!cert) {
    out.push_back({Severity::kHigh, "tls.unreadable", "the TLS certificate does not parse as PEM",
                   path, "replace it with the PEM certificate chain, leaf first"});
    return;
  }
  if (SelfSigned(cert.get())) {
    out.push_back({facts.demo ? Severity::kInfo : Severity::kMedium, "tls.self_signed",
                   "the server presents a self-signed certificate", path,
                   facts.demo ? "fine for a demonstration zone; clients pin it with --ca-cert"
                              : "configure a certificate issued by your organisation's CA: "
                                "safezone serve --tls-cert CERT --tls-key KEY (until then every "
                                "client must pin this one with --ca-cert)"});
  }
  CheckExpiry(facts, options, own, NotAfter(cert.get()), path, out);
  if (std::string weak = WeakKey(cert.get()); !weak.empty()) {
    out.push_back({Severity::kHigh, "tls.weak_key",
                   fmt::format("the certificate's key is too weak ({})", weak), path,
                   "issue a new certificate with an EC P-256 or RSA 2048+ key"});
  }
  if (WeakSignature(cert.get())) {
    out.push_back({Severity::kHigh, "tls.weak_signature",
                   "the certificate is signed with SHA-1 or MD5", path,
                   "issue a new certificate signed with SHA-256 or better"});
  }
}

}  // namespace sz::ops::internal
