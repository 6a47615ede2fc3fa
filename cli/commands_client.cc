// safezone login | logout | whoami | password | totp enrol|confirm | token ... | user ...
//
// These act as a signed-in person and run through the API only: the operator's console
// (--zone) holds the master key, not a person's identity (the first administrator is made
// with `safezone admin create`).
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "fmt/format.h"

namespace sz::cli {

namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Status PeopleOnly(const Context& ctx, std::string_view what) {
  if (!ctx.Local()) return OkStatus();
  return InvalidArgument(fmt::format(
      "{} acts as a signed-in person through the API; drop --zone (and SAFEZONE_ZONE) and run "
      "`safezone login` first",
      what));
}

std::string Grants(const json& roles) {
  std::string out;
  for (const auto& g : roles) {
    if (!out.empty()) out += ",";
    out += Str(g, "role");
    if (!g["project_id"].is_null()) out += "@" + Str(g, "project_id");
  }
  return out;
}

// ---- login / logout / whoami ----

Status Login(Context& ctx) {
  const Args& a = ctx.args;
  SessionFile session;
  auto previous = LoadSession();
  session.server = a.server;
  session.ca_cert = a.ca_cert;
  if (session.server.empty() && previous.ok()) {
    session.server = previous->server;
    if (session.ca_cert.empty()) session.ca_cert = previous->ca_cert;
  }
  if (session.server.empty()) return InvalidArgument("pass --server https://HOST:PORT");
  if (!session.ca_cert.empty())
    session.ca_cert = std::filesystem::absolute(session.ca_cert).string();
  std::string username = a.username;
  if (username.empty()) {
    SZ_ASSIGN_OR_RETURN(username, ReadLine("username: "));
  }
  std::string password;
  if (a.password_stdin || !StdinIsTerminal()) {
    SZ_ASSIGN_OR_RETURN(password, ReadLine(""));
  } else {
    SZ_ASSIGN_OR_RETURN(password, ReadSecret("password: "));
  }
  std::string code = a.totp;
  if (code.empty()) {
    SZ_ASSIGN_OR_RETURN(code, ReadLine("TOTP code (empty if not enrolled yet): "));
  }

  server::ClientOptions o{session.server, session.ca_cert, "", std::chrono::seconds(60)};
  SZ_ASSIGN_OR_RETURN(auto api, server::ApiClient::Create(o));
  SZ_ASSIGN_OR_RETURN(json r,
                      api.Post("/api/v1/auth/login",
                               {{"username", username}, {"password", password}, {"totp", code}}));
  session.token = Str(r, "token");
  session.username = username;
  session.user_id = r.value("user_id", int64_t{0});
  SZ_RETURN_IF_ERROR(SaveSession(session));
  SZ_ASSIGN_OR_RETURN(std::string path, SessionPath());
  std::printf("signed in to %s as %s (session kept in %s until %s)\n", session.server.c_str(),
              username.c_str(), path.c_str(), Str(r, "absolute_expires").c_str());
  if (r.value("must_change_password", false)) {
    std::printf("this session is restricted: set your own password with `safezone password`\n");
  }
  if (r.value("must_enrol_totp", false)) {
    std::printf(
        "this session is restricted: enrol an authenticator app with `safezone totp enrol`\n");
  }
  return OkStatus();
}

Status Logout(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "logout"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  Status s =
      api.Post(ctx.args.everywhere ? "/api/v1/auth/logout-everywhere" : "/api/v1/auth/logout")
          .status();
  // The local credential goes either way; a session the server no longer knows is gone anyway.
  SZ_RETURN_IF_ERROR(RemoveSession());
  if (!s.ok() && s.code() != Code::kUnauthenticated) return s;
  std::printf(ctx.args.everywhere ? "signed out everywhere\n" : "signed out\n");
  return OkStatus();
}

Status Whoami(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "whoami"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json me, api.Get("/api/v1/auth/me"));
  if (ctx.json) {
    PrintJson(me);
    return OkStatus();
  }
  const json& u = me["user"];
  std::printf("%s (%s), user %s on %s\n", Str(u, "username").c_str(),
              Str(u, "display_name").c_str(), Str(u, "id").c_str(), api.server().c_str());
  std::printf(
      "roles: %s%s\n", Grants(u["roles"]).c_str(),
      Str(u, "institution").empty() ? "" : (", institution " + Str(u, "institution")).c_str());
  std::printf(
      "accreditation until: %s; TOTP %s\n",
      Str(u, "accreditation_expires").empty() ? "none" : Str(u, "accreditation_expires").c_str(),
      u.value("totp_enrolled", false) ? "enrolled" : "not enrolled");
  if (me["credential"].value("restricted", false)) {
    std::printf(
        "restricted session: change the password (`safezone password`) and enrol TOTP (`safezone "
        "totp enrol`)\n");
  }
  return OkStatus();
}

