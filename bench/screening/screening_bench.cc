// screening_bench: the screening index on a generated list (issue 6, item 5).
//
// Generates N entries (default 1,000,000) with realistic name variety in
// Latin, Arabic and Cyrillic script, and Q queries (default 100,000): 80%
// variants of listed names (spelling, order, dropped middle name, typing
// error, other script), 20% unlisted names. Prints index build time and
// memory, queries/s on 1 and 2 threads, p50/p99 latency, recall of the index
// against the exhaustive pass with the same scorer, and, side by side, a
// brute-force Jaro-Winkler peer (python3-jellyfish) on a sample.
//
// Usage: screening_bench [entries] [queries] [brute-force sample] [peer sample]
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <unistd.h>
#include <algorithm>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "vigil/names.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kDefaultEntries = 1000000;
constexpr size_t kDefaultQueries = 100000;
constexpr size_t kDefaultBruteSample = 200;
constexpr size_t kDefaultPeerSample = 10;
constexpr double kVariantShare = 0.8;
constexpr double kMiddleNameShare = 0.5;
constexpr double kArabicShare = 0.10;
constexpr double kCyrillicShare = 0.05;
constexpr double kAliasShare = 0.3;

// Name vocabulary. Given and family name tokens come from the individuals
// of the public OFAC SDN list (names and aliases, "FAMILY, Given Middle"),
// with their observed frequencies; a long tail of generated names follows.
// Family names are drawn by a Zipf-Mandelbrot law over the ranked vocabulary
// (p(rank) ~ 1 / (rank + kFamilyZipfOffset)): the most common family name
// holds about 1% of the list, as in real populations, and the tail of
// kGeneratedFamilies generated names keeps most names rare. Given names keep
// their observed frequencies (muhammad, ali, mohammad, ahmad ... are very
// common) with kGeneratedGivenShare drawn from generated names.
constexpr size_t kGeneratedFamilies = 300000;
constexpr size_t kGeneratedGiven = 20000;
constexpr double kFamilyZipfOffset = 10.0;
constexpr double kGeneratedGivenShare = 0.10;
constexpr const char* kSdnDirectory = "/watchlists/ofac_sdn_2021-04/";

// Tokens that are particles or titles, not names, when standing alone.
const std::set<std::string> kNotNames = {"al",  "el",   "de",  "del", "la",  "le",  "bin", "ben",
                                         "ibn", "bint", "abu", "abd", "van", "von", "da",  "di",
                                         "du",  "dos",  "das", "y",   "e",   "dr.", "mr."};

// Splits one line of a comma-separated file with double-quoted fields.
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char letter : line) {
    if (letter == '"') {
      quoted = !quoted;
    } else if (letter == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(letter);
    }
  }
  return fields;
}

std::string Lower(std::string text) {
  for (char& letter : text) {
    if (letter >= 'A' && letter <= 'Z') letter = static_cast<char>(letter - 'A' + 'a');
  }
  return text;
}

// Adds the tokens of "FAMILY, Given Middle" to the two frequency tables.
void CountName(const std::string& name, std::map<std::string, size_t>* family,
               std::map<std::string, size_t>* given) {
  const size_t comma = name.find(',');
  if (comma == std::string::npos) return;
  auto count = [](const std::string& part, std::map<std::string, size_t>* table) {
    std::istringstream words(part);
    std::string word;
    while (words >> word) {
      word = Lower(word);
      const bool letters = std::all_of(word.begin(), word.end(), [](char letter) {
        return (letter >= 'a' && letter <= 'z') || letter == '-' || letter == '\'';
      });
      if (letters && word.size() >= 2 && kNotNames.count(word) == 0) ++(*table)[word];
    }
  };
  count(name.substr(0, comma), family);
  count(name.substr(comma + 1), given);
}

struct Vocabulary {
  std::vector<std::string> family;  // most frequent first
  std::vector<std::string> given;
  std::vector<double> given_weights;  // observed frequencies
};

std::vector<std::string> ByFrequency(const std::map<std::string, size_t>& table) {
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const auto& [token, count] : table) ranked.emplace_back(count, token);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& left, const auto& right) { return left.first > right.first; });
  std::vector<std::string> tokens;
  for (const auto& [count, token] : ranked) tokens.push_back(token);
  return tokens;
}

// Reads the OFAC SDN individuals (sdn.csv and their aliases in alt.csv).
// Empty tables when the files are missing.
Vocabulary ReadSdnVocabulary(const std::string& directory) {
  std::map<std::string, size_t> family;
  std::map<std::string, size_t> given;
  std::set<std::string> individuals;
  std::ifstream sdn(directory + "sdn.csv");
  std::string line;
  while (std::getline(sdn, line)) {
    const std::vector<std::string> fields = SplitCsvLine(line);
    if (fields.size() < 3 || fields[2] != "individual") continue;
    individuals.insert(fields[0]);
    CountName(fields[1], &family, &given);
  }
  std::ifstream alt(directory + "alt.csv");
  while (std::getline(alt, line)) {
    const std::vector<std::string> fields = SplitCsvLine(line);
    if (fields.size() >= 4 && individuals.count(fields[0]) > 0) {
      CountName(fields[3], &family, &given);
    }
  }
  Vocabulary vocabulary;
  vocabulary.family = ByFrequency(family);
  vocabulary.given = ByFrequency(given);
  for (const std::string& token : vocabulary.given) {
    vocabulary.given_weights.push_back(static_cast<double>(given[token]));
  }
  return vocabulary;
}

// Syllables of the generated long tail: consonant onsets (with digraphs of
// Arabic, Slavic, Turkic and Romance names), vowels and optional codas.
const std::vector<std::string> kOnsets = {"b",  "d",  "f",  "g",  "h", "j", "k",  "l",  "m",  "n",
                                          "p",  "r",  "s",  "t",  "v", "z", "kh", "sh", "ch", "gh",
                                          "th", "dz", "zh", "ts", "q", "y", "br", "tr", "st", "gr"};
const std::vector<std::string> kNuclei = {"a", "e", "i", "o", "u", "ou", "ai", "ia", "ei", "y"};
const std::vector<std::string> kCodas = {"", "", "", "n", "r", "l", "m", "s", "k", "v", "t", "z"};

