#include "cli/client_mode.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "fmt/format.h"

namespace sz::cli {

namespace fs = std::filesystem;
using nlohmann::json;

Result<std::string> SessionPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/safezone/session.json";
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    return FailedPrecondition(
        "neither XDG_CONFIG_HOME nor HOME is set; set one for the session file");
  return std::string(home) + "/.config/safezone/session.json";
}

Result<SessionFile> LoadSession() {
  SZ_ASSIGN_OR_RETURN(std::string path, SessionPath());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Unauthenticated(
        "not signed in: run `safezone login --server https://HOST:PORT`, or pass --zone DIR to "
        "work "
        "locally as the operator");
  }
  if ((st.st_mode & 077) != 0) {
    return PermissionDenied(fmt::format(
        "the session file {} is readable by others; it holds a credential: run `safezone logout` "
        "and sign in again (or chmod 600 it)",
        path));
  }
  if (st.st_uid != ::geteuid()) {
    return PermissionDenied(fmt::format("the session file {} belongs to another user", path));
  }
  std::ifstream in(path);
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return DataLoss(
        fmt::format("the session file {} is damaged; run `safezone login` again", path));
  }
  SessionFile s;
  s.server = j.value("server", "");
  s.ca_cert = j.value("ca_cert", "");
  s.token = j.value("token", "");
  s.username = j.value("username", "");
  s.user_id = j.value("user_id", int64_t{0});
  return s;
}

Status SaveSession(const SessionFile& s) {
  SZ_ASSIGN_OR_RETURN(std::string path, SessionPath());
  fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return FailedPrecondition(fmt::format("cannot create {}", dir.string()));
  ::chmod(dir.c_str(), 0700);
  json j = {{"server", s.server},
            {"ca_cert", s.ca_cert},
            {"token", s.token},
            {"username", s.username},
            {"user_id", s.user_id}};
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  // Created 0600 from the start: the token is never readable by others, not even briefly.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return FailedPrecondition(fmt::format("cannot write {}", tmp));
  std::string text = j.dump(2) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return FailedPrecondition(fmt::format("cannot write {}", path));
  }
  return OkStatus();
}

Status RemoveSession() {
  SZ_ASSIGN_OR_RETURN(std::string path, SessionPath());
  std::error_code ec;
  fs::remove(path, ec);
  return OkStatus();
}

// For scripts: an API token from the environment instead of a saved session.
Result<std::optional<SessionFile>> TokenFromEnvironment() {
  const char* token = std::getenv("SAFEZONE_TOKEN");
  if (!token || !*token) return std::optional<SessionFile>();
  const char* server = std::getenv("SAFEZONE_SERVER");
  if (!server || !*server) {
    return InvalidArgument("SAFEZONE_TOKEN is set: also set SAFEZONE_SERVER (https://host:port) "
                           "and, for a self-signed zone, SAFEZONE_CA_CERT");
  }
  SessionFile s;
  s.server = server;
  const char* ca = std::getenv("SAFEZONE_CA_CERT");
  s.ca_cert = ca ? ca : "";
  s.token = token;
  return std::optional<SessionFile>(std::move(s));
}

Result<server::ApiClient> SessionClient(std::chrono::seconds timeout) {
  SZ_ASSIGN_OR_RETURN(std::optional<SessionFile> scripted, TokenFromEnvironment());
  SessionFile s;
  if (scripted) {
    s = std::move(*scripted);
  } else {
    SZ_ASSIGN_OR_RETURN(s, LoadSession());
  }
  server::ClientOptions o;
  o.server = s.server;
  o.ca_cert = s.ca_cert;
  o.token = s.token;
  o.timeout = timeout;
  return server::ApiClient::Create(o);
}

bool StdinIsTerminal() { return ::isatty(0) != 0; }

namespace {

// Turns terminal echo off for its lifetime.
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(0, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(0, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~NoEcho() {
    if (active_) ::tcsetattr(0, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

Result<std::string> GetLine() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    if (std::cin.eof()) return std::string();
    return InvalidArgument("cannot read from standard input");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

}  // namespace

Result<std::string> ReadSecret(std::string_view prompt) {
  if (!StdinIsTerminal()) return GetLine();
  std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
  std::fflush(stderr);
  Result<std::string> line = [] {
    NoEcho quiet;
    return GetLine();
  }();
  std::fprintf(stderr, "\n");
  return line;
}

Result<std::string> ReadLine(std::string_view prompt) {
  if (StdinIsTerminal()) {
    std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
    std::fflush(stderr);
  }
  return GetLine();
}

}  // namespace sz::cli
