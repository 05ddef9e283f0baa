// Public API v1: keyset pagination shared by every list (`page[size]`, `page[after]`,
// `filter[modification][depuis]`). Pure: no I/O, no SQL, no JSON.
//
// Lists are ordered by (updated_at, id): a consumer that keeps the last cursor (or the last
// updated_at it saw) syncs incrementally, with no duplicate and no gap even when rows change
// between two pages (a changed row moves to the end, where the consumer will meet it again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coop::public_api {

inline constexpr std::int64_t default_page_size = 100;
inline constexpr std::int64_t max_page_size = 500;

// Position after which a page starts: the (updated_at, id) of the last row of the previous page.
struct Cursor {
  std::string updated_at;  // ISO-8601 UTC, as stored
  std::int64_t id = 0;
};
// Opaque text (base64url, no padding) of a cursor, and back; nullopt when not one of ours.
std::string encode_cursor(const Cursor& c);
std::optional<Cursor> decode_cursor(std::string_view text);

// `filter[modification][depuis]`: "YYYY-MM-DD" (midnight UTC) or an ISO-8601 date-time with
// "Z" or a ±HH:MM offset, seconds and fractions optional. Returns the instant in the stored
// form ("2026-11-28T21:04:10.123Z"), or nullopt when invalid.
std::optional<std::string> parse_instant(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace coop::public_api
