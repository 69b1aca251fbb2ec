// A field-by-field walk over plain aggregate structs (the spec structs), so that a test can compare two
// specs, or find the fields a spec leaves at their defaults, without listing the fields: a field added
// to spec.h is walked the day it is added.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>

namespace kerbsim::test {

namespace detail {

// Converts to any member type, so that T{Any, Any, ...} compiles exactly up to T's number of fields.
struct Any {
  template <class T>
  operator T&() const;
  template <class T>
  operator T&&() const;
};

template <class T, std::size_t... I>
constexpr bool braces(std::index_sequence<I...>) {
  return requires { T{(void(I), Any{})...}; };
}

}  // namespace detail

template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (detail::braces<T>(std::make_index_sequence<N + 1>{}))
    return field_count<T, N + 1>();
  else
    return N;
}

// The fields of an aggregate as a tuple of references, in declaration order.
template <class T>
auto fields(const T& x) {
  constexpr std::size_t n = field_count<T>();
  static_assert(n >= 1 && n <= 24, "fields() walks aggregates of 1 to 24 fields; add a case");
  if constexpr (n == 1) {
    const auto& [m1] = x;
    return std::tie(m1);
  } else if constexpr (n == 2) {
    const auto& [m1, m2] = x;
    return std::tie(m1, m2);
  } else if constexpr (n == 3) {
    const auto& [m1, m2, m3] = x;
    return std::tie(m1, m2, m3);
  } else if constexpr (n == 4) {
    const auto& [m1, m2, m3, m4] = x;
    return std::tie(m1, m2, m3, m4);
  } else if constexpr (n == 5) {
    const auto& [m1, m2, m3, m4, m5] = x;
    return std::tie(m1, m2, m3, m4, m5);
  } else if constexpr (n == 6) {
    const auto& [m1, m2, m3, m4, m5, m6] = x;
    return std::tie(m1, m2, m3, m4, m5, m6);
  } else if constexpr (n == 7) {
    const auto& [m1, m2, m3, m4, m5, m6, m7] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7);
  } else if constexpr (n == 8) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8);
  } else if constexpr (n == 9) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9);
  } else if constexpr (n == 10) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10);
  } else if constexpr (n == 11) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11);
  } else if constexpr (n == 12) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12);
  } else if constexpr (n == 13) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13);
  } else if constexpr (n == 14) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14);
  } else if constexpr (n == 15) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
  } else if constexpr (n == 16) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16);
  } else if constexpr (n == 17) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17);
  } else if constexpr (n == 18) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18);
  } else if constexpr (n == 19) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19);
  } else if constexpr (n == 20) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20);
  } else if constexpr (n == 21) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21);
  } else if constexpr (n == 22) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22] =
        x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
                    m22);
  } else if constexpr (n == 23) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22,
                 m23] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22,
                    m23);
  } else if constexpr (n == 24) {
    const auto& [m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22,
                 m23, m24] = x;
    return std::tie(m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22,
                    m23, m24);
  }
}

}  // namespace kerbsim::test
