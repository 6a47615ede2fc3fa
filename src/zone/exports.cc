#include "zone/exports.h"

#include <algorithm>
#include <set>

#include "fmt/format.h"
#include "zone/export_checks.h"
#include "zone/output_json.h"

namespace sz::zone {

namespace dc = sz::disclosure;
using authz::Action;

namespace {

constexpr std::string_view kStateNames[] = {"draft",    "submitted",          "in_review",
                                            "approved", "partially_approved", "returned",
                                            "rejected", "released",           "withdrawn"};
constexpr std::string_view kMitigationNames[] = {"none", "suppress", "round", "redact_round"};
constexpr std::string_view kDecisionNames[] = {"pending", "approved", "rejected"};
constexpr std::string_view kVisibilityNames[] = {"analyst", "reviewers"};
constexpr size_t kMaxText = 4000;

template <typename E, size_t N>
Result<E> Parse(const std::string_view (&names)[N], std::string_view text, std::string_view what) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  std::string list;
  for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  return InvalidArgument(
      fmt::format("unknown {} '{}' (one of: {})", what, text.substr(0, 40), list));
}

dc::Verdict VerdictFrom(std::string_view s) {
  if (s == "fail") return dc::Verdict::kFail;
  if (s == "review") return dc::Verdict::kReview;
  return dc::Verdict::kPass;
}

std::string Now(Zone& zone) { return FormatUtc(zone.clock().Now()); }

bool Concluded(ExportState s) {
  return s == ExportState::kApproved || s == ExportState::kPartiallyApproved ||
         s == ExportState::kRejected || s == ExportState::kReleased;
}

// The analyst's view of a request: comments for the analyst, no votes, decisions only
// once concluded. A reviewer's: every comment; their own votes, and others' once they
// voted on that output themselves or the review is concluded.
ExportRequest ForViewer(ExportRequest r, const Caller& caller) {
  if (caller.is_operator()) return r;
  bool analyst = caller.user_id() == r.requester_user;
  if (analyst) {
    std::erase_if(r.comments,
                  [](const Comment& c) { return c.visibility != Visibility::kAnalyst; });
    for (ExportItem& item : r.items) {
      item.votes.clear();
      if (!Concluded(r.state)) item.decision = Decision::kPending;
    }
    return r;
  }
  for (ExportItem& item : r.items) {
    bool voted = std::any_of(item.votes.begin(), item.votes.end(),
                             [&](const Vote& v) { return v.reviewer_user == caller.user_id(); });
    if (!voted && !Concluded(r.state)) item.votes.clear();
    if (r.two_reviewers && !Concluded(r.state)) item.decision = Decision::kPending;
  }
  return r;
}

Result<ExportItem*> ItemNamed(ExportRequest& r, std::string_view output) {
  for (ExportItem& item : r.items)
    if (item.output_name == output) return &item;
  return NotFound(
      fmt::format("output '{}' is not part of export request {}", output.substr(0, 64), r.id));
}

Status RequireState(const ExportRequest& r, std::initializer_list<ExportState> allowed,
                    std::string_view doing) {
  for (ExportState s : allowed)
    if (r.state == s) return OkStatus();
  return FailedPrecondition(
      fmt::format("export request {} is {}: cannot {}", r.id, ExportStateName(r.state), doing));
}

Status SaveItemCheck(Zone& zone, int64_t request, const ExportItem& item, const ItemCheck& check) {
  return zone.db().Run(
      "UPDATE export_items SET revision = ?3, checked_sha256 = ?4, verdict = ?5, summary = ?6, "
      "report = ?7, "
      "mitigation = ?8, mitigation_result = ?9, exception_request = ?10, exception_granted = ?11 "
      "WHERE request_id = ?1 AND output_id = ?2",
      request, item.output_id, item.revision, item.checked_sha256, dc::VerdictName(check.verdict),
      check.summary, ReportToJson(check.report).dump(), MitigationName(item.mitigation),
      check.mitigation_result, item.exception_request, item.exception_granted ? 1 : 0);
}

// Re-runs the checks of `item` on its revision (verified against the checked hash).
Result<ItemCheck> Recheck(Zone& zone, const Project& project, int64_t request,
                          const ExportItem& item) {
  SZ_ASSIGN_OR_RETURN(OutputContent content,
                      LoadOutputRevision(zone, item.output_id, item.revision));
  if (OutputContentHash(content) != item.checked_sha256) {
    return FailedPrecondition(
        fmt::format("output '{}' is not the revision that was checked; re-check the request",
                    item.output_name));
  }
  SZ_ASSIGN_OR_RETURN(dc::RiskAppetite appetite, ProjectRiskAppetite(zone, project));
  SZ_ASSIGN_OR_RETURN(auto released, LoadReleasedTables(zone, project.id, request));
  return CheckItem(content, item.mitigation, item.exception_granted, item.exception_request,
                   appetite, released);
}

using Change = std::function<Status(ExportRequest&, const Project&)>;

// Loads the request and its project, checks `action`, runs `change` with its audit entry,
// and returns the request as the caller may see it.
Result<ExportRequest> Act(Zone& zone, const Caller& caller, int64_t id, Action action,
                          std::string note, bool requester_only, const Change& change) {
  SZ_ASSIGN_OR_RETURN(ExportRequest r, LoadExport(zone, id));
  SZ_ASSIGN_OR_RETURN(Project project, LoadProjectById(zone, r.project_id));
  authz::Object object =
      action == Action::kExportRequest ? ProjectObject(project) : ExportObject(r, project);
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone, caller, action, object));
  if (requester_only && !caller.is_operator() && caller.user_id() != r.requester_user) {
    Status denied = PermissionDenied("only the requester may change an export request");
    (void)std::move(access).RecordFailure(denied);
    return denied;
  }
  if (Status done =
          Audited(zone, access, authz::AuditDetails::Note(fmt::format("request {}: {}", id, note)),
                  [&]() -> Status { return change(r, project); });
      !done.ok()) {
    return done;
  }
  SZ_ASSIGN_OR_RETURN(ExportRequest after, LoadExport(zone, id));
  return ForViewer(std::move(after), caller);
}

