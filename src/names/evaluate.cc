// Screening evaluation against a generated world's truth/travel_matches.csv:
// precision, recall and F1 of the (travel record, entry) pairs returned at
// the threshold, with score histograms and examples of false matches and
// misses.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "vigil/names.h"

namespace vigil {
namespace {

bool IsIdentifierChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

// The truth file is written by Vigil's own generator: identifiers only, so a
// plain comma split is exact; anything else is reported, not guessed at.
std::vector<std::string> SplitLine(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

Status CheckIdentifier(const std::string& path, size_t line, size_t column,
                       const std::string& value) {
  if (value.empty() || value.size() > 64 ||
      !std::all_of(value.begin(), value.end(), IsIdentifierChar)) {
    return Status::InvalidArgument(
        fmt::format("{}:{}:{}: identifier must match [A-Za-z0-9_.:-]{{1,64}}, got '{}'", path, line,
                    column, value));
  }
  return Status::Ok();
}

size_t Bin(double score) { return static_cast<size_t>(std::clamp(score, 0.0, 1.0) * 10.0); }

double Ratio(size_t part, size_t whole) {
  return whole == 0 ? 1.0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

Result<std::vector<ScreeningTruthPair>> ReadTravelMatchTruth(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::IOError("cannot read " + path);
  std::string line;
  if (!std::getline(file, line)) {
    return Status::InvalidArgument(path + ":1:1: missing header record_id,entry_id");
  }
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // BOM
  const std::vector<std::string> header = SplitLine(line);
  const auto record_column = std::find(header.begin(), header.end(), "record_id");
  const auto entry_column = std::find(header.begin(), header.end(), "entry_id");
  if (record_column == header.end() || entry_column == header.end()) {
    return Status::InvalidArgument(path + ":1:1: header must name record_id and entry_id");
  }
  const size_t record_index = static_cast<size_t>(record_column - header.begin());
  const size_t entry_index = static_cast<size_t>(entry_column - header.begin());
  std::vector<ScreeningTruthPair> pairs;
  size_t line_number = 1;
  while (std::getline(file, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> fields = SplitLine(line);
    if (fields.size() != header.size()) {
      return Status::InvalidArgument(fmt::format("{}:{}:1: expected {} fields, got {}", path,
                                                 line_number, header.size(), fields.size()));
    }
    VIGIL_RETURN_IF_ERROR(
        CheckIdentifier(path, line_number, record_index + 1, fields[record_index]));
    VIGIL_RETURN_IF_ERROR(CheckIdentifier(path, line_number, entry_index + 1, fields[entry_index]));
    pairs.push_back({fields[record_index], fields[entry_index]});
  }
  return pairs;
}

Result<ScreeningEvaluation> EvaluateScreening(const ScreeningIndex& index,
                                              const std::vector<TravelRecord>& travel,
                                              const std::vector<ScreeningTruthPair>& truth,
                                              const ScreeningOptions& options) {
  std::unordered_map<std::string, std::vector<std::string>> truth_by_record;
  truth_by_record.reserve(truth.size());
  for (const ScreeningTruthPair& pair : truth) {
    truth_by_record[pair.record_id].push_back(pair.entry_id);
  }
  ScreeningEvaluation evaluation;
  for (const TravelRecord& record : travel) {
    ++evaluation.records;
    std::vector<std::string> truly;
    if (auto found = truth_by_record.find(record.record_id); found != truth_by_record.end()) {
      truly = found->second;
      std::sort(truly.begin(), truly.end());
      truly.erase(std::unique(truly.begin(), truly.end()), truly.end());
    }
    evaluation.true_pairs += truly.size();
    Result<std::vector<ScreeningMatch>> matches =
        index.Screen({record.name, record.birth_date, record.nationality}, options);
    if (!matches.ok()) {
      ++evaluation.rejected;
      continue;
    }
    std::set<std::string> hit;
    for (const ScreeningMatch& match : *matches) {
      ++evaluation.predicted_pairs;
      const bool correct = std::binary_search(truly.begin(), truly.end(), match.entry_id);
      if (correct) {
        ++evaluation.true_positives;
        ++evaluation.true_scores[Bin(match.score)];
        hit.insert(match.entry_id);
      } else {
        ++evaluation.false_scores[Bin(match.score)];
        if (evaluation.false_matches.size() < kMaxEvalExamples) {
          evaluation.false_matches.push_back(
              {record.record_id, record.name, match.entry_id, match.score, match.explanation});
        }
      }
    }
    for (const std::string& entry_id : truly) {
      if (hit.count(entry_id) > 0 || evaluation.misses.size() >= kMaxEvalExamples) continue;
      evaluation.misses.push_back({record.record_id, record.name, entry_id, 0.0, ""});
    }
  }
  evaluation.precision = Ratio(evaluation.true_positives, evaluation.predicted_pairs);
  evaluation.recall = Ratio(evaluation.true_positives, evaluation.true_pairs);
  const double sum = evaluation.precision + evaluation.recall;
  evaluation.f1 = sum > 0.0 ? 2.0 * evaluation.precision * evaluation.recall / sum : 0.0;
  return evaluation;
}

}  // namespace vigil
