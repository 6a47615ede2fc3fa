// File checks of the security self-inspection: what lies in the zone directory, and
// whether any of it is plaintext personal data.
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "fmt/format.h"
#include "ops/inspect_internal.h"
#include "ops/plaintext_scan.h"
#include "ops/zone_files.h"

namespace sz::ops::internal {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kControlPlane = {"zone.db", "zone.db-wal", "zone.db-shm",
                                             "zone.db-journal"};
constexpr std::string_view kCertificate = "tls/cert.pem";

// A relative path for findings; a name that itself looks like an identifier (a file
// called after an RRN) has its digits masked.
std::string Shown(const std::string& rel) {
  if (ScanText(rel).total() == 0) return rel;
  std::string masked = rel;
  for (char& c : masked) {
    if (c >= '0' && c <= '9') c = '*';
  }
  return masked;
}

// Hours since the file was last written, by the system clock (file times are real).
double AgeHours(const fs::path& p) {
  std::error_code ec;
  auto written = fs::last_write_time(p, ec);
  if (ec) return 0;
  return std::chrono::duration<double, std::ratio<3600>>(fs::file_time_type::clock::now() - written)
      .count();
}

struct Walk {
  std::vector<std::string> unexpected;  // relative paths of files that are none of the above
  std::set<std::string> sealed;         // relative paths of sealed files outside tmp/
  std::vector<std::string> stale_tmp;
  std::vector<std::string> links;
  std::vector<std::string> special;
};

Walk WalkZone(const ZoneFacts& facts, const InspectOptions& options) {
  Walk w;
  std::error_code ec;
  fs::recursive_directory_iterator it(facts.dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& e = *it;
    std::string rel = fs::relative(e.path(), facts.dir, ec).string();
    bool in_tmp = rel.starts_with("tmp/");
    if (e.is_symlink(ec)) {
      w.links.push_back(Shown(rel));
      continue;
    }
    if (e.is_directory(ec)) continue;
    if (!e.is_regular_file(ec)) {
      w.special.push_back(Shown(rel));
      continue;
    }
    if (in_tmp && AgeHours(e.path()) > options.stale_tmp_hours) w.stale_tmp.push_back(Shown(rel));
    if (kControlPlane.count(rel) || rel == kCertificate) continue;
    if (HasSealedMagic(e.path().string())) {
      if (!in_tmp) w.sealed.insert(rel);
      continue;
    }
    w.unexpected.push_back(rel);
  }
  return w;
}

// Unknown files: each scanned for identifiers; with none, still out of place.
void CheckUnexpected(const ZoneFacts& facts, const InspectOptions& options, const Walk& w,
                     Findings& out) {
  std::vector<std::string> plain, other;
  for (const std::string& rel : w.unexpected) {
    auto scan = ScanFile(facts.dir + "/" + rel, options.scan_max_bytes);
    if (scan.ok() && scan->counts.total() > 0) {
      plain.push_back(fmt::format("{}: {}{}", Shown(rel), scan->counts.Describe(),
                                  scan->truncated ? " (first part scanned)" : ""));
    } else {
      other.push_back(Shown(rel));
    }
  }
  if (!plain.empty()) {
    out.push_back({Severity::kCritical, "files.plaintext_personal_data",
                   fmt::format("{} file(s) in the zone directory hold plaintext personal "
                               "identifiers",
                               plain.size()),
                   JoinSome(plain),
                   "remove them now (shred -u FILE) after importing what is needed with "
                   "`safezone dataset import`, which stores data only sealed; find out how they "
                   "got there"});
  }
  if (!other.empty()) {
    out.push_back({Severity::kMedium, "files.unexpected",
                   fmt::format("{} file(s) in the zone directory are neither sealed nor part of "
                               "the control plane",
                               other.size()),
                   JoinSome(other),
                   "move them out of the zone directory: it should hold only what safezone "
                   "writes"});
  }
}

void CheckControlPlaneText(const ZoneFacts& facts, Findings& out) {
  IdentifierCounts total;
  for (const char* name : {"zone.db", "zone.db-wal"}) {
    std::error_code ec;
    if (!fs::exists(facts.dir + "/" + name, ec)) continue;
    // The control plane is scanned whole, whatever its size.
    auto scan = ScanFile(facts.dir + "/" + name, UINT64_MAX);
    if (!scan.ok()) continue;
    total.rrn += scan->counts.rrn;
    total.phone += scan->counts.phone;
    total.card += scan->counts.card;
  }
  if (total.total() == 0) return;
  out.push_back({Severity::kCritical, "files.plaintext_in_control_plane",
                 "the control plane's text holds values that look like personal identifiers",
                 fmt::format("zone.db: {}", total.Describe()),
                 "find them with `safezone audit entries` and the catalog (project purposes, "
                 "comments, dataset descriptions, column evidence) and remove them; free-text "
                 "fields must not carry identifiers"});
}

Status CheckReferences(zone::Zone& zone, const Walk& w, Findings& out) {
  SZ_ASSIGN_OR_RETURN(std::vector<SealedRef> refs, ReferencedFiles(zone.db()));
  std::set<std::string> referenced;
  std::vector<std::string> missing;
  for (const SealedRef& r : refs) {
    referenced.insert(r.file);
    std::error_code ec;
    if (!fs::exists(zone.dir() + "/" + r.file, ec)) missing.push_back(r.Label());
  }
  if (!missing.empty()) {
    out.push_back({Severity::kHigh, "files.missing_sealed",
                   fmt::format("{} sealed file(s) the catalog refers to are missing",
                               missing.size()),
                   JoinSome(missing),
                   "restore them from the latest backup (copy the files back from the backup "
                   "directory); `safezone dataset verify` checks every version"});
  }
  std::vector<std::string> orphans;
  for (const std::string& rel : w.sealed) {
    if (!referenced.count(rel)) orphans.push_back(Shown(rel));
  }
  if (!orphans.empty()) {
    out.push_back({Severity::kLow, "files.orphan_sealed",
                   fmt::format("{} sealed file(s) are not referred to by the control plane",
                               orphans.size()),
                   JoinSome(orphans),
                   "they are encrypted, but unaccounted for: compare with a backup, then move "
                   "them out of the zone"});
  }
  return OkStatus();
}

void CheckLayout(const ZoneFacts& facts, const Walk& w, Findings& out) {
  if (!w.stale_tmp.empty()) {
    out.push_back({Severity::kLow, "files.stale_tmp",
                   fmt::format("{} file(s) in tmp/ are older than the stale limit",
                               w.stale_tmp.size()),
                   JoinSome(w.stale_tmp),
                   "they belong to imports that never finished: stop the process named by the "
                   "number at the start of the name, or remove the file"});
  }
  if (!w.links.empty()) {
    out.push_back({Severity::kMedium, "files.symlink",
                   "the zone directory contains symbolic links", JoinSome(w.links),
                   "replace them with the files themselves or remove them: a link can lead "
                   "reads and writes outside the zone"});
  }
  if (!w.special.empty()) {
    out.push_back({Severity::kLow, "files.special", "the zone directory contains special files",
                   JoinSome(w.special), "remove them"});
  }
  for (const auto& [rel, what] : {std::pair<std::string, std::string>{"", "the zone directory"},
                                  {"zone.db", "the control plane (zone.db)"}}) {
    std::string path = rel.empty() ? facts.dir : facts.dir + "/" + rel;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077)) {
      out.push_back({Severity::kHigh, "files.permissions",
                     fmt::format("{} is accessible by group or others (mode {:04o})", what,
                                 st.st_mode & 0777),
                     path, fmt::format("chmod {} {}", rel.empty() ? "700" : "600", path)});
    }
  }
}

void CheckDemoAccountsFile(const ZoneFacts& facts, Findings& out) {
  std::string path = fs::path(facts.dir).parent_path().string() + "/demo-accounts.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  out.push_back({facts.demo ? Severity::kLow : Severity::kCritical, "files.demo_accounts",
                 "a demo accounts file (passwords and TOTP secrets) lies next to the zone", path,
                 facts.demo ? "fine for a demonstration zone; never use it for real data"
                            : fmt::format("remove it (shred -u {}) and reset the accounts it "
                                          "names: safezone user reset-password ID and "
                                          "reset-totp ID",
                                          path)});
}

}  // namespace

Status CheckFiles(zone::Zone& zone, const ZoneFacts& facts, const InspectOptions& options,
                  Findings& out) {
  Walk w = WalkZone(facts, options);
  CheckUnexpected(facts, options, w, out);
  CheckControlPlaneText(facts, out);
  SZ_RETURN_IF_ERROR(CheckReferences(zone, w, out));
  CheckLayout(facts, w, out);
  CheckDemoAccountsFile(facts, out);
  return OkStatus();
}

}  // namespace sz::ops::internal
