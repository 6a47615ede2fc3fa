// /api/v1/projects/...: projects (propose, revise, approve, close, members, list, show)
// and their outputs (list, show, free-form upload).
#include "fmt/format.h"
#include "server/api.h"
#include "zone/analysis_json.h"
#include "zone/outputs.h"
#include "zone/projects.h"

namespace sz::server {

namespace {

using nlohmann::json;

Date Today(const Call& call) { return SeoulDate(call.zone.clock().Now()); }

Result<Reply> ProjectReply(const Call& call, const zone::Project& p, int status = 200) {
  return Reply::Json(zone::ToJson(p, Today(call)), status);
}

// A member: "kim", "kim:lead", {"username": "kim", "role": "lead"} or {"user_id": 3}.
Result<zone::MemberSpec> MemberFromJson(zone::Zone& zone, const json& j) {
  zone::MemberSpec m;
  std::string username, role;
  if (j.is_string()) {
    std::string text = j.get<std::string>();
    auto colon = text.find(':');
    username = text.substr(0, colon);
    if (colon != std::string::npos) role = text.substr(colon + 1);
  } else if (j.is_object()) {
    SZ_ASSIGN_OR_RETURN(username, StringField(j, "username", false, 128));
    SZ_ASSIGN_OR_RETURN(role, StringField(j, "role", false, 32));
    SZ_ASSIGN_OR_RETURN(m.user_id, IntField(j, "user_id", int64_t{0}));
  } else {
    return InvalidArgument("a member is \"username[:lead|analyst]\" or {username|user_id, role}");
  }
  if (m.user_id == 0) {
    if (username.empty() || username.size() > 128)
      return InvalidArgument("a member needs a username or a user_id");
    SZ_ASSIGN_OR_RETURN(m.user_id, zone::UserIdByName(zone, username));
  }
  if (!role.empty()) {
    SZ_ASSIGN_OR_RETURN(m.role, zone::ParseMemberRole(role));
  }
  return m;
}

Result<zone::ProjectDatasetSpec> DatasetFromJson(const json& j) {
  if (!j.is_object()) return InvalidArgument("each of 'datasets' must be an object");
  zone::ProjectDatasetSpec d;
  SZ_ASSIGN_OR_RETURN(d.dataset, StringField(j, "dataset", true, 63));
  SZ_ASSIGN_OR_RETURN(int64_t version, IntField(j, "version", int64_t{0}));
  if (version < 0 || version > 1000000) return InvalidArgument("dataset version must be >= 0");
  d.version = static_cast<int>(version);
  SZ_ASSIGN_OR_RETURN(d.columns, StringListField(j, "columns"));
  SZ_ASSIGN_OR_RETURN(d.person_column, StringField(j, "person_column", false, 128));
  SZ_ASSIGN_OR_RETURN(d.row_is_person, BoolField(j, "row_is_person", false));
  return d;
}

// The definition of a project from a request body (see the OpenAPI document).
Result<zone::ProjectSpec> SpecFromBody(Call& call, std::string_view name) {
  const json& b = call.body;
  zone::ProjectSpec spec;
  SZ_ASSIGN_OR_RETURN(spec.name, StringField(b, "name", name.empty(), 63));
  if (!name.empty()) {
    if (!spec.name.empty() && spec.name != name)
      return InvalidArgument("the project's name cannot change; 'name' must match the path");
    spec.name = std::string(name);
  }
  SZ_ASSIGN_OR_RETURN(spec.title, StringField(b, "title", false, 512));
  SZ_ASSIGN_OR_RETURN(spec.purpose, StringField(b, "purpose", true, 8192));
  SZ_ASSIGN_OR_RETURN(std::string start, StringField(b, "start", true, 10));
  SZ_ASSIGN_OR_RETURN(std::string end, StringField(b, "end", true, 10));
  SZ_ASSIGN_OR_RETURN(spec.start, ParseDate(start));
  SZ_ASSIGN_OR_RETURN(spec.end, ParseDate(end));
  SZ_ASSIGN_OR_RETURN(spec.two_reviewers, BoolField(b, "two_reviewers", false));
  if (auto it = b.find("risk_appetite"); it != b.end() && !it->is_null()) {
    if (it->is_object()) {
      spec.risk_appetite = it->dump();
    } else if (it->is_string()) {
      spec.risk_appetite = it->get<std::string>();
    } else {
      return InvalidArgument("field 'risk_appetite' must be an object (or its JSON text)");
    }
  }
  if (auto it = b.find("members"); it != b.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 256)
      return InvalidArgument("field 'members' must be a list of at most 256 members");
    for (const json& m : *it) {
      SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, MemberFromJson(call.zone, m));
      spec.members.push_back(member);
    }
  }
  auto ds = b.find("datasets");
  if (ds == b.end() || !ds->is_array() || ds->empty() || ds->size() > 64)
    return InvalidArgument("field 'datasets' must list 1 to 64 datasets");
  for (const json& d : *ds) {
    SZ_ASSIGN_OR_RETURN(zone::ProjectDatasetSpec dataset, DatasetFromJson(d));
    spec.datasets.push_back(std::move(dataset));
  }
  return spec;
}

Result<std::string> ProjectParam(const Call& call) { return NameParam(call, "project", "name"); }

Result<Reply> Create(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::ProjectSpec spec, SpecFromBody(call, ""));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::CreateProject(call.zone, call.caller(), spec));
  return ProjectReply(call, p, 201);
}

Result<Reply> Revise(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(zone::ProjectSpec spec, SpecFromBody(call, name));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::ReviseProject(call.zone, call.caller(), name, spec));
  return ProjectReply(call, p);
}

Result<Reply> List(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto projects, zone::ListProjects(call.zone, call.caller()));
  json out = json::array();
  for (const auto& p : projects) out.push_back(zone::ToJson(p, Today(call)));
  return Reply::Json({{"projects", out}});
}

Result<Reply> Show(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::ShowProject(call.zone, call.caller(), name));
  return ProjectReply(call, p);
}

Result<Reply> Approve(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::ApproveProject(call.zone, call.caller(), name));
  return ProjectReply(call, p);
}

Result<Reply> Close(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(std::string reason, StringField(call.body, "reason", false, 1024));
  SZ_ASSIGN_OR_RETURN(zone::Project p,
                      zone::CloseProject(call.zone, call.caller(), name, reason));
  return ProjectReply(call, p);
}

Result<Reply> AddMember(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, MemberFromJson(call.zone, call.body));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::AddMember(call.zone, call.caller(), name, member));
  return ProjectReply(call, p);
}

Result<Reply> RemoveMember(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(int64_t user, IdParam(call, "user_id"));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::RemoveMember(call.zone, call.caller(), name, user));
  return ProjectReply(call, p);
}

// ---- outputs ----

Result<Reply> ListOutputs(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(auto outputs, zone::ListOutputs(call.zone, call.caller(), name));
  json out = json::array();
  for (const auto& o : outputs) out.push_back(zone::ToJson(o));
  return Reply::Json({{"outputs", out}});
}

Result<Reply> ShowOutput(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(std::string output, NameParam(call, "output", "output"));
  SZ_ASSIGN_OR_RETURN(zone::OutputContent content,
                      zone::ReadOutput(call.zone, call.caller(), name, output));
  json j = zone::ToJson(content);
  j["name"] = output;
  return Reply::Json(j);
}

// A free-form output: the body is the file; name, kind and filename in the query.
Result<Reply> UploadOutput(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, ProjectParam(call));
  SZ_ASSIGN_OR_RETURN(std::string output, QueryParam(call, "name"));
  SZ_RETURN_IF_ERROR(zone::ValidateName("output", output));
  SZ_ASSIGN_OR_RETURN(std::string kind_name, QueryParam(call, "kind"));
  SZ_ASSIGN_OR_RETURN(zone::OutputKind kind,
                      zone::ParseOutputKind(kind_name.empty() ? "text" : kind_name));
  SZ_ASSIGN_OR_RETURN(std::string filename, QueryParam(call, "filename"));
  if (filename.empty()) return InvalidArgument("pass the file's name as ?filename=");
  // The zone refuses more than 64 MiB anyway; do not read a larger upload into memory.
  SZ_ASSIGN_OR_RETURN(uint64_t size, call.upload->Size());
  if (size > (uint64_t{64} << 20))
    return ResourceExhausted("a free-form output holds at most 64 MiB");
  SZ_ASSIGN_OR_RETURN(std::string content, call.upload->ReadAll());
  SZ_ASSIGN_OR_RETURN(zone::OutputInfo info,
                      zone::SaveFreeform(call.zone, call.caller(), name, output, kind, filename,
                                         content));
  return Reply::Json(zone::ToJson(info), 201);
}

}  // namespace

void AddProjectRoutes(std::vector<Route>& r) {
  r.push_back({Method::kPost, "/api/v1/projects", Auth::kRequired, Body::kJson, Create});
  r.push_back({Method::kGet, "/api/v1/projects", Auth::kRequired, Body::kNone, List});
  r.push_back({Method::kGet, "/api/v1/projects/{name}", Auth::kRequired, Body::kNone, Show});
  r.push_back({Method::kPut, "/api/v1/projects/{name}", Auth::kRequired, Body::kJson, Revise});
  r.push_back(
      {Method::kPost, "/api/v1/projects/{name}/approve", Auth::kRequired, Body::kNone, Approve});
  r.push_back(
      {Method::kPost, "/api/v1/projects/{name}/close", Auth::kRequired, Body::kJson, Close});
  r.push_back({Method::kPost, "/api/v1/projects/{name}/members", Auth::kRequired, Body::kJson,
               AddMember});
  r.push_back({Method::kDelete, "/api/v1/projects/{name}/members/{user_id}", Auth::kRequired,
               Body::kNone, RemoveMember});
  r.push_back({Method::kGet, "/api/v1/projects/{name}/outputs", Auth::kRequired, Body::kNone,
               ListOutputs});
  r.push_back({Method::kPost, "/api/v1/projects/{name}/outputs", Auth::kRequired, Body::kUpload,
               UploadOutput});
  r.push_back({Method::kGet, "/api/v1/projects/{name}/outputs/{output}", Auth::kRequired,
               Body::kNone, ShowOutput});
}

}  // namespace sz::server
