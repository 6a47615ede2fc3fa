#include "zone/schema.h"

#include "zone/pseudonymize.h"

namespace sz::zone {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS zone_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS zone_keys (
  purpose    TEXT PRIMARY KEY,          -- 'dataset:<name>', 'zone:signing', ...
  wrapped    BLOB NOT NULL,             -- XChaCha20-Poly1305 under the master key
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sectors (
  name     TEXT PRIMARY KEY,
  title_ko TEXT NOT NULL,
  title_en TEXT NOT NULL
);
INSERT OR IGNORE INTO sectors(name, title_ko, title_en) VALUES
  ('transportation', '교통', 'Transportation'),
  ('population', '인구', 'Population'),
  ('real_estate', '부동산', 'Real estate'),
  ('tourism', '관광', 'Tourism'),
  ('consumption', '소비', 'Consumption'),
  ('finance', '금융', 'Finance');
CREATE TABLE IF NOT EXISTS datasets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  title_ko    TEXT NOT NULL DEFAULT '',
  title_en    TEXT NOT NULL DEFAULT '',
  sector      TEXT NOT NULL REFERENCES sectors(name),
  tier        TEXT NOT NULL CHECK (tier IN ('open', 'pseudonymized', 'non_open')),
  provider    TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_versions (
  id             INTEGER PRIMARY KEY,
  dataset_id     INTEGER NOT NULL REFERENCES datasets(id),
  version        INTEGER NOT NULL,
  tier           TEXT NOT NULL CHECK (tier IN ('open', 'pseudonymized', 'non_open')),
  file           TEXT NOT NULL UNIQUE,   -- relative to the zone directory
  file_id        TEXT NOT NULL,          -- from the sealed file's header
  sealed_bytes   INTEGER NOT NULL,
  plain_bytes    INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL,          -- of the plaintext Parquet
  row_count      INTEGER NOT NULL,
  source_name    TEXT NOT NULL,
  source_format  TEXT NOT NULL,
  source_encoding TEXT NOT NULL,
  source_delimiter TEXT NOT NULL DEFAULT '',
  source_header  INTEGER NOT NULL DEFAULT 1,
  upload_file    TEXT,                   -- sealed raw upload, relative
  upload_sha256  TEXT,
  derived_from   INTEGER REFERENCES dataset_versions(id),
  note           TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  UNIQUE (dataset_id, version)
);
CREATE TABLE IF NOT EXISTS dataset_columns (
  version_id    INTEGER NOT NULL REFERENCES dataset_versions(id),
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('direct_identifier', 'quasi_identifier', 'sensitive', 'other')),
  proposed_role TEXT NOT NULL,
  pattern       TEXT NOT NULL DEFAULT '',
  share         REAL NOT NULL DEFAULT 0,
  evidence      TEXT NOT NULL DEFAULT '',
  confirmed     INTEGER NOT NULL DEFAULT 0,  -- the provider confirmed or overrode the role
  PRIMARY KEY (version_id, position)
);
)sql";

}  // namespace

Status CreateSchema(storage::SqliteDb& db) {
  SZ_RETURN_IF_ERROR(db.Exec(kSchema));
  return CreatePseudonymizationSchema(db);
}

}  // namespace sz::zone
