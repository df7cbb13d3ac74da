// The server over HTTP: bad input, sessions and their expiry, the login rate
// limit, the OpenAPI document, structured logs and the audit trail of a
// request. The refusal matrix is in refusal_matrix_test.cc.
#include <set>

#include "server/api_request.h"
#include "server/routes.h"
#include "server_world.h"

namespace vigil::testing {
namespace {

std::vector<TestUser> TwoUsers() {
  return {{"ana", Role::kAnalyst, {"CT-A"}}, {"audrey", Role::kAuditor, {"*"}}};
}

std::string FirstSubject(ServerWorld& world, const std::string& compartment) {
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kSubject && p.compartment == compartment) return p.person_id;
  }
  return "";
}

void ExpectJsonError(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  ASSERT_TRUE(r.json.contains("error")) << r.body;
  EXPECT_EQ(r.json["error"]["code"], code) << r.body;
  EXPECT_FALSE(r.json["error"]["message"].get<std::string>().empty());
}

TEST(Server, BadInputGetsClearJsonErrors) {
  ServerWorld world("bad", TwoUsers());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  auto post = [&](const std::string& target, const std::string& body) {
    return ServerWorld::Call(*client, "POST", target, token, body);
  };
  // Malformed JSON: the message names line and column.
  HttpResult r = post("/v1/screen", "{\"names\": [\n {\"name\": \"A\"},, ]}");
  ExpectJsonError(r, 400, "bad_request");
  EXPECT_NE(r.json["error"]["message"].get<std::string>().find("line 2, column"), std::string::npos)
      << r.body;
  ExpectJsonError(post("/v1/screen", "[1,2]"), 400, "bad_request");
  ExpectJsonError(post("/v1/screen", std::string(40, '[') + std::string(40, ']')), 400,
                  "bad_request");
  // Wrong types and ranges.
  ExpectJsonError(post("/v1/screen", R"({"names": 5})"), 400, "bad_request");
  // A number past a double's range (found by fuzz/request_fuzz).
  ExpectJsonError(post("/v1/screen", R"({"names": [{"name": "A"}], "threshold": 4e828})"), 400,
                  "bad_request");
  ExpectJsonError(post("/v1/screen", R"({"names": [{"name": 7}]})"), 400, "bad_request");
  ExpectJsonError(post("/v1/screen", R"({"names": [{"name": "A"}], "threshold": 3})"), 400,
                  "bad_request");
  ExpectJsonError(post("/v1/screen", R"({"names": [{"name": "A"}], "unknown": 1})"), 400,
                  "bad_request");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons?q=a&limit=abc", token), 400,
                  "bad_request");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons?q=a&q=b", token), 400,
                  "bad_request");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons/bad%20id", token), 400,
                  "bad_request");
  // Broken UTF-8, in the body and in the query.
  r = post("/v1/screen", "{\"names\": [{\"name\": \"\xc3\x28\"}]}");
  ExpectJsonError(r, 400, "bad_request");
  EXPECT_NE(r.body.find("UTF-8"), std::string::npos) << r.body;
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons?q=%ff%fe", token), 400,
                  "bad_request");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons?q=%zz", token), 400,
                  "bad_request");
  // Oversized body: 413 with the same JSON shape.
  ExpectJsonError(post("/v1/screen", std::string(2 << 20, ' ')), 413, "payload_too_large");
  // No purpose, no route, wrong method, no session.
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/status", token, "", ""), 400,
                  "purpose_required");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/nothing", token), 404, "no_route");
  ExpectJsonError(ServerWorld::Call(*client, "POST", "/v1/status", token), 405,
                  "method_not_allowed");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/status", "not-a-token"), 401,
                  "unauthenticated");
  // Still serving.
  EXPECT_EQ(ServerWorld::Call(*client, "GET", "/healthz", "").status, 200);
  EXPECT_EQ(ServerWorld::Call(*client, "GET", "/v1/status", token).status, 200);
}

TEST(Server, TlsOptionsAreCheckedWhenOpening) {
  ServerWorld world("tls", TwoUsers());
  ServerOptions options;
  options.db_path = world.db();
  options.tls_cert = world.dir() + "/cert.pem";
  auto half = Server::Open(options);
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("--tls-key"), std::string::npos);
  options.tls_key = world.dir() + "/key.pem";  // neither file exists
  auto missing = Server::Open(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("cannot load TLS certificate"), std::string::npos);
  options.db_path = world.dir() + "/no-such.db";
  auto no_store = Server::Open(options);
  ASSERT_FALSE(no_store.ok());
  EXPECT_EQ(no_store.status().code(), Status::Code::kNotFound);
}

