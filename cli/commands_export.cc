// safezone export request|list|show|check|mitigate|exception|submit|withdraw|comment
//          review show|start|decide|grant-exception|conclude|comment|release
//          release download|verify
// Local operator mode (Caller::Operator()); people use the HTTPS API.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/app.h"
#include "cli/render.h"
#include "crypto/secret.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "zone/analysis_json.h"
#include "zone/exports.h"
#include "zone/releases.h"

namespace sz::cli {

namespace {

namespace dc = sz::disclosure;

void PrintJson(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

void RenderRequest(const Context& ctx, const zone::ExportRequest& r) {
  if (ctx.json) {
    PrintJson(zone::ToJson(r, ctx.args.cells));
    return;
  }
  std::printf("export request %lld of %s by %s: %s%s\n", static_cast<long long>(r.id),
              r.project.c_str(), r.requester.c_str(),
              std::string(zone::ExportStateName(r.state)).c_str(),
              r.two_reviewers ? " (two-reviewer)" : "");
  Table items(
      {"output", "kind", "rev", "verdict", "mitigation", "exception", "decision", "summary"});
  for (const auto& item : r.items) {
    std::string exception = item.exception_request.empty() ? ""
                            : item.exception_granted       ? "granted"
                                                           : "requested";
    items.Add({item.output_name, std::string(zone::OutputKindName(item.kind)),
               std::to_string(item.revision), std::string(dc::VerdictName(item.verdict)),
               std::string(zone::MitigationName(item.mitigation)), exception,
               std::string(zone::DecisionName(item.decision)), item.summary});
  }
  std::fputs(items.Render().c_str(), stdout);
  if (ctx.args.cells) {
    for (const auto& item : r.items) {
      for (size_t c = 0; c < item.report.cells.size(); ++c) {
        for (const auto& f : item.report.cells[c].findings) {
          std::printf("  %s cell %zu: %s — %s / %s\n", item.output_name.c_str(), c,
                      std::string(dc::VerdictName(f.verdict)).c_str(), f.en.c_str(), f.ko.c_str());
        }
      }
      for (const auto& f : item.report.findings) {
        std::printf("  %s: %s — %s / %s\n", item.output_name.c_str(),
                    std::string(dc::VerdictName(f.verdict)).c_str(), f.en.c_str(), f.ko.c_str());
      }
    }
  }
  for (const auto& c : r.comments) {
    std::printf("  [%s, %s] %s: %s\n", c.at.c_str(),
                std::string(zone::VisibilityName(c.visibility)).c_str(), c.author.c_str(),
                c.body.c_str());
  }
  if (r.release_id != 0) {
    std::printf("released as release %lld: safezone release download %lld --out DIR\n",
                static_cast<long long>(r.release_id), static_cast<long long>(r.release_id));
  }
}

using RequestAction = std::function<Result<zone::ExportRequest>(zone::Zone&, const zone::Caller&)>;

Status Act(Context& ctx, const RequestAction& action) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(zone::ExportRequest r, action(*z, zone::Caller::Operator()));
  RenderRequest(ctx, r);
  return OkStatus();
}

Status ListRequests(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto list, zone::ListExports(*z, zone::Caller::Operator(), ctx.args.project));
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : list) out.push_back(zone::ToJson(r, false));
    PrintJson(out);
    return OkStatus();
  }
  Table t({"id", "state", "requester", "outputs", "updated"});
  for (const auto& r : list) {
    std::string outputs;
    for (const auto& i : r.items) outputs += (outputs.empty() ? "" : ", ") + i.output_name;
    t.Add({std::to_string(r.id), std::string(zone::ExportStateName(r.state)), r.requester, outputs,
           r.updated_at});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

Result<zone::Decision> DecisionWord(std::string_view word) {
  if (word == "approve" || word == "approved") return zone::Decision::kApproved;
  if (word == "reject" || word == "rejected") return zone::Decision::kRejected;
  return InvalidArgument("decide 'approve' or 'reject'");
}

Status Conclude(Context& ctx) {
  std::map<std::string, zone::Decision> overrides;
  for (const std::string& o : ctx.args.overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos) return InvalidArgument("--override takes OUTPUT=approve|reject");
    SZ_ASSIGN_OR_RETURN(overrides[o.substr(0, eq)], DecisionWord(o.substr(eq + 1)));
  }
  auto conclusion = ctx.args.return_request ? zone::Conclusion::kReturn : zone::Conclusion::kDecide;
  return Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
    return zone::ConcludeReview(z, c, ctx.args.object_id, conclusion, overrides);
  });
}