Status ResetDecisions(Zone& zone, int64_t request) {
  SZ_RETURN_IF_ERROR(
      zone.db().Run("UPDATE export_items SET decision = 'pending' WHERE request_id = ?1", request));
  return zone.db().Run("DELETE FROM export_votes WHERE request_id = ?1", request);
}

}  // namespace

std::string_view ExportStateName(ExportState state) { return kStateNames[static_cast<int>(state)]; }
Result<ExportState> ParseExportState(std::string_view name) {
  return Parse<ExportState>(kStateNames, name, "state");
}
std::string_view MitigationName(Mitigation m) { return kMitigationNames[static_cast<int>(m)]; }
Result<Mitigation> ParseMitigation(std::string_view name) {
  return Parse<Mitigation>(kMitigationNames, name, "mitigation");
}
std::string_view DecisionName(Decision d) { return kDecisionNames[static_cast<int>(d)]; }
Result<Decision> ParseDecision(std::string_view name) {
  return Parse<Decision>(kDecisionNames, name, "decision");
}
std::string_view VisibilityName(Visibility v) { return kVisibilityNames[static_cast<int>(v)]; }
Result<Visibility> ParseVisibility(std::string_view name) {
  return Parse<Visibility>(kVisibilityNames, name, "visibility");
}

bool TransitionAllowed(ExportState from, ExportState to) {
  using S = ExportState;
  switch (from) {
    case S::kDraft:
      return to == S::kSubmitted || to == S::kWithdrawn;
    case S::kSubmitted:
      return to == S::kInReview || to == S::kWithdrawn;
    case S::kInReview:
      return to == S::kApproved || to == S::kPartiallyApproved || to == S::kRejected ||
             to == S::kReturned || to == S::kWithdrawn;
    case S::kReturned:
      return to == S::kSubmitted || to == S::kWithdrawn;
    case S::kApproved:
    case S::kPartiallyApproved:
      return to == S::kReleased || to == S::kWithdrawn;
    case S::kRejected:
    case S::kReleased:
    case S::kWithdrawn:
      return false;
  }
  return false;
}

