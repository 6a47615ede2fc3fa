#include "zone/outputs.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "crypto/sealed_file.h"
#include "fmt/format.h"
#include "zone/output_json.h"

namespace sz::zone {

namespace dc = sz::disclosure;
using authz::Action;

namespace {

constexpr std::string_view kKindNames[] = {
    "frequency_table", "cross_table", "histogram", "chart_data",
    "magnitude_table", "quantiles",   "extremes",  "dispersion",
    "regression",      "text",        "code",      "file"};
constexpr size_t kMaxFreeformBytes = 64u << 20;

std::string KeyPurpose(int64_t project_id) { return fmt::format("project:{}", project_id); }
std::string SealContext(int64_t project_id, int64_t output_id, int revision) {
  return fmt::format("safezone output {}/{}/{}", project_id, output_id, revision);
}

Result<crypto::SecretBytes> ProjectKey(Zone& zone, int64_t project_id) {
  auto key = zone.Key(KeyPurpose(project_id));
  if (key.ok() || key.status().code() != Code::kNotFound) return key;
  return zone.CreateKey(KeyPurpose(project_id));
}

Result<OutputInfo> ReadInfo(storage::Statement& st) {
  OutputInfo o;
  o.id = st.Int64(0);
  o.project_id = st.Int64(1);
  o.name = st.Text(2);
  SZ_ASSIGN_OR_RETURN(o.kind, ParseOutputKind(st.Text(3)));
  o.revision = static_cast<int>(st.Int64(4));
  o.content_sha256 = st.Text(5);
  o.created_by = st.Text(6);
  o.created_at = st.Text(7);
  o.updated_at = st.Text(8);
  return o;
}

constexpr const char* kInfoSelect =
    "SELECT id, project_id, name, kind, revision, content_sha256, created_by, created_at, "
    "updated_at FROM outputs ";

Result<OutputContent> DecodeOutputContent(std::string_view bytes) {
  SZ_ASSIGN_OR_RETURN(Json j, ParseJson(bytes, "stored output"));
  OutputContent c;
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string() || !j.contains("output")) {
    return DataLoss("stored output is malformed");
  }
  SZ_ASSIGN_OR_RETURN(c.kind, ParseOutputKind(j["kind"].get<std::string>()));
  SZ_ASSIGN_OR_RETURN(c.output, OutputFromJson(j["output"]));
  for (const Json& a : j.value("attachments", Json::array())) {
    SZ_ASSIGN_OR_RETURN(std::string bytes_of, crypto::FromBase64(a.value("content", "")));
    c.attachments.push_back({a.value("name", ""), std::move(bytes_of)});
  }
  c.definition = j.value("definition", "");
  for (const Json& d : j.value("datasets", Json::array()))
    c.datasets.push_back(d.get<std::string>());
  return c;
}

int64_t CountRows(std::string_view csv) {
  int64_t lines = std::count(csv.begin(), csv.end(), '\n');
  if (!csv.empty() && csv.back() != '\n') ++lines;
  return std::max<int64_t>(lines - 1, 0);  // minus the header
}

}  // namespace

std::string_view OutputKindName(OutputKind kind) { return kKindNames[static_cast<int>(kind)]; }

Result<OutputKind> ParseOutputKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == name) return static_cast<OutputKind>(i);
  return InvalidArgument(fmt::format(
      "unknown output kind '{}'; use frequency_table, cross_table, histogram, chart_data, "
      "magnitude_table, quantiles, extremes, dispersion, regression, text, code or file",
      name.substr(0, 40)));
}

Status CheckKindMatches(OutputKind kind, dc::OutputType type) {
  bool ok = false;
  switch (kind) {
    case OutputKind::kFrequencyTable:
    case OutputKind::kCrossTable:
    case OutputKind::kHistogram:
      ok = type == dc::OutputType::kFrequencyTable;
      break;
    case OutputKind::kChartData:
      ok = dc::IsTableType(type);
      break;
    case OutputKind::kMagnitudeTable:
      ok = type == dc::OutputType::kMagnitudeTable;
      break;
    case OutputKind::kQuantiles:
      ok = type == dc::OutputType::kQuantiles;
      break;
    case OutputKind::kExtremes:
      ok = type == dc::OutputType::kExtremes;
      break;
    case OutputKind::kDispersion:
      ok = type == dc::OutputType::kDispersion;
      break;
    case OutputKind::kRegression:
      ok = type == dc::OutputType::kRegression;
      break;
    case OutputKind::kText:
    case OutputKind::kCode:
    case OutputKind::kFile:
      ok = type == dc::OutputType::kFreeform;
      break;
  }
  if (ok) return OkStatus();
  return InvalidArgument(fmt::format(
      "an output of kind {} cannot hold a {} (choose the kind that matches the statistic)",
      OutputKindName(kind), dc::OutputTypeName(type)));
}

