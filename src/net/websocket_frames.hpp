// RFC 6455 framing, server side, without any I/O (no Asio, no Beast): encoding the frames the
// server sends and parsing, incrementally, the frames a client sends. Beast does the opening
// handshake; after it, net/websocket_session.cpp owns the bytes on the socket so that an event
// for 2,538 members is framed once (server frames are not masked: the same bytes go to every
// socket) and several queued frames leave in one write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coop::net::ws {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// Close codes used by the server (RFC 6455 §7.4.1).
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kInvalidPayload = 1007;  // text that is not UTF-8
inline constexpr std::uint16_t kPolicyError = 1008;
inline constexpr std::uint16_t kTooBig = 1009;
inline constexpr std::uint16_t kTryAgainLater = 1013;

// One whole frame as the server sends it: FIN set, not masked. Control frames (close, ping,
// pong) carry at most 125 bytes: longer payloads are cut.
std::string encode(Opcode op, std::string_view payload);
// A close frame: the code, then the reason (cut to 123 bytes, on a UTF-8 boundary).
std::string encode_close(std::uint16_t code, std::string_view reason);
// Size of the header encode() puts before `payload_size` bytes of payload.
std::size_t header_size(std::size_t payload_size);

bool valid_utf8(std::string_view s);
// A close code a peer may send (1000–1003, 1007–1011, 3000–4999).
bool valid_close_code(std::uint16_t code);

// A complete message (text or binary, fragments joined) or a control frame, as received.
struct Received {
  Opcode op = Opcode::text;
  std::string payload;  // unmasked; for close: code (2 bytes) + reason, as sent
};

// Incremental parser of a client's frames: feed() the bytes as they arrive, in any pieces.
// Client frames must be masked; reserved bits must be clear (no extension is negotiated);
// control frames must be final and ≤ 125 bytes; a message over `max_message` bytes is refused
// as soon as its header says so, before its payload arrives.
class Reader {
 public:
  explicit Reader(std::size_t max_message) : max_(max_message) {}

  // Appends to `out` what the bytes complete, in order. Returns 0, or the close code of the
  // first violation (kProtocolError, kInvalidPayload, kTooBig): what came before it is in `out`,
  // nothing after it is read, and the reader stays failed.
  std::uint16_t feed(std::string_view bytes, std::vector<Received>& out);

  // Bytes held for an incomplete frame or message (0 between messages: an idle socket holds none).
  std::size_t buffered() const { return partial_.size() + message_.size(); }

 private:
  // Parses whole frames from the front of `data`; returns how many bytes were used.
  std::size_t parse(std::string_view data, std::vector<Received>& out);

  std::size_t max_;
  std::string partial_;  // an incomplete frame (header and all)
  std::string message_;  // fragments of a data message being assembled
  Opcode message_op_ = Opcode::text;
  bool in_message_ = false;
  bool closed_ = false;  // a close frame was read
  std::uint16_t failed_ = 0;
};

}  // namespace coop::net::ws
