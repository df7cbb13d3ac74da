// Erasure through the running server (POST /v1/retention/apply) leaves no
// identifier of the erased person in any file Vigil wrote (the store, -wal,
// -shm, audit key, witness), looked for while the server and its open
// connections keep running; each identifier is shown to be there first.
#include "server_world.h"
#include "support/erased_person.h"

namespace vigil::testing {
namespace {

const ErasedPerson kPerson = {"ERASE-ME-4410", "Ottoline Vandersteeg", "Otti Vandersteg",
                              "1968-11-29",    "msisdn:+34699887766",  "passport:ES:OV4410991",
                              "TRIP-OV-0001",  "REPORT-OV-0001"};
const std::string kId = kPerson.id;

std::vector<std::string> Found(const std::string& dir) {
  return FoundIn(BytesOfFilesIn(dir), kPerson);
}

TEST(ServerErasure, LeavesNoIdentifierWhileTheServerRuns) {
  FakeClock clock(1'800'000'000);
  ServerOptions options;
  options.login_burst = 100;
  options.clock = &clock;
  ServerWorld world("erase", UsersFor({{"*"}}), options);
  // The person, their phone and passport, a call, a trip and a report,
  // ingested while the server runs.
  const std::string extra = world.dir() + "/extra";
  kPerson.WriteInputs(extra, "msisdn:+34600000001");
  {
    auto store = OpenSqliteStore(world.db());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<FileIngestResult> results;
    Status ingested = IngestPaths(**store, {extra}, IngestOptions{}, &results);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
  }
  auto client = world.Client();
  std::string analyst = world.Login(*client, "analyst-0");
  ASSERT_FALSE(analyst.empty());
  EXPECT_EQ(ServerWorld::Call(*client, "GET", std::string("/v1/persons/") + kId, analyst).status,
            200);
  EXPECT_EQ(
      ServerWorld::Call(*client, "GET", std::string("/v1/persons/") + kId + "/timeline", analyst)
          .status,
      200);
  EXPECT_EQ(
      ServerWorld::Call(*client, "GET", "/v1/persons?q=Ottoline%20Vandersteeg", analyst).status,
      200);
  const std::vector<std::string> before = Found(world.dir());
  EXPECT_EQ(before, kPerson.Identifiers()) << "each identifier must be there before the erasure";

  std::string admin = world.Login(*client, "admin-0");
  ASSERT_EQ(ServerWorld::Call(*client, "POST", "/v1/retention/limits", admin,
                              R"({"category":"none","days":1})")
                .status,
            200);
  ASSERT_EQ(ServerWorld::Call(*client, "POST", "/v1/retention/apply", admin).status, 200);
  clock.Advance(2 * 86'400);
  admin = world.Login(*client, "admin-0");
  HttpResult applied = ServerWorld::Call(*client, "POST", "/v1/retention/apply", admin);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_NE(applied.body.find(kId), std::string::npos) << applied.body;

  // The server keeps serving (and logging) on its open connections.
  analyst = world.Login(*client, "analyst-0");
  EXPECT_EQ(ServerWorld::Call(*client, "GET", std::string("/v1/persons/") + kId, analyst).status,
            404);
  EXPECT_EQ(
      ServerWorld::Call(*client, "GET", "/v1/persons?q=Ottoline%20Vandersteeg", analyst).status,
      200);
  EXPECT_EQ(Found(world.dir()), std::vector<std::string>{}) << "identifiers left after erasure";

  const std::string auditor = world.Login(*client, "auditor-0");
  HttpResult verified = ServerWorld::Call(*client, "GET", "/v1/audit/verify", auditor);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_NE(verified.body.find("\"problems\":[]"), std::string::npos) << verified.body;
}

}  // namespace
}  // namespace vigil::testing
