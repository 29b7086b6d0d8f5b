// REPL help texts (see repl_help.h).
#include "cli/repl_help.h"

namespace corral::cli {

std::string repl_usage() {
  return "Available Commands:\n"
         "  /set            Change a session setting (/? set for the list)\n"
         "  /show           Show something about the model (/? show for the list)\n"
         "  /load <model>   Switch to another model (starts a new conversation)\n"
         "  /save <model>   Save this conversation and its settings as a new model\n"
         "  /clear          Forget the conversation so far\n"
         "  /bye            Leave (also /exit or Ctrl + d)\n"
         "  /?, /help       This help; /? set, /? show, /? shortcuts for more\n"
         "\n"
         "Start a message with \"\"\" to write several lines; end it with \"\"\".\n"
         "\n";
}

std::string repl_usage_set() {
  return "Available Commands:\n"
         "  /set parameter <name> <value>   Set a model option for this session\n"
         "  /set system <text>              Set the system message\n"
         "  /set history | nohistory        Keep or stop keeping input history\n"
         "  /set wordwrap | nowordwrap      Wrap answers at the terminal width, or not\n"
         "  /set format json | noformat     Ask for JSON answers, or plain text\n"
         "  /set verbose | quiet            Show timing statistics after each answer, or not\n"
         "  /set think [level] | nothink    Let a thinking model think (low, medium, high, max), or not\n"
         "\n";
}

std::string repl_usage_show() {
  return "Available Commands:\n"
         "  /show info         Model details (architecture, size, capabilities)\n"
         "  /show license      The model's license\n"
         "  /show modelfile    The Modelfile that would rebuild this model\n"
         "  /show parameters   The model's parameters and this session's\n"
         "  /show system       The system message\n"
         "  /show template     The prompt template\n"
         "\n";
}

std::string repl_usage_shortcuts() {
  return "Available keyboard shortcuts:\n"
         "  Ctrl + a            Go to the start of the line (Home)\n"
         "  Ctrl + e            Go to the end of the line (End)\n"
         "   Alt + b            Go back one word\n"
         "   Alt + f            Go forward one word\n"
         "  Ctrl + k            Delete from the cursor to the end of the line\n"
         "  Ctrl + u            Delete from the start of the line to the cursor\n"
         "  Ctrl + w            Delete the word before the cursor\n"
         "  Up / Down           Earlier / later input\n"
         "\n"
         "  Ctrl + l            Clear the screen\n"
         "  Ctrl + c            Stop the answer being written (keeps the session)\n"
         "  Ctrl + d            Leave (/bye)\n"
         "\n";
}

std::string repl_usage_parameters() {
  return "Available Parameters:\n"
         "  /set parameter seed <int>             Random seed (the same seed repeats an answer)\n"
         "  /set parameter num_predict <int>      Most tokens to write per answer\n"
         "  /set parameter top_k <int>            Choose among the k likeliest tokens\n"
         "  /set parameter top_p <float>          Choose among tokens making up this probability\n"
         "  /set parameter min_p <float>          Drop tokens below this share of the likeliest\n"
         "  /set parameter num_ctx <int>          Context size in tokens\n"
         "  /set parameter temperature <float>    Randomness (0: always the likeliest token)\n"
         "  /set parameter repeat_penalty <float> How much to discourage repetition\n"
         "  /set parameter repeat_last_n <int>    How many recent tokens count as repetition\n"
         "  /set parameter num_gpu <int>          Layers to put on a GPU (accepted, CPU engine)\n"
         "  /set parameter stop <string> ...      Stop the answer at any of these strings\n"
         "\n";
}

}  // namespace corral::cli
