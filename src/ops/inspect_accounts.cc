// Account checks of the security self-inspection: weak and demo passwords, second
// factors, stale temporary passwords, accreditations.
#include <chrono>
#include <map>
#include <set>

#include "fmt/format.h"
#include "identity/password.h"
#include "ops/inspect_internal.h"
#include "zone/operator_accounts.h"

namespace sz::ops::internal {

namespace {

// Weak candidates that still pass the length rule. The policy refuses most of them at
// set time, but hashes imported from elsewhere or set before the policy were never checked.
constexpr std::string_view kWeakPasswords[] = {
    "password1234", "changeme1234", "safezone1234", "qwer1234!@#$", "1q2w3e4r5t6y",
    "administrator", "p@ssw0rd1234", "welcome12345",
};

struct Account {
  int64_t id = 0;
  std::string label;  // "user:17/kim"
  std::string hash;
  bool must_change = false;
  bool totp = false;
  std::string accreditation;  // "" if none
  int64_t created_at = 0;
};

Result<std::vector<Account>> ActiveAccounts(storage::SqliteDb& db) {
  SZ_ASSIGN_OR_RETURN(auto st, db.Query("SELECT id, username, password_hash, "
                                        "must_change_password, totp_confirmed, "
                                        "accreditation_expires, created_at FROM identity_users "
                                        "WHERE status = 'active' ORDER BY id"));
  std::vector<Account> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Account a;
    a.id = st.Int64(0);
    a.label = fmt::format("user:{}/{}", a.id, st.Text(1));
    a.hash = st.Text(2);
    a.must_change = st.Int64(3) != 0;
    a.totp = st.Int64(4) != 0;
    a.accreditation = st.OptionalText(5).value_or("");
    a.created_at = st.Int64(6);
    out.push_back(std::move(a));
  }
  return out;
}

// Accreditation is blocked from its expiry day on (authz/policy.h): "" or a day <= today
// is not valid.
bool Accredited(const Account& a, const std::string& today) {
  return !a.accreditation.empty() && a.accreditation > today;
}

// Tries the candidates, demo password first, against every account's Argon2id hash,
// within the time budget.
void CheckPasswords(const ZoneFacts& facts, const InspectOptions& options,
                    const std::vector<Account>& accounts, Findings& out) {
  const std::string demo = zone::DemoAccountOptions{}.password;
  std::vector<std::string> candidates = {demo};
  for (std::string_view w : kWeakPasswords) candidates.emplace_back(w);
  for (const std::string& w : options.extra_passwords) candidates.push_back(w);
  const auto deadline = std::chrono::steady_clock::now() + options.password_time_budget;
  std::vector<std::string> demo_hits, weak_hits;
  std::set<int64_t> found;
  int64_t tries = 0, planned = static_cast<int64_t>(candidates.size() * accounts.size());
  bool stopped = false;
  for (const std::string& candidate : candidates) {
    for (const Account& a : accounts) {
      if (found.count(a.id)) continue;
      if (std::chrono::steady_clock::now() >= deadline) {
        stopped = true;
        break;
      }
      ++tries;
      if (!identity::VerifyPassword(a.hash, candidate)) continue;
      found.insert(a.id);
      (candidate == demo ? demo_hits : weak_hits).push_back(a.label);
    }
    if (stopped) break;
  }
  if (!demo_hits.empty()) {
    out.push_back({facts.demo ? Severity::kLow : Severity::kCritical, "accounts.demo_password",
                   fmt::format("{} account(s) still use the published demo password",
                               demo_hits.size()),
                   JoinSome(demo_hits),
                   facts.demo ? "a demonstration zone must never hold real data; for real use "
                                "create a new zone"
                              : "reset them now: safezone user reset-password ID (or disable "
                                "them: safezone user disable ID)"});
  }
  if (!weak_hits.empty()) {
    out.push_back({Severity::kHigh, "accounts.weak_password",
                   fmt::format("{} account(s) use a well-known weak password", weak_hits.size()),
                   JoinSome(weak_hits),
                   "reset them: safezone user reset-password ID; the person then chooses a "
                   "password the policy accepts"});
  }
  if (stopped) {
    out.push_back({Severity::kInfo, "accounts.password_check_incomplete",
                   fmt::format("the weak-password check stopped after {} of {} tries (time "
                               "budget {} s)",
                               tries, planned, options.password_time_budget.count() / 1000),
                   "", "run again with a larger --password-budget"});
  } else {
    out.push_back({Severity::kInfo, "accounts.password_check",
                   fmt::format("{} candidate password(s) tried against {} active account(s)",
                               candidates.size(), accounts.size()),
                   "", ""});
  }
}

void CheckSecondFactor(const std::vector<Account>& accounts, Findings& out) {
  std::vector<std::string> without;
  for (const Account& a : accounts) {
    if (!a.totp) without.push_back(a.label);
  }
  if (without.empty()) return;
  out.push_back({Severity::kMedium, "accounts.no_second_factor",
                 fmt::format("{} active account(s) have no confirmed second factor (TOTP)",
                             without.size()),
                 JoinSome(without),
                 "ask each person to sign in and run `safezone totp enrol`; disable accounts "
                 "nobody uses: safezone user disable ID"});
}

// When each must-change password was set: the account's creation, or its latest
// administrator reset (audited as user.reset_credentials with the note "password reset").
Result<std::map<int64_t, int64_t>> PasswordResets(storage::SqliteDb& db) {
  SZ_ASSIGN_OR_RETURN(auto st, db.Query("SELECT object, MAX(time) FROM audit_entries WHERE "
                                        "action = 'user.reset_credentials' AND outcome = 'allow' "
                                        "AND reason LIKE '%password reset%' GROUP BY object"));
  std::map<int64_t, int64_t> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string object = st.Text(0);
    if (object.starts_with("user:")) out[std::atoll(object.c_str() + 5)] = st.Int64(1);
  }
  return out;
}

