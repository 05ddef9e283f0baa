#include <gtest/gtest.h>

#include "core/security.hpp"
#include "core/time.hpp"
#include "features/accounts/model.hpp"
#include "features/accounts/policy.hpp"

using namespace coop;
using namespace coop::accounts;

TEST(Siret, LuhnKeyIsChecked) {
  EXPECT_FALSE(check_siret("73282932000074").has_value());  // a real, valid SIRET
  EXPECT_FALSE(check_siret("732 829 320 00074").has_value());
  EXPECT_EQ(*check_siret("73282932000075"), "SIRET invalide : la clé de contrôle ne correspond pas.");
  EXPECT_EQ(*check_siret("7328293200007"), "Le SIRET doit contenir 14 chiffres.");
  EXPECT_EQ(*check_siret("7328293200007A"), "Le SIRET doit contenir 14 chiffres.");
  EXPECT_EQ(normalize_siret("732 829 320 00074"), "73282932000074");
}

TEST(Siret, LaPosteEstablishmentsUseTheirOwnKey) {
  EXPECT_FALSE(check_siret("35600000000048").has_value());  // sum of digits = 20, multiple of 5
  EXPECT_TRUE(check_siret("35600000000049").has_value());
}

TEST(Email, ShapeAndNormalisation) {
  EXPECT_FALSE(check_email("Prenom.Nom@Exemple.fr").has_value());
  EXPECT_EQ(normalize_email("  Prenom.Nom@Exemple.FR "), "prenom.nom@exemple.fr");
  for (auto bad : {"", "sans-arobase", "@exemple.fr", "a@b", "a@@b.fr", "a b@c.fr", "a@b..fr", "a@.b.fr", "a@b.f"})
    EXPECT_TRUE(check_email(bad).has_value()) << bad;
}

TEST(Password, MinimumLengthAndUtf8) {
  EXPECT_TRUE(check_password("court").has_value());
  EXPECT_TRUE(check_password("onze-carac").has_value());
  EXPECT_FALSE(check_password("douze-caract").has_value());
  EXPECT_TRUE(check_password(std::string("mot-de-passe-\xff\xfe")).has_value());
}

TEST(Phone, FrenchAndInternationalNumbers) {
  EXPECT_FALSE(check_phone("06 12 34 56 78").has_value());
  EXPECT_FALSE(check_phone("0612345678").has_value());
  EXPECT_FALSE(check_phone("+33 6 12 34 56 78").has_value());
  EXPECT_FALSE(check_phone("").has_value());
  EXPECT_TRUE(check_phone("12345").has_value());
  EXPECT_TRUE(check_phone("06 12 34 56 7a").has_value());
  EXPECT_EQ(normalize_phone("0612345678"), "06 12 34 56 78");
  EXPECT_EQ(normalize_phone("+33612345678"), "06 12 34 56 78");
  EXPECT_EQ(normalize_phone("+32 470 12 34 56"), "+32470123456");
}

TEST(Insee, Shape) {
  EXPECT_FALSE(check_insee("69123").has_value());
  EXPECT_FALSE(check_insee("2A004").has_value());
  EXPECT_TRUE(check_insee("3A004").has_value());
  EXPECT_TRUE(check_insee("6912").has_value());
}

TEST(Roles, GrantRules) {
  EXPECT_TRUE(check_role_grants({{Role::gestionnaire_structure, std::nullopt, false}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::admin, 3, false}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::coordinateur, std::nullopt, true}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::admin, std::nullopt, false}, {Role::admin, std::nullopt, false}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::mediateur, std::nullopt, true},
                                 {Role::gestionnaire_structure, 1, false},
                                 {Role::gestionnaire_structure, 2, false}})
                  .empty());
  for (Role r : all_roles) EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_FALSE(parse_role("roi").has_value());
}

TEST(Roles, TerritorialNeedsATerritoire) {
  EXPECT_TRUE(check_role_grants({{Role::territorial}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::territorial, std::nullopt, false, "commune:69123"}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::territorial, std::nullopt, false, "departement:"}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::coordinateur, std::nullopt, false, "departement:69"}}).count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::territorial, std::nullopt, false, "departement:69"},
                                 {Role::territorial, std::nullopt, false, "departement:69"}})
                  .count("roles"));
  EXPECT_TRUE(check_role_grants({{Role::territorial, std::nullopt, false, "departement:69"},
                                 {Role::territorial, std::nullopt, false, "region:84"},
                                 {Role::mediateur}})
                  .empty());
  auto t = parse_territoire("departement:2A");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->niveau, "departement");
  EXPECT_EQ(t->code, "2A");
  EXPECT_FALSE(parse_territoire("region:8'4"));
  EXPECT_FALSE(parse_territoire("84"));
  Principal p{9, "t@x.fr", "T", "", {{Role::territorial, std::nullopt, false, "region:84"}}, 9};
  EXPECT_EQ(p.territoires(), std::vector<std::string>{"region:84"});
  Principal admin{1, "a@x.fr", "A", "", {{Role::admin}}, 1};
  EXPECT_TRUE(check_invitation_rights(admin, Role::territorial, std::nullopt).has_value());  // no invitation
  EXPECT_FALSE(check_invitation_rights(admin, Role::coordinateur, std::nullopt).has_value());
}

TEST(Period, DatesAndOrder) {
  EXPECT_TRUE(check_period("2024-01-01", std::nullopt).empty());
  EXPECT_TRUE(check_period("2024-01-01", std::string("2024-01-01")).empty());
  EXPECT_TRUE(check_period("2024-02-30", std::nullopt).count("debut"));
  EXPECT_TRUE(check_period("2024-03-01", std::string("2024-02-29")).count("fin"));
  EXPECT_TRUE(check_period("2024-03-01", std::string("demain")).count("fin"));
}

TEST(Policy, RouteLevelAccess) {
  Principal admin{1, "a@x.fr", "A", "", {{Role::admin, std::nullopt, false}}, 1};
  Principal med{2, "m@x.fr", "M", "", {{Role::mediateur, std::nullopt, true}}, 2};
  EXPECT_EQ(check_access(access::anyone(), nullptr), std::nullopt);
  EXPECT_EQ(check_access(access::logged_in(), nullptr), 401);
  EXPECT_EQ(check_access(access::logged_in(), &med), std::nullopt);
  EXPECT_EQ(check_access(access::admin(), &med), 403);
  EXPECT_EQ(check_access(access::admin(), &admin), std::nullopt);
  EXPECT_EQ(access::people_managers().describe(), "coordinateur|gestionnaire_structure|admin");
}

TEST(Policy, ScopeRules) {
  Principal gest{3, "g@x.fr", "G", "", {{Role::gestionnaire_structure, 7, false}}, 3};
  Principal coord{4, "c@x.fr", "C", "", {{Role::coordinateur, std::nullopt, false}}, 4};
  Principal admin{1, "a@x.fr", "A", "", {{Role::admin, std::nullopt, false}}, 1};
  EXPECT_TRUE(can_manage_structure(gest, 7));
  EXPECT_FALSE(can_manage_structure(gest, 8));
  EXPECT_TRUE(can_manage_structure(admin, 8));
  EXPECT_TRUE(can_view_structure(coord, 8, true));
  EXPECT_FALSE(can_view_structure(coord, 8, false));
  EXPECT_FALSE(check_invitation_rights(gest, Role::mediateur, 7).has_value());
  EXPECT_TRUE(check_invitation_rights(gest, Role::mediateur, 8).has_value());
  EXPECT_TRUE(check_invitation_rights(gest, Role::admin, 7).has_value());
  EXPECT_FALSE(check_invitation_rights(coord, Role::mediateur, std::nullopt).has_value());
  EXPECT_TRUE(check_invitation_rights(coord, Role::coordinateur, std::nullopt).has_value());
  EXPECT_FALSE(check_invitation_rights(admin, Role::admin, std::nullopt).has_value());
  EXPECT_TRUE(can_manage_team_member(coord, 4));
  EXPECT_FALSE(can_manage_team_member(coord, 5));
}

TEST(Time, IsoAndDates) {
  EXPECT_TRUE(core::valid_date("2024-02-29"));
  EXPECT_FALSE(core::valid_date("2023-02-29"));
  EXPECT_FALSE(core::valid_date("2023-2-28"));
  EXPECT_EQ(core::date_plus_days("2024-02-28", 2), "2024-03-01");
  auto now = core::now_iso();
  ASSERT_EQ(now.size(), 24u);
  auto parsed = core::parse_iso(now);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(core::iso_utc(*parsed), now);
}

TEST(Security, TokensHashesAndArgon2id) {
  auto a = core::random_token(32), b = core::random_token(32);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(core::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto h = core::hash_password("un mot de passe correct");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(core::verify_password(h, "un mot de passe correct"));
  EXPECT_FALSE(core::verify_password(h, "un mot de passe incorrect"));
  EXPECT_FALSE(core::verify_password("", "x"));
  EXPECT_TRUE(core::secure_equals("abc", "abc"));
  EXPECT_FALSE(core::secure_equals("abc", "abd"));
}

TEST(Time, TodayIsTheDateInParis) {
  using namespace std::chrono;
  auto at = [](int y, unsigned m, unsigned d, int h, int mi) {
    return core::Clock::time_point{sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi}};
  };
  EXPECT_EQ(core::date_in_paris(at(2026, 11, 28, 22, 59)), "2026-11-28");  // 23:59 CET
  EXPECT_EQ(core::date_in_paris(at(2026, 11, 28, 23, 0)), "2026-11-29");   // 00:00 CET
  EXPECT_EQ(core::date_in_paris(at(2026, 7, 14, 21, 59)), "2026-07-14");   // 23:59 CEST
  EXPECT_EQ(core::date_in_paris(at(2026, 7, 14, 22, 0)), "2026-07-15");    // 00:00 CEST
  // Summer time starts on the last Sunday of March at 01:00 UTC (2026-03-29) and ends on the
  // last Sunday of October at 01:00 UTC (2026-10-25).
  EXPECT_EQ(core::date_in_paris(at(2026, 3, 29, 0, 59)), "2026-03-29");
  EXPECT_EQ(core::date_in_paris(at(2026, 3, 28, 22, 30)), "2026-03-28");   // CET: 23:30
  EXPECT_EQ(core::date_in_paris(at(2026, 10, 24, 22, 30)), "2026-10-25");  // CEST: 00:30
  EXPECT_EQ(core::date_in_paris(at(2026, 10, 25, 22, 30)), "2026-10-25");  // CET again: 23:30
}
