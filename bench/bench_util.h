// Helpers shared by the benchmark programs: sizes from the environment (so CI and
// laptops can run them smaller) and a scratch directory.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sz::bench {

// $name as a number, or `fallback`.
inline long long EnvSize(const char* name, long long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sz-bench-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sz::bench
