// The entities of Vigil's data contract (shared/spec/formats.md, version 1), as
// plain value types, and the parsers/formatters for their scalar fields.
//
// Every record mirrors one row of an input file. Strings hold UTF-8 exactly as
// written (names are never altered on the way in). An empty optional/string
// means "unknown". Times are seconds since the Unix epoch, UTC.
#ifndef VIGIL_MODEL_H_
#define VIGIL_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/status.h"

namespace vigil {

// Seconds since 1970-01-01T00:00:00Z.
using UnixTime = int64_t;

// Free attributes: columns named x_* are kept as (name, value) pairs.
using Attributes = std::vector<std::pair<std::string, std::string>>;

// ---- Scalar fields -------------------------------------------------------

// Parses an ISO 8601 time with an explicit offset or Z
// ("2014-06-30T21:08:00Z", "2014-06-30T23:08:00+02:00", fractional seconds
// allowed and truncated). Returns InvalidArgument naming the rule otherwise.
// Cost: O(length of text).
Result<UnixTime> ParseTime(std::string_view text);
// Formats as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTime(UnixTime t);
// Parses a full date "YYYY-MM-DD" (checked against the calendar) to the
// midnight UTC that starts it.
Result<UnixTime> ParseDate(std::string_view text);
// Formats as "YYYY-MM-DD".
std::string FormatDate(UnixTime t);
// Checks a possibly partial birth date: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
Status ValidatePartialDate(std::string_view text);
// The earliest birth date a record may give: kMinBirthYear-01-01.
inline constexpr int kMinBirthYear = 1900;
// A possibly partial birth date (as ValidatePartialDate) that is also
// plausible: on or after kMinBirthYear-01-01 and not after the day of `now`
// (a partial date's first day counts). InvalidArgument naming the rule.
Status ValidateBirthDate(std::string_view text, UnixTime now);
// Checks an identifier against [A-Za-z0-9_.:-]{1,64}.
Status ValidateId(std::string_view text);
// Checks an ISO 3166-1 alpha-2 country code (two upper-case ASCII letters).
Status ValidateCountry(std::string_view text);
// Checks a travel origin/destination: a country code or an IATA airport code
// (three upper-case ASCII letters).
Status ValidatePlace(std::string_view text);

// ---- Selectors -----------------------------------------------------------

enum class SelectorKind : uint8_t {
  kMsisdn,
  kImsi,
  kImei,
  kEmail,
  kHandle,
  kIp,
  kPassport,
  kIdcard,
};
std::string_view SelectorKindName(SelectorKind kind);

// Checks that `text` is a well-formed selector "kind:value" per formats.md and
// returns its kind. Rules: msisdn "+" then 6..15 digits; imsi 6..15 digits;
// imei 14..16 digits; email local@domain; handle "<service>:<name>"; ip an
// IPv4 or IPv6 literal; passport/idcard "<ISO country>:<number>".
Result<SelectorKind> ParseSelector(std::string_view text);

// ---- Records -------------------------------------------------------------

enum class PersonStatus : uint8_t { kUnknown, kSubject, kAssociate };
std::string_view PersonStatusName(PersonStatus s);

struct Person {
  std::string person_id;
  std::string name;
  std::vector<std::string> aliases;
  std::string birth_date;   // "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::string nationality;  // ISO alpha-2 or ""
  PersonStatus status = PersonStatus::kUnknown;
  std::string compartment;
  std::string legal_basis;
  std::string review_by;  // "YYYY-MM-DD" or ""
  Attributes attributes;
};

struct SelectorRecord {
  std::string selector;
  std::string person_id;  // "" when the owner is unknown
  std::optional<UnixTime> first_seen;
  std::optional<UnixTime> last_seen;
  std::string source;
  Attributes attributes;
};

enum class CommKind : uint8_t { kUnknown, kCall, kSms, kMsg, kEmail };
std::string_view CommKindName(CommKind k);

struct Communication {
  UnixTime time = 0;
  std::string src;  // selector
  std::string dst;  // selector
  CommKind kind = CommKind::kUnknown;
  std::optional<int64_t> duration_s;
  std::string device;  // "imei:..." or ""
  std::string cell;    // location id or ""
  Attributes attributes;
};

struct TravelRecord {
  std::string record_id;
  UnixTime time = 0;
  std::string name;
  std::string birth_date;
  std::string document;  // selector or ""
  std::string nationality;
  std::string origin;
  std::string destination;
  std::string carrier;
  Attributes attributes;
};

struct CustodyRecord {
  std::string person_id;
  std::string facility;
  std::string start;  // "YYYY-MM-DD"
  std::string end;    // "YYYY-MM-DD" or "" while ongoing
  Attributes attributes;
};

enum class ReportCategory : uint8_t { kOther, kBehaviourChange, kContact, kTravel, kWeapon };
std::string_view ReportCategoryName(ReportCategory c);

struct Report {
  std::string report_id;
  UnixTime time = 0;
  std::string person_id;  // one of person_id / name is set
  std::string name;
  std::string source;
  ReportCategory category = ReportCategory::kOther;
  std::string text;
  Attributes attributes;
};

enum class Handling : uint8_t { kUnset, kRed, kAmber, kGreen, kClear };
std::string_view HandlingName(Handling h);

struct WatchlistEntry {
  std::string entry_id;
  std::string list;
  std::string name;
  std::vector<std::string> aliases;
  std::string birth_date;
  std::string nationality;
  std::string reason;
  std::string valid_until;  // "YYYY-MM-DD" or ""
  Handling handling = Handling::kUnset;
  Attributes attributes;
};

// Who owns a selector, with how much confidence and why. Attributions from
// selectors.csv are "source" attributions with confidence 1.
enum class AttributionState : uint8_t { kProposed, kConfirmed, kRejected, kSource };
std::string_view AttributionStateName(AttributionState s);

struct Attribution {
  std::string selector;
  std::string person_id;
  double confidence = 1.0;
  std::string evidence;
  AttributionState state = AttributionState::kSource;
  std::string decided_by;  // the analyst who confirmed/rejected, or ""
  std::optional<UnixTime> decided_at;
};

// Which kind of input file a record comes from.
enum class InputKind : uint8_t {
  kPersons,
  kSelectors,
  kComms,
  kTravel,
  kCustody,
  kReports,
  kWatchlist,
};
// "persons", "selectors", ... (the file's base name without extension).
std::string_view InputKindName(InputKind k);
// Recognises a file name such as "comms.csv" or "/a/b/persons.jsonl".
std::optional<InputKind> InputKindFromFileName(std::string_view file_name);

}  // namespace vigil

#endif  // VIGIL_MODEL_H_
