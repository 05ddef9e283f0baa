// RFC 6455 framing of net/websocket_frames: what the server writes, and how it reads a client.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "net/websocket_frames.hpp"

namespace ws = coop::net::ws;

namespace {

// A client frame: masked, as RFC 6455 requires of clients.
std::string client_frame(std::uint8_t first_byte, std::string_view payload, bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>(first_byte));
  const std::size_t n = payload.size();
  const char mask_bit = masked ? '\x80' : '\0';
  if (n < 126) {
    out.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
  }
  const char key[4] = {'\x12', '\x34', '\x56', '\x78'};
  if (masked) out.append(key, 4);
  for (std::size_t i = 0; i < n; ++i) out.push_back(masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
  return out;
}

std::string text(std::string_view p) { return client_frame(0x81, p); }

}  // namespace

TEST(WebSocketFrames, EncodesServerFramesUnmaskedWithTheShortestLength) {
  EXPECT_EQ(ws::encode(ws::Opcode::text, "salut"), std::string("\x81\x05salut", 7));
  const std::string p125(125, 'a'), p126(126, 'b'), p65535(65535, 'c'), p65536(65536, 'd');
  EXPECT_EQ(ws::encode(ws::Opcode::text, p125).substr(0, 2), std::string("\x81\x7d", 2));
  EXPECT_EQ(ws::encode(ws::Opcode::text, p126).substr(0, 4), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(ws::encode(ws::Opcode::text, p65535).substr(0, 4), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(ws::encode(ws::Opcode::text, p65536).substr(0, 10), std::string("\x81\x7f\0\0\0\0\0\x01\0\0", 10));
  for (const auto* p : {&p125, &p126, &p65535, &p65536}) {
    const auto f = ws::encode(ws::Opcode::text, *p);
    EXPECT_EQ(f.size(), ws::header_size(p->size()) + p->size());
    EXPECT_EQ(f.substr(ws::header_size(p->size())), *p);
  }
  EXPECT_EQ(ws::encode(ws::Opcode::ping, ""), std::string("\x89\x00", 2));
  // A control frame never carries more than 125 bytes.
  EXPECT_EQ(ws::encode(ws::Opcode::pong, std::string(300, 'x')).size(), 127u);
}

TEST(WebSocketFrames, CloseFrameCarriesCodeAndReasonCutOnACharacter) {
  EXPECT_EQ(ws::encode_close(1008, "outgoing queue full"), std::string("\x88\x15\x03\xf0outgoing queue full", 23));
  // 62 two-byte characters = 124 bytes: the reason is cut to 122 (61 characters), not 123.
  std::string accents;
  for (int i = 0; i < 62; ++i) accents += "é";
  const auto f = ws::encode_close(1001, accents);
  ASSERT_EQ(f.size(), 2u + 2u + 122u);
  EXPECT_TRUE(ws::valid_utf8(f.substr(4)));
}

TEST(WebSocketFrames, Utf8Validation) {
  EXPECT_TRUE(ws::valid_utf8(""));
  EXPECT_TRUE(ws::valid_utf8("Crème brûlée, Œuvre, 😀, 𝄞 and a long ASCII run of text here"));
  EXPECT_FALSE(ws::valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(ws::valid_utf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(ws::valid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(ws::valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(ws::valid_utf8("abc\xe2\x82"));       // cut in the middle of a character
  EXPECT_FALSE(ws::valid_utf8("\x80"));              // a continuation byte first
  EXPECT_FALSE(ws::valid_utf8("abcdefgh\xff"));
}

TEST(WebSocketFrames, ReaderJoinsPiecesAndFragmentsWithControlFramesBetween) {
  ws::Reader r(64 * 1024);
  std::vector<ws::Received> out;
  // A fragmented text message with a ping between its fragments, then a second message,
  // the whole stream fed one byte at a time.
  const std::string stream = client_frame(0x01, "Bonjour ") + client_frame(0x89, "p") +
                             client_frame(0x80, "à tous") + text(R"({"type":"reprendre","depuis":3})");
  for (char c : stream) ASSERT_EQ(r.feed(std::string_view(&c, 1), out), 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].op, ws::Opcode::ping);
  EXPECT_EQ(out[0].payload, "p");
  EXPECT_EQ(out[1].op, ws::Opcode::text);
  EXPECT_EQ(out[1].payload, "Bonjour à tous");
  EXPECT_EQ(out[2].payload, R"({"type":"reprendre","depuis":3})");
  EXPECT_EQ(r.buffered(), 0u) << "between messages nothing is held";

  // Several frames in one read, and a 16-bit and a 64-bit length.
  out.clear();
  const std::string big(65536, 'z'), mid(300, 'y');  // 65536: a 64-bit length, at the limit
  ASSERT_EQ(r.feed(text(mid) + client_frame(0x82, big) + client_frame(0x8A, ""), out), 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].payload, mid);
  EXPECT_EQ(out[1].op, ws::Opcode::binary);
  EXPECT_EQ(out[1].payload, big);
  EXPECT_EQ(out[2].op, ws::Opcode::pong);
}

TEST(WebSocketFrames, ReaderRefusesWhatTheProtocolForbids) {
  struct Case {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  };
  const std::vector<Case> cases = {
      {"unmasked client frame", client_frame(0x81, "x", false), ws::kProtocolError},
      {"reserved bit (no extension agreed)", client_frame(0xC1, "x"), ws::kProtocolError},
      {"reserved opcode", client_frame(0x83, "x"), ws::kProtocolError},
      {"control frame over 125 bytes", client_frame(0x89, std::string(126, 'p')), ws::kProtocolError},
      {"fragmented control frame", client_frame(0x09, "p"), ws::kProtocolError},
      {"continuation of nothing", client_frame(0x80, "x"), ws::kProtocolError},
      {"new message inside a fragmented one", client_frame(0x01, "a") + client_frame(0x81, "b"), ws::kProtocolError},
      {"text that is not UTF-8", text("caf\xc3"), ws::kInvalidPayload},
      {"close with one byte", client_frame(0x88, "\x03"), ws::kProtocolError},
      {"close with a code no peer may send", client_frame(0x88, std::string("\x03\xed", 2)), ws::kProtocolError},
      {"close reason not UTF-8", client_frame(0x88, std::string("\x03\xe8\xff", 3)), ws::kInvalidPayload},
  };
  for (const auto& c : cases) {
    ws::Reader r(64 * 1024);
    std::vector<ws::Received> out;
    EXPECT_EQ(r.feed(c.bytes, out), c.code) << c.what;
    EXPECT_TRUE(out.empty()) << c.what;
    EXPECT_EQ(r.feed(text("after"), out), c.code) << c.what << ": the reader stays failed";
    EXPECT_TRUE(out.empty()) << c.what;
  }
}

TEST(WebSocketFrames, ReaderRefusesTooBigFromTheHeaderAlone) {
  ws::Reader r(1024);
  std::vector<ws::Received> out;
  // Only the header of a 10 MB frame: refused before its payload is received (or held).
  const std::string frame = client_frame(0x81, std::string(10 * 1024 * 1024, 'x'));
  EXPECT_EQ(r.feed(std::string_view(frame).substr(0, 14), out), ws::kTooBig);
  EXPECT_EQ(r.buffered(), 0u);
  // Fragments that add up to more than the limit.
  ws::Reader r2(1024);
  EXPECT_EQ(r2.feed(client_frame(0x01, std::string(600, 'a')), out), 0);
  EXPECT_EQ(r2.feed(client_frame(0x80, std::string(600, 'b')), out), ws::kTooBig);
  EXPECT_TRUE(out.empty());
}

TEST(WebSocketFrames, WhatComesBeforeAViolationOrAfterACloseIsKeptOrIgnored) {
  ws::Reader r(64 * 1024);
  std::vector<ws::Received> out;
  EXPECT_EQ(r.feed(text("one") + client_frame(0x81, "two", false), out), ws::kProtocolError);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, "one");

  ws::Reader c(64 * 1024);
  out.clear();
  EXPECT_EQ(c.feed(client_frame(0x88, std::string("\x03\xe8", 2) + "bye") + text("late"), out), 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].op, ws::Opcode::close);
  EXPECT_EQ(out[0].payload, std::string("\x03\xe8", 2) + "bye");
  EXPECT_EQ(c.feed(text("later"), out), 0);
  EXPECT_EQ(out.size(), 1u) << "nothing after a close frame";
}
