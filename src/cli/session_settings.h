// SessionSettings: everything `corral run` keeps for one conversation: the
// model, the messages so far, the session's system message and options
// (/set parameter), format, think mode, keep-alive, and how answers are
// shown (verbose statistics, word wrap, hidden thinking).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/types.h"

namespace corral::cli {

struct SessionSettings {
  std::string model;
  std::string parent_model;                   // details.parent_model from /api/show
  std::vector<api::Message> loaded_messages;  // the model's MESSAGE history
  std::vector<std::string> capabilities;      // from /api/show ("completion", "thinking", ...)
  std::vector<api::Message> messages;         // this conversation, sent with every turn
  std::string system;                         // set with /set system (or "")
  api::Json options = api::Json::object();    // /set parameter values, in the order set
  api::Format format;
  api::Think think;
  bool think_explicit = false;                // --think or /set think was used
  bool hide_thinking = false;
  std::optional<api::KeepAlive> keep_alive;
  bool verbose = false;
  bool word_wrap = true;
};

}  // namespace corral::cli
