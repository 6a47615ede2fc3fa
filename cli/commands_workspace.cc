// safezone workspace PROJECT [-c SQL | -f FILE]   (interactive without -c/-f)
//
// With --zone: the operator's local workspace. Without: a workspace session on the API
// server for the signed-in analyst, closed when the command ends. Interactive mode reads
// statements ending with ';', keeps a 0600 history file ($SAFEZONE_HISTORY or
// workspace_history in the person's safezone config directory), and Ctrl-C cancels the running statement while the session
// stays open (through the API: a cancel request on a second connection).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/analysis_view.h"
#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "cli/workspace_client.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "workspace/sql_text.h"
#include "zone/analysis_json.h"
#include "zone/workspace.h"

namespace sz::cli {

using nlohmann::json;
namespace ws = sz::workspace;

ws::SandboxLimits WorkspaceLimits(const Args& a) {
  ws::SandboxLimits limits;
  limits.query_timeout = std::chrono::seconds(std::max(1, a.timeout_seconds));
  limits.memory_limit = a.memory_limit;
  if (a.threads > 0) limits.threads = a.threads;
  limits.max_result_rows = static_cast<size_t>(std::max(1, a.max_rows));
  return limits;
}

// ---- RemoteWorkspace ----

namespace {

// Workspace requests wait for statements, which may run up to the server's time limit.
constexpr std::chrono::seconds kStatementWait{15 * 60};

// While alive, sends one cancel request for `path` when Ctrl-C is pressed. The calling
// thread blocks SIGINT meanwhile, so the signal lands on the watcher thread (which only
// sleeps) and never interrupts the TLS read of the waiting request.
class CancelOnInterrupt {
 public:
  explicit CancelOnInterrupt(std::string path) : path_(std::move(path)) {
    InterruptFlag().store(false);
    thread_ = std::thread([this] { Watch(); });  // created before the mask: it takes SIGINT
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &saved_);
  }
  ~CancelOnInterrupt() {
    done_ = true;
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
  }
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

 private:
  void Watch() {
    bool sent = false;
    while (!done_) {
      if (!sent && InterruptFlag().load()) {
        sent = true;
        // A connection of its own: the main one is waiting for the statement.
        if (auto api = SessionClient(); api.ok()) (void)api->Post(path_ + "/cancel");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::string path_;
  std::atomic<bool> done_{false};
  std::thread thread_;
  sigset_t saved_{};
};

}  // namespace

RemoteWorkspace::RemoteWorkspace(server::ApiClient api, json info)
    : api_(std::move(api)),
      info_(std::move(info)),
      path_("/api/v1/workspaces/" + JsonText(info_, "id")) {}

Result<std::unique_ptr<RemoteWorkspace>> RemoteWorkspace::Open(const Args& a) {
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient(kStatementWait));
  json body = {{"timeout_seconds", std::max(1, a.timeout_seconds)},
               {"max_rows", std::max(1, a.max_rows)}};
  SZ_ASSIGN_OR_RETURN(json info,
                      api.Post("/api/v1/projects/" + server::UrlEncode(a.project) + "/workspaces",
                               body));
  return std::unique_ptr<RemoteWorkspace>(new RemoteWorkspace(std::move(api), std::move(info)));
}

RemoteWorkspace::~RemoteWorkspace() { (void)api_.Delete(path_); }

Result<json> RemoteWorkspace::Post(const std::string& suffix, const json& body) {
  CancelOnInterrupt cancel(path_);
  return api_.Post(path_ + suffix, body);
}

Result<json> RemoteWorkspace::Run(const std::string& sql) {
  SZ_ASSIGN_OR_RETURN(json reply, Post("/run", {{"sql", sql}}));
  return reply["results"];
}

Result<json> RemoteWorkspace::Save(const json& body) { return Post("/outputs", body); }

namespace {

// What the prompt talks to: the local workspace or a session on the server.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string project() const = 0;
  virtual json tables() const = 0;  // [{name, columns}]
  // One statement; its result as JSON.
  virtual Result<json> Run(const std::string& statement) = 0;
};

class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(std::unique_ptr<zone::Workspace> w) : w_(std::move(w)) {}
  std::string project() const override { return w_->project().name; }
  json tables() const override {
    json out = json::array();
    for (const auto& t : w_->tables()) out.push_back({{"name", t.name}, {"columns", t.columns}});
    return out;
  }
  Result<json> Run(const std::string& statement) override {
    InterruptFlag().store(false);
    SZ_ASSIGN_OR_RETURN(auto r, w_->Run(statement, &InterruptFlag()));
    return zone::ToJson(r);
  }

 private:
  std::unique_ptr<zone::Workspace> w_;
};

class RemoteBackend final : public Backend {
 public:
  explicit RemoteBackend(std::unique_ptr<RemoteWorkspace> w) : w_(std::move(w)) {}
  std::string project() const override { return JsonText(w_->info(), "project"); }
  json tables() const override { return w_->info()["tables"]; }
  Result<json> Run(const std::string& statement) override {
    SZ_ASSIGN_OR_RETURN(json results, w_->Run(statement));
    if (!results.is_array() || results.size() != 1)
      return Internal("the server answered one statement with another number of results");
    return results[0];
  }

