#include "zone/hierarchies.h"

#include <optional>
#include <set>

#include "common/clock.h"
#include "crypto/sealed_file.h"
#include "fmt/format.h"
#include "korea/admin_regions.h"
#include "zone/version_store.h"

namespace sz::zone {

namespace {

constexpr std::string_view kHierarchyKey = "zone:hierarchies";

std::string SealContext(std::string_view name) { return fmt::format("safezone hierarchy {}", name); }

struct StoredHierarchy {
  HierarchyInfo info;
  std::string file;
};

Result<std::optional<StoredHierarchy>> Find(Zone& zone, std::string_view name) {
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query(
      "SELECT name, sha256, levels, value_count, uploaded_by, uploaded_at, file FROM pseudo_hierarchies "
      "WHERE name = ?1",
      name));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredHierarchy>();
  StoredHierarchy h;
  h.info = {st.Text(0), st.Text(1), static_cast<int>(st.Int64(2)), st.Int64(3), st.Text(4), st.Text(5)};
  h.file = st.Text(6);
  return std::optional<StoredHierarchy>(std::move(h));
}

// The zone's hierarchy key, or a new one (`created`) for the caller to store.
Result<crypto::SecretBytes> HierarchyKey(Zone& zone, bool& created) {
  auto key = zone.Key(kHierarchyKey);
  created = !key.ok() && key.status().code() == Code::kNotFound;
  if (created) return crypto::SecretBytes::Random(crypto::kKeyBytes);
  return key;
}

Result<SealedTmp> SealText(Zone& zone, std::string_view name, std::string_view text, const crypto::SecretBytes& key,
                           FileGuard& files) {
  SealedTmp out;
  out.path = TmpPath(zone, ".szh");
  files.Add(out.path);
  SZ_ASSIGN_OR_RETURN(auto writer, crypto::SealedWriter::Create(zone.env(), out.path, key, SealContext(name)));
  SZ_RETURN_IF_ERROR(writer.Append(text));
  SZ_ASSIGN_OR_RETURN(out.info, writer.Finish());
  return out;
}

}  // namespace

authz::Object OfficerWorkObject() { return authz::Object::Dataset(0, "", authz::Tier::kNonOpen); }

Result<HierarchyInfo> UploadHierarchy(Zone& zone, const Caller& caller, std::string_view name, std::string_view csv) {
  SZ_RETURN_IF_ERROR(ValidateName("hierarchy", name));
  if (name == kAdminHierarchy) {
    return InvalidArgument("'admin' is the built-in Korean administrative hierarchy; choose another name");
  }
  if (csv.size() > kMaxHierarchyBytes) {
    return ResourceExhausted(fmt::format("hierarchy '{}' is {} bytes; the limit is {} bytes", name, csv.size(),
                                         kMaxHierarchyBytes));
  }
  auto parsed = privacy::Hierarchy::ParseArxCsv(csv);
  if (!parsed.ok()) return parsed.status().WithContext(fmt::format("hierarchy '{}'", name));
  if (parsed->levels() < 2) {
    return InvalidArgument(fmt::format("hierarchy '{}' has only the raw values; add at least one coarser level", name));
  }
  SZ_ASSIGN_OR_RETURN(Access checked, Access::Check(zone, caller, authz::Action::kPseudonymizeConfigure,
                                                    OfficerWorkObject()));
  std::optional<Access> access(std::move(checked));
  const std::string sha = crypto::Sha256Hex(csv);
  Status s = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(auto existing, Find(zone, name));
    if (existing && existing->info.sha256 != sha) {
      return AlreadyExists(fmt::format(
          "hierarchy '{}' exists with other content; hierarchies are immutable, upload this one under a new name",
          name));
    }
    if (existing) {  // the same content again: nothing to store
      SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
      SZ_RETURN_IF_ERROR(std::move(*access).Record(authz::AuditDetails::Note(
          fmt::format("hierarchy {} uploaded again (unchanged)", name))));
      access.reset();
      return txn.Commit();
    }
    bool key_created = false;
    SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, HierarchyKey(zone, key_created));
    FileGuard files(zone.env());
    SZ_ASSIGN_OR_RETURN(SealedTmp sealed, SealText(zone, name, csv, key, files));
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
    if (key_created) SZ_RETURN_IF_ERROR(zone.StoreKey(kHierarchyKey, key));
    std::string rel = "uploads/" + sealed.info.file_id + ".szh";
    SZ_RETURN_IF_ERROR(zone.env()->Rename(sealed.path, zone.dir() + "/" + rel));
    files.Replace(sealed.path, zone.dir() + "/" + rel);
    SZ_RETURN_IF_ERROR(zone.env()->SyncDir(zone.UploadDir()));
    SZ_RETURN_IF_ERROR(zone.db().Run(
        "INSERT INTO pseudo_hierarchies(name, file, file_id, sha256, levels, value_count, uploaded_by, "
        "uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        name, rel, sealed.info.file_id, sha, parsed->levels(), static_cast<int64_t>(parsed->value_count()),
        caller.Label(), FormatUtc(zone.clock().Now())));
    SZ_RETURN_IF_ERROR(std::move(*access).Record(authz::AuditDetails::Note(fmt::format(
        "hierarchy {} uploaded: {} values, {} levels", name, parsed->value_count(), parsed->levels()))));
    access.reset();
    SZ_RETURN_IF_ERROR(txn.Commit());
    files.Commit();
    return OkStatus();
  }();
  if (!s.ok()) {
    if (access) (void)std::move(*access).RecordFailure(s);  // best effort
    return s;
  }
  SZ_ASSIGN_OR_RETURN(auto stored, Find(zone, name));
  if (!stored) return Internal("hierarchy vanished after upload");
  return stored->info;
}

Result<std::vector<HierarchyInfo>> ListHierarchies(Zone& zone, const Caller& caller) {
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, authz::Action::kPseudonymizeConfigure, OfficerWorkObject(),
                               authz::AuditDetails::Note("list hierarchies")));
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query(
      "SELECT name, sha256, levels, value_count, uploaded_by, uploaded_at FROM pseudo_hierarchies ORDER BY name"));
  std::vector<HierarchyInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Text(1), static_cast<int>(st.Int64(2)), st.Int64(3), st.Text(4), st.Text(5)});
  }
  return out;
}

Result<std::string> ReadHierarchyText(Zone& zone, std::string_view name) {
  SZ_ASSIGN_OR_RETURN(auto stored, Find(zone, name));
  if (!stored) {
    return NotFound(fmt::format(
        "there is no uploaded hierarchy '{}'; upload it first (safezone pseudo hierarchy upload NAME FILE.csv)",
        name.substr(0, 63)));
  }
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone.Key(kHierarchyKey));
  auto text = crypto::UnsealToString(zone.dir() + "/" + stored->file, key, SealContext(name));
  if (!text.ok()) return text.status().WithContext(fmt::format("hierarchy '{}'", name));
  if (crypto::Sha256Hex(*text) != stored->info.sha256) {
    return DataLoss(fmt::format("hierarchy '{}': its file is not the one uploaded (replaced or swapped)", name));
  }
  return text;
}

Result<privacy::Hierarchy> AdminRegionHierarchy(std::span<const std::string> values, bool show_values) {
  std::vector<std::vector<std::string>> rows;
  std::set<std::string> seen;
  std::vector<std::string> unresolved;
  size_t unresolved_count = 0;
  for (const std::string& v : values) {
    if (v.empty() || !seen.insert(v).second) continue;
    auto path = korea::ResolveRegion(v);
    if (!path || !path->sido) {
      ++unresolved_count;
      if (unresolved.size() < 5) unresolved.push_back(v.size() > 40 ? v.substr(0, 40) + "..." : v);
      continue;
    }
    std::string sido(path->sido->name);
    std::string sigungu = path->sigungu ? korea::FormatRegion({path->sido, path->sigungu, nullptr}) : sido;
    rows.push_back({v, sigungu, sido, "*"});
  }
  if (unresolved_count > 0) {
    std::string examples;
    if (show_values) {
      for (const auto& u : unresolved) examples += (examples.empty() ? ", e.g. '" : "', '") + u;
      examples += "'";
    }
    return InvalidArgument(fmt::format(
        "{} value(s) are not Korean regions or addresses the built-in hierarchy knows{}; upload a hierarchy "
        "for this column instead",
        unresolved_count, examples));
  }
  if (rows.empty()) return InvalidArgument("the column has no values to build the administrative hierarchy from");
  return privacy::Hierarchy::FromRows(std::move(rows));
}

}  // namespace sz::zone
