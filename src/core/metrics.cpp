#include "core/metrics.hpp"

#include <fmt/format.h>

namespace coop::core {

const std::vector<double>& latency_buckets() {
  static const std::vector<double> b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                        0.05,   0.1,   0.25,   0.5,   1,    2.5, 5};
  return b;
}

Metrics& Metrics::global() {
  static Metrics m;
  return m;
}

static std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

std::string Metrics::key(const Labels& labels) {
  std::string k;
  for (auto& [n, v] : labels) {
    if (!k.empty()) k += ',';
    k += n + "=\"" + escape_label(v) + "\"";
  }
  return k;
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard lock(mu_);
  meta_[name] = {type, help};
}

void Metrics::inc(const std::string& name, const Labels& labels, double by) {
  std::lock_guard lock(mu_);
  values_[name][key(labels)] += by;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  values_[name][key(labels)] = value;
}

void Metrics::observe(const std::string& name, const Labels& labels, double value) {
  const auto& bounds = latency_buckets();
  std::lock_guard lock(mu_);
  auto& h = histograms_[name][key(labels)];
  if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (value <= bounds[i]) h.buckets[i]++;
  h.count++;
  h.sum += value;
}

void Metrics::gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn) {
  std::lock_guard lock(mu_);
  gauge_fns_.emplace_back(name, help, std::move(fn));
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  auto header = [&](const std::string& name, const std::string& deftype) {
    auto it = meta_.find(name);
    if (it != meta_.end()) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, it->second.second, name, it->second.first);
    } else {
      out += fmt::format("# TYPE {} {}\n", name, deftype);
    }
  };
  for (auto& [name, series] : values_) {
    header(name, "counter");
    for (auto& [k, v] : series)
      out += k.empty() ? fmt::format("{} {}\n", name, v) : fmt::format("{}{{{}}} {}\n", name, k, v);
  }
  const auto& bounds = latency_buckets();
  for (auto& [name, series] : histograms_) {
    header(name, "histogram");
    for (auto& [k, h] : series) {
      std::string sep = k.empty() ? "" : ",";
      for (std::size_t i = 0; i < bounds.size(); ++i)
        out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, k, sep, bounds[i], h.buckets[i]);
      out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, k, sep, h.count);
      std::string lbl = k.empty() ? "" : "{" + k + "}";
      out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, lbl, h.sum, name, lbl, h.count);
    }
  }
  for (auto& [name, help, fn] : gauge_fns_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help, name, name, fn());
  }
  return out;
}

}  // namespace coop::core
