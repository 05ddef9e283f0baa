// Pure parts of the public API v1, API clients and coordination activities.
#include <gtest/gtest.h>

#include "features/accounts/policy.hpp"
#include "features/api_clients/model.hpp"
#include "features/coordination/model.hpp"
#include "features/public_api/model.hpp"

using namespace coop;

TEST(ApiClients, ScopesCsvRoundTripInCanonicalOrder) {
  EXPECT_EQ(api_clients::scopes_to_csv({"structures", "activites", "activites", "inconnu"}), "activites,structures");
  EXPECT_EQ(api_clients::scopes_from_csv("activites,structures,bidon"),
            (std::vector<std::string>{"activites", "structures"}));
  EXPECT_TRUE(api_clients::scopes_from_csv("").empty());
}

TEST(ApiClients, DefinitionIsChecked) {
  api_clients::Definition d{"Observatoire", {"activites"}, "2026-01-01", std::nullopt};
  EXPECT_TRUE(api_clients::check_definition(d).empty());
  d.valide_au = "2025-12-31";
  EXPECT_EQ(api_clients::check_definition(d).at("valide_au"), "La fin de validité doit être postérieure ou égale au début.");
  d.valide_au = "2026-02-30";
  EXPECT_TRUE(api_clients::check_definition(d).count("valide_au"));
  d = {"", {}, "2026-13-01", std::nullopt};
  auto e = api_clients::check_definition(d);
  EXPECT_TRUE(e.count("nom") && e.count("scopes") && e.count("valide_du"));
  d = {"X", {"activites", "tout"}, "2026-01-01", std::nullopt};
  EXPECT_NE(api_clients::check_definition(d).at("scopes").find("tout"), std::string::npos);
}

TEST(ApiClients, AuthorizationHeader) {
  // "coop_abc:s3cret" in base64
  auto c = api_clients::parse_authorization("Basic Y29vcF9hYmM6czNjcmV0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client_id, "coop_abc");
  EXPECT_EQ(c->secret, "s3cret");
  c = api_clients::parse_authorization("basic   Y29vcF9hYmM6czNjcmV0  ");
  ASSERT_TRUE(c);
  c = api_clients::parse_authorization("Bearer coop_abc:s3:cret");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client_id, "coop_abc");
  EXPECT_EQ(c->secret, "s3:cret");  // only the first colon separates
  for (auto bad : {"", "Basic", "Basic !!!", "Basic Y29vcF9hYmM=" /* no colon */, "Bearer coop_abc", "Bearer :x",
                   "Bearer x:", "Digest abc", "Basic Og==" /* ":" */})
    EXPECT_FALSE(api_clients::parse_authorization(bad)) << bad;
}

TEST(ApiClients, Base64) {
  EXPECT_EQ(api_clients::base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(api_clients::base64_decode("aGVsbG8"), "hello");
  EXPECT_EQ(api_clients::base64_decode(""), "");
  EXPECT_FALSE(api_clients::base64_decode("a"));
  EXPECT_FALSE(api_clients::base64_decode("aGV-bG8="));
}

TEST(ApiClients, ValidityPeriod) {
  EXPECT_TRUE(api_clients::valid_on("2026-01-01", std::nullopt, "2026-01-01"));
  EXPECT_FALSE(api_clients::valid_on("2026-01-02", std::nullopt, "2026-01-01"));
  EXPECT_TRUE(api_clients::valid_on("2026-01-01", std::string("2026-01-31"), "2026-01-31"));
  EXPECT_FALSE(api_clients::valid_on("2026-01-01", std::string("2026-01-31"), "2026-02-01"));
}

TEST(ApiClients, AccessRuleLooksOnlyAtClientScopes) {
  auto a = accounts::access::api_client("activites");
  EXPECT_EQ(a.describe(), "api_client(activites)");
  accounts::Principal admin;
  admin.roles = {{accounts::Role::admin, std::nullopt, false}};
  std::vector<std::string> scopes{"structures"};
  std::vector<std::string> with{"structures", "activites"};
  EXPECT_EQ(accounts::check_access(a, &admin), 401);  // a session never opens the public API
  EXPECT_EQ(accounts::check_access(a, nullptr, &scopes), 403);
  EXPECT_EQ(accounts::check_access(a, nullptr, &with), std::nullopt);
  // and client credentials never open a session route
  EXPECT_EQ(accounts::check_access(accounts::access::admin(), nullptr, &with), 401);
}

TEST(PublicApi, CursorRoundTripAndTampering) {
  public_api::Cursor c{"2026-11-28T21:04:10.123Z", 42};
  auto text = public_api::encode_cursor(c);
  EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  auto back = public_api::decode_cursor(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->updated_at, c.updated_at);
  EXPECT_EQ(back->id, 42);
  EXPECT_FALSE(public_api::decode_cursor(""));
  EXPECT_FALSE(public_api::decode_cursor("abc$"));
  EXPECT_FALSE(public_api::decode_cursor(public_api::base64url_encode("2026-11-28T21:04:10.123Z|x")));
  EXPECT_FALSE(public_api::decode_cursor(public_api::base64url_encode("n'importe quoi|1")));
  EXPECT_FALSE(public_api::decode_cursor(public_api::base64url_encode("2026-11-28|1")));
}

TEST(PublicApi, Base64UrlRoundTrip) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\xfe\x00\x01"})
    EXPECT_EQ(public_api::base64url_decode(public_api::base64url_encode(s)), s);
}