struct Generator {
  std::mt19937_64 random{2024};
  std::unique_ptr<icu::Transliterator> to_arabic;
  std::unique_ptr<icu::Transliterator> to_cyrillic;

  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(random); }
  size_t Pick(size_t count) { return random() % count; }

  // Generated names of 2-3 syllables, distinct from each other; the same
  // seed gives the same names.
  std::vector<std::string> GeneratedNames(size_t count, size_t max_syllables,
                                          const std::set<std::string>& taken) {
    std::set<std::string> seen = taken;
    std::vector<std::string> names;
    while (names.size() < count) {
      std::string name;
      const size_t syllables = 2 + Pick(max_syllables - 1);
      for (size_t index = 0; index < syllables; ++index) {
        name += kOnsets[Pick(kOnsets.size())] + kNuclei[Pick(kNuclei.size())] +
                kCodas[Pick(kCodas.size())];
      }
      if (seen.insert(name).second) names.push_back(name);
    }
    return names;
  }

  // Builds the family ranking (observed tokens, then the generated tail) and
  // the given-name table.
  void Prepare(Vocabulary observed) {
    std::set<std::string> taken(observed.family.begin(), observed.family.end());
    taken.insert(observed.given.begin(), observed.given.end());
    family = std::move(observed.family);
    for (std::string& name : GeneratedNames(kGeneratedFamilies, 3, taken)) {
      family.push_back(std::move(name));
    }
    std::vector<double> weights;
    for (size_t rank = 0; rank < family.size(); ++rank) {
      weights.push_back(1.0 / (static_cast<double>(rank + 1) + kFamilyZipfOffset));
    }
    family_draw = std::discrete_distribution<size_t>(weights.begin(), weights.end());
    given = std::move(observed.given);
    given_draw = std::discrete_distribution<size_t>(observed.given_weights.begin(),
                                                    observed.given_weights.end());
    generated_given = GeneratedNames(kGeneratedGiven, 2, taken);
  }

  std::string FamilyName() { return family[family_draw(random)]; }
  std::string Given() {
    if (given.empty() || Uniform() < kGeneratedGivenShare) {
      return generated_given[Pick(generated_given.size())];
    }
    return given[given_draw(random)];
  }

  std::vector<std::string> family;
  std::discrete_distribution<size_t> family_draw;
  std::vector<std::string> given;
  std::discrete_distribution<size_t> given_draw;
  std::vector<std::string> generated_given;

  std::string Script(const std::string& name, icu::Transliterator& transliterator) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
    transliterator.transliterate(text);
    std::string out;
    text.toUTF8String(out);
    return out;
  }
  std::string MaybeOtherScript(const std::string& name) {
    const double draw = Uniform();
    if (draw < kArabicShare) return Script(name, *to_arabic);
    if (draw < kArabicShare + kCyrillicShare) return Script(name, *to_cyrillic);
    return name;
  }
  // A spelling variant: vowel change, doubled or dropped letter, or typo.
  std::string Respell(std::string token) {
    static const std::string kVowels = "aeiou";
    const size_t position = Pick(token.size());
    switch (Pick(4)) {
      case 0:
        for (char& letter : token) {
          if (kVowels.find(letter) != std::string::npos && Uniform() < 0.5) {
            letter = kVowels[Pick(kVowels.size())];
          }
        }
        break;
      case 1:
        token.insert(position, 1, token[position]);
        break;
      case 2:
        if (token.size() > 4) token.erase(position, 1);
        break;
      default:
        if (position + 1 < token.size()) std::swap(token[position], token[position + 1]);
        break;
    }
    return token;
  }
  std::string Variant(const std::vector<std::string>& tokens) {
    std::vector<std::string> out = tokens;
    if (out.size() == 3 && Uniform() < 0.5) out.erase(out.begin() + 1);  // drop middle
    for (std::string& token : out) {
      if (Uniform() < 0.5) token = Respell(token);
    }
    if (Uniform() < 0.3) std::swap(out.front(), out.back());
    std::string name;
    for (const std::string& token : out) name += (name.empty() ? "" : " ") + token;
    return Uniform() < 0.15 ? Script(name, *to_arabic) : name;
  }
};

std::string Join(const std::vector<std::string>& tokens) {
  std::string name;
  for (const std::string& token : tokens) name += (name.empty() ? "" : " ") + token;
  return name;
}

double Percentile(std::vector<double> values, double share) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(share * values.size()))];
}

