#include "zone/workspace_sessions.h"

#include <algorithm>
#include <regex>

#include "crypto/secret.h"
#include "fmt/format.h"
#include "zone/projects.h"

namespace sz::zone {

struct WorkspaceSessions::Session {
  std::string id;
  int64_t user_id = 0;
  std::string project;
  std::string project_object;  // the audit label of the project
  workspace::SandboxLimits limits;
  std::unique_ptr<Workspace> workspace;
  // Guarded by the registry's mutex.
  Time opened{};
  Time last_used{};
  // One request at a time.
  std::mutex work_mu;
  std::atomic<bool> running{false};
  std::atomic<bool> cancel{false};
  std::atomic<bool> closed{false};
};

namespace {

bool WellFormedId(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status NoSuchSession(std::chrono::seconds idle) {
  return NotFound(fmt::format(
      "no open workspace session with this id (sessions close after {} min without use); open "
      "a new one",
      idle.count() / 60));
}

// A person's request with another person's session: refused and on the audit trail.
Status RefuseForeign(Zone& zone, const Caller& caller, std::string_view project_object) {
  audit::Entry e;
  e.actor = caller.Label();
  e.action = std::string(authz::ActionName(authz::Action::kWorkspaceQuery));
  e.object = std::string(project_object);
  e.outcome = audit::Outcome::kDeny;
  e.reason = "workspace session of another person";
  e.request_id = caller.request_id;
  (void)authz::AppendStandalone(zone.db(), zone.audit(), e);
  return PermissionDenied(
      "this workspace session belongs to another person; open your own session on the project");
}

}  // namespace

WorkspaceSessions::WorkspaceSessions(WorkspaceSessionOptions options)
    : options_(std::move(options)) {
  if (options_.sweep_interval.count() > 0) {
    sweeper_ = std::thread([this] {
      std::unique_lock lock(mu_);
      while (!stopping_) {
        stop_cv_.wait_for(lock, options_.sweep_interval);
        if (stopping_) break;
        lock.unlock();
        Sweep();
        lock.lock();
      }
    });
  }
}

WorkspaceSessions::~WorkspaceSessions() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, s] : sessions_) s->cancel = true;
  }
  stop_cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

Time WorkspaceSessions::Now() const {
  return options_.clock ? options_.clock->Now() : SystemClock::Get().Now();
}

WorkspaceSessionInfo WorkspaceSessions::InfoOf(const Session& s) {
  WorkspaceSessionInfo info;
  info.id = s.id;
  info.user_id = s.user_id;
  info.project = s.project;
  info.opened = s.opened;
  info.last_used = s.last_used;
  info.running = s.running.load();
  info.limits = s.limits;
  info.tables = s.workspace->tables();  // fixed once the sandbox is loaded
  return info;
}

Result<WorkspaceSessionInfo> WorkspaceSessions::Open(Zone& zone, const Caller& caller,
                                                     std::string_view project,
                                                     const RequestedLimits& requested) {
  if (caller.is_operator()) {
    return InvalidArgument(
        "the operator works in the workspace locally (safezone --zone ... workspace)");
  }
  if (shutting_down_) return Unavailable("the server is shutting down; try again shortly");
  Sweep();
  workspace::SandboxLimits limits = options_.limits;
  if (requested.query_timeout.count() > 0)
    limits.query_timeout = std::min<std::chrono::milliseconds>(limits.query_timeout,
                                                               requested.query_timeout);
  if (requested.max_result_rows > 0)
    limits.max_result_rows = std::min(limits.max_result_rows, requested.max_result_rows);
  // Make room among the person's own sessions first: their least recently used idle one.
  bool full = false;
  {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<Session>> own;
    for (const auto& [id, s] : sessions_)
      if (s->user_id == caller.user_id()) own.push_back(s);
    if (static_cast<int>(own.size()) >= options_.max_per_person) {
      std::shared_ptr<Session> oldest;
      for (const auto& s : own) {
        if (s->running) continue;
        if (!oldest || s->last_used < oldest->last_used) oldest = s;
      }
      if (!oldest) {
        return ResourceExhausted(fmt::format(
            "all your {} workspace sessions are running statements; wait for one or cancel it",
            own.size()));
      }
      oldest->closed = true;
      sessions_.erase(oldest->id);
    }
    full = static_cast<int>(sessions_.size()) >= options_.max_sessions;
  }
  if (full) {
    // People who may not see the project learn nothing, not even that the zone is busy.
    SZ_RETURN_IF_ERROR(ShowProject(zone, caller, project).status());
    std::lock_guard lock(mu_);
    return ResourceExhausted(fmt::format(
        "the zone has {} open workspace sessions, its limit; try again later", sessions_.size()));
  }
  // Loading the data takes a while: outside the registry's lock.
  SZ_ASSIGN_OR_RETURN(std::unique_ptr<Workspace> w, Workspace::Open(zone, caller, project, limits));
  auto s = std::make_shared<Session>();
  s->id = crypto::ToHex(crypto::RandomBytes(16));
  s->user_id = caller.user_id();
  s->project = w->project().name;
  s->project_object = authz::ObjectLabel(ProjectObject(w->project()));
  s->limits = limits;
  s->workspace = std::move(w);
  s->opened = s->last_used = Now();
  std::lock_guard lock(mu_);
  if (static_cast<int>(sessions_.size()) >= options_.max_sessions) {
    return ResourceExhausted(fmt::format(
        "the zone has {} open workspace sessions, its limit; try again later", sessions_.size()));
  }
  sessions_[s->id] = s;
  return InfoOf(*s);
}

Result<std::shared_ptr<WorkspaceSessions::Session>> WorkspaceSessions::Find(
    Zone& zone, const Caller& caller, std::string_view id) {
  if (!WellFormedId(id)) return NoSuchSession(options_.idle_timeout);
  std::shared_ptr<Session> s;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(id));
    if (it == sessions_.end()) return NoSuchSession(options_.idle_timeout);
    s = it->second;
  }
  if (caller.is_operator() || s->user_id != caller.user_id()) {
    return RefuseForeign(zone, caller, s->project_object);
  }
  return s;
}

Status WorkspaceSessions::Use(Zone& zone, const Caller& caller, std::string_view id,
                              const Work& work) {
  Sweep();
  SZ_ASSIGN_OR_RETURN(std::shared_ptr<Session> s, Find(zone, caller, id));
  std::unique_lock work_lock(s->work_mu, std::try_to_lock);
  if (!work_lock.owns_lock()) {
    return Aborted(
        "a statement is running in this workspace session; wait for it to finish or cancel it");
  }
  if (s->closed) return NoSuchSession(options_.idle_timeout);
  if (shutting_down_) return Unavailable("the server is shutting down; try again shortly");
  if (running_.fetch_add(1) >= options_.max_running) {
    running_.fetch_sub(1);
    return ResourceExhausted(fmt::format(
        "the zone is running {} workspace statements, its limit; try again in 5 s",
        options_.max_running));
  }
  {
    std::lock_guard lock(mu_);
    s->last_used = Now();
  }
  s->cancel = false;
  s->running = true;
  Status outcome = s->workspace->Rebind(zone, caller);
  if (outcome.ok()) outcome = work(*s->workspace, &s->cancel);
  s->running = false;
  running_.fetch_sub(1);
  std::lock_guard lock(mu_);
  s->last_used = Now();
  return outcome;
}

Result<bool> WorkspaceSessions::Cancel(Zone& zone, const Caller& caller, std::string_view id) {
  SZ_ASSIGN_OR_RETURN(std::shared_ptr<Session> s, Find(zone, caller, id));
  if (!s->running) return false;
  // The workspace's watchdog sees the flag within a few milliseconds and interrupts.
  s->cancel = true;
  return true;
}

Status WorkspaceSessions::Close(Zone& zone, const Caller& caller, std::string_view id) {
  SZ_ASSIGN_OR_RETURN(std::shared_ptr<Session> s, Find(zone, caller, id));
  s->closed = true;
  s->cancel = true;  // a running statement stops; the session goes when it returns
  std::lock_guard lock(mu_);
  sessions_.erase(s->id);
  return OkStatus();
}

Result<WorkspaceSessionInfo> WorkspaceSessions::Get(Zone& zone, const Caller& caller,
                                                    std::string_view id) {
  SZ_ASSIGN_OR_RETURN(std::shared_ptr<Session> s, Find(zone, caller, id));
  std::lock_guard lock(mu_);
  return InfoOf(*s);
}

std::vector<WorkspaceSessionInfo> WorkspaceSessions::List(const Caller& caller) {
  std::vector<WorkspaceSessionInfo> out;
  if (caller.is_operator()) return out;
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : sessions_)
    if (s->user_id == caller.user_id()) out.push_back(InfoOf(*s));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.last_used > b.last_used;
  });
  return out;
}

size_t WorkspaceSessions::Sweep() {
  std::vector<std::shared_ptr<Session>> idle;  // destroyed outside the lock
  {
    std::lock_guard lock(mu_);
    Time now = Now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      const Session& s = *it->second;
      if (!s.running && now - s.last_used > options_.idle_timeout) {
        it->second->closed = true;
        idle.push_back(it->second);
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return idle.size();
}

void WorkspaceSessions::CancelAll() {
  shutting_down_ = true;
  std::lock_guard lock(mu_);
  for (auto& [id, s] : sessions_)
    if (s->running) s->cancel = true;
}

size_t WorkspaceSessions::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace sz::zone
