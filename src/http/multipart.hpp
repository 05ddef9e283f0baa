// multipart/form-data request bodies (RFC 7578, RFC 2046 §5.1): what a browser's FormData
// sends. Plain data in, parts out; no Beast. Lenient where clients differ (bare LF line ends,
// a preamble, transport padding after a delimiter, header names in any case), strict where a
// wrong guess would lose data (no boundary, a part without a name, a body cut before the closing
// delimiter): those throw ParseError with a French message that the caller turns into a 400.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coop::http::multipart {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Part {
  std::string name;                     // Content-Disposition: form-data; name="…"
  std::optional<std::string> filename;  // filename="…" (or filename*=UTF-8''…), a file part
  std::string content_type;             // the part's Content-Type, lower-case; "" when absent
  std::string data;                     // the part's bytes, exactly as sent
};

inline constexpr std::size_t kMaxParts = 100;
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;  // headers of one part

// True when the Content-Type's media type is multipart/form-data (any case, any parameters).
bool is_form_data(std::string_view content_type);

// The boundary parameter of a multipart/form-data Content-Type: a token or a quoted string
// (backslash escapes), 1 to 70 characters. Throws ParseError when absent or invalid.
std::string boundary(std::string_view content_type);

// The parts of `body`, in order. Throws ParseError on malformed input: no opening delimiter,
// missing closing delimiter (truncated body), headers not ended by an empty line, a part
// without Content-Disposition form-data or without a name, more than kMaxParts parts.
std::vector<Part> parse(std::string_view body, std::string_view boundary);

// Parameters of a header value such as `form-data; name="a"; filename="b.csv"`: the value
// before the first ';' (lower-cased, trimmed) and the parameters (names lower-cased; quoted
// strings unescaped). Exposed for tests.
struct HeaderValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> param(std::string_view name) const;
};
HeaderValue parse_header_value(std::string_view text);

}  // namespace coop::http::multipart
