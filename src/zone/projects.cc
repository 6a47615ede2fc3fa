#include "zone/projects.h"

#include <algorithm>
#include <set>

#include "disclosure/risk_appetite.h"
#include "fmt/format.h"
#include "zone/catalog.h"
#include "zone/pseudonymize.h"

namespace sz::zone {

using authz::Action;

namespace {

constexpr std::string_view kStateNames[] = {"draft", "approved", "closed"};
constexpr std::string_view kEffectiveNames[] = {"draft", "approved", "active", "expired", "closed"};
constexpr std::string_view kRoleNames[] = {"lead", "analyst"};

std::string Now(Zone& zone) { return FormatUtc(zone.clock().Now()); }
Date Today(Zone& zone) { return SeoulDate(zone.clock().Now()); }

Result<ProjectState> ParseState(std::string_view s) {
  for (int i = 0; i < 3; ++i)
    if (kStateNames[i] == s) return static_cast<ProjectState>(i);
  return DataLoss(fmt::format("project state '{}' is not one this version knows", s));
}

Status LoadMembers(Zone& zone, Project& p) {
  SZ_ASSIGN_OR_RETURN(
      auto st,
      zone.db().Query("SELECT m.user_id, COALESCE(u.username, ''), m.role FROM project_members m "
                      "LEFT JOIN identity_users u ON u.id = m.user_id WHERE m.project_id = ?1 "
                      "ORDER BY m.user_id",
                      p.id));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    SZ_ASSIGN_OR_RETURN(MemberRole role, ParseMemberRole(st.Text(2)));
    p.members.push_back({st.Int64(0), st.Text(1), role});
  }
  return OkStatus();
}

Status LoadDatasets(Zone& zone, Project& p) {
  SZ_ASSIGN_OR_RETURN(
      auto st,
      zone.db().Query(
          "SELECT pd.dataset_id, d.name, v.tier, d.provider, pd.version_id, v.version, "
          "pd.person_column, "
          "pd.row_is_person FROM project_datasets pd JOIN datasets d ON d.id = pd.dataset_id "
          "JOIN dataset_versions v ON v.id = pd.version_id WHERE pd.project_id = ?1 ORDER BY "
          "d.name",
          p.id));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ProjectDataset d;
    d.dataset_id = st.Int64(0);
    d.name = st.Text(1);
    d.tier = st.Text(2);
    d.provider = st.Text(3);
    d.version_id = st.Int64(4);
    d.version = static_cast<int>(st.Int64(5));
    d.person_column = st.Text(6);
    d.row_is_person = st.Int64(7) != 0;
    p.datasets.push_back(std::move(d));
  }
  for (ProjectDataset& d : p.datasets) {
    SZ_ASSIGN_OR_RETURN(auto cols,
                        zone.db().Query("SELECT column_name FROM project_columns WHERE project_id "
                                        "= ?1 AND dataset_id = ?2 ORDER BY position",
                                        p.id, d.dataset_id));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, cols.Step());
      if (!row) break;
      d.columns.push_back(cols.Text(0));
    }
  }
  return OkStatus();
}

Result<Project> LoadWhere(Zone& zone, std::string_view where, const std::string& key) {
  SZ_ASSIGN_OR_RETURN(
      auto st,
      zone.db().Query(
          fmt::format(
              "SELECT id, name, title, purpose, state, start_date, end_date, two_reviewers, "
              "risk_appetite, created_by_user, created_by, created_at, approved_by, approved_at, "
              "closed_by, closed_at FROM projects WHERE {}",
              where),
          key));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("project '{}' does not exist", key.substr(0, 64)));
  Project p;
  p.id = st.Int64(0);
  p.name = st.Text(1);
  p.title = st.Text(2);
  p.purpose = st.Text(3);
  SZ_ASSIGN_OR_RETURN(p.state, ParseState(st.Text(4)));
  SZ_ASSIGN_OR_RETURN(p.start, ParseDate(st.Text(5)));
  SZ_ASSIGN_OR_RETURN(p.end, ParseDate(st.Text(6)));
  p.two_reviewers = st.Int64(7) != 0;
  p.risk_appetite = st.Text(8);
  p.created_by_user = st.Int64(9);
  p.created_by = st.Text(10);
  p.created_at = st.Text(11);
  p.approved_by = st.Text(12);
  p.approved_at = st.Text(13);
  p.closed_by = st.Text(14);
  p.closed_at = st.Text(15);
  SZ_RETURN_IF_ERROR(LoadMembers(zone, p));
  SZ_RETURN_IF_ERROR(LoadDatasets(zone, p));
  return p;
}

