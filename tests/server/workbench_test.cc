// The workbench's side of the server: its files served from --web-root with
// their types, cache headers and security headers, traversal refused, the
// client's routes answered with index.html; the person search in any
// spelling or script; the link-proposal and screening-match queues, which
// never show a person outside the caller's compartments.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "server/static_files.h"
#include "server_world.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A built workbench in miniature, with a secret beside (not inside) it.
struct WebRoot {
  fs::path dir;
  explicit WebRoot(const std::string& name) {
    dir = fs::temp_directory_path() / ("vigil-web-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    Write(dir / "root" / "index.html", "<!doctype html><title>wb</title>");
    Write(dir / "root" / "assets" / "index-abc123.js", "console.log(1)");
    Write(dir / "root" / "assets" / "index-abc123.css", "body{}");
    Write(dir / "root" / "favicon.svg", "<svg/>");
    Write(dir / "secret.txt", "secret");
    fs::create_symlink(dir / "secret.txt", dir / "root" / "link.txt");
    fs::create_symlink(dir / "secret.txt", dir / "root" / "assets" / "link.txt");
  }
  ~WebRoot() { fs::remove_all(dir); }
  std::string root() const { return (dir / "root").string(); }
};

std::string Header(const server::StaticReply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(StaticFiles, ServesTypesAndCacheHeaders) {
  WebRoot web("types");
  server::StaticReply index = server::ServeStaticFile(web.root(), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(index, "Cache-Control"), "no-cache");
  EXPECT_NE(index.body.find("<title>wb</title>"), std::string::npos);
  server::StaticReply js = server::ServeStaticFile(web.root(), "/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(server::ServeStaticFile(web.root(), "/assets/index-abc123.css").content_type,
            "text/css; charset=utf-8");
  EXPECT_EQ(server::ServeStaticFile(web.root(), "/favicon.svg").content_type, "image/svg+xml");
  // Every reply carries the strict policy and the other security headers.
  for (const server::StaticReply& reply : {index, js}) {
    const std::string csp = Header(reply, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(csp.find("http"), std::string::npos);  // no other origin
    EXPECT_EQ(Header(reply, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(Header(reply, "Referrer-Policy"), "no-referrer");
  }
}

TEST(StaticFiles, ClientRoutesGetIndexAndMissingAssetsGet404) {
  WebRoot web("routes");
  server::StaticReply route = server::ServeStaticFile(web.root(), "/subject/P0000001");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("<title>wb</title>"), std::string::npos);
  EXPECT_EQ(server::ServeStaticFile(web.root(), "/assets/gone-000.js").status, 404);
}

TEST(StaticFiles, TraversalAndLinksOutOfTheRootAreRefused) {
  WebRoot web("traversal");
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/..",
                           "/assets/..\\..\\secret.txt", "/assets/link.txt", "relative"}) {
    server::StaticReply reply = server::ServeStaticFile(web.root(), path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.body.find("secret"), std::string::npos) << path;
  }
  // A link out of the root outside /assets/ is a client route: index.html.
  server::StaticReply link = server::ServeStaticFile(web.root(), "/link.txt");
  EXPECT_EQ(link.body.find("secret"), std::string::npos);
  EXPECT_NE(link.body.find("<title>wb</title>"), std::string::npos);
  const std::string with_nul = std::string("/index.html") + '\0' + "x";
  EXPECT_EQ(server::ServeStaticFile(web.root(), with_nul).status, 404);
}

TEST(StaticFiles, ApiPathsAreTheDispatchers) {
  EXPECT_TRUE(server::IsApiPath("/v1"));
  EXPECT_TRUE(server::IsApiPath("/v1/persons"));
  EXPECT_TRUE(server::IsApiPath("/openapi.json"));
  EXPECT_TRUE(server::IsApiPath("/healthz"));
  EXPECT_FALSE(server::IsApiPath("/v1x"));
  EXPECT_FALSE(server::IsApiPath("/"));
  EXPECT_FALSE(server::IsApiPath("/subject/v1"));
}

std::vector<TestUser> Users() {
  return {{"ana", Role::kAnalyst, {"*"}}, {"lim", Role::kAnalyst, {"CT-A"}}};
}

TEST(Workbench, ServedBesideTheApiOverHttp) {
  WebRoot web("http");
  ServerOptions options;
  options.web_root = web.root();
  ServerWorld world("workbench-http", Users(), options);
  auto client = world.Client();
  auto page = client->Get("/subject/P0000001");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  auto traversal = client->Get("/%2e%2e/secret.txt");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);
  EXPECT_EQ(traversal->body.find("secret"), std::string::npos);
  // The API is untouched: JSON, and an unknown /v1 path is the API's 404.
  auto api = client->Get("/v1/status");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 401);
  EXPECT_NE(api->body.find("\"error\""), std::string::npos);
  auto unknown = client->Get("/v1/no-such-route");
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->body.find("\"error\""), std::string::npos);
  EXPECT_EQ(unknown->get_header_value("X-Content-Type-Options"), "nosniff");
}

// A Russian spelling of a Latin name (the server transliterates it back).
std::string Cyrillic(const std::string& name) {
  static const std::map<char, std::string> letters = {
      {'a', "а"}, {'b', "б"}, {'d', "д"}, {'e', "е"}, {'f', "ф"}, {'g', "г"}, {'i', "и"},
      {'k', "к"}, {'l', "л"}, {'m', "м"}, {'n', "н"}, {'o', "о"}, {'p', "п"}, {'r', "р"},
      {'s', "с"}, {'t', "т"}, {'u', "у"}, {'v', "в"}, {'z', "з"}, {' ', " "}};
  std::string out;
  for (char c : name) {
    auto found = letters.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (found == letters.end()) return "";
    out += found->second;
  }
  return out;
}

TEST(Workbench, SearchFindsNamesInAnotherScriptWithAnExplanation) {
  ServerWorld world("workbench-search", Users());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  int tried = 0;
  for (const Person& p : world.persons()) {
    const std::string query = Cyrillic(p.name);
    if (query.empty() || !p.aliases.empty()) continue;
    if (++tried > 5) break;
    httplib::Params params{{"q", query}};
    HttpResult r = ServerWorld::Call(
        *client, "GET", "/v1/persons?" + httplib::detail::params_to_query_str(params), token);
    ASSERT_EQ(r.status, 200) << r.body;
    bool found = false;
    for (const auto& hit : r.json["persons"]) {
      if (hit["person_id"] != p.person_id) continue;
      found = true;
      EXPECT_GT(hit["score"].get<double>(), 0.7) << hit.dump();
      EXPECT_FALSE(hit["explanation"].get<std::string>().empty());
    }
    EXPECT_TRUE(found) << p.name << " as " << query << ": " << r.body;
  }
  EXPECT_GT(tried, 0) << "no person with a plain Latin name";
}

TEST(Workbench, QueuesAndSearchShowNoHiddenPerson) {
  ServerWorld world("workbench-hidden", Users());
  auto client = world.Client();
  const std::string lim = world.Login(*client, "lim");
  const std::string ana = world.Login(*client, "ana");
  std::set<std::string> hidden;
  for (const Person& p : world.persons()) {
    if (p.compartment != "CT-A") hidden.insert(p.person_id);
  }
  ASSERT_FALSE(hidden.empty());
  // Proposals exist once resolution has run (as a user of every compartment).
  HttpResult resolved = ServerWorld::Call(*client, "POST", "/v1/resolve", ana, "{}");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  HttpResult all = ServerWorld::Call(*client, "GET", "/v1/links/proposals?limit=10000", ana);
  ASSERT_EQ(all.status, 200) << all.body;
  bool any_hidden_proposal = false;
  for (const auto& p : all.json["proposals"]) {
    any_hidden_proposal = any_hidden_proposal || hidden.count(p["person_id"]) != 0;
    EXPECT_FALSE(p["evidence"].get<std::string>().empty());
  }
  HttpResult mine = ServerWorld::Call(*client, "GET", "/v1/links/proposals?limit=10000", lim);
  ASSERT_EQ(mine.status, 200) << mine.body;
  for (const auto& p : mine.json["proposals"]) {
    EXPECT_EQ(hidden.count(p["person_id"]), 0u) << p.dump();
    for (const auto& o : p["other_owners"]) EXPECT_EQ(hidden.count(o["person_id"]), 0u);
  }
  if (any_hidden_proposal) {
    EXPECT_LT(mine.json["proposals"].size(), all.json["proposals"].size());
  }
  // Search: a hidden person by name, surname and id finds no hidden person.
  int checked = 0;
  for (const Person& p : world.persons()) {
    if (hidden.count(p.person_id) == 0 || ++checked > 5) continue;
    for (const std::string& q : {p.name, p.person_id, p.name.substr(p.name.find(' ') + 1)}) {
      httplib::Params params{{"q", q}};
      HttpResult r = ServerWorld::Call(
          *client, "GET", "/v1/persons?" + httplib::detail::params_to_query_str(params), lim);
      ASSERT_EQ(r.status, 200) << r.body;
      for (const auto& hit : r.json["persons"]) {
        EXPECT_EQ(hidden.count(hit["person_id"]), 0u) << q << ": " << hit.dump();
      }
    }
  }
  HttpResult matches = ServerWorld::Call(*client, "GET", "/v1/screening/matches", lim);
  EXPECT_EQ(matches.status, 200) << matches.body;
}

}  // namespace
}  // namespace vigil::testing
