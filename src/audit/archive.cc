#include "audit/archive.h"

#include <charconv>
#include <optional>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace sz::audit {

namespace {

using nlohmann::json;

constexpr std::string_view kCsvColumns[] = {
    "record_type", "seq",    "time",         "actor",        "action",   "object",
    "outcome",     "reason", "query_digest", "query_sealed", "datasets", "request_id",
    "prev_hash",   "hash",   "signature",    "key_id"};
constexpr size_t kCsvColumnCount = std::size(kCsvColumns);
enum Col {
  kRecord,
  kSeq,
  kTime,
  kActor,
  kAction,
  kObject,
  kOutcome,
  kReason,
  kQueryDigest,
  kQuerySealed,
  kDatasets,
  kRequestId,
  kPrevHash,
  kHash,
  kSignature,
  kKeyId,
};

Status StreamStatus(const std::ostream& out) {
  if (!out) return Unavailable("writing the audit archive failed; check the disk and retry");
  return OkStatus();
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The checkpoints and the newest seq, read once so that entries appended during the
// export do not appear half-covered.
struct Snapshot {
  int64_t last_seq = 0;
  std::vector<Checkpoint> checkpoints;
};

Result<Snapshot> TakeSnapshot(storage::SqliteDb& db) {
  Snapshot snap;
  SZ_ASSIGN_OR_RETURN(snap.last_seq, LastSeq(db));
  SZ_ASSIGN_OR_RETURN(std::vector<Checkpoint> all, ReadCheckpoints(db));
  for (Checkpoint& cp : all)
    if (cp.seq <= snap.last_seq) snap.checkpoints.push_back(std::move(cp));
  return snap;
}

std::string PublicKeyNote(std::string_view archive_key_hex, std::string_view public_key) {
  if (archive_key_hex.empty() || archive_key_hex == crypto::ToHex(public_key)) return "";
  return " (the archive names another public key than the one given)";
}

}  // namespace

// ---- JSON Lines ----

Status ExportJsonl(storage::SqliteDb& db, const AuditLog& log, std::ostream& out) {
  SZ_ASSIGN_OR_RETURN(Snapshot snap, TakeSnapshot(db));
  json meta = {{"type", "meta"},
               {"format", kArchiveFormat},
               {"public_key", crypto::ToHex(log.public_key())},
               {"key_id", KeyId(log.public_key())},
               {"checkpoint_interval", log.options().checkpoint_interval},
               {"last_seq", snap.last_seq}};
  out << meta.dump() << '\n';
  for (const Checkpoint& cp : snap.checkpoints) {
    json j = {{"type", "checkpoint"},
              {"seq", cp.seq},
              {"time", cp.time},
              {"entry_hash", cp.entry_hash},
              {"signature", crypto::ToHex(cp.signature)},
              {"key_id", cp.key_id}};
    out << j.dump() << '\n';
  }
  SZ_RETURN_IF_ERROR(ForEachEntry(db, [&](const StoredEntry& e) {
    if (e.seq > snap.last_seq) return false;
    json j = {{"type", "entry"},
              {"seq", e.seq},
              {"time", e.time},
              {"actor", e.actor},
              {"action", e.action},
              {"object", e.object},
              {"outcome", e.outcome},
              {"reason", e.reason},
              {"query_digest", e.query_digest},
              {"query_sealed", crypto::ToBase64(e.query_sealed)},
              {"datasets", e.datasets},
              {"request_id", e.request_id},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}};
    // A tampered row may hold bytes that are not UTF-8; keep them visible, not fatal.
    out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    return static_cast<bool>(out);
  }));
  out.flush();
  return StreamStatus(out);
}

