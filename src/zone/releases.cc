#include "zone/releases.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "audit/audit_log.h"
#include "crypto/sealed_file.h"
#include "fmt/format.h"
#include "zone/export_checks.h"
#include "zone/output_json.h"

namespace sz::zone {

namespace dc = sz::disclosure;
using authz::Action;

namespace {

constexpr std::string_view kReleaseKeyPurpose = "zone:release-signing-seed";

std::string PackageContext(int64_t project_id, int64_t request_id) {
  return fmt::format("safezone release {}/{}", project_id, request_id);
}

Result<audit::SigningKey> ReleaseKey(Zone& zone) {
  auto seed = zone.Key(kReleaseKeyPurpose);
  if (!seed.ok() && seed.status().code() == Code::kNotFound)
    seed = zone.CreateKey(kReleaseKeyPurpose);
  if (!seed.ok()) return seed.status();
  return audit::SigningKey::FromSeed(*seed);
}

std::string Sign(const audit::SigningKey& key, std::string_view manifest) {
  std::string message = std::string(kReleaseSignaturePrefix) + std::string(manifest);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key.secret_key.data());
  return std::string(reinterpret_cast<const char*>(sig), sizeof sig);
}

const dc::ReleaseFile* FindFile(const std::vector<dc::ReleaseFile>& files, std::string_view name) {
  for (const auto& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

std::string EncodePackage(const std::vector<dc::ReleaseFile>& files) {
  Json list = Json::array();
  for (const auto& f : files)
    list.push_back(Json{{"name", f.name}, {"content", crypto::ToBase64(f.content)}});
  return Json{{"files", std::move(list)}}.dump();
}

Result<std::vector<dc::ReleaseFile>> DecodePackage(std::string_view bytes) {
  SZ_ASSIGN_OR_RETURN(Json j, ParseJson(bytes, "release package"));
  if (!j.is_object() || !j.contains("files") || !j["files"].is_array())
    return DataLoss("release package is malformed");
  std::vector<dc::ReleaseFile> files;
  for (const Json& f : j["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("content") ||
        !f["content"].is_string()) {
      return DataLoss("release package is malformed");
    }
    SZ_ASSIGN_OR_RETURN(std::string content, crypto::FromBase64(f["content"].get<std::string>()));
    files.push_back({f["name"].get<std::string>(), std::move(content)});
  }
  return files;
}

// Everything the package needs from one approved item.
struct Approved {
  const ExportItem* item = nullptr;
  OutputContent content;
  ItemCheck check;
};

Result<Approved> LoadApproved(Zone& zone, const ExportItem& item) {
  SZ_ASSIGN_OR_RETURN(OutputInfo info, OutputById(zone, item.output_id));
  if (info.revision != item.revision || info.content_sha256 != item.checked_sha256) {
    return FailedPrecondition(fmt::format(
        "output '{}' was changed after it was checked (now revision {}, checked revision {}); "
        "nothing was released: the analyst must request a new check",
        item.output_name, info.revision, item.revision));
  }
  Approved a;
  a.item = &item;
  SZ_ASSIGN_OR_RETURN(a.content, LoadOutputRevision(zone, item.output_id, item.revision));
  if (OutputContentHash(a.content) != item.checked_sha256) {
    return DataLoss(
        fmt::format("output '{}' does not match the content that was checked", item.output_name));
  }
  a.check.report = item.report;
  a.check.verdict = item.verdict;
  a.check.summary = item.summary;
  SZ_RETURN_IF_ERROR(ReadMitigation(item.mitigation, item.mitigation_result, a.check));
  a.content.output.exception_request = item.exception_request;
  a.content.output.exception_granted = item.exception_granted;
  return a;
}

Json Manifest(Zone& zone, const ExportRequest& r, const Project& project,
              const std::vector<Approved>& approved, const std::vector<dc::ReleaseFile>& files,
              const audit::SigningKey& key, const std::string& now) {
  std::set<std::string> reviewers;
  for (const ExportItem& item : r.items)
    for (const Vote& v : item.votes) reviewers.insert(v.reviewer);
  if (!r.decided_by.empty()) reviewers.insert(r.decided_by);
  Json outputs = Json::array();
  for (const Approved& a : approved) {
    outputs.push_back(Json{{"name", a.item->output_name},
                           {"kind", OutputKindName(a.item->kind)},
                           {"revision", a.item->revision},
                           {"content_sha256", a.item->checked_sha256},
                           {"verdict", dc::VerdictName(a.item->verdict)},
                           {"summary", a.item->summary},
                           {"mitigation", MitigationName(a.item->mitigation)},
                           {"exception_granted", a.item->exception_granted},
                           {"decision", DecisionName(a.item->decision)}});
  }
  Json listed = Json::array();
  for (const auto& f : files) {
    listed.push_back(Json{
        {"name", f.name}, {"bytes", f.content.size()}, {"sha256", crypto::Sha256Hex(f.content)}});
  }
  auto zone_name = zone.Meta("name");
  return Json{{"format", "safezone-release/1"},
              {"zone", Json{{"id", zone.zone_id()}, {"name", zone_name.ok() ? *zone_name : ""}}},
              {"project", Json{{"id", project.id}, {"name", project.name}}},
              {"request", Json{{"id", r.id},
                               {"requester", r.requester},
                               {"reviewers",
                                Json(std::vector<std::string>(reviewers.begin(), reviewers.end()))},
                               {"decided_at", r.decided_at}}},
              {"released_at", now},
              {"outputs", std::move(outputs)},
              {"files", std::move(listed)},
              {"signature", Json{{"algorithm", "Ed25519"},
                                 {"key_id", audit::KeyId(key.public_key)},
                                 {"public_key", crypto::ToBase64(key.public_key)},
                                 {"signed", "\"safezone-release-v1\\n\" || manifest.json"}}}};
}

}  // namespace

Result<std::string> ReleasePublicKey(Zone& zone) {
  SZ_ASSIGN_OR_RETURN(audit::SigningKey key, ReleaseKey(zone));
  return key.public_key;
}

Status VerifyReleaseFiles(const std::vector<dc::ReleaseFile>& files, std::string_view public_key) {
  const dc::ReleaseFile* manifest = FindFile(files, "manifest.json");
  const dc::ReleaseFile* sig_file = FindFile(files, "manifest.sig");
  if (manifest == nullptr || sig_file == nullptr)
    return DataLoss("the release lacks manifest.json or manifest.sig");
  std::string sig_text = sig_file->content;
  while (!sig_text.empty() && (sig_text.back() == '\n' || sig_text.back() == '\r'))
    sig_text.pop_back();
  auto sig = crypto::FromBase64(sig_text);
  std::string message = std::string(kReleaseSignaturePrefix) + manifest->content;
  if (!sig.ok() || sig->size() != crypto_sign_BYTES ||
      public_key.size() != crypto_sign_PUBLICKEYBYTES ||
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(),
                                  reinterpret_cast<const unsigned char*>(public_key.data())) != 0) {
    return DataLoss(
        "the release signature does not verify: the package was altered or signed by another zone");
  }
  auto j = ParseJson(manifest->content, "manifest");
  if (!j.ok() || !j->contains("files") || !(*j)["files"].is_array())
    return DataLoss("manifest.json is malformed");
  std::set<std::string> listed = {"manifest.json", "manifest.sig"};
  for (const Json& f : (*j)["files"]) {
    std::string name = f.value("name", "");
    const dc::ReleaseFile* file = FindFile(files, name);
    if (file == nullptr) return DataLoss(fmt::format("release file {} is missing", name));
    if (file->content.size() != f.value("bytes", uint64_t{0}) ||
        crypto::Sha256Hex(file->content) != f.value("sha256", "")) {
      return DataLoss(
          fmt::format("release file {} does not match its SHA-256 in the manifest", name));
    }
    listed.insert(name);
  }
  for (const auto& f : files) {
    if (!listed.contains(f.name))
      return DataLoss(fmt::format("release file {} is not in the manifest", f.name));
  }
  return OkStatus();
}

Result<ReleaseInfo> ReleaseExport(Zone& zone, const Caller& caller, int64_t request) {
  SZ_ASSIGN_OR_RETURN(ExportRequest r, LoadExport(zone, request));
  SZ_ASSIGN_OR_RETURN(Project project, LoadProjectById(zone, r.project_id));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kExportReview, ExportObject(r, project)));

  std::vector<Approved> approved;
  std::vector<dc::ReleaseFile> files;
  std::string manifest_hash;
  audit::SigningKey key;
  std::string now = FormatUtc(zone.clock().Now());
  Status prepared = [&]() -> Status {
    if (r.state != ExportState::kApproved && r.state != ExportState::kPartiallyApproved) {
      return FailedPrecondition(
          fmt::format("export request {} is {}: only an approved request is released", r.id,
                      ExportStateName(r.state)));
    }
    SZ_ASSIGN_OR_RETURN(key, ReleaseKey(zone));
    for (const ExportItem& item : r.items) {
      if (item.decision != Decision::kApproved) continue;
      SZ_ASSIGN_OR_RETURN(Approved a, LoadApproved(zone, item));
      for (const Comment& c : r.comments) {
        if (c.visibility == Visibility::kAnalyst && c.output_id == item.output_id)
          a.content.output.comments.push_back(c.body);
      }
      approved.push_back(std::move(a));
    }
    std::vector<dc::CheckedOutput> checked;
    for (const Approved& a : approved) {
      dc::CheckedOutput c;
      c.output = &a.content.output;
      c.report = &a.check.report;
      c.suppression = a.check.suppression;
      c.rounding = a.check.rounding;
      c.timestamp = now;
      c.attachments = a.content.attachments;
      checked.push_back(std::move(c));
    }
    SZ_ASSIGN_OR_RETURN(dc::ReleaseBundle bundle, dc::BuildReleaseBundle(checked, {}));
    files = std::move(bundle.files);
    std::string manifest = Manifest(zone, r, project, approved, files, key, now).dump(2);
    manifest_hash = crypto::Sha256Hex(manifest);
    files.push_back({"manifest.json", manifest});
    files.push_back({"manifest.sig", crypto::ToBase64(Sign(key, manifest)) + "\n"});
    return OkStatus();
  }();
  if (!prepared.ok()) {
    (void)std::move(access).RecordFailure(prepared);
    return prepared;
  }

  std::string dir = fmt::format("projects/{}/releases", project.id);
  std::error_code ec;
  std::filesystem::create_directories(zone.dir() + "/" + dir, ec);
  ::chmod((zone.dir() + "/projects").c_str(), 0700);
  ::chmod((zone.dir() + "/projects/" + std::to_string(project.id)).c_str(), 0700);
  ::chmod((zone.dir() + "/" + dir).c_str(), 0700);
  std::string rel = fmt::format("{}/request-{}.szr", dir, r.id);
  std::string path = zone.dir() + "/" + rel;
  ReleaseInfo info;
  Status done = Audited(
      zone, access,
      authz::AuditDetails::Note(
          fmt::format("request {}: {} output(s) released", r.id, approved.size())),
      [&]() -> Status {
        auto project_key = zone.Key(fmt::format("project:{}", project.id));
        if (!project_key.ok()) return project_key.status();
        SZ_ASSIGN_OR_RETURN(auto writer,
                            crypto::SealedWriter::Create(zone.env(), path, *project_key,
                                                         PackageContext(project.id, r.id)));
        SZ_RETURN_IF_ERROR(writer.Append(EncodePackage(files)));
        SZ_ASSIGN_OR_RETURN(crypto::SealInfo sealed, writer.Finish());
        SZ_RETURN_IF_ERROR(
            zone.db().Run("INSERT INTO releases(request_id, project_id, owner_user, file, file_id, "
                          "manifest_sha256, key_id, "
                          "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          r.id, project.id, r.requester_user, rel, sealed.file_id, manifest_hash,
                          audit::KeyId(key.public_key), caller.Label(), now));
        info = {zone.db().LastInsertId(),     r.id, project.id, r.requester_user, manifest_hash,
                audit::KeyId(key.public_key), now};
        for (const Approved& a : approved) {
          std::string published;
          if (const auto* table = std::get_if<dc::Table>(&a.content.output.body)) {
            std::vector<bool> mask = PublishedMask(a.check, table->cells.size());
            if (std::find(mask.begin(), mask.end(), false) != mask.end())
              published = Json(mask).dump();
          }
          SZ_RETURN_IF_ERROR(
              zone.db().Run("INSERT INTO release_items(release_id, output_id, revision, published) "
                            "VALUES (?1, ?2, ?3, ?4)",
                            info.id, a.item->output_id, a.item->revision, published));
        }
        return MoveExport(zone, r, ExportState::kReleased, caller.Label());
      });
  if (!done.ok()) {
    std::filesystem::remove(path, ec);
    return done;
  }
  return info;
}

