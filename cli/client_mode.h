// Client mode: the CLI as a person signed in to a zone's API server.
//
// `safezone login --server https://HOST:PORT [--ca-cert PEM]` keeps the session in
// $XDG_CONFIG_HOME/safezone/session.json (default ~/.config/safezone/session.json),
// created with mode 0600 in a 0700 directory. A session file that group or others can
// read, or that belongs to someone else, is refused: it holds a bearer credential.
//
// People-facing commands run through the API unless --zone (or $SAFEZONE_ZONE) is given,
// in which case they run locally as the operator holding the master key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "server/client.h"

namespace sz::cli {

struct SessionFile {
  std::string server;   // https://host:port
  std::string ca_cert;  // absolute path of the pinned certificate, or empty
  std::string token;    // szs_...
  std::string username;
  int64_t user_id = 0;
};

// $XDG_CONFIG_HOME/safezone/session.json, or ~/.config/safezone/session.json.
Result<std::string> SessionPath();
// NotFound (with what to do) if there is none; PermissionDenied if its mode or owner is wrong.
Result<SessionFile> LoadSession();
Status SaveSession(const SessionFile& session);
Status RemoveSession();

// An API client for the saved session (Unauthenticated with a hint if there is none), or,
// when $SAFEZONE_TOKEN holds an API token, for that token at $SAFEZONE_SERVER (pinning
// $SAFEZONE_CA_CERT if set): scripts use tokens without signing in.
// `timeout`: per read/write; workspace statements need longer than the default.
Result<server::ApiClient> SessionClient(std::chrono::seconds timeout = std::chrono::seconds(60));

// Reads a secret from the terminal without echo (prompting on stderr), or one line from
// stdin when it is not a terminal. Trailing CR/LF removed.
Result<std::string> ReadSecret(std::string_view prompt);
// Reads one line (with echo), prompting on stderr when stdin is a terminal.
Result<std::string> ReadLine(std::string_view prompt);
bool StdinIsTerminal();

}  // namespace sz::cli
