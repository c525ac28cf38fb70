import Synchronization

/// Recently sent Messenger messages per recipient, kept in memory so receipts that name a
/// time instead of message ids can be turned into per-message statuses.
///
/// Messenger's `read` event (and a `delivery` without `mids`) only says "everything you sent
/// to this person up to `watermark` (ms)". The gateway matches statuses by provider message
/// id, so the adapter remembers which mids it sent to whom and when, and answers a watermark
/// with those mids. Bounded (the last ``perRecipient`` messages of the most recently messaged
/// ``maxRecipients`` people, at most ``maxAge`` old) and lost on restart: receipts for messages
/// sent before a restart only arrive when Messenger names their mids (deliveries).
final class MessengerSendLedger: Sendable {
  /// Messages remembered per recipient.
  static let perRecipient = 50
  /// Recipients remembered.
  static let maxRecipients = 10_000
  /// Milliseconds a sent message is remembered (the longest window, `HUMAN_AGENT`, is 7 days).
  static let maxAge: Int64 = 8 * 86_400_000

  private struct Sent {
    var mid: String
    var at: Int64
  }

  private struct State {
    var byRecipient: [String: [Sent]] = [:]
  }

  private let state = Mutex(State())

  init() {}

  /// Remembers that `mid` was sent to `recipient` at `millis` (taken before the request, so
  /// never after Messenger's own timestamp of the message).
  func record(mid: String, recipient: String, at millis: Int64) {
    state.withLock { state in
      var sent = state.byRecipient[recipient] ?? []
      sent.removeAll { millis - $0.at > Self.maxAge }
      sent.append(Sent(mid: mid, at: millis))
      if sent.count > Self.perRecipient { sent.removeFirst(sent.count - Self.perRecipient) }
      state.byRecipient[recipient] = sent
      if state.byRecipient.count > Self.maxRecipients,
        let stalest = state.byRecipient.min(by: {
          ($0.value.last?.at ?? 0) < ($1.value.last?.at ?? 0)
        })
      {
        state.byRecipient[stalest.key] = nil
      }
    }
  }

  /// The mids sent to `recipient` at or before `watermark` (ms), oldest first.
  func sent(to recipient: String, upTo watermark: Int64) -> [String] {
    state.withLock { state in
      (state.byRecipient[recipient] ?? []).filter { $0.at <= watermark }.map(\.mid)
    }
  }
}
