// Spelling of numbers the way Go and Python print them: shortest round-trip
// digits of a double, Go's fmt %v and encoding/json float forms, and
// Python's float repr (used by Jinja templates and tojson).
#pragma once

#include <string>

namespace corral::textnum {

// The shortest decimal digits that round-trip v: |v| = 0.DIGITS x 10^point.
// Zero gives digits "0" and point 1.
struct Digits {
  std::string digits;
  int point = 0;
  bool negative = false;
};
Digits shortest_digits(double v);

// Go fmt.Sprint(float64): %g with the shortest digits; exponent form when
// the decimal exponent is < -4 or >= 6 ("1e+06", "0.0001", "1e-05").
std::string go_float(double v);
// Go encoding/json of a float64 (finite values only; callers check).
std::string go_json_float(double v);
// Python repr(float): "1.0", "1e+16", "inf", "nan".
std::string python_float(double v);
// Python json.dumps of a float: like repr, but Infinity/-Infinity/NaN.
std::string python_json_float(double v);

}  // namespace corral::textnum
