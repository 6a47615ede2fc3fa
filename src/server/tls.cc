#include "server/tls.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "fmt/format.h"

namespace sz::server {

namespace {

namespace fs = std::filesystem;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

constexpr std::string_view kCertFile = "tls/cert.pem";
constexpr int kValidityDays = 365;
constexpr int kRenewDays = 30;
// Mozilla "intermediate" TLS 1.2 suites: ECDHE only, AEAD only. TLS 1.3 suites are
// OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The first OpenSSL error on this thread's queue, as one line; clears the queue.
std::string OpensslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

Status TlsFailure(std::string_view what) {
  return Internal(fmt::format("TLS: {} failed ({})", what, OpensslError()));
}

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(fmt::format("cannot read the {} file {}", what, path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<X509Ptr> ParseCert(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return InvalidArgument("the TLS certificate is not a PEM X.509 certificate");
  }
  return cert;
}

Result<PKeyPtr> ParseKeyDer(const crypto::SecretBytes& der) {
  const unsigned char* p = der.data();
  PKeyPtr key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!key) {
    ERR_clear_error();
    return DataLoss("the stored TLS key does not parse");
  }
  return key;
}

Result<crypto::SecretBytes> KeyToDer(EVP_PKEY* key) {
  int len = i2d_PrivateKey(key, nullptr);
  if (len <= 0) return TlsFailure("encoding the private key");
  crypto::SecretBytes der(static_cast<size_t>(len));
  unsigned char* p = der.mutable_data();
  if (i2d_PrivateKey(key, &p) != len) return TlsFailure("encoding the private key");
  return der;
}

std::string Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += fmt::format("{}{:02X}", i ? ":" : "", md[i]);
  return out;
}

std::string KeyPurpose(X509* cert) {
  std::string fp = Fingerprint(cert);
  std::string hex;
  for (char c : fp)
    if (c != ':') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "zone:tls-key:" + hex.substr(0, 16);
}

bool ExpiresWithin(X509* cert, int days) {
  time_t limit = std::time(nullptr) + static_cast<time_t>(days) * 86400;
  return X509_cmp_time(X509_get0_notAfter(cert), &limit) <= 0;
}

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return TlsFailure("adding a certificate extension");
  return OkStatus();
}

Status WritePublicFile(const std::string& path, std::string_view content) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Internal(fmt::format("cannot create the directory for {}", path));
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Internal(fmt::format("cannot write {}", tmp));
  }
  fs::rename(tmp, path, ec);
  if (ec) return Internal(fmt::format("cannot move {} into place", tmp));
  return OkStatus();
}

// The zone's own certificate: reused while its wrapped key exists and it is not about to
// expire; otherwise a new pair.
Result<TlsIdentity> ZoneIdentity(zone::Zone& zone) {
  TlsIdentity id;
  id.cert_path = zone.dir() + "/" + std::string(kCertFile);
  std::error_code ec;
  if (fs::exists(id.cert_path, ec)) {
    SZ_ASSIGN_OR_RETURN(std::string pem, ReadFile(id.cert_path, "TLS certificate"));
    auto cert = ParseCert(pem);
    if (cert.ok() && !ExpiresWithin(cert->get(), kRenewDays)) {
      auto key = zone.Key(KeyPurpose(cert->get()));
      if (key.ok()) {
        id.cert_pem = std::move(pem);
        id.key_der = std::move(*key);
        id.fingerprint = Fingerprint(cert->get());
        return id;
      }
      if (key.status().code() != Code::kNotFound) return key.status();
    }
  }
  SZ_ASSIGN_OR_RETURN(std::string name, zone.Meta("name"));
  SZ_ASSIGN_OR_RETURN(SelfSigned made, MakeSelfSigned("safezone " + name,
                                                      {"localhost", "127.0.0.1"}, kValidityDays));
  SZ_ASSIGN_OR_RETURN(X509Ptr cert, ParseCert(made.cert_pem));
  {
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
    SZ_RETURN_IF_ERROR(zone.StoreKey(KeyPurpose(cert.get()), made.key_der));
    SZ_RETURN_IF_ERROR(txn.Commit());
  }
  SZ_RETURN_IF_ERROR(WritePublicFile(id.cert_path, made.cert_pem));
  id.cert_pem = std::move(made.cert_pem);
  id.key_der = std::move(made.key_der);
  id.fingerprint = Fingerprint(cert.get());
  id.generated = true;
  return id;
}

