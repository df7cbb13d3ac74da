// Per-request processing deadlines: a long network question (communities or
// centrality on a big graph) must not hold a worker thread forever.
//
// A request registers its deadline and gets a cancel flag; one watchdog
// thread raises the flag when the deadline passes. Long analyses take the
// flag through RunControl::cancel (graph.h) and return Cancelled at their
// next check; the dispatcher then answers 503 with a JSON error body. Work
// with no cancellation point finishes, and the dispatcher still answers 503
// when it ran past its deadline, so the client's contract is the same.
//
// Thread-safety: every method may be called from any thread. Cost: Arm and
// the ticket's destruction are O(log n) for n requests in flight; the
// watchdog wakes once per expiring deadline. Memory: O(requests in flight).
#ifndef VIGIL_SERVER_DEADLINES_H_
#define VIGIL_SERVER_DEADLINES_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace vigil::server {

class Deadlines {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // One request's deadline; disarmed when destroyed. Movable, so that a
  // handler can hold it for exactly the request's lifetime.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket();

    // Raised once the deadline has passed (never for an unarmed ticket).
    const std::atomic<bool>* cancel() const { return flag_.get(); }
    // Whether the deadline has passed, by the clock (not waiting for the
    // watchdog): what the dispatcher checks once the handler returns.
    bool Expired() const;

   private:
    friend class Deadlines;
    Deadlines* owner_ = nullptr;
    std::pair<TimePoint, uint64_t> key_;
    std::unique_ptr<std::atomic<bool>> flag_;
  };

  Deadlines();
  ~Deadlines();
  Deadlines(const Deadlines&) = delete;
  Deadlines& operator=(const Deadlines&) = delete;

  // A ticket whose flag rises `seconds` from now; seconds <= 0 gives an
  // unarmed ticket (no deadline).
  Ticket Arm(double seconds);

 private:
  void Disarm(const std::pair<TimePoint, uint64_t>& key);
  void Watch();

  std::mutex mu_;
  std::condition_variable changed_;
  // guarded by mu_: armed deadlines in time order (the id breaks ties).
  std::map<std::pair<TimePoint, uint64_t>, std::atomic<bool>*> armed_;
  uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::thread watchdog_;  // last: started once the members above exist
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_DEADLINES_H_
