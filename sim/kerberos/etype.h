// Kerberos encryption types and msDS-SupportedEncryptionTypes bits (kerberos-rules R2.3-R2.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kerbsim::kerberos {

enum class Etype : int { DesCbcCrc = 1, DesCbcMd5 = 3, Aes128 = 17, Aes256 = 18, Rc4 = 23 };

// Bits of msDS-SupportedEncryptionTypes (R2.4).
constexpr std::uint32_t kDesCrcBit = 0x1, kDesMd5Bit = 0x2, kRc4Bit = 0x4, kAes128Bit = 0x8, kAes256Bit = 0x10;

// The etypes a Windows Server 2008 R2+ KDC has enabled: DES is off by default (R2.3).
constexpr std::uint32_t kKdcEnabledEtypes = kAes256Bit | kAes128Bit | kRc4Bit;

std::string etype_name(Etype e);                                    // "aes256", "aes128", "rc4", "des"
std::string etype_hex(Etype e);                                     // "0x12", as audit events print it
std::optional<std::uint32_t> enctype_bit(const std::string& name);  // "aes256" -> 0x10
std::uint32_t enctype_bits(const std::vector<std::string>& names);
std::vector<std::string> enctype_names(std::uint32_t bits);  // 0x18 -> {"aes256", "aes128"}, strongest first
std::string describe_bits(std::uint32_t bits);               // "AES256, AES128, RC4"

// The strongest etype present in bits (AES256 > AES128 > RC4 > DES), if any.
std::optional<Etype> strongest(std::uint32_t bits);

}  // namespace kerbsim::kerberos
