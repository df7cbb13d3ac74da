#include "names/un_eval.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "names/normalize.h"
#include "names/score.h"
#include "names/transliterate.h"

namespace vigil::names_eval {
namespace {

constexpr size_t kTopK = 10;

struct Record {
  std::string id;
  std::map<std::string, std::string> fields;
  std::vector<std::string> aliases;
  bool individual = false;  // an INDIVIDUAL record (else an ENTITY)
};

struct ParserState {
  std::vector<Record> records;
  bool in_record = false;
  std::string text;
  std::string alias;
};

bool IsRecord(const std::string& name) { return name == "INDIVIDUAL" || name == "ENTITY"; }

void OnStart(void* data, const XML_Char* name, const XML_Char** /*attributes*/) {
  auto* state = static_cast<ParserState*>(data);
  const std::string element(name);
  if (IsRecord(element)) {
    state->records.emplace_back();
    state->records.back().individual = element == "INDIVIDUAL";
    state->in_record = true;
  }
  state->text.clear();
}

std::string Trim(const std::string& text) {
  size_t start = 0;
  size_t end = text.size();
  while (start < end && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(start, end - start);
}

void OnEnd(void* data, const XML_Char* name) {
  auto* state = static_cast<ParserState*>(data);
  const std::string element(name);
  if (IsRecord(element)) {
    state->in_record = false;
  } else if (state->in_record) {
    Record& record = state->records.back();
    const std::string value = Trim(state->text);
    if (element == "ALIAS_NAME") {
      if (!value.empty()) record.aliases.push_back(value);
    } else if (!value.empty() && record.fields.count(element) == 0) {
      record.fields[element] = value;
    }
  }
  state->text.clear();
}

void OnText(void* data, const XML_Char* text, int length) {
  static_cast<ParserState*>(data)->text.append(text, length);
}

Result<std::vector<Record>> ParseXml(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IOError("cannot read " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string bytes = buffer.str();
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                      &XML_ParserFree);
  ParserState state;
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  if (XML_Parse(parser.get(), bytes.data(), static_cast<int>(bytes.size()), 1) ==
      XML_STATUS_ERROR) {
    return Status::Corruption(path + ": " + XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  return std::move(state.records);
}

std::string ListedName(const Record& record) {
  std::string name;
  for (const char* field : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
    auto found = record.fields.find(field);
    if (found == record.fields.end()) continue;
    if (!name.empty()) name += ' ';
    name += found->second;
  }
  return name;
}

// The words of a name folded to lower-case ASCII, split on spaces only: the
// split of the queries into kinds must not depend on the parsing and keying
// rules under test, so that a change of those rules is measured on the same
// queries. Empty when the name cannot be folded.
std::vector<std::string> PlainWords(const std::string& name) {
  thread_local std::unique_ptr<names::Transliterator> transliterator;
  if (transliterator == nullptr) {
    auto created = names::Transliterator::Create();
    if (!created.ok()) return {};
    transliterator = std::move(*created);
  }
  std::string folded;
  bool transliterated = false;
  if (!names::ValidateName(name).ok() ||
      !names::FoldToAscii(name, *transliterator, &folded, &transliterated).ok()) {
    return {};
  }
  std::vector<std::string> words;
  std::istringstream stream(folded);
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

bool IsSpelling(const std::vector<std::string>& alias, const std::vector<std::string>& listed) {
  if (alias.empty()) return false;
  size_t spelled = 0;
  for (const std::string& token : alias) {
    for (const std::string& listed_token : listed) {
      if (names::JaroWinkler(token, listed_token) >= kSpellingSimilarity) {
        ++spelled;
        break;
      }
    }
  }
  return 2 * spelled >= alias.size();
}

size_t Bin(double score) {
  return std::min(kScoreBins, static_cast<size_t>(std::max(0.0, score) * kScoreBins));
}

struct Ranked {
  std::string entry_id;
  double score = 0.0;
};

void Tally(const UnQuery& query, const std::vector<Ranked>& ranked, EvalFigures* figures) {
  KindFigures& kind = figures->kinds[static_cast<size_t>(query.kind)];
  KindFigures* individual =
      query.individual ? &figures->individuals[static_cast<size_t>(query.kind)] : nullptr;
  ++kind.queries;
  if (individual != nullptr) ++individual->queries;
  double true_score = 0.0;
  double false_score = 0.0;
  for (size_t rank = 0; rank < ranked.size(); ++rank) {
    if (ranked[rank].entry_id == query.entry_id) {
      if (rank == 0) ++kind.hit_at_1;
      if (rank < kTopK) ++kind.hit_at_10;
      if (individual != nullptr && rank == 0) ++individual->hit_at_1;
      if (individual != nullptr && rank < kTopK) ++individual->hit_at_10;
      true_score = std::max(true_score, ranked[rank].score);
    } else {
      false_score = std::max(false_score, ranked[rank].score);
    }
  }
  if (query.kind == QueryKind::kOtherAlias) return;
  ++figures->true_scores[Bin(true_score)];
  ++figures->false_scores[Bin(false_score)];
}

std::string LowerAscii(const std::string& text) {
  std::string lower = text;
  for (char& letter : lower)
    letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  return lower;
}

}  // namespace

const char* QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kSpelling:
      return "spelling-variant aliases";
    case QueryKind::kOriginalScript:
      return "original-script names";
    case QueryKind::kOtherAlias:
      return "other aliases (different names)";
  }
  return "?";
}

namespace {

// Adds one listed name and its aliases to `dataset`; false when the listed
// name fails normalisation (the record is then left out).
bool AddRecord(const std::string& id, const std::string& listed,
               const std::vector<std::string>& aliases, bool individual, NameNormalizer& normalizer,
               UnDataset* dataset) {
  Result<NormalizedName> listed_normalized = normalizer.Normalize(listed);
  if (!listed_normalized.ok()) return false;
  dataset->entries.push_back({id, {listed}, "", ""});
  const std::vector<std::string> listed_words = PlainWords(listed);
  for (const std::string& alias : aliases) {
    const bool spelling = IsSpelling(PlainWords(alias), listed_words);
    dataset->queries.push_back(
        {alias, id, spelling ? QueryKind::kSpelling : QueryKind::kOtherAlias, individual});
  }
  return true;
}

// Splits one line of a comma-separated file with double-quoted fields and
// trims each field; OFAC's empty marker "-0-" becomes "".
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char letter : line) {
    if (letter == '"') {
      quoted = !quoted;
    } else if (letter == ',' && !quoted) {
      fields.emplace_back();
    } else if (letter != '\r') {
      fields.back().push_back(letter);
    }
  }
  for (std::string& field : fields) {
    field = Trim(field);
    if (field == "-0-") field.clear();
  }
  return fields;
}

}  // namespace

Result<UnDataset> LoadUnList(const std::string& path, NameNormalizer& normalizer) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Record> records, ParseXml(path));
  UnDataset dataset;
  for (const Record& record : records) {
    auto id = record.fields.find("DATAID");
    const std::string listed = ListedName(record);
    if (id == record.fields.end() || listed.empty()) continue;
    const bool individual = record.individual;
    if (!AddRecord(id->second, listed, record.aliases, individual, normalizer, &dataset)) continue;
    auto original = record.fields.find("NAME_ORIGINAL_SCRIPT");
    if (original != record.fields.end()) {
      dataset.queries.push_back(
          {original->second, id->second, QueryKind::kOriginalScript, individual});
    }
  }
  return dataset;
}