authz::Object ExportObject(const ExportRequest& request, const Project& project) {
  return authz::Object::ExportRequest(request.id, project.Info(), request.requester_user);
}

Status MoveExport(Zone& zone, const ExportRequest& request, ExportState to,
                  std::string_view actor) {
  if (!TransitionAllowed(request.state, to)) {
    return FailedPrecondition(fmt::format("export request {} is {}: it cannot become {}",
                                          request.id, ExportStateName(request.state),
                                          ExportStateName(to)));
  }
  std::string now = Now(zone);
  SZ_RETURN_IF_ERROR(zone.db().Run(
      "UPDATE export_requests SET state = ?3, updated_at = ?4 WHERE id = ?1 AND state = ?2",
      request.id, ExportStateName(request.state), ExportStateName(to), now));
  if (zone.db().Changes() != 1) return Aborted("the export request changed meanwhile; try again");
  return zone.db().Run(
      "INSERT INTO export_events(request_id, seq, from_state, to_state, actor, at) "
      "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM export_events WHERE request_id = ?1), "
      "?2, ?3, ?4, ?5)",
      request.id, ExportStateName(request.state), ExportStateName(to), std::string(actor), now);
}

Result<ExportRequest> LoadExport(Zone& zone, int64_t id) {
  ExportRequest r;
  {
    SZ_ASSIGN_OR_RETURN(auto st,
                        zone.db().Query("SELECT e.id, e.project_id, p.name, e.requester_user, "
                                        "e.requester, e.state, e.two_reviewers, e.purpose, "
                                        "e.created_at, e.updated_at, e.decided_by, e.decided_at, "
                                        "COALESCE((SELECT id FROM releases WHERE "
                                        "request_id = e.id), 0) FROM export_requests e JOIN "
                                        "projects p ON p.id = e.project_id WHERE e.id = ?1",
                                        id));
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return NotFound(fmt::format("there is no export request {}", id));
    r.id = st.Int64(0);
    r.project_id = st.Int64(1);
    r.project = st.Text(2);
    r.requester_user = st.Int64(3);
    r.requester = st.Text(4);
    SZ_ASSIGN_OR_RETURN(r.state, ParseExportState(st.Text(5)));
    r.two_reviewers = st.Int64(6) != 0;
    r.purpose = st.Text(7);
    r.created_at = st.Text(8);
    r.updated_at = st.Text(9);
    r.decided_by = st.Text(10);
    r.decided_at = st.Text(11);
    r.release_id = st.Int64(12);
  }
  {
    SZ_ASSIGN_OR_RETURN(auto st,
                        zone.db().Query("SELECT i.output_id, o.name, o.kind, i.revision, "
                                        "i.checked_sha256, i.verdict, i.summary, i.report, "
                                        "i.mitigation, i.mitigation_result, i.exception_request, "
                                        "i.exception_granted, i.decision "
                                        "FROM export_items i JOIN outputs o ON o.id = i.output_id "
                                        "WHERE i.request_id = ?1 ORDER BY i.position",
                                        id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ExportItem item;
      item.output_id = st.Int64(0);
      item.output_name = st.Text(1);
      SZ_ASSIGN_OR_RETURN(item.kind, ParseOutputKind(st.Text(2)));
      item.revision = static_cast<int>(st.Int64(3));
      item.checked_sha256 = st.Text(4);
      item.verdict = VerdictFrom(st.Text(5));
      item.summary = st.Text(6);
      SZ_ASSIGN_OR_RETURN(Json report, ParseJson(st.Text(7), "stored check report"));
      SZ_ASSIGN_OR_RETURN(item.report, ReportFromJson(report));
      SZ_ASSIGN_OR_RETURN(item.mitigation, ParseMitigation(st.Text(8)));
      item.mitigation_result = st.Text(9);
      item.exception_request = st.Text(10);
      item.exception_granted = st.Int64(11) != 0;
      SZ_ASSIGN_OR_RETURN(item.decision, ParseDecision(st.Text(12)));
      r.items.push_back(std::move(item));
    }
  }
  {
    SZ_ASSIGN_OR_RETURN(auto st,
                        zone.db().Query("SELECT output_id, reviewer_user, reviewer, decision, at "
                                        "FROM export_votes WHERE request_id = ?1 "
                                        "ORDER BY at, reviewer_user",
                                        id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t output = st.Int64(0);
      Vote v{st.Int64(1), st.Text(2), Decision::kPending, st.Text(4)};
      SZ_ASSIGN_OR_RETURN(v.decision, ParseDecision(st.Text(3)));
      for (ExportItem& item : r.items)
        if (item.output_id == output) item.votes.push_back(v);
    }
  }
  {
    SZ_ASSIGN_OR_RETURN(auto st,
                        zone.db().Query("SELECT id, output_id, author, visibility, body, at FROM "
                                        "export_comments WHERE request_id = ?1 ORDER BY id",
                                        id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Comment c{st.Int64(0), st.Int64(1), st.Text(2), Visibility::kAnalyst, st.Text(4), st.Text(5)};
      SZ_ASSIGN_OR_RETURN(c.visibility, ParseVisibility(st.Text(3)));
      r.comments.push_back(std::move(c));
    }
  }
  {
    SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query("SELECT from_state, to_state, actor, at FROM "
                                                 "export_events WHERE request_id = ?1 ORDER BY seq",
                                                 id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      StateChange c;
      SZ_ASSIGN_OR_RETURN(c.from, ParseExportState(st.Text(0)));
      SZ_ASSIGN_OR_RETURN(c.to, ParseExportState(st.Text(1)));
      c.actor = st.Text(2);
      c.at = st.Text(3);
      r.history.push_back(std::move(c));
    }
  }
  return r;
}

Result<ExportRequest> RequestExport(Zone& zone, const Caller& caller, std::string_view project_name,
                                    const std::vector<std::string>& outputs,
                                    std::string_view purpose) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, project_name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kExportRequest, ProjectObject(project)));
  std::vector<std::pair<OutputInfo, ItemCheck>> checked;
  Status prepared = [&]() -> Status {
    SZ_RETURN_IF_ERROR(RequireActive(zone, project));
    if (outputs.empty()) return InvalidArgument("name at least one output to export");
    if (purpose.size() > kMaxText)
      return InvalidArgument("the purpose is too long (4000 bytes at most)");
    std::set<std::string> seen;
    SZ_ASSIGN_OR_RETURN(dc::RiskAppetite appetite, ProjectRiskAppetite(zone, project));
    SZ_ASSIGN_OR_RETURN(auto released, LoadReleasedTables(zone, project.id, 0));
    for (const std::string& name : outputs) {
      if (!seen.insert(name).second)
        return InvalidArgument(fmt::format("output '{}' is listed twice", name));
      SZ_ASSIGN_OR_RETURN(OutputInfo info, OutputByName(zone, project.id, name));
      SZ_ASSIGN_OR_RETURN(OutputContent content, LoadOutputRevision(zone, info.id, info.revision));
      SZ_ASSIGN_OR_RETURN(ItemCheck check,
                          CheckItem(content, Mitigation::kNone, false, "", appetite, released));
      checked.emplace_back(std::move(info), std::move(check));
    }
    return OkStatus();
  }();
  if (!prepared.ok()) {
    (void)std::move(access).RecordFailure(prepared);
    return prepared;
  }
  int64_t id = 0;
  if (Status done = Audited(
          zone, access,
          authz::AuditDetails::Note(fmt::format("export of {} output(s)", outputs.size())),
          [&]() -> Status {
            std::string now = Now(zone);
            SZ_RETURN_IF_ERROR(zone.db().Run(
                "INSERT INTO export_requests(project_id, requester_user, requester, state, "
                "two_reviewers, "
                "purpose, created_at, updated_at) VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?6)",
                project.id, caller.user_id(), caller.Label(), project.two_reviewers ? 1 : 0,
                std::string(purpose), now));
            id = zone.db().LastInsertId();
            for (size_t i = 0; i < checked.size(); ++i) {
              const auto& [info, check] = checked[i];
              SZ_RETURN_IF_ERROR(
                  zone.db().Run("INSERT INTO export_items(request_id, output_id, position, "
                                "revision, checked_sha256, "
                                "verdict, summary, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                id, info.id, static_cast<int64_t>(i), info.revision,
                                info.content_sha256, dc::VerdictName(check.verdict), check.summary,
                                ReportToJson(check.report).dump()));
            }
            return OkStatus();
          });
      !done.ok()) {
    return done;
  }
  SZ_ASSIGN_OR_RETURN(ExportRequest r, LoadExport(zone, id));
  return ForViewer(std::move(r), caller);
}

