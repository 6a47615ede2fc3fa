// The OpenAPI 3 document of the API: src/server/openapi.json, hand-written and embedded
// into the binary at build time (CMakeLists.txt, configure_file). A test checks that it
// documents exactly the routes of ApiRoutes() (method and path), no more, no fewer.
#pragma once

#include <string_view>

namespace sz::server {

std::string_view OpenApiDocument();

}  // namespace sz::server
