#include "server/server.h"

#include <gtest/gtest.h>

#include "api_test_env.h"

namespace sz::server {
namespace {

using nlohmann::json;

TEST(ServerSmokeTest, HealthLoginMe) {
  testing::ApiTestEnv env;
  env.StartServer();
  auto health = env.Client().Get("/api/v1/health");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ((*health)["status"], "ok");
  std::string token = env.SignIn("analyst");
  auto me = env.Client(token).Get("/api/v1/auth/me");
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ((*me)["user"]["username"], "analyst");
}

}  // namespace
}  // namespace sz::server
