#include "zone/profile.h"

namespace sz::zone {

Result<std::vector<ColumnInfo>> ProfileColumns(duck::Connection& conn, std::string_view relation_sql,
                                               size_t sample_rows) {
  (void)sample_rows;
  SZ_ASSIGN_OR_RETURN(auto described, conn.Query("DESCRIBE SELECT * FROM " + std::string(relation_sql)));
  SZ_ASSIGN_OR_RETURN(auto rows, described.Rows());
  std::vector<ColumnInfo> cols;
  for (const auto& r : rows) {
    ColumnInfo c;
    c.position = static_cast<int>(cols.size());
    c.name = duck::ValueToString(r[0]);
    c.type = duck::ValueToString(r[1]);
    c.role = c.proposed_role = "other";
    cols.push_back(std::move(c));
  }
  return cols;
}

}  // namespace sz::zone