 private:
  std::unique_ptr<RemoteWorkspace> w_;
};

void Show(const Context& ctx, const json& result) {
  if (ctx.json)
    PrintJson(result);
  else
    RenderStatement(result);
}

// A 0600 history file: $SAFEZONE_HISTORY, else workspace_history beside the session
// file (the person's 0700 safezone config directory: statements may quote values).
std::string HistoryPath() {
  if (const char* path = std::getenv("SAFEZONE_HISTORY"); path && *path) return path;
  auto session = SessionPath();
  if (!session.ok()) return "";
  std::filesystem::path dir = std::filesystem::path(*session).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "";
  ::chmod(dir.c_str(), 0700);
  return (dir / "workspace_history").string();
}

class History {
 public:
  History() {
    std::string p = HistoryPath();
    if (p.empty()) return;
    fd_ = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::fchmod(fd_, 0600);  // also when it existed with wider permissions
  }
  ~History() {
    if (fd_ >= 0) ::close(fd_);
  }
  History(const History&) = delete;
  History& operator=(const History&) = delete;
  void Add(const std::string& statement) {
    if (fd_ < 0) return;
    std::string line = statement + ";\n";
    [[maybe_unused]] ssize_t n = ::write(fd_, line.data(), line.size());
  }

 private:
  int fd_ = -1;
};

// True when `buffer` holds at least one complete statement (a top-level ';').
bool Complete(const std::string& buffer) {
  auto tokens = ws::Tokenize(buffer);
  if (!tokens.ok()) return false;  // an open string or comment: keep reading
  for (const auto& t : *tokens)
    if (t.kind == ws::TokenKind::kSymbol && t.text == ";") return true;
  return false;
}

Status Interactive(Context& ctx, Backend& w) {
  History history;
  json tables = w.tables();
  std::printf(
      "workspace %s: %zu approved table(s). End statements with ';'. .tables lists them, .quit "
      "leaves.\n"
      "Ctrl-C cancels the running query; Ctrl-D leaves.\n",
      w.project().c_str(), tables.size());
  std::string buffer;
  while (true) {
    std::fputs(buffer.empty() ? "sql> " : "...> ", stdout);
    std::fflush(stdout);
    InterruptFlag().store(false);
    std::string line;
    if (!std::getline(std::cin, line)) {
      if (InterruptFlag().load()) {  // Ctrl-C at the prompt: drop the line, keep the session
        std::cin.clear();
        std::clearerr(stdin);
        buffer.clear();
        std::printf("\n");
        continue;
      }
      break;  // end of input
    }
    if (buffer.empty() && (line == ".quit" || line == ".exit")) break;
    if (buffer.empty() && line == ".tables") {
      for (const auto& t : tables) {
        std::string cols;
        for (const auto& c : t["columns"]) cols += (cols.empty() ? "" : ", ") + c.get<std::string>();
        std::printf("%s (%s, %s)\n", JsonText(t, "name").c_str(), cols.c_str(),
                    std::string(ws::kPersonColumn).c_str());
      }
      continue;
    }
    buffer += line + "\n";
    if (!Complete(buffer)) continue;
    auto statements = ws::SplitStatements(buffer);
    buffer.clear();
    if (!statements.ok()) {
      PrintError(statements.status());
      continue;
    }
    for (const std::string& s : *statements) {
      history.Add(s);
      auto r = w.Run(s);
      if (r.ok())
        Show(ctx, *r);
      else
        PrintError(r.status());
    }
  }
  return OkStatus();
}

Status Workspace(Context& ctx) {
  const Args& a = ctx.args;
  if (!a.sql.empty() && !a.script_file.empty())
    return InvalidArgument("pass -c SQL or -f FILE, not both");
  std::string script = a.sql;
  if (!a.script_file.empty()) {
    auto text = storage::ReadSmallFile(a.script_file, 16u << 20);
    if (!text.ok()) return text.status().WithContext("script");
    script = *text;
  }
  std::unique_ptr<zone::Zone> zone;  // outlives the local workspace
  std::unique_ptr<Backend> backend;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(zone, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto w, zone::Workspace::Open(*zone, zone::Caller::Operator(), a.project,
                                                      WorkspaceLimits(a)));
    backend = std::make_unique<LocalBackend>(std::move(w));
  } else {
    SZ_ASSIGN_OR_RETURN(auto w, RemoteWorkspace::Open(a));
    backend = std::make_unique<RemoteBackend>(std::move(w));
  }
  if (script.empty()) return Interactive(ctx, *backend);
  SZ_ASSIGN_OR_RETURN(auto statements, ws::SplitStatements(script));
  for (const std::string& s : statements) {
    SZ_ASSIGN_OR_RETURN(json r, backend->Run(s));
    Show(ctx, r);
  }
  return OkStatus();
}

}  // namespace

void AddWorkspaceCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* wsc = app.add_subcommand("workspace",
                                 "SQL over a project's approved data (interactive, or -c / -f)");
  wsc->add_option("project", a.project)->required();
  wsc->add_option("-c,--command", a.sql, "SQL to run (one or more statements)");
  wsc->add_option("-f,--file", a.script_file, "SQL script to run");
  wsc->add_option("--timeout", a.timeout_seconds,
                  "Time limit per statement in seconds (default 60; the server may allow less)");
  wsc->add_option("--memory", a.memory_limit, "Memory limit (default 2GB; local mode)");
  wsc->add_option("--threads", a.threads, "Threads (default 2; local mode)");
  wsc->add_option("--max-rows", a.max_rows, "Rows shown per statement (default 1000)");
  wsc->callback([&ctx] { ctx.status = Workspace(ctx); });
}

}  // namespace sz::cli
