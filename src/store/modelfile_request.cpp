// Modelfile -> CreateRequest (the client side of Ollama's `create`).
#include "store/modelfile_request.h"

#include <fnmatch.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "store/file_clone.h"
#include "store/model_options.h"
#include "util/error.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

bool parse_number_part(std::string_view& s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0) return false;
  if (i > 1 && s[0] == '0') return false;
  s.remove_prefix(i);
  return true;
}

bool parse_dotted_idents(std::string_view s, bool numeric_no_leading_zero) {
  if (s.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    const auto dot = s.find('.', start);
    const std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (id.empty()) return false;
    bool numeric = true;
    for (char c : id) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
      if (!(c >= '0' && c <= '9')) numeric = false;
    }
    if (numeric_no_leading_zero && numeric && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::vector<fs::path> glob(const fs::path& dir, const std::string& pattern, bool nested) {
  std::vector<fs::path> out;
  std::error_code ec;
  auto match_in = [&](const fs::path& d) {
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string name = e.path().filename().string();
      if (::fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) out.push_back(e.path());
    }
  };
  if (!nested) {
    match_in(dir);
  } else {
    for (const auto& sub : fs::directory_iterator(dir, ec))
      if (sub.is_directory(ec)) match_in(sub.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string digest_of(const fs::path& p, const ModelfileRequestOptions& options) {
  if (options.digest_file) return options.digest_file(p);
  return "sha256:" + hash_file(p);
}

// The files a FROM/ADAPTER path stands for, or nullopt if it does not exist.
std::optional<std::vector<fs::path>> local_files_for(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    fail("stat {}: {}", path.string(), std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return std::vector<fs::path>{path};
  const fs::path root = fs::canonical(path);
  std::vector<fs::path> files;
  for (const auto& f : files_for_model_dir(path)) {
    const fs::path real = fs::canonical(f);
    const fs::path rel = real.lexically_relative(root);
    const std::string r = rel.string();
    if (rel.empty() || r == ".." || r.rfind("../", 0) == 0 || rel.is_absolute()) {
      if (r.find(".cache") != std::string::npos)
        fail("insecure path: {}\n\nUse --local-dir <dir> when downloading model to disable caching", r);
      fail("insecure path: {}", r);
    }
    files.push_back(real);
  }
  return files;
}

// Names for request entries: paths relative to the files' common directory
// (a lone file is named by its base name), as Ollama's client does.
std::map<std::string, fs::path> request_names(const std::vector<fs::path>& files) {
  std::map<std::string, fs::path> out;
  fs::path root;
  if (files.size() >= 2) {
    root = files[0].parent_path();
    for (const auto& f : files) {
      const fs::path dir = f.parent_path();
      while (!root.empty()) {
        const std::string rel = dir.lexically_relative(root).string();
        if (!rel.empty() && rel != ".." && rel.rfind("../", 0) != 0) break;
        if (root == root.parent_path()) {
          root.clear();
          break;
        }
        root = root.parent_path();
      }
    }
  }
  for (const auto& f : files) {
    std::string name = f.filename().string();
    if (!root.empty()) {
      const std::string rel = f.lexically_relative(root).string();
      if (!rel.empty() && rel != "." && rel != ".." && rel.rfind("../", 0) != 0) name = rel;
    }
    out[name] = f;
  }
  return out;
}

}  // namespace

bool is_valid_semver(std::string_view s) {
  if (s.empty() || s[0] != 'v') return false;
  s.remove_prefix(1);
  if (!parse_number_part(s)) return false;
  if (s.empty()) return true;
  if (s[0] != '.') return false;
  s.remove_prefix(1);
  if (!parse_number_part(s)) return false;
  if (s.empty()) return true;
  if (s[0] != '.') return false;
  s.remove_prefix(1);
  if (!parse_number_part(s)) return false;
  if (!s.empty() && s[0] == '-') {
    const auto plus = s.find('+');
    if (!parse_dotted_idents(s.substr(1, plus == std::string_view::npos ? std::string_view::npos : plus - 1), true))
      return false;
    s = plus == std::string_view::npos ? std::string_view{} : s.substr(plus);
  }
  if (!s.empty() && s[0] == '+') {
    if (!parse_dotted_idents(s.substr(1), false)) return false;
    s = {};
  }
  return s.empty();
}

fs::path expand_modelfile_path(const std::string& path, const fs::path& base_dir) {
  fs::path p;
  if (!path.empty() && (path[0] == '/' || path[0] == '\\')) {
    p = path;
  } else if (!path.empty() && path[0] == '~') {
    fs::path home;
    std::string rest;
    if (path == "~" || path.rfind("~/", 0) == 0) {
      const char* h = std::getenv("HOME");
      if (!h || !*h) {
        const passwd* pw = ::getpwuid(::getuid());
        if (!pw) fail("failed to get current user");
        h = pw->pw_dir;
      }
      home = h;
      rest = path.substr(1);
    } else {
      const auto slash = path.find('/');
      const std::string user = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
      const passwd* pw = ::getpwnam(user.c_str());
      if (!pw) fail("failed to find user '{}': user: unknown user {}", user, user);
      home = pw->pw_dir;
      rest = slash == std::string::npos ? "" : path.substr(slash);
    }
    p = home / fs::path(rest).relative_path();
  } else {
    p = base_dir / path;
  }
  return fs::absolute(p).lexically_normal();
}

std::vector<fs::path> files_for_model_dir(const fs::path& dir) {
  std::vector<fs::path> files;
  auto add = [&](const std::vector<fs::path>& more) { files.insert(files.end(), more.begin(), more.end()); };
  if (auto st = glob(dir, "model*.safetensors", false); !st.empty()) {
    add(st);
    add(glob(dir, "model*.safetensors", true));
  } else if (auto c = glob(dir, "consolidated*.safetensors", false); !c.empty()) {
    add(c);
  } else if (auto pt = glob(dir, "pytorch_model*.bin", false); !pt.empty()) {
    add(pt);
  } else if (auto pth = glob(dir, "consolidated*.pth", false); !pth.empty()) {
    add(pth);
  } else if (auto gg = glob(dir, "*.gguf", false); !gg.empty()) {
    add(gg);
  } else if (auto bin = glob(dir, "*.bin", false); !bin.empty()) {
    add(bin);
  } else {
    fail("no Modelfile or safetensors files found");
  }
  add(glob(dir, "*.json", false));
  add(glob(dir, "*.json", true));
  add(glob(dir, "chat_template.jinja", false));
  if (auto tk = glob(dir, "tokenizer.model", false); !tk.empty())
    add(tk);
  else
    add(glob(dir, "tokenizer.model", true));
  return files;
}

ModelfileRequest modelfile_to_request(const Modelfile& modelfile, const ModelfileRequestOptions& options) {
  ModelfileRequest out;
  CreateRequest& req = out.request;
  std::vector<fs::path> model_files;
  std::vector<fs::path> adapter_files;
  nlohmann::json params = nlohmann::json::object();

  for (const auto& c : modelfile.commands) {
    switch (c.instruction) {
      case Instruction::from: {
        const fs::path p = expand_modelfile_path(c.value, options.base_dir);
        auto files = local_files_for(p);
        if (!files) {
          req.from = c.value;
          break;
        }
        model_files.insert(model_files.end(), files->begin(), files->end());
        break;
      }
      case Instruction::adapter: {
        const fs::path p = expand_modelfile_path(c.value, options.base_dir);
        auto files = local_files_for(p);
        if (!files) fail("stat {}: no such file or directory", p.string());
        adapter_files = *files;  // the last ADAPTER wins, as a whole
        break;
      }
      case Instruction::draft:
        fail("(line {}): DRAFT models are not supported by corral", c.line);
      case Instruction::template_: req.template_text = c.value; break;
      case Instruction::system: req.system = c.value; break;
      case Instruction::license: req.license.push_back(c.value); break;
      case Instruction::renderer: req.renderer = c.value; break;
      case Instruction::parser: req.parser = c.value; break;
      case Instruction::requires_: {
        std::string v = c.value;
        if (v.empty() || v[0] != 'v') v = "v" + v;
        if (!is_valid_semver(v)) fail("requires must be a valid semver (e.g. 0.14.0)");
        req.requires_version = v.substr(1);
        break;
      }
      case Instruction::message: {
        CreateMessage m;
        m.role = c.name;
        m.content = c.value;
        req.messages.push_back(std::move(m));
        break;
      }
      case Instruction::parameter: {
        if (is_deprecated_parameter(c.name)) {
          out.warnings.push_back(fmt::format("warning: parameter {} is deprecated", c.name));
          break;
        }
        nlohmann::json v = format_parameter(c.name, {c.value});
        auto it = params.find(c.name);
        if (v.is_array() && it != params.end() && it->is_array()) {
          for (auto& s : v) it->push_back(std::move(s));
        } else {
          params[c.name] = std::move(v);
        }
        break;
      }
    }
  }
  if (!params.empty()) req.parameters = std::move(params);
  for (const auto& [name, path] : request_names(model_files)) {
    req.files[name] = digest_of(path, options);
    out.local_files[name] = path;
  }
  for (const auto& [name, path] : request_names(adapter_files)) {
    req.adapters[name] = digest_of(path, options);
    out.local_adapters[name] = path;
  }
  return out;
}

}  // namespace corral::store
