// safezone serve | admin create | totp-code (hidden) — operator commands on the zone.
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/app.h"
#include "cli/render.h"
#include "common/clock.h"
#include "fmt/format.h"
#include "identity/totp.h"
#include "server/server.h"
#include "zone/operator_accounts.h"

namespace sz::cli {

namespace {

using nlohmann::json;

Status NeedsZone(const Context& ctx, std::string_view what) {
  if (ctx.Local()) return OkStatus();
  return InvalidArgument(fmt::format(
      "{} runs on the zone with its master key: pass --zone DIR and --key-file FILE", what));
}

void PrintBanner(const Context& ctx, const server::Server& s,
                 const std::vector<zone::DemoAccount>& accounts) {
  const server::TlsIdentity& tls = s.tls();
  if (ctx.json) {
    json out = {{"url", s.url()},
                {"cert", tls.cert_path},
                {"fingerprint", tls.fingerprint},
                {"certificate_generated", tls.generated}};
    json list = json::array();
    for (const auto& a : accounts) {
      list.push_back({{"username", a.username},
                      {"role", a.role},
                      {"institution", a.institution},
                      {"password", a.password},
                      {"totp_secret", a.totp_secret},
                      {"totp_uri", a.totp_uri}});
    }
    if (!accounts.empty()) out["demo_accounts"] = list;
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("safezone serve: zone %s\n", ctx.zone_dir.c_str());
    std::printf("listening on %s\n", s.url().c_str());
    std::printf("TLS certificate %s (%sSHA-256 %s)\n", tls.cert_path.c_str(),
                tls.generated ? "new self-signed, " : "", tls.fingerprint.c_str());
    std::printf("sign in with: safezone login --server %s --ca-cert %s\n", s.url().c_str(),
                tls.cert_path.c_str());
    if (!accounts.empty()) {
      std::printf("demo accounts (password %s; add the TOTP secret to an authenticator app):\n",
                  accounts.front().password.c_str());
      Table t({"username", "role", "institution", "TOTP secret"});
      for (const auto& a : accounts) t.Add({a.username, a.role, a.institution, a.totp_secret});
      std::fputs(t.Render().c_str(), stdout);
    }
    std::printf("Ctrl-C stops the server.\n");
  }
  std::fflush(stdout);
}

Status Serve(Context& ctx) {
  SZ_RETURN_IF_ERROR(NeedsZone(ctx, "serve"));
  std::vector<zone::DemoAccount> accounts;
  if (ctx.args.demo_accounts) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    zone::DemoAccountOptions demo;
    demo.institution = ctx.args.demo_institution;
    SZ_ASSIGN_OR_RETURN(accounts, zone::SeedDemoAccounts(*z, demo));
  }
  return ServeZone(ctx, accounts);
}

Status CreateAdministrator(Context& ctx) {
  SZ_RETURN_IF_ERROR(NeedsZone(ctx, "admin create"));
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  identity::NewUser u;
  u.username = a.username;
  u.display_name = a.display_name.empty() ? a.username : a.display_name;
  if (a.accreditation.empty()) {
    u.accreditation_expires =
        Date{std::chrono::sys_days(SeoulDate(z->clock().Now())) + std::chrono::days(365)};
  } else {
    SZ_ASSIGN_OR_RETURN(u.accreditation_expires, ParseDate(a.accreditation));
  }
  SZ_ASSIGN_OR_RETURN(identity::NewAccount account, zone::CreateFirstAdministrator(*z, u));
  if (ctx.json) {
    PrintJson({{"id", account.user_id},
               {"username", u.username},
               {"temporary_password", account.temporary_password}});
    return OkStatus();
  }
  std::printf("created administrator %s (id %lld), accredited until %s\n", u.username.c_str(),
              static_cast<long long>(account.user_id),
              FormatDate(*u.accreditation_expires).c_str());
  std::printf("temporary password, shown once: %s\n", account.temporary_password.c_str());
  std::printf("next: safezone login, then `safezone totp enrol` and `safezone password`\n");
  return OkStatus();
}

Status TotpCode(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(std::string secret, identity::Base32Decode(ctx.args.secret));
  Time t =
      SystemClock::Get().Now() + std::chrono::seconds(30 * static_cast<int64_t>(ctx.args.offset));
  std::printf("%s\n", identity::Totp(secret, t).c_str());
  return OkStatus();
}

}  // namespace

Status ServeZone(Context& ctx, const std::vector<zone::DemoAccount>& accounts) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto listen, server::ParseListenAddress(a.listen));
  if (a.max_upload_mb < 1) return InvalidArgument("--max-upload-mb must be at least 1");
  server::ServerOptions o;
  o.zone = ctx.ZoneOptions();
  o.host = listen.first;
  o.port = listen.second;
  o.tls = {a.tls_cert, a.tls_key};
  o.worker_threads = std::max(1, a.workers);
  o.max_upload = static_cast<uint64_t>(a.max_upload_mb) << 20;
  SZ_ASSIGN_OR_RETURN(auto s, server::Server::Start(o));
  PrintBanner(ctx, *s, accounts);
  // SIGINT/SIGTERM set the flag (app.cc); then stop accepting, finish what is in flight.
  while (!InterruptFlag().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::fprintf(stderr, "safezone serve: stopping (finishing requests in flight)\n");
  s->Stop();
  std::fprintf(stderr, "safezone serve: stopped\n");
  return OkStatus();
}

void AddServeCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* serve =
      app.add_subcommand("serve", "Serve the zone's HTTPS API (operator; stops on Ctrl-C/SIGTERM)");
  serve->add_option("--listen", a.listen,
                    "HOST:PORT (default 127.0.0.1:8443; port 0 picks a free one)");
  serve->add_option("--tls-cert", a.tls_cert,
                    "PEM certificate chain (default: the zone's self-signed certificate)");
  serve->add_option("--tls-key", a.tls_key, "PEM private key for --tls-cert");
  serve->add_option("--workers", a.workers, "Connection threads (default 64)");
  serve->add_option("--max-upload-mb", a.max_upload_mb,
                    "Largest dataset upload (default 1024 MiB)");
  serve->add_flag("--demo-accounts", a.demo_accounts,
                  "Seed one account per role (zone without accounts only) and print them with "
                  "their TOTP secrets");
  serve->add_option("--demo-institution", a.demo_institution,
                    "The demo data provider's institution");
  serve->callback([&ctx] { ctx.status = Serve(ctx); });

  auto* admin = app.add_subcommand("admin", "Operator account bootstrap");
  admin->require_subcommand(1);
  auto* create = admin->add_subcommand(
      "create", "Create the zone's first administrator; prints a temporary password once");
  create->add_option("username", a.username, "3-32 of a-z 0-9 . _ -")->required();
  create->add_option("--display-name", a.display_name, "Full name");
  create->add_option("--accreditation-expires", a.accreditation,
                     "YYYY-MM-DD (default: one year from today)");
  create->callback([&ctx] { ctx.status = CreateAdministrator(ctx); });

  // For scripts and end-to-end tests: the current TOTP code of a base32 secret.
  auto* code = app.add_subcommand("totp-code", "");
  code->group("");
  code->add_option("secret", a.secret, "Base32 secret")->required();
  code->add_option("--offset", a.offset, "Steps of 30 s to add");
  code->callback([&ctx] { ctx.status = TotpCode(ctx); });
}

}  // namespace sz::cli
