#include <gtest/gtest.h>

#include "core/metrics.hpp"
#include "http/json.hpp"
#include "http/router.hpp"

using namespace coop;
using namespace coop::http;

static Response ok(Context&) { return {}; }

TEST(Router, ParamsLiteralPriorityAnd405) {
  Router r;
  r.add("GET", "/api/users/{id}", accounts::access::admin(), ok);
  r.add("PATCH", "/api/users/{id}", accounts::access::admin(), ok);
  r.add("GET", "/api/users/moi", accounts::access::logged_in(), ok);
  r.add("GET", "/api/structures/{id}/employes/{eid}", accounts::access::admin(), ok);
  auto m = r.match("GET", "/api/users/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/users/{id}");
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(r.match("GET", "/api/users/moi").route->pattern, "/api/users/moi");
  EXPECT_EQ(r.match("GET", "/api/users/42/").route->pattern, "/api/users/{id}");
  auto two = r.match("GET", "/api/structures/3/employes/9");
  EXPECT_EQ(two.params.at("id"), "3");
  EXPECT_EQ(two.params.at("eid"), "9");
  auto not_allowed = r.match("DELETE", "/api/users/42");
  EXPECT_EQ(not_allowed.route, nullptr);
  EXPECT_EQ(not_allowed.allowed, (std::vector<std::string>{"GET", "PATCH"}));
  auto unknown = r.match("GET", "/api/nothing");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_TRUE(unknown.allowed.empty());
  EXPECT_THROW(r.add("GET", "/api/users/{id}", accounts::access::admin(), ok), std::logic_error);
}

TEST(Request, TargetQueryAndCookies) {
  Request req;
  req.target = "/api/communes?q=Saint-%C3%89tienne&limit=5&flag";
  ASSERT_TRUE(req.parse_target());
  EXPECT_EQ(req.path, "/api/communes");
  EXPECT_EQ(req.query_param("q"), "Saint-Étienne");
  EXPECT_EQ(req.query_param("limit"), "5");
  EXPECT_EQ(req.query_param("flag"), "");
  req.headers["cookie"] = "a=1; coop_session=abc ; coop_csrf=xyz";
  EXPECT_EQ(req.cookie("coop_session"), "abc");
  EXPECT_EQ(req.cookie("coop_csrf"), "xyz");
  EXPECT_FALSE(req.cookie("coop").has_value());
  Request bad;
  bad.target = "http://example.com/absolute";
  EXPECT_FALSE(bad.parse_target());
}

TEST(JsonBody, CollectsEveryFieldError) {
  JsonBody b(R"({"email": 42, "nom": "  Dupont  ", "age": "12", "actif": "oui", "vide": "  "})");
  EXPECT_FALSE(b.text("email", true).has_value());
  EXPECT_EQ(b.text("nom", true), "Dupont");
  EXPECT_EQ(b.integer("age"), 12);
  EXPECT_FALSE(b.boolean("actif").has_value());
  b.text("vide", true);
  b.text("absent", true);
  try {
    b.done();
    FAIL() << "expected a validation error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.code, "validation");
    EXPECT_EQ(e.fields.at("email"), "Doit être une chaîne de caractères.");
    EXPECT_EQ(e.fields.at("actif"), "Doit être vrai ou faux.");
    EXPECT_EQ(e.fields.at("vide"), "Ce champ est obligatoire.");
    EXPECT_EQ(e.fields.at("absent"), "Ce champ est obligatoire.");
    EXPECT_EQ(e.fields.count("nom"), 0u);
  }
}

TEST(JsonBody, RejectsWhatIsNotAnObject) {
  for (auto body : {"", "[]", "{", "\"texte\"", "{\"a\":1}x", "\xff\xfe"}) {
    try {
      JsonBody b(body);
      FAIL() << body;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status, 400);
      EXPECT_EQ(e.code, "json_invalide");
    }
  }
}

TEST(Errors, JsonShape) {
  auto r = error_response(validation_error({{"siret", "SIRET invalide."}}));
  EXPECT_EQ(r.status, 400);
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("error").at("code").as_string(), "validation");
  EXPECT_EQ(v.at("error").at("fields").at("siret").as_string(), "SIRET invalide.");
}

TEST(Metrics, PrometheusText) {
  core::Metrics m;
  m.describe("t_requests_total", "counter", "Requests");
  m.inc("t_requests_total", {{"route", "/api/users/{id}"}, {"status", "200"}});
  m.inc("t_requests_total", {{"route", "/api/users/{id}"}, {"status", "200"}});
  m.observe("t_duration_seconds", {{"route", "/x"}}, 0.003);
  m.gauge_fn("t_open", "Open things", [] { return 3.0; });
  auto text = m.render();
  EXPECT_NE(text.find("# TYPE t_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("t_requests_total{route=\"/api/users/{id}\",status=\"200\"} 2"), std::string::npos);
  EXPECT_NE(text.find("t_duration_seconds_bucket{route=\"/x\",le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(text.find("t_duration_seconds_bucket{route=\"/x\",le=\"0.0025\"} 0"), std::string::npos);
  EXPECT_NE(text.find("t_duration_seconds_count{route=\"/x\"} 1"), std::string::npos);
  EXPECT_NE(text.find("t_open 3"), std::string::npos);
}

TEST(Request, InvalidUtf8InPathOrQueryIsRejected) {
  for (auto target : {"/api/users?q=%FF", "/api/structures?q=%C3%28", "/api/%FE", "/api/x?%FF=1"}) {
    Request req;
    req.target = target;
    EXPECT_FALSE(req.parse_target()) << target;
  }
  Request ok;
  ok.target = "/api/communes?q=%C3%89vry";
  EXPECT_TRUE(ok.parse_target());
}
