// The dossier's watch-list name index (lookup.h): on a generated world with
// entries that name persons in other case and spacing, the indexed dossier
// lists exactly the entries the scanning one does, and the index is a
// snapshot that a rebuild brings up to date.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "vigil/ingest.h"
#include "vigil/lookup.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace vigil {
namespace {

std::string Shouted(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "  " + name + "   ";
}

std::vector<std::string> EntryIds(const Dossier& dossier) {
  std::vector<std::string> ids;
  for (const WatchlistEntry& entry : dossier.watchlist) ids.push_back(entry.entry_id);
  return ids;
}

class WatchlistIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-lookup-index-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    SimulateOptions sim;
    sim.out_dir = (dir_ / "world").string();
    sim.seed = 7;
    sim.people = 300;
    sim.days = 30;
    ASSERT_TRUE(Simulate(sim).ok());
    auto store = OpenSqliteStore((dir_ / "vigil.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    std::vector<FileIngestResult> results;
    Status ingested = IngestPaths(*store_, {sim.out_dir}, IngestOptions{}, &results);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
    ASSERT_TRUE(store_
                    ->ScanPersons([this](const Person& p) {
                      persons_.push_back(p);
                      return true;
                    })
                    .ok());
    ASSERT_GE(persons_.size(), 3u);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Commits `entries` as one source file.
  void AddEntries(const std::string& hash, const std::vector<WatchlistEntry>& entries) {
    SourceFile file;
    file.path = hash;
    file.content_hash = hash;
    file.kind = InputKind::kWatchlist;
    auto writer = store_->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const WatchlistEntry& entry : entries) ASSERT_TRUE((*writer)->Put(entry).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(entries.size())).ok());
  }

  static WatchlistEntry Entry(std::string id, std::string name, std::vector<std::string> aliases) {
    WatchlistEntry entry;
    entry.entry_id = std::move(id);
    entry.list = "TEST";
    entry.name = std::move(name);
    entry.aliases = std::move(aliases);
    entry.handling = Handling::kAmber;
    return entry;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<Person> persons_;
};

TEST_F(WatchlistIndex, IndexedDossierListsTheEntriesTheScanFinds) {
  const Person& named = persons_[0];
  const Person& aliased = persons_[1];
  AddEntries("extra-entries", {Entry("X-NAME", Shouted(named.name), {}),
                               Entry("X-ALIAS", "Nobody Anyone", {Shouted(aliased.name)}),
                               Entry("X-NONE", "Nobody Anyone", {"No One"})});
  auto index = WatchlistNameIndex::Build(*store_);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_GT(index->name_count(), 0u);
  int with_entries = 0;
  for (const Person& person : persons_) {
    auto scanned = LoadDossier(*store_, person.person_id);
    auto indexed = LoadDossier(*store_, person.person_id, *index);
    ASSERT_TRUE(scanned.ok() && indexed.ok()) << person.person_id;
    EXPECT_EQ(EntryIds(*indexed), EntryIds(*scanned)) << person.person_id;
    with_entries += indexed->watchlist.empty() ? 0 : 1;
  }
  EXPECT_GE(with_entries, 2);
  auto first = LoadDossier(*store_, named.person_id, *index);
  ASSERT_TRUE(first.ok());
  const auto first_ids = EntryIds(*first);
  EXPECT_NE(std::find(first_ids.begin(), first_ids.end(), "X-NAME"), first_ids.end());
  auto second = LoadDossier(*store_, aliased.person_id, *index);
  ASSERT_TRUE(second.ok());
  const auto second_ids = EntryIds(*second);
  EXPECT_NE(std::find(second_ids.begin(), second_ids.end(), "X-ALIAS"), second_ids.end());
  EXPECT_TRUE(LoadDossier(*store_, "NO-SUCH-PERSON", *index).status().IsNotFound());
}

TEST_F(WatchlistIndex, IsASnapshotThatARebuildAndTheGenerationTrack) {
  const Person& person = persons_[2];
  auto before = store_->IngestGeneration();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  auto index = WatchlistNameIndex::Build(*store_);
  ASSERT_TRUE(index.ok());
  AddEntries("late-entry", {Entry("X-LATE", person.name, {})});
  auto after = store_->IngestGeneration();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(*after, *before);
  auto stale = LoadDossier(*store_, person.person_id, *index);
  ASSERT_TRUE(stale.ok());
  const auto stale_ids = EntryIds(*stale);
  EXPECT_EQ(std::find(stale_ids.begin(), stale_ids.end(), "X-LATE"), stale_ids.end());
  auto rebuilt = WatchlistNameIndex::Build(*store_);
  ASSERT_TRUE(rebuilt.ok());
  auto fresh = LoadDossier(*store_, person.person_id, *rebuilt);
  ASSERT_TRUE(fresh.ok());
  const auto fresh_ids = EntryIds(*fresh);
  EXPECT_NE(std::find(fresh_ids.begin(), fresh_ids.end(), "X-LATE"), fresh_ids.end());
}

}  // namespace
}  // namespace vigil