Result<VerifyReport> VerifyJsonl(std::istream& in, std::string_view public_key,
                                 VerifyOptions options) {
  std::string line;
  int64_t line_no = 0;
  std::optional<ChainVerifier> verifier;
  bool entries_started = false;
  auto malformed = [&](std::string why) -> VerifyReport {
    if (!verifier) verifier.emplace(public_key, options);
    verifier->ReportMalformed(fmt::format("archive line {}: {}", line_no, why));
    return verifier->Finish();
  };
  std::string key_note;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return malformed("not a JSON object");
    try {
      std::string type = j.at("type").get<std::string>();
      if (!verifier) {
        if (type != "meta" || j.at("format").get<std::string>() != kArchiveFormat) {
          return malformed("the first record must be the safezone-audit/1 metadata");
        }
        if (options.checkpoint_interval == 0) {
          options.checkpoint_interval = j.at("checkpoint_interval").get<int64_t>();
        }
        key_note = PublicKeyNote(j.at("public_key").get<std::string>(), public_key);
        verifier.emplace(public_key, options);
      } else if (type == "checkpoint") {
        if (entries_started) return malformed("checkpoints must precede the entries");
        auto signature = crypto::FromHex(j.at("signature").get<std::string>());
        if (!signature.ok()) return malformed("a checkpoint signature is not hexadecimal");
        verifier->AddCheckpoint({j.at("seq").get<int64_t>(), j.at("time").get<int64_t>(),
                                 j.at("entry_hash").get<std::string>(), *signature,
                                 j.at("key_id").get<std::string>()});
      } else if (type == "entry") {
        entries_started = true;
        StoredEntry e;
        e.seq = j.at("seq").get<int64_t>();
        e.time = j.at("time").get<int64_t>();
        e.actor = j.at("actor").get<std::string>();
        e.action = j.at("action").get<std::string>();
        e.object = j.at("object").get<std::string>();
        e.outcome = j.at("outcome").get<std::string>();
        e.reason = j.at("reason").get<std::string>();
        e.query_digest = j.at("query_digest").get<std::string>();
        auto sealed = crypto::FromBase64(j.at("query_sealed").get<std::string>());
        if (!sealed.ok()) return malformed("query_sealed is not base64");
        e.query_sealed = *sealed;
        e.datasets = j.at("datasets").get<std::string>();
        e.request_id = j.at("request_id").get<std::string>();
        e.prev_hash = j.at("prev_hash").get<std::string>();
        e.hash = j.at("hash").get<std::string>();
        if (!verifier->AddEntry(e)) break;
      } else {
        return malformed("unknown record type");
      }
    } catch (const json::exception&) {
      return malformed("a field is missing or has the wrong type");
    }
  }
  if (in.bad()) return Unavailable("reading the audit archive failed");
  if (!verifier) return malformed("the archive is empty");
  VerifyReport report = verifier->Finish();
  if (!report.ok()) report.detail += key_note;
  return report;
}

// ---- CSV (RFC 4180) ----

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Result<bool> ReadCsvRecord(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  if (in.peek() == std::char_traits<char>::eof()) return false;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted and has closed
  int c;
  while ((c = in.get()) != std::char_traits<char>::eof()) {
    char ch = static_cast<char>(c);
    if (quoted) {
      if (ch != '"') {
        field += ch;
      } else if (in.peek() == '"') {
        field += '"';
        in.get();
      } else {
        quoted = false;
        was_quoted = true;
      }
      continue;
    }
    if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && in.peek() == '\n') in.get();
      fields.push_back(std::move(field));
      return true;
    } else if (ch == '"' && field.empty() && !was_quoted) {
      quoted = true;
    } else if (was_quoted) {
      return InvalidArgument("CSV: text after a closing quote");
    } else {
      field += ch;
    }
  }
  if (quoted) return InvalidArgument("CSV: a quoted field is not terminated");
  fields.push_back(std::move(field));
  return true;
}