Result<ReleasePackage> DownloadRelease(Zone& zone, const Caller& caller, int64_t release) {
  ReleasePackage out;
  std::string file;
  {
    SZ_ASSIGN_OR_RETURN(auto st,
                        zone.db().Query("SELECT id, request_id, project_id, owner_user, "
                                        "manifest_sha256, key_id, created_at, file FROM releases "
                                        "WHERE id = ?1",
                                        release));
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound(fmt::format("there is no release {}", release));
    out.info = {st.Int64(0), st.Int64(1), st.Int64(2), st.Int64(3),
                st.Text(4),  st.Text(5),  st.Text(6)};
    file = st.Text(7);
  }
  SZ_ASSIGN_OR_RETURN(Project project, LoadProjectById(zone, out.info.project_id));
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone, caller, Action::kReleaseDownload,
                                                   authz::Object::Release(release, project.Info(),
                                                                          out.info.owner_user)));
  Status done = Audited(
      zone, access, authz::AuditDetails::Note(fmt::format("release {} downloaded", release)),
      [&]() -> Status {
        SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                            zone.Key(fmt::format("project:{}", project.id)));
        auto bytes = crypto::UnsealToString(zone.dir() + "/" + file, key,
                                            PackageContext(project.id, out.info.request_id));
        if (!bytes.ok())
          return DataLoss(
              fmt::format("release {}: its sealed package is missing or damaged", release));
        SZ_ASSIGN_OR_RETURN(out.files, DecodePackage(*bytes));
        SZ_ASSIGN_OR_RETURN(std::string public_key, ReleasePublicKey(zone));
        SZ_RETURN_IF_ERROR(VerifyReleaseFiles(out.files, public_key));
        const dc::ReleaseFile* manifest = FindFile(out.files, "manifest.json");
        if (crypto::Sha256Hex(manifest->content) != out.info.manifest_sha256) {
          return DataLoss(fmt::format("release {} is not the package that was released", release));
        }
        return OkStatus();
      });
  if (!done.ok()) return done;
  return out;
}

}  // namespace sz::zone
