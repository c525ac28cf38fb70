// The x86-64 instructions that do SHA-256 and CRC32C in hardware (SHA extensions, SSE4.2),
// behind plain C calls for JunctionDigest. Each `..._available` asks the CPU (CPUID) whether
// the instructions exist; the compress/update functions must only be called when it said yes.
// On other architectures nothing is available and JunctionDigest keeps its portable Swift code.
#ifndef JUNCTION_C_DIGEST_ACCELERATION_H
#define JUNCTION_C_DIGEST_ACCELERATION_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU has the SHA extensions (and SSSE3/SSE4.1 they need), else 0.
int junction_sha256_hardware_available(void);
/// SHA-256 compression of `blocks` consecutive 64-byte blocks into `state` (a..h).
void junction_sha256_hardware_compress(uint32_t state[8], const uint8_t *data, size_t blocks);
/// 1 when the CPU has SSE4.2's CRC32 instruction (the Castagnoli polynomial), else 0.
int junction_crc32c_hardware_available(void);
/// Feeds `count` bytes into a CRC32C register (no inversion in or out; reflected, like the
/// table-driven update).
uint32_t junction_crc32c_hardware_update(uint32_t crc, const uint8_t *data, size_t count);

#endif
