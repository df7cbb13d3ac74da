// The refusal matrix, generated from the route table: every route that needs
// a right x every user (4 roles x 4 compartment sets) x, for routes about an
// object, persons in every compartment and persons that do not exist. The
// expected decision comes from the role table of src/access/README.md,
// written out here independently of policy.cc; a refusal must be the exact
// 404 body of a missing object (or, for routes about no object, a 403).
#include <atomic>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "server/routes.h"
#include "server_world.h"

namespace vigil::testing {
namespace {

using server::Gate;
using server::ParamIn;
using server::ParamSpec;
using server::ParamType;
using server::Route;
using server::Routes;

// Which roles may exercise each right a route needs (README's table).
// A route whose right is missing here fails EveryRouteRightHasAnExpectation.
const std::map<Operation, std::set<Role>>& Expected() {
  using R = Role;
  static const std::map<Operation, std::set<Role>> table = {
      {Operation::kReadStatus, {R::kAnalyst, R::kSupervisor, R::kAuditor, R::kAdmin}},
      {Operation::kReadPerson, {R::kAnalyst, R::kSupervisor}},
      {Operation::kReadComms, {R::kAnalyst, R::kSupervisor}},
      {Operation::kReadWatchlist, {R::kAnalyst, R::kSupervisor}},
      {Operation::kRevealPersons, {R::kAnalyst, R::kSupervisor}},
      {Operation::kDecideAttribution, {R::kAnalyst, R::kSupervisor}},
      {Operation::kListReviews, {R::kAnalyst, R::kSupervisor}},
      {Operation::kDecideReview, {R::kSupervisor}},
      {Operation::kQueryAudit, {R::kAuditor}},
      {Operation::kVerifyAudit, {R::kAuditor, R::kAdmin}},
  };
  return table;
}

struct Case {
  const Route* route;
  const TestUser* user;
  std::string object;       // "" for routes about no object
  std::string compartment;  // the object's; "" when it does not exist
};

bool InCompartments(const TestUser& user, const std::string& compartment) {
  for (const std::string& c : user.compartments) {
    if (c == "*" || c == compartment) return true;
  }
  return false;
}

// A valid value for a parameter: the object for the object parameter (and
// for the second end of a path), fixed values for the rest.
std::optional<Json> Sample(const Route& route, const ParamSpec& spec, const std::string& object) {
  if (spec.name == route.object_param) return Json(object);
  if (spec.name == "b") return Json(object);
  static const std::map<std::string, Json> fixed = {
      {"q", "brown"},
      {"selector", "msisdn:+447700900123"},
      {"reason", "generated case"},
      {"decision", "extend"},
      {"until", "2099-01-01"},
      {"names", Json::array({Json{{"name", "Jessica Brown"}}})},
      {"limit", 5},
      {"capacity", 5},
  };
  if (auto found = fixed.find(spec.name); found != fixed.end()) return found->second;
  if (spec.required) ADD_FAILURE() << route.pattern << ": no sample for " << spec.name;
  return std::nullopt;
}

std::string UrlEncoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ',') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

// The request of a case: target with query and path filled, and body.
std::pair<std::string, std::string> RequestOf(const Case& c) {
  const Route& route = *c.route;
  std::string target = route.pattern;
  std::string query;
  Json body = Json::object();
  for (const ParamSpec& spec : route.params) {
    auto value = Sample(route, spec, c.object);
    if (!value) continue;
    const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
    if (spec.in == ParamIn::kPath) {
      target.replace(target.find("{" + spec.name + "}"), spec.name.size() + 2, text);
    } else if (spec.in == ParamIn::kQuery) {
      query += (query.empty() ? "?" : "&") + spec.name + "=" + UrlEncoded(text);
    } else {
      body[spec.name] = *value;
    }
  }
  return {target + query, route.method == "POST" ? body.dump() : ""};
}

TEST(ServerRefusals, EveryRouteRightHasAnExpectation) {
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight) continue;
    EXPECT_TRUE(Expected().count(route.right))
        << route.method << " " << route.pattern << " needs " << OperationName(route.right)
        << ", which has no expectation";
    EXPECT_TRUE(route.handler) << route.pattern << " has no handler";
    if (!route.object_param.empty()) {
      bool declared = false;
      for (const ParamSpec& spec : route.params) declared |= spec.name == route.object_param;
      EXPECT_TRUE(declared) << route.pattern << ": object parameter not declared";
    }
  }
}

