#include "synth/cp949_encoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unistr.h>

#include "common/text.h"

namespace sz::synth::internal {

struct Cp949Encoder::State {
  UConverter* converter = nullptr;
  ~State() {
    if (converter) ucnv_close(converter);
  }
};

Cp949Encoder::Cp949Encoder(std::unique_ptr<State> state) : state_(std::move(state)) {}
Cp949Encoder::Cp949Encoder(Cp949Encoder&&) noexcept = default;
Cp949Encoder& Cp949Encoder::operator=(Cp949Encoder&&) noexcept = default;
Cp949Encoder::~Cp949Encoder() = default;

Result<Cp949Encoder> Cp949Encoder::Create() {
  auto state = std::make_unique<State>();
  UErrorCode err = U_ZERO_ERROR;
  state->converter = ucnv_open("windows-949-2000", &err);
  if (U_FAILURE(err)) return Internal("the CP949 converter is missing from ICU; reinstall libicu");
  ucnv_setFromUCallBack(state->converter, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &err);
  if (U_FAILURE(err)) return Internal("cannot configure the CP949 converter");
  return Cp949Encoder(std::move(state));
}

Status Cp949Encoder::Encode(std::string_view utf8, std::string& out) {
  if (!text::IsValidUtf8(utf8))
    return InvalidArgument("text to encode as CP949 is not valid UTF-8");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  size_t start = out.size();
  // CP949 uses at most 2 bytes per UTF-16 code unit.
  out.resize(start + static_cast<size_t>(u.length()) * 2 + 2);
  UErrorCode err = U_ZERO_ERROR;
  ucnv_resetFromUnicode(state_->converter);
  int32_t n = ucnv_fromUChars(state_->converter, out.data() + start,
                              static_cast<int32_t>(out.size() - start), u.getBuffer(), u.length(),
                              &err);
  if (U_FAILURE(err)) {
    out.resize(start);
    return InvalidArgument(
        "text has a character that CP949 cannot represent; write this file as UTF-8");
  }
  out.resize(start + static_cast<size_t>(n));
  return OkStatus();
}

}  // namespace sz::synth::internal
