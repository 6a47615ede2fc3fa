// Control-plane tables of projects, outputs, export requests and releases.
#include "zone/projects.h"

namespace sz::zone {

namespace {

constexpr const char* kAnalysisSchema = R"sql(
CREATE TABLE IF NOT EXISTS projects (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  title           TEXT NOT NULL DEFAULT '',
  purpose         TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'closed')),
  start_date      TEXT NOT NULL,            -- Seoul day, inclusive
  end_date        TEXT NOT NULL,            -- Seoul day, inclusive
  two_reviewers   INTEGER NOT NULL DEFAULT 0,
  risk_appetite   TEXT NOT NULL DEFAULT '', -- project layer (JSON merge patch)
  created_by_user INTEGER NOT NULL DEFAULT 0,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  approved_by     TEXT NOT NULL DEFAULT '',
  approved_at     TEXT NOT NULL DEFAULT '',
  closed_by       TEXT NOT NULL DEFAULT '',
  closed_at       TEXT NOT NULL DEFAULT '',
  close_reason    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS project_members (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  user_id    INTEGER NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('lead', 'analyst')),
  added_by   TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE TABLE IF NOT EXISTS project_datasets (
  project_id    INTEGER NOT NULL REFERENCES projects(id),
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
  version_id    INTEGER NOT NULL REFERENCES dataset_versions(id),
  person_column TEXT NOT NULL DEFAULT '',
  row_is_person INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, dataset_id)
);
CREATE TABLE IF NOT EXISTS project_columns (
  project_id  INTEGER NOT NULL REFERENCES projects(id),
  dataset_id  INTEGER NOT NULL,
  position    INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  PRIMARY KEY (project_id, dataset_id, column_name)
);
CREATE TABLE IF NOT EXISTS outputs (
  id             INTEGER PRIMARY KEY,
  project_id     INTEGER NOT NULL REFERENCES projects(id),
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  revision       INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL,       -- of the current revision's content
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS output_revisions (
  output_id      INTEGER NOT NULL REFERENCES outputs(id),
  revision       INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL,
  file           TEXT NOT NULL,       -- sealed, relative to the zone directory
  file_id        TEXT NOT NULL,
  datasets       TEXT NOT NULL DEFAULT '',  -- versions it was computed from
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  PRIMARY KEY (output_id, revision)
);
CREATE TABLE IF NOT EXISTS export_requests (
  id             INTEGER PRIMARY KEY,
  project_id     INTEGER NOT NULL REFERENCES projects(id),
  requester_user INTEGER NOT NULL,   -- 0: the operator
  requester      TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'in_review', 'approved',
                   'partially_approved', 'returned', 'rejected', 'released', 'withdrawn')),
  two_reviewers  INTEGER NOT NULL DEFAULT 0,
  purpose        TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  decided_by     TEXT NOT NULL DEFAULT '',
  decided_at     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS export_items (
  request_id        INTEGER NOT NULL REFERENCES export_requests(id),
  output_id         INTEGER NOT NULL REFERENCES outputs(id),
  position          INTEGER NOT NULL,
  revision          INTEGER NOT NULL,      -- the revision checked
  checked_sha256    TEXT NOT NULL,         -- its content hash at check time
  verdict           TEXT NOT NULL,         -- after mitigation: pass, review, fail
  summary           TEXT NOT NULL,
  report            TEXT NOT NULL,         -- JSON check report (reviewer copy)
  mitigation        TEXT NOT NULL DEFAULT 'none'
                      CHECK (mitigation IN ('none', 'suppress', 'round', 'redact_round')),
  mitigation_result TEXT NOT NULL DEFAULT '',  -- JSON: cell status or rounded values
  exception_request TEXT NOT NULL DEFAULT '',
  exception_granted INTEGER NOT NULL DEFAULT 0,
  decision          TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected')),
  PRIMARY KEY (request_id, output_id)
);
CREATE TABLE IF NOT EXISTS export_votes (
  request_id    INTEGER NOT NULL REFERENCES export_requests(id),
  output_id     INTEGER NOT NULL,
  reviewer_user INTEGER NOT NULL,      -- 0: the operator
  reviewer      TEXT NOT NULL,
  decision      TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
  at            TEXT NOT NULL,
  PRIMARY KEY (request_id, output_id, reviewer_user)
);
CREATE TABLE IF NOT EXISTS export_comments (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES export_requests(id),
  output_id   INTEGER NOT NULL DEFAULT 0,  -- 0: the whole request
  author_user INTEGER NOT NULL,
  author      TEXT NOT NULL,
  visibility  TEXT NOT NULL CHECK (visibility IN ('analyst', 'reviewers')),
  body        TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS export_events (
  request_id INTEGER NOT NULL REFERENCES export_requests(id),
  seq        INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL,
  PRIMARY KEY (request_id, seq)
);
CREATE TABLE IF NOT EXISTS releases (
  id              INTEGER PRIMARY KEY,
  request_id      INTEGER NOT NULL UNIQUE REFERENCES export_requests(id),
  project_id      INTEGER NOT NULL REFERENCES projects(id),
  owner_user      INTEGER NOT NULL,
  file            TEXT NOT NULL,        -- sealed package, relative to the zone directory
  file_id         TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  key_id          TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS release_items (
  release_id INTEGER NOT NULL REFERENCES releases(id),
  output_id  INTEGER NOT NULL,
  revision   INTEGER NOT NULL,
  published  TEXT NOT NULL DEFAULT '',  -- JSON per-cell published mask ('' = all)
  PRIMARY KEY (release_id, output_id)
);
)sql";

}  // namespace

Status CreateAnalysisSchema(storage::SqliteDb& db) { return db.Exec(kAnalysisSchema); }

}  // namespace sz::zone