TEST(ServerRefusals, GeneratedCasesMatchTheExpectedDecision) {
  ServerOptions options;
  options.login_burst = 100;  // 16 logins from one address
  ServerWorld world("matrix", UsersFor({{"CT-A"}, {"CT-B", "CT-C"}, {"CT-C"}, {"*"}}), options);
  // Objects: up to 24 subjects of each compartment, and ids that do not exist.
  std::vector<std::pair<std::string, std::string>> objects;
  std::map<std::string, int> taken;
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kSubject && taken[p.compartment]++ < 24) {
      objects.emplace_back(p.person_id, p.compartment);
    }
  }
  ASSERT_GE(taken.size(), 3u);
  for (int i = 0; i < 18; ++i) objects.emplace_back("P9" + std::to_string(100000 + i), "");

  std::vector<Case> cases;
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight) continue;
    for (const TestUser& user : world.users()) {
      if (route.object_param.empty()) {
        cases.push_back({&route, &user, "", ""});
        continue;
      }
      for (const auto& [id, compartment] : objects)
        cases.push_back({&route, &user, id, compartment});
    }
  }
  ASSERT_GE(cases.size(), 10'000u);

  std::map<std::string, std::string> tokens;
  {
    auto client = world.Client();
    for (const TestUser& user : world.users()) {
      tokens[user.name] = world.Login(*client, user.name);
      ASSERT_FALSE(tokens[user.name].empty()) << user.name;
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<int> mismatches{0};
  std::atomic<int> allowed{0};
  std::mutex report_mu;
  std::vector<std::string> reports;
  auto worker = [&] {
    auto client = world.Client();
    for (size_t i = next++; i < cases.size(); i = next++) {
      const Case& c = cases[i];
      const bool role_ok = Expected().at(c.route->right).count(c.user->role) > 0;
      const bool object_ok =
          c.object.empty() || (!c.compartment.empty() && InCompartments(*c.user, c.compartment));
      auto [target, body] = RequestOf(c);
      HttpResult r =
          ServerWorld::Call(*client, c.route->method, target, tokens.at(c.user->name), body);
      std::string why;
      if (role_ok && object_ok) {
        ++allowed;
        if (r.status != 200 || r.json.contains("error")) why = "expected 200";
      } else if (!c.object.empty()) {
        const Json expected =
            server::ErrorBody("not_found", NotVisibleMessage(c.route->object_kind, c.object));
        if (r.status != 404 || r.body != expected.dump()) why = "expected " + expected.dump();
      } else {
        if (r.status != 403 || !r.json.contains("error")) why = "expected 403";
      }
      if (!why.empty()) {
        ++mismatches;
        std::lock_guard<std::mutex> lock(report_mu);
        if (reports.size() < 20) {
          reports.push_back(c.user->name + " " + c.route->method + " " + target + " -> " +
                            std::to_string(r.status) + " " + r.body.substr(0, 200) + " (" + why +
                            ")");
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (const std::string& report : reports) ADD_FAILURE() << report;
  EXPECT_EQ(mismatches.load(), 0) << "of " << cases.size() << " cases";
  EXPECT_GT(allowed.load(), 1000);  // the matrix exercises successes too
  std::printf("refusal matrix: %zu cases, %d allowed, %d mismatches\n", cases.size(),
              allowed.load(), mismatches.load());
}

}  // namespace
}  // namespace vigil::testing
