// Fails when the config fuzzers' dictionary lacks a key of ppemu::config_keys(), a strategy name
// or alias, or a config group, so that a new key reaches the fuzzers the day it is added.
// Usage: FILE.dict
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "ppemu/config.h"
#include "ppemu/strategy.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.dict\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  // libFuzzer's format: one entry per line, `"word"` or `name="word"`; '#' starts a comment.
  std::set<std::string> words;
  for (std::string line; std::getline(in, line);) {
    const size_t open = line.find('"'), close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close == open) continue;
    words.insert(line.substr(open + 1, close - open - 1));
  }
  std::set<std::string> wanted(ppemu::config_keys().begin(), ppemu::config_keys().end());
  for (const std::string& name : ppemu::strategy_names()) wanted.insert(name);
  for (const std::string& group : ppemu::config_groups()) wanted.insert(group);
  int missing = 0;
  for (const std::string& word : wanted)
    if (!words.count(word)) {
      std::fprintf(stderr, "%s lacks \"%s\"; add the line \"%s\"\n", argv[1], word.c_str(), word.c_str());
      ++missing;
    }
  if (missing) return 1;
  std::printf("%s names all %zu keys and strategy names\n", argv[1], wanted.size());
  return 0;
}
