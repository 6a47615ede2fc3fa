// safezone export request|list|show|check|mitigate|exception|submit|withdraw|comment
//          review list|show|start|decide|grant-exception|conclude|comment|release
//          release download|verify
// With --zone these run locally as the operator (Caller::Operator()); without, as the
// signed-in person through the HTTPS API. Both modes render the same JSON.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "audit/audit_log.h"
#include "cli/analysis_view.h"
#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "crypto/secret.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "zone/analysis_json.h"
#include "zone/exports.h"
#include "zone/release_archive.h"
#include "zone/releases.h"

namespace sz::cli {

namespace {

namespace dc = sz::disclosure;
using nlohmann::json;

using LocalAction = std::function<Result<zone::ExportRequest>(zone::Zone&, const zone::Caller&)>;

std::string ExportPath(int64_t id, std::string_view suffix = "") {
  return fmt::format("/api/v1/exports/{}{}", id, suffix);
}

// One action on a request: locally through `local`, or as POST `suffix` with `body`
// (GET when `suffix` is empty) through the API. Renders the request it returns.
Status Act(Context& ctx, const LocalAction& local, std::string_view suffix, const json& body = {}) {
  json r;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(zone::ExportRequest req, local(*z, zone::Caller::Operator()));
    r = zone::ToJson(req, ctx.args.cells);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    std::string cells = ctx.args.cells ? "?cells=true" : "";
    int64_t id = ctx.args.object_id;
    SZ_ASSIGN_OR_RETURN(
        r, suffix.empty()
               ? api.Get(ExportPath(id), ctx.args.cells ? server::QueryParams{{"cells", "true"}}
                                                        : server::QueryParams{})
               : api.Post(ExportPath(id, suffix) + cells, body.is_null() ? json::object() : body));
  }
  if (ctx.json)
    PrintJson(r);
  else
    RenderRequest(r, ctx.args.cells);
  return OkStatus();
}

Status RequestExport(Context& ctx) {
  const Args& a = ctx.args;
  json r;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(zone::ExportRequest req, zone::RequestExport(*z, zone::Caller::Operator(),
                                                                     a.project, a.outputs, a.purpose));
    r = zone::ToJson(req, a.cells);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(
        r, api.Post("/api/v1/projects/" + server::UrlEncode(a.project) + "/exports" +
                        (a.cells ? "?cells=true" : ""),
                    {{"outputs", a.outputs}, {"purpose", a.purpose}}));
  }
  if (ctx.json)
    PrintJson(r);
  else
    RenderRequest(r, a.cells);
  return OkStatus();
}

Status ListRequests(Context& ctx) {
  json list = json::array();
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto requests,
                        zone::ListExports(*z, zone::Caller::Operator(), ctx.args.project));
    for (const auto& r : requests) list.push_back(zone::ToJson(r, false));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(
        json reply, api.Get("/api/v1/projects/" + server::UrlEncode(ctx.args.project) + "/exports"));
    list = reply["exports"];
  }
  if (ctx.json)
    PrintJson(list);
  else
    RenderRequests(list);
  return OkStatus();
}

Result<zone::Decision> DecisionWord(std::string_view word) {
  if (word == "approve" || word == "approved") return zone::Decision::kApproved;
  if (word == "reject" || word == "rejected") return zone::Decision::kRejected;
  return InvalidArgument("decide 'approve' or 'reject'");
}

Status Conclude(Context& ctx) {
  std::map<std::string, zone::Decision> overrides;
  json remote_overrides = json::object();
  for (const std::string& o : ctx.args.overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos) return InvalidArgument("--override takes OUTPUT=approve|reject");
    SZ_ASSIGN_OR_RETURN(overrides[o.substr(0, eq)], DecisionWord(o.substr(eq + 1)));
    remote_overrides[o.substr(0, eq)] = o.substr(eq + 1);
  }
  auto conclusion = ctx.args.return_request ? zone::Conclusion::kReturn : zone::Conclusion::kDecide;
  return Act(
      ctx,
      [&](zone::Zone& z, const zone::Caller& c) {
        return zone::ConcludeReview(z, c, ctx.args.object_id, conclusion, overrides);
      },
      "/review/conclude", {{"return", ctx.args.return_request}, {"overrides", remote_overrides}});
}

Status Release(Context& ctx) {
  json info;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto r,
                        zone::ReleaseExport(*z, zone::Caller::Operator(), ctx.args.object_id));
    info = zone::ToJson(r);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(info, api.Post(ExportPath(ctx.args.object_id, "/release")));
  }
  if (ctx.json)
    PrintJson(info);
  else
    RenderRelease(info);
  return OkStatus();
}

// ---- downloads ----

Status WriteFiles(const std::string& dir, const std::vector<dc::ReleaseFile>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return AlreadyExists(fmt::format("{} exists and is not empty; name a new directory", dir));
  }
  for (const auto& f : files) {
    fs::path path = fs::path(dir) / f.name;
    if (f.name.find("..") != std::string::npos || f.name.starts_with("/")) {
      return DataLoss(fmt::format("release file name '{}' is not a plain relative path", f.name));
    }
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    if (!out) return Unavailable(fmt::format("cannot write {}", path.string()));
  }
  return OkStatus();
}

Status WriteArchive(const std::string& file, std::string_view bytes) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec))
    return AlreadyExists(fmt::format("{} exists; name a new file", file));
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return Unavailable(fmt::format("cannot write {}", file));
  return OkStatus();
}

Result<std::string> ServerReleaseKey(server::ApiClient& api) {
  SZ_ASSIGN_OR_RETURN(json k, api.Get("/api/v1/release-key"));
  return crypto::FromBase64(JsonText(k, "public_key_base64"));
}

// Through the API: the file list, then each file (or the archive), checked against the
// signed manifest with the zone's public key before anything is written.
Result<std::vector<dc::ReleaseFile>> DownloadRemote(const Context& ctx, std::string* archive) {
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient(std::chrono::seconds(600)));
  std::string base = fmt::format("/api/v1/releases/{}", ctx.args.object_id);
  std::vector<dc::ReleaseFile> files;
  if (archive != nullptr) {
    SZ_ASSIGN_OR_RETURN(*archive, api.GetRaw(base + "/archive"));
    SZ_ASSIGN_OR_RETURN(files, zone::ReadReleaseArchive(*archive));
  } else {
    SZ_ASSIGN_OR_RETURN(json listing, api.Get(base));
    for (const auto& f : listing["files"]) {
      std::string name = JsonText(f, "name");
      SZ_ASSIGN_OR_RETURN(std::string content, api.GetRaw(base + "/file", {{"name", name}}));
      if (crypto::Sha256Hex(content) != JsonText(f, "sha256"))
        return DataLoss(fmt::format("{} changed in transit (SHA-256 differs); download again", name));
      files.push_back({name, std::move(content)});
    }
  }
  SZ_ASSIGN_OR_RETURN(std::string key, ServerReleaseKey(api));
  SZ_RETURN_IF_ERROR(zone::VerifyReleaseFiles(files, key));
  return files;
}

Status Download(Context& ctx) {
  const Args& a = ctx.args;
  if (a.out_dir.empty() == a.archive.empty())
    return InvalidArgument("pass --out DIR (file by file) or --archive FILE.tar (one archive)");
  std::vector<dc::ReleaseFile> files;
  std::string archive;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto pkg, zone::DownloadRelease(*z, zone::Caller::Operator(), a.object_id));
    files = std::move(pkg.files);
    if (!a.archive.empty()) {
      SZ_ASSIGN_OR_RETURN(archive, zone::WriteReleaseArchive(files));
    }
  } else {
    SZ_ASSIGN_OR_RETURN(files, DownloadRemote(ctx, a.archive.empty() ? nullptr : &archive));
  }
  if (!a.archive.empty()) {
    SZ_RETURN_IF_ERROR(WriteArchive(a.archive, archive));
    std::printf("release %lld: %zu files in %s (signature and hashes verified)\n",
                static_cast<long long>(a.object_id), files.size(), a.archive.c_str());
    return OkStatus();
  }
  SZ_RETURN_IF_ERROR(WriteFiles(a.out_dir, files));
  std::printf("release %lld: %zu files in %s (signature and hashes verified)\n",
              static_cast<long long>(a.object_id), files.size(), a.out_dir.c_str());
  return OkStatus();
}

