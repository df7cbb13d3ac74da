// IngestFile / IngestPaths against the real SQLite store.
#include "vigil/ingest.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "vigil/store.h"

namespace vigil {
namespace {

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigil-ingest-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(dir_ + "/vigil.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir_) / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  static std::string ReadText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  StoreCounts Counts() {
    Result<StoreCounts> counts = store_->Counts();
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? *counts : StoreCounts{};
  }
  void WritePersons(const std::string& folder) {
    Write(folder + "/persons.csv",
          "person_id,name,status,legal_basis,review_by\n"
          "P1,Ali Hassan,subject,warrant-1,2030-01-01\nP2,Omar,associate,,\n");
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

constexpr const char* kCommsHeader = "time,src,dst,kind,duration_s\n";
constexpr const char* kGoodComm =
    "2014-06-30T21:08:00Z,msisdn:+447700900001,msisdn:+447700900002,call,60\n";

TEST_F(IngestTest, WorldFolderIsReadInOrderAndTruthIgnored) {
  WritePersons("world");
  Write("world/comms.csv", std::string(kCommsHeader) + kGoodComm + kGoodComm);
  Write("world/selectors.csv", "selector,person_id\nmsisdn:+447700900001,P1\n");
  Write("world/truth/selectors.csv", "selector,person_id\nmsisdn:+447700900002,P2\n");
  Write("world/README.md", "not an input\n");
  std::vector<FileIngestResult> results;
  const Status status = IngestPaths(*store_, {dir_ + "/world"}, IngestOptions{}, &results);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].kind, InputKind::kPersons);
  EXPECT_EQ(results[1].kind, InputKind::kSelectors);
  EXPECT_EQ(results[2].kind, InputKind::kComms);
  EXPECT_EQ(results[2].rows_accepted, 2);
  const StoreCounts counts = Counts();
  EXPECT_EQ(counts.persons, 2);
  EXPECT_EQ(counts.comms, 2);
  EXPECT_EQ(counts.files, 3);
}

TEST_F(IngestTest, BadRowRejectsWholeFileAndStoreIsUnchanged) {
  WritePersons("w");
  ASSERT_TRUE(IngestPaths(*store_, {dir_ + "/w"}, IngestOptions{}, nullptr).ok());
  const StoreCounts before = Counts();
  const std::string path =
      Write("comms.csv", std::string(kCommsHeader) + kGoodComm +
                             "2014-06-30 21:08,msisdn:+1,x,call,1\n" + kGoodComm);
  const Result<FileIngestResult> result = IngestFile(*store_, path, IngestOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalidArgument());
  EXPECT_NE(result.status().message().find(
                path + ":3:1: column 'time': not an ISO 8601 time with an explicit offset or Z"),
            std::string::npos)
      << result.status().message();
  const StoreCounts after = Counts();
  EXPECT_EQ(after.comms, before.comms);
  EXPECT_EQ(after.files, before.files);
}

TEST_F(IngestTest, RejectionListsAtMostTheLimit) {
  std::string text = kCommsHeader;
  for (int i = 0; i < 5; ++i) text += "bad,msisdn:+447700900001,msisdn:+447700900002,,\n";
  const std::string path = Write("comms.csv", text);
  IngestOptions options;
  options.max_reported_errors = 2;
  const Result<FileIngestResult> result = IngestFile(*store_, path, options);
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();  // status() returns a copy
  EXPECT_NE(message.find("5 bad rows"), std::string::npos) << message;
  EXPECT_NE(message.find(":3:1:"), std::string::npos);
  EXPECT_EQ(message.find(":4:1:"), std::string::npos);
  EXPECT_NE(message.find("and 3 more"), std::string::npos);
}

TEST_F(IngestTest, QuarantineKeepsGoodRowsAndWritesBadOnes) {
  WritePersons("w");
  ASSERT_TRUE(IngestPaths(*store_, {dir_ + "/w"}, IngestOptions{}, nullptr).ok());
  const std::string path = Write("selectors.csv",
                                 "selector,person_id\n"
                                 "msisdn:+447700900001,P1\n"
                                 "msisdn:+1,P1\n"             // bad selector
                                 "imsi:234150999999999,P9\n"  // unknown person: a store error
                                 "\"imei:490154203237518\",P2\n");
  IngestOptions options;
  options.quarantine_path = dir_ + "/quarantine.csv";
  const Result<FileIngestResult> result = IngestFile(*store_, path, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_accepted, 2);
  EXPECT_EQ(result->rows_quarantined, 2);
  EXPECT_EQ(Counts().attributions, 2);
  const std::string quarantine = ReadText(options.quarantine_path);
  EXPECT_EQ(quarantine.substr(0, 26), "file,line,column,rule,raw\n");
  EXPECT_NE(quarantine.find(path + ",3,1,\"column 'selector': msisdn selector"), std::string::npos)
      << quarantine;
  EXPECT_NE(quarantine.find(path + ",4,2,column 'person_id': "), std::string::npos) << quarantine;
  EXPECT_NE(quarantine.find(",\"imsi:234150999999999,P9\"\n"), std::string::npos) << quarantine;
}

TEST_F(IngestTest, UnknownReferenceRejectsWithoutQuarantine) {
  const std::string path = Write("custody.csv", "person_id,facility,start\nP9,HMP X,2010-01-01\n");
  const Result<FileIngestResult> result = IngestFile(*store_, path, IngestOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalidArgument());
  EXPECT_NE(result.status().message().find(path + ":2:1: "), std::string::npos)
      << result.status().message();
  EXPECT_EQ(Counts().custody, 0);
}

TEST_F(IngestTest, SameFileTwiceAddsNothing) {
  const std::string path = Write("comms.csv", std::string(kCommsHeader) + kGoodComm);
  const Result<FileIngestResult> first = IngestFile(*store_, path, IngestOptions{});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->already_ingested);
  const Result<FileIngestResult> second = IngestFile(*store_, path, IngestOptions{});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->already_ingested);
  EXPECT_EQ(second->rows_accepted, 0);
  EXPECT_EQ(Counts().comms, 1);
  EXPECT_EQ(Counts().files, 1);
}

