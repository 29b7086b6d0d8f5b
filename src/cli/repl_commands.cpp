// REPL slash commands (see repl_commands.h).
#include "cli/repl_commands.h"

#include <fmt/format.h>

#include <cstdio>

#include "api/responses.h"
#include "cli/create_request_json.h"
#include "cli/model_lists.h"
#include "cli/model_requests.h"
#include "cli/repl_help.h"
#include "cli/show_info.h"
#include "store/go_format.h"
#include "store/model_options.h"
#include "store/name.h"

namespace corral::cli {

namespace {

void out(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}
void err(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stderr);
  std::fflush(stderr);
}

bool has_capability(const SessionSettings& s, const std::string& c) {
  for (const auto& x : s.capabilities)
    if (x == c) return true;
  return false;
}

void warn_if_no_thinking(const SessionSettings& s) {
  if (!has_capability(s, "thinking"))
    err(fmt::format("warning: model {} does not support thinking output\n", store::go::quote(s.model)));
}

ReplAction do_set(ReplContext& ctx, const SlashCommand& cmd) {
  SessionSettings& s = ctx.settings;
  if (cmd.args.empty()) {
    err(repl_usage_set());
    return ReplAction::keep_going;
  }
  const std::string& what = cmd.args[0];
  if (what == "history" || what == "nohistory") {
    ctx.set_history(what == "history");
    out(fmt::format("Set '{}' mode.\n", what));
  } else if (what == "wordwrap" || what == "nowordwrap") {
    s.word_wrap = what == "wordwrap";
    out(fmt::format("Set '{}' mode.\n", what));
  } else if (what == "verbose" || what == "quiet") {
    s.verbose = what == "verbose";
    out(fmt::format("Set '{}' mode.\n", what));
  } else if (what == "think") {
    if (cmd.args.size() > 1) {
      const std::string& level = cmd.args[1];
      if (level == "true" || level == "false") {
        s.think = api::Think::from_bool(level == "true");
      } else {
        s.think = api::Think::from_level(level);
      }
      s.think_explicit = true;
      warn_if_no_thinking(s);
      out(fmt::format("Set 'think' mode to '{}'.\n", level));
    } else {
      s.think = api::Think::from_bool(true);
      s.think_explicit = true;
      warn_if_no_thinking(s);
      out("Set 'think' mode.\n");
    }
  } else if (what == "nothink") {
    s.think = api::Think::from_bool(false);
    s.think_explicit = true;
    warn_if_no_thinking(s);
    out("Set 'nothink' mode.\n");
  } else if (what == "format") {
    if (cmd.args.size() < 2 || cmd.args[1] != "json") {
      out("Invalid or missing format. For 'json' mode use '/set format json'\n");
    } else {
      s.format.kind = api::Format::Kind::json;
      out("Set format to 'json' mode.\n");
    }
  } else if (what == "noformat") {
    s.format = api::Format{};
    out("Disabled format.\n");
  } else if (what == "parameter") {
    if (cmd.args.size() < 3) {
      err(repl_usage_parameters());
      return ReplAction::keep_going;
    }
    const std::string& name = cmd.args[1];
    const std::vector<std::string> values(cmd.args.begin() + 2, cmd.args.end());
    try {
      const auto value = store::format_parameter(name, values);
      s.options[name] = api::Json::parse(value.dump());
    } catch (const std::exception& e) {
      out(fmt::format("Couldn't set parameter: {}\n", store::go::quote(e.what())));
      return ReplAction::keep_going;
    }
    std::string joined;
    for (std::size_t i = 0; i < values.size(); ++i) joined += (i ? ", " : "") + values[i];
    out(fmt::format("Set parameter '{}' to '{}'\n", name, joined));
  } else if (what == "system") {
    if (cmd.args.size() < 2) {
      err(repl_usage_set());
      return ReplAction::keep_going;
    }
    const auto step = ctx.input.begin_system(cmd.rest(1));
    if (step.kind == InputAssembler::Kind::system) {
      set_session_system(s, step.text);
      out("Set system message.\n");
    }
  } else {
    out(fmt::format("Unknown command '/set {}'. Type /? for help\n", what));
  }
  return ReplAction::keep_going;
}

ReplAction do_show(ReplContext& ctx, const SlashCommand& cmd) {
  SessionSettings& s = ctx.settings;
  if (cmd.args.empty()) {
    err(repl_usage_show());
    return ReplAction::keep_going;
  }
  const std::string& what = cmd.args[0];
  static const char* kKnown[] = {"info", "license", "modelfile", "parameters", "system", "template"};
  bool known = false;
  for (const char* k : kKnown) known = known || what == k;
  if (!known) {
    out(fmt::format("Unknown command '/show {}'. Type /? for help\n", what));
    return ReplAction::keep_going;
  }
  api::ShowResponse r;
  try {
    r = show_model(ctx.client, s.model, false, s.system, s.options);
  } catch (const std::exception& e) {
    out(fmt::format("error: couldn't get model '{}': {}\n", s.model, e.what()));
    return ReplAction::keep_going;
  }
  if (what == "info") {
    err(render_show_info(r, false));
  } else if (what == "license") {
    out(r.license.empty() ? "No license was specified for this model.\n" : r.license + "\n");
  } else if (what == "modelfile") {
    out(r.modelfile + "\n");
  } else if (what == "parameters") {
    std::string text = "Model defined parameters:\n";
    if (r.parameters.empty()) {
      text += "  No additional parameters were specified for this model.\n";
    } else {
      std::string p = r.parameters;
      while (!p.empty() && p.back() == '\n') p.pop_back();
      std::size_t start = 0;
      for (;;) {
        const auto nl = p.find('\n', start);
        text += "  " + p.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    text += "\n";
    if (!s.options.empty()) text += "User defined parameters:\n" + user_parameters_text(s.options) + "\n";
    out(text);
  } else if (what == "system") {
    if (!s.system.empty()) out(s.system + "\n\n");
    else if (!r.system.empty()) out(r.system + "\n\n");
    else out("No system message was specified for this model.\n");
  } else if (what == "template") {
    out(r.template_text.empty() ? "No prompt template was specified for this model.\n" : r.template_text + "\n");
  }
  return ReplAction::keep_going;
}

ReplAction do_load(ReplContext& ctx, const SlashCommand& cmd) {
  SessionSettings& s = ctx.settings;
  if (cmd.args.size() != 1) {
    out("Usage:\n  /load <modelname>\n");
    return ReplAction::keep_going;
  }
  const std::string& model = cmd.args[0];
  out(fmt::format("Loading model '{}'\n", model));
  api::ShowResponse info;
  try {
    info = show_model(ctx.client, model);
  } catch (const std::exception& e) {
    if (is_not_found(e)) out(fmt::format("Couldn't find model '{}'\n", model));
    else out(fmt::format("error: {}\n", e.what()));
    return ReplAction::keep_going;
  }
  SessionSettings next = s;
  next.model = model;
  next.messages.clear();
  next.parent_model = info.details.parent_model;
  next.loaded_messages = info.messages;
  next.capabilities = info.capabilities;
  if (!next.think_explicit) {
    next.think = has_capability(next, "thinking") ? api::Think::from_bool(true) : api::Think{};
  }
  try {
    load_model(ctx.client, next.model, next.keep_alive, next.think);
  } catch (const std::exception& e) {
    if (is_not_found(e)) out(fmt::format("Couldn't find model '{}'\n", model));
    else out(fmt::format("error: {}\n", e.what()));
    return ReplAction::keep_going;
  }
  s = std::move(next);
  return ReplAction::keep_going;
}

ReplAction do_save(ReplContext& ctx, const SlashCommand& cmd) {
  const SessionSettings& s = ctx.settings;
  if (cmd.args.size() != 1) {
    out("Usage:\n  /save <modelname>\n");
    return ReplAction::keep_going;
  }
  const std::string& name = cmd.args[0];
  if (!store::ModelName::parse(name).is_valid()) {
    out(fmt::format("error: The model name '{}' is invalid\n", name));
    return ReplAction::keep_going;
  }
  store::CreateRequest req;
  req.model = name;
  // From the parent model, as Ollama does, where there is one: a model created from a
  // GGUF file records the file's name there (which may look like a model name).
  bool parent_is_model = !s.parent_model.empty() && store::ModelName::parse(s.parent_model).is_valid();
  if (parent_is_model) {
    try {
      show_model(ctx.client, s.parent_model);
    } catch (const std::exception&) {
      parent_is_model = false;
    }
  }
  req.from = parent_is_model ? s.parent_model : s.model;
  req.system = s.system;
  if (!s.options.empty()) req.parameters = nlohmann::json::parse(s.options.dump());
  std::vector<api::Message> all = s.loaded_messages;
  all.insert(all.end(), s.messages.begin(), s.messages.end());
  for (const auto& m : all) {
    store::CreateMessage cm;
    cm.role = m.role;
    cm.content = m.content;
    cm.thinking = m.thinking;
    cm.images = m.images;
    req.messages.push_back(std::move(cm));
  }
  try {
    ctx.client.stream("/api/create", create_request_to_json(req), [](const api::Json&) { return true; });
  } catch (const std::exception& e) {
    if (std::string_view(e.what()).find("invalid model name") != std::string_view::npos)
      out(fmt::format("error: The model name '{}' is invalid\n", name));
    else
      out(fmt::format("error: {}\n", e.what()));
    return ReplAction::keep_going;
  }
  out(fmt::format("Created new model '{}'\n", name));
  return ReplAction::keep_going;
}

}  // namespace

void set_session_system(SessionSettings& s, const std::string& text) {
  s.system = text;
  api::Message m;
  m.role = "system";
  m.content = text;
  if (!s.messages.empty() && s.messages.back().role == "system") s.messages.back() = std::move(m);
  else s.messages.push_back(std::move(m));
}

std::string user_parameters_text(const api::Json& options) {
  std::string text;
  for (auto it = options.begin(); it != options.end(); ++it)
    text += fmt::format("  {:<30} {}\n", it.key(), go_value_string(it.value()));
  return text;
}

ReplAction run_slash_command(ReplContext& ctx, const SlashCommand& cmd) {
  const std::string& name = cmd.name;
  if (name == "/bye" || name == "/exit") return ReplAction::quit;
  if (name == "/?" || name == "/help") {
    if (cmd.args.empty()) err(repl_usage());
    else if (cmd.args[0] == "set" || cmd.args[0] == "/set") err(repl_usage_set());
    else if (cmd.args[0] == "show" || cmd.args[0] == "/show") err(repl_usage_show());
    else if (cmd.args[0] == "shortcut" || cmd.args[0] == "shortcuts") err(repl_usage_shortcuts());
    else err(repl_usage());
    return ReplAction::keep_going;
  }
  if (name == "/clear") {
    ctx.settings.messages.clear();
    if (!ctx.settings.system.empty()) set_session_system(ctx.settings, ctx.settings.system);
    out("Cleared session context\n");
    return ReplAction::keep_going;
  }
  if (name == "/list") {
    try {
      const auto models = api::parse_list_response(ctx.client.get("/api/tags"));
      out(render_model_list(models, cmd.args.empty() ? "" : cmd.args[0], std::chrono::system_clock::now()));
    } catch (const std::exception& e) {
      out(fmt::format("error: {}\n", e.what()));
    }
    return ReplAction::keep_going;
  }
  if (name == "/set") return do_set(ctx, cmd);
  if (name == "/show") return do_show(ctx, cmd);
  if (name == "/load") return do_load(ctx, cmd);
  if (name == "/save") return do_save(ctx, cmd);
  out(fmt::format("Unknown command '{}'. Type /? for help\n", name));
  return ReplAction::keep_going;
}

}  // namespace corral::cli
