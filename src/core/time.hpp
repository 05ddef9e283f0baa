// Time as Coop stores it: UTC ISO-8601 text for instants ("2026-11-28T21:04:10.123Z") and
// "YYYY-MM-DD" for calendar dates. Both sort lexicographically in chronological order.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coop::core {

using Clock = std::chrono::system_clock;

std::string iso_utc(Clock::time_point t);
std::string now_iso();
// The calendar date in metropolitan France (Europe/Paris), which is what "today" means to the
// users (a CRA dated today at 00:30 in Paris is not "in the future"). Overseas territories east of
// Paris (La Réunion, Mayotte, Nouvelle-Calédonie…) are ahead of it by a few hours.
std::string today();
std::string date_in_paris(Clock::time_point t);
// "YYYY-MM-DDTHH:MM" in metropolitan France's civil time (a deadline shown to users).
std::string datetime_in_paris(Clock::time_point t);
// Metropolitan France's offset from UTC at t: 1 h (CET) or 2 h (CEST, last Sunday of March 01:00 UTC
// to last Sunday of October 01:00 UTC). Local civil time is t + paris_offset(t).
Clock::duration paris_offset(Clock::time_point t);
std::string date_plus_days(std::string_view date, int days);
// True when s is a real calendar date "YYYY-MM-DD" (leap years included).
bool valid_date(std::string_view s);
std::optional<Clock::time_point> parse_iso(std::string_view s);

}  // namespace coop::core