bool UserExists(Zone& zone, int64_t user_id) {
  auto st = zone.db().Query("SELECT 1 FROM identity_users WHERE id = ?1", user_id);
  if (!st.ok()) return false;
  auto row = st->Step();
  return row.ok() && *row;
}

// Resolves and checks a proposal's datasets against the catalog. With `for_approval`,
// also the sign-off hook.
Result<std::vector<ProjectDataset>> ResolveDatasets(Zone& zone, const ProjectSpec& spec,
                                                    bool for_approval) {
  Catalog catalog(zone);
  std::vector<ProjectDataset> out;
  std::set<std::string> seen;
  for (const ProjectDatasetSpec& ds : spec.datasets) {
    if (!seen.insert(ds.dataset).second) {
      return InvalidArgument(fmt::format("dataset '{}' is listed twice", ds.dataset));
    }
    SZ_ASSIGN_OR_RETURN(DatasetInfo info, catalog.Get(ds.dataset));
    SZ_ASSIGN_OR_RETURN(VersionInfo version, catalog.Version(ds.dataset, ds.version));
    SZ_RETURN_IF_ERROR(ValidateTier(version.tier));
    if (for_approval) SZ_RETURN_IF_ERROR(VersionApprovable(zone, version.id, version.tier));
    if (ds.columns.empty())
      return InvalidArgument(fmt::format("dataset '{}': approve at least one column", ds.dataset));
    ProjectDataset d;
    d.dataset_id = info.id;
    d.name = info.name;
    d.tier = version.tier;
    d.provider = info.provider;
    d.version_id = version.id;
    d.version = version.version;
    auto find = [&](std::string_view name) -> const ColumnInfo* {
      for (const ColumnInfo& c : version.columns)
        if (c.name == name) return &c;
      return nullptr;
    };
    std::set<std::string> cols;
    for (const std::string& c : ds.columns) {
      const ColumnInfo* col = find(c);
      if (col == nullptr) {
        return InvalidArgument(fmt::format("dataset '{}' version {} has no column '{}'", ds.dataset,
                                           version.version, c));
      }
      if (col->role == "direct_identifier") {
        return InvalidArgument(fmt::format(
            "dataset '{}': column '{}' is a direct identifier and never enters a workspace; "
            "pseudonymize it or leave it out",
            ds.dataset, c));
      }
      if (c.starts_with("sz_"))
        return InvalidArgument(
            fmt::format("column names starting with sz_ are reserved ('{}')", c));
      if (!cols.insert(c).second)
        return InvalidArgument(
            fmt::format("dataset '{}': column '{}' listed twice", ds.dataset, c));
      d.columns.push_back(c);
    }
    if (ds.person_column.empty() == !ds.row_is_person) {
      return InvalidArgument(fmt::format(
          "dataset '{}': name its person (pseudonym) column, or state that each row is one person "
          "(not both)",
          ds.dataset));
    }
    if (!ds.person_column.empty() && find(ds.person_column) == nullptr) {
      return InvalidArgument(
          fmt::format("dataset '{}' has no person column '{}'", ds.dataset, ds.person_column));
    }
    d.person_column = ds.person_column;
    d.row_is_person = ds.row_is_person;
    out.push_back(std::move(d));
  }
  return out;
}

Status ValidateSpec(Zone& zone, const ProjectSpec& spec) {
  SZ_RETURN_IF_ERROR(ValidateName("project", spec.name));
  if (spec.purpose.empty()) return InvalidArgument("a project needs a purpose");
  if (spec.purpose.size() > 4000 || spec.title.size() > 200) {
    return InvalidArgument("project title (200 bytes) or purpose (4000 bytes) is too long");
  }
  if (!spec.start.ok() || !spec.end.ok() || spec.end < spec.start) {
    return InvalidArgument("the project period needs a start day on or before its end day");
  }
  std::set<int64_t> members;
  for (const MemberSpec& m : spec.members) {
    if (!members.insert(m.user_id).second)
      return InvalidArgument(fmt::format("user {} is listed twice", m.user_id));
    if (!UserExists(zone, m.user_id))
      return NotFound(fmt::format("there is no user with id {}", m.user_id));
  }
  if (!spec.risk_appetite.empty()) {
    SZ_RETURN_IF_ERROR(disclosure::ResolveRiskAppetite("", spec.risk_appetite)
                           .status()
                           .WithContext("risk appetite"));
  }
  return OkStatus();
}

Status WriteDefinition(Zone& zone, int64_t project_id, const std::vector<ProjectDataset>& datasets,
                       const std::vector<MemberSpec>& members, const std::string& by) {
  auto& db = zone.db();
  for (const char* table : {"project_columns", "project_datasets", "project_members"}) {
    SZ_RETURN_IF_ERROR(
        db.Run(fmt::format("DELETE FROM {} WHERE project_id = ?1", table), project_id));
  }
  std::string now = Now(zone);
  for (const MemberSpec& m : members) {
    SZ_RETURN_IF_ERROR(
        db.Run("INSERT INTO project_members(project_id, user_id, role, added_by, added_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5)",
               project_id, m.user_id, MemberRoleName(m.role), by, now));
  }
  for (const ProjectDataset& d : datasets) {
    SZ_RETURN_IF_ERROR(
        db.Run("INSERT INTO project_datasets(project_id, dataset_id, version_id, person_column, "
               "row_is_person) VALUES (?1, ?2, ?3, ?4, ?5)",
               project_id, d.dataset_id, d.version_id, d.person_column, d.row_is_person ? 1 : 0));
    for (size_t i = 0; i < d.columns.size(); ++i) {
      SZ_RETURN_IF_ERROR(
          db.Run("INSERT INTO project_columns(project_id, dataset_id, position, column_name) "
                 "VALUES (?1, ?2, ?3, ?4)",
                 project_id, d.dataset_id, static_cast<int64_t>(i), d.columns[i]));
    }
  }
  return OkStatus();
}

// A person proposing a project leads it.
std::vector<MemberSpec> MembersWithProposer(const Caller& caller, std::vector<MemberSpec> members) {
  if (caller.is_operator()) return members;
  auto it = std::find_if(members.begin(), members.end(),
                         [&](const MemberSpec& m) { return m.user_id == caller.user_id(); });
  if (it == members.end()) members.insert(members.begin(), {caller.user_id(), MemberRole::kLead});
  return members;
}

std::string DatasetsNote(const std::vector<ProjectDataset>& datasets) {
  std::string note;
  for (const auto& d : datasets)
    note += fmt::format("{}{}@{}", note.empty() ? "" : ", ", d.name, d.version);
  return note;
}

}  // namespace

Status Audited(Zone& zone, Access& access, const authz::AuditDetails& details,
               const std::function<Status()>& change) {
  Status s = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
    SZ_RETURN_IF_ERROR(change());
    SZ_RETURN_IF_ERROR(std::move(access).Record(details));
    return txn.Commit();
  }();
  if (!s.ok()) {
    // The change rolled back: the trail shows the attempt as an error (best effort; the
    // original failure is what the caller needs to see).
    (void)std::move(access).RecordFailure(s);
  }
  return s;
}

namespace {}  // namespace

std::string_view ProjectStateName(ProjectState state) {
  return kStateNames[static_cast<int>(state)];
}
std::string_view EffectiveStateName(EffectiveState state) {
  return kEffectiveNames[static_cast<int>(state)];
}
std::string_view MemberRoleName(MemberRole role) { return kRoleNames[static_cast<int>(role)]; }

Result<MemberRole> ParseMemberRole(std::string_view name) {
  if (name == "lead") return MemberRole::kLead;
  if (name == "analyst") return MemberRole::kAnalyst;
  return InvalidArgument(
      fmt::format("unknown project role '{}'; use lead or analyst", name.substr(0, 40)));
}

EffectiveState Project::EffectiveOn(Date today) const {
  switch (state) {
    case ProjectState::kDraft:
      return EffectiveState::kDraft;
    case ProjectState::kClosed:
      return EffectiveState::kClosed;
    case ProjectState::kApproved:
      break;
  }
  if (today < start) return EffectiveState::kApproved;
  if (end < today) return EffectiveState::kExpired;
  return EffectiveState::kActive;
}

authz::ProjectInfo Project::Info() const {
  authz::ProjectInfo info;
  info.id = id;
  info.created_by = created_by_user;
  for (const ProjectMember& m : members) info.members.push_back(m.user_id);
  info.start = start;
  info.end = end;
  info.state = state == ProjectState::kDraft      ? authz::ProjectState::kProposed
               : state == ProjectState::kApproved ? authz::ProjectState::kApproved
                                                  : authz::ProjectState::kClosed;
  return info;
}

authz::Object ProjectObject(const Project& project) {
  return authz::Object::Project(project.Info());
}

Result<Project> LoadProject(Zone& zone, std::string_view name) {
  return LoadWhere(zone, "name = ?1", std::string(name));
}

Result<Project> LoadProjectById(Zone& zone, int64_t id) {
  return LoadWhere(zone, "id = CAST(?1 AS INTEGER)", std::to_string(id));
}

Status RequireActive(Zone& zone, const Project& project) {
  switch (project.EffectiveOn(Today(zone))) {
    case EffectiveState::kActive:
      return OkStatus();
    case EffectiveState::kDraft:
      return FailedPrecondition(fmt::format("project '{}' is not approved yet", project.name));
    case EffectiveState::kApproved:
      return FailedPrecondition(
          fmt::format("project '{}' starts on {}", project.name, FormatDate(project.start)));
    case EffectiveState::kExpired:
      return FailedPrecondition(
          fmt::format("project '{}' expired after {}; ask an administrator to extend it",
                      project.name, FormatDate(project.end)));
    case EffectiveState::kClosed:
      return FailedPrecondition(fmt::format("project '{}' is closed", project.name));
  }
  return Internal("unknown project state");
}

Status VersionApprovable(Zone& zone, int64_t version_id, std::string_view tier) {
  SZ_RETURN_IF_ERROR(ValidateTier(tier));
  if (tier != "pseudonymized") return OkStatus();
  SZ_ASSIGN_OR_RETURN(bool signed_off, IsSignedOff(zone, version_id));
  if (!signed_off) {
    return FailedPrecondition(
        "this pseudonymized version has not been signed off by a pseudonymization officer; "
        "run its adequacy review (safezone pseudo run) and have another officer sign it off");
  }
  return OkStatus();
}

Result<int64_t> UserIdByName(Zone& zone, std::string_view username) {
  std::string lower(username);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  SZ_ASSIGN_OR_RETURN(auto st,
                      zone.db().Query("SELECT id FROM identity_users WHERE username = ?1", lower));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("there is no user '{}'", lower.substr(0, 40)));
  return st.Int64(0);
}