std::string EncodeOutputContent(const OutputContent& content) {
  Json attachments = Json::array();
  for (const auto& a : content.attachments) {
    attachments.push_back(Json{{"name", a.name}, {"content", crypto::ToBase64(a.content)}});
  }
  Json j{{"kind", OutputKindName(content.kind)},
         {"output", OutputToJson(content.output)},
         {"attachments", std::move(attachments)},
         {"definition", content.definition},
         {"datasets", content.datasets}};
  return j.dump();
}

std::string OutputContentHash(const OutputContent& content) {
  return crypto::Sha256Hex(EncodeOutputContent(content));
}

Result<OutputInfo> OutputByName(Zone& zone, int64_t project_id, std::string_view name) {
  SZ_ASSIGN_OR_RETURN(
      auto st, zone.db().Query(std::string(kInfoSelect) + "WHERE project_id = ?1 AND name = ?2",
                               project_id, std::string(name)));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return NotFound(fmt::format("there is no output '{}' in this project", name.substr(0, 64)));
  return ReadInfo(st);
}

Result<OutputInfo> OutputById(Zone& zone, int64_t output_id) {
  SZ_ASSIGN_OR_RETURN(auto st,
                      zone.db().Query(std::string(kInfoSelect) + "WHERE id = ?1", output_id));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("there is no output {}", output_id));
  return ReadInfo(st);
}

Result<OutputInfo> StoreOutput(Zone& zone, const Project& project, std::string_view name,
                               OutputContent content, std::string_view by) {
  if (sqlite3_get_autocommit(zone.db().raw()) != 0)
    return Internal("StoreOutput needs an open transaction");
  SZ_RETURN_IF_ERROR(ValidateName("output", name));
  SZ_RETURN_IF_ERROR(CheckKindMatches(content.kind, content.output.type));
  content.output.uid = std::string(name);
  std::string now = FormatUtc(zone.clock().Now());
  std::string bytes = EncodeOutputContent(content);
  std::string hash = crypto::Sha256Hex(bytes);

  int64_t id = 0;
  int revision = 1;
  auto existing = OutputByName(zone, project.id, name);
  if (existing.ok()) {
    id = existing->id;
    revision = existing->revision + 1;
    SZ_RETURN_IF_ERROR(
        zone.db().Run("UPDATE outputs SET kind = ?2, revision = ?3, content_sha256 = ?4, "
                      "updated_at = ?5 WHERE id = ?1",
                      id, OutputKindName(content.kind), revision, hash, now));
  } else if (existing.status().code() == Code::kNotFound) {
    SZ_RETURN_IF_ERROR(zone.db().Run(
        "INSERT INTO outputs(project_id, name, kind, revision, content_sha256, created_by, "
        "created_at, updated_at) "
        "VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?6)",
        project.id, std::string(name), OutputKindName(content.kind), hash, std::string(by), now));
    id = zone.db().LastInsertId();
  } else {
    return existing.status();
  }

  std::string dir = fmt::format("projects/{}", project.id);
  std::error_code ec;
  std::filesystem::create_directories(zone.dir() + "/" + dir, ec);
  ::chmod((zone.dir() + "/projects").c_str(), 0700);
  ::chmod((zone.dir() + "/" + dir).c_str(), 0700);
  std::string rel = fmt::format("{}/o{}-r{}.szo", dir, id, revision);
  std::string path = zone.dir() + "/" + rel;
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, ProjectKey(zone, project.id));
  SZ_ASSIGN_OR_RETURN(
      auto writer,
      crypto::SealedWriter::Create(zone.env(), path, key, SealContext(project.id, id, revision)));
  SZ_RETURN_IF_ERROR(writer.Append(bytes));
  SZ_ASSIGN_OR_RETURN(crypto::SealInfo sealed, writer.Finish());
  std::string datasets;
  for (const std::string& d : content.datasets) datasets += (datasets.empty() ? "" : ",") + d;
  Status s = zone.db().Run(
      "INSERT INTO output_revisions(output_id, revision, content_sha256, file, file_id, datasets, "
      "created_by, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      id, revision, hash, rel, sealed.file_id, datasets, std::string(by), now);
  if (!s.ok()) {
    std::filesystem::remove(path, ec);
    return s;
  }
  return OutputById(zone, id);
}