Result<ExportRequest> RecheckExport(Zone& zone, const Caller& caller, int64_t request) {
  return Act(zone, caller, request, Action::kExportRequest, "re-checked", true,
             [&](ExportRequest& r, const Project& project) -> Status {
               SZ_RETURN_IF_ERROR(RequireActive(zone, project));
               SZ_RETURN_IF_ERROR(
                   RequireState(r, {ExportState::kDraft, ExportState::kReturned}, "re-check it"));
               for (ExportItem& item : r.items) {
                 SZ_ASSIGN_OR_RETURN(OutputInfo info, OutputById(zone, item.output_id));
                 item.revision = info.revision;
                 item.checked_sha256 = info.content_sha256;
                 SZ_ASSIGN_OR_RETURN(ItemCheck check, Recheck(zone, project, r.id, item));
                 SZ_RETURN_IF_ERROR(SaveItemCheck(zone, r.id, item, check));
               }
               return OkStatus();
             });
}

Result<ExportRequest> MitigateOutput(Zone& zone, const Caller& caller, int64_t request,
                                     std::string_view output, Mitigation mitigation) {
  return Act(zone, caller, request, Action::kExportRequest,
             fmt::format("mitigation {} for {}", MitigationName(mitigation), output), true,
             [&](ExportRequest& r, const Project& project) -> Status {
               SZ_RETURN_IF_ERROR(RequireActive(zone, project));
               SZ_RETURN_IF_ERROR(
                   RequireState(r, {ExportState::kDraft, ExportState::kReturned}, "mitigate"));
               SZ_ASSIGN_OR_RETURN(ExportItem * item, ItemNamed(r, output));
               item->mitigation = mitigation;
               SZ_ASSIGN_OR_RETURN(ItemCheck check, Recheck(zone, project, r.id, *item));
               return SaveItemCheck(zone, r.id, *item, check);
             });
}

Result<ExportRequest> RequestException(Zone& zone, const Caller& caller, int64_t request,
                                       std::string_view output, std::string_view justification) {
  return Act(zone, caller, request, Action::kExportRequest,
             fmt::format("exception requested for {}", output), true,
             [&](ExportRequest& r, const Project& project) -> Status {
               SZ_RETURN_IF_ERROR(RequireActive(zone, project));
               SZ_RETURN_IF_ERROR(RequireState(r, {ExportState::kDraft, ExportState::kReturned},
                                               "ask for an exception"));
               if (justification.empty() || justification.size() > kMaxText) {
                 return InvalidArgument("an exception needs a justification (at most 4000 bytes)");
               }
               SZ_ASSIGN_OR_RETURN(ExportItem * item, ItemNamed(r, output));
               item->exception_request = std::string(justification);
               SZ_ASSIGN_OR_RETURN(ItemCheck check, Recheck(zone, project, r.id, *item));
               return SaveItemCheck(zone, r.id, *item, check);
             });
}

Result<ExportRequest> SubmitExport(Zone& zone, const Caller& caller, int64_t request) {
  return Act(zone, caller, request, Action::kExportRequest, "submitted", true,
             [&](ExportRequest& r, const Project& project) -> Status {
               SZ_RETURN_IF_ERROR(RequireActive(zone, project));
               for (const ExportItem& item : r.items) {
                 if (item.verdict == dc::Verdict::kFail && item.exception_request.empty()) {
                   return FailedPrecondition(
                       fmt::format("output '{}' fails the checks ({}): mitigate it, ask for an "
                                   "exception, or leave it out",
                                   item.output_name, item.summary));
                 }
               }
               SZ_RETURN_IF_ERROR(ResetDecisions(zone, r.id));
               return MoveExport(zone, r, ExportState::kSubmitted, caller.Label());
             });
}

Result<ExportRequest> WithdrawExport(Zone& zone, const Caller& caller, int64_t request) {
  return Act(zone, caller, request, Action::kExportWithdraw, "withdrawn", true,
             [&](ExportRequest& r, const Project&) -> Status {
               return MoveExport(zone, r, ExportState::kWithdrawn, caller.Label());
             });
}

Result<ExportRequest> StartReview(Zone& zone, const Caller& caller, int64_t request) {
  return Act(zone, caller, request, Action::kExportReview, "review started", false,
             [&](ExportRequest& r, const Project&) -> Status {
               return MoveExport(zone, r, ExportState::kInReview, caller.Label());
             });
}

Result<ExportRequest> DecideOutput(Zone& zone, const Caller& caller, int64_t request,
                                   std::string_view output, Decision decision) {
  return Act(zone, caller, request, Action::kExportReview,
             fmt::format("{} {}", output, DecisionName(decision)), false,
             [&](ExportRequest& r, const Project&) -> Status {
               if (decision == Decision::kPending)
                 return InvalidArgument("decide approved or rejected");
               if (r.state == ExportState::kSubmitted) {
                 SZ_RETURN_IF_ERROR(MoveExport(zone, r, ExportState::kInReview, caller.Label()));
                 r.state = ExportState::kInReview;
               }
               SZ_RETURN_IF_ERROR(RequireState(r, {ExportState::kInReview}, "decide outputs"));
               SZ_ASSIGN_OR_RETURN(ExportItem * item, ItemNamed(r, output));
               SZ_RETURN_IF_ERROR(
                   zone.db().Run("INSERT INTO export_votes(request_id, output_id, reviewer_user, "
                                 "reviewer, decision, at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(request_id, "
                                 "output_id, reviewer_user) DO UPDATE "
                                 "SET decision = excluded.decision, at = excluded.at",
                                 r.id, item->output_id, caller.user_id(), caller.Label(),
                                 DecisionName(decision), Now(zone)));
               if (r.two_reviewers) return OkStatus();  // decided when the votes are consolidated
               return zone.db().Run(
                   "UPDATE export_items SET decision = ?3 WHERE request_id = ?1 AND output_id = ?2",
                   r.id, item->output_id, DecisionName(decision));
             });
}

Result<ExportRequest> GrantException(Zone& zone, const Caller& caller, int64_t request,
                                     std::string_view output) {
  return Act(zone, caller, request, Action::kExportReview,
             fmt::format("exception granted for {}", output), false,
             [&](ExportRequest& r, const Project& project) -> Status {
               if (r.state == ExportState::kSubmitted) {
                 SZ_RETURN_IF_ERROR(MoveExport(zone, r, ExportState::kInReview, caller.Label()));
                 r.state = ExportState::kInReview;
               }
               SZ_RETURN_IF_ERROR(RequireState(r, {ExportState::kInReview}, "grant exceptions"));
               SZ_ASSIGN_OR_RETURN(ExportItem * item, ItemNamed(r, output));
               if (item->exception_request.empty()) {
                 return FailedPrecondition(
                     fmt::format("the analyst asked for no exception on '{}'", output));
               }
               item->exception_granted = true;
               SZ_ASSIGN_OR_RETURN(ItemCheck check, Recheck(zone, project, r.id, *item));
               return SaveItemCheck(zone, r.id, *item, check);
             });
}

