#include "identity/identity.h"

#include <gtest/gtest.h>

#include "audit/verify.h"
#include "authz/guard.h"
#include "crypto/keys.h"
#include "identity/password.h"
#include "identity/tokens.h"
#include "test_util.h"

namespace sz::identity {
namespace {

using authz::Action;
using authz::Actor;
using authz::Object;
using authz::Role;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using storage::SqliteDb;

constexpr std::string_view kAdminPassword = "granite-heron-umbrella-7";

// Someone with an account, as the tests drive them.
struct Person {
  int64_t id = 0;
  std::string username;
  std::string password;
  std::string totp_secret;  // raw bytes, as the authenticator app holds it
  std::string token;
  Actor actor;
};

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(dir_ / "control.db", SqliteDb::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    // Durability is not under test here; fsyncs would only make the suite slow.
    ASSERT_TRUE(db_.Exec("PRAGMA synchronous=OFF").ok());
    ASSERT_TRUE(audit::AuditLog::CreateSchema(db_).ok());
    ASSERT_TRUE(Identity::CreateSchema(db_).ok());
    ASSERT_TRUE(Identity::CreateSchema(db_).ok());  // idempotent
    identity_ = std::make_unique<Identity>(db_, clock_, log_, totp_key_, options_);
    NewUser root;
    root.username = "root.admin";
    root.display_name = "Zone Administrator";
    root.accreditation_expires = Date{year(2026), month(1), day(1)};
    auto id = identity_->CreateFirstAdministrator(root, kAdminPassword);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    admin_.id = *id;
    admin_.username = "root.admin";
    admin_.password = std::string(kAdminPassword);
    EnrolTotpAndSignIn(admin_);
  }

  // Password sign-in (restricted), TOTP enrolment, then a full sign-in.
  void EnrolTotpAndSignIn(Person& p) {
    auto first = identity_->Login({p.username, p.password, "", "", "r"});
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_TRUE(first->must_enrol_totp);
    auto restricted = identity_->Authenticate(first->token);
    ASSERT_TRUE(restricted.ok()) << restricted.status().ToString();
    EXPECT_TRUE(restricted->restricted);
    auto enrolment = identity_->BeginTotpEnrolment(*restricted, "r");
    ASSERT_TRUE(enrolment.ok()) << enrolment.status().ToString();
    p.totp_secret = std::string(enrolment->secret.view());
    ASSERT_TRUE(
        identity_->ConfirmTotpEnrolment(*restricted, Totp(p.totp_secret, clock_.Now()), "r").ok());
    clock_.Advance(std::chrono::seconds(30));  // the confirming code is spent
    SignIn(p);
  }

  void SignIn(Person& p) {
    auto login =
        identity_->Login({p.username, p.password, Totp(p.totp_secret, clock_.Now()), "", "r"});
    ASSERT_TRUE(login.ok()) << login.status().ToString();
    p.token = login->token;
    auto actor = identity_->Authenticate(p.token);
    ASSERT_TRUE(actor.ok()) << actor.status().ToString();
    p.actor = *actor;
    clock_.Advance(std::chrono::seconds(30));
  }

  // Admin creates the account; the person changes the temporary password and enrols.
  Person Onboard(std::string username, std::vector<authz::RoleGrant> roles,
                 std::string institution = "") {
    NewUser u;
    u.username = username;
    u.display_name = "Person " + username;
    u.institution = institution;
    u.roles = std::move(roles);
    u.accreditation_expires = Date{year(2026), month(1), day(1)};
    auto account = identity_->CreateUser(admin_.actor, u, "r");
    EXPECT_TRUE(account.ok()) << account.status().ToString();
    Person p;
    if (!account.ok()) return p;
    p.id = account->user_id;
    p.username = username;
    auto first = identity_->Login({username, account->temporary_password, "", "", "r"});
    EXPECT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_TRUE(first->must_change_password);
    auto restricted = identity_->Authenticate(first->token);
    p.password = "river-otter-lantern-42";
    EXPECT_TRUE(
        identity_->ChangePassword(*restricted, account->temporary_password, p.password, "r").ok());
    EnrolTotpAndSignIn(p);
    return p;
  }

  // The current TOTP code of `p` (SignIn leaves the clock a step past the last used code).
  std::string Code(const Person& p) { return Totp(p.totp_secret, clock_.Now()); }

  static ApiTokenRequest TokenRequest(std::string name, std::vector<authz::Scope> scopes,
                                      std::chrono::seconds lifetime, std::string code) {
    ApiTokenRequest r;
    r.name = std::move(name);
    r.scopes = std::move(scopes);
    r.lifetime = lifetime;
    r.totp_code = std::move(code);
    return r;
  }

  // Audit entries with `action`, as (outcome, reason) pairs.
  std::vector<std::pair<std::string, std::string>> AuditOf(std::string_view action) {
    std::vector<std::pair<std::string, std::string>> out;
    auto st = db_.Query("SELECT outcome, reason FROM audit_entries WHERE action = ?1 ORDER BY seq",
                        action);
    while (*st->Step()) out.emplace_back(st->Text(0), st->Text(1));
    return out;
  }

  int64_t CountRows(std::string_view sql) {
    auto st = db_.Prepare(sql);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int64(0);
  }

  void ExpectChainIntact() {
    auto r = audit::Verify(db_, signing_.public_key, {});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->ok()) << r->detail;
  }

  sz::testing::TempDir dir_;
  SqliteDb db_;
  // 2025-06-15 10:00 KST.
  FakeClock clock_{SeoulMidnight(Date{year(2025), month(6), day(15)}) + std::chrono::hours(10)};
  audit::SigningKey signing_ = audit::SigningKey::Generate();
  crypto::SecretBytes query_key_ = crypto::SecretBytes::Random(32);
  crypto::SecretBytes totp_key_ = crypto::SecretBytes::Random(32);
  audit::AuditLog log_{clock_, signing_, query_key_};
  IdentityOptions options_;
  std::unique_ptr<Identity> identity_;
  Person admin_;
};

TEST_F(IdentityTest, FirstAdministratorOnlyOnce) {
  EXPECT_TRUE(admin_.actor.HasRole(Role::kAdministrator));
  EXPECT_FALSE(admin_.actor.restricted);
  NewUser again;
  again.username = "second.root";
  again.display_name = "Another";
  EXPECT_EQ(identity_->CreateFirstAdministrator(again, kAdminPassword).status().code(),
            Code::kFailedPrecondition);
  auto st = db_.Prepare("SELECT actor, action, object FROM audit_entries WHERE seq = 1");
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Text(0), "system");
  EXPECT_EQ(st->Text(1), "user.create");
}

TEST_F(IdentityTest, FirstSignInIsRestrictedUntilTotpAndPasswordAreSetUp) {
  NewUser u;
  u.username = "lee.analyst";
  u.display_name = "Lee";
  u.roles = {{Role::kAnalyst, 0}};
  u.accreditation_expires = Date{year(2026), month(1), day(1)};
  auto account = identity_->CreateUser(admin_.actor, u, "r");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_TRUE(CheckPasswordPolicy(account->temporary_password, "lee.analyst").ok());
  auto login = identity_->Login({"lee.analyst", account->temporary_password, "", "", "r"});
  ASSERT_TRUE(login.ok());
  EXPECT_TRUE(login->must_change_password);
  EXPECT_TRUE(login->must_enrol_totp);
  auto actor = identity_->Authenticate(login->token);
  ASSERT_TRUE(actor.ok());
  EXPECT_TRUE(actor->restricted);
  EXPECT_EQ(authz::Decide(*actor, Action::kCatalogRead,
                          Object::Dataset(1, "x", authz::Tier::kPseudonymized))
                .reason,
            authz::Reason::kRestrictedSession);
  // A restricted session cannot mint API tokens (that would skip the second factor).
  auto token = identity_->CreateApiToken(
      *actor, TokenRequest("ci", {authz::Scope::kCatalogRead}, std::chrono::hours(1), "123456"),
      "r");
  EXPECT_EQ(token.status().code(), Code::kPermissionDenied);
}

TEST_F(IdentityTest, SignInNeedsTheTotpCodeAndACodeWorksOnce) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  std::string code = Totp(kim.totp_secret, clock_.Now());
  auto wrong_pw = identity_->Login({"kim.analyst", "not-the-password-1", code, "", "r"});
  auto no_code = identity_->Login({"kim.analyst", kim.password, "", "", "r"});
  auto wrong_code = identity_->Login(
      {"kim.analyst", kim.password, code == "000000" ? "111111" : "000000", "", "r"});
  auto unknown = identity_->Login({"nobody.here", kim.password, code, "", "r"});
  for (const auto* r : {&wrong_pw, &no_code, &wrong_code, &unknown}) {
    EXPECT_EQ(r->status().code(), Code::kUnauthenticated);
  }
  // One message for all four: a guesser cannot tell which part was wrong.
  EXPECT_EQ(wrong_pw.status().message(), wrong_code.status().message());
  EXPECT_EQ(wrong_pw.status().message(), unknown.status().message());
  auto ok = identity_->Login({"kim.analyst", kim.password, code, "", "r"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->must_enrol_totp);
  auto replay = identity_->Login({"kim.analyst", kim.password, code, "", "r"});
  EXPECT_EQ(replay.status().code(), Code::kUnauthenticated);
  // Usernames are case-insensitive.
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(
      identity_->Login({"KIM.Analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .ok());
}

TEST_F(IdentityTest, EverySignInAttemptIsAudited) {
  size_t before = AuditOf("session.login").size();
  (void)identity_->Login({"root.admin", "wrong-password-123", "", "", "r1"});
  (void)identity_->Login({"someone-typed-a-password", "x", "", "", "r2"});
  (void)identity_->Login({"root.admin", kAdminPassword, "000000", "", "r3"});
  (void)identity_->Login(
      {"root.admin", kAdminPassword, Totp(admin_.totp_secret, clock_.Now()), "", "r4"});
  auto entries = AuditOf("session.login");
  ASSERT_EQ(entries.size(), before + 4);
  EXPECT_EQ(entries[before + 0], (std::pair<std::string, std::string>{"deny", "wrong password"}));
  EXPECT_EQ(entries[before + 1], (std::pair<std::string, std::string>{"deny", "unknown username"}));
  EXPECT_EQ(entries[before + 2].second, "wrong or reused TOTP code");
  EXPECT_EQ(entries[before + 3].first, "allow");
  // The attempted unknown username never reaches the trail.
  EXPECT_EQ(CountRows("SELECT count(*) FROM audit_entries WHERE instr(actor || object || reason, "
                      "'someone-typed') > 0"),
            0);
  ExpectChainIntact();
}

TEST_F(IdentityTest, BackoffAfterRepeatedFailuresDoublesAndResetsOnSuccess) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"}).status().code(),
              Code::kUnauthenticated);
  }
  // The fifth failure starts the backoff: 30 s.
  EXPECT_EQ(identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"}).status().code(),
            Code::kUnauthenticated);
  auto refused =
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"});
  EXPECT_EQ(refused.status().code(), Code::kResourceExhausted);  // even the right password
  EXPECT_NE(refused.status().message().find("30 s"), std::string::npos)
      << refused.status().message();
  clock_.Advance(std::chrono::seconds(30));
  // A sixth failure doubles it: 60 s.
  EXPECT_EQ(identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"}).status().code(),
            Code::kUnauthenticated);
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .status()
          .code(),
      Code::kResourceExhausted);
  clock_.Advance(std::chrono::seconds(1));
  auto ok =
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto info = identity_->GetUser(admin_.actor, kim.id, "r");
  EXPECT_EQ(info->failed_logins, 0);
  EXPECT_FALSE(info->locked_until.has_value());
  EXPECT_EQ(AuditOf("session.login").back().first, "allow");
  EXPECT_GE(
      CountRows(
          "SELECT count(*) FROM audit_entries WHERE reason = 'refused during failure backoff'"),
      2);
}

TEST_F(IdentityTest, BackoffIsCappedAndAdministratorCanClearIt) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  for (int i = 0; i < 12; ++i) {
    (void)identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"});
    clock_.Advance(std::chrono::hours(2));  // past any delay, so every attempt is checked
  }
  (void)identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"});
  auto info = identity_->GetUser(admin_.actor, kim.id, "r");
  ASSERT_TRUE(info->locked_until.has_value());
  EXPECT_EQ(*info->locked_until - clock_.Now(), std::chrono::seconds(3600));  // the cap
  ASSERT_TRUE(identity_->Unlock(admin_.actor, kim.id, "r").ok());
  EXPECT_TRUE(
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .ok());
}

