#include "workspace/sql_text.h"

#include <cctype>

#include "fmt/format.h"

namespace sz::workspace {

namespace {

bool IsWordStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsWordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Index just past the quote that closes a string opened at `start` (the opening quote),
// where a doubled quote is an escaped quote and, if `backslash`, a backslash escapes the
// next character. npos if unterminated.
size_t EndOfQuoted(std::string_view sql, size_t start, char quote, bool backslash) {
  for (size_t i = start + 1; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return std::string_view::npos;
}

// Block comments nest, as in PostgreSQL.
size_t EndOfBlockComment(std::string_view sql, size_t start) {
  int depth = 0;
  for (size_t i = start; i + 1 < sql.size(); ++i) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      ++i;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      ++i;
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// "$tag$" at `start` (tag possibly empty), or "" if this is not a dollar-quote opener.
std::string_view DollarTag(std::string_view sql, size_t start) {
  size_t i = start + 1;
  if (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) return {};
  while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) ++i;
  if (i < sql.size() && sql[i] == '$') return sql.substr(start, i - start + 1);
  return {};
}

Status Unterminated(std::string_view what, size_t offset) {
  return InvalidArgument(fmt::format("unterminated {} starting at character {}", what, offset + 1));
}

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  std::vector<Token> out;
  size_t i = 0;
  auto push = [&](TokenKind kind, size_t end) {
    out.push_back({kind, sql.substr(i, end - i), i});
    i = end;
  };
  while (i < sql.size()) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && next == '-') {
      size_t end = sql.find('\n', i);
      push(TokenKind::kComment, end == std::string_view::npos ? sql.size() : end);
    } else if (c == '/' && next == '*') {
      size_t end = EndOfBlockComment(sql, i);
      if (end == std::string_view::npos) return Unterminated("comment", i);
      push(TokenKind::kComment, end);
    } else if (c == '\'') {
      size_t end = EndOfQuoted(sql, i, '\'', false);
      if (end == std::string_view::npos) return Unterminated("string", i);
      push(TokenKind::kString, end);
    } else if ((c == 'e' || c == 'E') && next == '\'') {
      size_t end = EndOfQuoted(sql, i + 1, '\'', true);
      if (end == std::string_view::npos) return Unterminated("string", i);
      push(TokenKind::kString, end);
    } else if (c == '"') {
      size_t end = EndOfQuoted(sql, i, '"', false);
      if (end == std::string_view::npos) return Unterminated("quoted identifier", i);
      push(TokenKind::kQuotedIdent, end);
    } else if (c == '$') {
      std::string_view tag = DollarTag(sql, i);
      if (tag.empty()) {
        size_t end = i + 1;
        while (end < sql.size() && IsWordChar(static_cast<unsigned char>(sql[end]))) ++end;
        push(TokenKind::kParameter, end);
      } else {
        size_t close = sql.find(tag, i + tag.size());
        if (close == std::string_view::npos) return Unterminated("dollar-quoted string", i);
        push(TokenKind::kString, close + tag.size());
      }
    } else if (c == '?') {
      push(TokenKind::kParameter, i + 1);
    } else if (std::isdigit(c) || (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      size_t end = i + 1;
      while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) ||
                                  sql[end] == '.' || sql[end] == '_'))
        ++end;
      push(TokenKind::kNumber, end);
    } else if (IsWordStart(c)) {
      size_t end = i + 1;
      while (end < sql.size() && IsWordChar(static_cast<unsigned char>(sql[end]))) ++end;
      push(TokenKind::kWord, end);
    } else {
      push(TokenKind::kSymbol, i + 1);
    }
  }
  return out;
}

std::vector<Token> WithoutComments(const std::vector<Token>& tokens) {
  std::vector<Token> out;
  for (const Token& t : tokens)
    if (t.kind != TokenKind::kComment) out.push_back(t);
  return out;
}

bool EqualsWord(const Token& token, std::string_view word) {
  if (token.kind != TokenKind::kWord || token.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(token.text[i])) !=
        std::tolower(static_cast<unsigned char>(word[i])))
      return false;
  }
  return true;
}

std::string IdentifierName(const Token& token) {
  if (token.kind == TokenKind::kQuotedIdent) {
    std::string out;
    std::string_view inner = token.text.substr(1, token.text.size() - 2);
    for (size_t i = 0; i < inner.size(); ++i) {
      out += inner[i];
      if (inner[i] == '"') ++i;  // "" is one quote
    }
    return out;
  }
  std::string out(token.text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::vector<std::string>> SplitStatements(std::string_view script) {
  SZ_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(script));
  std::vector<std::string> out;
  size_t begin = 0;
  bool has_code = false;
  auto flush = [&](size_t end) {
    if (has_code) {
      std::string_view piece = script.substr(begin, end - begin);
      while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.front())))
        piece.remove_prefix(1);
      while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.back())))
        piece.remove_suffix(1);
      out.emplace_back(piece);
    }
    has_code = false;
  };
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kSymbol && t.text == ";") {
      flush(t.offset);
      begin = t.offset + 1;
    } else if (t.kind != TokenKind::kComment) {
      has_code = true;
    }
  }
  flush(script.size());
  return out;
}

Status CheckExpressionFragment(std::string_view what, std::string_view fragment) {
  auto tokens = Tokenize(fragment);
  if (!tokens.ok()) return InvalidArgument(fmt::format("{}: {}", what, tokens.status().message()));
  int depth = 0;
  bool any = false;
  for (const Token& t : *tokens) {
    switch (t.kind) {
      case TokenKind::kComment:
        return InvalidArgument(fmt::format("{} must not contain comments", what));
      case TokenKind::kParameter:
        return InvalidArgument(fmt::format("{} must not contain parameters ($, ?)", what));
      case TokenKind::kSymbol:
        if (t.text == ";")
          return InvalidArgument(fmt::format("{} must be one expression, without ';'", what));
        if (t.text == "(") ++depth;
        if (t.text == ")" && --depth < 0) {
          return InvalidArgument(fmt::format("{} has a ')' without its '('", what));
        }
        break;
      default:
        break;
    }
    any = true;
  }
  if (!any) return InvalidArgument(fmt::format("{} is empty", what));
  if (depth != 0) return InvalidArgument(fmt::format("{} has a '(' without its ')'", what));
  return OkStatus();
}

}  // namespace sz::workspace
