// The OpenAPI document and the server's route table describe the same API: every route
// is documented (method and path), nothing documented is missing from the server, and
// each operation's security and path parameters match the route.
#include "server/openapi.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "server/api.h"

namespace sz::server {
namespace {

using nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json Document() {
  json doc = json::parse(OpenApiDocument(), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << "openapi.json does not parse";
  return doc;
}

TEST(OpenApiTest, DocumentsExactlyTheServedRoutes) {
  json doc = Document();
  ASSERT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) documented.insert(Lower(method) + " " + path);
  }
  for (const Route& r : ApiRoutes()) {
    EXPECT_TRUE(served.insert(Lower(MethodName(r.method)) + " " + r.path).second)
        << "duplicate route " << r.path;
  }
  for (const auto& s : served)
    EXPECT_TRUE(documented.count(s)) << "served but not documented: " << s;
  for (const auto& d : documented)
    EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
  EXPECT_GE(served.size(), 30u);
}

TEST(OpenApiTest, SecurityAndPathParametersMatchEachRoute) {
  json doc = Document();
  static const std::regex kParam("\\{([a-z_]+)\\}");
  for (const Route& r : ApiRoutes()) {
    const json& op = doc["paths"][r.path][Lower(MethodName(r.method))];
    ASSERT_TRUE(op.is_object()) << r.path;
    EXPECT_TRUE(op.contains("summary")) << r.path;
    EXPECT_TRUE(op["responses"].contains("default")) << r.path << " lacks the error response";
    // Security: none (public), optional ({} or bearer), or the document's default (bearer).
    switch (r.auth) {
      case Auth::kNone:
        EXPECT_EQ(op.value("security", json()), json::array()) << r.path;
        break;
      case Auth::kOptional:
        EXPECT_EQ(op.value("security", json()), json::parse(R"([{}, {"bearer": []}])")) << r.path;
        break;
      case Auth::kRequired:
        EXPECT_FALSE(op.contains("security")) << r.path << " must use the default bearer security";
        break;
    }
    // Bodies: JSON routes take application/json, uploads application/octet-stream.
    if (r.body == Body::kUpload) {
      EXPECT_TRUE(op["requestBody"]["content"].contains("application/octet-stream")) << r.path;
    } else if (r.body == Body::kJson) {
      EXPECT_TRUE(op["requestBody"]["content"].contains("application/json")) << r.path;
    } else {
      EXPECT_FALSE(op.contains("requestBody")) << r.path;
    }
    std::set<std::string> templated, declared;
    for (std::sregex_iterator it(r.path.begin(), r.path.end(), kParam), end; it != end; ++it) {
      templated.insert((*it)[1]);
    }
    for (const auto& p : op.value("parameters", json::array())) {
      if (p["in"] == "path") declared.insert(p["name"].get<std::string>());
    }
    EXPECT_EQ(templated, declared) << r.path;
  }
}

TEST(OpenApiTest, RouteLookupMatchesTemplatesOnly) {
  const auto& routes = ApiRoutes();
  auto m = FindRoute(routes, Method::kGet, "/api/v1/datasets/bus_trips/versions");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/api/v1/datasets/{name}/versions");
  EXPECT_EQ(m.params.at("name"), "bus_trips");
  m = FindRoute(routes, Method::kDelete, "/api/v1/users/7/roles/analyst");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "7");
  EXPECT_EQ(m.params.at("role"), "analyst");
  m = FindRoute(routes, Method::kPut, "/api/v1/health");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_exists);
  EXPECT_EQ(FindRoute(routes, Method::kGet, "/api/v1/health/").route, nullptr);
  EXPECT_EQ(FindRoute(routes, Method::kGet, "/api/v1//health").route, nullptr);
  EXPECT_FALSE(FindRoute(routes, Method::kGet, "/api/v2/health").path_exists);
}

}  // namespace
}  // namespace sz::server
