import JunctionConfig
import JunctionModel

/// An adapter that carries SMS (Twilio, Vonage, Kannel). The gateway reads the instance's
/// ``SMSSettings`` through it, without knowing the adapter, for the send policy (segment
/// limit) and opt-out compliance (STOP / START / HELP).
public protocol SMSChannel: ChannelAdapter {
  /// This channel instance's SMS settings.
  var sms: SMSSettings { get }
}

/// The SMS settings every SMS adapter's manifest declares (``specs(providerAnswersKeywords:)``)
/// and what the gateway does with them:
///
/// - `opt_out_keywords`, `opt_in_keywords`, `help_keywords`: an inbound message that is
///   just one of these (``keywordAction(for:)``) opts the contact out on this channel
///   (`contact.opted_out`; non-transactional sends are then refused), back in, or asks for
///   help. The message itself is stored like any other.
/// - `opt_out_reply`, `opt_in_reply`, `help_reply`: the one confirmation sent back
///   (``reply(for:)``; nil when the provider answers keywords itself).
/// - `keyword_replies`: whether Junction sends those confirmations (false for Twilio, which
///   answers STOP/START/HELP itself on long codes and toll-free numbers).
/// - `max_segments`: replies longer than this many SMS are refused
///   (``check(_:)``, error `too_many_segments`).
/// - `default_country`: ISO code for local phone formats (``PhoneNumber``).
public struct SMSSettings: Sendable, Equatable {
  /// `opt_out_keywords`, `opt_in_keywords`, `help_keywords`.
  public var keywords: OptOutKeywords
  /// `opt_out_reply`.
  public var optOutReply: String
  /// `opt_in_reply`.
  public var optInReply: String
  /// `help_reply`.
  public var helpReply: String
  /// Whether Junction answers keywords itself (see `keyword_replies`).
  public var sendsKeywordReplies: Bool
  /// Most SMS segments one outbound message may take.
  public var maxSegments: Int
  /// ISO 3166 alpha-2 code for numbers written in local format.
  public var defaultCountry: String?

  /// Default confirmations, in English and Russian.
  public static let defaultOptOutReply =
    "You are unsubscribed and will get no more messages. Reply START to resubscribe. "
    + "Вы отписаны. Чтобы подписаться снова, ответьте СТАРТ."
  /// Default `opt_in_reply`.
  public static let defaultOptInReply =
    "You are subscribed again. Reply STOP to unsubscribe. "
    + "Подписка возобновлена. Чтобы отписаться, ответьте СТОП."
  /// Default `help_reply`.
  public static let defaultHelpReply =
    "Reply STOP to unsubscribe, START to resubscribe. "
    + "Ответьте СТОП, чтобы отписаться, СТАРТ, чтобы подписаться."
  /// Default `max_segments`.
  public static let defaultMaxSegments = 10

  /// Settings given in code (tests); defaults as in the specs.
  public init(
    keywords: OptOutKeywords = OptOutKeywords(), optOutReply: String = defaultOptOutReply,
    optInReply: String = defaultOptInReply, helpReply: String = defaultHelpReply,
    sendsKeywordReplies: Bool = true, maxSegments: Int = defaultMaxSegments,
    defaultCountry: String? = nil
  ) {
    self.keywords = keywords
    self.optOutReply = optOutReply
    self.optInReply = optInReply
    self.helpReply = helpReply
    self.sendsKeywordReplies = sendsKeywordReplies
    self.maxSegments = maxSegments
    self.defaultCountry = defaultCountry
  }

  /// Reads a channel's settings (normally validated, with defaults filled in by
  /// ``specs(providerAnswersKeywords:)``; absent values take the same defaults).
  public init(settings: ChannelSettings, providerAnswersKeywords: Bool = false) {
    func list(_ name: String, _ fallback: [String]) -> [String] {
      settings.values[name] == nil ? fallback : settings.strings(name)
    }
    keywords = OptOutKeywords(
      optOut: list("opt_out_keywords", OptOutKeywords.defaultOptOut),
      optIn: list("opt_in_keywords", OptOutKeywords.defaultOptIn),
      help: list("help_keywords", OptOutKeywords.defaultHelp))
    optOutReply = settings.string("opt_out_reply") ?? Self.defaultOptOutReply
    optInReply = settings.string("opt_in_reply") ?? Self.defaultOptInReply
    helpReply = settings.string("help_reply") ?? Self.defaultHelpReply
    sendsKeywordReplies = settings.bool("keyword_replies") ?? !providerAnswersKeywords
    maxSegments = settings.int("max_segments") ?? Self.defaultMaxSegments
    defaultCountry = settings.string("default_country")
  }

