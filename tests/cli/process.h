// Running a program for a test: argv, extra environment, bytes on stdin;
// stdout and stderr captured separately; killed after a timeout.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace corral::test {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or the timeout
  bool timed_out = false;
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                          const std::string& stdin_data = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_local_port();

}  // namespace corral::test