TEST(PublicApi, InstantsAreNormalisedToUtc) {
  using public_api::parse_instant;
  EXPECT_EQ(parse_instant("2026-03-01"), "2026-03-01T00:00:00.000Z");
  EXPECT_EQ(parse_instant("2026-03-01T08:30:00Z"), "2026-03-01T08:30:00.000Z");
  EXPECT_EQ(parse_instant("2026-03-01T08:30Z"), "2026-03-01T08:30:00.000Z");
  EXPECT_EQ(parse_instant("2026-03-01T08:30:00.123456Z"), "2026-03-01T08:30:00.123Z");
  EXPECT_EQ(parse_instant("2026-03-01T08:30:00.5Z"), "2026-03-01T08:30:00.500Z");
  EXPECT_EQ(parse_instant("2026-03-01T00:30:00+01:00"), "2026-02-28T23:30:00.000Z");
  EXPECT_EQ(parse_instant("2026-03-01T00:30:00 01:00"), "2026-02-28T23:30:00.000Z");  // "+" decoded as a space
  EXPECT_EQ(parse_instant("2026-03-01T23:30:00-02:00"), "2026-03-02T01:30:00.000Z");
  for (auto bad : {"", "2026-02-30", "2026-03-01T", "2026-03-01T25:00:00Z", "2026-03-01T08:30:00", "hier",
                   "2026-03-01T08:30:00+1", "2026-03-01T08:30:00.Z", "2026-03-01 08:30:00Z"})
    EXPECT_FALSE(parse_instant(bad)) << bad;
}

TEST(Coordination, EveryRuleNamesItsField) {
  coordination::Draft d{"animation", "2026-03-01", 60, "Réunion du réseau", std::nullopt, 12};
  EXPECT_TRUE(coordination::check(d, "2026-03-02").empty());
  auto bad = d;
  bad.type = "fete";
  EXPECT_TRUE(coordination::check(bad, "2026-03-02").count("type"));
  bad = d;
  bad.date = "2026-03-03";
  EXPECT_EQ(coordination::check(bad, "2026-03-02").at("date"), "La date ne peut pas être dans le futur.");
  bad.date = "2019-12-31";
  EXPECT_EQ(coordination::check(bad, "2026-03-02").at("date"), "La date ne peut pas être antérieure au 1er janvier 2020.");
  bad = d;
  bad.duree = 0;
  EXPECT_TRUE(coordination::check(bad, "2026-03-02").count("duree"));
  bad.duree = 24 * 60 + 1;
  EXPECT_EQ(coordination::check(bad, "2026-03-02").at("duree"), "La durée ne peut pas dépasser 24 heures.");
  bad = d;
  bad.titre = "";
  EXPECT_EQ(coordination::check(bad, "2026-03-02").at("titre"), "Le titre est obligatoire.");
  bad = d;
  bad.participants = -1;
  EXPECT_TRUE(coordination::check(bad, "2026-03-02").count("participants"));
}

#include "http/message.hpp"

TEST(PublicApi, RawBracketsInTheQueryAreAccepted) {
  http::Request r;
  r.target = "/api/v1/activites?page[size]=5&filter[modification][depuis]=2026-01-01&page%5Bafter%5D=abc";
  ASSERT_TRUE(r.parse_target());
  EXPECT_EQ(r.path, "/api/v1/activites");
  EXPECT_EQ(r.query_param("page[size]"), "5");
  EXPECT_EQ(r.query_param("filter[modification][depuis]"), "2026-01-01");
  EXPECT_EQ(r.query_param("page[after]"), "abc");
  r.target = "/api/[v1]";  // brackets in the path stay refused
  EXPECT_FALSE(r.parse_target());
}
