#include "net/websocket_frames.hpp"

#include <algorithm>

namespace coop::net::ws {

namespace {

constexpr std::size_t kMaxControl = 125;

bool is_control(std::uint8_t op) { return (op & 0x8) != 0; }

// Length of the longest prefix of `s` (at most `limit` bytes) that does not cut a UTF-8 sequence.
std::size_t utf8_prefix(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s.size();
  std::size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

std::size_t header_size(std::size_t payload_size) {
  if (payload_size < 126) return 2;
  if (payload_size <= 0xFFFF) return 4;
  return 10;
}

std::string encode(Opcode op, std::string_view payload) {
  const auto code = static_cast<std::uint8_t>(op);
  if (is_control(code) && payload.size() > kMaxControl) payload = payload.substr(0, kMaxControl);
  const std::size_t n = payload.size();
  std::string out;
  out.reserve(header_size(n) + n);
  out.push_back(static_cast<char>(0x80 | code));
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((n >> 8) & 0xFF));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
  }
  out.append(payload);
  return out;
}

std::string encode_close(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, utf8_prefix(reason, kMaxControl - 2)));
  return encode(Opcode::close, payload);
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // ASCII runs, 8 bytes at a time: most of what a chat client sends.
    while (end - p >= 8) {
      std::uint64_t w;
      std::copy(p, p + 8, reinterpret_cast<unsigned char*>(&w));
      if (w & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p >= end) break;
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;  // a continuation byte first, an overlong 2-byte lead (C0, C1), or F5–FF
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      const unsigned b = p[i];
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates are not characters
    p += len;
  }
  return true;
}

bool valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

std::uint16_t Reader::feed(std::string_view bytes, std::vector<Received>& out) {
  if (failed_) return failed_;
  if (closed_) return 0;  // nothing after a close frame counts
  if (partial_.empty()) {
    const std::size_t used = parse(bytes, out);
    if (!failed_ && used < bytes.size()) partial_.assign(bytes.substr(used));
  } else {
    partial_.append(bytes);
    const std::size_t used = parse(partial_, out);
    if (failed_ || used == partial_.size()) {
      partial_.clear();
      partial_.shrink_to_fit();  // an idle socket keeps no buffer
    } else if (used > 0) {
      partial_.erase(0, used);
    }
  }
  if (failed_) {
    partial_.clear();
    partial_.shrink_to_fit();
    message_.clear();
    message_.shrink_to_fit();
  }
  return failed_;
}

std::size_t Reader::parse(std::string_view d, std::vector<Received>& out) {
  std::size_t pos = 0;
  auto fail = [&](std::uint16_t code) {
    failed_ = code;
    return pos;
  };
  while (d.size() - pos >= 2) {
    const auto b0 = static_cast<std::uint8_t>(d[pos]);
    const auto b1 = static_cast<std::uint8_t>(d[pos + 1]);
    const bool fin = (b0 & 0x80) != 0;
    const std::uint8_t op = b0 & 0x0F;
    if (b0 & 0x70) return fail(kProtocolError);             // RSV bits: no extension agreed
    if (!(b1 & 0x80)) return fail(kProtocolError);          // a client frame must be masked
    if ((op >= 3 && op <= 7) || op >= 11) return fail(kProtocolError);  // reserved opcodes
    const bool control = is_control(op);
    std::size_t header = 2;
    std::uint64_t len = b1 & 0x7F;
    if (control && (!fin || len > kMaxControl)) return fail(kProtocolError);
    if (len == 126) {
      if (d.size() - pos < 4) break;
      len = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(d[pos + 2])) << 8) |
            static_cast<std::uint8_t>(d[pos + 3]);
      header = 4;
    } else if (len == 127) {
      if (d.size() - pos < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<std::uint8_t>(d[pos + 2 + static_cast<std::size_t>(i)]);
      if (len >> 63) return fail(kProtocolError);
      header = 10;
    }
    // Sequencing and size, known from the header alone.
    if (!control) {
      if (op == 0 && !in_message_) return fail(kProtocolError);  // a continuation of nothing
      if (op != 0 && in_message_) return fail(kProtocolError);   // a new message inside another
      const std::size_t so_far = op == 0 ? message_.size() : 0;
      if (len > max_ || so_far + len > max_) return fail(kTooBig);
    }
    const std::size_t total = header + 4 + static_cast<std::size_t>(len);
    if (d.size() - pos < total) break;  // wait for the rest of the frame

    const char* mask = d.data() + pos + header;
    const char* src = mask + 4;
    auto unmask_into = [&](std::string& dst) {
      const std::size_t base = dst.size();
      dst.resize(base + static_cast<std::size_t>(len));
      for (std::size_t i = 0; i < len; ++i) dst[base + i] = static_cast<char>(src[i] ^ mask[i & 3]);
    };
    if (control) {
      Received r;
      r.op = static_cast<Opcode>(op);
      unmask_into(r.payload);
      if (r.op == Opcode::close) {
        if (r.payload.size() == 1) return fail(kProtocolError);
        if (r.payload.size() >= 2) {
          const auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(r.payload[0]) << 8) |
                                                       static_cast<std::uint8_t>(r.payload[1]));
          if (!valid_close_code(code)) return fail(kProtocolError);
          if (!valid_utf8(std::string_view(r.payload).substr(2))) return fail(kInvalidPayload);
        }
      }
      pos += total;
      out.push_back(std::move(r));
      if (out.back().op == Opcode::close) {
        closed_ = true;  // nothing after a close is read
        return d.size();
      }
      continue;
    }
    if (op != 0) {
      in_message_ = true;
      message_op_ = static_cast<Opcode>(op);
    }
    unmask_into(message_);
    pos += total;
    if (fin) {
      Received r;
      r.op = message_op_;
      r.payload = std::move(message_);
      message_ = std::string();
      in_message_ = false;
      if (r.op == Opcode::text && !valid_utf8(r.payload)) return fail(kInvalidPayload);
      out.push_back(std::move(r));
    }
  }
  return pos;
}

}  // namespace coop::net::ws
