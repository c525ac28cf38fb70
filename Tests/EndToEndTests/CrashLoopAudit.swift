import Foundation
import JunctionModel

/// A request a stand-in (the provider receiving replies, the helpdesk receiving deliveries)
/// got during the crash loop, with the number of kills that had happened before it.
struct Receipt: Sendable {
  /// `webhook-id`: the message id of a reply, the event id of a delivery.
  var id: String
  /// The `id` in the body (must equal `id`).
  var bodyId: String?
  var epoch: Int
  var signatureValid: Bool
  /// When the stand-in handled it (seconds, monotonic).
  var at: Double = Receipt.now()

  static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }
}

/// The crash loop's figures, checked against the load generator's own record.
struct CrashLoopFigures: Codable, Sendable {
  var kills = 0
  var acknowledged = 0
  var lost = 0
  var duplicated = 0
  /// Messages acknowledged with other ids than the feed holds.
  var mismatched = 0
  /// Stored but never acknowledged (the answer was lost in a kill): allowed, at most once each.
  var storedUnacknowledged = 0
  /// Provider retries answered `"duplicate": true`: stored before a kill took the answer away.
  var retriesDeduplicated = 0
  var repliesAccepted = 0
  var repliesSent = 0
  var repliesPending = 0
  /// A reply sent again after a kill whose process had not journaled the provider's answer.
  var resendsAfterKill = 0
  /// A reply sent again with no kill in between, or after its `message.sent` was journaled.
  var resendsWrong = 0
  /// Sends of messages the journal never queued, and `message.sent` without a send.
  var sendsUnexplained = 0
  var events = 0
  var delivered = 0
  var deliveriesMissing = 0
  /// The first few events never delivered: type and offset, to say what went missing.
  var missingSample: [String] = []
  var redeliveriesAfterKill = 0
  var redeliveriesWrong = 0
  var badSignatures = 0
  var contradictions: [String] = []

  /// Every guarantee at once (replies and deliveries only when `outbound` is true).
  var violations: [String] {
    var found: [String] = []
    if lost > 0 { found.append("\(lost) acknowledged messages lost") }
    if duplicated > 0 { found.append("\(duplicated) messages stored more than once") }
    if mismatched > 0 { found.append("\(mismatched) messages stored with other ids") }
    if resendsWrong > 0 { found.append("\(resendsWrong) replies sent twice without cause") }
    if sendsUnexplained > 0 { found.append("\(sendsUnexplained) unexplained sends") }
    if redeliveriesWrong > 0 {
      found.append("\(redeliveriesWrong) deliveries repeated without cause")
    }
    if badSignatures > 0 { found.append("\(badSignatures) badly signed requests") }
    found += contradictions
    return found
  }

  static let header =
    "kills  acked  lost  dup  replies  sent  pending  resent(kill/wrong)  events  delivered  missing  redelivered(kill/wrong)"

  var row: String {
    func pad(_ value: CustomStringConvertible, _ width: Int) -> String {
      let text = value.description
      return String(repeating: " ", count: max(0, width - text.count)) + text
    }
    return [
      pad(kills, 5), pad(acknowledged, 6), pad(lost, 5), pad(duplicated, 4),
      pad(repliesAccepted, 8), pad(repliesSent, 5), pad(repliesPending, 8),
      pad("\(resendsAfterKill)/\(resendsWrong)", 19), pad(events, 7), pad(delivered, 10),
      pad(deliveriesMissing, 8), pad("\(redeliveriesAfterKill)/\(redeliveriesWrong)", 24),
    ].joined(separator: " ")
  }
}

/// Computes ``CrashLoopFigures`` from the load's record, the final event feed, what the
/// stand-ins received, and the journal offset each restart recovered to.
enum CrashLoopAudit {
  struct Inputs {
    var kills: Int
    var acknowledged: [String: CrashLoopLoad.Acknowledged]
    var replies: [String: String]
    var contradictions: [String]
    var retriesDeduplicated: Int
    var events: [JSON]
    var sends: [Receipt]
    var deliveries: [Receipt]
    /// Offset after which the subscription delivers.
    var subscriptionStart: Int64
    /// `recovered[k]`: the last journal offset the start after kill `k` (1-based) recovered.
    var recovered: [Int: Int64]
    /// When each kill happened (``Receipt/now()``).
    var killedAt: [Double] = []
  }

  /// How late a stand-in may handle a request the killed process sent before it died (its
  /// handler runs on a busy machine after the request arrived).
  static let handlerDelay = 0.5

