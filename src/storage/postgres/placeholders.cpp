#include "storage/postgres/placeholders.hpp"

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace coop::storage::postgres {

namespace {

bool ident_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u >= 0x80 ||
         u == '$';
}
bool tag_start(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

}  // namespace

RewrittenSql rewrite_placeholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  const std::size_t n = sql.size();
  std::size_t i = 0;
  // Copies sql[from, to) verbatim.
  auto copy = [&](std::size_t from, std::size_t to) { out.sql.append(sql.substr(from, to - from)); };

  while (i < n) {
    char c = sql[i];
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.params);
      ++i;
    } else if (c == '\'') {
      // E'…' (escape string): backslash escapes the next character. The E must start a token.
      bool escape = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident_char(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (escape && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            j += 2;  // doubled quote inside the literal
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      j = std::min(j, n);
      copy(i, j);
      i = j;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < n) {
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      j = std::min(j, n);
      copy(i, j);
      i = j;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? n : j + 1;
      copy(i, j);
      i = j;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      // PostgreSQL block comments nest.
      std::size_t j = i + 2;
      int depth = 1;
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      copy(i, j);
      i = j;
    } else if (c == '$' && (i == 0 || !ident_char(sql[i - 1]))) {
      // Dollar quote: $$ or $tag$ where tag is an identifier (not $1: that is a parameter).
      std::size_t j = i + 1;
      if (j < n && tag_start(sql[j])) {
        while (j < n && ident_char(sql[j]) && sql[j] != '$') ++j;
      }
      if (j < n && sql[j] == '$') {
        std::string_view delim = sql.substr(i, j - i + 1);
        std::size_t end = sql.find(delim, j + 1);
        std::size_t stop = end == std::string_view::npos ? n : end + delim.size();
        copy(i, stop);
        i = stop;
      } else {
        out.sql += c;
        ++i;
      }
    } else {
      out.sql += c;
      ++i;
    }
  }
  return out;
}

std::shared_ptr<const RewrittenSql> rewrite_placeholders_cached(std::string_view sql) {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Entries are shared_ptrs so that clearing a full cache never invalidates a caller's result.
  static std::shared_mutex mu;
  static auto* cache =
      new std::unordered_map<std::string, std::shared_ptr<const RewrittenSql>, Hash, std::equal_to<>>();
  constexpr std::size_t kMaxEntries = 4096;
  {
    std::shared_lock lock(mu);
    if (auto it = cache->find(sql); it != cache->end()) return it->second;
  }
  auto fresh = std::make_shared<const RewrittenSql>(rewrite_placeholders(sql));
  std::unique_lock lock(mu);
  if (cache->size() >= kMaxEntries) cache->clear();
  return cache->try_emplace(std::string(sql), fresh).first->second;
}

}  // namespace coop::storage::postgres
