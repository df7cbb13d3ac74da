#include "server/deadlines.h"

namespace vigil::server {

Deadlines::Ticket& Deadlines::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->Disarm(key_);
    owner_ = std::exchange(other.owner_, nullptr);
    key_ = other.key_;
    flag_ = std::move(other.flag_);
  }
  return *this;
}

Deadlines::Ticket::~Ticket() {
  if (owner_ != nullptr) owner_->Disarm(key_);
}

bool Deadlines::Ticket::Expired() const {
  return owner_ != nullptr && std::chrono::steady_clock::now() >= key_.first;
}

Deadlines::Deadlines() : watchdog_([this] { Watch(); }) {}

Deadlines::~Deadlines() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  watchdog_.join();
}

Deadlines::Ticket Deadlines::Arm(double seconds) {
  Ticket ticket;
  ticket.flag_ = std::make_unique<std::atomic<bool>>(false);
  if (seconds <= 0) return ticket;
  const auto due = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(seconds));
  bool earliest = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ticket.key_ = {due, next_id_++};
    ticket.owner_ = this;
    armed_.emplace(ticket.key_, ticket.flag_.get());
    earliest = armed_.begin()->first == ticket.key_;
  }
  // The watchdog sleeps until the earliest deadline: wake it for a new one.
  if (earliest) changed_.notify_all();
  return ticket;
}

void Deadlines::Disarm(const std::pair<TimePoint, uint64_t>& key) {
  std::lock_guard<std::mutex> lock(mu_);
  armed_.erase(key);
}

void Deadlines::Watch() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (armed_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto due = armed_.begin()->first.first;
    if (std::chrono::steady_clock::now() < due) {
      changed_.wait_until(lock, due);
      continue;
    }
    // Expired: raise the flag and forget it (the ticket's Disarm then finds
    // nothing to erase).
    armed_.begin()->second->store(true, std::memory_order_relaxed);
    armed_.erase(armed_.begin());
  }
}

}  // namespace vigil::server
