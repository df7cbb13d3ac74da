#include "vigil/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace vigil {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;

class SilentProgress final : public Progress {
 public:
  void Start(std::string_view, int64_t, std::string_view) override {}
  void Update(int64_t) override {}
  void Finish() override {}
};

// Draws "label [=====>    ] 45%  1.2M rows/s  ETA 0:12" on stderr.
class TerminalProgress final : public Progress {
 public:
  void Start(std::string_view label, int64_t total, std::string_view unit) override {
    label_ = std::string(label);
    unit_ = std::string(unit);
    total_ = total;
    done_ = 0;
    started_ = Clock::now();
    last_draw_ = started_ - kRedrawInterval;
    active_ = true;
  }

  void Update(int64_t done) override {
    done_ = done;
    auto now = Clock::now();
    if (now - last_draw_ < kRedrawInterval) return;
    last_draw_ = now;
    Draw(now);
  }

  void Finish() override {
    if (!active_) return;
    Draw(Clock::now());
    std::fputc('\n', stderr);
    active_ = false;
  }

 private:
  static std::string Human(double value) {
    if (value >= 1e9) return fmt::format("{:.1f}G", value / 1e9);
    if (value >= 1e6) return fmt::format("{:.1f}M", value / 1e6);
    if (value >= 1e3) return fmt::format("{:.1f}k", value / 1e3);
    return fmt::format("{:.0f}", value);
  }

  void Draw(Clock::time_point now) {
    double seconds = std::chrono::duration<double>(now - started_).count();
    double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
    std::string line = "\r" + label_ + " ";
    if (total_ > 0) {
      double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
      int filled = static_cast<int>(fraction * kBarWidth);
      line += "[" + std::string(filled, '=') + std::string(kBarWidth - filled, ' ') + "] ";
      line += fmt::format("{:3.0f}%  ", fraction * 100);
      double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
      line += fmt::format("{} {}/s  ETA {}:{:02d}", Human(rate), unit_,
                          static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    } else {
      line += fmt::format("{} {}  {} {}/s", Human(static_cast<double>(done_)), unit_,
                          Human(rate), unit_);
    }
    line += "\x1b[K";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

  std::string label_;
  std::string unit_;
  int64_t total_ = -1;
  int64_t done_ = 0;
  Clock::time_point started_;
  Clock::time_point last_draw_;
  bool active_ = false;
};

}  // namespace

std::unique_ptr<Progress> MakeSilentProgress() { return std::make_unique<SilentProgress>(); }

std::unique_ptr<Progress> MakeTerminalProgress() {
  if (isatty(STDERR_FILENO)) return std::make_unique<TerminalProgress>();
  return MakeSilentProgress();
}

}  // namespace vigil
