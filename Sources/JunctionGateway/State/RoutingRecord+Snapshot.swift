import JunctionModel

extension RoutingRecord {
  /// Writes the binary snapshot form (FORMAT.md, "Application state").
  func write(into writer: inout BinaryWriter) {
    writer.string(skill)
    writer.string(tier)
    writer.string(language)
    writer.string(channelKind)
    writer.int(filterIndex)
    writer.int(targetIndex)
    writer.timestamp(timeoutAt)
    if case .array(let items) = passedTargets, items.isEmpty {
      writer.bool(false)
    } else {
      writer.bool(true)
      writer.json(passedTargets)
    }
    writer.string(slaPolicy)
    writer.uint(UInt64(sla.count))
    for fact in sla {
      switch fact {
      case .customerMessage(let at):
        writer.uint(0)
        writer.timestamp(at)
      case .agentReply(let at):
        writer.uint(1)
        writer.timestamp(at)
      case .waitingOnCustomer(let at):
        writer.uint(2)
        writer.timestamp(at)
      case .resolved(let at):
        writer.uint(3)
        writer.timestamp(at)
      case .recorded(let key):
        writer.uint(4)
        writer.string(key)
      }
    }
    switch bot {
    case nil: writer.uint(0)
    case .listening(let since)?:
      writer.uint(1)
      writer.timestamp(since)
    case .answered(let entry)?:
      writer.uint(2)
      writer.string(entry)
    case .handedOff?: writer.uint(3)
    }
    writer.int(botAnswers)
    writer.bool(agentReplied)
  }

  /// Reads the binary snapshot form.
  init(snapshot reader: inout BinaryReader) throws(FieldError) {
    skill = try reader.string()
    tier = try reader.string()
    language = try reader.optionalString()
    channelKind = try reader.string()
    filterIndex = try reader.optionalInt()
    targetIndex = try reader.optionalInt()
    timeoutAt = try reader.optionalTimestamp()
    passedTargets = try reader.flag() ? try reader.json() : .array([])
    slaPolicy = try reader.optionalString()
    let count = try reader.count()
    sla.reserveCapacity(count)
    for _ in 0..<count {
      switch try reader.uint() {
      case 0: sla.append(.customerMessage(try reader.timestamp()))
      case 1: sla.append(.agentReply(try reader.timestamp()))
      case 2: sla.append(.waitingOnCustomer(try reader.timestamp()))
      case 3: sla.append(.resolved(try reader.timestamp()))
      case 4: sla.append(.recorded(try reader.string()))
      default: throw reader.error("unknown SLA fact")
      }
    }
    switch try reader.uint() {
    case 0: bot = nil
    case 1: bot = .listening(waitingSince: try reader.optionalTimestamp())
    case 2: bot = .answered(entryId: try reader.string())
    case 3: bot = .handedOff
    default: throw reader.error("unknown bot state")
    }
    botAnswers = try reader.intValue()
    agentReplied = try reader.flag()
  }
}
