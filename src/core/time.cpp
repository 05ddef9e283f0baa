#include "core/time.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>

namespace coop::core {

using namespace std::chrono;

std::string iso_utc(Clock::time_point t) {
  auto ms = time_point_cast<milliseconds>(t);
  auto day = floor<days>(ms);
  year_month_day ymd{day};
  hh_mm_ss hms{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::string now_iso() { return iso_utc(Clock::now()); }

// Metropolitan France's civil time (Europe/Paris): CET, UTC+1, and CEST, UTC+2, from the last
// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule since 1996).
// libstdc++ 12 has no time-zone database, and this is the only zone the server needs for "today".
Clock::duration paris_offset(Clock::time_point t) {
  year_month_day ymd{floor<days>(t)};
  auto last_sunday = [&](month m) { return sys_days{year_month_weekday_last{ymd.year(), m, weekday_last{Sunday}}}; };
  auto summer_start = last_sunday(March) + hours{1};
  auto summer_end = last_sunday(October) + hours{1};
  return (t >= summer_start && t < summer_end) ? hours{2} : hours{1};
}

std::string date_in_paris(Clock::time_point t) { return iso_utc(t + paris_offset(t)).substr(0, 10); }

std::string datetime_in_paris(Clock::time_point t) { return iso_utc(t + paris_offset(t)).substr(0, 16); }

std::string today() { return date_in_paris(Clock::now()); }

static bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

static std::optional<year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y, m, d;
  if (!parse_int(s.substr(0, 4), y) || !parse_int(s.substr(5, 2), m) || !parse_int(s.substr(8, 2), d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{unsigned(m)}, day{unsigned(d)}};
  if (!ymd.ok() || y < 1900) return std::nullopt;
  return ymd;
}

bool valid_date(std::string_view s) { return parse_date(s).has_value(); }

std::string date_plus_days(std::string_view date, int n) {
  auto ymd = parse_date(date);
  if (!ymd) return std::string(date);
  year_month_day r{sys_days{*ymd} + days{n}};
  return fmt::format("{:04}-{:02}-{:02}", int(r.year()), unsigned(r.month()), unsigned(r.day()));
}

std::optional<Clock::time_point> parse_iso(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  auto ymd = parse_date(s.substr(0, 10));
  if (!ymd || s[10] != 'T') return std::nullopt;
  int h, mi, se;
  if (!parse_int(s.substr(11, 2), h) || !parse_int(s.substr(14, 2), mi) || !parse_int(s.substr(17, 2), se))
    return std::nullopt;
  int ms = 0;
  if (s.size() >= 24 && s[19] == '.') parse_int(s.substr(20, 3), ms);
  return Clock::time_point{sys_days{*ymd} + hours{h} + minutes{mi} + seconds{se} + milliseconds{ms}};
}

}  // namespace coop::core