Result<UnDataset> LoadOfacList(const std::string& primary_csv, const std::string& alias_csv,
                               NameNormalizer& normalizer) {
  std::ifstream primary(primary_csv);
  if (!primary) return Status::IOError("cannot read " + primary_csv);
  std::ifstream alias(alias_csv);
  if (!alias) return Status::IOError("cannot read " + alias_csv);
  constexpr size_t kNameField = 1;
  constexpr size_t kTypeField = 2;
  constexpr size_t kAliasNameField = 3;
  struct Listed {
    std::string name;
    bool individual = false;
    std::vector<std::string> aliases;
  };
  std::map<std::string, Listed> listed;
  std::vector<std::string> order;
  std::string line;
  while (std::getline(primary, line)) {
    const std::vector<std::string> fields = SplitCsvLine(line);
    if (fields.size() <= kTypeField || fields[0].empty() || fields[kNameField].empty()) continue;
    const std::string& type = fields[kTypeField];
    if (type == "vessel" || type == "aircraft") continue;
    if (listed.count(fields[0]) > 0) continue;
    listed[fields[0]] = {fields[kNameField], type == "individual", {}};
    order.push_back(fields[0]);
  }
  while (std::getline(alias, line)) {
    const std::vector<std::string> fields = SplitCsvLine(line);
    if (fields.size() <= kAliasNameField || fields[kAliasNameField].empty()) continue;
    auto found = listed.find(fields[0]);
    if (found != listed.end()) found->second.aliases.push_back(fields[kAliasNameField]);
  }
  UnDataset dataset;
  for (const std::string& id : order) {
    const Listed& record = listed[id];
    AddRecord(id, record.name, record.aliases, record.individual, normalizer, &dataset);
  }
  return dataset;
}

EvalFigures Evaluate(const ScreeningIndex& index, const UnDataset& dataset, bool exhaustive) {
  EvalFigures figures;
  ScreeningOptions options;
  options.top_k = kTopK;
  options.exhaustive = exhaustive;
  for (const UnQuery& query : dataset.queries) {
    Result<std::vector<ScreeningMatch>> matches = index.Screen({query.name, "", ""}, options);
    std::vector<Ranked> ranked;
    if (!matches.ok()) {
      ++figures.kinds[static_cast<size_t>(query.kind)].rejected;
      if (query.individual) ++figures.individuals[static_cast<size_t>(query.kind)].rejected;
    } else {
      for (const ScreeningMatch& match : *matches) ranked.push_back({match.entry_id, match.score});
    }
    Tally(query, ranked, &figures);
  }
  return figures;
}

EvalFigures EvaluateNaiveJaroWinkler(const UnDataset& dataset) {
  EvalFigures figures;
  std::vector<std::string> listed;
  for (const ScreeningEntry& entry : dataset.entries) listed.push_back(LowerAscii(entry.names[0]));
  for (const UnQuery& query : dataset.queries) {
    const std::string name = LowerAscii(query.name);
    std::vector<Ranked> ranked;
    for (size_t index = 0; index < listed.size(); ++index) {
      ranked.push_back({dataset.entries[index].entry_id, names::JaroWinkler(name, listed[index])});
    }
    const size_t keep = std::min(kTopK, ranked.size());
    std::partial_sort(
        ranked.begin(), ranked.begin() + keep, ranked.end(),
        [](const Ranked& left, const Ranked& right) { return left.score > right.score; });
    ranked.resize(keep);
    Tally(query, ranked, &figures);
  }
  return figures;
}

}  // namespace vigil::names_eval