Result<ExportRequest> ConcludeReview(Zone& zone, const Caller& caller, int64_t request,
                                     Conclusion conclusion,
                                     const std::map<std::string, Decision>& overrides) {
  std::string note = conclusion == Conclusion::kReturn ? "returned to the analyst" : "concluded";
  return Act(
      zone, caller, request, Action::kExportReview, note, false,
      [&](ExportRequest& r, const Project&) -> Status {
        SZ_RETURN_IF_ERROR(RequireState(r, {ExportState::kInReview}, "conclude its review"));
        if (conclusion == Conclusion::kReturn) {
          SZ_RETURN_IF_ERROR(ResetDecisions(zone, r.id));
          return MoveExport(zone, r, ExportState::kReturned, caller.Label());
        }
        size_t approved = 0;
        for (ExportItem& item : r.items) {
          Decision final = item.decision;
          if (r.two_reviewers) {
            std::set<int64_t> reviewers;
            std::set<Decision> decisions;
            for (const Vote& v : item.votes) {
              reviewers.insert(v.reviewer_user);
              decisions.insert(v.decision);
            }
            if (reviewers.size() < 2) {
              return FailedPrecondition(
                  fmt::format("output '{}' has {} of the 2 independent votes it needs",
                              item.output_name, reviewers.size()));
            }
            final = decisions.size() == 1 ? *decisions.begin() : Decision::kPending;
          }
          if (auto it = overrides.find(item.output_name); it != overrides.end()) final = it->second;
          if (final == Decision::kPending) {
            return FailedPrecondition(
                r.two_reviewers
                    ? fmt::format("the reviewers disagree on '{}': give the consolidated "
                                  "decision",
                                  item.output_name)
                    : fmt::format("decide output '{}' first", item.output_name));
          }
          approved += final == Decision::kApproved;
          SZ_RETURN_IF_ERROR(zone.db().Run(
              "UPDATE export_items SET decision = ?3 WHERE request_id = ?1 AND output_id = ?2",
              r.id, item.output_id, DecisionName(final)));
        }
        ExportState to = approved == r.items.size() ? ExportState::kApproved
                         : approved == 0            ? ExportState::kRejected
                                                    : ExportState::kPartiallyApproved;
        SZ_RETURN_IF_ERROR(zone.db().Run(
            "UPDATE export_requests SET decided_by = ?2, decided_at = ?3 WHERE id = ?1", r.id,
            caller.Label(), Now(zone)));
        return MoveExport(zone, r, to, caller.Label());
      });
}

Result<ExportRequest> CommentOnExport(Zone& zone, const Caller& caller, int64_t request,
                                      std::string_view output, Visibility visibility,
                                      std::string_view body) {
  return Act(zone, caller, request, Action::kExportRead, "comment", false,
             [&](ExportRequest& r, const Project&) -> Status {
               if (body.empty() || body.size() > kMaxText) {
                 return InvalidArgument("a comment holds 1 to 4000 bytes");
               }
               bool analyst = !caller.is_operator() && caller.user_id() == r.requester_user;
               if (analyst && visibility != Visibility::kAnalyst) {
                 return InvalidArgument(
                     "the analyst's comments are visible to the analyst and the reviewers");
               }
               int64_t output_id = 0;
               if (!output.empty()) {
                 SZ_ASSIGN_OR_RETURN(ExportItem * item, ItemNamed(r, output));
                 output_id = item->output_id;
               }
               return zone.db().Run(
                   "INSERT INTO export_comments(request_id, output_id, author_user, author, "
                   "visibility, body, at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   r.id, output_id, caller.user_id(), caller.Label(), VisibilityName(visibility),
                   std::string(body), Now(zone));
             });
}

Result<ExportRequest> ShowExport(Zone& zone, const Caller& caller, int64_t request) {
  SZ_ASSIGN_OR_RETURN(ExportRequest r, LoadExport(zone, request));
  SZ_ASSIGN_OR_RETURN(Project project, LoadProjectById(zone, r.project_id));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kExportRead, ExportObject(r, project)));
  return ForViewer(std::move(r), caller);
}

Result<std::vector<ExportRequest>> ListExports(Zone& zone, const Caller& caller,
                                               std::string_view project_name) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, project_name));
  std::vector<int64_t> ids;
  {
    SZ_ASSIGN_OR_RETURN(
        auto st, zone.db().Query("SELECT id FROM export_requests WHERE project_id = ?1 ORDER BY id",
                                 project.id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.Int64(0));
    }
  }
  std::vector<ExportRequest> out;
  for (int64_t id : ids) {
    SZ_ASSIGN_OR_RETURN(ExportRequest r, LoadExport(zone, id));
    // A list shows states and names; opening one (ShowExport) is what gets audited.
    if (caller.actor &&
        !authz::Decide(*caller.actor, Action::kExportRead, ExportObject(r, project)).allowed)
      continue;
    out.push_back(ForViewer(std::move(r), caller));
  }
  return out;
}

}  // namespace sz::zone
