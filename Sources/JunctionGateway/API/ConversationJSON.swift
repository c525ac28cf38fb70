import JunctionModel

/// How conversations appear in API answers.
enum ConversationJSON {
  /// The conversation's fields plus `waiting_since` (when it entered its queue).
  static func summary(_ record: GatewayState.ConversationRecord) -> JSON {
    var object = record.conversation.json.objectValue ?? JSONObject()
    object["waiting_since"] = record.queuedAt.json
    return .object(object)
  }
}
