// Internal to synth: UTF-8 → CP949 for the files that providers still publish in CP949.
// (common/text.h decodes CP949; this is the other direction, kept here because only the
// generator writes CP949. It can move to common/ when an exporter needs it.)
//
// Uses ICU's "windows-949-2000" table (Microsoft's CP949, not IBM's "cp949" alias). A
// character without a CP949 mapping is an error, never a silent '?'.
//
// Thread-safety: a Cp949Encoder is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sz::synth::internal {

class Cp949Encoder {
 public:
  static Result<Cp949Encoder> Create();
  Cp949Encoder(Cp949Encoder&&) noexcept;
  Cp949Encoder& operator=(Cp949Encoder&&) noexcept;
  ~Cp949Encoder();

  // Appends the CP949 bytes of `utf8` to `out`. InvalidArgument if `utf8` is malformed or
  // has a character CP949 cannot represent.
  Status Encode(std::string_view utf8, std::string& out);

 private:
  struct State;
  explicit Cp949Encoder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sz::synth::internal