Result<TlsIdentity> ConfiguredIdentity(const TlsOptions& options) {
  if (options.key_file.empty()) return InvalidArgument("--tls-cert needs --tls-key");
  TlsIdentity id;
  id.cert_path = options.cert_file;
  SZ_ASSIGN_OR_RETURN(id.cert_pem, ReadFile(options.cert_file, "TLS certificate"));
  SZ_ASSIGN_OR_RETURN(X509Ptr cert, ParseCert(id.cert_pem));
  BioPtr bio(BIO_new_file(options.key_file.c_str(), "r"));
  PKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    ERR_clear_error();
    return InvalidArgument(fmt::format("cannot read a PEM private key from {}", options.key_file));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return InvalidArgument(
        "the TLS key does not belong to the certificate; pass the matching pair");
  }
  SZ_ASSIGN_OR_RETURN(id.key_der, KeyToDer(key.get()));
  id.fingerprint = Fingerprint(cert.get());
  return id;
}

}  // namespace

Result<SelfSigned> MakeSelfSigned(std::string_view common_name,
                                  const std::vector<std::string>& hosts, int days) {
  PKeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return TlsFailure("generating an EC P-256 key");
  X509Ptr cert(X509_new());
  if (!cert) return TlsFailure("allocating a certificate");
  X509_set_version(cert.get(), 2);  // v3
  // A random positive 127-bit serial (RFC 5280 §4.1.2.2: unique, at most 20 octets).
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
    return TlsFailure("drawing a serial number");
  }
  // Valid from five minutes ago, for clients whose clocks run a little behind.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  std::string cn(common_name.substr(0, 64));
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("safezone"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key.get()) != 1) return TlsFailure("setting the public key");
  std::string san;
  for (const std::string& h : hosts) {
    bool ip = !h.empty() && h.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
              h.find_first_of(".:") != std::string::npos;
    san += fmt::format("{}{}:{}", san.empty() ? "" : ",", ip ? "IP" : "DNS", h);
  }
  SZ_RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  SZ_RETURN_IF_ERROR(AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  SZ_RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  SZ_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  SZ_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_alt_name, san.c_str()));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return TlsFailure("signing the certificate");

  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1)
    return TlsFailure("encoding the certificate");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  SelfSigned out;
  out.cert_pem.assign(data, static_cast<size_t>(len));
  SZ_ASSIGN_OR_RETURN(out.key_der, KeyToDer(key.get()));
  return out;
}

Result<TlsIdentity> LoadTlsIdentity(zone::Zone& zone, const TlsOptions& options) {
  if (options.cert_file.empty()) {
    if (!options.key_file.empty()) return InvalidArgument("--tls-key needs --tls-cert");
    return ZoneIdentity(zone);
  }
  return ConfiguredIdentity(options);
}

Status ConfigureServerContext(SSL_CTX& ctx, const TlsIdentity& identity) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1)
    return TlsFailure("setting TLS 1.2+");
  SSL_CTX_set_options(
      &ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) return TlsFailure("setting the ciphers");
  if (SSL_CTX_set1_groups_list(&ctx, kGroups) != 1)
    return TlsFailure("setting the key-exchange groups");

  // Leaf first, then any intermediates.
  BioPtr bio(BIO_new_mem_buf(identity.cert_pem.data(), static_cast<int>(identity.cert_pem.size())));
  X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!leaf || SSL_CTX_use_certificate(&ctx, leaf.get()) != 1)
    return TlsFailure("installing the certificate");
  while (X509Ptr extra{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (SSL_CTX_add1_chain_cert(&ctx, extra.get()) != 1) return TlsFailure("installing the chain");
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  SZ_ASSIGN_OR_RETURN(PKeyPtr key, ParseKeyDer(identity.key_der));
  if (SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1 || SSL_CTX_check_private_key(&ctx) != 1) {
    return TlsFailure("installing the private key");
  }
  return OkStatus();
}

Status ConfigureClientContext(SSL_CTX& ctx) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1)
    return TlsFailure("setting TLS 1.2+");
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) return TlsFailure("setting the ciphers");
  return OkStatus();
}

}  // namespace sz::server
