// multipart/form-data parser (src/http/multipart): what browsers send, what hand-written clients
// send, and every malformed input throwing ParseError (never a crash, never a silent loss).
#include <gtest/gtest.h>

#include "http/multipart.hpp"

using namespace coop::http::multipart;

namespace {

// A body as Chromium's FormData sends it.
std::string form(const std::string& b, const std::vector<std::tuple<std::string, std::string, std::string>>& parts,
                 const std::string& eol = "\r\n") {
  std::string out;
  for (auto& [disposition, type, data] : parts) {
    out += "--" + b + eol + "Content-Disposition: " + disposition + eol;
    if (!type.empty()) out += "Content-Type: " + type + eol;
    out += eol + data + eol;
  }
  return out + "--" + b + "--" + eol;
}

std::string error_of(std::string_view body, std::string_view boundary_) {
  try {
    parse(body, boundary_);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(boundary("multipart/form-data; boundary=----WebKitFormBoundaryAbC123"), "----WebKitFormBoundaryAbC123");
  EXPECT_EQ(boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c") << "quoted, case-insensitive media type";
  EXPECT_EQ(boundary("multipart/form-data; charset=utf-8; BOUNDARY=xyz"), "xyz") << "parameter names any case";
  EXPECT_EQ(boundary("multipart/form-data; boundary=\"a\\-b\""), "a-b") << "backslash escape in a quoted string";
  EXPECT_EQ(parse_header_value("form-data; name=\"q\\\"x\"").param("name"), "q\"x");
}

TEST(Multipart, InvalidBoundariesAreRefused) {
  EXPECT_THROW(boundary("multipart/form-data"), ParseError);
  EXPECT_THROW(boundary("multipart/form-data; boundary="), ParseError);
  EXPECT_THROW(boundary("multipart/form-data; boundary=\"\""), ParseError);
  EXPECT_THROW(boundary("multipart/form-data; boundary=\"unterminated"), ParseError);
  EXPECT_THROW(boundary("multipart/form-data; boundary=" + std::string(71, 'a')), ParseError);
  EXPECT_THROW(boundary("multipart/form-data; boundary=a<b"), ParseError);
  EXPECT_THROW(boundary("text/csv; boundary=abc"), ParseError);
}

TEST(Multipart, IsFormData) {
  EXPECT_TRUE(is_form_data("multipart/form-data; boundary=x"));
  EXPECT_TRUE(is_form_data(" MULTIPART/FORM-DATA"));
  EXPECT_FALSE(is_form_data("multipart/mixed; boundary=x"));
  EXPECT_FALSE(is_form_data("text/csv"));
  EXPECT_FALSE(is_form_data(""));
}

TEST(Multipart, ParsesABrowserForm) {
  const std::string csv = "prenom;nom\r\nMarie;Curie\r\n";
  auto parts = parse(form("XyZ", {{"form-data; name=\"fichier\"; filename=\"liste.csv\"", "text/csv", csv},
                                  {"form-data; name=\"note\"", "", "bonjour"}}),
                     "XyZ");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "fichier");
  EXPECT_EQ(parts[0].filename, "liste.csv");
  EXPECT_EQ(parts[0].content_type, "text/csv");
  EXPECT_EQ(parts[0].data, csv) << "the part's own CRLFs are kept, the delimiter's is not";
  EXPECT_EQ(parts[1].name, "note");
  EXPECT_FALSE(parts[1].filename);
  EXPECT_EQ(parts[1].content_type, "");
  EXPECT_EQ(parts[1].data, "bonjour");
}

TEST(Multipart, BinaryDataIsKeptByteForByte) {
  std::string bin("PK\x03\x04\0\r\n--Xy\r\n\xff\r", 15);  // NUL, CRLF, a near-delimiter, a trailing CR
  auto parts = parse(form("XyZ", {{"form-data; name=\"fichier\"; filename=\"a.xlsx\"", "application/octet-stream", bin}}),
                     "XyZ");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, bin);
}

TEST(Multipart, BareLineFeedsPreambleEpilogueAndPadding) {
  std::string body = "preamble to ignore\n--b \t\nContent-Disposition: form-data; name=\"x\"\n\nvalue\n--b--\nepilogue";
  auto parts = parse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "value");
}

TEST(Multipart, EmptyPartsAndHeaderCase) {
  auto parts = parse("--b\r\ncontent-disposition: FORM-DATA; NAME=f; filename=\"\"\r\n\r\n\r\n--b--", "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "f");
  EXPECT_EQ(parts[0].filename, "");
  EXPECT_EQ(parts[0].data, "");
  // A client that omits the empty data line.
  parts = parse("--b\r\nContent-Disposition: form-data; name=f\r\n\r\n--b--", "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "");
}

TEST(Multipart, FilenameQuotingAndRfc5987) {
  auto parts = parse(form("b", {{"form-data; name=\"f\"; filename=\"a;b \\\"c\\\".csv\"", "", "x"}}), "b");
  EXPECT_EQ(parts.at(0).filename, "a;b \"c\".csv") << "';' inside quotes, escaped quotes";
  parts = parse(form("b", {{"form-data; name=f; filename=\"x.csv\"; filename*=UTF-8''b%C3%A9n%C3%A9ficiaires.xlsx", "", "x"}}),
                "b");
  EXPECT_EQ(parts.at(0).filename, "bénéficiaires.xlsx") << "filename* wins";
}

TEST(Multipart, ALongerStringStartingLikeTheBoundaryIsData) {
  std::string body = "--b\r\nContent-Disposition: form-data; name=f\r\n\r\nx\r\n--bb not a delimiter\r\n--b--\r\n";
  auto parts = parse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "x\r\n--bb not a delimiter");
}

TEST(Multipart, TruncatedBodiesAreRefused) {
  const std::string full = form("XyZ", {{"form-data; name=\"fichier\"; filename=\"a.csv\"", "text/csv", "a;b\r\n1;2"}});
  // Every proper prefix but those that only lack the final line end.
  for (std::size_t n = 0; n + 2 < full.size(); ++n) {
    auto e = error_of(full.substr(0, n), "XyZ");
    EXPECT_FALSE(e.empty()) << "prefix of " << n << " bytes accepted";
  }
  EXPECT_NE(error_of(full.substr(0, full.size() - 10), "XyZ").find("tronqué"), std::string::npos);
  EXPECT_EQ(error_of(full, "XyZ"), "");
}

TEST(Multipart, MalformedPartsAreRefused) {
  EXPECT_NE(error_of("no delimiter at all", "b").find("délimiteur"), std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b").find("Content-Disposition"),
            std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "b").find("nom"), std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Disposition: attachment; name=f\r\n\r\nx\r\n--b--", "b").find("form-data"),
            std::string::npos);
  EXPECT_NE(error_of("--b\r\nnot a header\r\n\r\nx\r\n--b--", "b").find("En-tête"), std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--b--", "b").find("guillemets"),
            std::string::npos);
  EXPECT_NE(error_of("--bjunk\r\n", "b").find("délimiteur"), std::string::npos);
  EXPECT_NE(error_of("--b junk\r\n", "b").find("invalide"), std::string::npos);
  EXPECT_NE(error_of("--b\r\nContent-Disposition: form-data; name=f\r\nContent-Disposition: form-data; name=g\r\n\r\nx\r\n--b--",
                     "b")
                .find("répété"),
            std::string::npos);
  std::string huge = "--b\r\nX: " + std::string(kMaxHeaderBytes, 'a') + "\r\n\r\n--b--";
  EXPECT_NE(error_of(huge, "b").find("trop longs"), std::string::npos);
  std::string many;
  for (std::size_t i = 0; i <= kMaxParts; ++i) many += "--b\r\nContent-Disposition: form-data; name=p\r\n\r\nx\r\n";
  many += "--b--";
  EXPECT_NE(error_of(many, "b").find("Trop de parties"), std::string::npos);
  EXPECT_THROW(parse("--\r\n", ""), ParseError);
}

TEST(Multipart, HeaderValueParameters) {
  auto hv = parse_header_value("form-data; name=\"a\" ; filename = b.csv;flag; =x");
  EXPECT_EQ(hv.value, "form-data");
  EXPECT_EQ(hv.param("name"), "a");
  EXPECT_EQ(hv.param("filename"), "b.csv");
  EXPECT_EQ(hv.param("flag"), "");
  EXPECT_FALSE(hv.param("absent"));
}
