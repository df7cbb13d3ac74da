// Erasure through the running server (POST /v1/retention/apply) leaves no
// identifier of the erased person in any file Vigil wrote (the store, -wal,
// -shm, audit key, witness), looked for while the server and its open
// connections keep running; each identifier is shown to be there first.
#include <fstream>
#include <iterator>

#include "server_world.h"

namespace vigil::testing {
namespace {

constexpr char kId[] = "ERASE-ME-4410";
constexpr char kName[] = "Ottoline Vandersteeg";
constexpr char kAlias[] = "Otti Vandersteg";
constexpr char kBirth[] = "1968-11-29";
constexpr char kPhone[] = "msisdn:+34699887766";
constexpr char kPassport[] = "passport:ES:OV4410991";
constexpr char kTrip[] = "TRIP-OV-0001";
constexpr char kReport[] = "REPORT-OV-0001";

std::vector<std::string> Identifiers() {
  return {kId,       kName,       kAlias, kBirth, kPhone, "+34699887766",
          kPassport, "OV4410991", kTrip,  kReport};
}

// The bytes of the files directly in `dir` (not the input folders).
std::vector<std::string> Found(const std::string& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<std::string> found;
  for (const std::string& id : Identifiers()) {
    if (bytes.find(id) != std::string::npos) found.push_back(id);
  }
  return found;
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(ServerErasure, LeavesNoIdentifierWhileTheServerRuns) {
  FakeClock clock(1'800'000'000);
  ServerOptions options;
  options.login_burst = 100;
  options.clock = &clock;
  ServerWorld world("erase", UsersFor({{"*"}}), options);
  // The person, their phone and passport, a call, a trip and a report,
  // ingested while the server runs.
  const std::string extra = world.dir() + "/extra";
  std::filesystem::create_directories(extra);
  Write(extra + "/persons.csv",
        std::string("person_id,name,aliases,birth_date,nationality,status,compartment,"
                    "legal_basis,review_by\n") +
            kId + "," + kName + "," + kAlias + "," + kBirth + ",ES,associate,CT-A,,\n");
  Write(extra + "/selectors.csv", std::string("selector,person_id,first_seen,last_seen,source\n") +
                                      kPhone + "," + kId + ",,,warrant\n" + kPassport + "," + kId +
                                      ",,,warrant\n");
  Write(extra + "/comms.csv", std::string("time,src,dst,kind,duration_s,device,cell\n") +
                                  "2022-01-03T10:00:00Z," + kPhone +
                                  ",msisdn:+34600000001,call,"
                                  "60,,\n");
  Write(extra + "/travel.csv",
        std::string("record_id,time,name,birth_date,document,nationality,origin,destination,"
                    "carrier\n") +
            kTrip + ",2022-01-04T09:00:00Z," + kName + "," + kBirth + "," + kPassport +
            ",ES,MAD,IST,TK\n");
  Write(extra + "/reports.csv",
        std::string("report_id,time,person_id,name,source,category,text\n") + kReport +
            ",2022-01-05T09:00:00Z," + kId + ",,police,contact,\"met " + kName + "\"\n");
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
  EXPECT_EQ(before, Identifiers()) << "each identifier must be there before the erasure";

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