Status CheckTemporaryPasswords(storage::SqliteDb& db, const ZoneFacts& facts,
                               const InspectOptions& options, const std::vector<Account>& accounts,
                               Findings& out) {
  SZ_ASSIGN_OR_RETURN(auto resets, PasswordResets(db));
  const int64_t limit = ToUnix(facts.now) - int64_t{options.must_change_days} * 86400;
  std::vector<std::string> stale;
  for (const Account& a : accounts) {
    if (!a.must_change) continue;
    int64_t set_at = a.created_at;
    if (auto it = resets.find(a.id); it != resets.end()) set_at = std::max(set_at, it->second);
    if (set_at < limit) stale.push_back(a.label);
  }
  if (stale.empty()) return OkStatus();
  out.push_back({Severity::kMedium, "accounts.stale_temporary_password",
                 fmt::format("{} account(s) still have a temporary password set more than {} "
                             "days ago",
                             stale.size(), options.must_change_days),
                 JoinSome(stale),
                 "a temporary password travels outside the zone: reset it again and hand it "
                 "over in person (safezone user reset-password ID), or disable the account"});
  return OkStatus();
}

Status CheckAccreditations(storage::SqliteDb& db, const ZoneFacts& facts,
                           const std::vector<Account>& accounts, Findings& out) {
  const std::string today = FormatDate(SeoulDate(facts.now));
  std::map<int64_t, const Account*> by_id;
  for (const Account& a : accounts) by_id[a.id] = &a;
  SZ_ASSIGN_OR_RETURN(auto st, db.Query("SELECT p.name, m.user_id FROM project_members m JOIN "
                                        "projects p ON p.id = m.project_id WHERE p.state = "
                                        "'approved' AND p.end_date >= ?1 ORDER BY p.name, "
                                        "m.user_id",
                                        today));
  std::vector<std::string> expired;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto it = by_id.find(st.Int64(1));
    if (it == by_id.end() || Accredited(*it->second, today)) continue;
    const Account& a = *it->second;
    expired.push_back(fmt::format("{} in project {} ({})", a.label, st.Text(0),
                                  a.accreditation.empty() ? "not accredited"
                                                          : "expired " + a.accreditation));
  }
  if (!expired.empty()) {
    out.push_back({Severity::kHigh, "accounts.expired_accreditation_in_project",
                   fmt::format("{} member(s) of active projects have no valid accreditation",
                               expired.size()),
                   JoinSome(expired),
                   "renew the accreditation (safezone user accreditation ID YYYY-MM-DD) or "
                   "remove the person from the project (safezone project members NAME --remove "
                   "USER)"});
  }
  SZ_ASSIGN_OR_RETURN(auto admins, db.Query("SELECT DISTINCT user_id FROM identity_roles WHERE "
                                            "role = 'administrator' AND project_id = 0"));
  std::vector<std::string> unaccredited;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, admins.Step());
    if (!row) break;
    auto it = by_id.find(admins.Int64(0));
    if (it != by_id.end() && !Accredited(*it->second, today)) {
      unaccredited.push_back(it->second->label);
    }
  }
  if (!unaccredited.empty()) {
    out.push_back({Severity::kMedium, "accounts.admin_not_accredited",
                   fmt::format("{} administrator(s) have no valid accreditation",
                               unaccredited.size()),
                   JoinSome(unaccredited),
                   "accredit them (safezone user accreditation ID YYYY-MM-DD) or revoke the "
                   "role (safezone user revoke ID administrator)"});
  }
  return OkStatus();
}

}  // namespace

Status CheckAccounts(zone::Zone& zone, const ZoneFacts& facts, const InspectOptions& options,
                     Findings& out) {
  SZ_ASSIGN_OR_RETURN(std::vector<Account> accounts, ActiveAccounts(zone.db()));
  CheckPasswords(facts, options, accounts, out);
  CheckSecondFactor(accounts, out);
  SZ_RETURN_IF_ERROR(CheckTemporaryPasswords(zone.db(), facts, options, accounts, out));
  return CheckAccreditations(zone.db(), facts, accounts, out);
}

}  // namespace sz::ops::internal
