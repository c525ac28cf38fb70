import CCurl
import Foundation
import Synchronization

/// One libcurl multi handle driven by a dedicated thread: transfers added from any thread run
/// there concurrently, sharing the multi's connection cache (keep-alive reuse) and DNS cache.
///
/// Other threads only touch the `inbox` (under a mutex) and call `curl_multi_wakeup`, the one
/// multi function libcurl allows from another thread; everything else happens on the loop
/// thread. A transfer's `onDone` runs on the loop thread and must not block.
final class CurlMultiLoop: @unchecked Sendable {
  private struct Inbox {
    var additions: [CurlTransfer] = []
    var cancellations: [(key: UInt, id: UInt64)] = []
    var closed = false
    var drainDeadline: ContinuousClock.Instant?
    var finished = false
    var finishWaiters: [@Sendable () -> Void] = []
  }

  private let multi: UnsafeMutableRawPointer
  private let inbox = Mutex(Inbox())
  /// Transfers added to the multi handle, by handle address (loop thread only).
  private var active: [UInt: CurlTransfer] = [:]
  private let name: String

  /// Starts the loop thread. `maxHostConnections` caps connections per host (0: no cap),
  /// `maxTotalConnections` across hosts, `maxCachedConnections` idle ones kept for reuse.
  init(
    name: String, maxHostConnections: Int, maxTotalConnections: Int, maxCachedConnections: Int
  ) throws(CurlError) {
    CurlGlobal.ensureInitialized()
    guard let multi = curl_multi_init() else {
      throw CurlError(kind: .other, code: 0, message: "curl_multi_init failed")
    }
    self.multi = multi
    self.name = name
    _ = jc_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxHostConnections)
    _ = jc_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxTotalConnections)
    _ = jc_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
    let thread = Thread { [self] in run() }
    thread.name = name
    thread.start()
  }

  /// Hands a configured transfer to the loop; false when the loop is shut down (the transfer
  /// is then untouched and `onDone` never called).
  func submit(_ transfer: CurlTransfer) -> Bool {
    inbox.withLock { inbox in
      guard !inbox.closed else { return false }
      inbox.additions.append(transfer)
      wake(inbox)
      return true
    }
  }

  /// Aborts a transfer; its `onDone` runs with `CURLE_ABORTED_BY_CALLBACK`.
  func cancel(_ transfer: CurlTransfer) {
    let entry = (key: UInt(bitPattern: transfer.handle), id: transfer.id)
    inbox.withLock { inbox in
      inbox.cancellations.append(entry)
      wake(inbox)
    }
  }

  /// Refuses new transfers, lets those in flight run for up to `gracePeriod` seconds, aborts
  /// the rest, frees the multi handle and then calls `done` (on the loop thread, or at once
  /// when the loop has already ended).
  func shutdown(gracePeriod: Double, done: @escaping @Sendable () -> Void) {
    let finished = inbox.withLock { inbox in
      if inbox.finished { return true }
      let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, gracePeriod) * 1000))
      inbox.closed = true
      inbox.drainDeadline = min(inbox.drainDeadline ?? deadline, deadline)
      inbox.finishWaiters.append(done)
      wake(inbox)
      return false
    }
    if finished { done() }
  }

  /// Interrupts `curl_multi_poll`. Called with the inbox locked: the loop marks itself
  /// finished under the same lock before it frees the multi handle, so no wake-up can reach
  /// a freed handle.
  private func wake(_ inbox: Inbox) {
    if !inbox.finished { curl_multi_wakeup(multi) }
  }

  private func run() {
    var running: Int32 = 0
    while true {
      let (additions, cancellations, deadline) = inbox.withLock { inbox in
        let taken = (inbox.additions, inbox.cancellations, inbox.drainDeadline)
        inbox.additions = []
        inbox.cancellations = []
        return taken
      }
      for transfer in additions { add(transfer) }
      for entry in cancellations where active[entry.key]?.id == entry.id {
        finish(entry.key, CURLE_ABORTED_BY_CALLBACK)
      }
      if let deadline {
        if active.isEmpty { break }
        if ContinuousClock.now >= deadline {
          for key in Array(active.keys) { finish(key, CURLE_ABORTED_BY_CALLBACK) }
          break
        }
      }
      _ = curl_multi_perform(multi, &running)
      collectFinished()
      var waitMilliseconds: Int32 = 1000
      if let deadline {
        let left = ContinuousClock.now.duration(to: deadline).components
        let milliseconds = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
        waitMilliseconds = Int32(max(0, min(1000, milliseconds)))
      }
      _ = curl_multi_poll(multi, nil, 0, waitMilliseconds, nil)
    }
    let waiters = inbox.withLock { inbox in
      inbox.finished = true
      let waiters = inbox.finishWaiters
      inbox.finishWaiters = []
      return waiters
    }
    curl_multi_cleanup(multi)
    for waiter in waiters { waiter() }
  }

  private func add(_ transfer: CurlTransfer) {
    let key = UInt(bitPattern: transfer.handle)
    let code = curl_multi_add_handle(multi, transfer.handle)
    guard code == CURLM_OK else {
      transfer.onDone?(transfer, CURLE_FAILED_INIT)
      transfer.onDone = nil
      return
    }
    active[key] = transfer
  }

  private func collectFinished() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(multi, &remaining) {
      var handle: UnsafeMutableRawPointer? = nil
      var result = CURLE_OK
      guard jc_multi_message_done(message, &handle, &result) != 0, let handle else { continue }
      finish(UInt(bitPattern: handle), result)
    }
  }

  private func finish(_ key: UInt, _ result: CURLcode) {
    guard let transfer = active.removeValue(forKey: key) else { return }
    curl_multi_remove_handle(multi, transfer.handle)
    let done = transfer.onDone
    transfer.onDone = nil
    done?(transfer, result)
  }
}