// Verifies a downloaded release (a directory, or the archive) with the zone's public key.
Status Verify(Context& ctx) {
  namespace fs = std::filesystem;
  const std::string& target = ctx.args.out_dir;
  std::vector<dc::ReleaseFile> files;
  std::error_code ec;
  if (fs::is_regular_file(target, ec)) {
    SZ_ASSIGN_OR_RETURN(std::string bytes, storage::ReadSmallFile(target, 1u << 30));
    SZ_ASSIGN_OR_RETURN(files, zone::ReadReleaseArchive(bytes));
  } else {
    for (const auto& e : fs::recursive_directory_iterator(target, ec)) {
      if (!e.is_regular_file()) continue;
      SZ_ASSIGN_OR_RETURN(std::string content,
                          storage::ReadSmallFile(e.path().string(), 256u << 20));
      files.push_back({fs::relative(e.path(), target).string(), std::move(content)});
    }
    if (ec) return NotFound(fmt::format("cannot read {}", target));
  }
  std::string key;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(key, zone::ReleasePublicKey(*z));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(key, ServerReleaseKey(api));
  }
  SZ_RETURN_IF_ERROR(zone::VerifyReleaseFiles(files, key));
  // The key id is what `review release` printed; the full key for checking elsewhere.
  std::printf("%s: signature and all %zu file hashes verify (key %s, public key %s)\n",
              target.c_str(), files.size(), audit::KeyId(key).c_str(), crypto::ToBase64(key).c_str());
  return OkStatus();
}

}  // namespace

void AddExportCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto id_option = [&a](CLI::App* cmd) {
    cmd->add_option("id", a.object_id, "Export request id")->required();
  };
  auto cells_flag = [&a](CLI::App* cmd) {
    cmd->add_flag("--cells", a.cells, "Show every cell's verdict and reasons");
  };

  auto* ex =
      app.add_subcommand("export", "Export requests: checks, mitigations, exceptions, submission");
  ex->require_subcommand(1);
  auto* request =
      ex->add_subcommand("request", "Request the export of outputs; the checks run at once");
  request->add_option("project", a.project)->required();
  request->add_option("outputs", a.outputs, "Output names")->required();
  request->add_option("--purpose", a.purpose, "What the outputs are for");
  cells_flag(request);
  request->callback([&ctx] { ctx.status = RequestExport(ctx); });
  auto* list = ex->add_subcommand("list", "Export requests of a project");
  list->add_option("project", a.project)->required();
  list->callback([&ctx] { ctx.status = ListRequests(ctx); });
  auto* show = ex->add_subcommand("show", "Show a request with its check report");
  id_option(show);
  cells_flag(show);
  show->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::ShowExport(z, c, ctx.args.object_id);
        },
        "");
  });
  auto* check = ex->add_subcommand("check", "Re-run the checks on the outputs' current revisions");
  id_option(check);
  cells_flag(check);
  check->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::RecheckExport(z, c, ctx.args.object_id);
        },
        "/recheck");
  });
  auto* mitigate = ex->add_subcommand(
      "mitigate", "Suppress (with secondary suppression), round, or redact then round");
  id_option(mitigate);
  mitigate->add_option("output", a.output)->required();
  mitigate->add_option("--method", a.method, "suppress, round, redact_round or none")->required();
  cells_flag(mitigate);
  mitigate->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) -> Result<zone::ExportRequest> {
          SZ_ASSIGN_OR_RETURN(zone::Mitigation m, zone::ParseMitigation(ctx.args.method));
          return zone::MitigateOutput(z, c, ctx.args.object_id, ctx.args.output, m);
        },
        "/mitigate", {{"output", ctx.args.output}, {"method", ctx.args.method}});
  });
  auto* exception =
      ex->add_subcommand("exception", "Ask for an exception for an output, with a justification");
  id_option(exception);
  exception->add_option("output", a.output)->required();
  exception->add_option("--justification", a.justification)->required();
  exception->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::RequestException(z, c, ctx.args.object_id, ctx.args.output,
                                        ctx.args.justification);
        },
        "/exception", {{"output", ctx.args.output}, {"justification", ctx.args.justification}});
  });
  auto* submit = ex->add_subcommand("submit", "Submit for review");
  id_option(submit);
  submit->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::SubmitExport(z, c, ctx.args.object_id);
        },
        "/submit");
  });
  auto* withdraw = ex->add_subcommand("withdraw", "Withdraw the request");
  id_option(withdraw);
  withdraw->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::WithdrawExport(z, c, ctx.args.object_id);
        },
        "/withdraw");
  });

  auto* rv =
      app.add_subcommand("review", "Review export requests: decide, comment, conclude, release");
  rv->require_subcommand(1);
  auto* rlist = rv->add_subcommand("list", "Requests of a project");
  rlist->add_option("project", a.project)->required();
  rlist->callback([&ctx] { ctx.status = ListRequests(ctx); });
  auto* rshow = rv->add_subcommand("show", "Show a request (reviewer view)");
  id_option(rshow);
  cells_flag(rshow);
  rshow->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::ShowExport(z, c, ctx.args.object_id);
        },
        "");
  });
  auto* start = rv->add_subcommand("start", "Start reviewing a submitted request");
  id_option(start);
  start->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::StartReview(z, c, ctx.args.object_id);
        },
        "/review/start");
  });
  auto* decide = rv->add_subcommand("decide", "Approve or reject one output");
  id_option(decide);
  decide->add_option("output", a.output)->required();
  decide->add_option("decision", a.method, "approve or reject")->required();
  decide->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) -> Result<zone::ExportRequest> {
          SZ_ASSIGN_OR_RETURN(zone::Decision d, DecisionWord(ctx.args.method));
          return zone::DecideOutput(z, c, ctx.args.object_id, ctx.args.output, d);
        },
        "/review/decide", {{"output", ctx.args.output}, {"decision", ctx.args.method}});
  });
  auto* grant = rv->add_subcommand("grant-exception", "Grant the exception the analyst asked for");
  id_option(grant);
  grant->add_option("output", a.output)->required();
  grant->callback([&ctx] {
    ctx.status = Act(
        ctx,
        [&](zone::Zone& z, const zone::Caller& c) {
          return zone::GrantException(z, c, ctx.args.object_id, ctx.args.output);
        },
        "/review/grant-exception", {{"output", ctx.args.output}});
  });
  auto* conclude = rv->add_subcommand(
      "conclude", "Conclude: decisions become final (or --return to the analyst)");
  id_option(conclude);
  conclude->add_flag("--return", a.return_request, "Return the request to the analyst");
  conclude->add_option("--override", a.overrides,
                       "OUTPUT=approve|reject: the consolidated decision, repeatable");
  conclude->callback([&ctx] { ctx.status = Conclude(ctx); });
  auto* release =
      rv->add_subcommand("release", "Build, sign and store the release of an approved request");
  id_option(release);
  release->callback([&ctx] { ctx.status = Release(ctx); });
  for (auto* parent : {ex, rv}) {
    auto* comment = parent->add_subcommand("comment", "Comment on a request or one of its outputs");
    id_option(comment);
    comment->add_option("text", a.text)->required();
    comment->add_option("--output", a.output, "The output the comment is about");
    comment->add_flag("--reviewers-only", a.reviewers_only, "Visible to reviewers only");
    comment->callback([&ctx] {
      zone::Visibility v =
          ctx.args.reviewers_only ? zone::Visibility::kReviewers : zone::Visibility::kAnalyst;
      ctx.status = Act(
          ctx,
          [&](zone::Zone& z, const zone::Caller& c) {
            return zone::CommentOnExport(z, c, ctx.args.object_id, ctx.args.output, v,
                                         ctx.args.text);
          },
          "/comments",
          {{"text", ctx.args.text},
           {"output", ctx.args.output},
           {"visibility", std::string(zone::VisibilityName(v))}});
    });
  }

  auto* rel = app.add_subcommand("release", "Released packages: download and verify");
  rel->require_subcommand(1);
  auto* download = rel->add_subcommand(
      "download", "Write a release's files into a new directory, or the release as one archive");
  download->add_option("id", a.object_id, "Release id")->required();
  download->add_option("--out", a.out_dir, "Directory to create (file by file)");
  download->add_option("--archive", a.archive, "Tar file to create (one archive)");
  download->callback([&ctx] { ctx.status = Download(ctx); });
  auto* verify = rel->add_subcommand(
      "verify", "Verify a downloaded release (directory or archive) with the zone's public key");
  verify->add_option("dir", a.out_dir, "The release directory or archive")->required();
  verify->callback([&ctx] { ctx.status = Verify(ctx); });
}

}  // namespace sz::cli