Result<OutputContent> LoadOutputRevision(Zone& zone, int64_t output_id, int revision) {
  SZ_ASSIGN_OR_RETURN(auto st,
                      zone.db().Query("SELECT o.project_id, r.content_sha256, r.file FROM "
                                      "output_revisions r JOIN outputs o ON o.id = r.output_id "
                                      "WHERE r.output_id = ?1 AND r.revision = ?2",
                                      output_id, revision));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("output {} has no revision {}", output_id, revision));
  int64_t project_id = st.Int64(0);
  std::string hash = st.Text(1);
  std::string file = st.Text(2);
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone.Key(KeyPurpose(project_id)));
  auto bytes = crypto::UnsealToString(zone.dir() + "/" + file, key,
                                      SealContext(project_id, output_id, revision));
  if (!bytes.ok()) {
    return DataLoss(fmt::format("output {} revision {}: its sealed file is missing or damaged",
                                output_id, revision));
  }
  if (crypto::Sha256Hex(*bytes) != hash) {
    return DataLoss(
        fmt::format("output {} revision {} does not match its recorded hash", output_id, revision));
  }
  return DecodeOutputContent(*bytes);
}

Result<std::vector<OutputInfo>> ListOutputs(Zone& zone, const Caller& caller,
                                            std::string_view project_name) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, project_name));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kProjectRead, ProjectObject(project),
                               authz::AuditDetails::Note("list outputs")));
  SZ_ASSIGN_OR_RETURN(
      auto st, zone.db().Query(std::string(kInfoSelect) + "WHERE project_id = ?1 ORDER BY name",
                               project.id));
  std::vector<OutputInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    SZ_ASSIGN_OR_RETURN(OutputInfo info, ReadInfo(st));
    out.push_back(std::move(info));
  }
  return out;
}

Result<OutputContent> ReadOutput(Zone& zone, const Caller& caller, std::string_view project_name,
                                 std::string_view name) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, project_name));
  SZ_RETURN_IF_ERROR(RequireActive(zone, project));
  SZ_ASSIGN_OR_RETURN(OutputInfo info, OutputByName(zone, project.id, name));
  SZ_RETURN_IF_ERROR(CheckRead(
      zone, caller, Action::kWorkspaceOpen, ProjectObject(project),
      authz::AuditDetails::Note(fmt::format("read output {} r{}", info.name, info.revision))));
  return LoadOutputRevision(zone, info.id, info.revision);
}

Result<OutputInfo> SaveFreeform(Zone& zone, const Caller& caller, std::string_view project_name,
                                std::string_view name, OutputKind kind, std::string_view file_name,
                                std::string_view content) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, project_name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kOutputSave, ProjectObject(project)));
  SZ_RETURN_IF_ERROR(RequireActive(zone, project));
  if (kind != OutputKind::kText && kind != OutputKind::kCode && kind != OutputKind::kFile) {
    return InvalidArgument("free-form outputs are of kind text, code or file");
  }
  if (content.size() > kMaxFreeformBytes) {
    return ResourceExhausted(
        fmt::format("a free-form output holds at most {} MiB", kMaxFreeformBytes >> 20));
  }
  std::string fname(file_name);
  if (fname.empty() || fname.find('/') != std::string::npos ||
      fname.find('\\') != std::string::npos || fname.starts_with(".") || fname.size() > 120) {
    return InvalidArgument(
        "give the file a plain name (no directories, not hidden, at most 120 bytes)");
  }
  OutputContent c;
  c.kind = kind;
  c.output.type = dc::OutputType::kFreeform;
  c.output.command = fmt::format("saved {} {}", OutputKindName(kind), fname);
  dc::FileEvidence f;
  f.name = fname;
  f.size_bytes = content.size();
  if (fname.ends_with(".csv")) f.rows = CountRows(content);
  c.output.body = f;
  c.attachments.push_back({fname, std::string(content)});
  OutputInfo info;
  if (Status done = Audited(
          zone, access,
          authz::AuditDetails::Note(fmt::format("output {} ({})", name, OutputKindName(kind))),
          [&]() -> Status {
            SZ_ASSIGN_OR_RETURN(info,
                                StoreOutput(zone, project, name, std::move(c), caller.Label()));
            return OkStatus();
          });
      !done.ok()) {
    return done;
  }
  return info;
}

}  // namespace sz::zone