TEST_F(IngestTest, UnknownAndAttributeColumns) {
  const std::string bad = Write("a/persons.csv", "person_id,name,shoe_size\nP1,Ali,44\n");
  const Result<FileIngestResult> rejected = IngestFile(*store_, bad, IngestOptions{});
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find(bad + ":1:3: column 'shoe_size': unknown column"),
            std::string::npos)
      << rejected.status().message();
  const std::string good = Write("b/persons.csv", "person_id,name,x_shoe_size\nP1,Ali,44\n");
  ASSERT_TRUE(IngestFile(*store_, good, IngestOptions{}).ok());
  const Result<Person> person = store_->GetPerson("P1");
  ASSERT_TRUE(person.ok()) << person.status().ToString();
  EXPECT_EQ(person->attributes, (Attributes{{"x_shoe_size", "44"}}));
}

TEST_F(IngestTest, JsonlWorld) {
  Write("j/persons.jsonl",
        "{\"person_id\":\"P1\",\"name\":\"Ali\",\"aliases\":[\"Abu Ali\",\"علي\"]}\n");
  Write("j/comms.jsonl",
        "{\"time\":\"2014-06-30T23:08:00+02:00\",\"src\":\"msisdn:+447700900001\","
        "\"dst\":\"handle:telegram:abc\",\"duration_s\":12}\n\n");
  std::vector<FileIngestResult> results;
  const Status status = IngestPaths(*store_, {dir_ + "/j"}, IngestOptions{}, &results);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(results.size(), 2u);
  const Result<Person> person = store_->GetPerson("P1");
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->aliases, (std::vector<std::string>{"Abu Ali", "علي"}));
  EXPECT_EQ(Counts().comms, 1);

  const std::string bad = Write("k/comms.jsonl", "{\"time\":\"2014-06-30T23:08:00Z\",\"src\":1}\n");
  const Result<FileIngestResult> rejected = IngestFile(*store_, bad, IngestOptions{});
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find(bad + ":1:32: column 'src': must be a JSON string"),
            std::string::npos)
      << rejected.status().message();
}

TEST_F(IngestTest, ExpandRejectsUnknownNamesAndEmptyFolders) {
  const std::string odd = Write("odd.csv", "a\n");
  EXPECT_TRUE(ExpandIngestPaths({odd}).status().IsInvalidArgument());
  std::filesystem::create_directories(dir_ + "/empty");
  const Result<std::vector<std::string>> empty = ExpandIngestPaths({dir_ + "/empty"});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("holds no input file"), std::string::npos);
  EXPECT_FALSE(ExpandIngestPaths({dir_ + "/missing.csv"}).ok());
  const std::string truth = Write("t/truth/selectors.csv", "selector,person_id\n");
  EXPECT_FALSE(ExpandIngestPaths({truth}).ok());
}

