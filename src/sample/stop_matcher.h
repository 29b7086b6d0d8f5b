// StopMatcher: decides which generated text may be shown while it streams,
// given Ollama's stop strings. Text that could still turn out to be the start
// of a stop string is held back, as is an incomplete trailing UTF-8 character;
// when a stop string occurs, the text before it is released and generation
// should end (done_reason "stop"); the stop string and anything after it are
// never released.
//
//   StopMatcher m(params.stop);
//   for each decoded piece: auto r = m.push(piece); emit(r.text); if (r.stopped()) break;
//   at the end (EOS or num_predict): emit(m.flush());
//
// Matching is on bytes. The first stop string to be completed wins (the one
// ending earliest in the text; of those ending at the same byte, the longest),
// so the result does not depend on how the text is split into pieces.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::sample {

struct StopResult {
  std::string text;                  // may be emitted now
  std::optional<std::size_t> match;  // index in the stop list of the stop string found
  bool stopped() const { return match.has_value(); }
};

class StopMatcher {
 public:
  // Empty strings in the list are ignored (they would match everywhere).
  explicit StopMatcher(std::vector<std::string> stops);

  // Feeds the next piece of text. After a stop, returns no text and the same match.
  StopResult push(std::string_view piece);

  // Everything still held back (no stop occurred); empty after a stop.
  std::string flush();

  bool stopped() const { return match_.has_value(); }
  std::optional<std::size_t> match() const { return match_; }
  const std::vector<std::string>& stops() const { return stops_; }

 private:
  // Length of the longest suffix of held_ that is a proper prefix of a stop string.
  std::size_t partial_stop_suffix() const;

  std::vector<std::string> stops_;
  std::string held_;
  std::optional<std::size_t> match_;
};

}  // namespace corral::sample
