#include "features/public_api/model.hpp"

#include <charconv>
#include <chrono>

#include "core/time.hpp"

namespace coop::public_api {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string encode_cursor(const Cursor& c) { return base64url_encode(c.updated_at + "|" + std::to_string(c.id)); }

std::optional<Cursor> decode_cursor(std::string_view text) {
  if (text.empty() || text.size() > 100) return std::nullopt;
  auto raw = base64url_decode(text);
  if (!raw) return std::nullopt;
  auto bar = raw->find('|');
  if (bar == std::string::npos) return std::nullopt;
  Cursor c{raw->substr(0, bar), 0};
  auto id = std::string_view(*raw).substr(bar + 1);
  if (!digits(id) || id.size() > 18) return std::nullopt;
  c.id = std::stoll(std::string(id));
  // The stored form, exactly: what parse_instant gives back for it.
  if (parse_instant(c.updated_at) != c.updated_at) return std::nullopt;
  return c;
}

std::optional<std::string> parse_instant(std::string_view s) {
  using namespace std::chrono;
  if (s.size() < 10 || !core::valid_date(s.substr(0, 10))) return std::nullopt;
  const sys_days date{year_month_day{year{to_int(s.substr(0, 4))}, month{unsigned(to_int(s.substr(5, 2)))},
                                    std::chrono::day{unsigned(to_int(s.substr(8, 2)))}}};
  if (s.size() == 10) return core::iso_utc(core::Clock::time_point{date});
  if (s.size() < 17 || s[10] != 'T' || s[13] != ':' || !digits(s.substr(11, 2)) || !digits(s.substr(14, 2)))
    return std::nullopt;
  int h = to_int(s.substr(11, 2)), mi = to_int(s.substr(14, 2)), se = 0, ms = 0;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (i + 3 > s.size() || !digits(s.substr(i + 1, 2))) return std::nullopt;
    se = to_int(s.substr(i + 1, 2));
    i += 3;
    if (i < s.size() && s[i] == '.') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j == i + 1 || j - i - 1 > 9) return std::nullopt;
      auto frac = std::string(s.substr(i + 1, j - i - 1)) + "00";
      ms = to_int(std::string_view(frac).substr(0, 3));  // truncated to the millisecond
      i = j;
    }
  }
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  int offset_min = 0;  // " 01:00": a "+" left unencoded in a query string arrives as a space
  auto rest = s.substr(i);
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-' || rest[0] == ' ') && rest[3] == ':' && digits(rest.substr(1, 2)) &&
             digits(rest.substr(4, 2))) {
    int oh = to_int(rest.substr(1, 2)), om = to_int(rest.substr(4, 2));
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  auto t = core::Clock::time_point{date} + hours{h} + minutes{mi} + seconds{se} + milliseconds{ms} -
           minutes{offset_min};
  return core::iso_utc(t);
}

}  // namespace coop::public_api