TEST_F(IngestTest, StopsAtFirstFailingFileKeepingEarlierOnes) {
  WritePersons("w");
  Write("w/comms.csv", std::string(kCommsHeader) + "nope,,,,\n");
  std::vector<FileIngestResult> results;
  const Status status = IngestPaths(*store_, {dir_ + "/w"}, IngestOptions{}, &results);
  EXPECT_TRUE(status.IsInvalidArgument());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(Counts().persons, 2);
  EXPECT_EQ(Counts().comms, 0);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST_F(IngestTest, DuplicatePersonIdInOneFileIsAnErrorNamingTheFirst) {
  const std::string path = Write("persons.csv",
                                 "person_id,name,status\n"
                                 "P1,Ali Hassan,associate\n"
                                 "P2,Omar,associate\n"
                                 "P1,Someone Else,associate\n");
  const Result<FileIngestResult> result = IngestFile(*store_, path, IngestOptions{});
  ASSERT_FALSE(result.ok()) << "the second P1 would silently replace the first";
  EXPECT_NE(result.status().message().find(path +
                                           ":4:1: column 'person_id': 'P1' appears twice "
                                           "in this file; first at " +
                                           path + ":2:1"),
            std::string::npos)
      << result.status().message();
  EXPECT_EQ(Counts().persons, 0);
}

TEST_F(IngestTest, OversizedFieldsAreRefusedWithTheLimit) {
  const std::string huge(20 << 20, 'x');  // a 20 MiB name
  const std::string path =
      Write("persons.csv", "person_id,name,status\nP1," + huge + ",associate\n");
  const Result<FileIngestResult> result = IngestFile(*store_, path, IngestOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(path + ":2:2: column 'name': is 20971520 bytes, "
                                                  "longer than the limit of 4096 bytes"),
            std::string::npos)
      << result.status().message().substr(0, 400);
  EXPECT_EQ(Counts().persons, 0);
  const std::string alias(2000, 'y');
  const std::string aliases =
      Write("p2/persons.csv", "person_id,name,aliases,status\nP1,Ali," + alias + ",associate\n");
  const Result<FileIngestResult> long_alias = IngestFile(*store_, aliases, IngestOptions{});
  ASSERT_FALSE(long_alias.ok());
  EXPECT_NE(long_alias.status().message().find("longer than the limit of 1024 bytes"),
            std::string::npos)
      << long_alias.status().message().substr(0, 400);
}

TEST_F(IngestTest, ImplausibleBirthDatesAreRefused) {
  for (const std::string date : {"0000-01-01", "1899-12-31", "2999-01-01", "2999"}) {
    const std::string path =
        Write("b" + date + "/persons.csv",
              "person_id,name,birth_date,status\nP1,Ali," + date + ",associate\n");
    const Result<FileIngestResult> result = IngestFile(*store_, path, IngestOptions{});
    ASSERT_FALSE(result.ok()) << date;
    EXPECT_NE(result.status().message().find("column 'birth_date': "), std::string::npos)
        << result.status().message();
  }
  const std::string good = Write("good/persons.csv",
                                 "person_id,name,birth_date,status\n"
                                 "P1,Ali,1900-01-01,associate\nP2,Omar,1987-06,associate\n");
  const Result<FileIngestResult> result = IngestFile(*store_, good, IngestOptions{});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_accepted, 2);
}

TEST_F(IngestTest, QuarantineFileIsPrivateToItsOwner) {
  const std::string path = Write(
      "comms.csv", std::string(kCommsHeader) + kGoodComm + "bad,msisdn:+447700900001,x,call,1\n");
  IngestOptions options;
  options.quarantine_path = dir_ + "/quarantine.csv";
  // Even a file that exists with wider permissions becomes 0600.
  Write("quarantine.csv", "");
  ASSERT_EQ(::chmod(options.quarantine_path.c_str(), 0644), 0);
  const mode_t old_mask = ::umask(0);
  const Result<FileIngestResult> result = IngestFile(*store_, path, options);
  ::umask(old_mask);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  struct stat info {};
  ASSERT_EQ(::stat(options.quarantine_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // A new one too, whatever the umask.
  options.quarantine_path = dir_ + "/quarantine-new.csv";
  const mode_t open_mask = ::umask(0);
  const Result<FileIngestResult> again = IngestFile(
      *store_, Write("c2/comms.csv", std::string(kCommsHeader) + "bad,a,b,call,1\n"), options);
  ::umask(open_mask);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(::stat(options.quarantine_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace vigil