TEST(Server, SessionsExpireAndEndAtLogout) {
  FakeClock clock(1'800'000'000);
  ServerOptions options;
  options.clock = &clock;
  options.session_ttl_s = 600;
  ServerWorld world("expiry", TwoUsers(), options);
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(ServerWorld::Call(*client, "GET", "/v1/session", token).json["user"], "ana");
  clock.Advance(599);
  EXPECT_EQ(ServerWorld::Call(*client, "GET", "/v1/status", token).status, 200);
  clock.Advance(1);
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/status", token), 401, "unauthenticated");
  const std::string second = world.Login(*client, "ana");
  ASSERT_FALSE(second.empty());
  EXPECT_NE(second, token);
  EXPECT_EQ(ServerWorld::Call(*client, "POST", "/v1/logout", second).status, 200);
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/status", second), 401, "unauthenticated");
  ExpectJsonError(ServerWorld::Call(*client, "POST", "/v1/login", "",
                                    R"({"user":"ana","password":"wrong password"})", ""),
                  401, "unauthenticated");
}

TEST(Server, LoginIsRateLimitedPerAddressAndUser) {
  FakeClock clock(1'800'000'000);
  ServerOptions options;
  options.clock = &clock;
  options.login_burst = 3;
  options.login_per_minute = 6;  // one attempt every 10 s
  ServerWorld world("ratelimit", TwoUsers(), options);
  auto client = world.Client();
  const std::string wrong = R"({"user":"ana","password":"not the password"})";
  for (int i = 0; i < 3; ++i) {
    ExpectJsonError(ServerWorld::Call(*client, "POST", "/v1/login", "", wrong, ""), 401,
                    "unauthenticated");
  }
  HttpResult limited = ServerWorld::Call(*client, "POST", "/v1/login", "", wrong, "");
  ExpectJsonError(limited, 429, "rate_limited");
  EXPECT_EQ(limited.retry_after, "10");
  // Even the right password waits: the bucket is empty.
  EXPECT_EQ(world.Login(*client, "ana"), "");
  clock.Advance(10);
  EXPECT_NE(world.Login(*client, "ana"), "");
}

TEST(Server, OpenApiDocumentsEveryRoute) {
  ServerWorld world("openapi", TwoUsers());
  auto client = world.Client();
  HttpResult r = ServerWorld::Call(*client, "GET", "/openapi.json", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["openapi"], "3.0.3");
  for (const server::Route& route : server::Routes()) {
    std::string method = route.method == "GET" ? "get" : "post";
    ASSERT_TRUE(r.json["paths"].contains(route.pattern)) << route.pattern;
    EXPECT_TRUE(r.json["paths"][route.pattern].contains(method)) << route.pattern;
    if (route.gate == server::Gate::kRight) {
      EXPECT_EQ(r.json["paths"][route.pattern][method]["x-vigil-right"],
                OperationName(route.right));
    }
  }
}

TEST(Server, EveryRequestIsLoggedAndAudited) {
  ServerWorld world("audit", TwoUsers());
  auto client = world.Client();
  const std::string ana = world.Login(*client, "ana");
  const std::string audrey = world.Login(*client, "audrey");
  const std::string subject = FirstSubject(world, "CT-A");
  ASSERT_FALSE(subject.empty());
  HttpResult dossier = ServerWorld::Call(*client, "GET", "/v1/persons/" + subject, ana, "",
                                         "op lantern: check contacts");
  ASSERT_EQ(dossier.status, 200) << dossier.body;
  EXPECT_EQ(dossier.json["person"]["person_id"], subject);
  // The auditor sees who read the person, and why.
  HttpResult audit = ServerWorld::Call(*client, "GET", "/v1/audit?subject=" + subject, audrey);
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool found = false;
  for (const Json& record : audit.json["records"]) {
    found |= record["user"] == "ana" && record["purpose"] == "op lantern: check contacts" &&
             record["outcome"] == "allowed";
  }
  EXPECT_TRUE(found) << audit.body;
  // The analyst may not read the log; the auditor may not read people.
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/audit", ana), 403, "forbidden");
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/persons/" + subject, audrey), 404,
                  "not_found");
  HttpResult verify = ServerWorld::Call(*client, "GET", "/v1/audit/verify", audrey);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.json["intact"], true) << verify.body;
  // One JSON log line per request, with the route and user but no person id.
  const auto lines = world.LogLines();
  ASSERT_GE(lines.size(), 6u);
  bool dossier_logged = false;
  for (const std::string& line : lines) {
    Json parsed = Json::parse(line, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << line;
    for (const char* field : {"time", "request_id", "route", "status", "duration_ms", "user"}) {
      EXPECT_TRUE(parsed.contains(field)) << line;
    }
    EXPECT_EQ(line.find(subject), std::string::npos) << line;
    dossier_logged |= parsed["route"] == "/v1/persons/{id}" && parsed["user"] == "ana";
  }
  EXPECT_TRUE(dossier_logged);
}

TEST(ServerRequest, ValidationTurnsEveryRouteIntoTypedValues) {
  const server::Route* route = nullptr;
  std::map<std::string, std::string> path_params;
  auto matched = server::MatchRoute("GET", "/v1/network/expand", &path_params);
  ASSERT_TRUE(matched.ok());
  route = *matched;
  server::RawRequest raw;
  raw.method = "GET";
  auto query =
      server::ParseQueryString("/v1/network/expand?seeds=P1,msisdn%3A%2B447700900123&hops=3");
  ASSERT_TRUE(query.ok());
  raw.query = *query;
  auto request = server::ValidateRequest(route->params, raw);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->Strings("seeds"), (std::vector<std::string>{"P1", "msisdn:+447700900123"}));
  EXPECT_EQ(request->Int("hops", 0), 3);
  raw.query = {{"seeds", "P1"}, {"hops", "9"}};
  EXPECT_FALSE(server::ValidateRequest(route->params, raw).ok());
  raw.query = {{"hops", "2"}};
  EXPECT_FALSE(server::ValidateRequest(route->params, raw).ok());
  EXPECT_TRUE(server::IsValidUtf8("Абдулла"));
  EXPECT_FALSE(server::IsValidUtf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(server::IsValidUtf8("\xc0\xaf"));      // an overlong '/'
}

}  // namespace
}  // namespace vigil::testing
