// Erasure through the real `vigil` binary: ingest (with a quarantine file
// beside the store), a network export elsewhere, then `vigil retention
// apply` for one person. Every file under the store's folder is searched
// for each of the person's identifiers (each shown to be there first): none
// is left, the other persons and the other traveller's quarantine row are
// intact, and the command names the export that still holds the person
// (Vigil does not rewrite exports).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "access/oversight_world.h"
#include "support/erased_person.h"

namespace vigil::testing {
namespace {

const ErasedPerson kPerson = {"ERASE-ME-5520", "Wilhelmina Oxenbridge", "Mina Oxenbrydge",
                              "1959-07-02",    "msisdn:+33612345987",   "passport:FR:WO5520871",
                              "TRIP-WO-0001",  "REPORT-WO-0001"};
constexpr char kKeepId[] = "KEEP-5520";
constexpr char kKeepName[] = "Bartholomew Keepsake";
constexpr char kKeepPhone[] = "msisdn:+33698765432";
constexpr char kOtherTraveller[] = "Philippa Outlasting";

std::pair<int, std::string> Vigil(const std::string& args) {
  const std::string command = std::string(std::getenv("VIGIL_BIN")) + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The bytes of every regular file under `dir`, sub-folders included.
std::string BytesUnder(const std::string& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += ReadAll(entry.path().string());
  }
  return bytes;
}

TEST(ErasureCli, LeavesNoIdentifierUnderTheStoreFolder) {
  const std::string dir = TempDir("erasure-cli");
  const std::string store = dir + "/store";
  const std::string inputs = dir + "/inputs";
  const std::string exports = dir + "/exports";
  std::filesystem::create_directories(store);
  std::filesystem::create_directories(exports);
  const std::string db = " --db " + store + "/v.db";
  const std::string quarantine = store + "/quarantine.csv";
  kPerson.WriteInputs(inputs, kKeepPhone);
  std::ofstream(inputs + "/persons.csv", std::ios::app)
      << kKeepId << "," << kKeepName << ",,1980-01-01,FR,associate,CT-A,,\n";
  std::ofstream(inputs + "/selectors.csv", std::ios::app)
      << kKeepPhone << "," << kKeepId << ",,,warrant\n";
  std::filesystem::create_directories(inputs + "/bad");
  std::ofstream(inputs + "/bad/travel.csv") << kPerson.BadTravelRows(kOtherTraveller);

  auto [rc, out] =
      Vigil("ingest " + inputs + " " + inputs + "/bad/travel.csv --quarantine " + quarantine + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("network export --as graphml --out " + exports + "/net.graphml" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string exported = ReadAll(exports + "/net.graphml");
  ASSERT_NE(exported.find(kPerson.id), std::string::npos) << exported;

  const std::string before = BytesUnder(store);
  EXPECT_EQ(FoundIn(before, kPerson), kPerson.Identifiers())
      << "every identifier must be under the store's folder first";
  ASSERT_NE(ReadAll(quarantine).find(kPerson.name), std::string::npos);

  std::tie(rc, out) = Vigil("retention set none 1" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("retention apply" + db);  // every clock has started
  ASSERT_EQ(rc, 0) << out;
  ASSERT_EQ(out.find(kPerson.id), std::string::npos) << "nobody is due yet: " << out;
  {
    // Two days pass for the person alone.
    auto raw = OpenSqliteStore(store + "/v.db");
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    auto* sqlite_store = dynamic_cast<sqlite::SqliteStore*>(raw->get());
    ASSERT_NE(sqlite_store, nullptr);
    ASSERT_TRUE(sqlite::Exec(sqlite_store->db(),
                             "UPDATE person_oversight SET stored_at = stored_at - 2 * 86400 "
                             "WHERE person_id = '" +
                                 kPerson.id + "'")
                    .ok());
  }
  std::tie(rc, out) = Vigil("retention apply" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(kPerson.id), std::string::npos) << out;
  EXPECT_NE(out.find("1 rows removed from quarantine files"), std::string::npos) << out;
  EXPECT_NE(out.find("1 export files written before this erasure may hold the person"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find(std::filesystem::absolute(exports + "/net.graphml").lexically_normal().string()),
      std::string::npos)
      << out;
  EXPECT_EQ(out.find(kKeepId), std::string::npos) << out;

  EXPECT_EQ(FoundIn(BytesUnder(store), kPerson), std::vector<std::string>{})
      << "identifiers left under the store's folder";
  // Vigil left the export as it was.
  EXPECT_EQ(ReadAll(exports + "/net.graphml"), exported);
  // The others are intact.
  const std::string requarantined = ReadAll(quarantine);
  EXPECT_NE(requarantined.find(kOtherTraveller), std::string::npos) << requarantined;
  std::tie(rc, out) = Vigil(std::string("subject show ") + kKeepId + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(kKeepName), std::string::npos) << out;
  EXPECT_NE(out.find(kKeepPhone), std::string::npos) << out;
  std::tie(rc, out) = Vigil("subject show " + kPerson.id + db);
  EXPECT_NE(rc, 0) << out;
  std::tie(rc, out) = Vigil("audit verify" + db);
  EXPECT_EQ(rc, 0) << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing
