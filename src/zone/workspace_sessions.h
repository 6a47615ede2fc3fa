// Workspace sessions: the open workspaces of people working through the API, kept in
// memory by the server between requests.
//
// A session is one person's open Workspace (workspace.h) on one project, named by a
// random id (128 bits from the CSPRNG, 32 hex characters). The data it loaded stays in
// its in-memory sandbox until the session is closed, so a person can run statement after
// statement, tabulate and save outputs without reloading. Rules:
//   - Open() goes through Workspace::Open (workspace.open: the project's analyst, a
//     member, project active; audited). A person holds at most `max_per_person` sessions:
//     opening one more closes their least recently used idle session. The zone holds at
//     most `max_sessions` (each keeps its data in memory): beyond that ResourceExhausted.
//   - Only the person who opened a session may use, cancel or close it. Someone else's id
//     is PermissionDenied, audited as a denied workspace.query on the project; an unknown
//     (or expired) id is NotFound.
//   - One request at a time per session (Aborted while a statement runs: wait or cancel),
//     and at most `max_running` statements across all sessions (ResourceExhausted), so
//     that running queries, each holding one zone connection, never take them all.
//   - Cancel() stops the session's running statement from another request; the session
//     stays open (the statement fails with Cancelled).
//   - A session unused for `idle_timeout` is closed by Sweep() (called on every open and
//     use, and by the server's timer).
// Every statement is re-authorized and audited by the Workspace itself, with the current
// request's id and the person's current roles (Workspace::Rebind).
//
// Thread-safety: all methods may be called from any thread. A session's work runs under
// its own lock; Cancel() does not wait for it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "workspace/sandbox.h"
#include "zone/access.h"
#include "zone/workspace.h"
#include "zone/zone.h"

namespace sz::zone {

struct WorkspaceSessionOptions {
  std::chrono::seconds idle_timeout{15 * 60};  // Default: 15 min
  int max_per_person = 2;                      // Default: 2
  int max_sessions = 16;                       // Default: 16
  int max_running = 4;                         // Default: 4 statements at once
  // The most a session may ask for; a person may ask for less (time, rows). Default: the
  // workspace defaults (60 s, 2GB, 2 threads, 10,000 rows).
  workspace::SandboxLimits limits;
  const Clock* clock = nullptr;  // Default: SystemClock
  // How often a background thread calls Sweep(); 0: never (tests call it). Default: 30 s.
  std::chrono::milliseconds sweep_interval{30'000};
};

struct WorkspaceSessionInfo {
  std::string id;
  int64_t user_id = 0;
  std::string project;
  Time opened{};
  Time last_used{};
  bool running = false;
  workspace::SandboxLimits limits;
  std::vector<workspace::SandboxTable> tables;  // approved tables and their columns
};

// What a person asks for when opening; 0 means the server's limit.
struct RequestedLimits {
  std::chrono::seconds query_timeout{0};
  size_t max_result_rows = 0;
};

class WorkspaceSessions {
 public:
  explicit WorkspaceSessions(WorkspaceSessionOptions options);
  ~WorkspaceSessions();
  WorkspaceSessions(const WorkspaceSessions&) = delete;
  WorkspaceSessions& operator=(const WorkspaceSessions&) = delete;

  // Opens a session for `caller` (a person) on `project`. InvalidArgument for the
  // operator (who works locally) or limits above the server's; the Workspace's errors.
  Result<WorkspaceSessionInfo> Open(Zone& zone, const Caller& caller, std::string_view project,
                                    const RequestedLimits& requested = {});

  // Runs `work` on the session's workspace, rebound to `zone` and `caller`, with the
  // session's cancel flag. Errors: NotFound, PermissionDenied (someone else's session),
  // Aborted (busy), ResourceExhausted (too many running), and `work`'s own.
  using Work = std::function<Status(Workspace& workspace, const std::atomic<bool>* cancel)>;
  Status Use(Zone& zone, const Caller& caller, std::string_view id, const Work& work);

  // Stops the running statement, if any (returns whether one was running).
  Result<bool> Cancel(Zone& zone, const Caller& caller, std::string_view id);
  // Closes the session (a running statement is stopped first).
  Status Close(Zone& zone, const Caller& caller, std::string_view id);
  Result<WorkspaceSessionInfo> Get(Zone& zone, const Caller& caller, std::string_view id);
  // The caller's sessions, most recently used first.
  std::vector<WorkspaceSessionInfo> List(const Caller& caller);

  // Stops every running statement and refuses new work (Unavailable): server shutdown.
  void CancelAll();
  // Closes sessions idle for longer than the timeout; returns how many.
  size_t Sweep();
  size_t size();
  const WorkspaceSessionOptions& options() const { return options_; }

 private:
  struct Session;
  Time Now() const;
  // The session `id` if `caller` owns it (a foreign id is audited and refused).
  Result<std::shared_ptr<Session>> Find(Zone& zone, const Caller& caller, std::string_view id);
  static WorkspaceSessionInfo InfoOf(const Session& s);

  WorkspaceSessionOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
  std::atomic<int> running_{0};
  std::atomic<bool> shutting_down_{false};
  // The sweeper thread.
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace sz::zone
