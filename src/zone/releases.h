// Releases: the signed package of a request's approved outputs, and its download.
//
// ReleaseExport (a reviewer of the project, never the requester) turns an approved or
// partially approved request into a package:
//   - for each approved output, its current revision must still be the one checked
//     (same revision, same SHA-256): an output edited after checking is refused;
//   - disclosure::BuildReleaseBundle writes the published files (tables as CSV after
//     suppression or rounding, regression and free-form files as saved), the
//     ACRO-compatible results.json and checksums/<file>.txt (SHA-256);
//   - manifest.json lists the zone, project, request, reviewers, outputs (revision,
//     content hash, verdict, mitigation, decision) and every file with its size and
//     SHA-256;
//   - manifest.sig is the zone's Ed25519 signature (RFC 8032, libsodium crypto_sign) of
//     "safezone-release-v1\n" followed by manifest.json's bytes.
// The package is stored sealed (crypto/sealed_file.h) under the project's data key and
// the request becomes "released".
//
// The release key: a dedicated Ed25519 key whose seed is wrapped under the master key
// like every other key ("zone:release-signing-seed", created on first use). It is not the
// audit checkpoint key, so that a signature over an arbitrary package can never be taken
// for an audit checkpoint and the two can be rotated separately; the domain-separation
// prefix makes the same point at the message level.
//
// DownloadRelease gives the files to the requesting analyst only (release.download is
// owner-only; the operator at the console is trusted and audited), after verifying the
// sealed file, every file hash and the signature. Every download is audited.
//
// Thread-safety: like Zone, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/acro_record.h"
#include "zone/access.h"
#include "zone/exports.h"
#include "zone/zone.h"

namespace sz::zone {

inline constexpr std::string_view kReleaseSignaturePrefix = "safezone-release-v1\n";

struct ReleaseInfo {
  int64_t id = 0;
  int64_t request_id = 0;
  int64_t project_id = 0;
  int64_t owner_user = 0;
  std::string manifest_sha256;
  std::string key_id;
  std::string created_at;
};

struct ReleasePackage {
  ReleaseInfo info;
  std::vector<disclosure::ReleaseFile>
      files;  // manifest.json, manifest.sig, results.json, outputs, checksums/*
};

Result<ReleaseInfo> ReleaseExport(Zone& zone, const Caller& caller, int64_t request);
Result<ReleasePackage> DownloadRelease(Zone& zone, const Caller& caller, int64_t release);

// The zone's release public key (32 raw bytes), creating the key pair on first use.
Result<std::string> ReleasePublicKey(Zone& zone);

// Verifies a package as an outsider would, with the public key alone: manifest.sig over
// manifest.json, and every file listed in the manifest present with its size and hash.
// DataLoss naming the first problem.
Status VerifyReleaseFiles(const std::vector<disclosure::ReleaseFile>& files,
                          std::string_view public_key);

}  // namespace sz::zone
