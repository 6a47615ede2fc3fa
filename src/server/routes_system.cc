// GET /api/v1/health, GET /api/v1/openapi.json
#include "server/api.h"
#include "server/openapi.h"

namespace sz::server {

void AddSystemRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {Method::kGet, "/api/v1/health", Auth::kNone, Body::kNone, [](Call&) -> Result<Reply> {
         return Reply::Json({{"status", "ok"}, {"api", "v1"}});
       }});
  routes.push_back(
      {Method::kGet, "/api/v1/openapi.json", Auth::kNone, Body::kNone, [](Call&) -> Result<Reply> {
         Reply r;
         r.raw = std::string(OpenApiDocument());
         r.content_type = "application/json";
         return r;
       }});
}

}  // namespace sz::server
