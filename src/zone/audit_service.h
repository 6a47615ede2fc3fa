// Audit-trail use cases for a Caller: list entries with filters, verify the chain and its
// signed checkpoints, export an archive. Each checks access first (audit.read /
// audit.verify / audit.export: the auditor's remit, see authz/policy.h) and is itself
// audited. Front ends (CLI, HTTP API) call these, never audit/ directly.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/verify.h"
#include "common/status.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

struct AuditFilter {
  int64_t after_seq = 0;  // entries with seq > after_seq (paging)
  int64_t limit = 100;    // 1..1000
  std::string actor;      // exact label ("user:17/kim") or prefix ending in '/' or ':'
  std::string action;     // exact ("catalog.read") or prefix ending in '.'
  std::string object;     // exact label ("dataset:12")
  std::string outcome;    // allow | deny | error
  std::string request_id;
  int64_t since = 0;  // Unix seconds, inclusive; 0: no bound
  int64_t until = 0;  // Unix seconds, exclusive; 0: no bound
};

// Entries matching `filter`, in seq order. InvalidArgument for a bad limit or outcome.
Result<std::vector<audit::StoredEntry>> ListAuditEntries(Zone& zone, const Caller& caller,
                                                         const AuditFilter& filter);

// Verifies the whole trail with the zone's public key. The report says what is wrong and
// where; the Status is an error only if verification itself could not run.
Result<audit::VerifyReport> VerifyAuditTrail(Zone& zone, const Caller& caller);

enum class ArchiveFormat { kJsonl, kCsv };
// Signs a checkpoint over the newest entry, then writes the archive (audit/archive.h).
Status ExportAuditTrail(Zone& zone, const Caller& caller, ArchiveFormat format, std::ostream& out);

}  // namespace sz::zone
