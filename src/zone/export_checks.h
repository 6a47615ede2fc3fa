// The automatic part of an export review for one output: disclosure checks with the
// project's risk appetite, differencing against the project's earlier releases, and the
// chosen mitigation (secondary suppression with its LP audit, rounding, redact-then-round).
// Internal to the zone's export and release use cases.
//
// Thread-safety: like Zone, one thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/checks.h"
#include "disclosure/risk_appetite.h"
#include "disclosure/rounding.h"
#include "zone/exports.h"
#include "zone/outputs.h"

namespace sz::zone {

// Defaults <- zone layer (zone_meta "risk_appetite") <- project layer.
Result<disclosure::RiskAppetite> ProjectRiskAppetite(Zone& zone, const Project& project);

// A table the project released, with the cells that were published.
struct ReleasedOutput {
  std::string name;
  OutputContent content;
  std::vector<bool> published;  // empty: every cell
};
// Every table output of the project's releases (excluding request `except_request`).
Result<std::vector<ReleasedOutput>> LoadReleasedTables(Zone& zone, int64_t project_id,
                                                       int64_t except_request);

struct ItemCheck {
  disclosure::CheckReport report;                            // with differencing findings
  disclosure::Verdict verdict = disclosure::Verdict::kPass;  // after mitigation
  std::string summary;                                       // after mitigation
  std::string mitigation_note;                               // "; mitigation: suppress (...)" or ""
  std::string mitigation_result;                             // JSON, "" for none
  std::vector<disclosure::CellStatus> suppression;           // kSuppress
  std::optional<disclosure::RoundedTable> rounding;          // kRound, kRedactRound
};

// Checks `content` (with the item's exception state) and applies `mitigation`.
// InvalidArgument when the mitigation does not apply (not a count/sum table, a table that
// does not add up); FailedPrecondition when a suppression pattern cannot be proven safe.
Result<ItemCheck> CheckItem(const OutputContent& content, Mitigation mitigation,
                            bool exception_granted, std::string_view exception_request,
                            const disclosure::RiskAppetite& appetite,
                            const std::vector<ReleasedOutput>& released);

// Reads a stored mitigation result back (for the release).
Status ReadMitigation(Mitigation mitigation, std::string_view json, ItemCheck& into);

// The cells a release publishes: not suppressed and not withheld by rounding.
std::vector<bool> PublishedMask(const ItemCheck& check, size_t cells);

}  // namespace sz::zone
