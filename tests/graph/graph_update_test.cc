// AddContacts: a graph updated in place answers exactly as one built from
// all the contacts at once.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "vigil/graph.h"
#include "vigil/ingest.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace vigil {
namespace {

std::vector<TimedContact> RandomContacts(std::mt19937& random, size_t count, NodeId nodes,
                                         UnixTime from) {
  std::vector<TimedContact> contacts;
  for (size_t i = 0; i < count; ++i) {
    auto a = static_cast<NodeId>(random() % nodes), b = static_cast<NodeId>(random() % nodes);
    auto kind = static_cast<uint8_t>(1u << (random() % 4));
    contacts.push_back(TimedContact{a, b, from + static_cast<UnixTime>(random() % 1000), kind});
  }
  return contacts;
}

std::vector<std::string> Labels(size_t from, size_t to) {
  std::vector<std::string> labels;
  for (size_t i = from; i < to; ++i) labels.push_back("p" + std::to_string(i * 7919 % 1000));
  return labels;
}

// Same nodes, labels, neighbour lists, and per tie the same kinds and times.
void ExpectSameGraph(const Graph& updated, const Graph& built) {
  ASSERT_EQ(updated.node_count(), built.node_count());
  ASSERT_EQ(updated.edge_count(), built.edge_count());
  ASSERT_EQ(updated.contact_count(), built.contact_count());
  EXPECT_EQ(updated.latest_contact(), built.latest_contact());
  for (NodeId v = 0; v < built.node_count(); ++v) {
    ASSERT_EQ(updated.Label(v), built.Label(v));
    ASSERT_EQ(*updated.Find(built.Label(v)), v);
    EXPECT_EQ(updated.IsSelector(v), built.IsSelector(v)) << v;
    auto got = updated.Neighbours(v), want = built.Neighbours(v);
    ASSERT_EQ(std::vector<NodeId>(got.begin(), got.end()),
              std::vector<NodeId>(want.begin(), want.end()))
        << "node " << v;
    for (size_t i = 0; i < want.size(); ++i) {
      EdgeId e = updated.IncidentEdges(v)[i], f = built.IncidentEdges(v)[i];
      EXPECT_EQ(updated.EdgeKinds(e), built.EdgeKinds(f));
      auto t = updated.EdgeContacts(e), u = built.EdgeContacts(f);
      ASSERT_EQ(std::vector<UnixTime>(t.begin(), t.end()),
                std::vector<UnixTime>(u.begin(), u.end()))
          << v << "-" << want[i];
    }
  }
}

TEST(GraphUpdateTest, AddedDaysEqualOneBuild) {
  std::mt19937 random(7);
  const size_t nodes = 60;
  std::vector<TimedContact> all = RandomContacts(random, 400, 40, 0);
  std::vector<uint8_t> flags(nodes, 0);
  for (size_t v = 0; v < nodes; v += 5) flags[v] = 1;
  auto graph =
      BuildGraph(Labels(0, 40), all, {}, std::vector<uint8_t>(flags.begin(), flags.begin() + 40));
  ASSERT_TRUE(graph.ok());
  // Three "days": old ties, new ties, and ten new nodes on the second day.
  for (int day = 1; day <= 3; ++day) {
    size_t before = graph->node_count();
    size_t after = day == 2 ? nodes : before;
    auto more = RandomContacts(random, 150, static_cast<NodeId>(after), day * 1000 - 500);
    all.insert(all.end(), more.begin(), more.end());
    ASSERT_TRUE(AddContacts(*graph, more, Labels(before, after),
                            std::vector<uint8_t>(flags.begin() + before, flags.begin() + after))
                    .ok());
    auto built = BuildGraph(Labels(0, after), all, {},
                            std::vector<uint8_t>(flags.begin(), flags.begin() + after));
    ASSERT_TRUE(built.ok());
    ExpectSameGraph(*graph, *built);
  }
}

TEST(GraphUpdateTest, UnlabelledGraphGrowsAndEmptyGraphStarts) {
  std::mt19937 random(11);
  Graph graph;
  std::vector<TimedContact> all;
  for (int day = 0; day < 4; ++day) {
    auto more = RandomContacts(random, 100, static_cast<NodeId>(20 + 10 * day), day * 1000);
    all.insert(all.end(), more.begin(), more.end());
    ASSERT_TRUE(AddContacts(graph, more).ok());
    auto built = BuildGraph({}, all);
    ASSERT_TRUE(built.ok());
    ExpectSameGraph(graph, *built);
  }
}

TEST(GraphUpdateTest, BadUpdatesLeaveTheGraphUnchanged) {
  auto graph = BuildGraph({"a", "b", "c"}, {{0, 1, 5}, {1, 2, 6}});
  ASSERT_TRUE(graph.ok());
  EXPECT_TRUE(AddContacts(*graph, {{0, 3, 9}}).IsInvalidArgument());  // no node 3
  EXPECT_TRUE(AddContacts(*graph, {}, {"b"}).IsInvalidArgument());    // label exists
  EXPECT_TRUE(AddContacts(*graph, {}, {"d", "d"}).IsInvalidArgument());
  auto numeric = BuildGraph({}, {{0, 1, 1}});
  EXPECT_TRUE(AddContacts(*numeric, {}, {"x"}).IsInvalidArgument());
  EXPECT_EQ(graph->node_count(), 3u);
  EXPECT_EQ(graph->edge_count(), 2u);
  EXPECT_EQ(graph->contact_count(), 2u);
  // A good update after the refusals.
  ASSERT_TRUE(AddContacts(*graph, {{3, 0, 7}, {1, 0, 4}, {2, 2, 1}}, {"d"}).ok());
  EXPECT_EQ(graph->edge_count(), 3u);
  EXPECT_EQ(graph->EdgeContactCount(graph->IncidentEdges(0)[0]), 2u);  // a-b: 4, 5
  EXPECT_EQ(graph->EdgeFirst(graph->IncidentEdges(0)[0]), 4);
  EXPECT_EQ(*graph->Find("d"), 3u);
  EXPECT_EQ(graph->Neighbours(0).back(), 3u);
}

// Every tie of `full` (by its endpoints' labels) with the same kinds and
// contact times in `updated`, and the same node set.
void ExpectSameByLabel(const Graph& updated, const Graph& full) {
  ASSERT_EQ(updated.node_count(), full.node_count());
  EXPECT_EQ(updated.edge_count(), full.edge_count());
  EXPECT_EQ(updated.contact_count(), full.contact_count());
  EXPECT_EQ(updated.latest_contact(), full.latest_contact());
  for (NodeId v = 0; v < full.node_count(); ++v) {
    auto u = updated.Find(full.Label(v));
    ASSERT_TRUE(u.ok()) << full.Label(v);
    EXPECT_EQ(updated.IsSelector(*u), full.IsSelector(v)) << full.Label(v);
    ASSERT_EQ(updated.Degree(*u), full.Degree(v)) << full.Label(v);
    for (size_t i = 0; i < full.Degree(v); ++i) {
      const EdgeId e = full.IncidentEdges(v)[i];
      const NodeId w = *updated.Find(full.Label(full.Neighbours(v)[i]));
      auto at = std::lower_bound(updated.Neighbours(*u).begin(), updated.Neighbours(*u).end(), w);
      ASSERT_TRUE(at != updated.Neighbours(*u).end() && *at == w) << full.Label(v);
      const EdgeId f = updated.IncidentEdges(*u)[at - updated.Neighbours(*u).begin()];
      EXPECT_EQ(updated.EdgeKinds(f), full.EdgeKinds(e));
      auto x = updated.EdgeContacts(f), y = full.EdgeContacts(e);
      EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << full.Label(v);
    }
  }
}

// A graph built from the store, then updated after a new ingest, equals one
// built afresh from everything (communications only); the update reads only
// the new rows (its high-water mark moves to the last one).
TEST(GraphUpdateTest, UpdateAfterNewIngestEqualsFreshBuild) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_update_" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto put = [&](InputKind kind, char hash, auto&& records) {
    auto writer = (*store)->BeginIngest(SourceFile{"x", std::string(64, hash), kind, 1});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& r : records) ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  };
  put(InputKind::kPersons, 'a',
      std::vector<Person>{{"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}});
  put(InputKind::kSelectors, 'b',
      std::vector<SelectorRecord>{{"msisdn:+441000001", "alice"},
                                  {"msisdn:+441000002", "alice"},
                                  {"msisdn:+441000003", "bob"},
                                  {"msisdn:+441000004", "carol"}});
  // Day 1: alice-bob twice.
  put(InputKind::kComms, 'c',
      std::vector<Communication>{{100, "msisdn:+441000001", "msisdn:+441000003", CommKind::kCall},
                                 {200, "msisdn:+441000002", "msisdn:+441000003", CommKind::kSms}});
  StoreGraphOptions options;
  options.custody = options.co_travel = options.reports = false;
  auto graph = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->contact_count(), 2u);
  const int64_t day_one_row = graph->store_comm_row();
  EXPECT_GT(day_one_row, 0);
  // Day 2: a new person and number; alice-bob again, bob-carol (a new tie),
  // carol with a number nobody owns (a new selector node), dave with alice,
  // and one contact of day 1 arriving late (still added: rows, not times).
  put(InputKind::kPersons, 'd', std::vector<Person>{{"dave", "Dave"}});
  put(InputKind::kSelectors, 'e', std::vector<SelectorRecord>{{"msisdn:+441000005", "dave"}});
  put(InputKind::kComms, 'f',
      std::vector<Communication>{{90000, "msisdn:+441000003", "msisdn:+441000001", CommKind::kCall},
                                 {90100, "msisdn:+441000003", "msisdn:+441000004", CommKind::kCall},
                                 {90200, "msisdn:+441000004", "msisdn:+449999999", CommKind::kSms},
                                 {90300, "msisdn:+441000005", "msisdn:+441000002", CommKind::kSms},
                                 {150, "msisdn:+441000001", "msisdn:+441000004", CommKind::kSms}});
  auto added = UpdateGraphFromStore(**store, *graph, options);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 5u);
  EXPECT_GT(graph->store_comm_row(), day_one_row);
  auto full = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(graph->store_comm_row(), full->store_comm_row());
  ExpectSameByLabel(*graph, *full);
  NodeId alice = *graph->Find("alice");
  EXPECT_EQ(graph->EdgeContactCount(graph->IncidentEdges(alice)[0]), 3u);  // alice-bob
  // Nothing new: nothing added, nothing changes.
  auto again = UpdateGraphFromStore(**store, *graph, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  ExpectSameByLabel(*graph, *full);
  fs::remove_all(dir);
}

// The time window of the options applies to updates as to builds.
TEST(GraphUpdateTest, UpdateKeepsTheWindow) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_window_" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto put = [&](InputKind kind, char hash, auto&& records) {
    auto writer = (*store)->BeginIngest(SourceFile{"x", std::string(64, hash), kind, 1});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& r : records) ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  };
  put(InputKind::kPersons, 'a', std::vector<Person>{{"alice", "Alice"}, {"bob", "Bob"}});
  put(InputKind::kSelectors, 'b',
      std::vector<SelectorRecord>{{"msisdn:+441000001", "alice"}, {"msisdn:+441000003", "bob"}});
  put(InputKind::kComms, 'c',
      std::vector<Communication>{{100, "msisdn:+441000001", "msisdn:+441000003", CommKind::kCall}});
  StoreGraphOptions options;
  options.custody = options.co_travel = options.reports = false;
  options.from = 50;
  options.to = 1000;
  auto graph = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(graph.ok());
  put(InputKind::kComms, 'd',
      std::vector<Communication>{
          {10, "msisdn:+441000001", "msisdn:+441000003", CommKind::kCall},
          {500, "msisdn:+441000003", "msisdn:+441000001", CommKind::kCall},
          {5000, "msisdn:+441000003", "msisdn:+441000001", CommKind::kCall}});
  auto added = UpdateGraphFromStore(**store, *graph, options);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 1u);  // only 500 is inside [50, 1000)
  EXPECT_EQ(graph->contact_count(), 2u);
  fs::remove_all(dir);
}

// A generated world ingested in two steps (everything with the first half
// of comms.csv, then the second half as a new file): build after the first,
// update after the second, and the graph equals a fresh build of both.
TEST(GraphUpdateTest, GeneratedWorldUpdateEqualsFreshBuild) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_world_update_" + std::to_string(getpid()));
  fs::remove_all(dir);
  SimulateOptions sim;
  sim.out_dir = (dir / "world").string();
  sim.people = 400;
  sim.days = 60;
  sim.seed = 5;
  ASSERT_TRUE(Simulate(sim).ok());
  // Split comms.csv: the first half stays in the world, the rest moves to
  // a second folder.
  const fs::path comms = dir / "world" / "comms.csv";
  std::vector<std::string> lines;
  {
    std::ifstream in(comms);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  ASSERT_GT(lines.size(), 100u);
  const size_t half = lines.size() / 2;
  fs::create_directories(dir / "later");
  {
    std::ofstream first(comms, std::ios::trunc), second(dir / "later" / "comms.csv");
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i == 0 || i < half) first << lines[i] << '\n';
      if (i == 0 || i >= half) second << lines[i] << '\n';
    }
  }
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(IngestPaths(**store, {(dir / "world").string()}, IngestOptions{}, nullptr).ok());
  StoreGraphOptions options;
  options.custody = options.co_travel = options.reports = false;
  auto graph = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(graph.ok());
  const size_t contacts_before = graph->contact_count();
  ASSERT_TRUE(IngestPaths(**store, {(dir / "later").string()}, IngestOptions{}, nullptr).ok());
  auto added = UpdateGraphFromStore(**store, *graph, options);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_GT(*added, 0u);
  EXPECT_EQ(graph->contact_count(), contacts_before + *added);
  auto full = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(full.ok());
  ExpectSameByLabel(*graph, *full);
  fs::remove_all(dir);
}

// Co-travel is one departure, not one UTC day: two passengers of a flight
// leaving around midnight are tied, two of the same route ten hours apart
// are not, and a departure with more known passengers than a cell (a full
// flight) ties no pair of them.
TEST(GraphCoTravelTest, DeparturesNotUtcDaysAndNoCliqueOfAFullFlight) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_cotravel_" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto put = [&](InputKind kind, char hash, auto&& records) {
    auto writer = (*store)->BeginIngest(SourceFile{"x", std::string(64, hash), kind, 1});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& r : records) ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  };
  constexpr UnixTime kMidnight = 86400 * 100;
  std::vector<Person> people;
  std::vector<SelectorRecord> documents;
  std::vector<TravelRecord> travel;
  auto traveller = [&](const std::string& id, UnixTime time, const std::string& route_to) {
    if (std::none_of(people.begin(), people.end(),
                     [&](const Person& p) { return p.person_id == id; })) {
      people.push_back({id, id});
      documents.push_back({"passport:FR:" + id, id});
    }
    TravelRecord record;
    record.record_id = "T" + std::to_string(travel.size());
    record.time = time;
    record.name = id;
    record.document = "passport:FR:" + id;
    record.origin = "CDG";
    record.destination = route_to;
    record.carrier = "AF";
    travel.push_back(record);
  };
  traveller("ana", kMidnight - 1800, "IST");   // 23:30 UTC
  traveller("ben", kMidnight + 1200, "IST");   // 00:20 UTC, the next day
  traveller("cat", kMidnight + 36000, "IST");  // ten hours later
  for (int seat = 0; seat < 14; ++seat) {
    traveller("full" + std::to_string(seat), kMidnight + 5 * 86400 + seat * 60, "JFK");
  }
  put(InputKind::kPersons, 'a', people);
  put(InputKind::kSelectors, 'b', documents);
  put(InputKind::kTravel, 'c', travel);
  StoreGraphOptions options;
  options.custody = options.reports = false;
  auto graph = BuildGraphFromStore(**store, options);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  auto tied = [&](const std::string& a, const std::string& b) {
    auto from = graph->Find(a);
    auto to = graph->Find(b);
    if (!from.ok() || !to.ok()) return false;
    for (NodeId v : graph->Neighbours(*from)) {
      if (v == *to) return true;
    }
    return false;
  };
  EXPECT_TRUE(tied("ana", "ben"));
  EXPECT_FALSE(tied("ana", "cat"));
  EXPECT_FALSE(tied("ben", "cat"));
  EXPECT_FALSE(tied("full0", "full1"));
  EXPECT_FALSE(tied("full3", "full13"));
  fs::remove_all(dir);
}