Status ExportCsv(storage::SqliteDb& db, const AuditLog& log, std::ostream& out) {
  SZ_ASSIGN_OR_RETURN(Snapshot snap, TakeSnapshot(db));
  auto write_row = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out << ',';
      out << CsvField(row[i]);
    }
    out << "\r\n";
  };
  write_row(std::vector<std::string>(std::begin(kCsvColumns), std::end(kCsvColumns)));
  std::vector<std::string> row(kCsvColumnCount);
  row[kRecord] = "meta";
  row[kSeq] = std::to_string(log.options().checkpoint_interval);
  row[kActor] = std::string(kArchiveFormat);
  row[kSignature] = crypto::ToHex(log.public_key());
  row[kKeyId] = KeyId(log.public_key());
  write_row(row);
  for (const Checkpoint& cp : snap.checkpoints) {
    std::fill(row.begin(), row.end(), std::string());
    row[kRecord] = "checkpoint";
    row[kSeq] = std::to_string(cp.seq);
    row[kTime] = std::to_string(cp.time);
    row[kHash] = cp.entry_hash;
    row[kSignature] = crypto::ToHex(cp.signature);
    row[kKeyId] = cp.key_id;
    write_row(row);
  }
  SZ_RETURN_IF_ERROR(ForEachEntry(db, [&](const StoredEntry& e) {
    if (e.seq > snap.last_seq) return false;
    write_row({"entry", std::to_string(e.seq), std::to_string(e.time), e.actor, e.action, e.object,
               e.outcome, e.reason, e.query_digest, crypto::ToBase64(e.query_sealed), e.datasets,
               e.request_id, e.prev_hash, e.hash, "", ""});
    return static_cast<bool>(out);
  }));
  out.flush();
  return StreamStatus(out);
}

Result<VerifyReport> VerifyCsv(std::istream& in, std::string_view public_key,
                               VerifyOptions options) {
  std::vector<std::string> f;
  int64_t record_no = 0;
  std::optional<ChainVerifier> verifier;
  bool entries_started = false;
  std::string key_note;
  auto malformed = [&](std::string why) -> VerifyReport {
    if (!verifier) verifier.emplace(public_key, options);
    verifier->ReportMalformed(fmt::format("archive record {}: {}", record_no, why));
    return verifier->Finish();
  };
  while (true) {
    auto more = ReadCsvRecord(in, f);
    ++record_no;
    if (!more.ok()) return malformed(more.status().message());
    if (!*more) break;
    if (f.size() != kCsvColumnCount) return malformed("wrong number of columns");
    if (record_no == 1) {
      if (f[kRecord] != "record_type") return malformed("the header row is missing");
      continue;
    }
    const std::string& type = f[kRecord];
    if (!verifier) {
      auto interval = ParseInt(f[kSeq]);
      if (type != "meta" || f[kActor] != kArchiveFormat || !interval) {
        return malformed("the first record must be the safezone-audit/1 metadata");
      }
      if (options.checkpoint_interval == 0) options.checkpoint_interval = *interval;
      key_note = PublicKeyNote(f[kSignature], public_key);
      verifier.emplace(public_key, options);
    } else if (type == "checkpoint") {
      if (entries_started) return malformed("checkpoints must precede the entries");
      auto seq = ParseInt(f[kSeq]);
      auto time = ParseInt(f[kTime]);
      auto signature = crypto::FromHex(f[kSignature]);
      if (!seq || !time || !signature.ok()) return malformed("a checkpoint field is malformed");
      verifier->AddCheckpoint({*seq, *time, f[kHash], *signature, f[kKeyId]});
    } else if (type == "entry") {
      entries_started = true;
      auto seq = ParseInt(f[kSeq]);
      auto time = ParseInt(f[kTime]);
      auto sealed = crypto::FromBase64(f[kQuerySealed]);
      if (!seq || !time || !sealed.ok()) return malformed("an entry field is malformed");
      StoredEntry e{*seq,          *time,        f[kActor],       f[kAction], f[kObject],
                    f[kOutcome],   f[kReason],   f[kQueryDigest], *sealed,    f[kDatasets],
                    f[kRequestId], f[kPrevHash], f[kHash]};
      if (!verifier->AddEntry(e)) break;
    } else {
      return malformed("unknown record type");
    }
  }
  if (in.bad()) return Unavailable("reading the audit archive failed");
  if (!verifier) return malformed("the archive is empty");
  VerifyReport report = verifier->Finish();
  if (!report.ok()) report.detail += key_note;
  return report;
}

}  // namespace sz::audit
