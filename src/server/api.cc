#include "server/api.h"

#include <charconv>

#include "common/text.h"
#include "fmt/format.h"

namespace sz::server {

using nlohmann::json;

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

const std::vector<Route>& ApiRoutes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r;
    AddSystemRoutes(r);
    AddAuthRoutes(r);
    AddUserRoutes(r);
    AddCatalogRoutes(r);
    AddPseudonymizationRoutes(r);
    AddAuditRoutes(r);
    AddOpsRoutes(r);
    AddProjectRoutes(r);
    AddWorkspaceRoutes(r);
    AddExportRoutes(r);
    return r;
  }();
  return routes;
}

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPath(std::string_view templ, std::string_view path,
               std::map<std::string, std::string>& params) {
  // A trailing slash or an empty segment is not the same path.
  if (path.empty() || path.front() != '/' || (path.size() > 1 && path.back() == '/') ||
      path.find("//") != std::string_view::npos) {
    return false;
  }
  auto t = Segments(templ);
  auto p = Segments(path);
  if (t.size() != p.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() > 2 && t[i].front() == '{' && t[i].back() == '}') {
      found[std::string(t[i].substr(1, t[i].size() - 2))] = std::string(p[i]);
    } else if (t[i] != p[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

Status FieldError(std::string_view key, std::string_view want) {
  return InvalidArgument(fmt::format("field '{}' must be {}", key, want));
}

}  // namespace

RouteMatch FindRoute(const std::vector<Route>& routes, Method method, std::string_view path) {
  RouteMatch m;
  for (const Route& r : routes) {
    std::map<std::string, std::string> params;
    if (!MatchPath(r.path, path, params)) continue;
    m.path_exists = true;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

Result<std::string> StringField(const json& body, std::string_view key, bool required,
                                size_t max_bytes) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) return InvalidArgument(fmt::format("field '{}' is required", key));
    return std::string();
  }
  if (!it->is_string()) return FieldError(key, "a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) return FieldError(key, fmt::format("at most {} bytes", max_bytes));
  return s;
}

Result<bool> BoolField(const json& body, std::string_view key, bool fallback) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) return FieldError(key, "true or false");
  return it->get<bool>();
}

Result<int64_t> IntField(const json& body, std::string_view key, std::optional<int64_t> fallback) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (fallback) return *fallback;
    return InvalidArgument(fmt::format("field '{}' is required", key));
  }
  if (!it->is_number_integer()) return FieldError(key, "an integer");
  return it->get<int64_t>();
}

Result<std::vector<std::string>> StringListField(const json& body, std::string_view key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > 64) return FieldError(key, "a list of at most 64 strings");
  for (const json& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > 256) {
      return FieldError(key, "a list of strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<int64_t> IdParam(const Call& call, std::string_view key) {
  auto it = call.path.find(std::string(key));
  std::string_view v = it == call.path.end() ? std::string_view() : std::string_view(it->second);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || id <= 0) {
    return InvalidArgument(fmt::format("'{}' in the path must be a positive integer", key));
  }
  return id;
}

Result<std::string> NameParam(const Call& call, std::string_view what, std::string_view key) {
  auto it = call.path.find(std::string(key));
  std::string v = it == call.path.end() ? "" : it->second;
  SZ_RETURN_IF_ERROR(zone::ValidateName(what, v));
  return v;
}

Result<std::string> QueryParam(const Call& call, std::string_view key) {
  auto it = call.query.find(std::string(key));
  if (it == call.query.end()) return std::string();
  if (it->second.size() > 1024 || !text::IsValidUtf8(it->second)) {
    return InvalidArgument(fmt::format("query parameter '{}' must be at most 1 KiB of UTF-8", key));
  }
  return it->second;
}

Result<int64_t> QueryInt(const Call& call, std::string_view key, int64_t fallback) {
  SZ_ASSIGN_OR_RETURN(std::string v, QueryParam(call, key));
  if (v.empty()) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size()) {
    return InvalidArgument(fmt::format("query parameter '{}' must be an integer", key));
  }
  return n;
}

Result<bool> QueryBool(const Call& call, std::string_view key, bool fallback) {
  Result<std::string> v = QueryParam(call, key);
  if (!v.ok()) return v.status();
  std::string_view text = *v;
  if (text.empty()) return fallback;
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return InvalidArgument(fmt::format("query parameter '{}' must be true or false", key));
}

}  // namespace sz::server