// ---- password / totp ----

Status ChangePassword(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "password"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  std::string current, next;
  if (ctx.args.password_stdin || !StdinIsTerminal()) {
    SZ_ASSIGN_OR_RETURN(current, ReadLine(""));
    SZ_ASSIGN_OR_RETURN(next, ReadLine(""));
  } else {
    SZ_ASSIGN_OR_RETURN(current, ReadSecret("current password: "));
    SZ_ASSIGN_OR_RETURN(next, ReadSecret("new password (12+ characters): "));
    SZ_ASSIGN_OR_RETURN(std::string again, ReadSecret("new password again: "));
    if (again != next) return InvalidArgument("the two new passwords differ; nothing was changed");
  }
  SZ_RETURN_IF_ERROR(
      api.Post("/api/v1/auth/password", {{"current_password", current}, {"new_password", next}})
          .status());
  std::printf("password changed; your other sessions and API tokens were ended\n");
  return OkStatus();
}

Status ConfirmTotp(server::ApiClient& api, const std::string& code) {
  SZ_RETURN_IF_ERROR(api.Post("/api/v1/auth/totp/confirm", {{"code", code}}).status());
  std::printf(
      "TOTP enrolled; sign in again with `safezone login` to leave the restricted session\n");
  return OkStatus();
}

Status EnrolTotp(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "totp enrol"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json e, api.Post("/api/v1/auth/totp/enrol"));
  if (ctx.json) {
    PrintJson(e);
  } else {
    std::printf(
        "add this account to your authenticator app (shown once):\n  secret: %s\n  uri:    %s\n",
        Str(e, "secret").c_str(), Str(e, "uri").c_str());
  }
  std::fflush(stdout);
  std::string code = ctx.args.totp;
  if (code.empty() && StdinIsTerminal()) {
    SZ_ASSIGN_OR_RETURN(code, ReadLine("code from the app: "));
  }
  if (code.empty()) {
    std::printf("then confirm with: safezone totp confirm CODE\n");
    return OkStatus();
  }
  return ConfirmTotp(api, code);
}

Status ConfirmTotpCommand(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "totp confirm"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  return ConfirmTotp(api, ctx.args.totp);
}

// ---- API tokens ----

Status CreateToken(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "token create"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  std::string code = ctx.args.totp;
  if (code.empty()) {
    SZ_ASSIGN_OR_RETURN(code, ReadLine("a fresh TOTP code: "));
  }
  if (code.empty()) {
    return InvalidArgument("creating an API token needs a fresh TOTP code: give --totp CODE");
  }
  json body = {{"name", ctx.args.token_name},
               {"scopes", ctx.args.scopes},
               {"lifetime_seconds", static_cast<int64_t>(ctx.args.days) * 86400},
               {"totp", code}};
  SZ_ASSIGN_OR_RETURN(json t, api.Post("/api/v1/auth/tokens", body));
  if (ctx.json) {
    PrintJson(t);
    return OkStatus();
  }
  std::printf("API token %s (id %s, expires %s), shown once:\n%s\n", ctx.args.token_name.c_str(),
              Str(t, "id").c_str(), Str(t, "expires").c_str(), Str(t, "token").c_str());
  return OkStatus();
}