TEST_F(IdentityTest, PerAddressThrottleAcrossAccounts) {
  options_.address_threshold = 3;
  Identity strict(db_, clock_, log_, totp_key_, options_);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(strict.Login({"user" + std::to_string(i), "pw-guess-000000", "", "10.0.0.1", "r"})
                  .status()
                  .code(),
              Code::kUnauthenticated);
  }
  EXPECT_EQ(strict.AddressBlockedFor("10.0.0.1")->count(), 0);
  (void)strict.Login({"root.admin", "pw-guess-000000", "", "10.0.0.1", "r"});  // third failure
  EXPECT_EQ(strict.AddressBlockedFor("10.0.0.1")->count(), 60);
  auto blocked = strict.Login(
      {"root.admin", kAdminPassword, Totp(admin_.totp_secret, clock_.Now()), "10.0.0.1", "r"});
  EXPECT_EQ(blocked.status().code(), Code::kResourceExhausted);
  // Another address is unaffected, and the account itself is not locked.
  EXPECT_TRUE(strict
                  .Login({"root.admin", kAdminPassword, Totp(admin_.totp_secret, clock_.Now()),
                          "10.0.0.2", "r"})
                  .ok());
  EXPECT_TRUE(strict.ResetAddress("10.0.0.1").ok());
  EXPECT_EQ(strict.AddressBlockedFor("10.0.0.1")->count(), 0);
  // Failures spread further apart than the window do not add up.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(strict.RecordAddressFailure("10.0.0.3").ok());
    clock_.Advance(std::chrono::hours(1));
  }
  EXPECT_EQ(strict.AddressBlockedFor("10.0.0.3")->count(), 0);
}

TEST_F(IdentityTest, SessionIdleExpiry) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  clock_.Advance(std::chrono::seconds(1799 - 30));       // SignIn already advanced 30 s
  ASSERT_TRUE(identity_->Authenticate(kim.token).ok());  // 29:59 idle: still fine, touched
  clock_.Advance(std::chrono::seconds(1799));
  ASSERT_TRUE(identity_->Authenticate(kim.token).ok());
  clock_.Advance(std::chrono::seconds(1800));
  auto expired = identity_->Authenticate(kim.token);
  EXPECT_EQ(expired.status().code(), Code::kUnauthenticated);
}

TEST_F(IdentityTest, SessionAbsoluteExpiryDespiteActivity) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  // Active every 20 minutes; the session still ends 12 h after sign-in.
  int64_t elapsed = 30;  // SignIn advanced 30 s after the login
  while (elapsed + 1200 < 12 * 3600) {
    clock_.Advance(std::chrono::seconds(1200));
    elapsed += 1200;
    ASSERT_TRUE(identity_->Authenticate(kim.token).ok()) << elapsed;
  }
  clock_.Advance(std::chrono::seconds(12 * 3600 - elapsed));
  EXPECT_EQ(identity_->Authenticate(kim.token).status().code(), Code::kUnauthenticated);
}

TEST_F(IdentityTest, LogoutAndLogoutEverywhere) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  std::string first = kim.token;
  SignIn(kim);
  std::string second = kim.token;
  SignIn(kim);
  std::string third = kim.token;
  ASSERT_TRUE(identity_->Logout(kim.actor, "r").ok());  // ends the third
  EXPECT_FALSE(identity_->Authenticate(third).ok());
  EXPECT_TRUE(identity_->Authenticate(first).ok());
  auto actor = identity_->Authenticate(second);
  auto sessions = identity_->ListSessions(*actor, "r");
  ASSERT_TRUE(sessions.ok());
  // The password-only session that confirmed TOTP, then `first` and `second`.
  EXPECT_EQ(sessions->size(), 3u);
  ASSERT_TRUE(identity_->LogoutEverywhere(*actor, kim.id, "r").ok());
  EXPECT_FALSE(identity_->Authenticate(first).ok());
  EXPECT_FALSE(identity_->Authenticate(second).ok());
  // An administrator can end someone else's sessions; a non-administrator cannot.
  SignIn(kim);
  Person lee = Onboard("lee.analyst", {{Role::kAnalyst, 0}});
  EXPECT_EQ(identity_->LogoutEverywhere(lee.actor, kim.id, "r").code(), Code::kPermissionDenied);
  EXPECT_TRUE(identity_->Authenticate(kim.token).ok());
  ASSERT_TRUE(identity_->LogoutEverywhere(admin_.actor, kim.id, "r").ok());
  EXPECT_FALSE(identity_->Authenticate(kim.token).ok());
}