  static func figures(_ inputs: Inputs) -> CrashLoopFigures {
    var figures = CrashLoopFigures()
    figures.kills = inputs.kills
    figures.contradictions = inputs.contradictions
    figures.retriesDeduplicated = inputs.retriesDeduplicated
    figures.badSignatures =
      (inputs.sends + inputs.deliveries).filter { !$0.signatureValid || $0.bodyId != $0.id }.count
    inbound(inputs, &figures)
    replies(inputs, &figures)
    deliveries(inputs, &figures)
    return figures
  }

  private static func inbound(_ inputs: Inputs, _ figures: inout CrashLoopFigures) {
    var stored: [String: [String]] = [:]
    for event in inputs.events where event["type"]?.stringValue == "message.received" {
      let message = event["data"]?["message"]
      guard let providerId = message?["provider_message_id"]?.stringValue else { continue }
      stored[providerId, default: []].append(message?["id"]?.stringValue ?? "")
    }
    figures.acknowledged = inputs.acknowledged.count
    for (id, answer) in inputs.acknowledged {
      guard let ids = stored[id] else {
        figures.lost += 1
        continue
      }
      if ids.first != answer.messageId { figures.mismatched += 1 }
    }
    figures.duplicated = stored.values.filter { $0.count > 1 }.count
    figures.storedUnacknowledged = stored.keys.filter { inputs.acknowledged[$0] == nil }.count
  }

  private static func replies(_ inputs: Inputs, _ figures: inout CrashLoopFigures) {
    var queued: Set<String> = []
    var sentAt: [String: Int64] = [:]
    for event in inputs.events {
      switch event["type"]?.stringValue {
      case "message.queued":
        if let id = event["data"]?["message"]?["id"]?.stringValue { queued.insert(id) }
      case "message.sent":
        if let id = event["data"]?["message_id"]?.stringValue, sentAt[id] == nil {
          sentAt[id] = event["offset"]?.intValue ?? 0
        }
      default:
        break
      }
    }
    let byMessage = Dictionary(grouping: inputs.sends, by: \.id)
    let accepted = Set(inputs.replies.values)
    figures.repliesAccepted = accepted.count
    for id in accepted {
      if byMessage[id] == nil { figures.repliesPending += 1 } else { figures.repliesSent += 1 }
    }
    figures.sendsUnexplained += byMessage.keys.filter { !queued.contains($0) }.count
    figures.sendsUnexplained += sentAt.keys.filter { byMessage[$0] == nil }.count
    for (id, sends) in byMessage {
      let ordered = sends.sorted { $0.at < $1.at }
      for (previous, next) in zip(ordered, ordered.dropFirst()) {
        // A kill between the two explains the resend. The epoch is stamped when the stand-in
        // handles a request, so a send of the killed process handled just after the kill
        // carries the new epoch: a kill up to `handlerDelay` before the first counts too.
        let killBetween =
          next.epoch > previous.epoch
          || inputs.killedAt.contains { $0 >= previous.at - handlerDelay && $0 <= next.at }
        // The process of epoch `next` recovered the journal up to `recovered[next]`: if the
        // provider's answer was in it, that process had no reason to send again.
        let answerKnown = sentAt[id].map { $0 <= inputs.recovered[next.epoch] ?? -1 } ?? false
        if killBetween && !answerKnown {
          figures.resendsAfterKill += 1
        } else {
          figures.resendsWrong += 1
        }
      }
    }
  }

  private static func deliveries(_ inputs: Inputs, _ figures: inout CrashLoopFigures) {
    let expected = Set(
      inputs.events.filter { ($0["offset"]?.intValue ?? 0) > inputs.subscriptionStart }
        .compactMap { $0["id"]?.stringValue })
    let byEvent = Dictionary(grouping: inputs.deliveries, by: \.id)
    figures.events = expected.count
    figures.delivered = expected.filter { byEvent[$0] != nil }.count
    figures.deliveriesMissing = expected.count - figures.delivered
    figures.missingSample = inputs.events.filter {
      ($0["offset"]?.intValue ?? 0) > inputs.subscriptionStart
        && byEvent[$0["id"]?.stringValue ?? ""] == nil
    }.prefix(10).map {
      "\($0["type"]?.stringValue ?? "?")@\($0["offset"]?.intValue ?? -1)"
    }
    for (_, receipts) in byEvent {
      let times = receipts.map(\.at).sorted()
      for (previous, next) in zip(times, times.dropFirst()) {
        // A kill between the two explains the repeat: the first may have been stamped a little
        // after the kill that cut its process off before it recorded the delivery.
        if inputs.killedAt.contains(where: { $0 >= previous - handlerDelay && $0 <= next }) {
          figures.redeliveriesAfterKill += 1
        } else {
          figures.redeliveriesWrong += 1
        }
      }
    }
  }
}
