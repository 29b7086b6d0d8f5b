// LineHistory: the REPL's input history in Ollama's file format (~/.ollama/
// history: one entry per line, the newest last, at most 100 kept, empty
// lines skipped), so corral and Ollama can share the file. Saved after every
// entry through a temporary file and a rename.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace corral::cli {

class LineHistory {
 public:
  // Reads `file` if it exists (a missing or unreadable file is an empty history).
  explicit LineHistory(std::filesystem::path file, std::size_t limit = 100);

  const std::vector<std::string>& entries() const { return entries_; }
  // Adds an entry (surrounding whitespace trimmed; empty ones and entries
  // with a newline are skipped) and saves when saving is enabled.
  void add(const std::string& line);
  void set_saving(bool on) { saving_ = on; }
  bool saving() const { return saving_; }
  // Writes the file now; false (with nothing changed) when it cannot.
  bool save() const;

 private:
  std::filesystem::path file_;
  std::size_t limit_;
  std::vector<std::string> entries_;
  bool saving_ = true;
};

// ~/.ollama/history ($HOME unset: no history file).
std::filesystem::path default_history_file();

}  // namespace corral::cli
