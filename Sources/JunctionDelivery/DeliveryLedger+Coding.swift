import JunctionModel

extension DeliveryLedger.Record {
  /// The stored form: compact JSON, `{"s": subscription, "r": kind, "e": epoch, "o": offset, …}`.
  public func encoded() -> [UInt8] {
    var object: JSONObject
    switch self {
    case let .delivered(id, epoch, offset, at):
      object = ["s": .string(id), "r": "ok", "e": .uint(epoch), "o": .uint(offset), "t": .int(at)]
    case let .failed(id, epoch, offset, attempts, nextAt, error, at):
      object = [
        "s": .string(id), "r": "retry", "e": .uint(epoch), "o": .uint(offset),
        "a": .int(Int64(attempts)), "n": .int(nextAt), "m": .string(error), "t": .int(at),
      ]
    case let .gaveUp(id, epoch, offset, error, at):
      object = [
        "s": .string(id), "r": "gave_up", "e": .uint(epoch), "o": .uint(offset),
        "m": .string(error), "t": .int(at),
      ]
    case let .floor(id, epoch, offset):
      object = ["s": .string(id), "r": "floor", "e": .uint(epoch), "o": .uint(offset)]
    case let .replay(id, epoch, after):
      object = ["s": .string(id), "r": "replay", "e": .uint(epoch), "o": .uint(after)]
    case let .removed(id):
      object = ["s": .string(id), "r": "removed"]
    case let .enabled(id):
      object = ["s": .string(id), "r": "enabled"]
    }
    return JSON.object(object).serialized()
  }

  /// Reads a stored record; nil for one this version does not know.
  public init?(bytes: [UInt8]) {
    guard let json = try? JSON.parse(bytes), let id = json["s"]?.stringValue,
      let kind = json["r"]?.stringValue
    else { return nil }
    let epoch = UInt64(max(0, json["e"]?.intValue ?? 0))
    let offset = UInt64(max(0, json["o"]?.intValue ?? 0))
    let at = json["t"]?.intValue ?? 0
    let error = json["m"]?.stringValue ?? ""
    switch kind {
    case "ok": self = .delivered(subscription: id, epoch: epoch, offset: offset, at: at)
    case "retry":
      self = .failed(
        subscription: id, epoch: epoch, offset: offset,
        attempts: Int(json["a"]?.intValue ?? 1), nextAt: json["n"]?.intValue ?? 0, error: error,
        at: at)
    case "gave_up":
      self = .gaveUp(subscription: id, epoch: epoch, offset: offset, error: error, at: at)
    case "floor": self = .floor(subscription: id, epoch: epoch, offset: offset)
    case "replay": self = .replay(subscription: id, epoch: epoch, after: offset)
    case "removed": self = .removed(subscription: id)
    case "enabled": self = .enabled(subscription: id)
    default: return nil
    }
  }
}

extension DeliveryLedger {
  /// The whole ledger as snapshot bytes.
  public func snapshotBytes() -> [UInt8] {
    var subscriptions = JSONObject()
    for (id, item) in progress {
      var object: JSONObject = [
        "epoch": .uint(item.epoch), "floor": .uint(item.floor),
        "finished": .array(item.finished.sorted().map(JSON.uint)),
        "retrying": .array(
          item.retrying.sorted { $0.key < $1.key }.map {
            [.uint($0.key), .int(Int64($0.value.attempts)), .int($0.value.nextAt)]
          }),
        "delivered": .int(item.delivered), "gave_up": .int(item.gaveUp),
      ]
      if let since = item.failingSince { object["failing_since"] = .int(since) }
      if let error = item.lastError { object["last_error"] = .string(error) }
      if let success = item.lastSuccessAt { object["last_success_at"] = .int(success) }
      subscriptions[id] = .object(object)
    }
    return JSON.object(["format": 1, "subscriptions": .object(subscriptions)]).serialized()
  }

  /// Restores a ledger from ``snapshotBytes()``; nil when the bytes are not one.
  public init?(snapshotBytes bytes: [UInt8]) {
    guard let json = try? JSON.parse(bytes), json["format"]?.intValue == 1,
      let subscriptions = json["subscriptions"]?.objectValue
    else { return nil }
    self.init()
    for (id, value) in subscriptions {
      var item = Progress()
      item.epoch = UInt64(max(0, value["epoch"]?.intValue ?? 0))
      item.floor = UInt64(max(0, value["floor"]?.intValue ?? 0))
      item.finished = Set(
        (value["finished"]?.arrayValue ?? []).compactMap { $0.intValue.map { UInt64($0) } })
      for entry in value["retrying"]?.arrayValue ?? [] {
        guard let offset = entry[0]?.intValue, let attempts = entry[1]?.intValue,
          let nextAt = entry[2]?.intValue
        else { continue }
        item.retrying[UInt64(offset)] = Retry(attempts: Int(attempts), nextAt: nextAt)
      }
      item.delivered = value["delivered"]?.intValue ?? 0
      item.gaveUp = value["gave_up"]?.intValue ?? 0
      item.failingSince = value["failing_since"]?.intValue
      item.lastError = value["last_error"]?.stringValue
      item.lastSuccessAt = value["last_success_at"]?.intValue
      progress[id] = item
    }
  }
}

extension JSON {
  /// An unsigned offset as a JSON integer.
  static func uint(_ value: UInt64) -> JSON { .int(Int64(clamping: value)) }
}
