// Accounts the operator creates at the console with the master key: the zone's first
// administrator, and ready-to-use demo accounts (one per role) for a demonstration zone.
//
// CreateFirstAdministrator gives the first account a random temporary password that
// passes the policy (shown once); the administrator enrols TOTP at the first sign-in.
//
// SeedDemoAccounts creates, in a zone that has no accounts yet, an administrator (as the
// zone's first administrator) and then one account for each other role, each with a
// known password, an accreditation valid for `accreditation_days`, and a confirmed TOTP
// enrolment. It goes through the ordinary identity flows (the administrator creates the
// accounts; each person changes the temporary password and enrols TOTP), so the audit
// trail of a demo zone reads like that of a real one.
//
// The TOTP secrets are returned so that the operator can print them once (`safezone
// serve --demo-accounts`); they are stored only wrapped. Every enrolment is
// confirmed with the code of the *previous* 30-second step, so a person can sign in with
// the code their authenticator shows right away. The administrator's current step is
// spent by the seeding sign-in: their first code works from the next step on.
//
// Operator-only (need the zone, hence the master key); never expose them over the API: a
// known password is only acceptable on a demonstration zone.
//
// Thread-safety: uses the zone's connection; same rule as Zone.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "identity/identity.h"
#include "zone/zone.h"

namespace sz::zone {

// The first administrator (roles: administrator plus any in `user.roles`), with a random
// temporary password. FailedPrecondition if the zone already has accounts.
Result<identity::NewAccount> CreateFirstAdministrator(Zone& zone, const identity::NewUser& user);

struct DemoAccountOptions {
  // The institution the data provider acts for; demo datasets should name it as provider.
  std::string institution = "demo_institution";
  // The password of every demo account (must pass the password policy).
  std::string password = "safe-zone-demo-pass";
  int accreditation_days = 365;
};

struct DemoAccount {
  int64_t user_id = 0;
  std::string username;
  std::string role;  // authz::RoleName
  std::string institution;
  std::string password;
  std::string totp_secret;  // base32, for an authenticator app
  std::string totp_uri;     // otpauth:// URI (QR code)
};

// FailedPrecondition if the zone already has accounts.
Result<std::vector<DemoAccount>> SeedDemoAccounts(Zone& zone, const DemoAccountOptions& options = {});

}  // namespace sz::zone