// CPU seconds used by the calling thread: the machine is shared, so wall
// time alone overstates the cost when other jobs run.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// Runs `queries` on `threads` threads; returns elapsed seconds and fills
// per-query latencies (microseconds) when `latencies` is set, and the CPU
// seconds the workers used when `cpu_seconds` is set.
double RunQueries(const vigil::ScreeningIndex& index, const std::vector<std::string>& queries,
                  size_t threads, std::vector<double>* latencies, double* cpu_seconds = nullptr) {
  std::vector<double> cpu(threads, 0.0);
  vigil::ScreeningOptions options;
  options.top_k = 10;
  options.threshold = vigil::kDefaultScreeningThreshold;  // operational screening
  if (latencies != nullptr) latencies->assign(queries.size(), 0.0);
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (size_t worker = 0; worker < threads; ++worker) {
    workers.emplace_back([&, worker] {
      const double cpu_start = ThreadCpuSeconds();
      for (size_t query = worker; query < queries.size(); query += threads) {
        const auto begin = Clock::now();
        auto matches = index.Screen({queries[query], "", ""}, options);
        if (latencies != nullptr) (*latencies)[query] = Seconds(begin) * 1e6;
      }
      cpu[worker] = ThreadCpuSeconds() - cpu_start;
    });
  }
  for (std::thread& worker : workers) worker.join();
  if (cpu_seconds != nullptr) {
    *cpu_seconds = 0.0;
    for (double used : cpu) *cpu_seconds += used;
  }
  return Seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t entry_count = argc > 1 ? std::stoul(argv[1]) : kDefaultEntries;
  const size_t query_count = argc > 2 ? std::stoul(argv[2]) : kDefaultQueries;
  const size_t brute_sample = argc > 3 ? std::stoul(argv[3]) : kDefaultBruteSample;
  const size_t peer_sample = argc > 4 ? std::stoul(argv[4]) : kDefaultPeerSample;

  Generator generator;
  const std::string sdn_directory = std::string(VIGIL_DATA_DIR) + kSdnDirectory;
  Vocabulary observed = ReadSdnVocabulary(sdn_directory);
  if (observed.family.empty() || observed.given.empty()) {
    // Without the observed names the generated list would be syllables only,
    // and the figures would not be comparable with earlier runs.
    std::fprintf(stderr, "screening_bench: no individual names read from %ssdn.csv and alt.csv\n",
                 sdn_directory.c_str());
    return 2;
  }
  std::printf("vocabulary: %zu family and %zu given tokens from %s, plus %zu and %zu generated\n",
              observed.family.size(), observed.given.size(), sdn_directory.c_str(),
              kGeneratedFamilies, kGeneratedGiven);
  generator.Prepare(std::move(observed));
  UErrorCode error = U_ZERO_ERROR;
  generator.to_arabic.reset(
      icu::Transliterator::createInstance("Latin-Arabic", UTRANS_FORWARD, error));
  generator.to_cyrillic.reset(
      icu::Transliterator::createInstance("Latin-Cyrillic", UTRANS_FORWARD, error));
  if (U_FAILURE(error)) return 1;

  std::printf("generating %zu entries and %zu queries...\n", entry_count, query_count);
  std::vector<vigil::ScreeningEntry> entries;
  std::vector<std::vector<std::string>> tokens;
  std::set<std::string> scripts_seen;
  for (size_t index = 0; index < entry_count; ++index) {
    std::vector<std::string> name = {generator.Given()};
    if (generator.Uniform() < kMiddleNameShare) name.push_back(generator.Given());
    name.push_back(generator.FamilyName());
    vigil::ScreeningEntry entry;
    entry.entry_id = "W" + std::to_string(index);
    entry.names.push_back(generator.MaybeOtherScript(Join(name)));
    if (generator.Uniform() < kAliasShare) entry.names.push_back(generator.Variant(name));
    entries.push_back(std::move(entry));
    tokens.push_back(std::move(name));
  }
  std::vector<std::string> queries;
  for (size_t index = 0; index < query_count; ++index) {
    if (generator.Uniform() < kVariantShare) {
      queries.push_back(generator.Variant(tokens[generator.Pick(tokens.size())]));
    } else {
      queries.push_back(generator.Given() + " " + generator.FamilyName());
    }
  }

  auto created = vigil::NewScreeningIndex();
  if (!created.ok()) return 1;
  vigil::ScreeningIndex& index = **created;
  const size_t rss_before = ResidentBytes();
  const double build_cpu_start = ProcessCpuSeconds();
  auto start = Clock::now();
  for (const vigil::ScreeningEntry& entry : entries) {
    if (!index.Add(entry).ok()) std::fprintf(stderr, "rejected %s\n", entry.entry_id.c_str());
  }
  const double build_seconds = Seconds(start);
  const double build_cpu = ProcessCpuSeconds() - build_cpu_start;
  const size_t rss_after = ResidentBytes();
  std::printf("\nindex: %zu entries built in %.2f s wall, %.2f s CPU (%.0f entries/CPU-s)\n",
              index.EntryCount(), build_seconds, build_cpu, entry_count / build_cpu);
  std::printf("index memory: %.1f MiB (ApproximateMemoryUsage), RSS growth %.1f MiB\n",
              index.ApproximateMemoryUsage() / 1048576.0, (rss_after - rss_before) / 1048576.0);

  std::vector<double> latencies;
  RunQueries(index,
             std::vector<std::string>(queries.begin(),
                                      queries.begin() + std::min<size_t>(1000, queries.size())),
             1, nullptr);  // warm-up (thread-local scratch)
  double one_cpu = 0.0;
  const double one_thread = RunQueries(index, queries, 1, &latencies, &one_cpu);
  std::printf(
      "1 thread : %zu queries in %.2f s wall = %.0f queries/s; %.2f CPU-s = %.0f queries per "
      "CPU-second; latency (wall) p50 %.1f us, p99 %.1f us\n",
      queries.size(), one_thread, queries.size() / one_thread, one_cpu, queries.size() / one_cpu,
      Percentile(latencies, 0.5), Percentile(latencies, 0.99));
  double two_cpu = 0.0;
  const double two_threads = RunQueries(index, queries, 2, nullptr, &two_cpu);
  std::printf("2 threads: %zu queries in %.2f s wall = %.0f queries/s (%.2f CPU-s)\n",
              queries.size(), two_threads, queries.size() / two_threads, two_cpu);

  // Recall of the index against the exhaustive pass with the same scorer:
  // of the entries the exhaustive pass returns at or above the default
  // threshold (top 10), the share the index also returns.
  size_t relevant = 0;
  size_t found = 0;
  size_t top1_same = 0;
  size_t top1_total = 0;
  start = Clock::now();
  for (size_t sample = 0; sample < std::min(brute_sample, queries.size()); ++sample) {
    vigil::ScreeningOptions options;
    options.threshold = vigil::kDefaultScreeningThreshold;
    auto indexed = index.Screen({queries[sample], "", ""}, options);
    options.exhaustive = true;
    auto exhaustive = index.Screen({queries[sample], "", ""}, options);
    if (!indexed.ok() || !exhaustive.ok()) continue;
    for (const auto& truth : *exhaustive) {
      ++relevant;
      for (const auto& match : *indexed) found += match.entry_id == truth.entry_id;
    }
    if (!exhaustive->empty()) {
      ++top1_total;
      top1_same += !indexed->empty() && (*indexed)[0].entry_id == (*exhaustive)[0].entry_id;
    }
  }
  const double brute_seconds = Seconds(start);
  const size_t brute_queries = std::min(brute_sample, queries.size());
  std::printf(
      "recall vs exhaustive (same scorer, matches >= %.2f, %zu queries): %.4f "
      "(%zu of %zu); same top-1 %.4f\n",
      vigil::kDefaultScreeningThreshold, brute_queries,
      relevant ? static_cast<double>(found) / relevant : 1.0, found, relevant,
      top1_total ? static_cast<double>(top1_same) / top1_total : 1.0);
  std::printf("exhaustive Vigil scorer: %.2f queries/s (1 thread, incl. the indexed pass)\n",
              brute_queries / brute_seconds);

  // Peer: python3-jellyfish brute-force Jaro-Winkler on a sample.
  const std::string list_path = "/tmp/screening_bench_list.txt";
  const std::string query_path = "/tmp/screening_bench_queries.txt";
  {
    std::ofstream list(list_path);
    for (const auto& entry : entries) list << entry.names[0] << '\n';
    std::ofstream sample(query_path);
    for (size_t query = 0; query < std::min(peer_sample, queries.size()); ++query) {
      sample << queries[query] << '\n';
    }
  }
  const std::string command = std::string("/usr/bin/python3 ") + VIGIL_BENCH_DIR +
                              "/jellyfish_peer.py " + list_path + " " + query_path;
  std::printf("peer: %s\n", command.c_str());
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  char line[256] = {};
  double peer_qps = 0.0;
  if (pipe != nullptr && fgets(line, sizeof(line), pipe.get()) != nullptr) {
    std::printf("peer: %s", line);
    const char* qps = std::strstr(line, "qps ");
    if (qps != nullptr) peer_qps = std::atof(qps + 4);
  }
  if (peer_qps > 0.0) {
    std::printf("ratio: Vigil index 1 thread / jellyfish brute force = %.0fx\n",
                (queries.size() / one_thread) / peer_qps);
  }
  return 0;
}