Status ListTokens(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "token list"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json r, api.Get("/api/v1/auth/tokens"));
  if (ctx.json) {
    PrintJson(r["tokens"]);
    return OkStatus();
  }
  Table t({"id", "name", "scopes", "created", "expires", "last used", "revoked"});
  for (const auto& k : r["tokens"]) {
    std::string scopes;
    for (const auto& s : k["scopes"]) scopes += (scopes.empty() ? "" : ",") + s.get<std::string>();
    t.Add({Str(k, "id"), Str(k, "name"), scopes, Str(k, "created"), Str(k, "expires"),
           Str(k, "last_used"), k.value("revoked", false) ? "yes" : ""});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

Status RevokeToken(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "token revoke"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_RETURN_IF_ERROR(api.Delete("/api/v1/auth/tokens/" + server::UrlEncode(ctx.args.id)).status());
  std::printf("revoked API token %s\n", ctx.args.id.c_str());
  return OkStatus();
}

// ---- users ----

void RenderUsers(const json& users) {
  Table t({"id", "username", "name", "institution", "status", "roles", "accredited until", "totp"});
  for (const auto& u : users) {
    t.Add({Str(u, "id"), Str(u, "username"), Str(u, "display_name"), Str(u, "institution"),
           Str(u, "status"), Grants(u["roles"]), Str(u, "accreditation_expires"),
           u.value("totp_enrolled", false) ? "yes" : "no"});
  }
  std::fputs(t.Render().c_str(), stdout);
}

Status CreateUser(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user create"));
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  json body = {{"username", a.username},
               {"display_name", a.display_name.empty() ? a.username : a.display_name},
               {"institution", a.institution},
               {"roles", a.grants}};
  if (!a.accreditation.empty()) body["accreditation_expires"] = a.accreditation;
  SZ_ASSIGN_OR_RETURN(json r, api.Post("/api/v1/users", body));
  if (ctx.json) {
    PrintJson(r);
    return OkStatus();
  }
  std::printf(
      "created user %s (id %s); temporary password, shown once: %s\n"
      "they sign in, then set their own password and enrol TOTP\n",
      a.username.c_str(), Str(r, "id").c_str(), Str(r, "temporary_password").c_str());
  return OkStatus();
}

Status ListUsers(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user list"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json r, api.Get("/api/v1/users"));
  if (ctx.json) {
    PrintJson(r["users"]);
  } else {
    RenderUsers(r["users"]);
  }
  return OkStatus();
}

Status ShowUser(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user show"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json u, api.Get("/api/v1/users/" + server::UrlEncode(ctx.args.id)));
  if (ctx.json) {
    PrintJson(u);
  } else {
    RenderUsers(json::array({u}));
  }
  return OkStatus();
}

// "analyst@12" -> role and project id for the API.
Result<std::pair<std::string, std::string>> SplitGrant(const std::string& grant) {
  size_t at = grant.find('@');
  if (at == 0 || grant.empty()) return InvalidArgument("a role is ROLE or ROLE@PROJECT");
  if (at == std::string::npos) return std::make_pair(grant, std::string());
  return std::make_pair(grant.substr(0, at), grant.substr(at + 1));
}

// The project of a ROLE@PROJECT grant: its id as given, or looked up by name.
Result<int64_t> GrantProjectId(server::ApiClient& api, const std::string& project) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(project.data(), project.data() + project.size(), id);
  if (ec == std::errc() && end == project.data() + project.size() && id > 0) return id;
  SZ_ASSIGN_OR_RETURN(auto shown, api.Get("/api/v1/projects/" + server::UrlEncode(project)));
  if (!shown.contains("id") || !shown["id"].is_number_integer()) {
    return Internal("the server's project has no id");
  }
  return shown["id"].get<int64_t>();
}

