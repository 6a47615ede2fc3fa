// Lexical handling of SQL text for the workspace: a tokenizer that knows DuckDB's quoting
// rules, splitting a script into statements, and the check that a fragment an analyst
// supplies for a table definition (a dimension, a measure, a filter) is one
// self-contained expression.
//
// The tokenizer follows the PostgreSQL lexical rules DuckDB inherits (PostgreSQL
// documentation, "Lexical Structure"): '...' strings with '' escapes, E'...' strings with
// backslash escapes, "..." identifiers with "" escapes, $tag$...$tag$ dollar-quoted
// strings, -- line comments and nested /* */ block comments. It is not a parser: DuckDB
// remains the judge of what a statement means (sandbox.h asks it for the statement type).
// Where this lexer and DuckDB could disagree, the disagreement makes a statement fail
// to prepare or to split into exactly one statement, and it is then refused.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sz::workspace {

enum class TokenKind {
  kWord,         // keyword or bare identifier (compare with EqualsWord: case-insensitive)
  kQuotedIdent,  // "x"; text() includes the quotes
  kString,       // '...', E'...', $$...$$
  kNumber,
  kSymbol,     // one character: ( ) , ; . = < > + - * / ...
  kParameter,  // $1, $name, ?
  kComment,    // -- ... or /* ... */
};

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the tokenized SQL
  size_t offset = 0;
};

// InvalidArgument for an unterminated string, identifier or comment.
Result<std::vector<Token>> Tokenize(std::string_view sql);

// Tokens other than comments.
std::vector<Token> WithoutComments(const std::vector<Token>& tokens);

// True if `token` is the word `word` (ASCII case-insensitive).
bool EqualsWord(const Token& token, std::string_view word);

// The identifier a word or quoted-identifier token names ("x" -> x, "a""b" -> a"b,
// Foo -> foo: bare identifiers are case-insensitive in DuckDB and compared lower case).
std::string IdentifierName(const Token& token);

// Splits a script at top-level semicolons into statements (each trimmed, without its
// semicolon; empty statements and comment-only pieces are dropped).
Result<std::vector<std::string>> SplitStatements(std::string_view script);

// Checks that `fragment` can be placed in parentheses inside a larger statement without
// changing that statement's structure: non-empty, no semicolons, no comments, no
// parameters, and parentheses balanced outside quotes (so it cannot close the
// parenthesis it is placed in). InvalidArgument naming `what` otherwise.
Status CheckExpressionFragment(std::string_view what, std::string_view fragment);

}  // namespace sz::workspace
