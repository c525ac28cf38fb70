// Shared by every fuzz target (compiled into each target's executable by bench/fuzz/build.py).

/// Reads a fuzzer's input front to back: a few control bytes, then the payload.
struct FuzzInput {
  private(set) var bytes: ArraySlice<UInt8>

  init(_ data: UnsafePointer<UInt8>, _ count: Int) {
    bytes = ArraySlice(UnsafeBufferPointer(start: data, count: count))
  }

  /// The next control byte (0 once the input is used up).
  mutating func byte() -> UInt8 {
    guard let first = bytes.first else { return 0 }
    bytes = bytes.dropFirst()
    return first
  }

  /// Everything not read yet.
  var rest: [UInt8] { Array(bytes) }
}

/// A small deterministic generator seeded by the input, for split points and choices.
struct SplitMix {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

/// Stops the fuzzer with a finding when an invariant does not hold (a trap, which libFuzzer
/// reports as a crash and saves the input for).
func invariant(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #file, line: UInt = #line
) {
  if !condition() { fatalError("invariant failed: \(message())", file: file, line: line) }
}
