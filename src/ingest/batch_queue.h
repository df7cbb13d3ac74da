// A small blocking queue between the parse thread and the store thread
// (internal).
#ifndef VIGIL_INGEST_BATCH_QUEUE_H_
#define VIGIL_INGEST_BATCH_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

namespace vigil {

// Thread-safe FIFO. Its bound is the number of values in circulation: the
// pipeline recycles a fixed set of batches through two queues, so neither
// queue can hold more than that set.
template <typename T>
class BatchQueue {
 public:
  // Appends `value` and wakes one waiter. O(1).
  void Push(T value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      values_.push_back(std::move(value));
    }
    ready_.notify_one();
  }

  // Removes and returns the oldest value, waiting until there is one. O(1).
  T Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return !values_.empty(); });
    T value = std::move(values_.front());
    values_.pop_front();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> values_;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_BATCH_QUEUE_H_