  /// The keyword action an inbound message asks for: the provider's own verdict when it
  /// gave one (Twilio Advanced Opt-Out `OptOutType`, kept as `details.opt_out_type`), else
  /// the configured keywords matched against the whole text.
  public func keywordAction(for message: InboundMessage) -> OptOutKeywords.Action? {
    switch message.details["opt_out_type"]?.stringValue?.uppercased() {
    case "STOP": return .optOut
    case "START": return .optIn
    case "HELP": return .help
    default: return message.text.flatMap { keywords.match($0) }
    }
  }

  /// The confirmation to send for `action`, or nil when Junction should send none
  /// (`keyword_replies` false, or a reply set to "" in code).
  public func reply(for action: OptOutKeywords.Action) -> String? {
    guard sendsKeywordReplies else { return nil }
    let text: String
    switch action {
    case .optOut: text = optOutReply
    case .optIn: text = optInReply
    case .help: text = helpReply
    }
    return text.isEmpty ? nil : text
  }

  /// nil when `text` fits `max_segments`; otherwise the error refusing it.
  public func check(_ text: String) -> ProviderError? {
    let measured = SMSSegments(text)
    guard measured.segments > maxSegments else { return nil }
    return ProviderError(
      code: "too_many_segments",
      message:
        "the text takes \(measured.segments) SMS segments (\(measured.encoding.rawValue), "
        + "\(measured.units) units); this channel allows at most \(maxSegments)")
  }

  /// The setting specs of the SMS settings, for an SMS adapter's manifest.
  /// `providerAnswersKeywords` sets the default of `keyword_replies` to false.
  public static func specs(providerAnswersKeywords: Bool = false) -> [SettingSpec] {
    [
      SettingSpec(
        "opt_out_keywords", .stringList,
        default: .array(OptOutKeywords.defaultOptOut.map(JSON.string)),
        summary: "whole-message keywords that opt the sender out (case and spacing ignored)"),
      SettingSpec(
        "opt_in_keywords", .stringList,
        default: .array(OptOutKeywords.defaultOptIn.map(JSON.string)),
        summary: "whole-message keywords that opt the sender back in"),
      SettingSpec(
        "help_keywords", .stringList, default: .array(OptOutKeywords.defaultHelp.map(JSON.string)),
        summary: "whole-message keywords answered with `help_reply`"),
      SettingSpec(
        "opt_out_reply", .string, default: .string(defaultOptOutReply),
        summary: "confirmation sent once after an opt-out"),
      SettingSpec(
        "opt_in_reply", .string, default: .string(defaultOptInReply),
        summary: "confirmation sent after an opt-in"),
      SettingSpec(
        "help_reply", .string, default: .string(defaultHelpReply),
        summary: "answer to a help keyword"),
      SettingSpec(
        "keyword_replies", .boolean, default: .bool(!providerAnswersKeywords),
        summary: "whether Junction sends the keyword confirmations itself"),
      SettingSpec(
        "max_segments", .integer(1...255), default: .int(Int64(defaultMaxSegments)),
        summary: "most SMS segments one outbound message may take; longer replies are refused"),
      SettingSpec(
        "default_country", .choice(PhoneNumber.Country.all.map(\.iso)),
        summary: "ISO country code for local phone formats (`RU`: 8 916 … → +7 916 …)"),
    ]
  }
}

extension SMSChannel {
  /// Junction's message id for a provider reference that carries the id of one part of a
  /// split reply: the outbox sends later parts as `<id>-2`, `<id>-3`, so delivery reports of
  /// any part map back to the message. Ids that are not Junction message ids (`msg_…`) give
  /// nil.
  public static func messageId(fromReference reference: String) -> String? {
    guard reference.hasPrefix("msg_") else { return nil }
    if let dash = reference.lastIndex(of: "-"),
      reference[reference.index(after: dash)...].allSatisfy(\.isASCII),
      Int(reference[reference.index(after: dash)...]) != nil
    {
      return String(reference[..<dash])
    }
    return reference
  }
}
