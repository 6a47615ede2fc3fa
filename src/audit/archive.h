// Audit archives: the trail exported as JSON Lines or CSV (RFC 4180) for long-term
// keeping, verifiable by an external party with the zone's public key alone.
//
// Both formats hold, in this order: one metadata record (format name, public key, key
// id, checkpoint interval), every checkpoint (seq, time, entry hash, signature), then
// every entry with all fields of the canonical encoding (audit_log.h), so the verifier
// recomputes each hash from the archive alone. Checkpoints come first so that a verifier
// can stream an archive of any size in one pass.
//
// JSON Lines: one object per line, "type" = "meta" | "checkpoint" | "entry"; hashes and
// signatures in hex, query ciphertext in base64.
// CSV: header row, then rows with record_type = meta | checkpoint | entry over the
// columns record_type,seq,time,actor,action,object,outcome,reason,query_digest,
// query_sealed,datasets,request_id,prev_hash,hash,signature,key_id; CRLF line ends,
// fields quoted when they contain a comma, quote, CR or LF, quotes doubled. The meta row
// carries the checkpoint interval in `seq`, the format name in `actor`, the public key
// (hex) in `signature`. Fields are written verbatim (no spreadsheet-formula escaping),
// because altering them would break verification; archives are for verification and
// keeping, not for opening in a spreadsheet.
//
// The public key inside an archive is informational only: verifiers use the key they
// are given and report when the archive names another one.
//
// Thread-safety: free functions; each uses the connection or stream it is given.
#pragma once

#include <istream>
#include <ostream>
#include <string_view>

#include "audit/audit_log.h"
#include "audit/verify.h"
#include "common/status.h"
#include "storage/sqlite.h"

namespace sz::audit {

inline constexpr std::string_view kArchiveFormat = "safezone-audit/1";

// Writes every entry and checkpoint up to the newest entry at the time of the call.
// Call AuditLog::CheckpointNow first so that the archive ends on a signed entry.
Status ExportJsonl(storage::SqliteDb& db, const AuditLog& log, std::ostream& out);
Status ExportCsv(storage::SqliteDb& db, const AuditLog& log, std::ostream& out);

// Verifies an archive. `options.checkpoint_interval` 0 takes the interval from the
// archive's metadata record. A malformed record is reported as Problem::kMalformed
// (with its line number in the detail); I/O errors are an error status.
Result<VerifyReport> VerifyJsonl(std::istream& in, std::string_view public_key,
                                 VerifyOptions options = {});
Result<VerifyReport> VerifyCsv(std::istream& in, std::string_view public_key,
                               VerifyOptions options = {});

// RFC 4180 helpers, exposed for tests and for other exporters.
std::string CsvField(std::string_view value);
// Reads one record (which may span lines inside quotes). False at end of input;
// InvalidArgument for an unterminated quote or text after a closing quote.
Result<bool> ReadCsvRecord(std::istream& in, std::vector<std::string>& fields);

}  // namespace sz::audit