// Shared handset, a store option: two persons whose SIMs sent from one
// handset are tied only with the option on, and the tie names the handset
// and when each used it; one person's two SIMs in it are one user; a
// handset of more than kMaxHandsetUsers users ties nobody. An update (a
// new user of the old handset) equals a fresh build.
TEST(GraphUpdateTest, SharedHandsetTieOnlyWithTheOptionWithItsEvidence) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_handset_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto put = [&](InputKind kind, char hash, auto&& records) {
    auto writer = (*store)->BeginIngest(SourceFile{"x", std::string(64, hash), kind, 1});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& r : records) ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  };
  std::vector<Person> people = {
      {"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}, {"erin", "Erin"}};
  std::vector<SelectorRecord> sims = {{"msisdn:+441000001", "alice"},
                                      {"msisdn:+441000006", "alice"},
                                      {"msisdn:+441000002", "bob"},
                                      {"msisdn:+441000003", "carol"},
                                      {"msisdn:+441000004", "erin"}};
  auto comm = [](UnixTime time, const std::string& src, const std::string& device) {
    Communication c;
    c.time = time;
    c.src = src;
    c.dst = "msisdn:+441000003";  // everyone calls carol
    c.kind = CommKind::kCall;
    c.device = device;
    return c;
  };
  // Alice's two SIMs and, later, Bob's in handset A; Erin alone in B; nine
  // people in a kiosk's handset K.
  std::vector<Communication> comms = {comm(100, "msisdn:+441000001", "imei:356938035643809"),
                                      comm(150, "msisdn:+441000006", "imei:356938035643809"),
                                      comm(5000, "msisdn:+441000002", "imei:356938035643809"),
                                      comm(200, "msisdn:+441000004", "imei:490154203237518")};
  for (int i = 0; i < static_cast<int>(kMaxHandsetUsers) + 1; ++i) {
    const std::string id = "kiosk" + std::to_string(i);
    people.push_back({id, id});
    const std::string sim = "msisdn:+44200000" + std::to_string(10 + i);
    sims.push_back({sim, id});
    comms.push_back(comm(300 + i, sim, "imei:012345678901237"));
  }
  put(InputKind::kPersons, 'a', people);
  put(InputKind::kSelectors, 'b', sims);
  put(InputKind::kComms, 'c', comms);
  StoreGraphOptions off;
  off.custody = off.co_travel = off.reports = false;
  StoreGraphOptions on = off;
  on.shared_handset = true;

  auto edge = [](const Graph& g, const std::string& a,
                 const std::string& b) -> std::optional<EdgeId> {
    auto from = g.Find(a);
    auto to = g.Find(b);
    if (!from.ok() || !to.ok()) return std::nullopt;
    auto targets = g.Neighbours(*from);
    auto at = std::lower_bound(targets.begin(), targets.end(), *to);
    if (at == targets.end() || *at != *to) return std::nullopt;
    return g.IncidentEdges(*from)[at - targets.begin()];
  };
  auto without = BuildGraphFromStore(**store, off);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_FALSE(edge(*without, "alice", "bob").has_value());
  for (EdgeId e = 0; e < without->edge_count(); ++e) {
    EXPECT_EQ(without->EdgeKinds(e) & kEdgeHandset, 0) << e;
    EXPECT_TRUE(without->EdgeHandsets(e).empty()) << e;
  }

  auto with = BuildGraphFromStore(**store, on);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  auto tie = edge(*with, "alice", "bob");
  ASSERT_TRUE(tie.has_value()) << "no alice-bob tie with the option on";
  EXPECT_EQ(with->EdgeKinds(*tie), kEdgeHandset);
  ASSERT_EQ(with->EdgeContactCount(*tie), 1u);
  EXPECT_EQ(with->EdgeFirst(*tie), 5000);  // when Bob was first seen in it
  ASSERT_EQ(with->EdgeHandsets(*tie).size(), 1u);
  const HandsetUse& use = with->EdgeHandsets(*tie)[0];
  EXPECT_EQ(use.device, "imei:356938035643809");
  const bool alice_is_a = with->Label(use.a) == "alice";
  EXPECT_EQ(with->Label(alice_is_a ? use.b : use.a), "bob");
  EXPECT_LT(use.a, use.b);
  EXPECT_EQ(alice_is_a ? use.a_first : use.b_first, 100);
  EXPECT_EQ(alice_is_a ? use.a_last : use.b_last, 150);
  EXPECT_EQ(alice_is_a ? use.a_count : use.b_count, 2u);
  EXPECT_EQ(alice_is_a ? use.b_first : use.a_first, 5000);
  EXPECT_EQ(alice_is_a ? use.b_count : use.a_count, 1u);
  // Erin's handset has one user (her call to Carol is a call tie only);
  // the kiosk's has too many.
  for (const char* other : {"alice", "bob", "carol"}) {
    auto e = edge(*with, "erin", other);
    if (e.has_value()) {
      EXPECT_EQ(with->EdgeKinds(*e) & kEdgeHandset, 0) << other;
    }
  }
  EXPECT_FALSE(edge(*with, "kiosk0", "kiosk1").has_value());
  // Same ties otherwise: the option adds only handset ties.
  EXPECT_EQ(with->edge_count(), without->edge_count() + 1);

  // Later: Dave's SIM in handset A (a new user of an old handset) and Bob
  // again. The update equals a fresh build, evidence included.
  put(InputKind::kPersons, 'd', std::vector<Person>{{"dave", "Dave"}});
  put(InputKind::kSelectors, 'e', std::vector<SelectorRecord>{{"msisdn:+441000005", "dave"}});
  put(InputKind::kComms, 'f',
      std::vector<Communication>{comm(90000, "msisdn:+441000005", "imei:356938035643809"),
                                 comm(91000, "msisdn:+441000002", "imei:356938035643809")});
  auto added = UpdateGraphFromStore(**store, *with, on);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_GT(*added, 0u);
  auto full = BuildGraphFromStore(**store, on);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(with->store_comm_row(), full->store_comm_row());
  ExpectSameByLabel(*with, *full);
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"alice", "bob"}, {"alice", "dave"}, {"bob", "dave"}}) {
    auto e = edge(*with, a, b);
    auto f = edge(*full, a, b);
    ASSERT_TRUE(e.has_value() && f.has_value()) << a << "-" << b;
    ASSERT_EQ(with->EdgeHandsets(*e).size(), 1u) << a << "-" << b;
    ASSERT_EQ(full->EdgeHandsets(*f).size(), 1u);
    const HandsetUse& x = with->EdgeHandsets(*e)[0];
    const HandsetUse& y = full->EdgeHandsets(*f)[0];
    EXPECT_EQ(x.device, y.device);
    EXPECT_EQ(with->Label(x.a), full->Label(y.a));
    EXPECT_EQ(with->Label(x.b), full->Label(y.b));
    EXPECT_EQ(std::tie(x.a_first, x.a_last, x.a_count, x.b_first, x.b_last, x.b_count),
              std::tie(y.a_first, y.a_last, y.a_count, y.b_first, y.b_last, y.b_count));
  }
  // Bob's use now runs to 91000; the alice-dave tie dates from Dave's first use.
  auto alice_dave = edge(*with, "alice", "dave");
  EXPECT_EQ(with->EdgeFirst(*alice_dave), 90000);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil
