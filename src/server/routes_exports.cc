// /api/v1/projects/{name}/exports, /api/v1/exports/...: export requests (create, recheck,
// mitigate, exception, submit, withdraw, comments), their review (start, decide, grant an
// exception, conclude) and release; /api/v1/releases/...: downloads of a release as one
// archive or file by file, and the release public key for verification.
//
// Query parameter `cells=true` on the export routes adds every cell's verdict and
// reasons to the reply.
#include "crypto/secret.h"
#include "fmt/format.h"
#include "server/api.h"
#include "zone/analysis_json.h"
#include "zone/exports.h"
#include "zone/release_archive.h"
#include "zone/releases.h"

namespace sz::server {

namespace {

using nlohmann::json;

Result<Reply> RequestReply(const Call& call, const zone::ExportRequest& r, int status = 200) {
  SZ_ASSIGN_OR_RETURN(bool cells, QueryBool(call, "cells", false));
  return Reply::Json(zone::ToJson(r, cells), status);
}

Result<std::string> OutputField(const Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string output, StringField(call.body, "output", true, 63));
  SZ_RETURN_IF_ERROR(zone::ValidateName("output", output));
  return output;
}

Result<zone::Decision> DecisionWord(std::string_view word) {
  if (word == "approve" || word == "approved") return zone::Decision::kApproved;
  if (word == "reject" || word == "rejected") return zone::Decision::kRejected;
  return InvalidArgument("a decision is 'approve' or 'reject'");
}

// Handlers of the form: request id in the path, one zone call, the request as reply.
using RequestAction = std::function<Result<zone::ExportRequest>(Call&, int64_t)>;
Handler OnRequest(RequestAction action) {
  return [action = std::move(action)](Call& call) -> Result<Reply> {
    SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
    SZ_ASSIGN_OR_RETURN(zone::ExportRequest r, action(call, id));
    return RequestReply(call, r);
  };
}

Result<Reply> Create(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string project, NameParam(call, "project", "name"));
  SZ_ASSIGN_OR_RETURN(std::vector<std::string> outputs, StringListField(call.body, "outputs"));
  if (outputs.empty()) return InvalidArgument("field 'outputs' must name at least one output");
  SZ_ASSIGN_OR_RETURN(std::string purpose, StringField(call.body, "purpose", false, 4096));
  SZ_ASSIGN_OR_RETURN(zone::ExportRequest r,
                      zone::RequestExport(call.zone, call.caller(), project, outputs, purpose));
  return RequestReply(call, r, 201);
}

Result<Reply> List(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string project, NameParam(call, "project", "name"));
  SZ_ASSIGN_OR_RETURN(auto requests, zone::ListExports(call.zone, call.caller(), project));
  json out = json::array();
  for (const auto& r : requests) out.push_back(zone::ToJson(r, false));
  return Reply::Json({{"exports", out}});
}

Result<zone::ExportRequest> Comment(Call& call, int64_t id) {
  SZ_ASSIGN_OR_RETURN(std::string text, StringField(call.body, "text", true, 8192));
  SZ_ASSIGN_OR_RETURN(std::string output, StringField(call.body, "output", false, 63));
  SZ_ASSIGN_OR_RETURN(std::string visibility, StringField(call.body, "visibility", false, 16));
  SZ_ASSIGN_OR_RETURN(zone::Visibility v,
                      zone::ParseVisibility(visibility.empty() ? "analyst" : visibility));
  return zone::CommentOnExport(call.zone, call.caller(), id, output, v, text);
}

Result<zone::ExportRequest> Conclude(Call& call, int64_t id) {
  SZ_ASSIGN_OR_RETURN(bool send_back, BoolField(call.body, "return", false));
  std::map<std::string, zone::Decision> overrides;
  if (auto it = call.body.find("overrides"); it != call.body.end() && !it->is_null()) {
    if (!it->is_object() || it->size() > 256)
      return InvalidArgument("field 'overrides' maps output names to 'approve' or 'reject'");
    for (const auto& [output, decision] : it->items()) {
      if (!decision.is_string())
        return InvalidArgument("field 'overrides' maps output names to 'approve' or 'reject'");
      SZ_ASSIGN_OR_RETURN(overrides[output], DecisionWord(decision.get<std::string>()));
    }
  }
  return zone::ConcludeReview(call.zone, call.caller(), id,
                              send_back ? zone::Conclusion::kReturn : zone::Conclusion::kDecide,
                              overrides);
}

Result<Reply> Release(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(zone::ReleaseInfo info, zone::ReleaseExport(call.zone, call.caller(), id));
  return Reply::Json(zone::ToJson(info), 201);
}

// ---- downloads: every one goes through DownloadRelease (owner only, verified, audited) ----

Result<zone::ReleasePackage> Download(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  return zone::DownloadRelease(call.zone, call.caller(), id);
}

Result<Reply> ListFiles(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::ReleasePackage p, Download(call));
  return Reply::Json(zone::ToJson(p, false));
}

Result<Reply> Archive(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::ReleasePackage p, Download(call));
  SZ_ASSIGN_OR_RETURN(std::string tar, zone::WriteReleaseArchive(p.files));
  Reply r;
  r.raw = std::move(tar);
  r.content_type = "application/x-tar";
  r.filename = fmt::format("release-{}.tar", p.info.id);
  return r;
}

