// Reading a Mattermost bulk-export file (JSONL: one object a line, `{"type": "...", "<type>": {…}}`,
// the format of `mmctl export create` and of the bulk loader — docs.mattermost.com, « Data
// format »). Plain structures, no Coop rule: the import (import.hpp) maps them onto channels and
// topics. A line that cannot be read is recorded as a problem (line number, French reason) and
// skipped: one bad line never stops the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace coop::mattermost {

struct Reaction {
  std::string user;   // username
  std::string emoji;  // emoji_name (« +1 », « smile »…)
  std::int64_t create_at = 0;
};

struct Reply {
  std::string user, message;
  std::int64_t create_at = 0;  // milliseconds since 1970
  std::vector<Reaction> reactions;
  std::vector<std::string> attachments;  // "attachments":[{"path"}], relative to the export's folder
};

struct Team {
  std::string name, display_name, type, description;
};

struct Channel {
  std::string team, name, display_name;
  std::string type;  // "O" public, "P" private
  std::string header, purpose;
};

struct UserChannel {
  std::string team, channel, roles;  // roles: "channel_user", "channel_user channel_admin"
};

struct User {
  std::string username, email, first_name, last_name, nickname, roles;
  std::vector<UserChannel> channels;  // from teams[].channels[]
};

struct Post {
  std::size_t line = 0;  // in the file, for the report
  std::string team, channel, user, message;
  std::int64_t create_at = 0;
  bool is_pinned = false;
  std::vector<Reply> replies;
  std::vector<Reaction> reactions;
  std::vector<std::string> attachments;
};

struct DirectChannel {
  std::vector<std::string> members;  // usernames, 2 (direct) to 8 (group)
  std::string header;
};

struct DirectPost {
  std::size_t line = 0;
  std::vector<std::string> channel_members;
  std::string user, message;
  std::int64_t create_at = 0;
  bool is_pinned = false;
  std::vector<Reply> replies;
  std::vector<Reaction> reactions;
  std::vector<std::string> attachments;
};

struct Probleme {
  std::size_t ligne = 0;  // 1-based; 0: the whole file
  std::string quoi;       // French
};

struct Export {
  int version = 0;
  std::vector<Team> teams;
  std::vector<Channel> channels;
  std::vector<User> users;
  std::vector<Post> posts;
  std::vector<DirectChannel> direct_channels;
  std::vector<DirectPost> direct_posts;
  std::map<std::string, std::size_t> ignores;  // types Coop has no use for (scheme, emoji, bot…): count
  std::vector<Probleme> problemes;
  std::size_t lignes = 0;
};

// Reads the whole stream. Lines over `max_ligne` bytes are refused (a problem), blank lines skipped.
Export lire(std::istream& in, std::size_t max_ligne = 16u << 20);

}  // namespace coop::mattermost
