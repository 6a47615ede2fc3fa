#include "privacy/adult.h"

#include "fmt/format.h"
#include "privacy/duck_loader.h"
#include "storage/duck.h"

namespace sz::privacy {

Result<Dataset> LoadAdult(const std::string& data_dir, const std::optional<std::string>& sensitive,
                          int replicate) {
  duck::Options options;
  options.threads = 1;
  SZ_ASSIGN_OR_RETURN(duck::Database db, duck::Database::Open(options));
  SZ_ASSIGN_OR_RETURN(duck::Connection conn, duck::Connection::Open(db));
  std::string csv = data_dir + "/adult.csv";
  SZ_RETURN_IF_ERROR(conn.Execute(fmt::format(
      "CREATE TABLE adult AS SELECT * FROM read_csv({}, delim=';', header=true, all_varchar=true)",
      duck::QuoteLiteral(csv))));
  LoadSpec spec;
  for (const char* col : kAdultColumns) {
    if (sensitive && *sensitive == col) continue;
    SZ_ASSIGN_OR_RETURN(Hierarchy h,
                        Hierarchy::LoadArxCsv(data_dir + "/adult_hierarchy_" + col + ".csv"));
    spec.quasi_identifiers.push_back({col, std::move(h)});
  }
  spec.sensitive = sensitive;
  std::string query = "SELECT * FROM adult";
  if (replicate > 1) {
    query = fmt::format("SELECT adult.* FROM adult, range({}) AS copies", replicate);
  }
  return LoadDatasetFromQuery(conn, query, spec);
}

}  // namespace sz::privacy
