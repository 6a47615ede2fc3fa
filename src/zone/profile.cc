#include "zone/profile.h"

#include "detect/relation.h"

namespace sz::zone {

Result<std::vector<ColumnInfo>> ProfileColumns(duck::Connection& conn, std::string_view parquet_path,
                                               size_t sample_rows) {
  SZ_ASSIGN_OR_RETURN(auto profiles, detect::ProfileParquet(conn, parquet_path, sample_rows));
  std::vector<ColumnInfo> cols;
  cols.reserve(profiles.size());
  for (const auto& p : profiles) {
    ColumnInfo c;
    c.position = static_cast<int>(cols.size());
    c.name = p.column;
    c.type = p.type;
    c.role = c.proposed_role = std::string(detect::RoleName(p.proposed_role));
    c.pattern = p.pattern == detect::Pattern::kNone ? "" : std::string(detect::PatternName(p.pattern));
    c.share = p.share;
    c.evidence = p.evidence;
    cols.push_back(std::move(c));
  }
  return cols;
}

}  // namespace sz::zone
