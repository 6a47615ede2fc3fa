// The results record of an output-checking session, in the results.json format of ACRO
// (AI-SDC/ACRO, acro/record.py, Records.finalise_json) so that SACRO's viewer and
// output checkers' habits carry over:
//
//   { "version": "...",
//     "results": { "<uid>": { "uid", "status": "pass"|"fail"|"review", "type": "table"|
//                  "regression"|"custom", "properties": {"method": ...},
//                  "files": [{"name": "<uid>_0.csv", "sdc": {"summary": {...},
//                             "cells": {"threshold": [[row, col], ...], ...}}}],
//                  "outcome": {"<column>": {"<row>": "ok" | "threshold; p-ratio; "}},
//                  "command", "summary", "timestamp", "comments": [...],
//                  "exception": "" } } }
//
// plus, like ACRO's write_checksums, one "checksums/<file>.txt" per file holding the
// SHA-256 (hex) of that file, results.json included.
//
// sdc.summary carries ACRO's keys (suppressed, mitigation, round_base, negative, missing,
// threshold, p-ratio, nk-rule, all-values-are-same) and ours (zero, full-cell,
// differencing, secondary). Cell positions index the published CSV's body: row = line
// after the header, column = value column after the row labels.
//
// The engine builds everything in memory; the caller writes the files. The reviewer copy
// may include the bilingual reasons (properties.reasons); the analyst copy never shows
// confidential dominance parameters because the reasons never contain them.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/checks.h"
#include "disclosure/output.h"
#include "disclosure/rounding.h"

namespace sz::disclosure {

// The ACRO release whose results.json layout this follows.
inline constexpr std::string_view kAcroSchemaVersion = "0.4.11";

struct AcroFile {
  std::string name;
  nlohmann::ordered_json sdc = nlohmann::ordered_json::object();
  bool operator==(const AcroFile&) const = default;
};

struct AcroRecord {
  std::string uid;
  std::string status;  // "pass", "fail", "review"
  std::string type;    // "table", "regression", "custom"
  nlohmann::ordered_json properties = nlohmann::ordered_json::object();
  std::vector<AcroFile> files;
  nlohmann::ordered_json outcome = nlohmann::ordered_json::object();
  std::string command;
  std::string summary;
  std::string timestamp;  // ISO 8601
  std::vector<std::string> comments;
  std::string exception;
  bool operator==(const AcroRecord&) const = default;
};

struct AcroResults {
  std::string version{kAcroSchemaVersion};
  std::vector<AcroRecord> records;  // in uid insertion order
  bool operator==(const AcroResults&) const = default;
};

// results.json text (4-space indent, ACRO's key order).
std::string ResultsToJson(const AcroResults& results);
// Parses results.json; InvalidArgument naming the first missing or mistyped field.
// Unknown keys (e.g. ACRO's "session_summary") are ignored.
Result<AcroResults> ParseResultsJson(std::string_view text);

// A file of the release: name relative to the output folder, and its bytes.
struct ReleaseFile {
  std::string name;
  std::string content;
};

// One checked output and what was done about it.
struct CheckedOutput {
  const Output* output = nullptr;
  const CheckReport* report = nullptr;
  std::vector<CellStatus> suppression;  // tables: per cell, empty when not suppressed
  std::optional<RoundedTable> rounding; // tables: when rounded (redact then round)
  std::string timestamp;                // ISO 8601, from the caller's clock
  // Regression and free-form outputs: the files themselves (name, bytes) as produced in
  // the workspace. Tables get their CSV generated from the mitigated values.
  std::vector<ReleaseFile> attachments;
};

struct BundleOptions {
  bool reviewer_copy = false;  // include the bilingual reasons in properties.reasons
  std::string version{kAcroSchemaVersion};
};

struct ReleaseBundle {
  AcroResults results;
  std::vector<ReleaseFile> files;  // results.json, outputs, checksums/<name>.txt
};

// The published CSV of a table: values after suppression (empty) or rounding.
Result<std::string> PublishedCsv(const CheckedOutput& checked);
// One results.json record.
Result<AcroRecord> MakeRecord(const CheckedOutput& checked, const BundleOptions& options);
// Everything an output folder holds. InvalidArgument for a missing output or report or
// a suppression/rounding vector that does not match the table.
Result<ReleaseBundle> BuildReleaseBundle(std::span<const CheckedOutput> outputs,
                                         const BundleOptions& options);

}  // namespace sz::disclosure
