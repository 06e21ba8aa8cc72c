// The threads of t-SNE's native iteration (tsne.cc): the calling thread and `workers` helpers take
// a fixed number of tasks from one counter. Unlike an OpenMP region, the calling thread never waits
// for a helper that has not started (on a loaded machine a woken thread may wait several
// milliseconds for a core): it waits only for tasks that were taken and are running, so a late
// helper costs nothing and finds the counter used up. Which thread runs a task never changes its
// numbers: each task writes its own outputs.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace fmnist {

class TsnePool {
 public:
  using Task = void (*)(void* context, int task);

  // `tasks`: how many tasks every run has (fixed, so that a helper's late claim can never be
  // mistaken for one of the next run's tasks before that run has set its context).
  TsnePool(int workers, int tasks) : tasks_(tasks), requested_(workers) {
    try {
      for (int w = 0; w < workers; w++) threads_.emplace_back([this] { loop(); });
    } catch (const std::system_error&) {
      // Fewer threads than asked for (the system has none to spare): the rest runs on fewer.
    }
  }

  ~TsnePool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  TsnePool(const TsnePool&) = delete;
  TsnePool& operator=(const TsnePool&) = delete;

  // The helpers asked for (some may not have started).
  int requested() const { return requested_; }

  // Runs `first` on this thread while the helpers start on the tasks, then takes tasks here too;
  // returns when every task has run.
  void run(Task task, void* context, void (*first)(void*)) {
    task_.store(task);
    context_.store(context);
    completed_.store(0);
    next_.store(0);
    if (!threads_.empty()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        generation_++;
      }
      wake_.notify_all();
    }
    first(context);
    work();
    while (completed_.load() < tasks_) std::this_thread::yield();
  }

 private:
  const int tasks_;
  const int requested_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int64_t generation_ = 0;
  bool stop_ = false;
  std::atomic<Task> task_{nullptr};
  std::atomic<void*> context_{nullptr};
  std::atomic<int> next_{0};
  std::atomic<int> completed_{0};

  void work() {
    for (int t; (t = next_.fetch_add(1)) < tasks_;) {
      task_.load()(context_.load(), t);
      completed_.fetch_add(1);
    }
  }

  void loop() {
    int64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work();
    }
  }
};

}  // namespace fmnist
