import Synchronization

/// Carries a transfer from the task that started it to its cancellation handler, which may
/// run first or concurrently.
final class TransferBox: Sendable {
  private let state = Mutex<(transfer: CurlTransfer?, cancelled: Bool, loop: CurlMultiLoop?)>(
    (nil, false, nil))

  /// Records the started transfer; cancels it at once when cancellation came first.
  func set(_ transfer: CurlTransfer?) {
    let loop = state.withLock { state -> CurlMultiLoop? in
      state.transfer = transfer
      return state.cancelled ? state.loop : nil
    }
    if let loop, let transfer { loop.cancel(transfer) }
  }

  /// Cancels the transfer now or as soon as it is recorded.
  func cancel(on loop: CurlMultiLoop) {
    let transfer = state.withLock { state -> CurlTransfer? in
      state.cancelled = true
      state.loop = loop
      return state.transfer
    }
    if let transfer { loop.cancel(transfer) }
  }
}
