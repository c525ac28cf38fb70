import Dispatch
import Foundation

/// Cores this process may use (for splitting work that runs once, such as start-up decoding).
let availableCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// `transform(i)` for every `i` in `0..<count`, in order, computed on every core: the indexes
/// are cut into `chunks` contiguous runs, each run on one thread filling only its own slots,
/// all written before this returns. `transform` runs on several threads at once, so it must
/// only read what it shares (the snapshot's bytes, the records being decoded): that promise is
/// what the unchecked captures below rest on.
func concurrentMap<T>(count: Int, chunks: Int, _ transform: (Int) -> T) -> [T] {
  guard count > 0 else { return [] }
  let chunks = max(1, min(chunks, count))
  return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
    nonisolated(unsafe) let slots = buffer
    nonisolated(unsafe) let transform = transform
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      guard let base = slots.baseAddress else { return }
      for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
        (base + index).initialize(to: transform(index))
      }
    }
    initialized = count
  }
}
