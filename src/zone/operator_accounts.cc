#include "zone/operator_accounts.h"

#include <span>

#include "authz/policy.h"
#include "crypto/secret.h"
#include "fmt/format.h"
#include "identity/identity.h"
#include "identity/password.h"
#include "identity/totp.h"

namespace sz::zone {

namespace {

using authz::Role;

constexpr std::string_view kRequestId = "demo-seed";

struct Spec {
  std::string_view username;
  Role role;
  std::string_view display_name;
};
constexpr Spec kAccounts[] = {
    {"admin", Role::kAdministrator, "Demo Administrator"},
    {"provider", Role::kDataProvider, "Demo Data Provider"},
    {"pseudo.officer", Role::kPseudonymizationOfficer, "Demo Pseudonymization Officer"},
    {"combo.officer", Role::kCombinationOfficer, "Demo Combination Officer"},
    {"analyst", Role::kAnalyst, "Demo Analyst"},
    {"reviewer", Role::kOutputReviewer, "Demo Output Reviewer"},
    {"auditor", Role::kAuditor, "Demo Auditor"},
};

Result<authz::Actor> SignIn(identity::Identity& ids, std::string_view username,
                            std::string_view password, std::string_view code) {
  SZ_ASSIGN_OR_RETURN(identity::LoginResult login,
                      ids.Login({username, password, code, "", kRequestId}));
  return ids.Authenticate(login.token);
}

// Enrols TOTP from `actor`'s (restricted) session, confirming with the previous step's
// code so that the code of the current step is still unspent afterwards.
Result<identity::TotpEnrolment> EnrolTotp(Zone& zone, const authz::Actor& actor) {
  identity::Identity& ids = zone.identity();
  SZ_ASSIGN_OR_RETURN(identity::TotpEnrolment enrolment, ids.BeginTotpEnrolment(actor, kRequestId));
  std::string code =
      identity::Totp(enrolment.secret.view(), zone.clock().Now() - std::chrono::seconds(30));
  SZ_RETURN_IF_ERROR(ids.ConfirmTotpEnrolment(actor, code, kRequestId));
  return enrolment;
}

DemoAccount Describe(const Spec& spec, int64_t id, const DemoAccountOptions& options,
                     const identity::TotpEnrolment& enrolment) {
  DemoAccount a;
  a.user_id = id;
  a.username = std::string(spec.username);
  a.role = std::string(authz::RoleName(spec.role));
  a.institution = spec.role == Role::kDataProvider ? options.institution : "";
  a.password = options.password;
  a.totp_secret = enrolment.secret_base32;
  a.totp_uri = enrolment.uri;
  return a;
}

identity::NewUser NewUserFor(const Spec& spec, const DemoAccountOptions& options, Date accredited_until) {
  identity::NewUser u;
  u.username = std::string(spec.username);
  u.display_name = std::string(spec.display_name);
  if (spec.role == Role::kDataProvider) u.institution = options.institution;
  u.roles = {{spec.role, 0}};
  u.accreditation_expires = accredited_until;
  return u;
}

}  // namespace

Result<identity::NewAccount> CreateFirstAdministrator(Zone& zone, const identity::NewUser& user) {
  identity::NewAccount account;
  // Base32 of 15 random bytes (24 characters, 120 bits), redrawn until the policy accepts.
  do {
    account.temporary_password = identity::Base32Encode(crypto::RandomBytes(15));
  } while (!identity::CheckPasswordPolicy(account.temporary_password, user.username).ok());
  SZ_ASSIGN_OR_RETURN(account.user_id,
                      zone.identity().CreateFirstAdministrator(user, account.temporary_password));
  return account;
}

Result<std::vector<DemoAccount>> SeedDemoAccounts(Zone& zone, const DemoAccountOptions& options) {
  identity::Identity& ids = zone.identity();
  Date until{std::chrono::sys_days(SeoulDate(zone.clock().Now())) +
             std::chrono::days(options.accreditation_days)};
  std::vector<DemoAccount> out;

  const Spec& admin_spec = kAccounts[0];
  SZ_ASSIGN_OR_RETURN(
      int64_t admin_id,
      ids.CreateFirstAdministrator(NewUserFor(admin_spec, options, until), options.password));
  SZ_ASSIGN_OR_RETURN(authz::Actor restricted,
                      SignIn(ids, admin_spec.username, options.password, ""));
  SZ_ASSIGN_OR_RETURN(identity::TotpEnrolment admin_totp, EnrolTotp(zone, restricted));
  SZ_RETURN_IF_ERROR(ids.Logout(restricted, kRequestId));
  out.push_back(Describe(admin_spec, admin_id, options, admin_totp));
  SZ_ASSIGN_OR_RETURN(authz::Actor admin,
                      SignIn(ids, admin_spec.username, options.password,
                             identity::Totp(admin_totp.secret.view(), zone.clock().Now())));

  for (const Spec& spec : std::span(kAccounts).subspan(1)) {
    SZ_ASSIGN_OR_RETURN(identity::NewAccount account,
                        ids.CreateUser(admin, NewUserFor(spec, options, until), kRequestId));
    SZ_ASSIGN_OR_RETURN(authz::Actor first,
                        SignIn(ids, spec.username, account.temporary_password, ""));
    SZ_RETURN_IF_ERROR(
        ids.ChangePassword(first, account.temporary_password, options.password, kRequestId));
    SZ_ASSIGN_OR_RETURN(identity::TotpEnrolment totp, EnrolTotp(zone, first));
    SZ_RETURN_IF_ERROR(ids.Logout(first, kRequestId));
    out.push_back(Describe(spec, account.user_id, options, totp));
  }
  SZ_RETURN_IF_ERROR(ids.Logout(admin, kRequestId));
  return out;
}

}  // namespace sz::zone
