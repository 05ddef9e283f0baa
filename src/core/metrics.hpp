// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format at /metrics. Thread-safe; cheap enough for every request.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace coop::core {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  void inc(const std::string& name, const Labels& labels = {}, double by = 1);
  void set(const std::string& name, const Labels& labels, double value);
  void observe(const std::string& name, const Labels& labels, double value);  // histogram
  // A gauge whose value is read when /metrics is rendered (pool sizes, open WebSockets).
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn);
  void describe(const std::string& name, const std::string& type, const std::string& help);

  std::string render() const;

  static Metrics& global();

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative counts per bound
    std::uint64_t count = 0;
    double sum = 0;
  };
  static std::string key(const Labels& labels);
  mutable std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> meta_;  // name -> type, help
  std::map<std::string, std::map<std::string, double>> values_;      // counters and gauges
  std::map<std::string, std::map<std::string, Histogram>> histograms_;
  std::vector<std::tuple<std::string, std::string, std::function<double()>>> gauge_fns_;
};

// Latency histogram bounds in seconds.
const std::vector<double>& latency_buckets();

}  // namespace coop::core
