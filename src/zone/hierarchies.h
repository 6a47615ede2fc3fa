// Generalization hierarchies inside the zone: the ARX CSVs a pseudonymization officer
// uploads (stored sealed, like datasets), and the built-in Korean administrative
// hierarchy (읍면동/address -> 시군구 -> 시도 -> *).
//
// Policies and searches name a hierarchy by its zone name (`hierarchy_file: occupation`);
// they never read a path. That is the point of this module: the engine's
// `hierarchy_file` would otherwise read any file the server process can, and echo parts
// of it in error messages. Uploaded hierarchies are immutable: a name is bound to one
// content (re-uploading the same content is a no-op; other content needs another name),
// so a job's policy always means what it meant when it ran.
//
// Storage: ZONE/uploads/<file id>.szh, sealed (crypto/sealed_file.h) under the zone key
// "zone:hierarchies" with the context "safezone hierarchy <name>"; the row in
// pseudo_hierarchies records the file id and the SHA-256 of the CSV text.
//
// Thread-safety: same rule as Zone.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "privacy/hierarchy.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

// The name under which the built-in Korean administrative hierarchy is used.
inline constexpr std::string_view kAdminHierarchy = "admin";
// Largest hierarchy CSV accepted. 64 MiB.
inline constexpr size_t kMaxHierarchyBytes = size_t{64} << 20;

struct HierarchyInfo {
  std::string name;
  std::string sha256;  // of the CSV text
  int levels = 0;      // including level 0 (the raw values)
  int64_t values = 0;  // raw values covered
  std::string uploaded_by;
  std::string uploaded_at;
};

// The authorization object of zone-wide pseudonymization work (hierarchies, the job
// list): the officer role decides, not a particular dataset.
authz::Object OfficerWorkObject();

// Validates `csv` as an ARX hierarchy (';'-separated) and stores it sealed as `name`
// ([a-z][a-z0-9_]*, not "admin"). Officers only (kPseudonymizeConfigure); audited.
// AlreadyExists if `name` holds other content.
Result<HierarchyInfo> UploadHierarchy(Zone& zone, const Caller& caller, std::string_view name, std::string_view csv);
Result<std::vector<HierarchyInfo>> ListHierarchies(Zone& zone, const Caller& caller);

// For other use cases (they authorize themselves): the CSV text of an uploaded
// hierarchy, verified against its recorded hash. NotFound names the upload command.
Result<std::string> ReadHierarchyText(Zone& zone, std::string_view name);

// The built-in hierarchy over `values` (NULL/empty excluded): raw value -> 시군구 ("서울특별시
// 종로구"; the 시도 if the value names only a 시도) -> 시도 -> "*", the same labels the
// policy rule `admin_region` writes. InvalidArgument with the number of values that do not
// resolve, and up to 5 of them when `show_values` (never for direct identifiers).
Result<privacy::Hierarchy> AdminRegionHierarchy(std::span<const std::string> values, bool show_values);

}  // namespace sz::zone
