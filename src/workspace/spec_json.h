// JSON forms of table and regression definitions: what the CLI reads from a file, the
// HTTP API receives, and an output records as its definition.
//
//   { "from": "residents", "alias": "r",
//     "joins": [{"table": "card_tx", "on": "r.pid = card_tx.pid", "left": false}],
//     "filters": [{"expression": "sido", "values": ["부산", "서울"]}],
//     "where": "age >= 20",
//     "dimensions": [{"name": "시도", "levels": ["sido"], "total": true, "total_label": "합계"}],
//     "statistic": "sum", "measure": "amount", "quantile": 0.5 }
//
//   { "source": { ...the same source keys... }, "outcome": "income",
//     "predictors": ["age"], "intercept": true }
//
// Unknown keys are rejected (a typo must not silently change an output).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "workspace/regression.h"
#include "workspace/tabulate.h"

namespace sz::workspace {

nlohmann::ordered_json TableSpecToJson(const TableSpec& spec);
Result<TableSpec> TableSpecFromJson(std::string_view text);
Result<TableSpec> TableSpecFromJson(const nlohmann::json& j);

nlohmann::ordered_json RegressionSpecToJson(const RegressionSpec& spec);
Result<RegressionSpec> RegressionSpecFromJson(std::string_view text);

// One line for a reviewer: "sum(amount) by 시도 [sido] x 성별 [sex] from residents
// join card_tx where age >= 20".
std::string DescribeTable(const TableSpec& spec);
std::string DescribeRegression(const RegressionSpec& spec);

}  // namespace sz::workspace
