#include "kerberos/etype.h"

#include <cstdio>

namespace kerbsim::kerberos {

std::string etype_name(Etype e) {
  switch (e) {
    case Etype::Aes256:
      return "aes256";
    case Etype::Aes128:
      return "aes128";
    case Etype::Rc4:
      return "rc4";
    case Etype::DesCbcCrc:
    case Etype::DesCbcMd5:
      return "des";
  }
  return "unknown";
}

std::string etype_hex(Etype e) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", static_cast<int>(e));
  return buf;
}

std::optional<std::uint32_t> enctype_bit(const std::string& name) {
  if (name == "aes256") return kAes256Bit;
  if (name == "aes128") return kAes128Bit;
  if (name == "rc4") return kRc4Bit;
  if (name == "des") return kDesCrcBit | kDesMd5Bit;
  return std::nullopt;
}

std::uint32_t enctype_bits(const std::vector<std::string>& names) {
  std::uint32_t bits = 0;
  for (const auto& n : names)
    if (auto b = enctype_bit(n)) bits |= *b;
  return bits;
}

std::vector<std::string> enctype_names(std::uint32_t bits) {
  std::vector<std::string> out;
  for (const char* name : {"aes256", "aes128", "rc4", "des"})
    if (bits & *enctype_bit(name)) out.emplace_back(name);
  return out;
}

std::string describe_bits(std::uint32_t bits) {
  std::string out;
  const auto add = [&](std::uint32_t b, const char* n) {
    if (bits & b) out += (out.empty() ? "" : ", ") + std::string(n);
  };
  add(kAes256Bit, "AES256");
  add(kAes128Bit, "AES128");
  add(kRc4Bit, "RC4");
  add(kDesCrcBit | kDesMd5Bit, "DES");
  return out.empty() ? "none" : out;
}

std::optional<Etype> strongest(std::uint32_t bits) {
  if (bits & kAes256Bit) return Etype::Aes256;
  if (bits & kAes128Bit) return Etype::Aes128;
  if (bits & kRc4Bit) return Etype::Rc4;
  if (bits & kDesMd5Bit) return Etype::DesCbcMd5;
  if (bits & kDesCrcBit) return Etype::DesCbcCrc;
  return std::nullopt;
}

}  // namespace kerbsim::kerberos
