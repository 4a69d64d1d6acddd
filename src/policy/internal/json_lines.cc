#include "policy/internal/json_lines.h"

#include <cctype>
#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gdprkit::internal {
namespace {

constexpr int kMaxDepth = 64;

std::string SnakeCase(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class Scanner {
 public:
  Scanner(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  absl::StatusOr<FieldLines> Run() {
    SkipSpace();
    if (absl::Status s = Value("", 0); !s.ok()) return s;
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the end of the JSON value");
    return std::move(lines_);
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrFormat("%s:%d:%d: %s", name_, line_, column_, what));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      Advance();
    }
  }

  absl::Status Value(const std::string& path, int depth) {
    if (depth > kMaxDepth) return Error("JSON nested too deeply");
    if (AtEnd()) return Error("unexpected end of input, expected a value");
    if (!path.empty()) lines_.emplace(path, line_);
    switch (Peek()) {
      case '{':
        return Object(path, depth);
      case '[':
        return Array(path, depth);
      case '"': {
        std::string ignored;
        return String(&ignored);
      }
      default:
        return Scalar();
    }
  }

  absl::Status Object(const std::string& path, int depth) {
    Advance();  // '{'
    SkipSpace();
    if (Peek() == '}') {
      Advance();
      return absl::OkStatus();
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') return Error("expected a quoted field name");
      std::string key;
      if (absl::Status s = String(&key); !s.ok()) return s;
      SkipSpace();
      if (Peek() != ':') return Error(absl::StrCat("expected ':' after field name \"", key, "\""));
      Advance();
      SkipSpace();
      const std::string child =
          path.empty() ? SnakeCase(key) : absl::StrCat(path, ".", SnakeCase(key));
      if (absl::Status s = Value(child, depth + 1); !s.ok()) return s;
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return absl::OkStatus();
      }
      return Error("expected ',' or '}' after an object member");
    }
  }

  absl::Status Array(const std::string& path, int depth) {
    Advance();  // '['
    SkipSpace();
    if (Peek() == ']') {
      Advance();
      return absl::OkStatus();
    }
    for (int i = 0;; ++i) {
      SkipSpace();
      if (absl::Status s = Value(absl::StrCat(path, "[", i, "]"), depth + 1); !s.ok()) return s;
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return absl::OkStatus();
      }
      return Error("expected ',' or ']' after an array element");
    }
  }

  absl::Status String(std::string* out) {
    Advance();  // opening quote
    while (true) {
      if (AtEnd()) return Error("unterminated string");
      const char c = Peek();
      if (c == '"') {
        Advance();
        return absl::OkStatus();
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in a string");
      if (c == '\\') {
        Advance();
        if (AtEnd()) return Error("unterminated escape in a string");
        const char e = Peek();
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            Advance();
            if (AtEnd() || !std::isxdigit(static_cast<unsigned char>(Peek()))) {
              return Error("bad \\u escape in a string");
            }
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return Error(absl::StrCat("bad escape '\\", std::string(1, e), "' in a string"));
        }
        out->push_back('?');
        Advance();
        continue;
      }
      out->push_back(c);
      Advance();
    }
  }

  absl::Status Scalar() {
    const std::size_t start = pos_;
    while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '-' ||
                        Peek() == '+' || Peek() == '.')) {
      Advance();
    }
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word.empty()) {
      return Error(absl::StrFormat("unexpected character '%c'", Peek()));
    }
    if (word == "true" || word == "false" || word == "null") return absl::OkStatus();
    // A number: -?digits[.digits][e[+-]digits]
    std::size_t i = 0;
    if (i < word.size() && word[i] == '-') ++i;
    const std::size_t int_start = i;
    while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
    bool ok = i > int_start;
    if (ok && i < word.size() && word[i] == '.') {
      const std::size_t f = ++i;
      while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
      ok = i > f;
    }
    if (ok && i < word.size() && (word[i] == 'e' || word[i] == 'E')) {
      ++i;
      if (i < word.size() && (word[i] == '+' || word[i] == '-')) ++i;
      const std::size_t e = i;
      while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
      ok = i > e;
    }
    if (!ok || i != word.size()) {
      return Error(absl::StrCat("unexpected '", absl::string_view(word.data(), word.size()),
                                "' (strings need double quotes)"));
    }
    return absl::OkStatus();
  }

  std::string_view text_;
  std::string_view name_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  FieldLines lines_;
};

}  // namespace

absl::StatusOr<FieldLines> ScanJsonLines(std::string_view text, std::string_view name) {
  return Scanner(text, name).Run();
}

std::string LocateJsonError(const std::string& message, const FieldLines& lines) {
  // Find the field path whose last name occurs in the message as a word.
  int best = 0;
  std::size_t best_len = 0;
  for (const auto& [path, line] : lines) {
    std::size_t start = path.rfind('.');
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t end = path.find('[', start);
    const std::string leaf = path.substr(start, end == std::string::npos ? end : end - start);
    if (leaf.size() < 2 || leaf.size() <= best_len) continue;
    const std::size_t at = message.find(leaf);
    if (at == std::string::npos) continue;
    const bool word_start = at == 0 || !std::isalnum(static_cast<unsigned char>(message[at - 1]));
    const std::size_t after = at + leaf.size();
    const bool word_end =
        after >= message.size() ||
        !(std::isalnum(static_cast<unsigned char>(message[after])) || message[after] == '_');
    if (word_start && word_end) {
      best = line;
      best_len = leaf.size();
    }
  }
  return best > 0 ? absl::StrCat("line ", best, ": ") : "";
}

}  // namespace gdprkit::internal