Status Release(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto info, zone::ReleaseExport(*z, zone::Caller::Operator(), ctx.args.object_id));
  if (ctx.json) {
    PrintJson(zone::ToJson(info));
  } else {
    std::printf("released request %lld as release %lld (manifest sha256 %s, key %s)\n",
                static_cast<long long>(info.request_id), static_cast<long long>(info.id),
                info.manifest_sha256.c_str(), info.key_id.c_str());
  }
  return OkStatus();
}

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

Status Download(Context& ctx) {
  if (ctx.args.out_dir.empty()) return InvalidArgument("pass --out DIR");
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto pkg, zone::DownloadRelease(*z, zone::Caller::Operator(), ctx.args.object_id));
  SZ_RETURN_IF_ERROR(WriteFiles(ctx.args.out_dir, pkg.files));
  std::printf("release %lld: %zu files in %s (signature and hashes verified)\n",
              static_cast<long long>(ctx.args.object_id), pkg.files.size(), ctx.args.out_dir.c_str());
  return OkStatus();
}

// Verifies a downloaded release directory with the zone's public key.
Status Verify(Context& ctx) {
  namespace fs = std::filesystem;
  std::vector<dc::ReleaseFile> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(ctx.args.out_dir, ec)) {
    if (!e.is_regular_file()) continue;
    SZ_ASSIGN_OR_RETURN(std::string content, storage::ReadSmallFile(e.path().string(), 256u << 20));
    files.push_back({fs::relative(e.path(), ctx.args.out_dir).string(), std::move(content)});
  }
  if (ec) return NotFound(fmt::format("cannot read {}", ctx.args.out_dir));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(std::string key, zone::ReleasePublicKey(*z));
  SZ_RETURN_IF_ERROR(zone::VerifyReleaseFiles(files, key));
  std::printf("%s: signature and all %zu file hashes verify (key %s)\n", ctx.args.out_dir.c_str(),
              files.size(), crypto::ToBase64(key).c_str());
  return OkStatus();
}

}  // namespace

void AddExportCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto id_option = [&a](CLI::App* cmd) {
    cmd->add_option("id", a.object_id, "Export request id")->required();
  };

  auto* ex =
      app.add_subcommand("export", "Export requests: checks, mitigations, exceptions, submission");
  ex->require_subcommand(1);
  auto* request =
      ex->add_subcommand("request", "Request the export of outputs; the checks run at once");
  request->add_option("project", a.project)->required();
  request->add_option("outputs", a.outputs, "Output names")->required();
  request->add_option("--purpose", a.purpose, "What the outputs are for");
  request->add_flag("--cells", a.cells, "Show every cell's verdict and reasons");
  request->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::RequestExport(z, c, ctx.args.project, ctx.args.outputs, ctx.args.purpose);
    });
  });
  auto* list = ex->add_subcommand("list", "Export requests of a project");
  list->add_option("project", a.project)->required();
  list->callback([&ctx] { ctx.status = ListRequests(ctx); });
  auto* show = ex->add_subcommand("show", "Show a request with its check report");
  id_option(show);
  show->add_flag("--cells", a.cells, "Show every cell's verdict and reasons");
  show->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::ShowExport(z, c, ctx.args.object_id);
    });
  });
  auto* check = ex->add_subcommand("check", "Re-run the checks on the outputs' current revisions");
  id_option(check);
  check->add_flag("--cells", a.cells, "Show every cell's verdict and reasons");
  check->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::RecheckExport(z, c, ctx.args.object_id);
    });
  });
  auto* mitigate = ex->add_subcommand(
      "mitigate", "Suppress (with secondary suppression), round, or redact then round");
  id_option(mitigate);
  mitigate->add_option("output", a.output)->required();
  mitigate->add_option("--method", a.method, "suppress, round, redact_round or none")->required();
  mitigate->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) -> Result<zone::ExportRequest> {
      SZ_ASSIGN_OR_RETURN(zone::Mitigation m, zone::ParseMitigation(ctx.args.method));
      return zone::MitigateOutput(z, c, ctx.args.object_id, ctx.args.output, m);
    });
  });
  auto* exception =
      ex->add_subcommand("exception", "Ask for an exception for an output, with a justification");
  id_option(exception);
  exception->add_option("output", a.output)->required();
  exception->add_option("--justification", a.justification)->required();
  exception->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::RequestException(z, c, ctx.args.object_id, ctx.args.output, ctx.args.justification);
    });
  });
  auto* submit = ex->add_subcommand("submit", "Submit for review");
  id_option(submit);
  submit->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::SubmitExport(z, c, ctx.args.object_id);
    });
  });
  auto* withdraw = ex->add_subcommand("withdraw", "Withdraw the request");
  id_option(withdraw);
  withdraw->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::WithdrawExport(z, c, ctx.args.object_id);
    });
  });

  auto* rv =
      app.add_subcommand("review", "Review export requests: decide, comment, conclude, release");
  rv->require_subcommand(1);
  auto* rlist = rv->add_subcommand("list", "Requests of a project");
  rlist->add_option("project", a.project)->required();
  rlist->callback([&ctx] { ctx.status = ListRequests(ctx); });
  auto* rshow = rv->add_subcommand("show", "Show a request (reviewer view)");
  id_option(rshow);
  rshow->add_flag("--cells", a.cells, "Show every cell's verdict and reasons");
  rshow->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::ShowExport(z, c, ctx.args.object_id);
    });
  });
  auto* start = rv->add_subcommand("start", "Start reviewing a submitted request");
  id_option(start);
  start->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::StartReview(z, c, ctx.args.object_id);
    });
  });
  auto* decide = rv->add_subcommand("decide", "Approve or reject one output");
  id_option(decide);
  decide->add_option("output", a.output)->required();
  decide->add_option("decision", a.method, "approve or reject")->required();
  decide->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) -> Result<zone::ExportRequest> {
      SZ_ASSIGN_OR_RETURN(zone::Decision d, DecisionWord(ctx.args.method));
      return zone::DecideOutput(z, c, ctx.args.object_id, ctx.args.output, d);
    });
  });
  auto* grant = rv->add_subcommand("grant-exception", "Grant the exception the analyst asked for");
  id_option(grant);
  grant->add_option("output", a.output)->required();
  grant->callback([&ctx] {
    ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
      return zone::GrantException(z, c, ctx.args.object_id, ctx.args.output);
    });
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
      ctx.status = Act(ctx, [&](zone::Zone& z, const zone::Caller& c) {
        return zone::CommentOnExport(
            z, c, ctx.args.object_id, ctx.args.output,
            ctx.args.reviewers_only ? zone::Visibility::kReviewers : zone::Visibility::kAnalyst,
            ctx.args.text);
      });
    });
  }

  auto* rel = app.add_subcommand("release", "Released packages: download and verify");
  rel->require_subcommand(1);
  auto* download = rel->add_subcommand("download", "Write a release's files into a new directory");
  download->add_option("id", a.object_id, "Release id")->required();
  download->add_option("--out", a.out_dir, "Directory to create")->required();
  download->callback([&ctx] { ctx.status = Download(ctx); });
  auto* verify =
      rel->add_subcommand("verify", "Verify a downloaded release with the zone's public key");
  verify->add_option("dir", a.out_dir)->required();
  verify->callback([&ctx] { ctx.status = Verify(ctx); });
}

}  // namespace sz::cli
