import CDigestAcceleration

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by iSCSI,
/// ext4 and etcd's WAL. The check value of "123456789" is `0xE3069283`.
///
/// Computed with SSE4.2's CRC32 instruction when the CPU has it (checked once), else with
/// slicing-by-8 tables: eight bytes per step, no allocation.
public enum CRC32C {
  /// The CRC of `bytes`, continuing from `crc` (pass the result of an earlier call to
  /// checksum data that arrives in pieces; 0 to start).
  @inlinable
  public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0)
    -> UInt32
  {
    update(~crc, bytes) ^ 0xFFFF_FFFF
  }

  /// The CRC of a byte array, continuing from `crc`.
  @inlinable
  public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0, continuing: crc) }
  }

  /// The CRC of any contiguous byte collection, continuing from `crc`.
  @inlinable
  public static func checksum<Bytes: Collection>(_ bytes: Bytes, continuing crc: UInt32 = 0)
    -> UInt32 where Bytes.Element == UInt8
  {
    if let result = bytes.withContiguousStorageIfAvailable({
      checksum(UnsafeRawBufferPointer($0), continuing: crc)
    }) {
      return result
    }
    return checksum(Array(bytes), continuing: crc)
  }

  /// Whether this CPU has SSE4.2's CRC32 instruction (decided once per process).
  static let hardware = junction_crc32c_hardware_available() != 0

  @usableFromInline
  static func update(_ start: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard hardware, let base = bytes.baseAddress else { return portableUpdate(start, bytes) }
    return junction_crc32c_hardware_update(
      start, base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  /// The table-driven update (slicing by 8), for CPUs without the instruction.
  static func portableUpdate(_ start: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc = start
    var index = 0
    let count = bytes.count
    guard count > 0, let base = bytes.baseAddress else { return crc }
    tables.withUnsafeBufferPointer { table in
      while count - index >= 8 {
        let low = base.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ crc
        let high = base.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
        crc =
          table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
          ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
          ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
        index += 8
      }
      while index < count {
        let byte = base.load(fromByteOffset: index, as: UInt8.self)
        crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        index += 1
      }
    }
    return crc
  }

  /// Eight 256-entry tables, table k holding the CRC of a byte followed by k zero bytes.
  @usableFromInline
  static let tables: [UInt32] = {
    var table = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
      table[byte] = crc
    }
    for slice in 1..<8 {
      for byte in 0..<256 {
        let previous = table[(slice - 1) * 256 + byte]
        table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
      }
    }
    return table
  }()
}
