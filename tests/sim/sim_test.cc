// Simulate(): determinism, the formats.md contract, and the structure the
// stories need (cells, carousels, activations, travel truth).
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "vigil/sim.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

constexpr int64_t kTestPeople = 600;
constexpr int kTestDays = 120;

// A small RFC 4180 reader: quoted fields, doubled quotes, embedded newlines.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t index = 0; index < text.size(); ++index) {
    const char ch = text[index];
    if (quoted) {
      if (ch == '"' && index + 1 < text.size() && text[index + 1] == '"') {
        field.push_back('"');
        ++index;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(ch);
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(field.empty() && row.empty()) << "last row lacks a newline";
  return rows;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Table {
  std::vector<std::string> header;
  std::vector<Row> rows;
};

Table ReadTable(const fs::path& path) {
  const auto raw = ParseCsv(ReadFile(path));
  Table table;
  if (raw.empty()) {
    ADD_FAILURE() << path << " is empty";
    return table;
  }
  table.header = raw[0];
  for (size_t line = 1; line < raw.size(); ++line) {
    EXPECT_EQ(raw[line].size(), table.header.size()) << path << " line " << line + 1;
    Row row;
    for (size_t column = 0; column < table.header.size() && column < raw[line].size(); ++column) {
      row[table.header[column]] = raw[line][column];
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

const std::regex kIdPattern("[A-Za-z0-9_.:-]{1,64}");
const std::regex kTimePattern(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
const std::regex kDatePattern(R"(\d{4}-\d{2}-\d{2})");
const std::regex kPartialDatePattern(R"(\d{4}(-\d{2}(-\d{2})?)?)");
const std::regex kSelectorPattern(
    R"((msisdn:\+\d{8,15})|(imsi:\d{15})|(imei:\d{15})|(handle:(telegram|signal):[a-z0-9_.]+)|)"
    R"((email:[a-z0-9.]+@example\.(org|net|com))|(passport:[A-Z]{2}:[A-Z0-9]{5,12}))");
const std::regex kCountryPattern("[A-Z]{2}");
const std::regex kPlacePattern("[A-Z]{2,3}");

bool Matches(const std::string& text, const std::regex& pattern) {
  return std::regex_match(text, pattern);
}

class SimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Dir() = fs::temp_directory_path() / ("vigil_sim_test_" + std::to_string(::getpid()));
    SimulateOptions options;
    options.out_dir = (Dir() / "a").string();
    options.people = kTestPeople;
    options.days = kTestDays;
    options.seed = 7;
    auto report = Simulate(options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    report_ = *report;
  }
  static void TearDownTestSuite() { fs::remove_all(Dir()); }
  static Table Load(const std::string& name) { return ReadTable(Dir() / "a" / name); }

  static fs::path& Dir() {
    static fs::path dir;
    return dir;
  }
  static SimulateReport report_;
};
SimulateReport SimTest::report_;

TEST_F(SimTest, EveryFileHasTheFormatsHeader) {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"persons.csv",
       {"person_id", "name", "aliases", "birth_date", "nationality", "status", "compartment",
        "legal_basis", "review_by"}},
      {"selectors.csv", {"selector", "person_id", "first_seen", "last_seen", "source"}},
      {"comms.csv", {"time", "src", "dst", "kind", "duration_s", "device", "cell"}},
      {"travel.csv",
       {"record_id", "time", "name", "birth_date", "document", "nationality", "origin",
        "destination", "carrier"}},
      {"custody.csv", {"person_id", "facility", "start", "end"}},
      {"reports.csv", {"report_id", "time", "person_id", "name", "source", "category", "text"}},
      {"watchlist.csv",
       {"entry_id", "list", "name", "aliases", "birth_date", "nationality", "reason", "valid_until",
        "handling"}},
      {"truth/selectors.csv", {"selector", "person_id"}},
      {"truth/cells.csv", {"person_id", "cell_id"}},
      {"truth/activations.csv", {"person_id", "time"}},
      {"truth/travel_matches.csv", {"record_id", "entry_id"}},
  };
  for (const auto& [name, columns] : expected) {
    EXPECT_EQ(Load(name).header, columns) << name;
  }
}

TEST_F(SimTest, CommsRowsFollowTheContract) {
  const Table comms = Load("comms.csv");
  ASSERT_EQ(static_cast<int64_t>(comms.rows.size()), report_.comms);
  ASSERT_GT(comms.rows.size(), 1000u);
  const std::set<std::string> kinds = {"call", "sms", "msg", "email"};
  std::set<std::string> seen_kinds;
  for (const Row& row : comms.rows) {
    ASSERT_TRUE(Matches(row.at("time"), kTimePattern)) << row.at("time");
    ASSERT_TRUE(Matches(row.at("src"), kSelectorPattern)) << row.at("src");
    ASSERT_TRUE(Matches(row.at("dst"), kSelectorPattern)) << row.at("dst");
    ASSERT_NE(row.at("src"), row.at("dst"));
    ASSERT_TRUE(kinds.count(row.at("kind"))) << row.at("kind");
    seen_kinds.insert(row.at("kind"));
    ASSERT_EQ(row.at("kind") == "call", !row.at("duration_s").empty());
    if (!row.at("device").empty()) {
      ASSERT_EQ(row.at("device").rfind("imei:", 0), 0u);
    }
    if (!row.at("cell").empty()) {
      ASSERT_TRUE(Matches(row.at("cell"), kIdPattern));
    }
  }
  EXPECT_TRUE(seen_kinds.count("call") && seen_kinds.count("sms") && seen_kinds.count("msg"));
  EXPECT_LE(comms.rows.front().at("time"), comms.rows.back().at("time"));
}

TEST_F(SimTest, RegistryRowsFollowTheContract) {
  const Table persons = Load("persons.csv");
  std::set<std::string> ids;
  for (const Row& row : persons.rows) {
    EXPECT_TRUE(Matches(row.at("person_id"), kIdPattern));
    EXPECT_TRUE(ids.insert(row.at("person_id")).second) << "duplicate " << row.at("person_id");
    EXPECT_FALSE(row.at("name").empty());
    EXPECT_TRUE(Matches(row.at("nationality"), kCountryPattern));
    const std::string& status = row.at("status");
    EXPECT_TRUE(status == "subject" || status == "associate" || status == "unknown") << status;
    if (!row.at("birth_date").empty()) {
      EXPECT_TRUE(Matches(row.at("birth_date"), kPartialDatePattern));
    }
    if (status == "subject") {
      EXPECT_FALSE(row.at("legal_basis").empty());
      EXPECT_TRUE(Matches(row.at("review_by"), kDatePattern));
    }
  }
  const Table selectors = Load("selectors.csv");
  int unattributed = 0;
  for (const Row& row : selectors.rows) {
    EXPECT_TRUE(Matches(row.at("selector"), kSelectorPattern)) << row.at("selector");
    if (row.at("person_id").empty()) {
      ++unattributed;
    } else {
      EXPECT_TRUE(ids.count(row.at("person_id"))) << row.at("person_id");
    }
    if (!row.at("first_seen").empty()) {
      EXPECT_TRUE(Matches(row.at("first_seen"), kTimePattern));
    }
  }
  EXPECT_GT(unattributed, 0);
  for (const Row& row : Load("custody.csv").rows) {
    EXPECT_TRUE(ids.count(row.at("person_id"))) << row.at("person_id");
    EXPECT_TRUE(Matches(row.at("start"), kDatePattern));
    if (!row.at("end").empty()) {
      EXPECT_LT(row.at("start"), row.at("end"));
    }
  }
  for (const Row& row : Load("reports.csv").rows) {
    EXPECT_TRUE(Matches(row.at("report_id"), kIdPattern));
    EXPECT_TRUE(Matches(row.at("time"), kTimePattern));
    EXPECT_NE(row.at("person_id").empty(), row.at("name").empty());
    if (!row.at("person_id").empty()) {
      EXPECT_TRUE(ids.count(row.at("person_id")));
    }
  }
}

TEST_F(SimTest, AttributedSelectorsAgreeWithTruth) {
  std::map<std::string, std::string> owner;
  for (const Row& row : Load("truth/selectors.csv").rows) {
    EXPECT_TRUE(Matches(row.at("selector"), kSelectorPattern)) << row.at("selector");
    EXPECT_TRUE(Matches(row.at("person_id"), kIdPattern));
    EXPECT_TRUE(owner.emplace(row.at("selector"), row.at("person_id")).second)
        << "two owners for " << row.at("selector");
  }
  for (const Row& row : Load("selectors.csv").rows) {
    ASSERT_TRUE(owner.count(row.at("selector"))) << row.at("selector");
    if (!row.at("person_id").empty()) {
      EXPECT_EQ(owner.at(row.at("selector")), row.at("person_id"));
    }
  }
  const Table comms = Load("comms.csv");
  for (size_t index = 0; index < comms.rows.size(); index += 97) {
    EXPECT_TRUE(owner.count(comms.rows[index].at("src"))) << comms.rows[index].at("src");
    EXPECT_TRUE(owner.count(comms.rows[index].at("dst"))) << comms.rows[index].at("dst");
  }
}

TEST_F(SimTest, CellsHaveSimCarouselsAndActivations) {
  std::map<std::string, std::set<std::string>> cells;
  for (const Row& row : Load("truth/cells.csv").rows)
    cells[row.at("cell_id")].insert(row.at("person_id"));
  ASSERT_GE(cells.size(), 5u);
  EXPECT_EQ(static_cast<int64_t>(cells.size()), report_.cells);
  std::map<std::string, int> phone_selectors;
  for (const Row& row : Load("truth/selectors.csv").rows) {
    if (row.at("selector").rfind("msisdn:", 0) == 0) ++phone_selectors[row.at("person_id")];
  }
  std::set<std::string> subjects;
  for (const Row& row : Load("persons.csv").rows) {
    if (row.at("status") == "subject") subjects.insert(row.at("person_id"));
  }
  for (const auto& [cell, members] : cells) {
    EXPECT_GE(members.size(), 3u) << cell;
    EXPECT_LE(members.size(), 12u) << cell;
    for (const std::string& member : members) {
      EXPECT_GE(phone_selectors[member], 3) << member;
      EXPECT_TRUE(subjects.count(member)) << member;
    }
  }
  const Table activations = Load("truth/activations.csv");
  ASSERT_FALSE(activations.rows.empty());
  for (const Row& row : activations.rows) {
    EXPECT_TRUE(Matches(row.at("time"), kTimePattern));
    EXPECT_GE(row.at("time"), "2022-01-01T00:00:00Z");
    EXPECT_LT(row.at("time"), "2022-05-01T00:00:00Z");  // day 120 of 2022
    bool member = false;
    for (const auto& [cell, members] : cells) member = member || members.count(row.at("person_id"));
    EXPECT_TRUE(member) << row.at("person_id");
  }
}

TEST_F(SimTest, TravelMatchesReferToRecordsAndEntries) {
  const Table travel = Load("travel.csv");
  std::set<std::string> records;
  for (const Row& row : travel.rows) {
    EXPECT_TRUE(Matches(row.at("record_id"), kIdPattern));
    EXPECT_TRUE(Matches(row.at("time"), kTimePattern));
    EXPECT_FALSE(row.at("name").empty());
    EXPECT_TRUE(Matches(row.at("destination"), kPlacePattern)) << row.at("destination");
    if (!row.at("document").empty()) {
      EXPECT_TRUE(Matches(row.at("document"), kSelectorPattern));
    }
    records.insert(row.at("record_id"));
  }
  std::set<std::string> entries;
  const std::set<std::string> handling = {"red", "amber", "green", "clear"};
  for (const Row& row : Load("watchlist.csv").rows) {
    EXPECT_TRUE(Matches(row.at("entry_id"), kIdPattern));
    EXPECT_TRUE(handling.count(row.at("handling"))) << row.at("handling");
    entries.insert(row.at("entry_id"));
  }
  const Table matches = Load("truth/travel_matches.csv");
  ASSERT_FALSE(matches.rows.empty());
  for (const Row& row : matches.rows) {
    EXPECT_TRUE(records.count(row.at("record_id"))) << row.at("record_id");
    EXPECT_TRUE(entries.count(row.at("entry_id"))) << row.at("entry_id");
  }
}

bool HasNonLatinLetter(const std::string& text) {
  // Arabic (U+0600..U+06FF) starts with bytes D8..DB; Cyrillic (U+0400..U+04FF) with D0..D3.
  for (unsigned char byte : text) {
    if (byte >= 0xD0 && byte <= 0xDB) return true;
  }
  return false;
}

TEST_F(SimTest, SomeNamesAreInNonLatinScript) {
  int non_latin = 0;
  for (const Row& row : Load("travel.csv").rows) non_latin += HasNonLatinLetter(row.at("name"));
  for (const Row& row : Load("watchlist.csv").rows) non_latin += HasNonLatinLetter(row.at("name"));
  EXPECT_GT(non_latin, 0);
}

// Passenger records are mostly API data with the document's full birth date;
// a minority (PNR-only bookings) carry none or only a year.
TEST_F(SimTest, TravelRecordsUsuallyCarryAFullBirthDate) {
  const Table travel = Load("travel.csv");
  ASSERT_GT(travel.rows.size(), 50U);
  size_t full = 0;
  for (const Row& row : travel.rows) {
    const std::string& date = row.at("birth_date");
    if (!date.empty()) {
      EXPECT_TRUE(Matches(date, kPartialDatePattern)) << date;
    }
    full += Matches(date, kDatePattern);
  }
  const double share = static_cast<double>(full) / static_cast<double>(travel.rows.size());
  EXPECT_GT(share, 0.8);
  EXPECT_LT(share, 1.0);
}

TEST(SimDeterminismTest, SameSeedSameBytesOtherSeedDiffers) {
  const fs::path dir = fs::temp_directory_path() / ("vigil_sim_det_" + std::to_string(::getpid()));
  SimulateOptions options;
  options.people = 200;
  options.days = 40;
  options.seed = 11;
  options.out_dir = (dir / "one").string();
  ASSERT_TRUE(Simulate(options).ok());
  options.out_dir = (dir / "two").string();
  ASSERT_TRUE(Simulate(options).ok());
  options.seed = 12;
  options.out_dir = (dir / "three").string();
  ASSERT_TRUE(Simulate(options).ok());
  for (const char* name : {"persons.csv", "selectors.csv", "comms.csv", "travel.csv", "custody.csv",
                           "reports.csv", "watchlist.csv", "truth/selectors.csv", "truth/cells.csv",
                           "truth/activations.csv", "truth/travel_matches.csv"}) {
    EXPECT_EQ(ReadFile(dir / "one" / name), ReadFile(dir / "two" / name)) << name;
  }
  EXPECT_NE(ReadFile(dir / "one" / "comms.csv"), ReadFile(dir / "three" / "comms.csv"));
  fs::remove_all(dir);
}

TEST(SimOptionsTest, RejectsNonsense) {
  SimulateOptions options;
  options.out_dir = (fs::temp_directory_path() / "vigil_sim_never").string();
  options.people = 10;
  EXPECT_TRUE(Simulate(options).status().IsInvalidArgument());
  options.people = 100;
  options.days = 5;
  EXPECT_TRUE(Simulate(options).status().IsInvalidArgument());
  options.days = 60;
  options.start_date = "2022-02-30";
  EXPECT_TRUE(Simulate(options).status().IsInvalidArgument());
  options.start_date = "2022-02-03";
  options.out_dir = "/proc/vigil_cannot_write_here";
  EXPECT_EQ(Simulate(options).status().code(), Status::Code::kIOError);
}

// Every behaviour family: deterministic per seed, still within the formats
// contract, and each visible in the files it is meant to change.
TEST(SimFamiliesTest, FamiliesAreDeterministicAndChangeTheWorld) {
  const fs::path dir = fs::temp_directory_path() / ("vigil_sim_fam_" + std::to_string(::getpid()));
  SimulateOptions options;
  options.people = 600;
  options.days = 120;
  options.seed = 7;
  options.out_dir = (dir / "classic").string();
  ASSERT_TRUE(Simulate(options).ok());
  options.families = "all";
  options.out_dir = (dir / "all").string();
  auto report = Simulate(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->families,
            "shared_phones,passed_handsets,burners,messenger_only,bursty,prison_releases,"
            "partial_feeds,noisy_times,shared_contacts");
  options.out_dir = (dir / "again").string();
  ASSERT_TRUE(Simulate(options).ok());
  EXPECT_EQ(ReadFile(dir / "all" / "comms.csv"), ReadFile(dir / "again" / "comms.csv"));
  EXPECT_NE(ReadFile(dir / "all" / "comms.csv"), ReadFile(dir / "classic" / "comms.csv"));
  // Shared and passed handsets: some handset carries SIMs of two owners.
  const Table truth = ReadTable(dir / "all" / "truth" / "selectors.csv");
  std::map<std::string, std::string> owner;
  for (const Row& row : truth.rows) owner[row.at("selector")] = row.at("person_id");
  const Table comms = ReadTable(dir / "all" / "comms.csv");
  std::map<std::string, std::set<std::string>> users;
  int64_t messages = 0;
  for (const Row& row : comms.rows) {
    if (row.at("kind") == "msg") ++messages;
    if (row.at("device").empty()) continue;
    auto src = owner.find(row.at("src"));
    if (src != owner.end()) users[row.at("device")].insert(src->second);
  }
  size_t shared = 0;
  for (const auto& [device, people] : users) shared += people.size() > 1;
  EXPECT_GT(shared, 0u);
  EXPECT_GT(messages, 0);
  // Timestamps still follow the contract.
  for (const Row& row : comms.rows) ASSERT_TRUE(Matches(row.at("time"), kTimePattern));
  fs::remove_all(dir);
}

TEST(SimFamiliesTest, UnknownFamilyIsRefusedByName) {
  SimulateOptions options;
  options.out_dir = (fs::temp_directory_path() / "vigil_sim_never_fam").string();
  options.families = "bursty,telepathy";
  const Status status = Simulate(options).status();
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("telepathy"), std::string::npos) << status.message();
}

// The training and held-out suites are disjoint, and random families are
// drawn from the seed (the same seed, the same families).
TEST(SimSuiteTest, TrainingAndHeldOutAreDisjoint) {
  auto training = EvaluationSuite("training");
  auto held_out = EvaluationSuite("held-out");
  ASSERT_TRUE(training.ok() && held_out.ok());
  ASSERT_FALSE(training->empty());
  ASSERT_FALSE(held_out->empty());
  for (const SuiteWorld& fit : *training) {
    for (const SuiteWorld& test : *held_out) EXPECT_NE(fit.seed, test.seed);
  }
  EXPECT_TRUE(EvaluationSuite("everything").status().IsNotFound());
}

class CountingProgress final : public Progress {
 public:
  void Start(std::string_view label, int64_t total, std::string_view unit) override {
    label_ = std::string(label);
    total_ = total;
    unit_ = std::string(unit);
  }
  void Update(int64_t done) override { last_ = done; }
  void Finish() override { finished_ = true; }
  std::string label_, unit_;
  int64_t total_ = 0, last_ = 0;
  bool finished_ = false;
};

TEST(SimProgressTest, ReportsDays) {
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_sim_progress_" + std::to_string(::getpid()));
  CountingProgress progress;
  SimulateOptions options;
  options.people = 100;
  options.days = 35;
  options.out_dir = dir.string();
  options.progress = &progress;
  ASSERT_TRUE(Simulate(options).ok());
  EXPECT_EQ(progress.label_, "simulate");
  EXPECT_EQ(progress.unit_, "days");
  EXPECT_EQ(progress.total_, 35);
  EXPECT_EQ(progress.last_, 35);
  EXPECT_TRUE(progress.finished_);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil
