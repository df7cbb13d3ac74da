#include "sim/comms.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "sim/alias_table.h"
#include "sim/cells.h"
#include "sim/civil_time.h"
#include "sim/selectors.h"

namespace vigil::sim {
namespace {

enum class Kind : uint8_t { kCall, kSms, kMsg, kEmail };
constexpr std::string_view kKindNames[] = {"call", "sms", "msg", "email"};

// Rhythm: relative activity per hour (UTC ~ local) and per weekday.
constexpr std::array<double, 24> kWeekdayHours = {0.15, 0.08, 0.05, 0.04, 0.05, 0.15, 0.5, 1.0,
                                                  1.4,  1.5,  1.5,  1.5,  1.7,  1.5,  1.4, 1.4,
                                                  1.5,  1.7,  1.8,  1.7,  1.5,  1.2,  0.8, 0.4};
constexpr std::array<double, 24> kWeekendHours = {0.4, 0.3, 0.2, 0.1, 0.05, 0.05, 0.1, 0.3,
                                                  0.6, 1.0, 1.3, 1.5, 1.6,  1.5,  1.4, 1.4,
                                                  1.4, 1.5, 1.6, 1.6, 1.5,  1.3,  1.0, 0.7};
constexpr std::array<double, 7> kWeekdayFactor = {1.0, 1.0, 1.0, 1.0, 1.05, 0.85, 0.7};
constexpr int kSaturday = 5;
constexpr int kFirstWorkHour = 9;
constexpr int kLastWorkHour = 17;
// Whom a person calls.
constexpr double kInboundHubShare = 0.04;
constexpr double kStrangerShare = 0.03;
constexpr double kContactSkew = 2.0;  // u^skew favours the first (family) contacts
constexpr double kHubSkew = 2.0;      // a few hubs take most hub calls
// How.
constexpr double kMsgShare = 0.3;
constexpr double kCovertMsgShare = 0.6;
constexpr double kEmailShare = 0.05;
constexpr double kCallShare = 0.65;  // of call + sms
constexpr double kCallMinSeconds = 20;
constexpr double kCallTail = 1.3;
constexpr double kMaxCallSeconds = 7200;
constexpr double kDeviceKnownShare = 0.85;
constexpr double kMessengerDeviceKnownShare = 0.5;
// Where.
constexpr double kAtWorkShare = 0.8;
constexpr double kAtHomeShare = 0.85;
constexpr int kNearbyCells = 5;
constexpr int kCellIdDigits = 5;
// Covert behaviour by phase: activity multiplier and share of calls inside
// the cell and to the recruiter.
constexpr double kActiveFactor = 1.0;
constexpr double kDormantFactor = 0.35;
constexpr double kReactivatedFactor = 3.0;
constexpr double kActiveInsideShare = 0.25;
constexpr double kReactivatedInsideShare = 0.35;
constexpr double kReactivatedRecruiterShare = 0.1;
constexpr double kActiveRecruiterShare = 0.03;
// Call centres.
constexpr double kOutboundCallsPerHubDay = 150;
// The behaviour families' own random stream (sim/behaviour.h).
constexpr uint64_t kBehaviourStream = 77;
constexpr double kDaysPerYear = 365.25;
constexpr double kTwoPi = 6.283185307179586;

struct Burst {
  uint32_t person = 0;
  int last_day = 0;
};

struct Event {
  uint64_t order = 0;  // second of day << 32 | sequence: a total, deterministic order
  uint32_t src = 0;
  uint32_t dst = 0;
  uint32_t cell = 0;
  // Resolved when the event is made, while the people are in cache, so that
  // writing the sorted day does not touch people again.
  uint32_t src_msisdn = 0;
  uint32_t dst_msisdn = 0;
  uint32_t imei = 0;
  uint8_t src_residence = 0;
  uint8_t dst_residence = 0;
  uint16_t duration = 0;
  Kind kind = Kind::kCall;
  bool device_known = false;
};

class DayGenerator {
 public:
  DayGenerator(const World& world, Rng rng, CsvWriter* out)
      : world_(world),
        rng_(rng),
        behaviour_rng_(rng.Fork(kBehaviourStream)),
        out_(out),
        background_(BackgroundWeights(world)) {
    for (uint32_t index = 0; index < world.people.size(); ++index) {
      const Role role = world.people[index].role;
      if (role == Role::kOrdinary || role == Role::kRecruiter) background_people_.push_back(index);
    }
  }

  void Run(int day) {
    events_.clear();
    day_ = day;
    const int weekday = Weekday(world_.start_day + day);
    hours_ = weekday >= kSaturday ? kWeekendHours.data() : kWeekdayHours.data();
    weekend_ = weekday >= kSaturday;
    const Behaviour& behaviour = world_.behaviour;
    double season = 1;
    if (behaviour.Has(kBursty)) {
      season += behaviour.seasonal_amplitude *
                std::sin(kTwoPi * day / kDaysPerYear + behaviour.seasonal_phase);
    }
    const int64_t count = rng_.Poisson(background_.total() * kWeekdayFactor[weekday] * season);
    for (int64_t event = 0; event < count; ++event) {
      const uint32_t src = background_people_[background_.Draw(rng_)];
      Add(src, PickCounterpart(src), false);
    }
    if (behaviour.Has(kBursty)) BurstDay(day);
    outage_ = behaviour.Has(kPartialFeeds) && behaviour_rng_.Chance(behaviour.outage_day_share);
    for (uint32_t hub : world_.outbound_hubs) CallCentreDay(hub);
    for (const Cell& cell : world_.cells) CellDay(cell, day, weekday);
    std::sort(events_.begin(), events_.end(),
              [](const Event& left, const Event& right) { return left.order < right.order; });
    Write(day);
  }

 private:
  static std::vector<double> BackgroundWeights(const World& world) {
    std::vector<double> weights;
    for (const Person& person : world.people) {
      if (person.role == Role::kOrdinary || person.role == Role::kRecruiter) {
        weights.push_back(person.rate);
      }
    }
    return weights;
  }

  // Ordinary bursts: a party, a move, a family event; a few days of many
  // calls to one's own contacts.
  void BurstDay(int day) {
    const Behaviour& behaviour = world_.behaviour;
    const int64_t starts = behaviour_rng_.Poisson(static_cast<double>(background_people_.size()) *
                                                  behaviour.burst_start_rate);
    for (int64_t start = 0; start < starts; ++start) {
      const uint32_t person = RandomPerson();
      const int length = static_cast<int>(behaviour_rng_.Between(1, behaviour.burst_max_days));
      bursts_.push_back({person, day + length - 1});
    }
    for (const Burst& burst : bursts_) {
      const int64_t events = behaviour_rng_.Poisson(behaviour.burst_events_per_day);
      for (int64_t event = 0; event < events; ++event) {
        Add(burst.person, PickCounterpart(burst.person), false);
      }
    }
    std::erase_if(bursts_, [day](const Burst& burst) { return burst.last_day <= day; });
  }

  uint32_t RandomPerson() { return background_people_[rng_.Below(background_people_.size())]; }

  uint32_t PickCounterpart(uint32_t src) {
    const double draw = rng_.Unit();
    const auto& hubs = world_.inbound_hubs;
    if (draw < kInboundHubShare && !hubs.empty()) {
      return hubs[static_cast<size_t>(hubs.size() * std::pow(rng_.Unit(), kHubSkew))];
    }
    const uint32_t first = world_.contact_offsets[src];
    const uint32_t degree = world_.contact_offsets[src + 1] - first;
    uint32_t dst = src;
    if (draw >= kInboundHubShare + kStrangerShare && degree > 0) {
      dst = world_.contacts[first +
                            static_cast<uint32_t>(degree * std::pow(rng_.Unit(), kContactSkew))];
    }
    while (dst == src) dst = RandomPerson();
    return dst;
  }

  Kind PickKind(const Person& src, const Person& dst, bool covert) {
    if (covert && (src.messenger_only || dst.messenger_only) && src.handle_seq != kNone &&
        dst.handle_seq != kNone && (src.cell != kNone || dst.cell != kNone) &&
        (src.cell == dst.cell || src.role == Role::kRecruiter || dst.role == Role::kRecruiter)) {
      return Kind::kMsg;
    }
    if (src.handle_seq != kNone && dst.handle_seq != kNone &&
        rng_.Chance(covert ? kCovertMsgShare : kMsgShare)) {
      return Kind::kMsg;
    }
    if (src.email_seq != kNone && dst.email_seq != kNone && rng_.Chance(kEmailShare)) {
      return Kind::kEmail;
    }
    return rng_.Chance(kCallShare) ? Kind::kCall : Kind::kSms;
  }

  int PickHour() { return static_cast<int>(rng_.Weighted({hours_, kWeekdayHours.size()})); }

  uint32_t PickCell(const Person& person, int hour) {
    const bool working = !weekend_ && hour >= kFirstWorkHour && hour <= kLastWorkHour;
    if (working && rng_.Chance(kAtWorkShare)) return person.work_cell;
    if (rng_.Chance(kAtHomeShare)) return person.home_cell;
    const uint32_t nearby = person.home_cell + static_cast<uint32_t>(rng_.Below(kNearbyCells));
    return nearby % std::max<uint32_t>(1, world_.location_cells);
  }

  void Add(uint32_t src, uint32_t dst, bool covert) {
    const int hour = PickHour();
    AddAt(src, dst, covert,
          hour * kSecondsPerHour + static_cast<int64_t>(rng_.Below(kSecondsPerHour)));
  }

  // False (and nothing added) when either end is away (holiday, prison).
  bool AddAt(uint32_t src, uint32_t dst, bool covert, int64_t second_of_day) {
    if (world_.AwayOn(src, day_) || world_.AwayOn(dst, day_)) return false;
    const Person& from = world_.people[src];
    if (world_.behaviour.Has(kNoisyTimes)) {
      const double noise = behaviour_rng_.Gaussian() * world_.behaviour.time_noise_seconds;
      second_of_day = std::clamp<int64_t>(second_of_day + static_cast<int64_t>(std::lround(noise)),
                                          0, kSecondsPerDay - 1);
    }
    Event event;
    event.order = (static_cast<uint64_t>(second_of_day) << 32) | events_.size();
    event.src = src;
    event.dst = dst;
    const Person& to = world_.people[dst];
    event.kind = PickKind(from, to, covert);
    const SimEpoch& src_epoch = world_.EpochOn(src, day_);
    event.src_msisdn = src_epoch.msisdn_seq;
    event.imei = src_epoch.imei_seq;
    event.dst_msisdn = world_.EpochOn(dst, day_).msisdn_seq;
    event.src_residence = from.residence;
    event.dst_residence = to.residence;
    if (event.kind == Kind::kCall) {
      event.duration = static_cast<uint16_t>(
          std::min(kMaxCallSeconds, kCallMinSeconds * rng_.Pareto(kCallTail)));
    }
    event.cell = PickCell(from, static_cast<int>(second_of_day / kSecondsPerHour));
    event.device_known =
        event.kind != Kind::kEmail &&
        rng_.Chance(event.kind == Kind::kMsg ? kMessengerDeviceKnownShare : kDeviceKnownShare);
    events_.push_back(event);
    return true;
  }

  void CallCentreDay(uint32_t hub) {
    const int64_t calls = rng_.Poisson(kOutboundCallsPerHubDay);
    for (int64_t call = 0; call < calls; ++call) Add(hub, RandomPerson(), false);
  }

  void CellDay(const Cell& cell, int day, int weekday) {
    const CellPhase phase = PhaseOn(cell, day);
    const double factor = phase == CellPhase::kDormant       ? kDormantFactor
                          : phase == CellPhase::kReactivated ? kReactivatedFactor
                                                             : kActiveFactor;
    const double inside = phase == CellPhase::kDormant       ? 0.0
                          : phase == CellPhase::kReactivated ? kReactivatedInsideShare
                                                             : kActiveInsideShare;
    const double recruiter = phase == CellPhase::kDormant       ? 0.0
                             : phase == CellPhase::kReactivated ? kReactivatedRecruiterShare
                                                                : kActiveRecruiterShare;
    for (size_t slot = 0; slot < cell.members.size(); ++slot) {
      const uint32_t member = cell.members[slot];
      const double mean = world_.people[member].rate * factor * kWeekdayFactor[weekday];
      const int64_t count = rng_.Poisson(mean);
      for (int64_t event = 0; event < count; ++event) {
        Add(member, CovertCounterpart(cell, slot, inside, recruiter), true);
      }
      if (!cell.activation_seconds.empty()) MaybeActivate(cell, slot, day);
    }
  }

  uint32_t CovertCounterpart(const Cell& cell, size_t slot, double inside, double recruiter) {
    const Behaviour& behaviour = world_.behaviour;
    const uint32_t member = cell.members[slot];
    if (behaviour.Has(kSharedContacts) && !world_.hangouts.empty() &&
        behaviour_rng_.Chance(behaviour.hangout_share)) {
      return world_.hangouts[behaviour_rng_.Below(world_.hangouts.size())];
    }
    // A burner with no overlap: after the first SIM, only mates and the recruiter.
    if (world_.people[member].isolated_burner && inside > 0 &&
        &world_.EpochOn(member, day_) != &world_.epochs[world_.people[member].first_epoch]) {
      inside = std::min(1.0, inside / (inside + recruiter));
      recruiter = 1.0 - inside;
    }
    const double draw = rng_.Unit();
    if (draw < inside) {
      size_t mate = rng_.Below(cell.members.size() - 1);
      if (mate >= slot) ++mate;
      return cell.members[mate];
    }
    if (draw < inside + recruiter && cell.recruiter != kNone) {
      return static_cast<uint32_t>(cell.recruiter);
    }
    return PickCounterpart(cell.members[slot]);
  }

  // The member's first contact of the new phase: the recruiter if the cell
  // has one, else a cell mate, at the time written to truth/activations.csv.
  void MaybeActivate(const Cell& cell, size_t slot, int day) {
    const int64_t when = cell.activation_seconds[slot] - world_.DayStartSeconds(day);
    if (when < 0 || when >= kSecondsPerDay) return;
    const uint32_t member = cell.members[slot];
    const uint32_t dst = cell.recruiter != kNone ? static_cast<uint32_t>(cell.recruiter)
                                                 : cell.members[(slot + 1) % cell.members.size()];
    if (!AddAt(member, dst, true, when)) return;
    events_.back().kind = Kind::kCall;
    events_.back().duration = static_cast<uint16_t>(kCallMinSeconds * rng_.Pareto(kCallTail));
  }

  // The selector one end used: a handle or e-mail address (rare; looks the
  // person up) or the phone number resolved when the event was made.
  void WriteEnd(uint32_t index, Kind kind, int residence, uint32_t msisdn) {
    if (kind == Kind::kMsg) {
      const Person& person = world_.people[index];
      FormatHandle(person.handle_service, AsciiGiven(person.name),
                   static_cast<uint64_t>(person.handle_seq), &text_);
    } else if (kind == Kind::kEmail) {
      const Person& person = world_.people[index];
      FormatEmail(AsciiGiven(person.name), AsciiFamily(person.name),
                  static_cast<uint64_t>(person.email_seq), &text_);
    } else {
      FormatMsisdn(residence, msisdn, &text_);
    }
    out_->Plain(text_.view());
  }

  void WriteCell(uint32_t cell) {
    text_.size = 0;
    text_.data[text_.size++] = 'C';
    for (int digit = kCellIdDigits - 1; digit >= 0; --digit) {
      text_.data[1 + digit] = static_cast<char>('0' + cell % 10);
      cell /= 10;
    }
    text_.size += kCellIdDigits;
    out_->Plain(text_.view());
  }

  void Write(int day);

  const World& world_;
  Rng rng_;
  Rng behaviour_rng_;
  CsvWriter* out_;
  std::vector<Burst> bursts_;
  bool outage_ = false;
  AliasTable background_;
  std::vector<uint32_t> background_people_;
  std::vector<Event> events_;
  const double* hours_ = kWeekdayHours.data();
  bool weekend_ = false;
  int day_ = 0;
  SelectorText text_;
};

void DayGenerator::Write(int day) {
  const int64_t day_start = world_.DayStartSeconds(day);
  const Behaviour& behaviour = world_.behaviour;
  const bool lossy = behaviour.Has(kPartialFeeds);
  for (const Event& event : events_) {
    if (lossy && (behaviour_rng_.Chance(behaviour.record_loss) ||
                  (outage_ && behaviour_rng_.Chance(behaviour.outage_loss)))) {
      continue;
    }
    out_->Time(day_start + static_cast<int64_t>(event.order >> 32));
    WriteEnd(event.src, event.kind, event.src_residence, event.src_msisdn);
    WriteEnd(event.dst, event.kind, event.dst_residence, event.dst_msisdn);
    out_->Plain(kKindNames[static_cast<int>(event.kind)]);
    if (event.kind == Kind::kCall) {
      out_->Int(event.duration);
    } else {
      out_->Empty();
    }
    if (event.device_known) {
      FormatImei(event.imei, &text_);
      out_->Plain(text_.view());
    } else {
      out_->Empty();
    }
    if (event.kind == Kind::kEmail) {
      out_->Empty();
    } else {
      WriteCell(event.cell);
    }
    out_->EndRow();
  }
}

}  // namespace

Status GenerateComms(const World& world, Rng rng, Progress* progress, CsvWriter* out) {
  DayGenerator generator(world, rng, out);
  if (progress != nullptr) progress->Start("simulate", world.days, "days");
  for (int day = 0; day < world.days; ++day) {
    generator.Run(day);
    if (progress != nullptr) progress->Update(day + 1);
  }
  if (progress != nullptr) progress->Finish();
  return Status::Ok();
}

}  // namespace vigil::sim