// ROLE or ROLE@PROJECT as the API's {"role", "project_id"}.
Result<json> GrantBody(server::ApiClient& api, const std::string& grant) {
  SZ_ASSIGN_OR_RETURN(auto parts, SplitGrant(grant));
  json body = {{"role", parts.first}};
  if (!parts.second.empty()) {
    SZ_ASSIGN_OR_RETURN(int64_t project_id, GrantProjectId(api, parts.second));
    body["project_id"] = project_id;
  }
  return body;
}

Status GrantRole(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user grant"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json body, GrantBody(api, ctx.args.grant));
  SZ_RETURN_IF_ERROR(api.Post("/api/v1/users/" + server::UrlEncode(ctx.args.id) + "/roles", body).status());
  std::printf("granted %s to user %s\n", ctx.args.grant.c_str(), ctx.args.id.c_str());
  return OkStatus();
}

Status RevokeRole(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user revoke"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json body, GrantBody(api, ctx.args.grant));
  server::QueryParams q;
  if (body.contains("project_id")) q["project_id"] = std::to_string(body["project_id"].get<int64_t>());
  SZ_RETURN_IF_ERROR(api.Delete("/api/v1/users/" + server::UrlEncode(ctx.args.id) + "/roles/" +
                                    server::UrlEncode(body["role"].get<std::string>()),
                                q)
                         .status());
  std::printf("revoked %s from user %s\n", ctx.args.grant.c_str(), ctx.args.id.c_str());
  return OkStatus();
}

Status SetAccreditation(Context& ctx) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user accreditation"));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  json expires = ctx.args.accreditation == "none" ? json(nullptr) : json(ctx.args.accreditation);
  SZ_RETURN_IF_ERROR(api.Put("/api/v1/users/" + server::UrlEncode(ctx.args.id) + "/accreditation",
                             {{"expires", expires}})
                         .status());
  std::printf("accreditation of user %s: %s\n", ctx.args.id.c_str(),
              ctx.args.accreditation == "none" ? "cleared (access blocked)"
                                               : ("until " + ctx.args.accreditation).c_str());
  return OkStatus();
}

// user disable|enable|unlock|reset-password|reset-totp|logout-everywhere ID
Status UserAction(Context& ctx, const std::string& action) {
  SZ_RETURN_IF_ERROR(PeopleOnly(ctx, "user " + action));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json r,
                      api.Post("/api/v1/users/" + server::UrlEncode(ctx.args.id) + "/" + action));
  if (action == "reset-password") {
    std::printf("user %s has a new temporary password, shown once: %s\n", ctx.args.id.c_str(),
                Str(r, "temporary_password").c_str());
  } else {
    std::printf("user %s: %s done\n", ctx.args.id.c_str(), action.c_str());
  }
  return OkStatus();
}

}  // namespace

void AddClientCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* login = app.add_subcommand("login", "Sign in to a zone's API server (password + TOTP)");
  login->add_option("--server", a.server, "https://HOST:PORT (default: the last server)");
  login->add_option("--ca-cert", a.ca_cert,
                    "The server's certificate to pin (ZONE/tls/cert.pem of a self-signed zone)");
  login->add_option("--username,-u", a.username, "Username (prompted if absent)");
  login->add_flag("--password-stdin", a.password_stdin,
                  "Read the password from the first line of stdin");
  login->add_option("--totp", a.totp, "The TOTP code (prompted or read from stdin if absent)");
  login->callback([&ctx] { ctx.status = Login(ctx); });

  auto* logout = app.add_subcommand("logout", "End the session and forget it");
  logout->add_flag("--everywhere", a.everywhere, "End all of your sessions");
  logout->callback([&ctx] { ctx.status = Logout(ctx); });

  app.add_subcommand("whoami", "Show the signed-in account")->callback([&ctx] {
    ctx.status = Whoami(ctx);
  });

  auto* password = app.add_subcommand("password", "Change your password");
  password->add_flag("--password-stdin", a.password_stdin,
                     "Read the current and the new password from stdin lines");
  password->callback([&ctx] { ctx.status = ChangePassword(ctx); });

  auto* totp = app.add_subcommand("totp", "Enrol an authenticator app");
  totp->require_subcommand(1);
  auto* enrol = totp->add_subcommand(
      "enrol", "Start TOTP enrolment: shows the secret once, then confirms a code");
  enrol->add_option("--code", a.totp, "A code from the app (prompted on a terminal)");
  enrol->callback([&ctx] { ctx.status = EnrolTotp(ctx); });
  auto* confirm =
      totp->add_subcommand("confirm", "Confirm TOTP enrolment with a code from the app");
  confirm->add_option("code", a.totp, "The code")->required();
  confirm->callback([&ctx] { ctx.status = ConfirmTotpCommand(ctx); });

  auto* token = app.add_subcommand("token", "API tokens for scripts (scoped, expiring)");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token (needs a fresh TOTP code)");
  create->add_option("--name", a.token_name, "A name for your list")->required();
  create
      ->add_option("--scope", a.scopes,
                   "catalog:read, dataset:write, workspace:query, export:request, "
                   "release:download, audit:read; repeatable")
      ->required();
  create->add_option("--days", a.days, "Lifetime in days (default 30, at most 90)");
  create->add_option("--totp", a.totp, "A fresh TOTP code (prompted if absent)");
  create->callback([&ctx] { ctx.status = CreateToken(ctx); });
  token->add_subcommand("list", "Your API tokens")->callback([&ctx] {
    ctx.status = ListTokens(ctx);
  });
  auto* revoke = token->add_subcommand("revoke", "Revoke an API token");
  revoke->add_option("id", a.id, "Token id (from token list)")->required();
  revoke->callback([&ctx] { ctx.status = RevokeToken(ctx); });

  auto* user = app.add_subcommand("user", "Accounts, roles and accreditation (administrators)");
  user->require_subcommand(1);
  auto* ucreate =
      user->add_subcommand("create", "Create an account; prints its temporary password once");
  ucreate->add_option("username", a.username, "3-32 of a-z 0-9 . _ -")->required();
  ucreate->add_option("--display-name", a.display_name, "Full name");
  ucreate->add_option("--institution", a.institution, "Institution (required for data providers)");
  ucreate->add_option("--role", a.grants, "ROLE or ROLE@PROJECT_ID; repeatable");
  ucreate->add_option("--accreditation-expires", a.accreditation,
                      "YYYY-MM-DD (Asia/Seoul): access stops that day");
  ucreate->callback([&ctx] { ctx.status = CreateUser(ctx); });
  user->add_subcommand("list", "All accounts")->callback([&ctx] { ctx.status = ListUsers(ctx); });
  auto* show = user->add_subcommand("show", "One account");
  show->add_option("id", a.id, "User id")->required();
  show->callback([&ctx] { ctx.status = ShowUser(ctx); });
  auto* grant = user->add_subcommand("grant", "Grant a role");
  grant->add_option("id", a.id, "User id")->required();
  grant->add_option("role", a.grant, "ROLE or ROLE@PROJECT (project name or id)")->required();
  grant->callback([&ctx] { ctx.status = GrantRole(ctx); });
  auto* urevoke = user->add_subcommand("revoke", "Revoke a role");
  urevoke->add_option("id", a.id, "User id")->required();
  urevoke->add_option("role", a.grant, "ROLE or ROLE@PROJECT (project name or id)")->required();
  urevoke->callback([&ctx] { ctx.status = RevokeRole(ctx); });
  auto* accreditation =
      user->add_subcommand("accreditation", "Set the accreditation expiry (or 'none')");
  accreditation->add_option("id", a.id, "User id")->required();
  accreditation->add_option("expires", a.accreditation, "YYYY-MM-DD or none")->required();
  accreditation->callback([&ctx] { ctx.status = SetAccreditation(ctx); });
  for (const char* action :
       {"disable", "enable", "unlock", "reset-password", "reset-totp", "logout-everywhere"}) {
    auto* sub = user->add_subcommand(action, fmt::format("user {} ID", action));
    sub->add_option("id", a.id, "User id")->required();
    std::string name = action;
    sub->callback([&ctx, name] { ctx.status = UserAction(ctx, name); });
  }
}

}  // namespace sz::cli