TEST_F(IdentityTest, TokensAreStoredOnlyAsHashes) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  EXPECT_EQ(TokenKindOf(kim.token), TokenKind::kSession);
  EXPECT_EQ(kim.token.size(), kTokenChars);
  EXPECT_TRUE(kim.token.starts_with("szs_"));
  auto api = identity_->CreateApiToken(
      kim.actor,
      TokenRequest("notebook", {authz::Scope::kWorkspaceQuery}, std::chrono::hours(24), Code(kim)),
      "r");
  ASSERT_TRUE(api.ok()) << api.status().ToString();
  EXPECT_TRUE(api->token.starts_with("sza_"));
  for (const std::string& token : {kim.token, api->token}) {
    std::string body = token.substr(4);
    EXPECT_EQ(CountRows("SELECT count(*) FROM identity_sessions WHERE instr(token_hash, '" + body +
                        "') > 0"),
              0);
    EXPECT_EQ(CountRows("SELECT count(*) FROM identity_api_tokens WHERE instr(token_hash, '" +
                        body + "') > 0"),
              0);
    EXPECT_EQ(
        CountRows("SELECT count(*) FROM audit_entries WHERE instr(reason, '" + body + "') > 0"), 0);
  }
  EXPECT_EQ(CountRows("SELECT count(*) FROM identity_api_tokens WHERE token_hash = '" +
                      TokenHash(api->token) + "'"),
            1);
  // Malformed or foreign bearer strings are rejected before any lookup.
  EXPECT_EQ(identity_->Authenticate("Bearer abc").status().code(), Code::kUnauthenticated);
  std::string tampered = kim.token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(identity_->Authenticate(tampered).status().code(), Code::kUnauthenticated);
}

TEST_F(IdentityTest, ApiTokenScopesExpiryAndRevocation) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  // Step-up: a wrong code is refused (and counts as a failure).
  EXPECT_EQ(identity_
                ->CreateApiToken(kim.actor,
                                 TokenRequest("notebook", {authz::Scope::kWorkspaceQuery},
                                              std::chrono::hours(24 * 7), "000000"),
                                 "r")
                .status()
                .code(),
            Code::kUnauthenticated);
  EXPECT_EQ(identity_->GetUser(admin_.actor, kim.id, "r")->failed_logins, 1);
  std::string code = Code(kim);
  auto api = identity_->CreateApiToken(
      kim.actor,
      TokenRequest("notebook", {authz::Scope::kWorkspaceQuery}, std::chrono::hours(24 * 7), code),
      "r");
  // The same code does not work twice.
  EXPECT_EQ(identity_
                ->CreateApiToken(kim.actor,
                                 TokenRequest("again", {authz::Scope::kWorkspaceQuery},
                                              std::chrono::hours(1), code),
                                 "r")
                .status()
                .code(),
            Code::kUnauthenticated);
  ASSERT_TRUE(api.ok());
  auto actor = identity_->Authenticate(api->token);
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->method, authz::AuthMethod::kApiToken);
  EXPECT_EQ(actor->scopes, std::vector<authz::Scope>{authz::Scope::kWorkspaceQuery});
  authz::ProjectInfo p;
  p.id = 1;
  p.members = {kim.id};
  p.start = Date{year(2025), month(1), day(1)};
  p.end = Date{year(2025), month(12), day(31)};
  p.state = authz::ProjectState::kApproved;
  EXPECT_TRUE(authz::Decide(*actor, Action::kWorkspaceQuery, Object::Project(p)).allowed);
  EXPECT_EQ(authz::Decide(*actor, Action::kExportRequest, Object::Project(p)).reason,
            authz::Reason::kScopeMissing);
  // A token cannot mint tokens.
  EXPECT_EQ(identity_
                ->CreateApiToken(*actor,
                                 TokenRequest("x", {authz::Scope::kWorkspaceQuery},
                                              std::chrono::hours(1), Code(kim)),
                                 "r")
                .status()
                .code(),
            Code::kPermissionDenied);
  // Lifetime limits.
  EXPECT_EQ(identity_
                ->CreateApiToken(kim.actor,
                                 TokenRequest("long", {authz::Scope::kWorkspaceQuery},
                                              std::chrono::hours(24 * 91), Code(kim)),
                                 "r")
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(identity_
                ->CreateApiToken(kim.actor,
                                 TokenRequest("none", {}, std::chrono::hours(1), Code(kim)), "r")
                .status()
                .code(),
            Code::kInvalidArgument);
  // Expiry, to the second.
  clock_.Advance(std::chrono::hours(24 * 7) - std::chrono::seconds(1));
  EXPECT_TRUE(identity_->Authenticate(api->token).ok());
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(identity_->Authenticate(api->token).status().code(), Code::kUnauthenticated);
  // Revocation.
  SignIn(kim);
  auto second = identity_->CreateApiToken(
      kim.actor, TokenRequest("ci", {authz::Scope::kCatalogRead}, std::chrono::hours(1), Code(kim)),
      "r");
  ASSERT_TRUE(identity_->Authenticate(second->token).ok());
  auto listed = identity_->ListApiTokens(kim.actor, "r");
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].name, "ci");
  EXPECT_TRUE(identity_->RevokeApiToken(kim.actor, second->id, "r").ok());
  EXPECT_EQ(identity_->Authenticate(second->token).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(identity_->RevokeApiToken(kim.actor, second->id, "r").code(), Code::kNotFound);
}

TEST_F(IdentityTest, AccreditationExpiresOnTheExactSeoulDay) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  ASSERT_TRUE(
      identity_->SetAccreditation(admin_.actor, kim.id, Date{year(2025), month(6), day(16)}, "r")
          .ok());
  Object dataset = Object::Dataset(1, "korail", authz::Tier::kPseudonymized);
  // 2025-06-15 23:59:59 KST: the last day of access.
  clock_.Set(SeoulMidnight(Date{year(2025), month(6), day(16)}) - std::chrono::seconds(1));
  SignIn(kim);
  clock_.Set(SeoulMidnight(Date{year(2025), month(6), day(16)}) - std::chrono::seconds(1));
  auto before = identity_->Authenticate(kim.token);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(FormatDate(before->today), "2025-06-15");
  EXPECT_TRUE(authz::Decide(*before, Action::kCatalogRead, dataset).allowed);
  // One second later it is 2025-06-16 in Seoul (still the 15th in UTC): blocked.
  clock_.Advance(std::chrono::seconds(1));
  auto after = identity_->Authenticate(kim.token);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(FormatDate(after->today), "2025-06-16");
  EXPECT_EQ(authz::Decide(*after, Action::kCatalogRead, dataset).reason,
            authz::Reason::kAccreditationExpired);
}

TEST_F(IdentityTest, NobodyChangesTheirOwnRolesAndDenialsAreAudited) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  Status own = identity_->GrantRole(admin_.actor, admin_.id, {Role::kAuditor, 0}, "req-own");
  EXPECT_EQ(own.code(), Code::kPermissionDenied);
  auto denied =
      db_.Query("SELECT outcome, actor, object FROM audit_entries WHERE request_id = 'req-own'");
  ASSERT_TRUE(*denied->Step());
  EXPECT_EQ(denied->Text(0), "deny");
  EXPECT_EQ(denied->Text(2), "user:" + std::to_string(admin_.id));
  // Granting someone else works and shows up at once.
  ASSERT_TRUE(identity_->GrantRole(admin_.actor, kim.id, {Role::kOutputReviewer, 7}, "r").ok());
  auto info = identity_->GetUser(admin_.actor, kim.id, "r");
  EXPECT_EQ(info->roles.size(), 2u);
  auto actor = identity_->Authenticate(kim.token);
  EXPECT_TRUE(actor->HasRoleFor(Role::kOutputReviewer, 7));
  EXPECT_FALSE(actor->HasRoleFor(Role::kOutputReviewer, 8));
  // Zone-wide roles cannot be project-scoped; providers need an institution.
  EXPECT_EQ(identity_->GrantRole(admin_.actor, kim.id, {Role::kAuditor, 7}, "r").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(identity_->GrantRole(admin_.actor, kim.id, {Role::kDataProvider, 0}, "r").code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(identity_->RevokeRole(admin_.actor, kim.id, {Role::kOutputReviewer, 7}, "r").ok());
  EXPECT_FALSE(identity_->Authenticate(kim.token)->HasRoleAnywhere(Role::kOutputReviewer));
  // An analyst cannot grant anything.
  EXPECT_EQ(identity_->GrantRole(kim.actor, admin_.id, {Role::kAnalyst, 0}, "r").code(),
            Code::kPermissionDenied);
  ExpectChainIntact();
}

TEST_F(IdentityTest, FailedAdministrationLeavesNoStateAndAnErrorEntry) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  int64_t roles_before = CountRows("SELECT count(*) FROM identity_roles");
  Status dup = identity_->GrantRole(admin_.actor, kim.id, {Role::kAnalyst, 0}, "req-dup");
  EXPECT_EQ(dup.code(), Code::kAlreadyExists);
  EXPECT_EQ(CountRows("SELECT count(*) FROM identity_roles"), roles_before);
  auto st =
      db_.Query("SELECT outcome FROM audit_entries WHERE request_id = 'req-dup' ORDER BY seq");
  std::vector<std::string> outcomes;
  while (*st->Step()) outcomes.push_back(st->Text(0));
  EXPECT_EQ(outcomes, std::vector<std::string>{"error"});  // no "allow" for what did not happen
  // A duplicate username: no account and no allow entry either.
  NewUser u;
  u.username = "kim.analyst";
  u.display_name = "Copy";
  int64_t users_before = CountRows("SELECT count(*) FROM identity_users");
  EXPECT_EQ(identity_->CreateUser(admin_.actor, u, "req-user").status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(CountRows("SELECT count(*) FROM identity_users"), users_before);
  EXPECT_EQ(
      CountRows(
          "SELECT count(*) FROM audit_entries WHERE request_id = 'req-user' AND outcome = 'allow'"),
      0);
  ExpectChainIntact();
}

TEST_F(IdentityTest, DisablingEndsSessionsAndBlocksSignIn) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  ASSERT_TRUE(identity_->SetStatus(admin_.actor, kim.id, AccountStatus::kDisabled, "r").ok());
  EXPECT_EQ(identity_->Authenticate(kim.token).status().code(), Code::kUnauthenticated);
  auto login =
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"});
  EXPECT_EQ(login.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(AuditOf("session.login").back(),
            (std::pair<std::string, std::string>{"deny", "account disabled"}));
  // A wrong password on a disabled account says nothing about the status.
  EXPECT_EQ(identity_->Login({"kim.analyst", "wrong-password-123", "", "", "r"}).status().code(),
            Code::kUnauthenticated);
  ASSERT_TRUE(identity_->SetStatus(admin_.actor, kim.id, AccountStatus::kActive, "r").ok());
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .ok());
  // Administrators cannot disable themselves.
  EXPECT_EQ(identity_->SetStatus(admin_.actor, admin_.id, AccountStatus::kDisabled, "r").code(),
            Code::kPermissionDenied);
}

TEST_F(IdentityTest, ChangePasswordChecksCurrentAndPolicyAndEndsOtherCredentials) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  std::string other_session = kim.token;
  SignIn(kim);
  auto api = identity_->CreateApiToken(
      kim.actor, TokenRequest("ci", {authz::Scope::kCatalogRead}, std::chrono::hours(1), Code(kim)),
      "r");
  EXPECT_EQ(identity_->ChangePassword(kim.actor, "wrong-current-pw1", "mossy-canyon-bridge-8", "r")
                .code(),
            Code::kUnauthenticated);
  EXPECT_EQ(identity_->ChangePassword(kim.actor, kim.password, "password2024!", "r").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(identity_->ChangePassword(kim.actor, kim.password, kim.password, "r").code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(
      identity_->ChangePassword(kim.actor, kim.password, "mossy-canyon-bridge-8", "r").ok());
  EXPECT_TRUE(identity_->Authenticate(kim.token).ok());  // the session that changed it
  EXPECT_FALSE(identity_->Authenticate(other_session).ok());
  EXPECT_FALSE(identity_->Authenticate(api->token).ok());
  EXPECT_EQ(
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .status()
          .code(),
      Code::kUnauthenticated);
  clock_.Advance(std::chrono::seconds(30));  // the step-up for the API token spent this step
  EXPECT_TRUE(identity_
                  ->Login({"kim.analyst", "mossy-canyon-bridge-8",
                           Totp(kim.totp_secret, clock_.Now()), "", "r"})
                  .ok());
}

TEST_F(IdentityTest, PasswordResetByAdministrator) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  auto temporary = identity_->ResetPassword(admin_.actor, kim.id, "r");
  ASSERT_TRUE(temporary.ok()) << temporary.status().ToString();
  EXPECT_FALSE(identity_->Authenticate(kim.token).ok());
  EXPECT_EQ(
      identity_->Login({"kim.analyst", kim.password, Totp(kim.totp_secret, clock_.Now()), "", "r"})
          .status()
          .code(),
      Code::kUnauthenticated);
  auto login =
      identity_->Login({"kim.analyst", *temporary, Totp(kim.totp_secret, clock_.Now()), "", "r"});
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_TRUE(login->must_change_password);
  EXPECT_FALSE(login->must_enrol_totp);  // the second factor stays
  EXPECT_TRUE(identity_->Authenticate(login->token)->restricted);
  // Nobody resets their own credentials through the administrator path.
  EXPECT_EQ(identity_->ResetPassword(admin_.actor, admin_.id, "r").status().code(),
            Code::kPermissionDenied);
}

