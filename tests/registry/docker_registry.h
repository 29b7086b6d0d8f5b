// DockerRegistry: starts Debian's docker-registry (CNCF distribution 2.8)
// on 127.0.0.1 with a free port and a temporary storage folder, waits until
// it answers GET /v2/, and stops it on destruction. Tests skip when the
// binary is absent (scripts/install-deps.sh installs it).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "testutil/temp_dir.h"

namespace corral::test {

class DockerRegistry {
 public:
  // The docker-registry binary, or nullopt when it is not installed.
  static std::optional<std::filesystem::path> binary();

  // Starts it; throws std::runtime_error (with the log's tail) if it does not come up.
  DockerRegistry();
  ~DockerRegistry();
  DockerRegistry(const DockerRegistry&) = delete;
  DockerRegistry& operator=(const DockerRegistry&) = delete;

  // "127.0.0.1:<port>": the host part of model names pushed to it.
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path storage() const { return dir_.path() / "data"; }

 private:
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace corral::test

// Declares `var` as a running DockerRegistry, or skips the test.
#define CORRAL_DOCKER_REGISTRY_OR_SKIP(var)                                                   \
  if (!::corral::test::DockerRegistry::binary())                                              \
    GTEST_SKIP() << "docker-registry is not installed (scripts/install-deps.sh installs it)"; \
  ::corral::test::DockerRegistry var