Result<Project> CreateProject(Zone& zone, const Caller& caller, const ProjectSpec& spec) {
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectCreate, authz::Object::Zone()));
  std::vector<MemberSpec> members = MembersWithProposer(caller, spec.members);
  ProjectSpec checked = spec;
  checked.members = members;
  SZ_RETURN_IF_ERROR(ValidateSpec(zone, checked));
  SZ_ASSIGN_OR_RETURN(auto datasets, ResolveDatasets(zone, checked, false));
  if (LoadProject(zone, spec.name).ok())
    return AlreadyExists(fmt::format("project '{}' exists already", spec.name));
  if (Status done =
          Audited(zone, access,
                  authz::AuditDetails::Note(fmt::format("project {} proposed with {}", spec.name,
                                                        DatasetsNote(datasets))),
                  [&]() -> Status {
                    SZ_RETURN_IF_ERROR(zone.db().Run(
                        "INSERT INTO projects(name, title, purpose, state, start_date, end_date, "
                        "two_reviewers, risk_appetite, created_by_user, created_by, created_at) "
                        "VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        spec.name, spec.title, spec.purpose, FormatDate(spec.start),
                        FormatDate(spec.end), spec.two_reviewers ? 1 : 0, spec.risk_appetite,
                        caller.user_id(), caller.Label(), Now(zone)));
                    return WriteDefinition(zone, zone.db().LastInsertId(), datasets, members,
                                           caller.Label());
                  });
      !done.ok())
    return done;
  return LoadProject(zone, spec.name);
}

Result<Project> ReviseProject(Zone& zone, const Caller& caller, std::string_view name,
                              const ProjectSpec& spec) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectCreate, authz::Object::Zone()));
  if (!caller.is_operator() && caller.user_id() != project.created_by_user) {
    return PermissionDenied("only the proposer may revise a draft project");
  }
  if (project.state != ProjectState::kDraft) {
    return FailedPrecondition(fmt::format("project '{}' is {}: only a draft can be revised", name,
                                          ProjectStateName(project.state)));
  }
  ProjectSpec checked = spec;
  checked.name = project.name;
  checked.members = MembersWithProposer(caller, spec.members);
  SZ_RETURN_IF_ERROR(ValidateSpec(zone, checked));
  SZ_ASSIGN_OR_RETURN(auto datasets, ResolveDatasets(zone, checked, false));
  if (Status done = Audited(
          zone, access,
          authz::AuditDetails::Note(
              fmt::format("project {} revised: {}", name, DatasetsNote(datasets))),
          [&]() -> Status {
            SZ_RETURN_IF_ERROR(zone.db().Run(
                "UPDATE projects SET title = ?2, purpose = ?3, start_date = ?4, end_date = ?5, "
                "two_reviewers = ?6, risk_appetite = ?7 WHERE id = ?1 AND state = 'draft'",
                project.id, checked.title, checked.purpose, FormatDate(checked.start),
                FormatDate(checked.end), checked.two_reviewers ? 1 : 0, checked.risk_appetite));
            return WriteDefinition(zone, project.id, datasets, checked.members, caller.Label());
          });
      !done.ok())
    return done;
  return LoadProject(zone, name);
}

Result<Project> ApproveProject(Zone& zone, const Caller& caller, std::string_view name) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectApprove, ProjectObject(project)));
  if (project.state != ProjectState::kDraft) {
    return FailedPrecondition(fmt::format("project '{}' is {}: only a draft can be approved", name,
                                          ProjectStateName(project.state)));
  }
  // Re-check the frozen definition against the catalog as it is now.
  ProjectSpec spec;
  spec.name = project.name;
  spec.purpose = project.purpose;
  spec.start = project.start;
  spec.end = project.end;
  spec.risk_appetite = project.risk_appetite;
  for (const ProjectDataset& d : project.datasets) {
    spec.datasets.push_back({d.name, d.version, d.columns, d.person_column, d.row_is_person});
  }
  SZ_RETURN_IF_ERROR(ValidateSpec(zone, spec));
  SZ_RETURN_IF_ERROR(ResolveDatasets(zone, spec, true).status());
  if (project.datasets.empty())
    return FailedPrecondition("a project needs at least one approved dataset");
  if (project.members.empty())
    return FailedPrecondition("a project needs at least one analyst member");
  if (Status done = Audited(
          zone, access,
          authz::AuditDetails::Note(fmt::format("approved {} to {}: {}", FormatDate(project.start),
                                                FormatDate(project.end),
                                                DatasetsNote(project.datasets))),
          [&]() -> Status {
            SZ_RETURN_IF_ERROR(zone.db().Run(
                "UPDATE projects SET state = 'approved', approved_by = ?2, approved_at = ?3 "
                "WHERE id = ?1 AND state = 'draft'",
                project.id, caller.Label(), Now(zone)));
            if (zone.db().Changes() != 1) return Aborted("project changed meanwhile; try again");
            return OkStatus();
          });
      !done.ok())
    return done;
  return LoadProject(zone, name);
}

Result<Project> CloseProject(Zone& zone, const Caller& caller, std::string_view name,
                             std::string_view reason) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectClose, ProjectObject(project)));
  if (project.state == ProjectState::kClosed)
    return FailedPrecondition(fmt::format("project '{}' is closed already", name));
  if (Status done = Audited(zone, access, authz::AuditDetails::Note("closed"),
                            [&]() -> Status {
                              return zone.db().Run(
                                  "UPDATE projects SET state = 'closed', closed_by = ?2, closed_at "
                                  "= ?3, close_reason = ?4 WHERE id = ?1",
                                  project.id, caller.Label(), Now(zone), std::string(reason));
                            });
      !done.ok())
    return done;
  return LoadProject(zone, name);
}

Result<Project> AddMember(Zone& zone, const Caller& caller, std::string_view name,
                          const MemberSpec& member) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectManageMembers,
                                    authz::Object::Membership(project.Info(), member.user_id)));
  if (project.state == ProjectState::kClosed)
    return FailedPrecondition(fmt::format("project '{}' is closed", name));
  if (!UserExists(zone, member.user_id))
    return NotFound(fmt::format("there is no user with id {}", member.user_id));
  if (Status done = Audited(
          zone, access,
          authz::AuditDetails::Note(fmt::format("member as {}", MemberRoleName(member.role))),
          [&]() -> Status {
            return zone.db().Run(
                "INSERT INTO project_members(project_id, user_id, role, added_by, added_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(project_id, user_id) DO UPDATE SET "
                "role = excluded.role",
                project.id, member.user_id, MemberRoleName(member.role), caller.Label(), Now(zone));
          });
      !done.ok())
    return done;
  return LoadProject(zone, name);
}

Result<Project> RemoveMember(Zone& zone, const Caller& caller, std::string_view name,
                             int64_t user_id) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kProjectManageMembers,
                                    authz::Object::Membership(project.Info(), user_id)));
  if (Status done = Audited(
          zone, access, authz::AuditDetails::Note("member removed"),
          [&]() -> Status {
            SZ_RETURN_IF_ERROR(
                zone.db().Run("DELETE FROM project_members WHERE project_id = ?1 AND user_id = ?2",
                              project.id, user_id));
            if (zone.db().Changes() == 0)
              return NotFound(fmt::format("user {} is not a member of '{}'", user_id, name));
            return OkStatus();
          });
      !done.ok())
    return done;
  return LoadProject(zone, name);
}

Result<Project> ShowProject(Zone& zone, const Caller& caller, std::string_view name) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kProjectRead, ProjectObject(project)));
  return project;
}

Result<std::vector<Project>> ListProjects(Zone& zone, const Caller& caller) {
  std::vector<std::string> names;
  {
    SZ_ASSIGN_OR_RETURN(auto st, zone.db().Query("SELECT name FROM projects ORDER BY name"));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      names.push_back(st.Text(0));
    }
  }
  std::vector<Project> out;
  for (const std::string& n : names) {
    SZ_ASSIGN_OR_RETURN(Project p, LoadProject(zone, n));
    // Listing shows metadata only; each project is filtered by the read rule, and opening
    // one (ShowProject) is what gets audited.
    if (caller.actor &&
        !authz::Decide(*caller.actor, Action::kProjectRead, ProjectObject(p)).allowed)
      continue;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace sz::zone