Result<Reply> File(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, QueryParam(call, "name"));
  if (name.empty()) return InvalidArgument("name the file: ?name=manifest.json");
  SZ_ASSIGN_OR_RETURN(zone::ReleasePackage p, Download(call));
  for (auto& f : p.files) {
    if (f.name != name) continue;
    Reply r;
    r.raw = std::move(f.content);
    r.content_type = "application/octet-stream";
    r.filename = name.substr(name.rfind('/') + 1);
    return r;
  }
  return NotFound("the release has no file of that name; GET the release for its file list");
}

Result<Reply> PublicKey(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string key, zone::ReleasePublicKey(call.zone));
  return Reply::Json({{"algorithm", "ed25519"},
                      {"public_key_base64", crypto::ToBase64(key)},
                      {"signature_prefix", zone::kReleaseSignaturePrefix}});
}

}  // namespace

void AddExportRoutes(std::vector<Route>& r) {
  auto post = [&r](std::string path, Body body, Handler h) {
    r.push_back({Method::kPost, std::move(path), Auth::kRequired, body, std::move(h)});
  };
  post("/api/v1/projects/{name}/exports", Body::kJson, Create);
  r.push_back(
      {Method::kGet, "/api/v1/projects/{name}/exports", Auth::kRequired, Body::kNone, List});
  r.push_back({Method::kGet, "/api/v1/exports/{id}", Auth::kRequired, Body::kNone,
               OnRequest([](Call& c, int64_t id) {
                 return zone::ShowExport(c.zone, c.caller(), id);
               })});
  post("/api/v1/exports/{id}/recheck", Body::kNone, OnRequest([](Call& c, int64_t id) {
         return zone::RecheckExport(c.zone, c.caller(), id);
       }));
  post("/api/v1/exports/{id}/mitigate", Body::kJson,
       OnRequest([](Call& c, int64_t id) -> Result<zone::ExportRequest> {
         SZ_ASSIGN_OR_RETURN(std::string output, OutputField(c));
         SZ_ASSIGN_OR_RETURN(std::string method, StringField(c.body, "method", true, 32));
         SZ_ASSIGN_OR_RETURN(zone::Mitigation m, zone::ParseMitigation(method));
         return zone::MitigateOutput(c.zone, c.caller(), id, output, m);
       }));
  post("/api/v1/exports/{id}/exception", Body::kJson,
       OnRequest([](Call& c, int64_t id) -> Result<zone::ExportRequest> {
         SZ_ASSIGN_OR_RETURN(std::string output, OutputField(c));
         SZ_ASSIGN_OR_RETURN(std::string why, StringField(c.body, "justification", true, 8192));
         return zone::RequestException(c.zone, c.caller(), id, output, why);
       }));
  post("/api/v1/exports/{id}/submit", Body::kNone, OnRequest([](Call& c, int64_t id) {
         return zone::SubmitExport(c.zone, c.caller(), id);
       }));
  post("/api/v1/exports/{id}/withdraw", Body::kNone, OnRequest([](Call& c, int64_t id) {
         return zone::WithdrawExport(c.zone, c.caller(), id);
       }));
  post("/api/v1/exports/{id}/comments", Body::kJson, OnRequest(Comment));
  post("/api/v1/exports/{id}/review/start", Body::kNone, OnRequest([](Call& c, int64_t id) {
         return zone::StartReview(c.zone, c.caller(), id);
       }));
  post("/api/v1/exports/{id}/review/decide", Body::kJson,
       OnRequest([](Call& c, int64_t id) -> Result<zone::ExportRequest> {
         SZ_ASSIGN_OR_RETURN(std::string output, OutputField(c));
         SZ_ASSIGN_OR_RETURN(std::string word, StringField(c.body, "decision", true, 16));
         SZ_ASSIGN_OR_RETURN(zone::Decision d, DecisionWord(word));
         return zone::DecideOutput(c.zone, c.caller(), id, output, d);
       }));
  post("/api/v1/exports/{id}/review/grant-exception", Body::kJson,
       OnRequest([](Call& c, int64_t id) -> Result<zone::ExportRequest> {
         SZ_ASSIGN_OR_RETURN(std::string output, OutputField(c));
         return zone::GrantException(c.zone, c.caller(), id, output);
       }));
  post("/api/v1/exports/{id}/review/conclude", Body::kJson, OnRequest(Conclude));
  post("/api/v1/exports/{id}/release", Body::kNone, Release);
  r.push_back({Method::kGet, "/api/v1/releases/{id}", Auth::kRequired, Body::kNone, ListFiles});
  r.push_back(
      {Method::kGet, "/api/v1/releases/{id}/archive", Auth::kRequired, Body::kNone, Archive});
  r.push_back({Method::kGet, "/api/v1/releases/{id}/file", Auth::kRequired, Body::kNone, File});
  r.push_back({Method::kGet, "/api/v1/release-key", Auth::kRequired, Body::kNone, PublicKey});
}

}  // namespace sz::server