TEST_F(IdentityTest, TotpResetAndReEnrolment) {
  Person kim = Onboard("kim.analyst", {{Role::kAnalyst, 0}});
  // A confirmed enrolment cannot be replaced from a (possibly stolen) session.
  EXPECT_EQ(identity_->BeginTotpEnrolment(kim.actor, "r").status().code(),
            Code::kFailedPrecondition);
  ASSERT_TRUE(identity_->ResetTotp(admin_.actor, kim.id, "r").ok());
  EXPECT_FALSE(identity_->Authenticate(kim.token).ok());
  EnrolTotpAndSignIn(kim);
  EXPECT_FALSE(kim.actor.restricted);
}

TEST_F(IdentityTest, TotpSecretIsStoredWrappedForItsAccount) {
  auto st = db_.Query("SELECT totp_wrapped FROM identity_users WHERE id = ?1", admin_.id);
  ASSERT_TRUE(*st->Step());
  std::string wrapped = st->Blob(0);
  EXPECT_EQ(wrapped.find(admin_.totp_secret), std::string::npos);
  EXPECT_TRUE(crypto::UnwrapKey(totp_key_, wrapped, "totp:user:" + std::to_string(admin_.id)).ok());
  // Bound to the account: it does not open as another user's secret.
  EXPECT_FALSE(crypto::UnwrapKey(totp_key_, wrapped, "totp:user:999").ok());
  // Under another zone key, sign-in fails closed.
  crypto::SecretBytes other_key = crypto::SecretBytes::Random(32);
  Identity wrong_key(db_, clock_, log_, other_key, options_);
  EXPECT_EQ(
      wrong_key
          .Login({"root.admin", kAdminPassword, Totp(admin_.totp_secret, clock_.Now()), "", "r"})
          .status()
          .code(),
      Code::kDataLoss);
  EXPECT_EQ(AuditOf("session.login").back(),
            (std::pair<std::string, std::string>{"error", "the stored TOTP secret does not open"}));
  ExpectChainIntact();
}

TEST_F(IdentityTest, UsersAndAccountsValidation) {
  NewUser bad;
  bad.display_name = "X";
  for (std::string name :
       std::vector<std::string>{"ab", "1abc", "has space", "kim!", std::string(33, 'a')}) {
    bad.username = name;
    EXPECT_EQ(identity_->CreateUser(admin_.actor, bad, "r").status().code(), Code::kInvalidArgument)
        << name;
  }
  bad.username = "fine.name";
  bad.display_name = "";
  EXPECT_EQ(identity_->CreateUser(admin_.actor, bad, "r").status().code(), Code::kInvalidArgument);
  Person provider = Onboard("kepco.provider", {{Role::kDataProvider, 0}}, "kepco");
  EXPECT_EQ(provider.actor.institution, "kepco");
  auto all = identity_->ListUsers(admin_.actor, "r");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(identity_->ListUsers(provider.actor, "r").status().code(), Code::kPermissionDenied);
  // Self-read is self-service.
  EXPECT_TRUE(identity_->GetUser(provider.actor, provider.id, "r").ok());
  EXPECT_EQ(identity_->GetUser(provider.actor, admin_.id, "r").status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace sz::identity
